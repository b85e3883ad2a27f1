// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI dispatch: find the extension by EID, run it for the calling vCPU,
 * write the result into the caller's frame. Extensions not in the table
 * do not exist for guests, whatever the firmware underneath offers.
 */
#include <hyp/vsbi.h>
#include <hyp/vcpu.h>

/*
 * Searched in order on every ecall: the calls a running Linux makes most
 * (timer, IPIs, fences, hvc0's legacy console) come first, the boot-time
 * and once-only ones last.
 */
const struct vsbi_ext *const vsbi_exts[] = {
	&vsbi_ext_time,
	&vsbi_ext_ipi,
	&vsbi_ext_rfence,
	&vsbi_ext_legacy,
	&vsbi_ext_dbcn,
	&vsbi_ext_hsm,
	&vsbi_ext_base,
	&vsbi_ext_srst,
	&vsbi_ext_sta,
	&vsbi_ext_susp,
	&vsbi_ext_fwft,
	&vsbi_ext_dbtr,
	&vsbi_ext_pmu,
};

const unsigned int vsbi_nr_exts = HYP_ARRAY_SIZE(vsbi_exts);

static const struct vsbi_ext *vsbi_find(ulong eid)
{
	unsigned int i;

	for (i = 0; i < HYP_ARRAY_SIZE(vsbi_exts); i++)
		if (eid >= vsbi_exts[i]->eid_first && eid <= vsbi_exts[i]->eid_last)
			return vsbi_exts[i];
	return NULL;
}

long vsbi_probe(ulong eid)
{
	const struct vsbi_ext *ext = vsbi_find(eid);

	if (!ext)
		return 0;
	return ext->probe ? ext->probe(eid) : 1;
}

/*
 * The arguments of @fid, with those the spec types uint32_t cut to their
 * low 32 bits: "In case the data is defined as 32bit wide, higher
 * privilege software must ensure that it only uses 32 bit data" (SBI
 * v2.0/v3.0, Binary Encoding). On rv64 a guest may leave anything in the
 * upper half of such a register (hart_suspend's suspend_type,
 * system_reset's reset_type and reset_reason).
 */
static const ulong *vsbi_args(const struct vsbi_ext *ext, u32 fid,
			      const struct hyp_regs *r, ulong *args)
{
	unsigned int arg32 = fid < ext->nr_arg32 ? ext->arg32[fid] : 0, i;

	/* Most calls take their arguments straight from the frame. */
	if (!arg32)
		return &r->x[HYP_REG_A0];
	for (i = 0; i < 6; i++) {
		args[i] = r->x[HYP_REG_A0 + i];
		if (arg32 & VSBI_ARG32(i))
			args[i] = (u32)args[i];
	}
	return args;
}

void vsbi_dispatch(struct vcpu *v)
{
	struct hyp_regs *r = &v->frame.regs;
	/*
	 * "SBI extension IDs (EIDs) and SBI function IDs (FIDs) are encoded
	 * as signed 32-bit integers" (Binary Encoding): 32-bit data like any
	 * other, so only the low halves of a7 and a6 name the call. No EID or
	 * FID we answer has bit 31 set, so signedness does not matter here.
	 */
	u32 eid = (u32)r->x[HYP_REG_A7], fid = (u32)r->x[HYP_REG_A0 + 6];
	const struct vsbi_ext *ext = vsbi_find(eid);
	struct vsbi_ret ret = { VSBI_ERR_NOT_SUPPORTED, 0, false };
	ulong args[6];

	/* Past the ecall first: a handler may switch this vCPU out. */
	r->mepc += 4;
	if (ext)
		ext->handle(v, eid, fid, vsbi_args(ext, fid, r, args), &ret);
	if (ret.keep_regs)
		return;
	r->x[HYP_REG_A0] = (ulong)ret.error;
	if (!ext || !ext->a0_only)
		r->x[HYP_REG_A1] = ret.value;
}
