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

void sbi_dispatch(struct vcpu *v)
{
	struct hyp_regs *r = &v->frame.regs;
	ulong eid = r->x[HYP_REG_A7], fid = r->x[HYP_REG_A0 + 6];
	const struct sbi_ext *ext = sbi_find(eid);
	struct sbi_ret ret = { SBI_ERR_NOT_SUPPORTED, 0, false };
	ulong args[6];
	unsigned int i;

	for (i = 0; i < 6; i++)
		args[i] = r->x[HYP_REG_A0 + i];
	/* Past the ecall first: a handler may switch this vCPU out. */
	r->mepc += 4;
	if (ext)
		ext->handle(v, eid, fid, args, &ret);
	if (ret.keep_regs)
		return;
	r->x[HYP_REG_A0] = (ulong)ret.error;
	if (!ext || !ext->legacy)
		r->x[HYP_REG_A1] = ret.value;
}
