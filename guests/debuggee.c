// SPDX-License-Identifier: BSD-2-Clause
/*
 * debuggee: a guest for gdb (docs/debugging.md, system test: debug).
 * It calls step(n, seed) for n = 1 .. STEPS, where seed comes from the
 * bootarg "seed=<n>", and prints
 *
 *	step <n> total <running total>	(after each step)
 *	total <final total>
 *
 * debug_total is the running sum of n * seed: a debugger stopped in
 * step(n, seed) reads n, seed and debug_total and knows which container
 * it is in (each gets its own seed) and which call it stopped at.
 */
#include "rt.h"

#define STEPS	3

/* volatile and written in step(): gdb finds it in memory, never in a register. */
static volatile unsigned long debug_total;

/* noinline: a breakpoint on step stops once per call, at a real call. */
static __attribute__((noinline)) void step(unsigned long n, unsigned long seed)
{
	debug_total += n * seed;
	printf("step %lu total %lu\n", n, debug_total);
}

static unsigned long read_seed(const void *dtb)
{
	struct fdt fdt;
	const char *bad;
	size_t len;
	uint64_t v;

	guest_fdt(&fdt, dtb);
	if (bootarg_number(guest_bootargs(&fdt), "seed", &v, &bad, &len) <= 0 ||
	    v != (unsigned long)v) {
		puts("FAIL no seed=<n> in bootargs");
		shutdown();
	}
	return (unsigned long)v;
}

int main(unsigned long hartid, const void *dtb)
{
	unsigned long seed = read_seed(dtb), n;

	(void)hartid;
	for (n = 1; n <= STEPS; n++)
		step(n, seed);
	printf("total %lu\n", debug_total);
	shutdown();
}
