// SPDX-License-Identifier: BSD-2-Clause
/*
 * The scheduler. Each hart runs vCPUs from its own run queue; a vCPU goes
 * to the least loaded hart when it wakes. A hart with more than one vCPU
 * to run time-slices them on its M-mode timer, which S-mode cannot mask,
 * so a guest spinning with interrupts off still gets preempted.
 *
 * One lock guards the queues and every vCPU and container state: harts
 * take it only to change state, never on the ecall fast path.
 */
#include <hyp/container.h>
#include <hyp/hal.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>

struct hart hyp_harts[HYP_MAX_HARTS];
struct hyp_lock sched_lock = HYP_LOCK_INIT;

static u64 slice_ticks(void)
{
	return hal_time_freq() * HYP_SLICE_US / 1000000;
}

static unsigned int hart_load(unsigned int i)
{
	return hyp_harts[i].queued + (hyp_harts[i].current ? 1 : 0);
}

static unsigned int pick_hart(const struct vcpu *v)
{
	unsigned int i, best = ~0U, n = hal_hart_count();

	/* Stay where it last ran unless another hart is less loaded. */
	if (v->hart >= 0 && (unsigned int)v->hart < n)
		best = (unsigned int)v->hart;
	for (i = 0; i < n; i++) {
		if (!hal_hart_runs_guests(i))
			continue;
		if (best == ~0U || hart_load(i) < hart_load(best))
			best = i;
	}
	return best;
}

void sched_kick(unsigned int hart)
{
	struct hart *h = &hyp_harts[hart];

	__atomic_or_fetch(&h->mailbox, HART_MSG_RESCHED, __ATOMIC_RELEASE);
	if (__atomic_load_n(&h->started, __ATOMIC_ACQUIRE))
		hal_hart_kick(hart);
}

void sched_wake_locked(struct vcpu *v)
{
	unsigned int hart = pick_hart(v);
	struct hart *h = &hyp_harts[hart];

	v->state = VCPU_RUNNABLE;
	v->hart = (int)hart;
	v->rq_next = NULL;
	if (h->rq_tail)
		h->rq_tail->rq_next = v;
	else
		h->rq_head = v;
	h->rq_tail = v;
	h->queued++;
	if (hart != hal_hart_index())
		sched_kick(hart);
}

void sched_dequeue_locked(struct vcpu *v)
{
	struct hart *h = &hyp_harts[v->hart];
	struct vcpu **pp, *prev = NULL;

	for (pp = &h->rq_head; *pp; prev = *pp, pp = &(*pp)->rq_next) {
		if (*pp != v)
			continue;
		*pp = v->rq_next;
		if (h->rq_tail == v)
			h->rq_tail = prev;
		h->queued--;
		v->rq_next = NULL;
		return;
	}
}

static struct vcpu *pop_locked(struct hart *h)
{
	struct vcpu *v = h->rq_head;

	if (!v)
		return NULL;
	h->rq_head = v->rq_next;
	if (!h->rq_head)
		h->rq_tail = NULL;
	h->queued--;
	v->rq_next = NULL;
	return v;
}

void sched_arm_timer(void)
{
	struct hart *h = this_hart();
	struct vcpu *cur = h->current;
	u64 when = ~0ULL;

	h->slice_end = ~0ULL;
	if (cur && h->queued) {
		h->slice_end = hal_time_now() + slice_ticks();
		when = h->slice_end;
	}
	if (cur && !hal_has_sstc() && cur->timer < when)
		when = cur->timer;
	hal_timer_set(when);
}

/* Put @next on this hart; @prev (may be NULL or stopped) leaves it. */
static struct hyp_frame *switch_to(struct hart *h, struct vcpu *next)
{
	struct vcpu *prev = h->current;
	u64 now = hal_time_now();

	if (prev) {
		prev->stats.run_time += now - prev->run_start;
		if (prev != next)
			hal_vcpu_save(prev);
	}
	if (prev != next) {
		hal_vcpu_load(next);
		next->stats.switches++;
	}
	next->state = VCPU_RUNNING;
	next->hart = (int)hal_hart_index();
	next->run_start = now;
	h->current = next;
	hal_set_guest_frame(&next->frame);
	sched_arm_timer();
	return &next->frame;
}

/*
 * A vCPU of a container that is being stopped leaves its hart here; the
 * last one out finishes the stop. Caller holds sched_lock.
 */
static bool retire_locked(struct vcpu *v)
{
	struct container *c = v->ctr;

	if (c->state != CTR_STOPPING || v->state == VCPU_STOPPED)
		return false;
	v->state = VCPU_STOPPED;
	return --c->active_vcpus == 0;
}

/* Called with sched_lock held; drops it. Never returns NULL. */
static struct hyp_frame *schedule_unlock(struct hart *h, bool preempt)
{
	struct vcpu *cur = h->current, *next;
	struct container *done = NULL;

	if (cur && retire_locked(cur))
		done = cur->ctr;
	if (cur && cur->state != VCPU_RUNNING) {
		/* Stopped: detach it now, so a restart may reset it freely. */
		cur->stats.run_time += hal_time_now() - cur->run_start;
		h->current = cur = NULL;
	}
	if (cur && (!h->rq_head || !preempt)) {
		hyp_unlock(&sched_lock);
		sched_arm_timer();
		return &cur->frame;
	}
	if (cur) {
		cur->state = VCPU_RUNNABLE;
		if (h->rq_tail)
			h->rq_tail->rq_next = cur;
		else
			h->rq_head = cur;
		h->rq_tail = cur;
		h->queued++;
	}
	next = pop_locked(h);
	if (next)
		next->state = VCPU_RUNNING;
	hyp_unlock(&sched_lock);
	if (done)
		container_stopped(done);
	if (next)
		return switch_to(h, next);
	return sched_next();
}

struct hyp_frame *sched_next(void)
{
	struct hart *h = this_hart();
	struct vcpu *next;

	if (h->current) {
		h->current->stats.run_time += hal_time_now() - h->current->run_start;
		h->current = NULL;
	}
	hal_timer_set(~0ULL);
	for (;;) {
		__atomic_and_fetch(&h->mailbox, ~HART_MSG_RESCHED, __ATOMIC_ACQUIRE);
		hyp_lock(&sched_lock);
		next = pop_locked(h);
		if (next)
			next->state = VCPU_RUNNING;
		hyp_unlock(&sched_lock);
		if (next)
			return switch_to(h, next);
		/* A wake that lands after the check leaves an IPI pending,
		 * so this does not sleep through it. */
		hal_hart_idle();
	}
}

struct hyp_frame *sched_resume(struct hyp_frame *f)
{
	struct hart *h = this_hart();
	struct vcpu *cur = h->current;

	if (cur && cur->state == VCPU_RUNNING && cur->ctr->state == CTR_RUNNING)
		return f;
	hyp_lock(&sched_lock);
	return schedule_unlock(h, false);
}

struct hyp_frame *sched_timer(struct hyp_frame *f)
{
	struct hart *h = this_hart();
	struct vcpu *cur = h->current;
	u64 now = hal_time_now();

	if (cur && !hal_has_sstc() && cur->timer <= now) {
		cur->timer = ~0ULL;
		hal_guest_stip(true);
	}
	if (h->slice_end <= now) {
		hyp_lock(&sched_lock);
		return schedule_unlock(h, true);
	}
	sched_arm_timer();
	return sched_resume(f);
}

struct hyp_frame *sched_mailbox(struct hyp_frame *f)
{
	struct hart *h = this_hart();
	unsigned int msg;

	msg = __atomic_exchange_n(&h->mailbox, 0, __ATOMIC_ACQUIRE);
	if (!(msg & HART_MSG_RESCHED))
		return sched_resume(f);
	hyp_lock(&sched_lock);
	/* New work arrived: start slicing if it has to share the hart. */
	return schedule_unlock(h, false);
}
