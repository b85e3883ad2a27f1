// SPDX-License-Identifier: BSD-2-Clause
/*
 * smp: every hart in /cpus at once, through HSM (chapter 9), IPI
 * (chapter 7), RFENCE (chapter 8) and TIME (chapter 6).
 *
 * The boot hart starts every other enabled hart in /cpus (device tree
 * order) with hart_start; all harts, the boot hart included, then run
 * the same phases, separated by barriers:
 *
 *   1. an IPI ring: hart k sends to hart k+1 (/cpus order, wrapping),
 *      the boot hart starts the token; 10 rounds, IPIs taken as
 *      interrupts;
 *   2. remote_fence_i and remote_sfence_vma to all harts (-1 base);
 *   3. a checksum over 1..1000000 mixed with the hart id;
 *   4. a timer 5 ms * (k + 1) out, polled on sip.STIP (STIE off),
 *      which must not be pending before time reaches the deadline.
 *
 * Harts never print; each leaves its results in its slot and the boot
 * hart prints every line after the last barrier, in /cpus order, so
 * the output does not depend on timing or on which hart booted. Then
 * (two or more harts) the first hart in /cpus other than the boot hart,
 * which like every secondary ended with hart_stop, must be STOPPED, is
 * started again and checks in with a new opaque and a new checksum.
 * Every wait is bounded; one that runs out is a FAIL, not a hang.
 *
 * Hart count rule: the per-hart lines appear once per enabled hart in
 * /cpus (so their number follows the hart count); the stop/restart
 * lines need a second hart and print nothing with one. Output for
 * harts 0..3 (QEMU -smp 4), in order:
 *
 *	PASS smp: hart 0 running          (and 1, 2, 3; a secondary:
 *	                                    hart_start returned 0 and it
 *	                                    arrived with a0 = its id,
 *	                                    a1 = opaque)
 *	PASS smp: hart 0 ring: 10 IPIs taken, its sends returned 0    (x4)
 *	PASS smp: hart 0 remote_fence_i and remote_sfence_vma to all returned 0  (x4)
 *	PASS smp: hart 0 checksum 0x........                          (x4)
 *	PASS smp: hart 0 STIP not before its deadline (5 ms)          (x4;
 *	                                    hart k in /cpus order: 5*(k+1) ms)
 *	PASS smp: no hart timed out, no bad arrival or interrupt
 *	PASS smp: a secondary is STOPPED after its hart_stop
 *	PASS smp: the stopped secondary restarts with hart_start and checks in
 *	smp done: 23 passed, 0 failed     (with one hart: 6 passed)
 */
#include "rt.h"
#include "sbitest.h"

#define EXT		"smp"
#define ROUNDS		10
#define SUM_N		1000000u
#define TIMER_STEP_MS	5

/* Per-hart results in slot->v[] */
#define V_GOT		0	/* ring IPIs taken */
#define V_SEND_ERR	1	/* first non-zero send_ipi error */
#define V_FENCE_I	2	/* remote_fence_i(all) error */
#define V_SFENCE	3	/* remote_sfence_vma(all) error */
#define V_SUM		4
#define V_TIMER_OK	5	/* STIP came, not before the deadline */
#define V_SEEN_LO	6
#define V_SEEN_HI	7
#define V_DL_LO		8
#define V_DL_HI		9
#define V_TIMEOUT	10
#define V_BAD_IRQ	11
#define V_STARTED	12	/* boot hart: hart_start error + 1000 */
#define V_SUM2		13	/* after the restart */
#define V_DONE2		14

#define TAG_FIRST	1
#define TAG_RESTART	2

static struct smp_barrier bar;

static uint32_t checksum(unsigned long hartid)
{
	uint32_t h = (uint32_t)hartid, sum = 0x811c9dc5u ^ (h * 0x9e3779b9u);
	uint32_t i;

	for (i = 1; i <= SUM_N; i++)
		sum = ((sum ^ i) * 16777619u) + h;
	return sum;
}

static void ipi_irq(unsigned long code)
{
	struct smp_slot *s = smp_this();

	if (code == IRQ_S_SOFT) {
		csr_clear(sip, SIP_SSIP);
		__atomic_fetch_add(&s->v[V_GOT], 1, __ATOMIC_RELEASE);
	} else {
		s->v[V_BAD_IRQ] = code + 1;
		csr_write(sie, 0);
	}
}

static void barrier(struct smp_slot *s)
{
	if (!smp_barrier_wait(&bar, smp.n))
		s->v[V_TIMEOUT]++;
}

static void ring(struct smp_slot *s)
{
	unsigned long next = smp.id[(s->idx + 1) % smp.n], r;
	bool starter = (int)s->idx == smp.self;
	struct sbiret ret;

	for (r = 1; r <= ROUNDS; r++) {
		if (!starter && !wait_ge(&s->v[V_GOT], r)) {
			s->v[V_TIMEOUT]++;
			return;
		}
		ret = sbi_send_ipi(1, next);
		if (ret.error && !s->v[V_SEND_ERR])
			s->v[V_SEND_ERR] = (unsigned long)ret.error;
		if (starter && !wait_ge(&s->v[V_GOT], r)) {
			s->v[V_TIMEOUT]++;
			return;
		}
	}
}

static void timer(struct smp_slot *s)
{
	uint64_t deadline, t = 0;
	unsigned long i;
	bool came = false;

	deadline = rdtime64() + ms_to_ticks(TIMER_STEP_MS * (s->idx + 1));
	sbi_set_timer(deadline);
	for (i = 0; i < SPIN_LIMIT && !came; i++) {
		came = csr_read(sip) & SIP_STIP;
		t = rdtime64();
	}
	sbi_set_timer(~0ULL);
	s->v[V_DL_LO] = (uint32_t)deadline;
	s->v[V_DL_HI] = (uint32_t)(deadline >> 32);
	s->v[V_SEEN_LO] = (uint32_t)t;
	s->v[V_SEEN_HI] = (uint32_t)(t >> 32);
	s->v[V_TIMER_OK] = came && t >= deadline;
	if (!came)
		s->v[V_TIMEOUT]++;
}

/* What every hart does, the boot hart included. */
static void hart_work(struct smp_slot *s)
{
	csr_clear(sip, SIP_SSIP);
	csr_write(sie, SIP_SSIP);
	irq_enable();
	barrier(s);

	ring(s);
	barrier(s);

	s->v[V_FENCE_I] = (unsigned long)sbi_rfence(SBI_RFENCE_FENCE_I, 0,
						     SBI_HART_MASK_ALL, 0, 0, 0).error;
	s->v[V_SFENCE] = (unsigned long)sbi_rfence(SBI_RFENCE_SFENCE_VMA, 0,
						    SBI_HART_MASK_ALL, 0, 0, 0).error;
	s->v[V_SUM] = checksum(s->hartid);
	timer(s);

	irq_disable();
	csr_write(sie, 0);
	barrier(s);
}

static void restarted(struct smp_slot *s)
{
	s->v[V_SUM2] = checksum(s->hartid);
	st_release(&s->v[V_DONE2], 1);
}

static void secondary(struct smp_slot *s)
{
	hart_work(s);
}

/* All per-hart lines, phase by phase, in /cpus order. */
static void report(void)
{
	char what[TEST_LINE];
	struct smp_slot *s;
	unsigned long id;
	uint64_t dl, seen;
	int i;

	for (i = 0; i < smp.n; i++) {
		s = smp_slot(i);
		id = smp.id[i];
		test_snprintf(what, sizeof(what), "hart %lu running", id);
		if (i == smp.self)
			test_check(s->v[V_STARTED] == 1000 + HSM_STARTED, EXT,
				   what, "hart_get_status %ld (expected %d)",
				   (long)s->v[V_STARTED] - 1000, HSM_STARTED);
		else
			test_check(s->v[V_STARTED] == 1000 &&
				   s->arrivals == 1 && s->a0 == id &&
				   s->a1 == smp_opaque(i, TAG_FIRST), EXT, what,
				   "hart_start error %ld, %lu arrivals, a0 0x%lx a1 0x%lx (expected 0, 1, 0x%lx, 0x%lx)",
				   (long)s->v[V_STARTED] - 1000, s->arrivals,
				   s->a0, s->a1, id, smp_opaque(i, TAG_FIRST));
	}
	for (i = 0; i < smp.n; i++) {
		s = smp_slot(i);
		test_snprintf(what, sizeof(what),
			      "hart %lu ring: %u IPIs taken, its sends returned 0",
			      smp.id[i], ROUNDS);
		test_check(s->v[V_GOT] == ROUNDS && !s->v[V_SEND_ERR], EXT,
			   what, "%lu IPIs, send error %ld (expected %u, 0)",
			   s->v[V_GOT], (long)s->v[V_SEND_ERR], ROUNDS);
	}
	for (i = 0; i < smp.n; i++) {
		s = smp_slot(i);
		test_snprintf(what, sizeof(what),
			      "hart %lu remote_fence_i and remote_sfence_vma to all returned 0",
			      smp.id[i]);
		test_check(!s->v[V_FENCE_I] && !s->v[V_SFENCE], EXT, what,
			   "errors %ld, %ld (expected 0, 0)",
			   (long)s->v[V_FENCE_I], (long)s->v[V_SFENCE]);
	}
	for (i = 0; i < smp.n; i++) {
		s = smp_slot(i);
		id = smp.id[i];
		test_snprintf(what, sizeof(what), "hart %lu checksum 0x%08x",
			      id, checksum(id));
		test_check(s->v[V_SUM] == checksum(id), EXT, what,
			   "0x%08lx (expected 0x%08x)", s->v[V_SUM],
			   checksum(id));
	}
	for (i = 0; i < smp.n; i++) {
		s = smp_slot(i);
		dl = (uint64_t)s->v[V_DL_HI] << 32 | (uint32_t)s->v[V_DL_LO];
		seen = (uint64_t)s->v[V_SEEN_HI] << 32 |
		       (uint32_t)s->v[V_SEEN_LO];
		test_snprintf(what, sizeof(what),
			      "hart %lu STIP not before its deadline (%u ms)",
			      smp.id[i], TIMER_STEP_MS * (i + 1));
		test_check(s->v[V_TIMER_OK], EXT, what,
			   "STIP at time 0x%llx (expected pending at >= 0x%llx)",
			   (unsigned long long)seen, (unsigned long long)dl);
	}
}

/* No timeouts, bad arrivals or stray interrupts on any hart. */
static void report_clean(void)
{
	unsigned long a0 = 0, a1 = 0, bad, timeouts = 0, irqs = 0;
	int i;

	for (i = 0; i < smp.n; i++) {
		timeouts += smp_slot(i)->v[V_TIMEOUT];
		if (smp_slot(i)->v[V_BAD_IRQ])
			irqs++;
	}
	bad = smp_bad_arrival(&a0, &a1);
	test_check(!timeouts && !bad && !irqs, EXT,
		   "no hart timed out, no bad arrival or interrupt",
		   "%lu timeouts, %lu bad arrivals (a1 0x%lx), %lu harts with other interrupts (expected 0, 0, 0)",
		   timeouts, bad, a1, irqs);
}

static void stop_restart(int v)
{
	struct smp_slot *s = smp_slot(v);
	unsigned long id = smp.id[v];
	struct sbiret ret;
	long st;
	bool ok;

	st = hsm_wait_status(id, HSM_STOPPED);
	if (!test_check(st == HSM_STOPPED, EXT,
			"a secondary is STOPPED after its hart_stop",
			"status %ld (expected %d)", st, HSM_STOPPED))
		return;

	ret = smp_start(v, TAG_RESTART, restarted);
	ok = ret.error == 0 && smp_wait_arrivals(s, 2) &&
	     wait_ge(&s->v[V_DONE2], 1);
	test_check(ok && s->a0 == id && s->a1 == smp_opaque(v, TAG_RESTART) &&
		   s->v[V_SUM2] == checksum(id), EXT,
		   "the stopped secondary restarts with hart_start and checks in",
		   "error %ld, %lu arrivals, a0 0x%lx a1 0x%lx, checksum 0x%08lx (expected 0, 2, 0x%lx, 0x%lx, 0x%08x)",
		   ret.error, ld_acquire(&s->arrivals), s->a0, s->a1,
		   s->v[V_SUM2], id, smp_opaque(v, TAG_RESTART), checksum(id));
}

int main(unsigned long hartid, const void *dtb)
{
	struct smp_slot *me;
	struct fdt fdt;
	struct sbiret ret;
	bool all = true;
	int i;

	test_begin("smp");
	guest_fdt(&fdt, dtb);
	if (!test_cpus_usable(EXT, smp_init(&fdt, hartid)))
		return 0;
	irq_disable();
	csr_write(sie, 0);
	sbi_set_timer(~0ULL);
	irq_set_handler(ipi_irq);

	me = smp_slot(smp.self);
	ret = sbi_hart_get_status(hartid);
	me->v[V_STARTED] = 1000 + (unsigned long)(ret.error ? ret.error : ret.value);

	for (i = 0; i < smp.n; i++) {
		if (i == smp.self)
			continue;
		ret = smp_start(i, TAG_FIRST, secondary);
		smp_slot(i)->v[V_STARTED] = 1000 + (unsigned long)ret.error;
		all = all && !ret.error;
	}
	for (i = 0; i < smp.n && all; i++) {
		if (i != smp.self)
			all = smp_wait_arrivals(smp_slot(i), 1);
	}

	/* With a hart missing the barriers could only time out. */
	if (all)
		hart_work(me);
	report();
	report_clean();
	if (smp.n >= 2 && all)
		stop_restart(smp_first_other());
	test_done();
	return 0;
}
