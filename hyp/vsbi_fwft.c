// SPDX-License-Identifier: BSD-2-Clause
/*
 * FWFT, firmware features (SBI v3.0): per-hart ("local") settings of how
 * the firmware treats S-mode. For a guest the hart is its vCPU, so each
 * setting is the vCPU's: kept in struct vcpu, put in effect on whatever
 * hart the vCPU runs on (vsbi_fwft_load, at every switch-in, writes the
 * hart only when it differs), reset with the vCPU, and never seen by
 * another vCPU or container.
 *
 * MISALIGNED_EXC_DELEG is implemented: delegated, a misaligned load or
 * store traps straight to the guest; not delegated (the reset value),
 * it traps to M-mode and OpenSBI emulates the access. The others need an
 * extension of the hart (Zicfilp, Zicfiss, Ssdbltrp, Svadu, Ssnpm) that
 * no hart diosix runs on has (QEMU 7.2's CPUs, the U54/U74): they are
 * defined, so SBI_ERR_NOT_SUPPORTED. Reserved and platform-specific
 * feature numbers are SBI_ERR_DENIED, as the spec says.
 */
#include <hyp/hal.h>
#include <hyp/sched.h>
#include <hyp/vsbi.h>
#include <hyp/vcpu.h>

#define FWFT_SET		0
#define FWFT_GET		1

#define FWFT_MISALIGNED_EXC_DELEG	0
#define FWFT_LAST_DEFINED		5	/* POINTER_MASKING_PMLEN */
#define FWFT_FLAG_LOCK			1UL

void vsbi_fwft_load(struct hart *h, struct vcpu *v)
{
	if (h->misaligned_deleg != v->fwft_misaligned_deleg) {
		hal_misaligned_deleg(v->fwft_misaligned_deleg);
		h->misaligned_deleg = v->fwft_misaligned_deleg;
	}
}

/* 0 if @feature can be set and read here, else the spec's error. */
static long fwft_feature(ulong feature)
{
	if (feature == FWFT_MISALIGNED_EXC_DELEG)
		return VSBI_SUCCESS;
	if (feature <= FWFT_LAST_DEFINED)
		return VSBI_ERR_NOT_SUPPORTED;
	return VSBI_ERR_DENIED;
}

static long fwft_set(struct vcpu *v, ulong feature, ulong value, ulong flags)
{
	long rc = fwft_feature(feature);

	if (rc)
		return rc;
	if (flags & ~FWFT_FLAG_LOCK)
		return VSBI_ERR_INVALID_PARAM;
	if (v->fwft_locked & (1U << feature))
		return VSBI_ERR_DENIED;
	if (value > 1)
		return VSBI_ERR_INVALID_PARAM;
	v->fwft_misaligned_deleg = value;
	if (flags & FWFT_FLAG_LOCK)
		v->fwft_locked |= 1U << feature;
	vsbi_fwft_load(this_hart(), v);	/* it runs on this hart */
	return VSBI_SUCCESS;
}

static void fwft_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
			struct vsbi_ret *ret)
{
	(void)eid;
	switch (fid) {
	case FWFT_SET:
		ret->error = fwft_set(v, a[0], a[1], a[2]);
		break;
	case FWFT_GET:
		ret->error = fwft_feature(a[0]);
		if (!ret->error)
			ret->value = v->fwft_misaligned_deleg;
		break;
	default:
		ret->error = VSBI_ERR_NOT_SUPPORTED;
	}
}

/* set(uint32_t feature, ...), get(uint32_t feature) */
static const u8 fwft_arg32[] = {
	[FWFT_SET] = VSBI_ARG32(0),
	[FWFT_GET] = VSBI_ARG32(0),
};

const struct vsbi_ext vsbi_ext_fwft = {
	.name = "FWFT",
	.eid_first = VSBI_EXT_FWFT,
	.eid_last = VSBI_EXT_FWFT,
	.handle = fwft_handle,
	.arg32 = fwft_arg32,
	.nr_arg32 = HYP_ARRAY_SIZE(fwft_arg32),
};
