/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry of harts started (or resumed from non-retentive suspend) by
 * HSM: see smp.h. Registers on entry, per the SBI: a0 = hart id,
 * a1 = opaque, satp = 0, sstatus.SIE = 0, everything else undefined.
 * The image is already relocated (the boot hart did it), so this code
 * only uses PC-relative addresses.
 */
#include "layout.h"
#include "smp.h"

#if __riscv_xlen == 64
#define REG_L		ld
#define REG_S		sd
#define REGBYTES	8
#else
#define REG_L		lw
#define REG_S		sw
#define REGBYTES	4
#endif

	.text
	.balign	4
	.globl	smp_entry
smp_entry:
	/* What the SBI handed over, before touching anything. */
	csrr	t0, sstatus
	csrr	t1, satp
	csrci	sstatus, SSTATUS_SIE
	csrw	sie, zero

	/* a1 must be SMP_OPAQUE_MAGIC | tag << 8 | index < SMP_MAX_HARTS. */
	li	t2, SMP_OPAQUE_MASK
	and	t3, a1, t2
	li	t2, SMP_OPAQUE_MAGIC
	bne	t3, t2, bad_arrival
	andi	t3, a1, 0xff
	li	t2, SMP_MAX_HARTS
	bgeu	t3, t2, bad_arrival

	lla	t4, smp_slots
	slli	t5, t3, SMP_SLOT_SHIFT
	add	t4, t4, t5
	REG_S	a0, (SLOT_A0 * REGBYTES)(t4)
	REG_S	a1, (SLOT_A1 * REGBYTES)(t4)
	REG_S	t0, (SLOT_SSTATUS * REGBYTES)(t4)
	REG_S	t1, (SLOT_SATP * REGBYTES)(t4)

	/* sp = top of smp_stacks[index] */
	addi	t3, t3, 1
	li	t5, SMP_STACK_SIZE
	mul	t3, t3, t5
	lla	sp, smp_stacks
	add	sp, sp, t3

	/* The boot hart's stvec: the runtime's trap entry. */
	lla	t5, smp_stvec
	REG_L	t5, 0(t5)
	csrw	stvec, t5

	mv	a1, t4
	tail	smp_secondary		/* (hart id, slot); never returns */

bad_arrival:
	lla	t4, smp_bad
	REG_S	a0, 0(t4)
	REG_S	a1, REGBYTES(t4)
	fence	rw, rw
	li	t5, 1
	addi	t4, t4, 2 * REGBYTES
#if __riscv_xlen == 64
	amoadd.d zero, t5, (t4)
#else
	amoadd.w zero, t5, (t4)
#endif
1:	wfi
	j	1b
