// SPDX-License-Identifier: BSD-2-Clause
/*
 * Boot-time glue: find the bundle OpenSBI carried as its payload, describe
 * the machine to hyp/ (free RAM, ISA, timebase) from the board's device
 * tree, and let hyp/ read the manifest and create the containers. This
 * runs from OpenSBI's domains_init, the one point where domains can still
 * be registered.
 */
#include <libfdt.h>
#include <sbi/riscv_asm.h>
#include <sbi/sbi_console.h>
#include <sbi/sbi_domain.h>
#include <sbi/sbi_error.h>
#include <sbi/sbi_hart.h>
#include <sbi/sbi_platform.h>
#include <sbi/sbi_scratch.h>
#include <sbi/sbi_string.h>
#include <sbi/sbi_tlb.h>
#include <sbi_utils/fdt/fdt_helper.h>
#include <sbi_utils/timer/aclint_mtimer.h>
#include <hyp/bundle.h>
#include <hyp/hyp.h>
#include "dx.h"

extern struct sbi_domain root __attribute__((visibility("hidden")));
extern unsigned long dx_timebase;
unsigned int dx_root_m_regions(void);

static struct hyp_machine machine;
/* What dx_heap_size found the manifest needs, for the boot to report. */
static unsigned long heap_need, heap_end;
static char guest_isa[128];

/* The firmware's bounds (fw_base.ldS), hidden so they stay PC-relative. */
extern char _fw_start[] __attribute__((visibility("hidden")));
extern char _fw_end[] __attribute__((visibility("hidden")));

/* OpenSBI rounds each allocation to 64 bytes; hyp/ and we make a few. */
#define DX_HEAP_ALLOC_SLACK(ctrs)	((8 + 2 * (ctrs)) * 64UL)

/* The header of the bundle at @bundle, or NULL if there is none. */
static const struct bundle_header *bundle_header(unsigned long bundle)
{
	const struct bundle_header *hdr =
		(const struct bundle_header *)(bundle + BUNDLE_HEADER_OFFSET);

	if (sbi_memcmp(hdr->magic, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN))
		return NULL;
	return hdr;
}

/*
 * The heap: OpenSBI's own (its default for @harts, plus the TLB FIFOs of
 * dx_tlb_num_entries), hyp/'s for the manifest in the bundle, one domain
 * per container and the V registers of each vCPU, plus OpenSBI's
 * housekeeping (a sixteenth) and rounding. This runs before the heap and
 * the scratch areas exist, so the bundle is found where both firmware
 * kinds have it: at the payload offset that hyp/bundle.h defines. The
 * firmware, its stacks and its heap must end below that payload, and
 * below the device tree @fdt if a loader put it there; if they
 * would not, the heap is cut to what is left and the boot refuses, by
 * name, the containers that do not fit.
 */
unsigned long dx_heap_size(unsigned int harts, unsigned long stack_size,
			   unsigned long fdt)
{
	unsigned long fw = (unsigned long)_fw_start, need, used, room;
	unsigned long end = BUNDLE_PAYLOAD_OFFSET;
	const struct bundle_header *hdr = bundle_header(fw + BUNDLE_PAYLOAD_OFFSET);
	unsigned int ctrs = 0, vcpus = 0;

	need = SBI_PLATFORM_DEFAULT_HEAP_SIZE(harts) +
	       SBI_TLB_INFO_SIZE * dx_tlb_num_entries() * harts;
	if (hdr)
		need += hyp_heap_need((const u8 *)hdr - BUNDLE_HEADER_OFFSET +
				      hdr->manifest_off, hdr->manifest_size,
				      harts, &ctrs, &vcpus);
	need += ctrs * dx_domain_size() + dx_vec_init(vcpus) +
		DX_HEAP_ALLOC_SLACK(ctrs);
	need += need / 16;
	heap_need = need;
	used = (unsigned long)_fw_end - fw + harts * stack_size;
	/* A board's loader may have put the device tree below the bundle. */
	if (fdt > fw && fdt - fw < end)
		end = fdt - fw;
	heap_end = end;
	room = used < end ? end - used : 0;
	/* OpenSBI wants a multiple of its 1 KiB alignment. */
	return (need < room ? ROUNDUP(need, 1024) : room) & ~1023UL;
}

/* RAM from every memory node of the board's device tree. */
static int add_ram(const void *fdt, struct mem_map *m)
{
	u64 addr, size;
	int node, i;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (!type || sbi_strcmp(type, "memory") ||
		    !fdt_node_is_enabled(fdt, node))
			continue;
		for (i = 0; !fdt_get_node_addr_size(fdt, node, i, &addr, &size); i++)
			if (mem_map_add(m, addr, size))
				return SBI_ENOMEM;
	}
	return 0;
}

/* Everything in RAM that is not the containers' to have. */
static void reserve_firmware(const void *fdt, struct mem_map *m,
			     unsigned long bundle, unsigned long bundle_size)
{
	struct sbi_domain_memregion *r;
	u64 addr, size;
	int node, sub, i;

	sbi_domain_for_each_memregion(&root, r)
		if (!(r->flags & SBI_DOMAIN_MEMREGION_SU_ACCESS_MASK))
			mem_map_reserve(m, r->base,
					r->order >= 64 ? ~0ULL : 1ULL << r->order);
	mem_map_reserve(m, bundle, bundle_size);
	mem_map_reserve(m, (ulong)fdt, fdt_totalsize(fdt));
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (node < 0)
		return;
	fdt_for_each_subnode(sub, fdt, node)
		for (i = 0; !fdt_get_node_addr_size(fdt, sub, i, &addr, &size); i++)
			mem_map_reserve(m, addr, size);
}

/*
 * The board's machine timers: CLINTs ("riscv,clint0", "sifive,clint0",
 * often both on one node: mtime at base + 0xbff8, comparators at base +
 * 0x4000) and ACLINT MTIMERs ("riscv,aclint-mtimer": mtime the first
 * range, comparators the second), as OpenSBI's mtimer driver reads them.
 * Each timer node once, whatever it lists: the index of its kind in
 * timer_compat, or -1 when it is no timer.
 */
static const char *const timer_compat[] = { "riscv,clint0", "sifive,clint0",
					    "riscv,aclint-mtimer" };

static int timer_kind(const void *fdt, int node)
{
	unsigned int i;

	for (i = 0; i < array_size(timer_compat); i++)
		if (!fdt_node_check_compatible(fdt, node, timer_compat[i]))
			return i;
	return -1;
}

/* The board's only timer node (its kind in *@kind), or < 0. */
static int only_timer(const void *fdt, int *kind)
{
	int node, found = -1, k;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		k = timer_kind(fdt, node);
		if (k < 0)
			continue;
		if (found >= 0)
			return -1;
		found = node;
		*kind = k;
	}
	return found;
}

/*
 * The mtime register, for the rdtime fast path on harts without a time
 * CSR, or 0 when there is no timer or more than one, which may disagree.
 */
unsigned long dx_mtime_address(void)
{
	const void *fdt = fdt_get_address();
	int kind, node = only_timer(fdt, &kind);
	u64 addr, size;

	if (node < 0 || fdt_get_node_addr_size(fdt, node, 0, &addr, &size))
		return 0;
	return kind < 2 ? (unsigned long)addr + 0xbff8 : (unsigned long)addr;
}

/*
 * The harts' mtimecmp registers, for hal_timer_set to write directly
 * instead of through OpenSBI's timer device (a third of a world switch's
 * timer cost): only with one timer whose comparators cover every hart.
 * Otherwise (several timers, the quirks of other compatibles) it stays
 * 0 and hal_timer_set uses the device.
 */
void dx_mtimecmp_init(void)
{
	const void *fdt = fdt_get_address();
	unsigned long addr[2], size[2];
	int kind, node = only_timer(fdt, &kind);
	u32 first, count;
	unsigned int i;

	if (node < 0 || fdt_parse_aclint_node(fdt, node, true, kind == 2,
					      &addr[0], &size[0], &addr[1],
					      &size[1], &first, &count))
		return;
	for (i = 0; i < dx_nr_harts; i++)
		if (dx_harts[i].hartid < first || dx_harts[i].hartid - first >= count)
			return;
	dx_facts.mtimecmp_first = first;
	dx_facts.mtimecmp = kind < 2 ? addr[0] + CLINT_MTIMER_OFFSET : addr[1];
}

/* The boot hart's ISA string, less the H extension guests cannot use. */
static void read_cpu(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), cpu, len, i, j = 0;
	const char *isa = NULL, *mmu = NULL;
	u32 hartid;

	fdt_for_each_subnode(cpu, fdt, cpus) {
		if (fdt_parse_hart_id(fdt, cpu, &hartid) ||
		    hartid != current_hartid())
			continue;
		isa = fdt_getprop(fdt, cpu, "riscv,isa", &len);
		mmu = fdt_getprop(fdt, cpu, "mmu-type", NULL);
	}
	if (!isa)
		isa = __riscv_xlen == 64 ? "rv64imac" : "rv32imac";
	for (i = 0; isa[i] && j < (int)sizeof(guest_isa) - 1; i++) {
		bool base = !sbi_strchr(isa, '_') || isa + i < sbi_strchr(isa, '_');

		if (base && i >= 4 && isa[i] == 'h')
			continue;
		guest_isa[j++] = isa[i];
	}
	machine.isa = guest_isa;
	machine.mmu = mmu;
}

int dx_domains_init(void)
{
	struct sbi_scratch *scratch = sbi_scratch_thishart_ptr();
	const void *fdt = fdt_get_address();
	const u8 *bundle = (const u8 *)scratch->next_addr;
	const struct bundle_header *hdr = bundle_header(scratch->next_addr);
	unsigned long freq = 0;
	int rc;

	/* What the inline HAL and the world switch need, before hyp/ runs. */
	dx_facts_init();
	dx_h_init();
	if (!hdr) {
		sbi_printf("[diosix] error: no diosix bundle at 0x%lx\n",
			   scratch->next_addr);
		return SBI_EINVAL;
	}
	dx_stub_addr = scratch->next_addr;
	fdt_parse_timebase_frequency(fdt, &freq);
	dx_timebase = freq ? freq : 10000000;

	machine.model = sbi_platform_name(sbi_platform_thishart_ptr());
	machine.timebase = (u32)dx_timebase;
	read_cpu(fdt);
	mem_map_init(&machine.free);
	rc = add_ram(fdt, &machine.free);
	if (rc)
		return rc;
	reserve_firmware(fdt, &machine.free, dx_stub_addr, hdr->manifest_off + hdr->manifest_size);
	machine.pmp_regions = sbi_hart_pmp_count(scratch) - dx_root_m_regions();
	machine.fdt = fdt;

	if (sbi_platform_thishart_ptr()->heap_size < heap_need)
		sbi_printf("[diosix] error: the firmware heap is %lu KiB of the %lu KiB "
			   "this manifest needs: the firmware, its stacks and its heap "
			   "must end below the bundle and the device tree, %lu KiB "
			   "from its start\n",
			   (unsigned long)sbi_platform_thishart_ptr()->heap_size / 1024,
			   heap_need / 1024, heap_end / 1024);
	/* Every hart's OpenSBI init, this one's rest included, still allocates. */
	dx_heap_reserve(dx_nr_harts);
	/* A bad manifest leaves no container to run; OpenSBI still boots,
	 * and the boot stub's first call powers the machine off. */
	hyp_boot(bundle + hdr->manifest_off, hdr->manifest_size, &machine);
	return 0;
}
