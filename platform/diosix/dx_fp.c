// SPDX-License-Identifier: BSD-2-Clause
/*
 * Floating-point state of a vCPU, saved only when the guest dirtied it and
 * loaded only when another vCPU last owned the hart's FP registers. A
 * vCPU that never used FP gets zeroed registers, so it cannot read what
 * another container left behind by turning FP on.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <hyp/vcpu.h>
#include "dx.h"

#define FP_REGS(op)							\
	op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7)			\
	op(8) op(9) op(10) op(11) op(12) op(13) op(14) op(15)		\
	op(16) op(17) op(18) op(19) op(20) op(21) op(22) op(23)		\
	op(24) op(25) op(26) op(27) op(28) op(29) op(30) op(31)

#define FS_CLEAN	0x4000UL	/* mstatus.FS = 2 */

#define FSD(n)	"fsd f" #n ", " #n "*8(%0)\n"
#define FLD(n)	"fld f" #n ", " #n "*8(%0)\n"

static bool fp_present(void)
{
	return misa_extension('D');
}

void dx_fp_save(struct vcpu *v)
{
	if ((v->frame.regs.mstatus & MSTATUS_FS) != MSTATUS_FS || !fp_present())
		return;
	__asm__ volatile(".option push\n.option arch, +d\n"
			 FP_REGS(FSD)
			 ".option pop\n" : : "r"(v->fp.f) : "memory");
	__asm__ volatile(".option push\n.option arch, +d\n"
			 "frcsr %0\n.option pop\n" : "=r"(v->fp.fcsr));
	/* Clean now: the next switch need not save it again. */
	v->frame.regs.mstatus &= ~MSTATUS_FS;
	v->frame.regs.mstatus |= FS_CLEAN;
}

void dx_fp_load(struct vcpu *v)
{
	if (!fp_present())
		return;
	/* FP must be on in M-mode to touch the registers. */
	csr_set(CSR_MSTATUS, MSTATUS_FS);
	__asm__ volatile(".option push\n.option arch, +d\n"
			 FP_REGS(FLD)
			 "fscsr %1\n.option pop\n"
			 : : "r"(v->fp.f), "r"(v->fp.fcsr) : "memory");
}
