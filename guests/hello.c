// SPDX-License-Identifier: BSD-2-Clause
/*
 * hello: the smallest useful guest. Shows what it was started with
 * (hart id, memory, bootargs) and that both SBI consoles work.
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
	check_dbcn();
	legacy_print("legacy ok\n");
	puts("goodbye");
	shutdown();
}
