// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-base: SBI v2.0 Base extension (chapter 4) and the binary encoding
 * rule for unknown EIDs / FIDs (chapter 3).
 *
 * Single hart: nothing here needs a second hart; the lines are the same
 * for every hart count. Output, in order:
 *
 *	PASS base: get_spec_version reports 2.0 or later
 *	PASS base: get_spec_version reserved bits are 0
 *	PASS base: get_impl_id succeeds
 *	PASS base: get_impl_version succeeds
 *	PASS base: probe_extension(BASE) is non-zero
 *	PASS base: probe_extension(0x0badbad0) is 0
 *	PASS base: unknown FID on BASE returns SBI_ERR_NOT_SUPPORTED
 *	PASS base: get_mvendorid succeeds
 *	PASS base: get_marchid succeeds
 *	PASS base: get_mimpid succeeds
 *	PASS base: unknown EID returns SBI_ERR_NOT_SUPPORTED
 *   rv64 only (EIDs and FIDs are 32-bit: bits 32-63 of a7 / a6 are junk):
 *	PASS base: get_impl_id with bits 32-63 of the EID set answers as without
 *	PASS base: get_impl_id with bits 32-63 of the FID set answers as without
 *	sbi-base done: 13 passed, 0 failed      (11 passed on rv32)
 */
#include "rt.h"
#include "sbitest.h"

#define EXT		"base"
#define UNKNOWN_EID	0x0badbad0UL
#define UNKNOWN_FID	0x7fUL

/* get_impl_id through eid and fid answers as the plain call does. */
static void check_same_impl_id(const char *what, unsigned long eid,
			       unsigned long fid)
{
	struct sbiret want = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID);
	struct sbiret ret = sbi_call0(eid, fid);

	test_check(ret.error == want.error && ret.value == want.value, EXT, what,
		   "error %ld value %ld (expected %ld %ld)", ret.error,
		   ret.value, want.error, want.value);
}

static void check_succeeds(const char *what, unsigned long fid)
{
	struct sbiret ret = sbi_call0(SBI_EXT_BASE, fid);

	test_err(EXT, what, ret, SBI_SUCCESS);
}

int main(unsigned long hartid, const void *dtb)
{
	struct sbiret ret;
	unsigned long v;

	(void)hartid;
	(void)dtb;
	test_begin("sbi-base");

	/*
	 * "The minor number ... in the low 24 bits, with the major number
	 * encoded in the next 7 bits. Bit 31 must be 0 ... bits 32 and
	 * above are also reserved and must be 0."
	 */
	ret = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
	v = (unsigned long)ret.value;
	test_check(ret.error == 0 && ((v >> 24) & 0x7f) >= 2, EXT,
		   "get_spec_version reports 2.0 or later",
		   "error %ld version %lu.%lu (expected error 0 version >= 2.0)",
		   ret.error, (v >> 24) & 0x7f, v & 0xffffff);
	test_check(!(v >> 31), EXT, "get_spec_version reserved bits are 0",
		   "0x%lx (expected bits 31 and up clear)", v);

	check_succeeds("get_impl_id succeeds", SBI_BASE_GET_IMPL_ID);
	check_succeeds("get_impl_version succeeds", SBI_BASE_GET_IMPL_VERSION);

	/* "Returns 0 if ... not available, or 1 ... unless defined as any
	 * other non-zero value by the implementation." */
	ret = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_BASE);
	test_check(ret.error == 0 && ret.value != 0, EXT,
		   "probe_extension(BASE) is non-zero",
		   "error %ld value %ld (expected error 0 value non-zero)",
		   ret.error, ret.value);
	ret = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, UNKNOWN_EID);
	test_ret(EXT, "probe_extension(0x0badbad0) is 0", ret, 0);

	ret = sbi_call0(SBI_EXT_BASE, UNKNOWN_FID);
	test_err(EXT, "unknown FID on BASE returns SBI_ERR_NOT_SUPPORTED", ret,
		 SBI_ERR_NOT_SUPPORTED);

	check_succeeds("get_mvendorid succeeds", SBI_BASE_GET_MVENDORID);
	check_succeeds("get_marchid succeeds", SBI_BASE_GET_MARCHID);
	check_succeeds("get_mimpid succeeds", SBI_BASE_GET_MIMPID);

	ret = sbi_call0(UNKNOWN_EID, 0);
	test_err(EXT, "unknown EID returns SBI_ERR_NOT_SUPPORTED", ret,
		 SBI_ERR_NOT_SUPPORTED);

	if (SBI_HAS_HIGH_HALF) {
		check_same_impl_id("get_impl_id with bits 32-63 of the EID set answers as without",
				   sbi_high_junk(SBI_EXT_BASE), SBI_BASE_GET_IMPL_ID);
		check_same_impl_id("get_impl_id with bits 32-63 of the FID set answers as without",
				   SBI_EXT_BASE, sbi_high_junk(SBI_BASE_GET_IMPL_ID));
	}
	test_done();
	return 0;
}
