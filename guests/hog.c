// SPDX-License-Identifier: BSD-2-Clause
/*
 * hog: prints "hog spinning", then spins forever on the boot hart with
 * every supervisor interrupt off (sstatus.SIE = 0, sie = 0) and never
 * prints again nor calls the SBI. Inside diosix the other containers
 * must still run to completion; on stock OpenSBI only a timeout ends
 * it. It starts no other hart. Output:
 *
 *	hog spinning
 */
#include "rt.h"
#include "sbitest.h"

int main(unsigned long hartid, const void *dtb)
{
	(void)hartid;
	(void)dtb;
	puts("hog spinning");
	irq_disable();
	csr_write(sie, 0);
	for (;;)
		asm volatile("" : : : "memory");
}
