// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-susp: SBI v2.0 System Suspend extension (chapter 11). Stock
 * OpenSBI on QEMU has no suspend device and hides SUSP; diosix suspends
 * the calling container, so this guest runs in diosix, against the spec.
 *
 * Spec points checked: a reserved sleep_type and an unimplemented
 * platform-specific one return SBI_ERR_INVALID_PARAM (on rv64 only the
 * low 32 bits of sleep_type count); the entry criterion "all but the
 * calling hart in the HSM STOPPED state" (SBI_ERR_DENIED while another
 * hart runs, or is START_PENDING); a resume_addr S-mode cannot execute
 * returns SBI_ERR_INVALID_ADDRESS; SUSPEND_TO_RAM suspends until a wake-up
 * source (here the timer, STIE on, SIE off) and resumes at resume_addr
 * with a0 = hartid, a1 = opaque, satp = 0, sstatus.SIE = 0, not before
 * the timer's deadline.
 *
 * Needs two harts in /cpus (cpus = <2>); ends with its last hart_stop,
 * which shuts the container down. Output: PASS lines, then
 * "sbi-susp done: N passed, 0 failed" printed after the resume.
 */
#include "rt.h"
#include "sbitest.h"

#define EXT		"susp"
#define TAG_SPIN	1
#define TAG_RESUME	2
#define NAP_MS		20

static uint64_t deadline;

static struct sbiret suspend(unsigned long type, unsigned long addr,
			     unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_SUSP, SBI_SUSP_SYSTEM_SUSPEND, type, addr,
			 opaque, 0, 0, 0);
}

/* The secondary waits for the word to stop (then smp_secondary stops it). */
static void sec_wait(struct smp_slot *s)
{
	wait_ge(&s->cmd, 1);
}

static void resumed(struct smp_slot *s)
{
	uint64_t now = rdtime64();

	csr_write(sie, 0);
	sbi_set_timer(~0ULL);
	test_check(s->a0 == smp.id[smp.self] && s->a1 == s->opaque, EXT,
		   "system_suspend resumes at resume_addr with a0 = hart id, a1 = opaque",
		   "a0 0x%lx a1 0x%lx (expected 0x%lx, 0x%lx)", s->a0, s->a1,
		   smp.id[smp.self], s->opaque);
	test_check(s->satp == 0 && !(s->sstatus & SSTATUS_SIE), EXT,
		   "the resume has satp = 0, sstatus.SIE = 0",
		   "satp 0x%lx sstatus 0x%lx", s->satp, s->sstatus);
	test_check(now >= deadline, EXT,
		   "the container slept until its wake-up source, the timer",
		   "resumed %lld ticks before the deadline",
		   (long long)(deadline - now));
	test_done();
}

static void refusals(const struct fdt *fdt, int other)
{
	unsigned long bad;

	test_err(EXT, "a reserved sleep_type returns SBI_ERR_INVALID_PARAM",
		 suspend(1, smp_entry_addr(), 0), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "an unimplemented platform-specific sleep_type returns SBI_ERR_INVALID_PARAM",
		 suspend(0x80000000UL, smp_entry_addr(), 0), SBI_ERR_INVALID_PARAM);
#if __riscv_xlen == 64
	test_err(EXT, "sleep_type is 32 bits: reserved 1 with bits 32-63 set returns SBI_ERR_INVALID_PARAM",
		 suspend(0xa5a5a5a500000001UL, smp_entry_addr(), 0), SBI_ERR_INVALID_PARAM);
#endif
	test_ret(EXT, "hart_start of the secondary returns 0",
		 smp_start(other, TAG_SPIN, sec_wait), 0);
	test_err(EXT, "system_suspend while another hart is not STOPPED returns SBI_ERR_DENIED",
		 suspend(0, smp_entry_addr(), 0), SBI_ERR_DENIED);
	st_release(&smp_slot(other)->cmd, 1);
	test_eq(EXT, "the secondary is STOPPED after its hart_stop",
		hsm_wait_status(smp.id[other], HSM_STOPPED), HSM_STOPPED);
	if (find_inaccessible(fdt, &bad))
		test_err(EXT, "a resume_addr S-mode cannot execute returns SBI_ERR_INVALID_ADDRESS",
			 suspend(0, bad, 0), SBI_ERR_INVALID_ADDRESS);
}

int main(unsigned long hartid, const void *dtb)
{
	unsigned long opaque;
	struct sbiret ret;
	struct fdt fdt;
	int other;

	test_begin("sbi-susp");
	guest_fdt(&fdt, dtb);
	if (!test_cpus_usable(EXT, smp_init(&fdt, hartid)))
		return 0;
	irq_disable();
	csr_write(sie, 0);
	other = smp_first_other();
	if (!test_probe(EXT, "SUSP", SBI_EXT_SUSP) ||
	    !test_check(other >= 0, EXT, "two harts to test with", "one")) {
		test_done();
		return 0;
	}
	refusals(&fdt, other);

	/* Wake-up source: the timer, enabled in sie with interrupts off. */
	deadline = rdtime64() + ms_to_ticks(NAP_MS);
	sbi_set_timer(deadline);
	csr_set(sie, SIP_STIP);
	opaque = smp_prepare_resume(smp.self, TAG_RESUME, resumed);
	ret = suspend(0, smp_entry_addr(), opaque);
	test_fail(EXT, "system_suspend to RAM suspends and resumes at resume_addr",
		  "it returned error %ld", ret.error);
	test_done();
	return 0;
}
