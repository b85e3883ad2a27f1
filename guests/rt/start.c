// SPDX-License-Identifier: BSD-2-Clause
/*
 * C side of guest start-up, and helpers every guest needs.
 */
#include "rt.h"

/*
 * A pointer initialised at link time needs an R_RISCV_RELATIVE; the
 * address of reloc_target is computed PC-relative at run time. If the
 * two disagree, entry.S did not relocate us properly. volatile stops
 * the compiler folding the comparison.
 */
static const char reloc_target[] = "reloc";
static const char *volatile reloc_ptr = reloc_target;

static void reloc_self_test(void)
{
	if (reloc_ptr != reloc_target)
		printf("FAIL relocation self-test: %p != %p\n",
		       (const void *)reloc_ptr, (const void *)reloc_target);
}

void rt_start(unsigned long hartid, const void *dtb)
{
	reloc_self_test();
	main(hartid, dtb);
	shutdown();
}

void guest_fdt(struct fdt *fdt, const void *dtb)
{
	int err = fdt_init(fdt, dtb);

	if (err) {
		printf("FAIL device tree at %p: %s\n", dtb, fdt_strerror(err));
		shutdown_failure();
	}
}

const char *guest_bootargs(const struct fdt *fdt)
{
	const char *args;
	int ret = fdt_bootargs(fdt, &args);

	if (ret < 0) {
		printf("FAIL /chosen/bootargs: %s\n", fdt_strerror(ret));
		shutdown_failure();
	}
	/* Empty counts as absent: a tool may emit bootargs = "". */
	return ret && *args ? args : NULL;
}
