/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A virtual hart. Its frame comes first: the trap entry saves the guest's
 * registers there directly, and switching vCPUs is returning another
 * vCPU's frame to the trap exit.
 */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H

#include <hyp/frame.h>
#include <hyp/types.h>

struct container;

enum vcpu_state {
	VCPU_STOPPED,		/* not started, or stopped */
	VCPU_RUNNABLE,		/* queued on a hart */
	VCPU_RUNNING,		/* on a hart now */
	VCPU_BLOCKED,		/* in WFI or suspended: waits for an interrupt */
};

enum vcpu_block {
	BLOCK_WFI,
	BLOCK_SUSPEND,		/* HSM retentive suspend */
	BLOCK_SUSPEND_NONRET,	/* HSM non-retentive: resumes at resume_addr */
};

/* Work another hart leaves for a vCPU, folded in before it next runs. */
#define VCPU_PEND_SSIP		(1U << 0)	/* a supervisor software IPI */
#define VCPU_PEND_FENCE_I	(1U << 1)
#define VCPU_PEND_SFENCE	(1U << 2)
#define VCPU_PEND_EXT		(1U << 3)	/* its vPLIC line moved */

/* S-mode CSRs kept per vCPU; sstatus travels in the frame's mstatus. */
struct vcpu_csrs {
	ulong sie;
	ulong sip;
	ulong stvec;
	ulong sscratch;
	ulong sepc;
	ulong scause;
	ulong stval;
	ulong satp;
	ulong scounteren;
	ulong senvcfg;
	u64 stimecmp;
};

/* F/D registers, held lazily (see the platform's FP switch). */
struct vcpu_fp {
	u64 f[32];
	ulong fcsr;
};

/* V registers, held lazily (see the platform's vector switch). */
struct vcpu_vec {
	u8 *regs;			/* 32 * VLENB bytes; NULL without V */
	ulong vl, vtype, vstart, vcsr;
	bool saved;			/* regs hold its state; else all zero */
};

/*
 * H-extension CSRs, on harts that have H: there S-mode is HS-mode and a
 * guest reaches these whatever its device tree says, so they are its
 * state like sscratch (see the platform's dx_h.c). vsie and vsip are
 * views of hie and hvip, mstatus.MPV/GVA travel in the frame.
 */
struct vcpu_h {
	ulong hstatus, hedeleg, hideleg, hie, hcounteren, hgeie;
	ulong htval, hvip, htinst, hgatp;
	u64 henvcfg, htimedelta, vstimecmp;
	ulong vsstatus, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
	bool saved;			/* holds its state; else reset values */
};

struct vcpu_stats {
	u64 ecalls;
	u64 traps;
	u64 switches;
	u64 run_time;		/* in timer ticks */
};

struct vcpu {
	struct hyp_frame frame;		/* must stay first */
	struct vcpu_csrs csr;
	struct vcpu_fp fp;
	struct vcpu_vec vec;
	struct vcpu_h h;
	struct container *ctr;
	unsigned int id;		/* virtual hart id within its container */
	volatile enum vcpu_state state;
	int hart;			/* hart it runs or is queued on, -1 none */
	int pin_hart;			/* its dedicated hart if pinned, else -1 */
	int ext_hart;			/* hart whose FP/V registers hold its state */
	struct vcpu *rq_next;		/* run queue, or its hart's sleepers */
	struct vcpu *rq_prev;
	u64 sleep_deadline;		/* while blocked: when its timer wakes it, ~0 never */
	enum vcpu_block block;
	bool start_pending;		/* started, not yet run (HSM START_PENDING) */
	ulong resume_addr;		/* non-retentive suspend */
	ulong resume_opaque;
	volatile unsigned int pending;	/* VCPU_PEND_* */
	u64 timer;			/* guest deadline (no-Sstc path), ~0 none */
	u64 run_start;
	struct vcpu_stats stats;
};

/** Reset @v to its power-on state: about to run @entry with a0/a1. */
void vcpu_reset(struct vcpu *v, ulong entry, ulong a0, ulong a1);

static inline struct vcpu *vcpu_of_frame(struct hyp_frame *f)
{
	return (struct vcpu *)f;
}

#endif
