// SPDX-License-Identifier: BSD-2-Clause
/*
 * hello: the smallest useful guest. Shows what it was started with
 * (hart id, memory, bootargs), that the memory between its image and its
 * device tree starts zeroed, and that both SBI consoles work. It leaves
 * that memory scribbled on, so a restarted container that was not given
 * fresh memory would see it.
 */
#include "rt.h"

static void print_memory(const struct fdt *fdt)
{
	struct fdt_mem mem[FDT_MAX_MEM];
	int i, n;

	n = fdt_memory(fdt, mem, FDT_MAX_MEM);
	if (n < 0) {
		printf("FAIL /memory: %s\n", fdt_strerror(n));
		return;
	}
	if (n == 0)
		puts("FAIL /memory: no reg entries");
	for (i = 0; i < n; i++)
		printf("memory 0x%llx 0x%llx\n", (unsigned long long)mem[i].base,
		       (unsigned long long)mem[i].size);
}

/* The words between the image and the device tree: all zero at start. */
static void check_free_zero(const void *dtb)
{
	volatile unsigned long *p = (unsigned long *)ALIGN_UP((unsigned long)_end, PAGE_SIZE);
	volatile unsigned long *end = (unsigned long *)ALIGN_DOWN((unsigned long)dtb, PAGE_SIZE);

	for (; p < end; p++) {
		if (*p) {
			printf("FAIL free memory at 0x%lx holds 0x%lx\n", (unsigned long)p, *p);
			return;
		}
		*p = ~(unsigned long)p;
	}
	puts("free memory zero");
}

/* Write the line with one raw DBCN call so its return is checked too. */
static void check_dbcn(void)
{
	static const char msg[] = "dbcn ok\n";
	struct sbiret ret;

	ret = sbi_dbcn_write((unsigned long)msg, sizeof(msg) - 1);
	if (ret.error != SBI_SUCCESS || ret.value != (long)(sizeof(msg) - 1))
		printf("FAIL dbcn error=%ld value=%ld\n", ret.error, ret.value);
}

int main(unsigned long hartid, const void *dtb)
{
	struct fdt fdt;
	const char *args;

	printf("hello from vhart %lu\n", hartid);
	guest_fdt(&fdt, dtb);
	print_memory(&fdt);
	args = guest_bootargs(&fdt);
	printf("bootargs %s\n", args ? args : "(none)");
	check_free_zero(dtb);
	check_dbcn();
	legacy_print("legacy ok\n");
	puts("goodbye");
	shutdown();
}
