/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The scheduler: per-hart run queues of vCPUs, time slices on the M-mode
 * timer when a hart has more than one vCPU to run.
 */
#ifndef HYP_SCHED_H
#define HYP_SCHED_H

#include <hyp/config.h>
#include <hyp/frame.h>
#include <hyp/lock.h>
#include <hyp/types.h>
#include <hyp/vcpu.h>

struct container;

struct hart {
	struct vcpu *current;
	struct vcpu *rq_head;
	struct vcpu *rq_tail;
	unsigned int queued;
	/* Blocked vCPUs last run here, earliest sleep_deadline first. */
	struct vcpu *sleepers;
	struct vcpu *sleepers_tail;
	struct container *pinned;	/* the container this hart is dedicated to */
	u64 slice_end;			/* ~0 when not slicing */
	u64 timer_armed;		/* what the M-mode timer was last set to */
	unsigned int mailbox;		/* HART_MSG_* bits, set by others */
	bool misaligned_deleg;		/* what medeleg says now (FWFT) */
	bool dbtr_live;			/* its triggers may hold a vCPU's (DBTR) */
	/*
	 * PMU: cycle and instret hold a vCPU's counters, not the hart's
	 * own, which are what they read plus pmu_off (vsbi_pmu_load).
	 */
	bool pmu_live;
	u64 pmu_off[HYP_PMU_HW_COUNTERS];
	bool started;
	struct hyp_frame boot_frame;	/* the boot stub's, before any vCPU */
};

#define HART_MSG_RESCHED	(1U << 0)

extern struct hart *hyp_harts;
/* Guards every run queue, vCPU state and container state. */
extern struct hyp_lock sched_lock;
/* Bit n: shared hart n waits for work (sched_lock). */
extern u64 sched_idle_harts;

static inline struct hart *this_hart(void);

/** At boot, before anything else: an entry for each of @harts harts. */
int sched_init(unsigned int harts);
/** Queue a stopped vCPU to run somewhere. Caller holds sched_lock. */
void sched_wake_locked(struct vcpu *v);
/** Take a vCPU out of the run queue it is on. Caller holds sched_lock. */
void sched_dequeue_locked(struct vcpu *v);
/** Resume the current vCPU, or pick another if it can no longer run. */
struct hyp_frame *sched_resume(struct hyp_frame *f);
/**
 * The current vCPU waits for an interrupt (WFI, HSM suspend). Returns
 * false, and the vCPU goes on, if one is already pending.
 */
bool sched_block(struct vcpu *v, enum vcpu_block why);
/** Leave work (VCPU_PEND_*) for @v and make sure it sees it soon. */
void sched_notify(struct vcpu *v, unsigned int bits);
/** Wait until @v has done the fences in @bits, or is off its hart. */
void sched_wait_fenced(struct vcpu *v, unsigned int bits);
/** Reserve @n dedicated harts for @c's vCPUs; 0 or HYP_ENOMEM. */
int sched_pin(struct container *c);
/** An interrupt @v would take now, from its saved state. */
bool vcpu_irq_pending(const struct vcpu *v, u64 now);
/**
 * Pick what this hart runs next and return the frame to resume. With
 * nothing to run the hart sleeps here until something is queued.
 */
struct hyp_frame *sched_next(void);
/** The slice timer or a guest deadline fired. */
struct hyp_frame *sched_timer(struct hyp_frame *f);
/** Another hart asked this one to reschedule. */
struct hyp_frame *sched_mailbox(struct hyp_frame *f);
/** Re-arm this hart's M-mode timer for the running vCPU. */
void sched_arm_timer(void);
/** Ask @hart to look at its run queue and current vCPU. */
void sched_kick(unsigned int hart);

#include <hyp/hal.h>
static inline struct hart *this_hart(void)
{
	return &hyp_harts[hal_hart_index()];
}

#endif
