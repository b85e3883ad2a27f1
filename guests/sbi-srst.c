// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-srst: SBI v2.0 System Reset extension (chapter 10).
 *
 * system_reset "does not return if it succeeds" and returns
 * SBI_ERR_INVALID_PARAM when "at least one of reset_type or
 * reset_reason is reserved or is platform-specific and unimplemented".
 * 0x10 is reserved in both (types 0x3-0xEFFFFFFF, reasons
 * 0x2-0xDFFFFFFF). The reserved type goes first, with reason 0; the
 * reserved reason then rides on a shutdown, so an implementation that
 * ignores the reason powers off here and the done line never comes.
 * The runtime's final SRST shutdown (reason 0) is the real reset test:
 * the run must end with QEMU exiting, not by a timeout.
 *
 * Single hart: nothing here needs a second hart; the lines are the same
 * for every hart count. Output, in order:
 *
 *	PASS srst: probe_extension(SRST) is non-zero
 *	PASS srst: system_reset with reserved reset_type 0x10 returns SBI_ERR_INVALID_PARAM
 *	PASS srst: system_reset(shutdown) with reserved reset_reason 0x10 returns SBI_ERR_INVALID_PARAM
 *	sbi-srst done: 3 passed, 0 failed
 */
#include "rt.h"
#include "sbitest.h"

#define EXT	"srst"

int main(unsigned long hartid, const void *dtb)
{
	struct sbiret ret;

	(void)hartid;
	(void)dtb;
	test_begin("sbi-srst");

	if (test_probe(EXT, "SRST", SBI_EXT_SRST)) {
		ret = sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, 0x10,
				SBI_SRST_REASON_NONE, 0, 0, 0, 0);
		test_err(EXT, "system_reset with reserved reset_type 0x10 returns SBI_ERR_INVALID_PARAM",
			 ret, SBI_ERR_INVALID_PARAM);
		ret = sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN,
				0x10, 0, 0, 0, 0);
		test_err(EXT, "system_reset(shutdown) with reserved reset_reason 0x10 returns SBI_ERR_INVALID_PARAM",
			 ret, SBI_ERR_INVALID_PARAM);
	}
	test_done();
	return 0;		/* rt_start: SRST shutdown, reason 0 */
}
