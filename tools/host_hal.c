// SPDX-License-Identifier: BSD-2-Clause
/*
 * The little of the HAL the host-side manifest checker needs: messages go
 * to standard output, and nothing is ever loaded into guest memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <hyp/hal.h>

void hal_console_write(const char *s, size_t len)
{
	fwrite(s, 1, len, stdout);
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
