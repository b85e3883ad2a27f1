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

bool guest_own_ram(const struct fdt *fdt, unsigned long *start,
		   unsigned long *end)
{
	struct fdt_mem mem[FDT_MAX_MEM];
	uint64_t image = (unsigned long)_start, top;
	int i, n;

	n = fdt_memory(fdt, mem, FDT_MAX_MEM);
	if (n < 0) {
		printf("FAIL /memory: %s\n", fdt_strerror(n));
		return false;
	}
	for (i = 0; i < n; i++) {
		if (image < mem[i].base || image - mem[i].base >= mem[i].size)
			continue;
		top = mem[i].base + mem[i].size;
		if (top < mem[i].base || top > (uint64_t)(unsigned long)-1)
			top = ALIGN_DOWN((uint64_t)(unsigned long)-1, PAGE_SIZE);
		*start = (unsigned long)mem[i].base;
		*end = (unsigned long)top;
		return true;
	}
	printf("FAIL no /memory range holds the image at %p\n", (void *)_start);
	return false;
}
