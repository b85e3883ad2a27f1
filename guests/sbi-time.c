// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-time: SBI v2.0 Timer extension (chapter 6), on the boot hart.
 *
 * Spec points checked: set_timer "always returns SBI_SUCCESS"; the
 * timer event is for "after stime_value time", absolute, so sip.STIP
 * must not be seen pending while time < stime_value and must come
 * once time passes it; set_timer "must clear the pending timer
 * interrupt bit when stime_value is set to some time in the future,
 * regardless of whether timer interrupts are masked"; (uint64_t)-1
 * is "infinitely far into the future". A deadline already passed
 * (stime_value 0) makes the event due at once.
 *
 * Polled checks run with sie.STIE = 0 and sstatus.SIE = 0 and read
 * sip.STIP; the interrupt checks enable STIE and SIE and take the
 * timer interrupt through the runtime's trap handler (irq.h).
 *
 * Single hart: nothing here needs a second hart; the lines are the same
 * for every hart count. Output, in order:
 *
 *	PASS time: probe_extension(TIME) is non-zero
 *	PASS time: set_timer(now + 10 ms) returns 0
 *	PASS time: STIP clear right after set_timer in the future
 *	PASS time: STIP pending once the deadline passed, never before
 *	PASS time: set_timer far in the future clears a pending STIP
 *	PASS time: set_timer(0) makes STIP pending
 *	PASS time: set_timer(-1) clears STIP
 *	PASS time: no STIP 10 ms after set_timer(-1)
 *	PASS time: timer interrupt taken (scause 5)
 *	PASS time: timer interrupt not before the deadline
 *	PASS time: set_timer(-1) in the handler clears STIP
 *	PASS time: timer interrupt taken exactly once
 *	sbi-time done: 12 passed, 0 failed
 */
#include "rt.h"
#include "sbitest.h"

#define EXT	"time"

/* Written by the interrupt handler. */
static unsigned long irq_count, irq_code, irq_sip_before, irq_sip_after;
static uint64_t irq_time;

static bool stip(void)
{
	return csr_read(sip) & SIP_STIP;
}

/* Spin (bounded) until time >= t. */
static bool wait_time(uint64_t t)
{
	unsigned long i;

	for (i = 0; i < SPIN_LIMIT; i++) {
		if (rdtime64() >= t)
			return true;
	}
	return false;
}

static void timer_irq(unsigned long code)
{
	irq_time = rdtime64();
	irq_code = code;
	irq_sip_before = csr_read(sip);
	sbi_set_timer(~0ULL);
	irq_sip_after = csr_read(sip);
	__atomic_fetch_add(&irq_count, 1, __ATOMIC_RELEASE);
}

/*
 * Poll sip.STIP until it is pending; every time it is seen, time must
 * already be >= deadline. *seen_at is the time read right after STIP
 * was first seen. False if STIP never came.
 */
static bool poll_stip(uint64_t deadline, uint64_t *seen_at, bool *early)
{
	unsigned long i;
	uint64_t t;

	*early = false;
	for (i = 0; i < SPIN_LIMIT; i++) {
		if (stip()) {
			t = rdtime64();
			*seen_at = t;
			*early = t < deadline;
			return true;
		}
	}
	return false;
}

static void polled_checks(void)
{
	uint64_t deadline, seen = 0, t;
	struct sbiret ret;
	bool early, came, ok;

	deadline = rdtime64() + ms_to_ticks(10);
	ret = sbi_set_timer(deadline);
	test_err(EXT, "set_timer(now + 10 ms) returns 0", ret, SBI_SUCCESS);
	/* sip first, then time: pending with time < deadline is early. */
	ok = !stip();
	t = rdtime64();
	test_check(ok || t >= deadline, EXT,
		   "STIP clear right after set_timer in the future",
		   "pending at time 0x%llx (expected clear until 0x%llx)",
		   (unsigned long long)t, (unsigned long long)deadline);

	came = poll_stip(deadline, &seen, &early);
	test_check(came && !early, EXT,
		   "STIP pending once the deadline passed, never before",
		   "%s at time 0x%llx (expected pending at time >= 0x%llx)",
		   came ? "pending" : "never pending",
		   (unsigned long long)seen, (unsigned long long)deadline);

	/* STIP is pending now (if the previous check passed). */
	ok = stip();
	ret = sbi_set_timer(rdtime64() + ms_to_ticks(10000));
	test_check(ok && !stip() && ret.error == 0, EXT,
		   "set_timer far in the future clears a pending STIP",
		   "error %ld, STIP %s before and %s after (expected pending, then clear)",
		   ret.error, ok ? "pending" : "clear",
		   stip() ? "pending" : "clear");

	ret = sbi_set_timer(0);
	deadline = 0;
	came = poll_stip(deadline, &seen, &early);
	test_check(ret.error == 0 && came, EXT, "set_timer(0) makes STIP pending",
		   "error %ld, STIP %s (expected error 0, pending)", ret.error,
		   came ? "pending" : "never pending");

	ret = sbi_set_timer(~0ULL);
	ok = !stip();
	test_check(ret.error == 0 && ok, EXT, "set_timer(-1) clears STIP",
		   "error %ld, STIP %s (expected error 0, clear)", ret.error,
		   ok ? "clear" : "pending");

	t = rdtime64() + ms_to_ticks(10);
	ok = true;
	while (rdtime64() < t && ok)
		ok = !stip();
	test_check(ok, EXT, "no STIP 10 ms after set_timer(-1)",
		   "pending (expected clear)");
}

static void interrupt_checks(void)
{
	uint64_t deadline;
	unsigned long count;
	bool came;

	irq_set_handler(timer_irq);
	csr_set(sie, SIP_STIP);
	deadline = rdtime64() + ms_to_ticks(10);
	sbi_set_timer(deadline);
	irq_enable();
	came = wait_ge(&irq_count, 1);
	/* Give a second, wrong, interrupt time to show up. */
	wait_time(rdtime64() + ms_to_ticks(10));
	irq_disable();
	csr_clear(sie, SIP_STIP);
	count = ld_acquire(&irq_count);

	test_check(came && irq_code == IRQ_S_TIMER, EXT,
		   "timer interrupt taken (scause 5)",
		   "%s, code %lu (expected a timer interrupt, code 5)",
		   came ? "taken" : "not taken", irq_code);
	test_check(came && irq_time >= deadline, EXT,
		   "timer interrupt not before the deadline",
		   "at time 0x%llx (expected >= 0x%llx)",
		   (unsigned long long)irq_time, (unsigned long long)deadline);
	test_check(came && (irq_sip_before & SIP_STIP) &&
		   !(irq_sip_after & SIP_STIP), EXT,
		   "set_timer(-1) in the handler clears STIP",
		   "sip 0x%lx before, 0x%lx after (expected STIP set, then clear)",
		   irq_sip_before, irq_sip_after);
	test_eq(EXT, "timer interrupt taken exactly once", (long)count, 1);
	irq_set_handler(NULL);
}

int main(unsigned long hartid, const void *dtb)
{
	struct fdt fdt;

	test_begin("sbi-time");
	guest_fdt(&fdt, dtb);
	if (!test_cpus_usable(EXT, smp_init(&fdt, hartid)))
		return 0;
	irq_disable();
	csr_write(sie, 0);

	if (test_probe(EXT, "TIME", SBI_EXT_TIME)) {
		polled_checks();
		interrupt_checks();
	}
	sbi_set_timer(~0ULL);
	test_done();
	return 0;
}
