// SPDX-License-Identifier: BSD-2-Clause
/*
 * The little of the HAL the host-side manifest checker needs: messages go
 * to standard output, and nothing is ever loaded into guest memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <hyp/hal.h>

/* The terminal's CR LF line ends (hyp/vcons.c) become the host's LF. */
void hal_console_write(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != '\r')
			putchar(s[i]);
}

void *hal_phys(u64 pa)
{
	fprintf(stderr, "manifest-check: unexpected access to 0x%llx\n",
		(unsigned long long)pa);
	abort();
}

/* Console lines carry a time stamp; the checker has no clock to give. */
u64 hal_time_now(void)
{
	return 0;
}

/* No registers here: the firmware reads clock rates at boot. */
u32 hal_clock_rate(const void *fdt, int node, const u32 *args, unsigned int nargs)
{
	(void)fdt;
	(void)node;
	(void)args;
	(void)nargs;
	return 0;
}
