/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hypervisor's M-mode trap vector, installed in place of OpenSBI's on
 * every hart. It takes the same steps as OpenSBI's own entry (fw_base.S):
 * tp/mscratch swap, t0 parked in scratch->tmp0, a struct sbi_trap_context
 * frame, MDT cleared before any C, mstatus restored before mepc.
 *
 * The one difference is where a guest's registers go. A trap from S or U
 * mode saves straight into the running vCPU's frame (its address is kept
 * in this hart's scratch area) and hyp_trap runs on the hart's own
 * stack; it returns the frame to resume, which may be another vCPU's. So
 * a world switch copies no registers at all. A trap from M mode builds
 * its frame on the current stack and goes to OpenSBI's sbi_trap_handler,
 * exactly as OpenSBI's own entry does.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_scratch.h>
#include <sbi/sbi_trap.h>

#define FRAME(x)	SBI_TRAP_REGS_OFFSET(x)

/* csrrs rd, time, x0 and csrrs rd, timeh, x0, any rd */
#define TIME_INSN_MASK	0xfffff07f
#define TIME_INSN	0xc0102073
#define TIMEH_INSN	0xc8102073
#define MSTATUS_MPV_SHIFT	39	/* MSTATUS_MPV, for a shift */
#define INFO(x)		(SBI_TRAP_REGS_SIZE + SBI_TRAP_INFO_OFFSET(x))

.macro CLEAR_MDT tmp
#if __riscv_xlen == 32
	li	\tmp, MSTATUSH_MDT
	csrc	CSR_MSTATUSH, \tmp
#else
	li	\tmp, MSTATUS_MDT
	csrc	CSR_MSTATUS, \tmp
#endif
.endm

/* With sp = frame, tp restored and t0/sp already saved: save the rest. */
.macro SAVE_REST
	csrr	t0, CSR_MEPC
	REG_S	t0, FRAME(mepc)(sp)
	csrr	t0, CSR_MSTATUS
	REG_S	t0, FRAME(mstatus)(sp)
#if __riscv_xlen == 32
	/* MPV and GVA: where the trap came from on a hart with H. */
	csrr	t0, CSR_MSTATUSH
	REG_S	t0, FRAME(mstatusH)(sp)
#else
	REG_S	zero, FRAME(mstatusH)(sp)
#endif
	REG_S	zero, FRAME(zero)(sp)
	REG_S	ra, FRAME(ra)(sp)
	REG_S	gp, FRAME(gp)(sp)
	REG_S	tp, FRAME(tp)(sp)
	REG_S	t1, FRAME(t1)(sp)
	REG_S	t2, FRAME(t2)(sp)
	REG_S	s0, FRAME(s0)(sp)
	REG_S	s1, FRAME(s1)(sp)
	REG_S	a0, FRAME(a0)(sp)
	REG_S	a1, FRAME(a1)(sp)
	REG_S	a2, FRAME(a2)(sp)
	REG_S	a3, FRAME(a3)(sp)
	REG_S	a4, FRAME(a4)(sp)
	REG_S	a5, FRAME(a5)(sp)
	REG_S	a6, FRAME(a6)(sp)
	REG_S	a7, FRAME(a7)(sp)
	REG_S	s2, FRAME(s2)(sp)
	REG_S	s3, FRAME(s3)(sp)
	REG_S	s4, FRAME(s4)(sp)
	REG_S	s5, FRAME(s5)(sp)
	REG_S	s6, FRAME(s6)(sp)
	REG_S	s7, FRAME(s7)(sp)
	REG_S	s8, FRAME(s8)(sp)
	REG_S	s9, FRAME(s9)(sp)
	REG_S	s10, FRAME(s10)(sp)
	REG_S	s11, FRAME(s11)(sp)
	REG_S	t3, FRAME(t3)(sp)
	REG_S	t4, FRAME(t4)(sp)
	REG_S	t5, FRAME(t5)(sp)
	REG_S	t6, FRAME(t6)(sp)
	csrr	t0, CSR_MCAUSE
	REG_S	t0, INFO(cause)(sp)
	csrr	t0, CSR_MTVAL
	REG_S	t0, INFO(tval)(sp)
	REG_S	zero, INFO(tval2)(sp)
	REG_S	zero, INFO(tinst)(sp)
	REG_S	zero, INFO(gva)(sp)
	/* Ready for a nested trap (OpenSBI's unprivileged accesses). */
	CLEAR_MDT t0
.endm

	.section .entry, "ax", %progbits
	.align 3
	.globl dx_trap_vector
dx_trap_vector:
	csrrw	tp, CSR_MSCRATCH, tp
	REG_S	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	csrr	t0, CSR_MSTATUS
	srli	t0, t0, MSTATUS_MPP_SHIFT
	andi	t0, t0, PRV_M
	addi	t0, t0, -PRV_M
	beqz	t0, .Lfrom_m

	/* From a guest: its frame is this hart's current vCPU frame. */
	lla	t0, dx_guest_frame_off
	REG_L	t0, 0(t0)
	add	t0, t0, tp
	REG_L	t0, 0(t0)
	REG_S	sp, FRAME(sp)(t0)
	mv	sp, t0
	REG_L	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	REG_S	t0, FRAME(t0)(sp)
	csrrw	tp, CSR_MSCRATCH, tp
	csrr	t0, CSR_MCAUSE
	addi	t0, t0, -CAUSE_ILLEGAL_INSTRUCTION
	beqz	t0, .Lillegal
.Lguest:
	SAVE_REST
	mv	a0, sp
	/* The hart's stack ends where its scratch area begins. */
	csrr	sp, CSR_MSCRATCH
	call	hyp_trap
	j	.Lrestore

/*
 * A guest's read of the time CSR, answered here: a few dozen
 * instructions instead of the whole trap path and OpenSBI's emulation.
 * On the HiFive boards' U54/U74 there is no time CSR, so every rdtime a
 * guest executes lands here (Linux makes millions), and QEMU does the
 * same under the manifest's trap-time. Only "csrrs rd, time(h), x0"
 * with the instruction in mtval and mstatus.MPV clear (from VS-mode the
 * guest's htimedelta applies: hyp_trap's slow path). sp is the vCPU's
 * frame, where the guest's sp and t0 are; t1 and t2 join them there,
 * and a value for any of those four goes to its slot.
 */
.Lillegal:
	lla	t0, dx_fast_mtime
	REG_L	t0, 0(t0)
	beqz	t0, .Lguest
	REG_S	t1, FRAME(t1)(sp)
	REG_S	t2, FRAME(t2)(sp)
	csrr	t1, CSR_MTVAL
	li	t2, TIME_INSN_MASK
	and	t2, t1, t2
#if __riscv_xlen == 32
	csrr	t0, CSR_MSTATUSH
	andi	t0, t0, MSTATUSH_MPV
	bnez	t0, .Lslow_time
	li	t0, TIMEH_INSN
	beq	t2, t0, .Ltimeh
#else
	csrr	t0, CSR_MSTATUS
	srli	t0, t0, MSTATUS_MPV_SHIFT
	andi	t0, t0, 1
	bnez	t0, .Lslow_time
#endif
	li	t0, TIME_INSN
	bne	t2, t0, .Lslow_time
	lla	t0, dx_fast_mtime
	REG_L	t0, 0(t0)
	addi	t2, t0, -1
	beqz	t2, 1f
	REG_L	t2, 0(t0)		/* mtime, low half on rv32 */
	j	.Lset_rd
1:	csrr	t2, CSR_TIME
	j	.Lset_rd
#if __riscv_xlen == 32
.Ltimeh:
	lla	t0, dx_fast_mtime
	REG_L	t0, 0(t0)
	addi	t2, t0, -1
	beqz	t2, 1f
	REG_L	t2, 4(t0)
	j	.Lset_rd
1:	csrr	t2, CSR_TIMEH
#endif
	/* x[rd] = t2, through the table: 8 bytes an entry. */
.Lset_rd:
	srli	t1, t1, 7
	andi	t1, t1, 31
	slli	t1, t1, 3
	lla	t0, .Lrd_table
	add	t0, t0, t1
	jr	t0
.Ltime_done:
	csrr	t0, CSR_MEPC
	addi	t0, t0, 4
	csrw	CSR_MEPC, t0
	REG_L	t2, FRAME(t2)(sp)
	REG_L	t1, FRAME(t1)(sp)
	REG_L	t0, FRAME(t0)(sp)
	REG_L	sp, FRAME(sp)(sp)
	mret
.Lslow_time:
	REG_L	t2, FRAME(t2)(sp)
	REG_L	t1, FRAME(t1)(sp)
	j	.Lguest

	/* Uncompressed, so every entry is two 4-byte instructions. */
	.option	push
	.option	norvc
	.balign	8
.Lrd_table:
	j	.Ltime_done;		nop			/* x0 */
	mv	ra, t2;			j .Ltime_done
	REG_S	t2, FRAME(sp)(sp);	j .Ltime_done
	mv	gp, t2;			j .Ltime_done
	mv	tp, t2;			j .Ltime_done
	REG_S	t2, FRAME(t0)(sp);	j .Ltime_done
	REG_S	t2, FRAME(t1)(sp);	j .Ltime_done
	REG_S	t2, FRAME(t2)(sp);	j .Ltime_done
	mv	s0, t2;			j .Ltime_done
	mv	s1, t2;			j .Ltime_done
	mv	a0, t2;			j .Ltime_done
	mv	a1, t2;			j .Ltime_done
	mv	a2, t2;			j .Ltime_done
	mv	a3, t2;			j .Ltime_done
	mv	a4, t2;			j .Ltime_done
	mv	a5, t2;			j .Ltime_done
	mv	a6, t2;			j .Ltime_done
	mv	a7, t2;			j .Ltime_done
	mv	s2, t2;			j .Ltime_done
	mv	s3, t2;			j .Ltime_done
	mv	s4, t2;			j .Ltime_done
	mv	s5, t2;			j .Ltime_done
	mv	s6, t2;			j .Ltime_done
	mv	s7, t2;			j .Ltime_done
	mv	s8, t2;			j .Ltime_done
	mv	s9, t2;			j .Ltime_done
	mv	s10, t2;		j .Ltime_done
	mv	s11, t2;		j .Ltime_done
	mv	t3, t2;			j .Ltime_done
	mv	t4, t2;			j .Ltime_done
	mv	t5, t2;			j .Ltime_done
	mv	t6, t2;			j .Ltime_done
	.option	pop

.Lfrom_m:
	REG_S	sp, (FRAME(sp) - SBI_TRAP_CONTEXT_SIZE)(sp)
	add	sp, sp, -(SBI_TRAP_CONTEXT_SIZE)
	REG_L	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	REG_S	t0, FRAME(t0)(sp)
	csrrw	tp, CSR_MSCRATCH, tp
	SAVE_REST
	mv	a0, sp

	call	sbi_trap_handler

	/* Resume whatever frame the handler returned. */
.Lrestore:
	REG_L	ra, FRAME(ra)(a0)
	REG_L	sp, FRAME(sp)(a0)
	REG_L	gp, FRAME(gp)(a0)
	REG_L	tp, FRAME(tp)(a0)
	REG_L	t1, FRAME(t1)(a0)
	REG_L	t2, FRAME(t2)(a0)
	REG_L	s0, FRAME(s0)(a0)
	REG_L	s1, FRAME(s1)(a0)
	REG_L	a1, FRAME(a1)(a0)
	REG_L	a2, FRAME(a2)(a0)
	REG_L	a3, FRAME(a3)(a0)
	REG_L	a4, FRAME(a4)(a0)
	REG_L	a5, FRAME(a5)(a0)
	REG_L	a6, FRAME(a6)(a0)
	REG_L	a7, FRAME(a7)(a0)
	REG_L	s2, FRAME(s2)(a0)
	REG_L	s3, FRAME(s3)(a0)
	REG_L	s4, FRAME(s4)(a0)
	REG_L	s5, FRAME(s5)(a0)
	REG_L	s6, FRAME(s6)(a0)
	REG_L	s7, FRAME(s7)(a0)
	REG_L	s8, FRAME(s8)(a0)
	REG_L	s9, FRAME(s9)(a0)
	REG_L	s10, FRAME(s10)(a0)
	REG_L	s11, FRAME(s11)(a0)
	REG_L	t3, FRAME(t3)(a0)
	REG_L	t4, FRAME(t4)(a0)
	REG_L	t5, FRAME(t5)(a0)
	REG_L	t6, FRAME(t6)(a0)
	/* mstatus first: it re-sets MDT, so a trap now cannot clobber mepc. */
#if __riscv_xlen == 32
	REG_L	t0, FRAME(mstatusH)(a0)
	csrw	CSR_MSTATUSH, t0
#endif
	REG_L	t0, FRAME(mstatus)(a0)
	csrw	CSR_MSTATUS, t0
	REG_L	t0, FRAME(mepc)(a0)
	csrw	CSR_MEPC, t0
	REG_L	t0, FRAME(t0)(a0)
	REG_L	a0, FRAME(a0)(a0)
	mret
