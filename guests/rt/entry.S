/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guest entry, self-relocation, trap entry and fault probes.
 *
 * The loader applies no relocations and does not tell us where we are,
 * so _start works out the load offset from its own PC and applies every
 * R_RISCV_RELATIVE in .rela.dyn before any C code (or data) is touched.
 */
#include "layout.h"

#if __riscv_xlen == 64
#define REG_L		ld
#define REG_S		sd
#define REGBYTES	8
#define PTR		.dword
#else
#define REG_L		lw
#define REG_S		sw
#define REGBYTES	4
#define PTR		.word
#endif

#define R_RISCV_RELATIVE	3
#define FRAME_SIZE		(TF_WORDS * REGBYTES)
#define GPRS_BUT_RA_SP		3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, \
				17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, \
				29, 30, 31

	.section .text.entry, "ax", %progbits
	.globl	_start
_start:
	/* a0 = hart id, a1 = device tree: keep both for rt_start. */
	csrci	sstatus, SSTATUS_SIE
	csrw	sie, zero

	/* sp = top of stack (min(a0, NR_HARTS - 1)); hart ids are unsigned. */
	li	t0, NR_HARTS - 1
	mv	t1, a0
	bleu	t1, t0, 1f
	mv	t1, t0
1:	addi	t1, t1, 1
	li	t2, STACK_SIZE
	mul	t1, t1, t2
	lla	sp, stacks
	add	sp, sp, t1

	/*
	 * delta = where _start runs - where it was linked. link_base holds a
	 * plain number (not a symbol), so reading it needs no relocation.
	 */
	lla	t0, _start
	lla	t1, link_base
	REG_L	t1, 0(t1)
	sub	t0, t0, t1

	/*
	 * Elf_Rela is { r_offset, r_info, r_addend }, one register wide each.
	 * RELATIVE has symbol 0, so r_info is exactly 3 on rv32 and rv64.
	 * Writing addend + delta (not adding to the word) makes this
	 * idempotent, so harts entering together cannot double-apply it.
	 */
	lla	t1, __rela_dyn_start
	lla	t2, __rela_dyn_end
2:	bgeu	t1, t2, 3f
	REG_L	t3, REGBYTES(t1)
	li	t4, R_RISCV_RELATIVE
	bne	t3, t4, reloc_fail
	REG_L	t3, 0(t1)
	REG_L	t4, (2 * REGBYTES)(t1)
	add	t3, t3, t0
	add	t4, t4, t0
	REG_S	t4, 0(t3)
	addi	t1, t1, 3 * REGBYTES
	j	2b

3:	lla	t0, trap_entry
	csrw	stvec, t0
	tail	rt_start

	/* The build rejects such images; this is for a corrupted load. */
reloc_fail:
	lla	s0, reloc_msg
4:	lbu	a0, 0(s0)
	beqz	a0, 5f
	li	a7, SBI_EXT_LEGACY_PUTCHAR
	ecall
	addi	s0, s0, 1
	j	4b
5:	li	a0, SBI_SRST_SHUTDOWN
	li	a1, SBI_SRST_REASON_FAILURE
	li	a6, 0
	li	a7, SBI_EXT_SRST
	ecall
6:	wfi
	j	6b

/*
 * stvec needs 4-byte alignment (its low two bits select the mode), and
 * with compressed code a label may otherwise land on a 2-byte boundary.
 */
	.balign	4
trap_entry:
	addi	sp, sp, -FRAME_SIZE
	REG_S	x1, (1 * REGBYTES)(sp)
	.irp	n, GPRS_BUT_RA_SP
	REG_S	x\n, (\n * REGBYTES)(sp)
	.endr
	addi	t0, sp, FRAME_SIZE
	REG_S	t0, (2 * REGBYTES)(sp)
	csrr	t0, sepc
	REG_S	t0, (TF_SEPC * REGBYTES)(sp)
	csrr	t0, scause
	REG_S	t0, (TF_SCAUSE * REGBYTES)(sp)
	csrr	t0, stval
	REG_S	t0, (TF_STVAL * REGBYTES)(sp)

	mv	a0, sp
	call	trap_handler

	REG_L	t0, (TF_SEPC * REGBYTES)(sp)
	csrw	sepc, t0
	REG_L	x1, (1 * REGBYTES)(sp)
	.irp	n, GPRS_BUT_RA_SP
	REG_L	x\n, (\n * REGBYTES)(sp)
	.endr
	addi	sp, sp, FRAME_SIZE
	sret

/*
 * unsigned long probe_read(unsigned long addr, uint32_t *val)
 * unsigned long probe_write(unsigned long addr, uint32_t val)
 *
 * Return the scause of the fault the access took, or 0. The trap
 * handler recognises a fault at probe_load_insn/probe_store_insn, puts
 * scause in t0 and resumes after the access. norvc keeps the accesses
 * 4 bytes long, which is what the handler skips.
 */
	.text
	.option	push
	.option	norvc
	.balign	4
	.globl	probe_read
probe_read:
	li	t0, 0
	.globl	probe_load_insn
probe_load_insn:
	lw	t1, 0(a0)
	bnez	t0, 1f
	sw	t1, 0(a1)
1:	mv	a0, t0
	ret

	/* unsigned long probe_read8(unsigned long addr): a byte load. */
	.globl	probe_read8
probe_read8:
	li	t0, 0
	.globl	probe_load8_insn
probe_load8_insn:
	lb	t1, 0(a0)
	mv	a0, t0
	ret

	.globl	probe_write
probe_write:
	li	t0, 0
	.globl	probe_store_insn
probe_store_insn:
	sw	a1, 0(a0)
	mv	a0, t0
	ret

/*
 * unsigned long probe_hstatus(void): 0 if S-mode may read hstatus
 * (0x600), that is, the hart has H and we run in HS-mode; else the
 * scause it took (illegal instruction). A guest's device tree need not
 * list H for the hart to have it.
 */
	.globl	probe_hstatus
probe_hstatus:
	li	t0, 0
	.globl	probe_csr_insn
probe_csr_insn:
	csrr	t1, 0x600
	mv	a0, t0
	ret

/*
 * unsigned long probe_mret(void)
 *
 * Execute mret, an M-mode instruction, in S-mode: the scause it takes
 * (illegal instruction, 2), or 0 if it did not trap.
 */
	.globl	probe_mret
probe_mret:
	li	t0, 0
	.globl	probe_mret_insn
probe_mret_insn:
	mret
	mv	a0, t0
	ret
	.option	pop

	.section .rodata
	.balign	REGBYTES
link_base:
	PTR	LINK_BASE
reloc_msg:
	.asciz	"FAIL bad relocation type\n"

	.section .bss.stacks, "aw", %nobits
	.balign	16
stacks:
	.space	NR_HARTS * STACK_SIZE
