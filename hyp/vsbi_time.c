// SPDX-License-Identifier: BSD-2-Clause
/*
 * TIME: a timer per virtual hart. With Sstc the deadline is the vCPU's
 * own stimecmp (saved and restored with it); without, the hypervisor
 * folds the deadline into the hart's M-mode timer beside its time slice.
 */
#include <hyp/hal.h>
#include <hyp/vsbi.h>
#include <hyp/vsbi_pmu.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>

void vsbi_set_timer(struct vcpu *v, u64 when)
{
	vsbi_pmu_fw(v, VSBI_PMU_FW_SET_TIMER, 1);
	if (hal_has_sstc()) {
		v->csr.stimecmp = when;
		hal_guest_stimecmp(when);
		return;
	}
	/* Setting the timer clears a pending one, as the spec requires. */
	hal_guest_stip(false);
	v->timer = when;
	sched_arm_timer();
}

static u64 time_arg(const ulong *a)
{
	if (HYP_XLEN == 32)
		return ((u64)a[1] << 32) | a[0];
	return a[0];
}

static void time_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
			struct vsbi_ret *ret)
{
	(void)eid;
	if (fid != 0) {
		ret->error = VSBI_ERR_NOT_SUPPORTED;
		return;
	}
	vsbi_set_timer(v, time_arg(a));
	ret->error = VSBI_SUCCESS;
}

const struct vsbi_ext vsbi_ext_time = {
	.name = "TIME",
	.eid_first = VSBI_EXT_TIME,
	.eid_last = VSBI_EXT_TIME,
	.handle = time_handle,
};
