// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI calls. Guests run in S-mode with satp = 0, so a pointer is also
 * the physical address SBI wants.
 */
#include "rt.h"

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid,
			unsigned long a0, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r0 asm("a0") = a0;
	register unsigned long r1 asm("a1") = a1;
	register unsigned long r2 asm("a2") = a2;
	register unsigned long r3 asm("a3") = a3;
	register unsigned long r4 asm("a4") = a4;
	register unsigned long r5 asm("a5") = a5;
	register unsigned long r6 asm("a6") = fid;
	register unsigned long r7 asm("a7") = ext;

	/* "memory": DBCN reads our buffers, the callee may write others. */
	asm volatile("ecall"
		     : "+r"(r0), "+r"(r1)
		     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
		     : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

struct sbiret sbi_dbcn_write(unsigned long addr, unsigned long len)
{
	/* base_addr_hi is 0: the address is one register wide. */
	return sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE, len, addr, 0, 0, 0, 0);
}

void sbi_legacy_putchar(char c)
{
	sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0, 0, 0, 0);
}

static void __attribute__((noreturn)) srst_shutdown(unsigned long reason)
{
	struct sbiret ret;

	ret = sbi_ecall(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, reason, 0, 0, 0, 0);
	printf("FAIL srst returned %ld\n", ret.error);
	for (;;)
		asm volatile("wfi");
}

void shutdown(void)
{
	srst_shutdown(SBI_SRST_REASON_NONE);
}

void shutdown_failure(void)
{
	srst_shutdown(SBI_SRST_REASON_FAILURE);
}
