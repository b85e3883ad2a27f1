/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest runtime: everything a guest's main() may use.
 */
#ifndef GUEST_RT_H
#define GUEST_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "sbi.h"
#include "console.h"
#include "fdt.h"
#include "lib.h"

#define CAUSE_LOAD_ACCESS	5
#define CAUSE_STORE_ACCESS	7

#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)		ALIGN_DOWN((x) + (a) - 1, (a))

/* First and one-past-last byte of the loaded image, bss and stacks included. */
extern char _start[], _end[];

/* End of code and read-only data: nothing below it is ever written. */
extern char __rela_dyn_start[];

/* Provided by each guest; called on every hart that enters, then shutdown(). */
int main(unsigned long hartid, const void *dtb);

/* Called by entry.S once relocated, on the hart's own stack. */
void rt_start(unsigned long hartid, const void *dtb) __attribute__((noreturn));

/*
 * Word (32-bit) access expected to fault: returns the scause taken, or 0
 * if the access went through (probe_read then stores the word in *val).
 */
unsigned long probe_read(unsigned long addr, uint32_t *val);
unsigned long probe_write(unsigned long addr, uint32_t val);
/* A byte load expected to fault: the scause taken, or 0. */
unsigned long probe_read8(unsigned long addr);
/* Execute mret in S-mode: the scause taken (2), or 0. */
unsigned long probe_mret(void);

/* 0 if hstatus is readable (H, HS-mode), else the scause taken. */
unsigned long probe_hstatus(void);

/* fdt_init() or print FAIL and shut down. */
void guest_fdt(struct fdt *fdt, const void *dtb);

/* /chosen/bootargs, NULL if absent or empty; FAIL and shutdown if bad. */
const char *guest_bootargs(const struct fdt *fdt);

/*
 * The /memory range holding the image, clipped to what we can address:
 * [*start, *end). False after a FAIL line.
 */
bool guest_own_ram(const struct fdt *fdt, unsigned long *start,
		   unsigned long *end);

#endif
