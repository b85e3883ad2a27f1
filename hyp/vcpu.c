// SPDX-License-Identifier: BSD-2-Clause
/*
 * Virtual hart state: what a hart looks like to a guest at power-on.
 */
#include <hyp/hal.h>
#include <hyp/string.h>
#include <hyp/vcpu.h>

void vcpu_reset(struct vcpu *v, ulong entry, ulong a0, ulong a1)
{
	hyp_memset(&v->frame, 0, sizeof(v->frame));
	hyp_memset(&v->csr, 0, sizeof(v->csr));
	hal_vcpu_reset(v);
	v->frame.regs.mepc = entry;
	/* TW: a guest's WFI traps, so its hart can run someone else. */
	v->frame.regs.mstatus = hal_guest_mstatus() | HYP_MSTATUS_TW;
	v->frame.regs.x[HYP_REG_A0] = a0;
	v->frame.regs.x[HYP_REG_A1] = a1;
	/* As OpenSBI leaves them for a payload: U-mode may read the counters. */
	v->csr.scounteren = 7;
	v->csr.stimecmp = ~0ULL;
	v->timer = ~0ULL;
	v->pending = 0;
	v->start_pending = true;
	/* A (re)started hart has given no steal-time memory yet. */
	v->runnable_since = ~0ULL;
	v->sta_shmem = ~0ULL;
	v->sta_steal = 0;
	/* FWFT local features: reset values, unlocked. */
	v->fwft_misaligned_deleg = false;
	v->fwft_locked = 0;
	/* DBTR: no triggers, no shared memory (the hart's are cleared
	 * lazily, at the next switch-in on it). */
	v->dbtr_mapped = 0;
	v->dbtr_shmem = ~0ULL;
	/* PMU: no counter configured (the hart's are put back lazily, at
	 * the next switch-in on it, as for DBTR). */
	hyp_memset(&v->pmu, 0, sizeof(v->pmu));
}
