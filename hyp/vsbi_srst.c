// SPDX-License-Identifier: BSD-2-Clause
/*
 * SRST: a reset request stops or restarts the calling container only.
 */
#include <hyp/container.h>
#include <hyp/vsbi.h>
#include <hyp/vcpu.h>

#define SRST_SHUTDOWN		0
#define SRST_COLD_REBOOT	1
#define SRST_WARM_REBOOT	2
#define SRST_REASON_NONE	0
#define SRST_REASON_FAILURE	1
#define SRST_VENDOR_FIRST	0xF0000000UL

/*
 * Both arguments are uint32_t: vsbi_dispatch has cut them to 32 bits.
 * A reserved type or reason, and a vendor type (none is implemented),
 * are VSBI_ERR_INVALID_PARAM ("reserved or platform-specific and
 * unimplemented"); a vendor reason is accepted and means nothing more.
 */
static bool srst_valid(ulong type, ulong reason)
{
	if (type > SRST_WARM_REBOOT)
		return false;
	return reason <= SRST_REASON_FAILURE || reason >= SRST_VENDOR_FIRST;
}

void vsbi_srst_stop(struct vcpu *v, ulong type, ulong reason)
{
	enum container_stop why = CTR_STOP_SHUTDOWN;

	if (type != SRST_SHUTDOWN)
		why = CTR_STOP_REBOOT;
	else if (reason == SRST_REASON_FAILURE)
		why = CTR_STOP_CRASH;
	container_stop(v->ctr, why);
}

static void srst_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
			struct vsbi_ret *ret)
{
	(void)eid;
	if (fid != 0) {
		ret->error = VSBI_ERR_NOT_SUPPORTED;
		return;
	}
	if (!srst_valid(a[0], a[1])) {
		ret->error = VSBI_ERR_INVALID_PARAM;
		return;
	}
	/* On success the caller never runs again: its container stops. */
	vsbi_srst_stop(v, a[0], a[1]);
	ret->error = VSBI_SUCCESS;
}

/* system_reset(uint32_t reset_type, uint32_t reset_reason) */
static const u8 srst_arg32[] = { [0] = VSBI_ARG32(0) | VSBI_ARG32(1) };

const struct vsbi_ext vsbi_ext_srst = {
	.name = "SRST",
	.eid_first = VSBI_EXT_SRST,
	.eid_last = VSBI_EXT_SRST,
	.handle = srst_handle,
	.arg32 = srst_arg32,
	.nr_arg32 = HYP_ARRAY_SIZE(srst_arg32),
};
