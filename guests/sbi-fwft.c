// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-fwft: SBI v3.0 Firmware Features extension (FWFT), on the one
 * feature every hart with S-mode can have, MISALIGNED_EXC_DELEG.
 *
 * Spec points checked: get of the feature returns 0 or 1; set to 1 and
 * back to 0 reads back; a value other than 0 or 1, and flags with a
 * reserved bit, return SBI_ERR_INVALID_PARAM; reserved and platform-
 * specific feature numbers return SBI_ERR_DENIED for get and set (and
 * get's value is 0); feature is a uint32_t (rv64: junk in bits 32-63 of
 * a0 does not count); an unknown FID returns SBI_ERR_NOT_SUPPORTED. With
 * a second hart: the feature is local (what one hart sets, the other
 * does not read), LOCK makes a later set return SBI_ERR_DENIED, and a
 * hart reset (hart_stop, hart_start) brings back the reset value,
 * unlocked.
 *
 * Output: PASS lines, then "sbi-fwft done: N passed, 0 failed"
 * (12 with one hart, 20 with two or more; one less on rv32).
 */
#include "rt.h"
#include "sbitest.h"

#define EXT		"fwft"
#define MIS		SBI_FWFT_MISALIGNED_EXC_DELEG
#define TAG_LOCK	1
#define TAG_AFTER	2

/* What the secondary read and got: its slot's v[]. */
enum { V_GET, V_GET_ERR, V_SET_LOCK, V_SET_AGAIN, V_DONE };

static struct sbiret fwft_set(unsigned long feature, unsigned long value,
			      unsigned long flags)
{
	return sbi_ecall(SBI_EXT_FWFT, SBI_FWFT_SET, feature, value, flags, 0, 0, 0);
}

static struct sbiret fwft_get(unsigned long feature)
{
	return sbi_ecall(SBI_EXT_FWFT, SBI_FWFT_GET, feature, 0, 0, 0, 0, 0);
}

static void single_hart_checks(void)
{
	static const unsigned long denied[] = { 0x6, 0x3fffffff, 0x40000000,
						0x80000000, 0xc0000000 };
	struct sbiret ret = fwft_get(MIS);
	unsigned int i;
	bool ok = true;

	test_check(!ret.error && ret.value <= 1, EXT,
		   "get MISALIGNED_EXC_DELEG returns 0 and a value of 0 or 1",
		   "error %ld value %ld", ret.error, ret.value);
	test_ret(EXT, "set MISALIGNED_EXC_DELEG to 1 returns 0", fwft_set(MIS, 1, 0), 0);
	test_ret(EXT, "get then returns 1", fwft_get(MIS), 1);
	test_ret(EXT, "set MISALIGNED_EXC_DELEG to 0 returns 0", fwft_set(MIS, 0, 0), 0);
	test_ret(EXT, "get then returns 0", fwft_get(MIS), 0);
	test_err(EXT, "set to a value other than 0 or 1 returns SBI_ERR_INVALID_PARAM",
		 fwft_set(MIS, 2, 0), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "set with a reserved flag bit returns SBI_ERR_INVALID_PARAM",
		 fwft_set(MIS, 1, 2), SBI_ERR_INVALID_PARAM);
	test_ret(EXT, "a refused set changes nothing", fwft_get(MIS), 0);
	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		ret = fwft_get(denied[i]);
		ok = ok && ret.error == SBI_ERR_DENIED && ret.value == 0 &&
		     fwft_set(denied[i], 0, 0).error == SBI_ERR_DENIED;
	}
	test_check(ok, EXT,
		   "reserved and platform-specific features return SBI_ERR_DENIED, get's value 0",
		   "not so");
#if __riscv_xlen == 64
	test_ret(EXT, "feature is 32 bits: junk in bits 32-63 still names MISALIGNED_EXC_DELEG",
		 fwft_get(0xa5a5a5a500000000UL | MIS), 0);
#endif
	test_err(EXT, "an unknown FID returns SBI_ERR_NOT_SUPPORTED",
		 sbi_ecall(SBI_EXT_FWFT, 2, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED);
}

/* The secondary, first start: reads, then locks the feature at 1. */
static void sec_lock(struct smp_slot *s)
{
	struct sbiret ret = fwft_get(MIS);

	s->v[V_GET] = ret.value;
	s->v[V_GET_ERR] = (unsigned long)ret.error;
	s->v[V_SET_LOCK] = (unsigned long)fwft_set(MIS, 1, SBI_FWFT_SET_FLAG_LOCK).error;
	s->v[V_SET_AGAIN] = (unsigned long)fwft_set(MIS, 0, 0).error;
	st_release(&s->v[V_DONE], 1);
}

/* Second start, after a hart reset: what it reads now. */
static void sec_after(struct smp_slot *s)
{
	struct sbiret ret = fwft_get(MIS);

	s->v[V_GET] = ret.value;
	s->v[V_GET_ERR] = (unsigned long)ret.error;
	s->v[V_SET_AGAIN] = (unsigned long)fwft_set(MIS, 0, 0).error;
	st_release(&s->v[V_DONE], 2);
}

static void two_hart_checks(int other, unsigned long reset_value)
{
	struct smp_slot *s = smp_slot(other);

	test_ret(EXT, "set MISALIGNED_EXC_DELEG to 1 on this hart returns 0",
		 fwft_set(MIS, 1, 0), 0);
	if (!test_ret(EXT, "hart_start of the secondary returns 0",
		      smp_start(other, TAG_LOCK, sec_lock), 0) ||
	    !test_check(wait_eq(&s->v[V_DONE], 1), EXT, "the secondary ran", "timeout"))
		return;
	test_check(!s->v[V_GET_ERR] && s->v[V_GET] == reset_value, EXT,
		   "local: the secondary reads its own value, not this hart's",
		   "error %ld value %lu (expected 0, %lu)", (long)s->v[V_GET_ERR],
		   s->v[V_GET], reset_value);
	test_check(s->v[V_SET_LOCK] == 0 && (long)s->v[V_SET_AGAIN] == SBI_ERR_DENIED,
		   EXT, "after a set with LOCK, another set returns SBI_ERR_DENIED",
		   "lock %ld, set after %ld", (long)s->v[V_SET_LOCK],
		   (long)s->v[V_SET_AGAIN]);
	test_ret(EXT, "this hart still reads its own 1", fwft_get(MIS), 1);
	hsm_wait_status(smp.id[other], HSM_STOPPED);
	if (!test_ret(EXT, "hart_start of the stopped secondary returns 0",
		      smp_start(other, TAG_AFTER, sec_after), 0) ||
	    !wait_eq(&s->v[V_DONE], 2))
		return;
	test_check(!s->v[V_GET_ERR] && s->v[V_GET] == reset_value &&
		   s->v[V_SET_AGAIN] == 0, EXT,
		   "a hart reset brings back the reset value, unlocked",
		   "value %lu, set %ld", s->v[V_GET], (long)s->v[V_SET_AGAIN]);
	hsm_wait_status(smp.id[other], HSM_STOPPED);
	fwft_set(MIS, 0, 0);
}

int main(unsigned long hartid, const void *dtb)
{
	unsigned long reset_value;
	struct fdt fdt;
	int other;

	test_begin("sbi-fwft");
	guest_fdt(&fdt, dtb);
	if (!test_cpus_usable(EXT, smp_init(&fdt, hartid)))
		return 0;
	if (test_probe(EXT, "FWFT", SBI_EXT_FWFT)) {
		reset_value = fwft_get(MIS).value;
		single_hart_checks();
		other = smp_first_other();
		if (other >= 0)
			two_hart_checks(other, reset_value);
	}
	test_done();
	return 0;
}
