// SPDX-License-Identifier: BSD-2-Clause
/*
 * BASE: versions, and probes answered for what the calling container may
 * use rather than what the firmware underneath has.
 */
#include <hyp/hal.h>
#include <hyp/vsbi.h>

enum {
	BASE_SPEC_VERSION,
	BASE_IMPL_ID,
	BASE_IMPL_VERSION,
	BASE_PROBE_EXT,
	BASE_MVENDORID,
	BASE_MARCHID,
	BASE_MIMPID,
};

static void base_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
			struct vsbi_ret *ret)
{
	(void)v;
	(void)eid;
	ret->error = VSBI_SUCCESS;
	switch (fid) {
	case BASE_SPEC_VERSION:
		ret->value = VSBI_SPEC_VERSION;
		break;
	case BASE_IMPL_ID:
		ret->value = VSBI_IMPL_ID_DIOSIX;
		break;
	case BASE_IMPL_VERSION:
		ret->value = VSBI_IMPL_VERSION;
		break;
	case BASE_PROBE_EXT:
		ret->value = (ulong)vsbi_probe(a[0]);
		break;
	case BASE_MVENDORID:
	case BASE_MARCHID:
	case BASE_MIMPID:
		ret->value = hal_machine_id((int)(fid - BASE_MVENDORID));
		break;
	default:
		ret->error = VSBI_ERR_NOT_SUPPORTED;
	}
}

const struct vsbi_ext vsbi_ext_base = {
	.name = "BASE",
	.eid_first = VSBI_EXT_BASE,
	.eid_last = VSBI_EXT_BASE,
	.handle = base_handle,
};
