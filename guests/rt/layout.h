/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Constants shared by the assembly entry code and the C runtime.
 * Must stay valid in both languages: plain #defines only.
 */
#ifndef GUEST_LAYOUT_H
#define GUEST_LAYOUT_H

/* One stack per vhart 0..NR_HARTS-1; higher ids share the last one. */
#define NR_HARTS	8
#define STACK_SIZE	16384		/* per hart, in .bss */
#define PAGE_SIZE	4096

/* struct trap_frame: x0..x31, sepc, scause, stval (x0 slot unused) */
#define TF_SEPC		32
#define TF_SCAUSE	33
#define TF_STVAL	34
#define TF_WORDS	36		/* 35 used; even keeps sp 16-aligned */

#define SSTATUS_SIE	0x2

#define SBI_EXT_LEGACY_PUTCHAR	0x01
#define SBI_EXT_SRST		0x53525354
#define SBI_SRST_SHUTDOWN	0
#define SBI_SRST_REASON_NONE	0
#define SBI_SRST_REASON_FAILURE	1

#endif
