// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-ipi: SBI v2.0 IPI extension (chapter 7) and the hart mask rules
 * of chapter 3: "hart_mask_base can be set to -1 to indicate that
 * hart_mask shall be ignored and all available harts must be
 * considered", and SBI_ERR_INVALID_PARAM when "at least one hartid
 * constructed from hart_mask_base and hart_mask, is not valid". IPIs
 * "manifest at the receiving harts as the supervisor software
 * interrupts", so sip.SSIP is what the tests look at.
 *
 * Hart count rule: the checks that need a second hart (the HSM-started
 * ping-pong partner) run only when /cpus lists at least two enabled
 * harts; with one hart they print nothing and the totals count only
 * what ran. Output, in order:
 *
 *	PASS ipi: probe_extension(IPI) is non-zero
 *	PASS ipi: send_ipi to this hart returns 0 and sets sip.SSIP
 *	PASS ipi: send_ipi with hart_mask_base aligned down to XLEN sets sip.SSIP
 *	PASS ipi: send_ipi with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM
 *	PASS ipi: send_ipi to all harts (hart_mask_base -1) returns 0 and sets sip.SSIP
 *   two or more harts only:
 *	PASS ipi: secondary hart started by HSM
 *	PASS ipi: 100-round IPI ping-pong with the secondary hart
 *	PASS ipi: secondary took exactly 100 IPIs, its replies returned 0
 *	PASS ipi: secondary hart stopped
 *	sbi-ipi done: 9 passed, 0 failed        (5 passed with one hart)
 *
 * Known: stock OpenSBI 1.6 drops invalid hart ids from the mask and
 * returns 0 (sbi_ipi_send_many), so the INVALID_PARAM line FAILs there.
 */
#include "rt.h"
#include "sbitest.h"

#define EXT	"ipi"
#define ROUNDS	100

/* The secondary's side, in shared memory. */
static unsigned long sec_got;		/* IPIs its handler took */
static unsigned long sec_ready;
static unsigned long sec_stop;
static unsigned long sec_timeouts;
static long sec_send_error;		/* first non-zero reply error */
static unsigned long sec_bad_irq;	/* interrupt code other than SSI */

static bool ssip(void)
{
	return csr_read(sip) & SIP_SSIP;
}

/* Bounded wait for sip.SSIP; clears it when seen. */
static bool take_ssip(void)
{
	unsigned long i;

	for (i = 0; i < SPIN_LIMIT; i++) {
		if (ssip()) {
			csr_clear(sip, SIP_SSIP);
			return true;
		}
	}
	return false;
}

static void sec_irq(unsigned long code)
{
	if (code == IRQ_S_SOFT) {
		csr_clear(sip, SIP_SSIP);
		__atomic_fetch_add(&sec_got, 1, __ATOMIC_RELEASE);
	} else {
		sec_bad_irq = code + 1;
		csr_write(sie, 0);
	}
}

/* Secondary: wait (interrupts on) for each IPI and answer it. */
static void secondary(struct smp_slot *slot)
{
	unsigned long boot = smp.id[smp.self], r, i;
	struct sbiret ret;

	(void)slot;
	csr_set(sie, SIP_SSIP);
	irq_enable();
	st_release(&sec_ready, 1);
	for (r = 1; r <= ROUNDS; r++) {
		for (i = 0; i < SPIN_LIMIT; i++) {
			if (ld_acquire(&sec_got) >= r || ld_acquire(&sec_stop))
				break;
			cpu_relax();
		}
		if (i == SPIN_LIMIT)
			sec_timeouts++;
		if (ld_acquire(&sec_stop))
			break;
		ret = sbi_send_ipi(1, boot);
		if (ret.error && !sec_send_error)
			sec_send_error = ret.error;
	}
	if (!wait_ge(&sec_stop, 1))
		sec_timeouts++;
	irq_disable();
	csr_write(sie, 0);
}

static void single_hart_checks(void)
{
	unsigned long self = smp.id[smp.self], xlen = __riscv_xlen;
	struct sbiret ret;
	bool got;

	csr_clear(sip, SIP_SSIP);
	ret = sbi_send_ipi(1, self);
	got = take_ssip();
	test_check(ret.error == 0 && got, EXT,
		   "send_ipi to this hart returns 0 and sets sip.SSIP",
		   "error %ld, SSIP %s (expected error 0, SSIP set)", ret.error,
		   got ? "set" : "never set");

	ret = sbi_send_ipi(1UL << (self % xlen), self - self % xlen);
	got = take_ssip();
	test_check(ret.error == 0 && got, EXT,
		   "send_ipi with hart_mask_base aligned down to XLEN sets sip.SSIP",
		   "error %ld, SSIP %s (expected error 0, SSIP set)", ret.error,
		   got ? "set" : "never set");

	ret = sbi_send_ipi(1, smp.invalid_id);
	test_err(EXT, "send_ipi with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM",
		 ret, SBI_ERR_INVALID_PARAM);
	csr_clear(sip, SIP_SSIP);

	ret = sbi_send_ipi(0, SBI_HART_MASK_ALL);
	got = take_ssip();
	test_check(ret.error == 0 && got, EXT,
		   "send_ipi to all harts (hart_mask_base -1) returns 0 and sets sip.SSIP",
		   "error %ld, SSIP %s (expected error 0, SSIP set)", ret.error,
		   got ? "set" : "never set");
}

static void two_hart_checks(int other)
{
	unsigned long sec = smp.id[other], r, got = 0, a0, a1;
	struct sbiret ret = { 0, 0 };
	long status;
	bool ok, replied = false;

	irq_set_handler(sec_irq);
	ret = smp_start(other, 1, secondary);
	ok = ret.error == 0 && smp_wait_arrivals(smp_slot(other), 1) &&
	     wait_ge(&sec_ready, 1);
	if (!test_check(ok, EXT, "secondary hart started by HSM",
			"hart_start error %ld, arrivals %lu, bad arrivals %lu (expected 0, 1, 0)",
			ret.error, ld_acquire(&smp_slot(other)->arrivals),
			smp_bad_arrival(&a0, &a1)))
		return;

	csr_clear(sip, SIP_SSIP);
	for (r = 1; r <= ROUNDS; r++) {
		ret = sbi_send_ipi(1, sec);
		replied = !ret.error && take_ssip();
		got = ld_acquire(&sec_got);
		if (!replied || got != r)
			break;
	}
	test_check(r > ROUNDS, EXT, "100-round IPI ping-pong with the secondary hart",
		   "round %lu: send error %ld, %s, secondary count %lu (expected 0, a reply, %lu)",
		   r, ret.error, replied ? "reply" : "no reply", got, r);

	got = ld_acquire(&sec_got);
	test_check(got == ROUNDS && !sec_send_error && !sec_timeouts &&
		   !sec_bad_irq, EXT,
		   "secondary took exactly 100 IPIs, its replies returned 0",
		   "%lu IPIs, reply error %ld, %lu timeouts, bad irq %lu (expected 100, 0, 0, 0)",
		   got, sec_send_error, sec_timeouts, sec_bad_irq);

	st_release(&sec_stop, 1);
	status = hsm_wait_status(sec, HSM_STOPPED);
	test_check(status == HSM_STOPPED, EXT, "secondary hart stopped",
		   "status %ld (expected %d)", status, HSM_STOPPED);
}

int main(unsigned long hartid, const void *dtb)
{
	struct fdt fdt;

	test_begin("sbi-ipi");
	guest_fdt(&fdt, dtb);
	if (!test_cpus_usable(EXT, smp_init(&fdt, hartid)))
		return 0;
	irq_disable();
	csr_write(sie, 0);

	if (test_probe(EXT, "IPI", SBI_EXT_IPI)) {
		single_hart_checks();
		if (smp.n >= 2)
			two_hart_checks(smp_first_other());
	}
	test_done();
	return 0;
}
