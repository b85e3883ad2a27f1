// SPDX-License-Identifier: BSD-2-Clause
/*
 * TIME: a timer per virtual hart. With Sstc the deadline is the vCPU's
 * own stimecmp (saved and restored with it); without, the hypervisor
 * folds the deadline into the hart's M-mode timer beside its time slice.
 */
#include <hyp/hal.h>
#include <hyp/sbi.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>

void sbi_set_timer(struct vcpu *v, u64 when)
{
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
			struct sbi_ret *ret)
{
	(void)eid;
	if (fid != 0) {
		ret->error = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	sbi_set_timer(v, time_arg(a));
	ret->error = SBI_SUCCESS;
}

const struct sbi_ext sbi_ext_time = {
	.eid_first = SBI_EXT_TIME,
	.eid_last = SBI_EXT_TIME,
	.handle = time_handle,
};
