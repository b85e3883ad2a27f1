// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI dispatch: find the extension by EID, run it for the calling vCPU,
 * write the result into the caller's frame. Extensions not in the table
 * do not exist for guests, whatever the firmware underneath offers.
 */
#include <hyp/sbi.h>
#include <hyp/vcpu.h>

static const struct sbi_ext *const sbi_exts[] = {
	&sbi_ext_legacy,
	&sbi_ext_base,
	&sbi_ext_time,
	&sbi_ext_srst,
	&sbi_ext_dbcn,
	&sbi_ext_ipi,
	&sbi_ext_rfence,
	&sbi_ext_hsm,
};

static const struct sbi_ext *sbi_find(ulong eid)
{
	unsigned int i;

	for (i = 0; i < HYP_ARRAY_SIZE(sbi_exts); i++)
		if (eid >= sbi_exts[i]->eid_first && eid <= sbi_exts[i]->eid_last)
			return sbi_exts[i];
	return NULL;
}

long sbi_probe(ulong eid)
{
	const struct sbi_ext *ext = sbi_find(eid);

	/* Of the v0.1 range, only the calls that exist (0x00-0x08). */
	if (ext && ext->legacy)
		return eid <= SBI_EXT_LEGACY_SHUTDOWN;
	return ext ? 1 : 0;
}

/*
 * The arguments of @fid, with those the spec types uint32_t cut to their
 * low 32 bits: "In case the data is defined as 32bit wide, higher
 * privilege software must ensure that it only uses 32 bit data" (SBI
 * v2.0/v3.0, Binary Encoding). On rv64 a guest may leave anything in the
 * upper half of such a register (hart_suspend's suspend_type,
 * system_reset's reset_type and reset_reason).
 */
static void sbi_args(const struct sbi_ext *ext, u32 fid,
		     const struct hyp_regs *r, ulong *args)
{
	unsigned int arg32 = fid < ext->nr_arg32 ? ext->arg32[fid] : 0, i;

	for (i = 0; i < 6; i++) {
		args[i] = r->x[HYP_REG_A0 + i];
		if (arg32 & SBI_ARG32(i))
			args[i] = (u32)args[i];
	}
}

void sbi_dispatch(struct vcpu *v)
{
	struct hyp_regs *r = &v->frame.regs;
	/*
	 * "SBI extension IDs (EIDs) and SBI function IDs (FIDs) are encoded
	 * as signed 32-bit integers" (Binary Encoding): 32-bit data like any
	 * other, so only the low halves of a7 and a6 name the call. No EID or
	 * FID we answer has bit 31 set, so signedness does not matter here.
	 */
	u32 eid = (u32)r->x[HYP_REG_A7], fid = (u32)r->x[HYP_REG_A0 + 6];
	const struct sbi_ext *ext = sbi_find(eid);
	struct sbi_ret ret = { SBI_ERR_NOT_SUPPORTED, 0, false };
	ulong args[6];

	/* Past the ecall first: a handler may switch this vCPU out. */
	r->mepc += 4;
	if (ext) {
		sbi_args(ext, fid, r, args);
		ext->handle(v, eid, fid, args, &ret);
	}
	if (ret.keep_regs)
		return;
	r->x[HYP_REG_A0] = (ulong)ret.error;
	if (!ext || !ext->legacy)
		r->x[HYP_REG_A1] = ret.value;
}
