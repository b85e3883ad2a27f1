// SPDX-License-Identifier: BSD-2-Clause
/*
 * The firmware heap is one pool for OpenSBI and for us, and the order in
 * which it is taken matters. hyp/ builds its containers on the boot hart
 * during OpenSBI's cold boot (dx_domains_init); every other hart runs
 * OpenSBI's warm init afterwards, which allocates that hart's PMU, SSE,
 * FWFT and DBTR state and its TLB FIFO from the same heap, and a hart
 * whose allocation fails ends in sbi_hart_hang without a word. So what
 * hyp/ and the glue allocate keeps a reserve free: OpenSBI's own budget
 * for each hart that has not finished its init yet (the per-hart part of
 * SBI_PLATFORM_DEFAULT_HEAP_SIZE, plus its TLB FIFO). A container that
 * would eat into it is refused at boot, by name, and every hart comes up.
 * The reserve shrinks as harts finish their init.
 */
#include <sbi/sbi_heap.h>
#include <sbi/sbi_platform.h>
#include <sbi/sbi_tlb.h>
#include "dx.h"

static unsigned long reserve;

/* What one hart's OpenSBI init takes from the heap, by OpenSBI's budget. */
static unsigned long per_hart(void)
{
	return SBI_PLATFORM_DEFAULT_HEAP_SIZE(1) - SBI_PLATFORM_DEFAULT_HEAP_SIZE(0) +
	       dx_tlb_num_entries() * SBI_TLB_INFO_SIZE;
}

void dx_heap_reserve(unsigned int other_harts)
{
	__atomic_store_n(&reserve, other_harts * per_hart(), __ATOMIC_RELAXED);
}

void dx_heap_hart_ready(void)
{
	unsigned long r = __atomic_load_n(&reserve, __ATOMIC_RELAXED), share = per_hart();

	while (r && !__atomic_compare_exchange_n(&reserve, &r, r > share ? r - share : 0,
						 false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

bool dx_heap_room(unsigned long size)
{
	return sbi_heap_free_space() >= size + __atomic_load_n(&reserve, __ATOMIC_RELAXED);
}

void *dx_zalloc(unsigned long size)
{
	return dx_heap_room(size) ? sbi_zalloc(size) : NULL;
}
