// SPDX-License-Identifier: BSD-2-Clause
/*
 * hog: prints "hog spinning", then spins forever on the boot hart with
 * every supervisor interrupt off (sstatus.SIE = 0, sie = 0) and never
 * prints again. With bootargs "rearm" it also sets its timer over and
 * over while it spins, so that a hypervisor that restarted the time slice
 * whenever it re-arms the hart's timer would never preempt it. Inside
 * diosix the other containers must still run to completion; on stock
 * OpenSBI only a timeout ends it. It starts no other hart. Output:
 *
 *	hog spinning
 */
#include "rt.h"
#include "sbitest.h"

static bool wants_rearm(const void *dtb)
{
	const char *cur, *tok;
	struct fdt fdt;
	size_t len;

	guest_fdt(&fdt, dtb);
	cur = guest_bootargs(&fdt);
	while (cur && next_token(&cur, &tok, &len))
		if (len == 5 && !strncmp(tok, "rearm", 5))
			return true;
	return false;
}

int main(unsigned long hartid, const void *dtb)
{
	bool rearm = wants_rearm(dtb);

	(void)hartid;
	puts("hog spinning");
	irq_disable();
	csr_write(sie, 0);
	for (;;) {
		if (rearm)
			sbi_set_timer(rdtime64() + 1000000);
		asm volatile("" : : : "memory");
	}
}
