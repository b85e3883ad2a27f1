/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef GUEST_SBI_H
#define GUEST_SBI_H

#include "layout.h"

#define SBI_EXT_DBCN		0x4442434E
#define SBI_DBCN_WRITE		0

#define SBI_SUCCESS		0
#define SBI_ERR_INVALID_PARAM	-3

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid,
			unsigned long a0, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5);

/* DBCN console_write of len bytes at physical address addr (satp = 0). */
struct sbiret sbi_dbcn_write(unsigned long addr, unsigned long len);
void sbi_legacy_putchar(char c);

/* SRST system shutdown; never returns (spins if SRST does). */
void shutdown(void) __attribute__((noreturn));
void shutdown_failure(void) __attribute__((noreturn));

#endif
