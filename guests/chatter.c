// SPDX-License-Identifier: BSD-2-Clause
/*
 * chatter: a container that prints while another has the terminal (the
 * console tests). Prints "chatter <n>" with n = 0, 1, 2, ... every
 * CHATTER_MS, forever: even lines with one DBCN write, odd lines one
 * legacy putchar at a time (as Linux's hvc0 writes), so the test can see
 * that every line comes out whole, once and in order. Sleeps with WFI
 * between lines.
 */
#include "rt.h"
#include "sbitest.h"
#include "smp.h"

#define CHATTER_MS	100

int main(unsigned long hartid, const void *dtb)
{
	char line[32];
	unsigned long n;
	struct fdt fdt;

	/* nap_ms's timebase comes from the device tree. */
	guest_fdt(&fdt, dtb);
	smp_init(&fdt, hartid);
	for (n = 0;; n++) {
		test_snprintf(line, sizeof(line), "chatter %lu\n", n);
		if (n & 1)
			legacy_print(line);
		else
			console_write(line, strlen(line));
		nap_ms(CHATTER_MS);
	}
}
