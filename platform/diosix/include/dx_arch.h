/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * This platform's part of a vCPU and of a container (see hyp/arch.h):
 * the guest's FP, vector and H-extension registers, which hyp/ never
 * touches, and the container's protection domain.
 */
#ifndef DX_ARCH_H
#define DX_ARCH_H

#include <hyp/types.h>

/* F/D registers, switched by dx_fp.c. */
struct dx_fp_state {
	u64 f[32];
	ulong fcsr;
};

/* V registers, switched by dx_vec.c. */
struct dx_vec_state {
	u8 *regs;			/* 32 * VLENB bytes; NULL without V */
	ulong vl, vtype, vstart, vcsr;
	bool saved;			/* regs hold its state; else all zero */
};

/*
 * H-extension CSRs, on harts that have H: there S-mode is HS-mode and a
 * guest reaches these whatever its device tree says, so they are its
 * state like sscratch (dx_h.c). vsie and vsip are views of hie and hvip,
 * mstatus.MPV/GVA travel in the frame.
 */
struct dx_h_state {
	ulong hstatus, hedeleg, hideleg, hie, hcounteren, hgeie;
	ulong htval, hvip, htinst, hgatp;
	u64 henvcfg, htimedelta, vstimecmp;
	ulong vsstatus, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
	bool saved;			/* holds its state; else reset values */
};

struct vcpu_arch {
	struct dx_fp_state fp;
	struct dx_vec_state vec;
	struct dx_h_state h;
	int ext_hart;			/* hart whose FP/V registers hold its state */
};

struct dx_domain;

struct container_arch {
	struct dx_domain *domain;	/* from the heap at boot (dx_domain.c) */
};

#endif
