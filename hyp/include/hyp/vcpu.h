/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A virtual hart. Its frame comes first: the trap entry saves the guest's
 * registers there directly, and switching vCPUs is returning another
 * vCPU's frame to the trap exit.
 */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H

#include <hyp/arch.h>
#include <hyp/config.h>
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

struct vcpu_stats {
	u64 ecalls;
	u64 traps;
	u64 switches;
	u64 run_time;		/* in timer ticks */
};

/*
 * One debug trigger as its vCPU configured it (SBI DBTR): trig_state and
 * the tdata1..3 the hart's trigger holds while the vCPU runs (the enable
 * bits cleared while disabled; trig_state keeps their copy).
 */
struct vcpu_trig {
	ulong state;
	ulong tdata1;
	ulong tdata2;
	ulong tdata3;
};

/*
 * SBI PMU: the vCPU's counters, by its own counter indices: 0 cycle,
 * 2 instret (hardware), FIRST_FW.. firmware (hyp/vsbi_pmu.c). Bit i of
 * mapped: counter i has an event; of started: it counts. fw_events bit
 * e: a started firmware counter counts event e, the one test on the
 * paths where events happen (vsbi_pmu.h).
 */
#define HYP_PMU_HW_COUNTERS	3
#define HYP_PMU_FW_COUNTERS	16

struct vcpu_pmu {
	u32 mapped;
	u32 started;
	u32 fw_events;
	u8 fw_event[HYP_PMU_FW_COUNTERS];	/* event code of each */
	u64 fw[HYP_PMU_FW_COUNTERS];
	u64 hw[HYP_PMU_HW_COUNTERS];	/* while off its hart (index 1 unused) */
};

struct vcpu {
	struct hyp_frame frame;		/* must stay first */
	struct vcpu_csrs csr;
	struct vcpu_arch arch;		/* the platform's: FP, V, H state */
	struct container *ctr;
	unsigned int id;		/* virtual hart id within its container */
	volatile enum vcpu_state state;
	int hart;			/* hart it runs or is queued on, -1 none */
	int pin_hart;			/* its dedicated hart if pinned, else -1 */
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
	/*
	 * Steal time (SBI STA): while runnable but not running, since when
	 * (~0: it is not waiting); the ticks stolen since the guest gave its
	 * shared memory (at sta_shmem, ~0: none). sched_lock.
	 */
	u64 runnable_since;
	u64 sta_steal;
	u64 sta_shmem;
	/* FWFT: its misaligned-exception delegation, features it locked. */
	bool fwft_misaligned_deleg;
	u32 fwft_locked;		/* bit n: feature n */
	/*
	 * DBTR: its triggers by trig_idx, which is also the hardware
	 * trigger's index on whatever hart it runs; bit n of dbtr_mapped:
	 * trigger n is installed. Its shared memory (~0: none).
	 */
	u32 dbtr_mapped;
	u64 dbtr_shmem;
	struct vcpu_trig dbtr[HYP_DBTR_MAX];
	struct vcpu_pmu pmu;
	struct vcpu_stats stats;
};

/** Reset @v to its power-on state: about to run @entry with a0/a1. */
void vcpu_reset(struct vcpu *v, ulong entry, ulong a0, ulong a1);

static inline struct vcpu *vcpu_of_frame(struct hyp_frame *f)
{
	return (struct vcpu *)f;
}

#endif
