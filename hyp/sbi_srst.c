// SPDX-License-Identifier: BSD-2-Clause
/*
 * SRST: a reset request stops or restarts the calling container only.
 */
#include <hyp/container.h>
#include <hyp/sbi.h>
#include <hyp/vcpu.h>

#define SRST_SHUTDOWN		0
#define SRST_COLD_REBOOT	1
#define SRST_WARM_REBOOT	2
#define SRST_REASON_NONE	0
#define SRST_REASON_FAILURE	1
#define SRST_VENDOR_FIRST	0xF0000000UL

static bool srst_valid(ulong type, ulong reason)
{
	if (type > SRST_WARM_REBOOT && (u32)type < SRST_VENDOR_FIRST)
		return false;
	if (reason > SRST_REASON_FAILURE && (u32)reason < SRST_VENDOR_FIRST)
		return false;
	/* Upper halves of the 32-bit arguments must be clear on rv64. */
	return type == (u32)type && reason == (u32)reason;
}

void sbi_srst_stop(struct vcpu *v, ulong type, ulong reason)
{
	enum container_stop why = CTR_STOP_SHUTDOWN;

	if (type != SRST_SHUTDOWN)
		why = CTR_STOP_REBOOT;
	else if (reason == SRST_REASON_FAILURE)
		why = CTR_STOP_CRASH;
	container_stop(v->ctr, why);
}

static void srst_handle(struct vcpu *v, ulong eid, ulong fid, const ulong *a,
			struct sbi_ret *ret)
{
	(void)eid;
	if (fid != 0) {
		ret->error = SBI_ERR_NOT_SUPPORTED;
		return;
	}
	if (!srst_valid(a[0], a[1])) {
		ret->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	if (a[0] > SRST_WARM_REBOOT) {
		ret->error = SBI_ERR_NOT_SUPPORTED;	/* vendor type */
		return;
	}
	/* On success the caller never runs again: its container stops. */
	sbi_srst_stop(v, a[0], a[1]);
	ret->error = SBI_SUCCESS;
}

const struct sbi_ext sbi_ext_srst = {
	.eid_first = SBI_EXT_SRST,
	.eid_last = SBI_EXT_SRST,
	.handle = srst_handle,
};
