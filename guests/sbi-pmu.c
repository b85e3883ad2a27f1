// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-pmu: SBI Performance Monitoring Unit extension (PMU), on cycle,
 * instret and firmware counters.
 *
 * Spec points checked (no bootargs): num_counters; counter_get_info of
 * every counter is a well-formed counter_info or SBI_ERR_INVALID_PARAM,
 * one past the last is SBI_ERR_INVALID_PARAM, at least one firmware
 * counter exists; config_matching of CPU_CYCLES and INSTRUCTIONS picks
 * the counters whose CSR is cycle and instret; started they advance,
 * stopped they do not; stopped again is SBI_ERR_ALREADY_STOPPED; started
 * with an initial value they count on from it; a firmware counter of
 * SET_TIMER reads N after N set_timer calls, stops counting when
 * stopped, counts on when started again and from an initial value;
 * errors: counters out of range, an undefined event, an event nothing
 * counts, start and stop of a counter never configured, fw_read of a
 * hardware or unconfigured counter, start/stop with a snapshot flag and
 * no snapshot memory, snapshot_set_shmem not available; with a second
 * hart, a counter is local to its hart.
 *
 * bootargs "iso" (system test pmu-isolation, two containers sharing one
 * hart): counts cycles, instret and its own set_timer calls while the
 * other does the same; across every stretch it was off the hart its
 * counters moved by no more than a switch's worth, and its firmware
 * counter holds exactly its own calls. With "iso=late" it first checks
 * that no counter index is configured for it while the other container
 * has its configured, and that its stops touch nothing of the other's.
 *
 * Output: PASS lines, then "sbi-pmu done: N passed, 0 failed".
 */
#include "rt.h"
#include "sbitest.h"

#define EXT		"pmu"
#define NUM_COUNTERS	SBI_PMU_NUM_COUNTERS
#define GET_INFO	1
#define CFG_MATCH	SBI_PMU_CFG_MATCH
#define START		3
#define STOP		4
#define FW_READ		SBI_PMU_FW_READ
#define FW_READ_HI	6
#define SNAPSHOT	7

#define CFG_CLEAR_VALUE	SBI_PMU_CFG_CLEAR_VALUE
#define CFG_AUTO_START	SBI_PMU_CFG_AUTO_START
#define START_SET_INIT	1
#define START_SNAPSHOT	2
#define STOP_RESET	1
#define STOP_SNAPSHOT	2

#define EV_CYCLES	0x00001
#define EV_INSTRET	0x00002
#define EV_BUS_CYCLES	0x00007		/* defined; no counter here counts it */
#define EV_SET_TIMER	0xf0005
#define INFO_FW		(1UL << (__riscv_xlen - 1))
#define CSR_CYCLE	0xc00
#define CSR_INSTRET	0xc02
#define SPIN		20000
#define ERR_ALREADY_STARTED	-7
#define ERR_ALREADY_STOPPED	-8

static unsigned long nctr;

static struct sbiret pmu(unsigned long fid, unsigned long a0, unsigned long a1,
			 unsigned long a2, unsigned long a3, unsigned long a4)
{
	return sbi_ecall(SBI_EXT_PMU, fid, a0, a1, a2, a3, a4, 0);
}

/* The counters [0, min(nctr, XLEN)) as one mask from base 0. */
static unsigned long all_mask(void)
{
	return nctr >= __riscv_xlen ? ~0UL : (1UL << nctr) - 1;
}

static struct sbiret config(unsigned long flags, unsigned long event)
{
	return pmu(CFG_MATCH, 0, all_mask(), flags, event, 0);
}

static struct sbiret start(unsigned long idx, unsigned long flags, uint64_t val)
{
#if __riscv_xlen == 32
	return pmu(START, idx, 1, flags, (uint32_t)val, (uint32_t)(val >> 32));
#else
	return pmu(START, idx, 1, flags, val, 0);
#endif
}

static struct sbiret stop(unsigned long idx, unsigned long flags)
{
	return pmu(STOP, idx, 1, flags, 0, 0);
}

static uint64_t rdcounter(bool instret)
{
#if __riscv_xlen == 64
	unsigned long v;

	if (instret)
		asm volatile("rdinstret %0" : "=r"(v) : : "memory");
	else
		asm volatile("rdcycle %0" : "=r"(v) : : "memory");
	return v;
#else
	uint32_t hi, lo, hi2;

	do {
		if (instret) {
			asm volatile("rdinstreth %0" : "=r"(hi) : : "memory");
			asm volatile("rdinstret %0" : "=r"(lo) : : "memory");
			asm volatile("rdinstreth %0" : "=r"(hi2) : : "memory");
		} else {
			asm volatile("rdcycleh %0" : "=r"(hi) : : "memory");
			asm volatile("rdcycle %0" : "=r"(lo) : : "memory");
			asm volatile("rdcycleh %0" : "=r"(hi2) : : "memory");
		}
	} while (hi != hi2);
	return (uint64_t)hi << 32 | lo;
#endif
}

static void spin(void)
{
	for (volatile int i = 0; i < SPIN; i++)
		;
}

static void set_timers(unsigned int n)
{
	while (n--)
		sbi_set_timer(~0ULL);
}

static uint64_t fw_value(unsigned long idx)
{
	uint64_t v = (unsigned long)pmu(FW_READ, idx, 0, 0, 0, 0).value;

#if __riscv_xlen == 32
	v |= (uint64_t)pmu(FW_READ_HI, idx, 0, 0, 0, 0).value << 32;
#endif
	return v;
}

static void info_checks(void)
{
	unsigned long i, fw = 0;
	bool ok = true;
	struct sbiret ret;

	ret = pmu(NUM_COUNTERS, 0, 0, 0, 0, 0);
	nctr = ret.value;
	test_check(!ret.error && nctr > 0, EXT, "num_counters returns 0 and a count",
		   "error %ld value %lu (expected 0, > 0)", ret.error, nctr);
	for (i = 0; i < nctr; i++) {
		ret = pmu(GET_INFO, i, 0, 0, 0, 0);
		if (ret.error == SBI_ERR_INVALID_PARAM)
			continue;
		if (ret.value & INFO_FW)
			fw++;
		else if ((ret.value & 0xfff) < CSR_CYCLE || (ret.value & 0xfff) > 0xc1f ||
			 ((ret.value >> 12) & 63) > 63)
			ok = false;
		if (ret.error)
			ok = false;
	}
	test_check(ok, EXT, "get_info of every counter is a counter_info or SBI_ERR_INVALID_PARAM",
		   "not so (expected so)");
	test_check(fw > 0, EXT, "there is a firmware counter", "%lu (expected > 0)", fw);
	test_err(EXT, "get_info of counter num_counters returns SBI_ERR_INVALID_PARAM",
		 pmu(GET_INFO, nctr, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM);
}

/* Configure, start, stop one hardware counter of @event on @csr. */
static void hw_checks(const char *name, unsigned long event, unsigned long csr,
		      bool instret)
{
	char what[96];
	struct sbiret ret = config(CFG_CLEAR_VALUE | CFG_AUTO_START, event);
	unsigned long idx = ret.value;
	uint64_t a, b;

	test_snprintf(what, sizeof(what), "config_matching of %s picks the %s counter",
		      name, instret ? "instret" : "cycle");
	if (!test_check(!ret.error && (pmu(GET_INFO, idx, 0, 0, 0, 0).value & 0xfff) == csr,
			EXT, what, "error %ld counter %lu (expected 0, that counter)", ret.error, idx))
		return;
	a = rdcounter(instret);
	spin();
	b = rdcounter(instret);
	test_snprintf(what, sizeof(what), "a started %s counter advances", name);
	test_check(b > a, EXT, what, "%llu then %llu (expected more)", (unsigned long long)a,
		   (unsigned long long)b);
	test_snprintf(what, sizeof(what), "stop of the %s counter returns 0", name);
	test_ret(EXT, what, stop(idx, 0), 0);
	a = rdcounter(instret);
	spin();
	b = rdcounter(instret);
	test_snprintf(what, sizeof(what), "a stopped %s counter does not advance", name);
	test_check(a == b, EXT, what, "%llu then %llu (expected the same)", (unsigned long long)a,
		   (unsigned long long)b);
	test_snprintf(what, sizeof(what), "stop of the stopped %s counter returns SBI_ERR_ALREADY_STOPPED",
		      name);
	test_err(EXT, what, stop(idx, 0), ERR_ALREADY_STOPPED);
	test_snprintf(what, sizeof(what), "start of the %s counter with an initial value returns 0",
		      name);
	test_ret(EXT, what, start(idx, START_SET_INIT, 1000000), 0);
	a = rdcounter(instret);
	test_snprintf(what, sizeof(what), "the %s counter counts on from its initial value", name);
	test_check(a >= 1000000 && a < 1000000 + 100000000ULL, EXT, what, "%llu (expected 1000000 and a little)",
		   (unsigned long long)a);
	test_snprintf(what, sizeof(what), "fw_read of the %s counter returns SBI_ERR_INVALID_PARAM",
		      name);
	test_err(EXT, what, pmu(FW_READ, idx, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM);
	stop(idx, STOP_RESET);
}

/* A firmware counter of SET_TIMER; its index, or nctr if none. */
static unsigned long fw_checks(void)
{
	struct sbiret ret = config(CFG_CLEAR_VALUE | CFG_AUTO_START, EV_SET_TIMER);
	unsigned long idx = ret.value;

	if (!test_check(!ret.error && idx < nctr &&
			(pmu(GET_INFO, idx, 0, 0, 0, 0).value & INFO_FW), EXT,
			"config_matching of SET_TIMER picks a firmware counter",
			"error %ld counter %lu (expected 0, a firmware counter)", ret.error, idx))
		return nctr;
	set_timers(10);
	test_check(fw_value(idx) == 10, EXT, "fw_read after 10 set_timer calls returns 10",
		   "%llu (expected 10)", (unsigned long long)fw_value(idx));
#if __riscv_xlen == 32
	test_ret(EXT, "fw_read_hi of it returns 0", pmu(FW_READ_HI, idx, 0, 0, 0, 0), 0);
#endif
	test_ret(EXT, "stop of the firmware counter returns 0", stop(idx, 0), 0);
	set_timers(5);
	test_check(fw_value(idx) == 10, EXT, "a stopped firmware counter does not advance",
		   "%llu (expected 10)", (unsigned long long)fw_value(idx));
	test_err(EXT, "stop of the stopped firmware counter returns SBI_ERR_ALREADY_STOPPED",
		 stop(idx, 0), ERR_ALREADY_STOPPED);
	test_err(EXT, "start with INIT_SNAPSHOT and no snapshot memory returns SBI_ERR_NO_SHMEM",
		 start(idx, START_SNAPSHOT, 0), SBI_ERR_NO_SHMEM);
	test_ret(EXT, "start of the firmware counter returns 0", start(idx, 0, 0), 0);
	set_timers(3);
	test_check(fw_value(idx) == 13, EXT, "started again it counts on from 10",
		   "%llu (expected 13)", (unsigned long long)fw_value(idx));
	test_err(EXT, "start of the started firmware counter returns SBI_ERR_ALREADY_STARTED",
		 start(idx, 0, 0), ERR_ALREADY_STARTED);
	test_err(EXT, "stop with TAKE_SNAPSHOT and no snapshot memory returns SBI_ERR_NO_SHMEM",
		 stop(idx, STOP_SNAPSHOT), SBI_ERR_NO_SHMEM);
	stop(idx, 0);
	test_ret(EXT, "start with an initial value of 100 returns 0", start(idx, START_SET_INIT, 100), 0);
	set_timers(2);
	test_check(fw_value(idx) == 102, EXT, "it counts on from the initial value",
		   "%llu (expected 102)", (unsigned long long)fw_value(idx));
	return idx;
}

static void error_checks(void)
{
	unsigned long last = nctr - 1;

	test_err(EXT, "config_matching of counters past the last returns SBI_ERR_INVALID_PARAM",
		 pmu(CFG_MATCH, nctr, 1, 0, EV_SET_TIMER, 0), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "config_matching of an undefined event type returns SBI_ERR_INVALID_PARAM",
		 config(0, 0x40000), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "config_matching of an event no counter counts returns SBI_ERR_NOT_SUPPORTED",
		 config(0, EV_BUS_CYCLES), SBI_ERR_NOT_SUPPORTED);
	test_err(EXT, "start of a counter never configured returns SBI_ERR_INVALID_PARAM",
		 start(last, 0, 0), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "stop of a counter never configured returns SBI_ERR_INVALID_PARAM",
		 stop(last, 0), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "start of counters past the last returns SBI_ERR_INVALID_PARAM",
		 pmu(START, nctr, 1, 0, 0, 0), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "fw_read of a counter never configured returns SBI_ERR_INVALID_PARAM",
		 pmu(FW_READ, last, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "fw_read of counter num_counters returns SBI_ERR_INVALID_PARAM",
		 pmu(FW_READ, nctr, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "snapshot_set_shmem returns SBI_ERR_NOT_SUPPORTED (no snapshot)",
		 pmu(SNAPSHOT, 0x80000000UL, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED);
}

/* What the secondary found at the primary's counter index. */
static void sec_local(struct smp_slot *s)
{
	s->v[0] = (unsigned long)pmu(FW_READ, s->v[2], 0, 0, 0, 0).error;
	s->v[1] = (unsigned long)stop(s->v[2], 0).error;
	st_release(&s->v[3], 1);
}

static void local_checks(unsigned long idx, int other)
{
	struct smp_slot *s = smp_slot(other);

	s->v[2] = idx;
	if (!test_ret(EXT, "hart_start of the secondary returns 0",
		      smp_start(other, 1, sec_local), 0) ||
	    !test_check(wait_eq(&s->v[3], 1), EXT, "the secondary ran", "timeout (expected it to)"))
		return;
	test_check((long)s->v[0] == SBI_ERR_INVALID_PARAM && (long)s->v[1] == SBI_ERR_INVALID_PARAM,
		   EXT, "local: another hart has no counter at this hart's index",
		   "fw_read %ld, stop %ld (expected -3, -3)", (long)s->v[0], (long)s->v[1]);
	test_check(fw_value(idx) == 102, EXT, "this hart's counter is unchanged", "%llu (expected 102)",
		   (unsigned long long)fw_value(idx));
	hsm_wait_status(smp.id[other], HSM_STOPPED);
}

static void all_checks(void)
{
	unsigned long fw;
	int other;

	info_checks();
	if (!nctr)
		return;
	hw_checks("CPU_CYCLES", EV_CYCLES, CSR_CYCLE, false);
	hw_checks("INSTRUCTIONS", EV_INSTRET, CSR_INSTRET, true);
	fw = fw_checks();
	error_checks();
	other = smp_first_other();
	if (fw < nctr && other >= 0)
		local_checks(fw, other);
	if (fw < nctr)
		test_ret(EXT, "stop with RESET returns 0", stop(fw, STOP_RESET), 0);
	if (fw < nctr)
		test_err(EXT, "fw_read after a RESET returns SBI_ERR_INVALID_PARAM",
			 pmu(FW_READ, fw, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM);
}

/* --- isolation: two containers on one hart ------------------------------- */

#define ISO_MS		400
#define ISO_TIMERS	1000

/*
 * Counts over ISO_MS of the time CSR, reading cycle and instret at each
 * step: steps where time jumped (the vCPU was off its hart) give the
 * counters' moves while it was away, the others their rate while it ran.
 * The steps cover the whole time: a switch can land anywhere, in a
 * set_timer call too, and must fall in some step.
 */
struct iso {
	uint64_t run_ticks, away_ticks;
	uint64_t run[2], away[2];	/* cycle, instret */
	unsigned int gaps;
};

/* Returns how many set_timer calls it made: one every @every steps. */
static unsigned int iso_measure(struct iso *m, unsigned int every)
{
	uint64_t end = rdtime64() + ms_to_ticks(ISO_MS), t0 = rdtime64(), t1;
	uint64_t c0[2] = { rdcounter(false), rdcounter(true) }, c1[2];
	unsigned int step = 0, calls = 0, i;

	while ((t1 = rdtime64()) < end) {
		c1[0] = rdcounter(false);
		c1[1] = rdcounter(true);
		if (t1 - t0 > ms_to_ticks(1)) {
			m->away_ticks += t1 - t0;
			m->gaps++;
			for (i = 0; i < 2; i++)
				m->away[i] += c1[i] - c0[i];
		} else {
			m->run_ticks += t1 - t0;
			for (i = 0; i < 2; i++)
				m->run[i] += c1[i] - c0[i];
		}
		/*
		 * Each step starts where the last ended, set_timer included: a
		 * switch on its way back to the guest is a gap like any other.
		 */
		t0 = t1;
		c0[0] = c1[0];
		c0[1] = c1[1];
		if (++step % every == 0 && calls < ISO_TIMERS) {
			sbi_set_timer(~0ULL);
			calls++;
		}
	}
	return calls;
}

/* No counter index names anything here, and stopping one changes nothing. */
static void iso_late_checks(void)
{
	unsigned long i;
	bool none = true;

	busy_ms(50);
	for (i = 0; i < nctr; i++)
		none = none && pmu(FW_READ, i, 0, 0, 0, 0).error == SBI_ERR_INVALID_PARAM &&
		       stop(i, STOP_RESET).error == SBI_ERR_INVALID_PARAM;
	test_check(none, EXT, "no counter of the other container is configured or stoppable here",
		   "a counter answered (expected none)");
}

static void iso(bool late)
{
	struct iso m = { 0 };
	unsigned long cy, ir, fw;
	uint64_t n;
	unsigned int i, calls;
	bool ok;

	nctr = pmu(NUM_COUNTERS, 0, 0, 0, 0, 0).value;
	if (late)
		iso_late_checks();
	cy = config(CFG_CLEAR_VALUE | CFG_AUTO_START, EV_CYCLES).value;
	ir = config(CFG_CLEAR_VALUE | CFG_AUTO_START, EV_INSTRET).value;
	fw = config(CFG_CLEAR_VALUE | CFG_AUTO_START, EV_SET_TIMER).value;
	test_check(cy == 0 && ir == 2 && fw < nctr, EXT, "cycle, instret and SET_TIMER configured",
		   "%lu %lu %lu (expected 0 2 and a firmware counter)", cy, ir, fw);
	calls = iso_measure(&m, 16);
	n = fw_value(fw);
	test_check(m.gaps > 0 && m.away_ticks > m.run_ticks / 4, EXT,
		   "the vCPU was off its hart while it counted",
		   "%u gaps, %llu ticks away, %llu running (expected gaps)", m.gaps,
		   (unsigned long long)m.away_ticks, (unsigned long long)m.run_ticks);
	/*
	 * While away the counters may move by the switch out and back in,
	 * never at the rate they move while it runs: less than a tenth.
	 */
	for (i = 0, ok = true; i < 2; i++)
		ok = ok && m.away[i] * m.run_ticks * 10 < m.run[i] * m.away_ticks;
	test_check(ok, EXT, "cycle and instret do not count while the vCPU is off its hart",
		   "away %llu/%llu over %llu ticks, running %llu/%llu over %llu (expected under a tenth of the rate)",
		   (unsigned long long)m.away[0], (unsigned long long)m.away[1],
		   (unsigned long long)m.away_ticks, (unsigned long long)m.run[0],
		   (unsigned long long)m.run[1], (unsigned long long)m.run_ticks);
	test_check(calls > 0 && n == calls, EXT,
		   "the firmware counter holds this vCPU's own set_timer calls only",
		   "%llu (expected %u)", (unsigned long long)n, calls);
	test_ret(EXT, "its counters are still its own: stop of cycle returns 0", stop(cy, 0), 0);
}

int main(unsigned long hartid, const void *dtb)
{
	const char *args;
	struct fdt fdt;

	test_begin("sbi-pmu");
	guest_fdt(&fdt, dtb);
	if (!test_cpus_usable(EXT, smp_init(&fdt, hartid)))
		return 0;
	args = guest_bootargs(&fdt);
	if (test_probe(EXT, "PMU", SBI_EXT_PMU)) {
		if (bootarg_flag(args, "iso"))
			iso(false);
		else if (bootarg_flag(args, "iso-late"))
			iso(true);
		else
			all_checks();
	}
	test_done();
	return 0;
}
