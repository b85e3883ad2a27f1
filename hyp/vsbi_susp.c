// SPDX-License-Identifier: BSD-2-Clause
/*
 * SUSP, system suspend (SBI v2.0 chapter 11): "the system" is what the
 * caller's supervisor domain sees, here its container. Suspending to RAM
 * suspends the container alone: its last running vCPU blocks as in a
 * non-retentive HSM suspend, the rest of the machine runs on, and the
 * container resumes at resume_addr when an interrupt the vCPU enabled in
 * sie is pending: its timer, or an interrupt of a device it owns (no
 * other vCPU of its runs to send it an IPI).
 */
#include <hyp/container.h>
#include <hyp/vsbi.h>
#include <hyp/vcpu.h>

#define SUSP_SYSTEM_SUSPEND	0
#define SUSP_SUSPEND_TO_RAM	0x00000000UL

static void susp_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
			struct vsbi_ret *ret)
{
	(void)eid;
	if (fid != SUSP_SYSTEM_SUSPEND) {
		ret->error = VSBI_ERR_NOT_SUPPORTED;
		return;
	}
	/* Reserved types, and platform-specific ones: none is implemented. */
	if (a[0] != SUSP_SUSPEND_TO_RAM) {
		ret->error = VSBI_ERR_INVALID_PARAM;
		return;
	}
	if (!container_owns(v->ctr, a[1], 4)) {
		ret->error = VSBI_ERR_INVALID_ADDRESS;
		return;
	}
	/*
	 * Entry criterion: all but the caller STOPPED. Only the caller could
	 * start another, so this holds until it blocks.
	 */
	if (!vsbi_others_stopped(v)) {
		ret->error = VSBI_ERR_DENIED;
		return;
	}
	vsbi_suspend(v, true, a[1], a[2], ret);
}

/* system_suspend(uint32_t sleep_type, ...) */
static const u8 susp_arg32[] = { [SUSP_SYSTEM_SUSPEND] = VSBI_ARG32(0) };

const struct vsbi_ext vsbi_ext_susp = {
	.name = "SUSP",
	.eid_first = VSBI_EXT_SUSP,
	.eid_last = VSBI_EXT_SUSP,
	.handle = susp_handle,
	.arg32 = susp_arg32,
	.nr_arg32 = HYP_ARRAY_SIZE(susp_arg32),
};
