// SPDX-License-Identifier: BSD-2-Clause
/*
 * The SBI v0.1 calls. Linux 6.1's hvc0 and earlycon use only putchar and
 * getchar, and getchar must answer -1 at once when no input is waiting,
 * since hvc0 polls it.
 */
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/sbi.h>
#include <hyp/vcpu.h>

static void legacy_handle(struct vcpu *v, ulong eid, ulong fid, const ulong *a,
			  struct sbi_ret *ret)
{
	(void)fid;
	ret->error = SBI_SUCCESS;
	switch (eid) {
	case SBI_EXT_LEGACY_SET_TIMER:
		sbi_set_timer(v, HYP_XLEN == 32 ? ((u64)a[1] << 32) | a[0] : a[0]);
		break;
	case SBI_EXT_LEGACY_PUTCHAR:
		vcons_putc(&v->ctr->cons, (char)(a[0] & 0xff));
		break;
	case SBI_EXT_LEGACY_GETCHAR:
		ret->error = console_getc_for(v->ctr);
		break;
	case SBI_EXT_LEGACY_SHUTDOWN:
		sbi_srst_stop(v, 0, 0);
		break;
	default:
		ret->error = SBI_ERR_NOT_SUPPORTED;
	}
}

const struct sbi_ext sbi_ext_legacy = {
	.eid_first = SBI_EXT_LEGACY_SET_TIMER,
	.eid_last = 0x0f,
	.handle = legacy_handle,
	.legacy = true,
};
