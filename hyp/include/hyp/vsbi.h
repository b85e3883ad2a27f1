/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The SBI interface as a guest sees it: every extension answered in terms
 * of the calling container. Constants are the specification's.
 */
#ifndef HYP_VSBI_H
#define HYP_VSBI_H

#include <hyp/types.h>

struct hart;
struct vcpu;

#define VSBI_SUCCESS			0
#define VSBI_ERR_FAILED			-1
#define VSBI_ERR_NOT_SUPPORTED		-2
#define VSBI_ERR_INVALID_PARAM		-3
#define VSBI_ERR_DENIED			-4
#define VSBI_ERR_INVALID_ADDRESS	-5
#define VSBI_ERR_ALREADY_AVAILABLE	-6
#define VSBI_ERR_ALREADY_STARTED	-7
#define VSBI_ERR_ALREADY_STOPPED	-8
#define VSBI_ERR_NO_SHMEM		-9
#define VSBI_ERR_BAD_RANGE		-11

#define VSBI_EXT_LEGACY_SET_TIMER	0x00
#define VSBI_EXT_LEGACY_PUTCHAR		0x01
#define VSBI_EXT_LEGACY_GETCHAR		0x02
#define VSBI_EXT_LEGACY_CLEAR_IPI	0x03
#define VSBI_EXT_LEGACY_SEND_IPI	0x04
#define VSBI_EXT_LEGACY_FENCE_I		0x05
#define VSBI_EXT_LEGACY_SFENCE_VMA	0x06
#define VSBI_EXT_LEGACY_SFENCE_ASID	0x07
#define VSBI_EXT_LEGACY_SHUTDOWN	0x08
#define VSBI_EXT_LEGACY_LAST		0x0f	/* end of the v0.1 range */
#define VSBI_EXT_BASE			0x10
#define VSBI_EXT_TIME			0x54494D45
#define VSBI_EXT_IPI			0x735049
#define VSBI_EXT_RFENCE			0x52464E43
#define VSBI_EXT_HSM			0x48534D
#define VSBI_EXT_SRST			0x53525354
#define VSBI_EXT_DBCN			0x4442434E
#define VSBI_EXT_STA			0x535441
#define VSBI_EXT_SUSP			0x53555350
#define VSBI_EXT_FWFT			0x46574654
#define VSBI_EXT_DBTR			0x44425452
#define VSBI_EXT_PMU			0x504D55
/* diosix's own boot-stub call, HYP_EXT_DIOSIX, is not a guest extension:
 * hyp/include/hyp/bundle.h. */

#define VSBI_SPEC_VERSION		((2UL << 24) | 0)
#define VSBI_IMPL_ID_DIOSIX		5
#define VSBI_IMPL_VERSION		((0UL << 16) | 1)

struct vsbi_ret {
	long error;
	ulong value;
	/* The handler set the caller's registers itself (it may already be
	 * running elsewhere, or resumes somewhere new): leave them alone. */
	bool keep_regs;
};

/* Bit @n of an extension's arg32[fid]: argument @n is typed uint32_t. */
#define VSBI_ARG32(n)			(1U << (n))

/*
 * One extension, described whole: vsbi_dispatch() and vsbi_probe() know
 * nothing about any extension beyond what its descriptor says.
 */
struct vsbi_ext {
	const char *name;	/* for logs, stats and docs */
	u32 eid_first;		/* the EIDs it answers, inclusive */
	u32 eid_last;
	/* BASE probe_extension answer for an @eid in range; NULL: 1. */
	long (*probe)(ulong eid);
	/* Fill @ret; the frame's pc is already past the ecall. */
	void (*handle)(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
		       struct vsbi_ret *ret);
	/* Return convention: only a0 is written (v0.1), a1 keeps the
	 * caller's value; otherwise a0 = error, a1 = value. */
	bool a0_only;
	/* Per FID, the arguments the spec types uint32_t (VSBI_ARG32):
	 * vsbi_dispatch hands the handler only their low 32 bits. */
	const u8 *arg32;
	unsigned int nr_arg32;
};

/* Every extension a guest can see, hottest first (vsbi.c). */
extern const struct vsbi_ext *const vsbi_exts[];
extern const unsigned int vsbi_nr_exts;

/** Handle the ecall in @v's frame and write its result there. */
void vsbi_dispatch(struct vcpu *v);
/** Non-zero if @eid is offered to guests (BASE probe answer). */
long vsbi_probe(ulong eid);

/** The vCPUs of @v's container named by an SBI hart mask, as a bitmap. */
long vsbi_hart_mask(const struct vcpu *v, ulong mask, ulong base, u64 *targets);
/** Send IPIs / remote fences (VCPU_PEND_*) to every vCPU in @targets. */
void vsbi_send(struct vcpu *v, u64 targets, unsigned int what);

/**
 * Suspend @v until an interrupt it enables is pending (HSM hart_suspend,
 * SUSP system_suspend): it returns 0 from the call (retentive), or
 * @nonret, resumes at @addr with a0 = its hart id, a1 = @opaque, satp
 * 0 and interrupts off. Arguments are checked already.
 */
void vsbi_suspend(struct vcpu *v, bool nonret, ulong addr, ulong opaque,
		  struct vsbi_ret *ret);
/** Put @v's FWFT settings in effect on @h (this hart), where it runs next. */
void vsbi_fwft_load(struct hart *h, struct vcpu *v);
/**
 * Put @v's debug triggers on this hart, where it runs next, and clear
 * the hart's others (DBTR).
 */
void vsbi_dbtr_load(struct vcpu *v);
/** Whether every vCPU of @v's container but @v is in HSM STOPPED. */
bool vsbi_others_stopped(const struct vcpu *v);
/** Arm the calling vCPU's timer (TIME and legacy set_timer). */
void vsbi_set_timer(struct vcpu *v, u64 when);
/** Stop the caller's container as an SRST of @type and @reason asks. */
void vsbi_srst_stop(struct vcpu *v, ulong type, ulong reason);

/** Write @v's steal time to its STA memory (it has some); it runs next. */
void vsbi_sta_record(struct vcpu *v);
/** Mark @v preempted in its STA memory (it has some). */
void vsbi_sta_preempted(struct vcpu *v);

extern const struct vsbi_ext vsbi_ext_base, vsbi_ext_time, vsbi_ext_srst,
	vsbi_ext_dbcn, vsbi_ext_legacy, vsbi_ext_ipi, vsbi_ext_rfence, vsbi_ext_hsm,
	vsbi_ext_sta, vsbi_ext_susp, vsbi_ext_fwft, vsbi_ext_dbtr, vsbi_ext_pmu;

#endif
