/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The trap frame. The platform's trap entry saves a guest's registers
 * straight into its vCPU's frame, and restores from whichever frame the
 * hypervisor returns: that is the whole world switch for the general
 * registers. The layout is OpenSBI's struct sbi_trap_context, so frames
 * can be handed to OpenSBI's own trap handler unchanged; the platform
 * checks the two layouts agree at compile time.
 */
#ifndef HYP_FRAME_H
#define HYP_FRAME_H

#include <hyp/types.h>

enum hyp_reg {
	HYP_REG_ZERO, HYP_REG_RA, HYP_REG_SP, HYP_REG_GP, HYP_REG_TP,
	HYP_REG_T0, HYP_REG_T1, HYP_REG_T2, HYP_REG_S0, HYP_REG_S1,
	HYP_REG_A0, HYP_REG_A1, HYP_REG_A2, HYP_REG_A3, HYP_REG_A4,
	HYP_REG_A5, HYP_REG_A6, HYP_REG_A7,
	HYP_REG_COUNT = 32,
};

struct hyp_regs {
	ulong x[32];
	ulong mepc;
	ulong mstatus;
	ulong mstatush;
};

struct hyp_trap_info {
	ulong cause;
	ulong tval;
	ulong tval2;
	ulong tinst;
	ulong gva;
};

struct hyp_frame {
	struct hyp_regs regs;
	struct hyp_trap_info trap;
	void *prev_context;
};

/* mstatus bits the hypervisor touches in a guest's frame */
#define HYP_MSTATUS_SIE		(1UL << 1)
#define HYP_MSTATUS_MIE		(1UL << 3)
#define HYP_MSTATUS_SPIE	(1UL << 5)
#define HYP_MSTATUS_MPIE	(1UL << 7)
#define HYP_MSTATUS_SPP		(1UL << 8)
#define HYP_MSTATUS_MPP_SHIFT	11
#define HYP_MSTATUS_MPP		(3UL << HYP_MSTATUS_MPP_SHIFT)
#define HYP_MSTATUS_FS		(3UL << 13)
#define HYP_MSTATUS_FS_DIRTY	(3UL << 13)
#define HYP_MSTATUS_MPRV	(1UL << 17)
#define HYP_MSTATUS_SUM		(1UL << 18)
#define HYP_MSTATUS_MXR		(1UL << 19)
#define HYP_MSTATUS_TVM		(1UL << 20)
#define HYP_MSTATUS_TW		(1UL << 21)
#define HYP_MSTATUS_TSR		(1UL << 22)
#define HYP_PRV_U		0UL
#define HYP_PRV_S		1UL
#define HYP_PRV_M		3UL

/* mcause values */
#define HYP_CAUSE_IRQ		(1UL << (HYP_XLEN - 1))
#define HYP_IRQ_M_SOFT		3
#define HYP_IRQ_M_TIMER		7
#define HYP_IRQ_M_EXT		11
#define HYP_EXC_ILLEGAL_INSN	2
#define HYP_EXC_MISALIGNED_LOAD	4
#define HYP_EXC_LOAD_ACCESS	5
#define HYP_EXC_MISALIGNED_STORE	6
#define HYP_EXC_STORE_ACCESS	7
#define HYP_EXC_ECALL_S		9

/* mip/mie bits of the supervisor interrupts a guest owns */
#define HYP_MIP_SSIP		(1UL << 1)
#define HYP_MIP_STIP		(1UL << 5)
#define HYP_MIP_SEIP		(1UL << 9)

static inline ulong hyp_frame_mpp(const struct hyp_frame *f)
{
	return (f->regs.mstatus & HYP_MSTATUS_MPP) >> HYP_MSTATUS_MPP_SHIFT;
}

#endif
