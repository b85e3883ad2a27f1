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
 * On rv64 the final shutdown is made instead with junk in bits 32-63 of
 * both reset_type and reset_reason, which are uint32_t: only the low 32
 * bits may count (Binary Encoding), so this is a shutdown for no reason
 * and does not return. Should it return, a FAIL line follows the done
 * line and the guest shuts down for "system failure", which a container
 * reports as a crash; the system test sees both.
 *
 * Single hart: nothing here needs a second hart; the lines are the same
 * for every hart count. Output, in order:
 *
 *	PASS srst: probe_extension(SRST) is non-zero
 *	PASS srst: system_reset with reserved reset_type 0x10 returns SBI_ERR_INVALID_PARAM
 *	PASS srst: system_reset(shutdown) with reserved reset_reason 0x10 returns SBI_ERR_INVALID_PARAM
 *	sbi-srst done: 3 passed, 0 failed
 *   rv64, only if the call returns:
 *	FAIL srst: system_reset(shutdown) with bits 32-63 of reset_type and reset_reason set does not return: ...
 */
#include "rt.h"
#include "sbitest.h"

#define EXT	"srst"

static void high_half_shutdown(void)
{
	struct sbiret ret;

	ret = sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET,
			sbi_high_junk(SBI_SRST_SHUTDOWN),
			sbi_high_junk(SBI_SRST_REASON_NONE), 0, 0, 0, 0);
	test_fail(EXT, "system_reset(shutdown) with bits 32-63 of reset_type and reset_reason set does not return",
		  "error %ld (expected no return)", ret.error);
	shutdown_failure();
}

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
	if (SBI_HAS_HIGH_HALF)
		high_half_shutdown();
	return 0;		/* rt_start: SRST shutdown, reason 0 */
}
