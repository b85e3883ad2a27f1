// SPDX-License-Identifier: BSD-2-Clause
/*
 * Run queues, hart choice and time slices (hyp/sched.c).
 */
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/error.h>
#include <hyp/manifest.h>
#include <hyp/vsbi.h>
#include <hyp/sched.h>
#include <hyp/ticks.h>
#include <hyp/vcpu.h>
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define NV	6

static struct manifest_ctr spec;
static struct container *ctr;
static struct vcpu v[NV];

/* One running container whose vCPUs are all stopped, on no hart yet. */
/* What a hart's timer holds with nothing due: the console poll, if it polls. */
static u64 idle_timer(void)
{
	return console_is_poll_hart(fake.hart) ? console_poll_deadline(fake.now) : ~0ULL;
}

static void setup(void)
{
	memset(&spec, 0, sizeof(spec));
	memcpy(spec.name, "s", 2);
	spec.vcpus = NV;
	spec.restart = RESTART_NEVER;
	ctr = &hyp_containers[0];
	ctr->spec = &spec;
	ctr->nr_vcpus = NV;
	ctr->vcpus = v;
	ctr->state = CTR_RUNNING;
	hyp_nr_containers = 1;
	fixture_vcpus(ctr, v, NV);
	fixture_harts();
}

static void wake(struct vcpu *x)
{
	fixture_sync_idle();
	hyp_lock(&sched_lock);
	sched_wake_locked(x);
	hyp_unlock(&sched_lock);
}

static void dequeue(struct vcpu *x)
{
	hyp_lock(&sched_lock);
	sched_dequeue_locked(x);
	hyp_unlock(&sched_lock);
}

/* Hart @h's queue is exactly @want[0..n), head to tail. */
static bool queue_is(unsigned int h, struct vcpu *const *want, unsigned int n)
{
	const struct hart *hh = &hyp_harts[h];
	const struct vcpu *p = hh->rq_head;
	unsigned int i;

	for (i = 0; i < n; i++, p = p->rq_next)
		if (p != want[i])
			return false;
	return !p && hh->queued == n &&
	       hh->rq_tail == (n ? want[n - 1] : NULL);
}

/*
 * A vCPU that never ran goes to the least loaded shared hart (its first
 * placement spreads an SMP guest out); one that ran goes back to its
 * hart if that is free, else to an idle hart, else to its hart anyway:
 * no hart is looked at then.
 */
static void wake_first_spreads_then_stays(void)
{
	setup();
	fake.hart = 1;
	hyp_harts[0].current = &v[5];
	hyp_harts[1].current = &v[4];
	hyp_harts[2].current = &v[3];
	wake(&v[0]);
	EXPECT_EQ(v[0].hart, 3);
	EXPECT_EQ(v[0].state, VCPU_RUNNABLE);
	/* All at load 1: the lowest index, then the next. */
	wake(&v[1]);
	EXPECT_EQ(v[1].hart, 0);
	wake(&v[2]);
	EXPECT_EQ(v[2].hart, 1);
	EXPECT_EQ(fake.kicks[3], 1);
	EXPECT_EQ(fake.kicks[0], 1);
	EXPECT_EQ(fake.kicks[1], 0);

	/* Ran on hart 2 before, which is busy, and nobody idles: back to 2. */
	setup();
	hyp_harts[0].current = &v[5];
	hyp_harts[1].current = &v[4];
	hyp_harts[2].current = &v[3];
	hyp_harts[3].current = &v[2];
	v[0].hart = 2;
	wake(&v[0]);
	EXPECT_EQ(v[0].hart, 2);
	EXPECT_EQ(hyp_harts[2].queued, 1);
}

/*
 * The idle set is the harts' own doing: a hart that finds nothing in
 * sched_next marks itself, a wake onto it unmarks it, and pinned harts
 * never count as idle for other containers' vCPUs.
 */
static struct container *pinnable(unsigned int i, unsigned int n);

static void idle_set_kept_by_harts(void)
{
	setup();
	sched_idle_harts = 0;
	fake.hart = 2;
	EXPECT_EQ(FAKE_RUN(sched_next()), FAKE_IDLE);
	EXPECT_EQ(sched_idle_harts, 1ULL << 2);
	/* v0 last ran on hart 1, which is busy: the idle hart 2 takes it. */
	hyp_harts[1].current = &v[5];
	v[0].hart = 1;
	fake.hart = 0;
	hyp_lock(&sched_lock);
	sched_wake_locked(&v[0]);
	hyp_unlock(&sched_lock);
	EXPECT_EQ(v[0].hart, 2);
	EXPECT_EQ(sched_idle_harts, 0);
	/* With its queued vCPU taken, the hart is busy, not idle. */
	fake.hart = 2;
	EXPECT_EQ(FAKE_RUN(sched_next()), FAKE_RETURNED);
	EXPECT_EQ(sched_idle_harts, 0);
	/* A pinned hart idles without offering itself. */
	setup();
	sched_idle_harts = 0;
	ASSERT_EQ(sched_pin(pinnable(0, 1)), 0);
	fake.hart = 0;
	EXPECT_EQ(FAKE_RUN(sched_next()), FAKE_IDLE);
	EXPECT_EQ(sched_idle_harts, 0);
}

/* Harts that cannot run guests are never chosen, however idle. */
static void wake_skips_non_guest_harts(void)
{
	struct vcpu *q[] = { &v[0], &v[1] };

	setup();
	fake.guest_harts = 1U << 2;
	hyp_harts[2].current = &v[5];
	wake(&v[0]);
	wake(&v[1]);
	EXPECT_EQ(v[0].hart, 2);
	EXPECT_EQ(v[1].hart, 2);
	EXPECT(queue_is(2, q, 2));
	EXPECT(queue_is(0, NULL, 0));
}

/* Other harts are kicked (if started); the waking hart is not. */
static void wake_kicks_other_harts(void)
{
	setup();
	fake.hart = 0;
	fake.guest_harts = 1U << 0;
	wake(&v[0]);
	EXPECT_EQ(fake.kicks[0], 0);
	EXPECT_EQ(hyp_harts[0].mailbox, 0);

	setup();
	fake.hart = 0;
	fake.guest_harts = 1U << 3;
	wake(&v[0]);
	EXPECT_EQ(fake.kicks[3], 1);
	EXPECT_EQ(hyp_harts[3].mailbox, HART_MSG_RESCHED);

	/* Not started yet: a message waits, no IPI. */
	setup();
	memset(fake.kicks, 0, sizeof(fake.kicks));
	hyp_harts[3].mailbox = 0;
	hyp_harts[3].started = false;
	fake.guest_harts = 1U << 3;
	wake(&v[1]);
	EXPECT_EQ(fake.kicks[3], 0);
	EXPECT_EQ(hyp_harts[3].mailbox, HART_MSG_RESCHED);
}

/* On a tie a vCPU stays on the hart it last ran on. */
static void wake_stays_on_tie(void)
{
	setup();
	v[0].hart = 2;
	wake(&v[0]);
	EXPECT_EQ(v[0].hart, 2);
	v[1].hart = 3;
	hyp_harts[3].current = &v[5];
	wake(&v[1]);
	EXPECT_EQ(v[1].hart, 0);
}

static void queue_on_hart1(unsigned int n)
{
	unsigned int i;

	setup();
	fake.guest_harts = 1U << 1;
	for (i = 0; i < n; i++)
		wake(&v[i]);
}

static void dequeue_middle(void)
{
	struct vcpu *q[] = { &v[0], &v[2], &v[3] };
	struct vcpu *q2[] = { &v[0], &v[2], &v[3], &v[1] };

	queue_on_hart1(4);
	dequeue(&v[1]);
	EXPECT(queue_is(1, q, 3));
	EXPECT(v[1].rq_next == NULL);
	wake(&v[1]);
	EXPECT(queue_is(1, q2, 4));
}

static void dequeue_tail(void)
{
	struct vcpu *q[] = { &v[0], &v[1] };
	struct vcpu *q2[] = { &v[0], &v[1], &v[4] };

	queue_on_hart1(3);
	dequeue(&v[2]);
	EXPECT(queue_is(1, q, 2));
	wake(&v[4]);
	EXPECT(queue_is(1, q2, 3));
}

static void dequeue_head_and_only(void)
{
	struct vcpu *q[] = { &v[1] };
	struct vcpu *q2[] = { &v[3] };

	queue_on_hart1(2);
	dequeue(&v[0]);
	EXPECT(queue_is(1, q, 1));
	dequeue(&v[1]);
	EXPECT(queue_is(1, NULL, 0));
	wake(&v[3]);
	EXPECT(queue_is(1, q2, 1));
}

/* A vCPU not on the queue: nothing changes. */
static void dequeue_absent(void)
{
	struct vcpu *q[] = { &v[0], &v[1] };

	queue_on_hart1(2);
	v[4].hart = 1;
	dequeue(&v[4]);
	EXPECT(queue_is(1, q, 2));
}

static void arm_timer_slices_only_when_shared(void)
{
	setup();
	fake.hart = 2;
	fake.now = 5000;
	hyp_harts[2].current = &v[0];
	sched_arm_timer();
	EXPECT_EQ(fake.timer, ~0ULL);
	EXPECT_EQ(hyp_harts[2].slice_end, ~0ULL);
	hyp_harts[2].queued = 1;
	sched_arm_timer();
	EXPECT_EQ(fake.timer, 5000 + fake.freq * HYP_SLICE_US / 1000000);
	EXPECT_EQ(hyp_harts[2].slice_end, fake.timer);
	/* Nothing running: no slice, whatever is queued. */
	hyp_harts[2].current = NULL;
	sched_arm_timer();
	EXPECT_EQ(fake.timer, ~0ULL);
	EXPECT_EQ(hyp_harts[2].slice_end, ~0ULL);
}

static void arm_timer_guest_deadline(void)
{
	setup();
	fake.now = 100;
	hyp_harts[0].current = &v[0];
	v[0].timer = 700;
	sched_arm_timer();
	EXPECT_EQ(fake.timer, 700);
	hyp_harts[0].queued = 2;
	sched_arm_timer();
	EXPECT_EQ(fake.timer, 700);
	v[0].timer = 1ULL << 40;
	sched_arm_timer();
	EXPECT_EQ(fake.timer, hyp_harts[0].slice_end);
	/* With Sstc the guest's deadline is its own stimecmp. */
	fake.sstc = true;
	v[0].timer = 700;
	hyp_harts[0].queued = 0;
	sched_arm_timer();
	EXPECT_EQ(fake.timer, idle_timer());
}

static void next_runs_queued(void)
{
	struct hyp_frame *volatile f = NULL;
	int how;

	queue_on_hart1(2);
	fake.hart = 1;
	how = FAKE_RUN(f = sched_next());
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT(f == &v[0].frame);
	EXPECT(hyp_harts[1].current == &v[0]);
	EXPECT_EQ(v[0].state, VCPU_RUNNING);
	EXPECT(fake.last_loaded == &v[0]);
	EXPECT(fake.guest_frame == &v[0].frame);
	EXPECT_EQ(hyp_harts[1].queued, 1);
	/* v1 waits: a slice is armed. */
	EXPECT_NE(fake.timer, ~0ULL);
}

static void next_idles_when_empty(void)
{
	int how;

	setup();
	how = FAKE_RUN(sched_next());
	EXPECT_EQ(how, FAKE_IDLE);
	EXPECT_EQ(fake.idles, 1);
	EXPECT_EQ(fake.timer, idle_timer());
}

/* The slice ends: the current vCPU goes to the back, the next runs. */
static void timer_preempts(void)
{
	struct vcpu *q[] = { &v[2], &v[0] };
	struct hyp_frame *volatile f = NULL;
	int how;

	queue_on_hart1(3);
	fake.hart = 1;
	ASSERT(FAKE_RUN(f = sched_next()) == FAKE_RETURNED);
	fake.now = hyp_harts[1].slice_end - 1;
	how = FAKE_RUN(f = sched_timer(f));
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT(f == &v[0].frame);
	fake.now = hyp_harts[1].slice_end;
	how = FAKE_RUN(f = sched_timer(f));
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT(f == &v[1].frame);
	EXPECT(fake.last_saved == &v[0]);
	EXPECT(fake.last_loaded == &v[1]);
	EXPECT_EQ(v[0].state, VCPU_RUNNABLE);
	EXPECT(queue_is(1, q, 2));
}

/*
 * A slice ends when it started plus HYP_SLICE_US, whatever happens in it:
 * neither a guest that sets its timer over and over (the M-mode timer is
 * re-armed each time without Sstc) nor kicks from other harts may push
 * the end back, or a vCPU could keep the others on its hart waiting.
 */
static void slice_end_is_fixed(void)
{
	struct hyp_frame *volatile f = NULL;
	u64 end;
	volatile int i;

	queue_on_hart1(2);
	fake.hart = 1;
	ASSERT(FAKE_RUN(f = sched_next()) == FAKE_RETURNED);
	ASSERT(f == &v[0].frame);
	end = hyp_harts[1].slice_end;
	for (i = 0; i < 50 && fake.now < end; i++) {
		fake.now += 1000;
		vsbi_set_timer(&v[0], fake.now + 5000);
		ASSERT(FAKE_RUN(f = sched_mailbox(f)) == FAKE_RETURNED);
		EXPECT(f == &v[0].frame);
		EXPECT_EQ(hyp_harts[1].slice_end, end);
	}
	fake.now = end;
	ASSERT(FAKE_RUN(f = sched_timer(f)) == FAKE_RETURNED);
	EXPECT(f == &v[1].frame);
	/* The next vCPU gets a whole slice of its own. */
	EXPECT_EQ(hyp_harts[1].slice_end, end + hyp_ticks.slice);
}

/* Without Sstc a due guest deadline raises its STIP. */
static void timer_guest_deadline(void)
{
	struct hyp_frame *volatile f = NULL;

	queue_on_hart1(1);
	fake.hart = 1;
	ASSERT(FAKE_RUN(f = sched_next()) == FAKE_RETURNED);
	v[0].timer = 50;
	fake.now = 49;
	ASSERT(FAKE_RUN(f = sched_timer(f)) == FAKE_RETURNED);
	EXPECT(!fake.stip);
	EXPECT_EQ(fake.timer, 50);
	fake.now = 50;
	ASSERT(FAKE_RUN(f = sched_timer(f)) == FAKE_RETURNED);
	EXPECT(fake.stip);
	EXPECT_EQ(v[0].timer, ~0ULL);
	EXPECT_EQ(fake.timer, idle_timer());
	EXPECT(f == &v[0].frame);
}

/* Stopping a container kicks the harts its vCPUs run on. */
static void stop_kicks_running(void)
{
	bool done;

	setup();
	fake.hart = 0;
	fake.guest_harts = 1U << 2;
	wake(&v[0]);
	v[1].state = VCPU_RUNNING;
	v[1].hart = 3;
	hyp_harts[3].current = &v[1];
	ctr->active_vcpus = 2;
	hyp_lock(&sched_lock);
	done = container_stop_locked(ctr, CTR_STOP_OPERATOR);
	hyp_unlock(&sched_lock);
	EXPECT(!done);
	EXPECT_EQ(ctr->state, CTR_STOPPING);
	EXPECT_EQ(ctr->active_vcpus, 1);
	EXPECT_EQ(v[0].state, VCPU_STOPPED);
	EXPECT(queue_is(2, NULL, 0));
	EXPECT_EQ(fake.kicks[3], 1);
	/* A second stop is refused. */
	hyp_lock(&sched_lock);
	EXPECT(!container_stop_locked(ctr, CTR_STOP_OPERATOR));
	hyp_unlock(&sched_lock);
}

/* --- pinning ------------------------------------------------------------ */

static struct container pinned_ctr[2];
static struct vcpu pinned_v[2][4];

static struct container *pinnable(unsigned int i, unsigned int n)
{
	struct container *c = &pinned_ctr[i];
	unsigned int k;

	memset(c, 0, sizeof(*c));
	memset(pinned_v[i], 0, sizeof(pinned_v[i]));
	c->nr_vcpus = n;
	c->vcpus = pinned_v[i];
	for (k = 0; k < n; k++) {
		pinned_v[i][k].ctr = c;
		pinned_v[i][k].hart = -1;
		pinned_v[i][k].pin_hart = -1;
	}
	return c;
}

static void pin_dedicates_harts(void)
{
	struct container *a;

	setup();
	a = pinnable(0, 2);
	ASSERT_EQ(sched_pin(a), 0);
	EXPECT_EQ(pinned_v[0][0].pin_hart, 0);
	EXPECT_EQ(pinned_v[0][1].pin_hart, 1);
	EXPECT(hyp_harts[0].pinned == a && hyp_harts[1].pinned == a);
	EXPECT(hyp_harts[2].pinned == NULL && hyp_harts[3].pinned == NULL);
	/* Pinned vCPUs go to their own hart, the rest never there. */
	fake.hart = 3;
	wake(&pinned_v[0][1]);
	EXPECT_EQ(pinned_v[0][1].hart, 1);
	wake(&v[0]);
	wake(&v[1]);
	wake(&v[2]);
	EXPECT(v[0].hart >= 2 && v[1].hart >= 2 && v[2].hart >= 2);
}

/* One hart always stays shared, whoever asks. */
static void pin_keeps_a_shared_hart(void)
{
	setup();
	EXPECT_EQ(sched_pin(pinnable(0, 4)), HYP_ENOMEM);
	EXPECT(hyp_harts[0].pinned == NULL);
	ASSERT_EQ(sched_pin(pinnable(0, 2)), 0);
	EXPECT_EQ(sched_pin(pinnable(1, 2)), HYP_ENOMEM);
	EXPECT(hyp_harts[3].pinned == NULL);
	EXPECT_EQ(pinned_v[1][0].pin_hart, -1);
	EXPECT_EQ(sched_pin(pinnable(1, 1)), 0);
	EXPECT_EQ(pinned_v[1][0].pin_hart, 2);
}

/* Hart 0 runs no guests: three of the four others may be pinned. */
static void pin_counts_guest_harts_only(void)
{
	setup();
	fake.harts = 5;
	fake.guest_harts = 0x1e;
	EXPECT_EQ(sched_pin(pinnable(0, 4)), HYP_ENOMEM);
	ASSERT_EQ(sched_pin(pinnable(0, 3)), 0);
	EXPECT_EQ(pinned_v[0][0].pin_hart, 1);
	EXPECT_EQ(pinned_v[0][2].pin_hart, 3);
	EXPECT(hyp_harts[4].pinned == NULL);
}

/* --- steal time (SBI STA) ------------------------------------------------ */

#define STA_MEM		(FAKE_MEM_BASE + 0x1000)

static u32 sta_u32(unsigned int off)
{
	u32 x;

	memcpy(&x, (u8 *)hal_phys(STA_MEM) + off, sizeof(x));
	return x;
}

static u64 sta_steal(void)
{
	u64 x;

	memcpy(&x, (u8 *)hal_phys(STA_MEM) + 8, sizeof(x));
	return x;
}

/*
 * Time queued is stolen: a vCPU that waited a slice behind another finds
 * that slice, in nanoseconds, in its shared memory when it runs, with
 * an even sequence and preempted clear; a preempted vCPU is marked.
 */
static void steal_time_recorded(void)
{
	struct hyp_frame *volatile f = NULL;
	u64 t0;

	queue_on_hart1(2);
	v[1].sta_shmem = STA_MEM;
	memset(hal_phys(STA_MEM), 0, 64);
	fake.hart = 1;
	t0 = fake.now;
	ASSERT(FAKE_RUN(f = sched_next()) == FAKE_RETURNED);
	ASSERT(f == &v[0].frame);
	EXPECT_EQ(sta_u32(0), 0);		/* v1 has not run: nothing written */
	fake.now = hyp_harts[1].slice_end;
	ASSERT(FAKE_RUN(f = sched_timer(f)) == FAKE_RETURNED);
	ASSERT(f == &v[1].frame);
	EXPECT_EQ(v[1].sta_steal, fake.now - t0);
	EXPECT_EQ(sta_steal(), (fake.now - t0) * 1000000000ULL / fake.freq);
	EXPECT_EQ(sta_u32(0), 2);
	EXPECT_EQ(((u8 *)hal_phys(STA_MEM))[16], 0);
	/* Its turn ends: marked preempted, and its wait counts again. */
	fake.now = hyp_harts[1].slice_end;
	ASSERT(FAKE_RUN(f = sched_timer(f)) == FAKE_RETURNED);
	ASSERT(f == &v[0].frame);
	EXPECT_EQ(((u8 *)hal_phys(STA_MEM))[16], 1);
	t0 = fake.now;
	fake.now = hyp_harts[1].slice_end;
	ASSERT(FAKE_RUN(f = sched_timer(f)) == FAKE_RETURNED);
	ASSERT(f == &v[1].frame);
	EXPECT_EQ(sta_u32(0), 4);
	EXPECT_EQ(((u8 *)hal_phys(STA_MEM))[16], 0);
	EXPECT_EQ(sta_steal(), hyp_ticks_to_ns(v[1].sta_steal));
	EXPECT_EQ(v[1].sta_steal, 2 * hyp_ticks.slice);
	(void)t0;
}

/* Time blocked in WFI is idle, not stolen; a vCPU without memory gets none. */
static void steal_time_not_idle(void)
{
	struct hyp_frame *volatile f = NULL;

	queue_on_hart1(1);
	v[0].sta_shmem = STA_MEM;
	memset(hal_phys(STA_MEM), 0, 64);
	fake.hart = 1;
	ASSERT(FAKE_RUN(f = sched_next()) == FAKE_RETURNED);
	EXPECT_EQ(v[0].sta_steal, 0);
	ASSERT(sched_block(&v[0], BLOCK_WFI));
	fake.now += 5000000;
	hyp_lock(&sched_lock);
	sched_wake_locked(&v[0]);
	hyp_unlock(&sched_lock);
	fake.now += 7;
	ASSERT(FAKE_RUN(f = sched_next()) == FAKE_RETURNED);
	EXPECT(f == &v[0].frame);
	EXPECT_EQ(v[0].sta_steal, 7);
	EXPECT_EQ(sta_steal(), 700);
	EXPECT_EQ(v[1].sta_steal, 0);
}

/* Whole seconds and the rest: no overflow after a long uptime. */
static void ticks_to_ns_long_uptime(void)
{
	EXPECT_EQ(hyp_ticks_to_ns(fake.freq), 1000000000ULL);
	EXPECT_EQ(hyp_ticks_to_ns(3), 300);
	/* A year at 10 MHz: ticks * 10^9 would overflow 64 bits. */
	EXPECT_EQ(hyp_ticks_to_ns(365ULL * 86400 * fake.freq + 1),
		  365ULL * 86400 * 1000000000ULL + 100);
}

/* --- stealing and blocking ---------------------------------------------- */

/* An idle hart takes the oldest vCPU of the busiest shared hart. */
static void idle_hart_steals(void)
{
	struct vcpu *q[] = { &v[2], &v[3] };
	struct hyp_frame *volatile f = NULL;

	setup();
	fake.guest_harts = 1U << 1;
	wake(&v[0]);
	fake.guest_harts = 1U << 2;
	wake(&v[1]);
	wake(&v[2]);
	wake(&v[3]);
	fake.guest_harts = 0xf;
	fake.hart = 3;
	ASSERT(FAKE_RUN(f = sched_next()) == FAKE_RETURNED);
	EXPECT(f == &v[1].frame);
	EXPECT_EQ(v[1].hart, 3);
	EXPECT(hyp_harts[3].current == &v[1]);
	EXPECT(queue_is(2, q, 2));
}

static void pinned_hart_does_not_steal(void)
{
	setup();
	ASSERT_EQ(sched_pin(pinnable(0, 1)), 0);
	fake.guest_harts = 1U << 2;
	wake(&v[0]);
	fake.guest_harts = 0xf;
	fake.hart = 0;
	EXPECT_EQ(FAKE_RUN(sched_next()), FAKE_IDLE);
	EXPECT_EQ(hyp_harts[2].queued, 1);
}

/* Run @x on hart @h as its current vCPU. */
static void run_on(struct vcpu *x, unsigned int h)
{
	struct hyp_frame *volatile f = NULL;

	fake.hart = h;
	fake.guest_harts = 1U << h;
	wake(x);
	fake.guest_harts = 0xf;
	ASSERT(FAKE_RUN(f = sched_next()) == FAKE_RETURNED);
	ASSERT(f == &x->frame);
}

/* A blocked vCPU's deadline arms its hart's timer, and wakes it. */
static void sleeper_deadline(void)
{
	setup();
	run_on(&v[0], 1);
	run_on(&v[1], 2);
	fake.hart = 1;
	fake.now = 10;
	v[0].csr.sie = HYP_MIP_STIP;
	v[0].timer = 400;
	ASSERT(sched_block(&v[0], BLOCK_WFI));
	EXPECT_EQ(v[0].state, VCPU_BLOCKED);
	EXPECT(hyp_harts[1].sleepers == &v[0]);
	EXPECT_EQ(FAKE_RUN(sched_resume(&v[0].frame)), FAKE_IDLE);
	EXPECT_EQ(fake.timer, 400);
	fake.now = 400;
	EXPECT_EQ(FAKE_RUN(sched_next()), FAKE_RETURNED);
	EXPECT(hyp_harts[1].current == &v[0]);
	EXPECT(hyp_harts[1].sleepers == NULL);
	EXPECT(v[0].csr.sip & HYP_MIP_STIP);
}

/* A container stop takes a sleeper off its hart's list. */
static void stop_removes_sleeper(void)
{
	setup();
	run_on(&v[0], 1);
	run_on(&v[1], 2);
	fake.hart = 1;
	ASSERT(sched_block(&v[0], BLOCK_WFI));
	EXPECT_EQ(FAKE_RUN(sched_resume(&v[0].frame)), FAKE_IDLE);
	ctr->active_vcpus = 2;
	hyp_lock(&sched_lock);
	EXPECT(!container_stop_locked(ctr, CTR_STOP_OPERATOR));
	hyp_unlock(&sched_lock);
	EXPECT_EQ(v[0].state, VCPU_STOPPED);
	EXPECT(hyp_harts[1].sleepers == NULL);
	EXPECT_EQ(ctr->active_vcpus, 1);
}

/*
 * vCPU 0 blocks on hart 1 and leaves it at once, so when vCPU 1 on hart 2
 * wakes it, one hart runs it and hart 1 cannot also resume its old frame.
 */
static void woken_elsewhere_not_resumed_twice(void)
{
	struct hyp_frame *volatile f = NULL;
	volatile unsigned int runs = 0, i;

	setup();
	run_on(&v[0], 1);
	run_on(&v[1], 2);
	fake.hart = 1;
	v[0].csr.sie = HYP_MIP_SSIP;
	ASSERT(sched_block(&v[0], BLOCK_WFI));
	EXPECT(hyp_harts[1].current == NULL);
	fake.hart = 2;
	sched_notify(&v[0], VCPU_PEND_SSIP);
	ASSERT_EQ(v[0].state, VCPU_RUNNABLE);
	fake.hart = 1;
	FAKE_RUN(f = sched_resume(&v[0].frame));
	if (v[0].hart != 1) {
		fake.hart = (unsigned int)v[0].hart;
		ASSERT(FAKE_RUN(f = sched_next()) == FAKE_RETURNED);
	}
	ASSERT(f == &v[0].frame);
	for (i = 0; i < HYP_MAX_HARTS; i++)
		runs += hyp_harts[i].current == &v[0];
	EXPECT_EQ(runs, 1);
	EXPECT_EQ(v[0].state, VCPU_RUNNING);
}

static const struct unit_case sched_cases[] = {
	UNIT_CASE(wake_first_spreads_then_stays),
	UNIT_CASE(idle_set_kept_by_harts),
	UNIT_CASE(wake_skips_non_guest_harts),
	UNIT_CASE(wake_kicks_other_harts),
	UNIT_CASE(wake_stays_on_tie),
	UNIT_CASE(dequeue_middle),
	UNIT_CASE(dequeue_tail),
	UNIT_CASE(dequeue_head_and_only),
	UNIT_CASE(dequeue_absent),
	UNIT_CASE(arm_timer_slices_only_when_shared),
	UNIT_CASE(arm_timer_guest_deadline),
	UNIT_CASE(next_runs_queued),
	UNIT_CASE(next_idles_when_empty),
	UNIT_CASE(timer_preempts),
	UNIT_CASE(timer_guest_deadline),
	UNIT_CASE(slice_end_is_fixed),
	UNIT_CASE(stop_kicks_running),
	UNIT_CASE(pin_dedicates_harts),
	UNIT_CASE(pin_keeps_a_shared_hart),
	UNIT_CASE(pin_counts_guest_harts_only),
	UNIT_CASE(steal_time_recorded),
	UNIT_CASE(steal_time_not_idle),
	UNIT_CASE(ticks_to_ns_long_uptime),
	UNIT_CASE(idle_hart_steals),
	UNIT_CASE(pinned_hart_does_not_steal),
	UNIT_CASE(sleeper_deadline),
	UNIT_CASE(stop_removes_sleeper),
	UNIT_CASE(woken_elsewhere_not_resumed_twice),
};

UNIT_SUITE(sched, sched_cases);
