// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-hsm: SBI v2.0 Hart State Management extension (chapter 9).
 *
 * Spec points checked: hart_start enters the hart in S-mode at
 * start_addr with satp = 0, sstatus.SIE = 0, a0 = hartid, a1 = opaque;
 * its errors SBI_ERR_INVALID_ADDRESS (start_addr not executable by
 * S-mode), SBI_ERR_INVALID_PARAM (hartid not valid) and
 * SBI_ERR_ALREADY_AVAILABLE ("already started"); hart_stop (called with
 * interrupts disabled) leaves the hart STOPPED and a stopped hart can
 * be started again; hart_get_status and its SBI_ERR_INVALID_PARAM;
 * hart_suspend: the default retentive type (0) returns 0 after an
 * interrupt, the default non-retentive type (0x80000000) resumes at
 * resume_addr with the hart start register state, a reserved type
 * returns SBI_ERR_INVALID_PARAM, an inaccessible resume_addr
 * SBI_ERR_INVALID_ADDRESS.
 *
 * The secondary is the first hart in /cpus other than the boot hart;
 * it waits for commands in its slot (smp.h) and the boot hart checks
 * and reports everything. All waits are bounded: a hart that never
 * answers gives a FAIL, not a hang. The "inaccessible" address is
 * find_inaccessible()'s (not RAM per /memory, and an S-mode load there
 * faults).
 *
 * Hart count rule: checks that need a second hart run only when /cpus
 * lists at least two enabled harts; with one hart they print nothing
 * and the totals count only what ran. Output, in order:
 *
 *	PASS hsm: probe_extension(HSM) is non-zero
 *	PASS hsm: hart_get_status of this hart is STARTED
 *	PASS hsm: hart_get_status of an invalid hart id returns SBI_ERR_INVALID_PARAM
 *	PASS hsm: hart_start of this (started) hart returns SBI_ERR_ALREADY_AVAILABLE
 *	PASS hsm: hart_start of an invalid hart id returns SBI_ERR_INVALID_PARAM
 *	PASS hsm: hart_suspend with a reserved suspend_type returns SBI_ERR_INVALID_PARAM
 *   rv64 only (suspend_type is a uint32_t: bits 32-63 of a0 are junk):
 *	PASS hsm: retentive hart_suspend with bits 32-63 of suspend_type set suspends until the timer and returns 0
 *   two or more harts only:
 *	PASS hsm: secondary hart is STOPPED before hart_start
 *	PASS hsm: hart_start at an inaccessible non-RAM address returns SBI_ERR_INVALID_ADDRESS
 *	PASS hsm: hart_start of the stopped secondary returns 0 and it arrives
 *	PASS hsm: started hart has a0 = its hart id, a1 = opaque
 *	PASS hsm: started hart has satp = 0, sstatus.SIE = 0
 *	PASS hsm: hart_get_status of the started secondary is STARTED
 *	PASS hsm: hart_start of the started secondary returns SBI_ERR_ALREADY_AVAILABLE
 *	PASS hsm: secondary is STOPPED after its hart_stop
 *	PASS hsm: second hart_start returns 0, hart arrives with a0 = hart id, a1 = new opaque
 *	PASS hsm: hart_get_status after the second start is STARTED
 *	PASS hsm: secondary in retentive suspend is SUSPENDED
 *	PASS hsm: retentive suspend returns 0 after an IPI wakes the hart
 *	PASS hsm: secondary is STARTED after the retentive resume
 *	PASS hsm: secondary in non-retentive suspend is SUSPENDED
 *	PASS hsm: non-retentive resume at resume_addr with a0 = hart id, a1 = opaque
 *	PASS hsm: non-retentive resume has satp = 0, sstatus.SIE = 0
 *	PASS hsm: secondary is STARTED after the non-retentive resume
 *	PASS hsm: non-retentive suspend to an inaccessible resume_addr returns SBI_ERR_INVALID_ADDRESS
 *	PASS hsm: secondary is STOPPED after its final hart_stop
 *	PASS hsm: no arrival with an opaque the hart was not given, no secondary timeout
 *	sbi-hsm done: 27 passed, 0 failed      (7 passed with one hart; one less on rv32)
 */
#include "rt.h"
#include "sbitest.h"

#define EXT		"hsm"

/* Commands in slot->cmd */
#define CMD_STOP		1
#define CMD_SUSPEND_RET		2
#define CMD_SUSPEND_NONRET	3
#define CMD_SUSPEND_BADADDR	4

/* Results in slot->v[] */
#define V_DONE		0	/* bumped when a command finished */
#define V_ERROR		1	/* sbiret.error of the command's call */
#define V_TRIES		2	/* suspends entered (spurious wakes retried) */
#define V_TIMEOUT	3	/* waits that ran out */
#define V_BADADDR	4	/* the inaccessible address */

/* opaque tags (smp_opaque) */
#define TAG_FIRST	1
#define TAG_SECOND	2
#define TAG_RESUME	3
#define TAG_NEVER	4

#define MAX_TRIES	100

static unsigned long wake_sent;		/* boot hart: the IPI is on its way */

static void sec_main(struct smp_slot *s);

static void done(struct smp_slot *s, long error)
{
	s->v[V_ERROR] = (unsigned long)error;
	__atomic_fetch_add(&s->v[V_DONE], 1, __ATOMIC_RELEASE);
}

/* Resumed from the non-retentive suspend (fresh stack, via smp_entry). */
static void sec_resumed(struct smp_slot *s)
{
	struct sbiret ret;

	csr_write(sie, 0);
	csr_clear(sip, SIP_SSIP);
	if (!ld_acquire(&wake_sent) && s->v[V_TRIES] < MAX_TRIES) {
		/* Woken before the boot hart's IPI: suspend again. */
		csr_set(sie, SIP_SSIP);
		s->v[V_TRIES]++;
		ret = sbi_hart_suspend(HSM_SUSPEND_NON_RET_DEFAULT,
				       smp_entry_addr(), s->opaque);
		done(s, ret.error ? ret.error : -1000);
	} else {
		done(s, 0);
	}
	sec_main(s);
}

static void sec_main(struct smp_slot *s)
{
	unsigned long cmd;
	struct sbiret ret;

	for (;;) {
		if (!wait_ge(&s->cmd, 1)) {
			s->v[V_TIMEOUT]++;
			return;
		}
		cmd = ld_acquire(&s->cmd);
		st_release(&s->cmd, 0);

		switch (cmd) {
		case CMD_STOP:
			return;		/* smp_secondary calls hart_stop */
		case CMD_SUSPEND_RET:
			csr_clear(sip, SIP_SSIP);
			csr_set(sie, SIP_SSIP);	/* wake source; SIE stays 0 */
			s->v[V_TRIES] = 0;
			do {
				s->v[V_TRIES]++;
				ret = sbi_hart_suspend(HSM_SUSPEND_RET_DEFAULT, 0, 0);
			} while (!ret.error && !ld_acquire(&wake_sent) &&
				 s->v[V_TRIES] < MAX_TRIES);
			csr_write(sie, 0);
			csr_clear(sip, SIP_SSIP);
			done(s, ret.error);
			break;
		case CMD_SUSPEND_NONRET:
			csr_clear(sip, SIP_SSIP);
			csr_set(sie, SIP_SSIP);
			s->v[V_TRIES] = 1;
			smp_prepare_resume(s->idx, TAG_RESUME, sec_resumed);
			ret = sbi_hart_suspend(HSM_SUSPEND_NON_RET_DEFAULT,
					       smp_entry_addr(), s->opaque);
			/* Only an error comes back here. */
			csr_write(sie, 0);
			done(s, ret.error ? ret.error : -1000);
			break;
		case CMD_SUSPEND_BADADDR:
			smp_prepare_resume(s->idx, TAG_NEVER, sec_resumed);
			ret = sbi_hart_suspend(HSM_SUSPEND_NON_RET_DEFAULT,
					       s->v[V_BADADDR], s->opaque);
			done(s, ret.error);
			break;
		default:
			done(s, -2000);
			break;
		}
	}
}

/* Send cmd and wait (bounded) until the secondary reports it done. */
static bool command(struct smp_slot *s, unsigned long cmd)
{
	unsigned long before = ld_acquire(&s->v[V_DONE]);

	st_release(&s->cmd, cmd);
	return wait_ge(&s->v[V_DONE], before + 1);
}

static void single_hart_checks(unsigned long self)
{
	struct sbiret ret;
	uint64_t guard;

	ret = sbi_hart_get_status(self);
	test_ret(EXT, "hart_get_status of this hart is STARTED", ret,
		 HSM_STARTED);
	ret = sbi_hart_get_status(smp.invalid_id);
	test_err(EXT, "hart_get_status of an invalid hart id returns SBI_ERR_INVALID_PARAM",
		 ret, SBI_ERR_INVALID_PARAM);
	ret = sbi_hart_start(self, smp_entry_addr(), smp_opaque(smp.self, 0));
	test_err(EXT, "hart_start of this (started) hart returns SBI_ERR_ALREADY_AVAILABLE",
		 ret, SBI_ERR_ALREADY_AVAILABLE);
	ret = sbi_hart_start(smp.invalid_id, smp_entry_addr(), 0);
	test_err(EXT, "hart_start of an invalid hart id returns SBI_ERR_INVALID_PARAM",
		 ret, SBI_ERR_INVALID_PARAM);

	/*
	 * 0x00000001 is "reserved for future use". Should it suspend us
	 * after all, a timer 100 ms out (STIE on, SIE off) wakes us up
	 * again, and the 0 it then returns is a FAIL.
	 */
	csr_clear(sip, SIP_SSIP);
	csr_set(sie, SIP_STIP);
	guard = rdtime64() + ms_to_ticks(100);
	sbi_set_timer(guard);
	ret = sbi_hart_suspend(0x00000001, 0, 0);
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIP_STIP);
	test_err(EXT, "hart_suspend with a reserved suspend_type returns SBI_ERR_INVALID_PARAM",
		 ret, SBI_ERR_INVALID_PARAM);
}

/*
 * suspend_type 0 with junk above bit 31 is the default retentive
 * suspend: a timer 10 ms out (STIE on, SIE off) wakes the hart, and the
 * call returns 0 no earlier. WFI may wake early, so an early 0 retries.
 */
static void suspend_high_half_check(void)
{
	uint64_t wake = rdtime64() + ms_to_ticks(10);
	struct sbiret ret;
	unsigned int tries = 0;

	csr_clear(sip, SIP_SSIP);
	csr_set(sie, SIP_STIP);
	sbi_set_timer(wake);
	do {
		ret = sbi_hart_suspend(sbi_high_junk(HSM_SUSPEND_RET_DEFAULT), 0, 0);
	} while (!ret.error && rdtime64() < wake && ++tries < MAX_TRIES);
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIP_STIP);
	test_check(!ret.error && rdtime64() >= wake, EXT,
		   "retentive hart_suspend with bits 32-63 of suspend_type set suspends until the timer and returns 0",
		   "error %ld, %s (expected 0, after the timer)", ret.error,
		   rdtime64() >= wake ? "after the timer" : "before the timer");
}

static bool arrived_as(struct smp_slot *s, unsigned int tag, const char *what)
{
	unsigned long want_a1 = smp_opaque(s->idx, tag);

	return test_check(s->a0 == s->hartid && s->a1 == want_a1, EXT, what,
			  "a0 0x%lx a1 0x%lx (expected 0x%lx 0x%lx)",
			  s->a0, s->a1, s->hartid, want_a1);
}

static bool entry_state(struct smp_slot *s, const char *what)
{
	return test_check(s->satp == 0 && !(s->sstatus & SSTATUS_SIE), EXT,
			  what, "satp 0x%lx sstatus 0x%lx (expected 0, SIE clear)",
			  s->satp, s->sstatus);
}

static bool status_is(unsigned long hartid, long want, const char *what)
{
	long st = hsm_wait_status(hartid, want);

	return test_check(st == want, EXT, what, "%ld (expected %ld)", st, want);
}

static void two_hart_checks(int other, const struct fdt *fdt)
{
	struct smp_slot *s = smp_slot(other);
	unsigned long id = smp.id[other], bad = 0, before, arrivals, a0, a1, n;
	struct sbiret ret;
	bool have_bad, ok;

	ret = sbi_hart_get_status(id);
	test_ret(EXT, "secondary hart is STOPPED before hart_start", ret,
		 HSM_STOPPED);

	have_bad = find_inaccessible(fdt, &bad);
	if (have_bad) {
		ret = sbi_hart_start(id, bad, smp_opaque(other, TAG_NEVER));
		test_err(EXT, "hart_start at an inaccessible non-RAM address returns SBI_ERR_INVALID_ADDRESS",
			 ret, SBI_ERR_INVALID_ADDRESS);
		/* A wrongly started hart would count as a bad arrival. */
		hsm_wait_status(id, HSM_STOPPED);
	} else {
		test_fail(EXT, "hart_start at an inaccessible non-RAM address returns SBI_ERR_INVALID_ADDRESS",
			  "no such address found (expected one)");
	}

	ret = smp_start(other, TAG_FIRST, sec_main);
	ok = ret.error == 0 && smp_wait_arrivals(s, 1);
	if (!test_check(ok, EXT, "hart_start of the stopped secondary returns 0 and it arrives",
			"error %ld, arrivals %lu (expected 0, 1)", ret.error,
			ld_acquire(&s->arrivals)))
		return;
	arrived_as(s, TAG_FIRST, "started hart has a0 = its hart id, a1 = opaque");
	entry_state(s, "started hart has satp = 0, sstatus.SIE = 0");
	status_is(id, HSM_STARTED, "hart_get_status of the started secondary is STARTED");
	ret = sbi_hart_start(id, smp_entry_addr(), smp_opaque(other, TAG_NEVER));
	test_err(EXT, "hart_start of the started secondary returns SBI_ERR_ALREADY_AVAILABLE",
		 ret, SBI_ERR_ALREADY_AVAILABLE);

	st_release(&s->cmd, CMD_STOP);
	if (!status_is(id, HSM_STOPPED, "secondary is STOPPED after its hart_stop"))
		return;

	ret = smp_start(other, TAG_SECOND, sec_main);
	ok = ret.error == 0 && smp_wait_arrivals(s, 2);
	if (!ok) {
		test_fail(EXT, "second hart_start returns 0, hart arrives with a0 = hart id, a1 = new opaque",
			  "error %ld, arrivals %lu (expected 0, 2)", ret.error,
			  ld_acquire(&s->arrivals));
		return;
	}
	arrived_as(s, TAG_SECOND, "second hart_start returns 0, hart arrives with a0 = hart id, a1 = new opaque");
	status_is(id, HSM_STARTED, "hart_get_status after the second start is STARTED");

	/* Retentive: suspend, wait for SUSPENDED, IPI, expect a return of 0. */
	st_release(&wake_sent, 0);
	before = ld_acquire(&s->v[V_DONE]);
	st_release(&s->cmd, CMD_SUSPEND_RET);
	status_is(id, HSM_SUSPENDED, "secondary in retentive suspend is SUSPENDED");
	st_release(&wake_sent, 1);
	ret = sbi_send_ipi(1, id);
	ok = wait_ge(&s->v[V_DONE], before + 1);
	test_check(ok && ret.error == 0 && s->v[V_ERROR] == 0, EXT,
		   "retentive suspend returns 0 after an IPI wakes the hart",
		   "%s, IPI error %ld, suspend error %ld (expected a return, 0, 0)",
		   ok ? "returned" : "no return", ret.error, (long)s->v[V_ERROR]);
	status_is(id, HSM_STARTED, "secondary is STARTED after the retentive resume");

	/* Non-retentive: resumes at smp_entry with a0 = id, a1 = opaque. */
	st_release(&wake_sent, 0);
	arrivals = ld_acquire(&s->arrivals);
	before = ld_acquire(&s->v[V_DONE]);
	st_release(&s->cmd, CMD_SUSPEND_NONRET);
	status_is(id, HSM_SUSPENDED, "secondary in non-retentive suspend is SUSPENDED");
	st_release(&wake_sent, 1);
	ret = sbi_send_ipi(1, id);
	ok = smp_wait_arrivals(s, arrivals + 1) &&
	     wait_ge(&s->v[V_DONE], before + 1) && s->v[V_ERROR] == 0;
	if (ok) {
		arrived_as(s, TAG_RESUME, "non-retentive resume at resume_addr with a0 = hart id, a1 = opaque");
		entry_state(s, "non-retentive resume has satp = 0, sstatus.SIE = 0");
	} else {
		test_fail(EXT, "non-retentive resume at resume_addr with a0 = hart id, a1 = opaque",
			  "IPI error %ld, arrivals %lu, error %ld (expected 0, a new arrival, 0)",
			  ret.error, ld_acquire(&s->arrivals), (long)s->v[V_ERROR]);
		test_fail(EXT, "non-retentive resume has satp = 0, sstatus.SIE = 0",
			  "no resume (expected one)");
	}
	status_is(id, HSM_STARTED, "secondary is STARTED after the non-retentive resume");

	if (have_bad) {
		s->v[V_BADADDR] = bad;
		ok = command(s, CMD_SUSPEND_BADADDR);
		test_check(ok && (long)s->v[V_ERROR] == SBI_ERR_INVALID_ADDRESS, EXT,
			   "non-retentive suspend to an inaccessible resume_addr returns SBI_ERR_INVALID_ADDRESS",
			   "%s error %ld (expected a return with %d)",
			   ok ? "returned" : "no return", (long)s->v[V_ERROR],
			   SBI_ERR_INVALID_ADDRESS);
	} else {
		test_fail(EXT, "non-retentive suspend to an inaccessible resume_addr returns SBI_ERR_INVALID_ADDRESS",
			  "no such address found (expected one)");
	}

	st_release(&s->cmd, CMD_STOP);
	status_is(id, HSM_STOPPED, "secondary is STOPPED after its final hart_stop");

	n = smp_bad_arrival(&a0, &a1);
	test_check(!n && !s->v[V_TIMEOUT], EXT,
		   "no arrival with an opaque the hart was not given, no secondary timeout",
		   "%lu bad arrivals (last a0 0x%lx a1 0x%lx), %lu timeouts (expected 0, 0)",
		   n, n ? a0 : 0, n ? a1 : 0, s->v[V_TIMEOUT]);
}

int main(unsigned long hartid, const void *dtb)
{
	struct fdt fdt;

	test_begin("sbi-hsm");
	guest_fdt(&fdt, dtb);
	if (!test_cpus_usable(EXT, smp_init(&fdt, hartid)))
		return 0;
	irq_disable();
	csr_write(sie, 0);

	if (test_probe(EXT, "HSM", SBI_EXT_HSM)) {
		single_hart_checks(hartid);
		if (SBI_HAS_HIGH_HALF)
			suspend_high_half_check();
		if (smp.n >= 2)
			two_hart_checks(smp_first_other(), &fdt);
	}
	test_done();
	return 0;
}
