// SPDX-License-Identifier: BSD-2-Clause
/*
 * The scheduler. Each hart runs vCPUs from its own run queue; a vCPU goes
 * to the least loaded hart when it wakes, and an idle hart takes queued
 * work from the busiest. A hart with more than one vCPU to run time-
 * slices them on its M-mode timer, which S-mode cannot mask, so a guest
 * spinning with interrupts off is still preempted. A pinned container's
 * vCPUs each own a hart that nothing else uses, and are never sliced.
 *
 * A vCPU that waits for an interrupt (WFI, HSM suspend) is blocked: it
 * sits on its hart's sleeper list, and that hart's timer covers its
 * deadline; an IPI from another vCPU wakes it directly.
 *
 * One lock guards the queues and every vCPU and container state. The
 * ecall fast path takes no lock.
 */
#include <hyp/bits.h>
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/devices.h>
#include <hyp/error.h>
#include <hyp/hal.h>
#include <hyp/sched.h>
#include <hyp/ticks.h>
#include <hyp/vcpu.h>
#include <hyp/vsbi.h>
#include <hyp/vsbi_pmu.h>

/* One per physical hart, from the heap at boot (sched_init). */
struct hart *hyp_harts;

int sched_init(unsigned int harts)
{
	hyp_harts = hal_zalloc(harts * sizeof(*hyp_harts));
	return hyp_harts ? 0 : HYP_ENOMEM;
}
struct hyp_lock sched_lock = HYP_LOCK_INIT;

static unsigned int hart_load(unsigned int i)
{
	return hyp_harts[i].queued + (hyp_harts[i].current ? 1 : 0);
}

static bool shared_hart(unsigned int i)
{
	return hal_hart_runs_guests(i) && !hyp_harts[i].pinned;
}

/*
 * Shared harts waiting for work in sched_next, one bit each: set when a
 * hart finds nothing to run, cleared when it is given or takes a vCPU. A
 * wake finds an idle hart in it without looking at the others.
 */
u64 sched_idle_harts;

_Static_assert(HYP_MAX_HARTS <= 64, "sched_idle_harts has a bit per hart");

static void set_idle(unsigned int hart, bool idle)
{
	if (idle)
		sched_idle_harts |= 1ULL << hart;
	else
		sched_idle_harts &= ~(1ULL << hart);
}

/*
 * The least loaded shared hart: a walk of the harts, for a vCPU's first
 * placement only (a hart start, a container start), never on the wakes
 * that follow, which are the hot ones.
 */
static unsigned int least_loaded(void)
{
	unsigned int i, best = ~0U, n = hal_hart_count();

	for (i = 0; i < n; i++)
		if (shared_hart(i) && (best == ~0U || hart_load(i) < hart_load(best)))
			best = i;
	return best == ~0U ? 0 : best;
}

/*
 * Where a woken vCPU goes. One that never ran is placed on the least
 * loaded shared hart, so the vCPUs of an SMP guest spread out. Any other
 * goes, in O(1), to the hart it last ran on if that has nothing, else to
 * any idle shared hart, else back to its last hart, where its state may
 * still be. Harts that stay busy even out by stealing: an idle hart
 * takes queued work from the busiest.
 */
static unsigned int pick_hart(const struct vcpu *v)
{
	unsigned int last, n = hal_hart_count();

	if (v->pin_hart >= 0)
		return (unsigned int)v->pin_hart;
	if (v->hart < 0 || (unsigned int)v->hart >= n || !shared_hart((unsigned int)v->hart))
		return least_loaded();
	last = (unsigned int)v->hart;
	if (!hart_load(last))
		return last;
	if (sched_idle_harts)
		return hyp_ctz64(sched_idle_harts);
	return last;
}

int sched_pin(struct container *c)
{
	unsigned int i, n = hal_hart_count(), got = 0;

	for (i = 0; i < n; i++)
		got += shared_hart(i);
	/* Leave one shared hart for everyone else. */
	if (got <= c->nr_vcpus)
		return HYP_ENOMEM;
	got = c->nr_vcpus;
	for (i = 0; i < n && got; i++) {
		if (!shared_hart(i))
			continue;
		hyp_harts[i].pinned = c;
		c->vcpus[c->nr_vcpus - got].pin_hart = (int)i;
		got--;
	}
	console_poll_hart_changed();
	return 0;
}

void sched_kick(unsigned int hart)
{
	struct hart *h = &hyp_harts[hart];

	__atomic_or_fetch(&h->mailbox, HART_MSG_RESCHED, __ATOMIC_RELEASE);
	if (__atomic_load_n(&h->started, __ATOMIC_ACQUIRE))
		hal_hart_kick(hart);
}

/*
 * The run queues and sleeper lists are doubly linked through rq_next and
 * rq_prev (a vCPU is on one list at most), so taking a vCPU off any of
 * them is O(1), whatever else waits there.
 */
static void list_remove(struct vcpu **head, struct vcpu **tail, struct vcpu *v)
{
	if (v->rq_prev)
		v->rq_prev->rq_next = v->rq_next;
	else
		*head = v->rq_next;
	if (v->rq_next)
		v->rq_next->rq_prev = v->rq_prev;
	else
		*tail = v->rq_prev;
	v->rq_next = v->rq_prev = NULL;
}

/* Put @v before @at, or at the tail if @at is NULL. */
static void list_insert(struct vcpu **head, struct vcpu **tail, struct vcpu *at,
			struct vcpu *v)
{
	v->rq_next = at;
	v->rq_prev = at ? at->rq_prev : *tail;
	if (v->rq_prev)
		v->rq_prev->rq_next = v;
	else
		*head = v;
	if (at)
		at->rq_prev = v;
	else
		*tail = v;
}

static void enqueue_locked(struct hart *h, struct vcpu *v)
{
	list_insert(&h->rq_head, &h->rq_tail, NULL, v);
	h->queued++;
	set_idle((unsigned int)(h - hyp_harts), false);
}

void sched_wake_locked(struct vcpu *v)
{
	unsigned int hart = pick_hart(v);

	v->runnable_since = hal_time_now();	/* from now on, waiting is steal */
	v->state = VCPU_RUNNABLE;
	v->hart = (int)hart;
	enqueue_locked(&hyp_harts[hart], v);
	if (hart != hal_hart_index())
		sched_kick(hart);
	else
		sched_arm_timer();	/* it now shares this hart: slice it */
}

/*
 * Sleepers are kept in deadline order, those with no deadline at the
 * tail: the earliest is at the head, for the timer, and one without a
 * deadline (WFI waiting for an IPI) goes in without a walk.
 */
static void sleeper_add(struct hart *h, struct vcpu *v, u64 deadline)
{
	struct vcpu *at = NULL;

	v->sleep_deadline = deadline;
	if (deadline != ~0ULL)
		for (at = h->sleepers; at && at->sleep_deadline <= deadline; at = at->rq_next)
			;
	list_insert(&h->sleepers, &h->sleepers_tail, at, v);
}

static void sleeper_remove(struct hart *h, struct vcpu *v)
{
	list_remove(&h->sleepers, &h->sleepers_tail, v);
}

static u64 next_sleeper_deadline(const struct hart *h)
{
	return h->sleepers ? h->sleepers->sleep_deadline : ~0ULL;
}

void sched_dequeue_locked(struct vcpu *v)
{
	struct hart *h = &hyp_harts[v->hart];

	if (v->state == VCPU_BLOCKED) {
		sleeper_remove(h, v);
		return;
	}
	if (v->state == VCPU_RUNNABLE) {
		list_remove(&h->rq_head, &h->rq_tail, v);
		h->queued--;
	}
}

static struct vcpu *pop_locked(struct hart *h)
{
	struct vcpu *v = h->rq_head;

	if (!v)
		return NULL;
	list_remove(&h->rq_head, &h->rq_tail, v);
	h->queued--;
	return v;
}

/* An idle hart takes the oldest queued vCPU of the busiest shared hart. */
static struct vcpu *steal_locked(unsigned int self)
{
	unsigned int i, best = ~0U;

	if (!shared_hart(self))
		return NULL;
	for (i = 0; i < hal_hart_count(); i++)
		if (i != self && shared_hart(i) && hyp_harts[i].queued &&
		    (best == ~0U || hyp_harts[i].queued > hyp_harts[best].queued))
			best = i;
	return best == ~0U ? NULL : pop_locked(&hyp_harts[best]);
}

/* Account for the current vCPU and take it off this hart. */
static void detach(struct hart *h)
{
	h->current->stats.run_time += hal_time_now() - h->current->run_start;
	h->current = NULL;
}

/* --- interrupts and deadlines of vCPUs that are not running ------------ */

static u64 vcpu_deadline(const struct vcpu *v)
{
	if (!(v->csr.sie & HYP_MIP_STIP))
		return ~0ULL;
	return hal_has_sstc() ? v->csr.stimecmp : v->timer;
}

bool vcpu_irq_pending(const struct vcpu *v, u64 now)
{
	ulong sip = v->csr.sip;

	if (v->pending & VCPU_PEND_SSIP)
		sip |= HYP_MIP_SSIP;
	/* Its vPLIC line, not what it last saw in mip. */
	sip &= ~HYP_MIP_SEIP;
	if (devices_vcpu_eip(v))
		sip |= HYP_MIP_SEIP;
	if (hal_has_sstc() ? now >= v->csr.stimecmp : now >= v->timer)
		sip |= HYP_MIP_STIP;
	return (sip & v->csr.sie) != 0;
}

/* Put a blocked vCPU back to work; a non-retentive suspend resumes fresh. */
static void unblock_locked(struct vcpu *v)
{
	struct hyp_regs *r = &v->frame.regs;

	sleeper_remove(&hyp_harts[v->hart], v);
	if (v->block == BLOCK_SUSPEND_NONRET) {
		r->mepc = v->resume_addr;
		r->x[HYP_REG_A0] = v->id;
		r->x[HYP_REG_A1] = v->resume_opaque;
		r->mstatus &= ~HYP_MSTATUS_SIE;
		v->csr.satp = 0;
	}
	sched_wake_locked(v);
}

/*
 * Wake this hart's sleepers whose timer passed; the earliest deadline
 * left. Only the head can be due: no walk of the others.
 */
static u64 check_sleepers_locked(struct hart *h, u64 now)
{
	struct vcpu *v;

	while ((v = h->sleepers) && v->sleep_deadline <= now) {
		if (!hal_has_sstc()) {
			v->timer = ~0ULL;
			v->csr.sip |= HYP_MIP_STIP;
		}
		unblock_locked(v);
	}
	return next_sleeper_deadline(h);
}

/*
 * Program the M-mode timer only when the deadline changes: a write goes
 * through the timer device's MMIO, and a switch or a kick often re-arms
 * for the same slice end.
 */
static void arm(struct hart *h, u64 when)
{
	if (when == h->timer_armed)
		return;
	h->timer_armed = when;
	hal_timer_set(when);
}

void sched_arm_timer(void)
{
	struct hart *h = this_hart();
	struct vcpu *cur = h->current;
	u64 when = ~0ULL, d;

	/*
	 * A slice starts when the hart begins to be shared (or with a new
	 * vCPU, see switch_to) and ends at a fixed time: re-arming for a guest
	 * deadline or after a kick must not move it, or a vCPU that sets its
	 * timer, or is sent IPIs, over and over would never be preempted.
	 */
	if (!cur || !h->queued)
		h->slice_end = ~0ULL;
	else if (h->slice_end == ~0ULL)
		h->slice_end = hal_time_now() + hyp_ticks.slice;
	when = h->slice_end;
	if (cur && !hal_has_sstc() && cur->timer < when)
		when = cur->timer;
	d = next_sleeper_deadline(h);
	if (d < when)
		when = d;
	if (console_is_poll_hart(hal_hart_index())) {
		d = console_poll_deadline(hal_time_now());
		if (d < when)
			when = d;
	}
	arm(h, when);
}

/* --- work left by other harts ------------------------------------------ */

/* Fold @v's pending work into this hart; @v is (about to be) running. */
static void fold_pending(struct vcpu *v)
{
	unsigned int bits = __atomic_exchange_n(&v->pending, 0, __ATOMIC_ACQ_REL);

	if (bits & VCPU_PEND_SSIP)
		hal_guest_sip(HYP_MIP_SSIP, 0);
	if (bits & VCPU_PEND_FENCE_I)
		hal_fence_i();
	if (bits & VCPU_PEND_SFENCE)
		hal_sfence_vma();
	if (bits & VCPU_PEND_EXT)
		devices_vcpu_sync(v);
	vsbi_pmu_received(v, bits);
}

void sched_notify(struct vcpu *v, unsigned int bits)
{
	__atomic_or_fetch(&v->pending, bits, __ATOMIC_ACQ_REL);
	hyp_lock(&sched_lock);
	if (v->state == VCPU_BLOCKED &&
	    (((bits & VCPU_PEND_SSIP) && (v->csr.sie & HYP_MIP_SSIP)) ||
	     ((bits & VCPU_PEND_EXT) && (v->csr.sie & HYP_MIP_SEIP) &&
	      devices_vcpu_eip(v))))
		unblock_locked(v);
	else if (v->state == VCPU_RUNNING && v->hart != (int)hal_hart_index())
		sched_kick((unsigned int)v->hart);
	hyp_unlock(&sched_lock);
}

void sched_wait_fenced(struct vcpu *v, unsigned int bits)
{
	struct hart *h = this_hart();

	/*
	 * Whoever waits here may itself be asked to fence by a hart that
	 * waits for it, with interrupts off on both: do our own share while
	 * waiting, so two harts never wait on each other.
	 */
	while ((__atomic_load_n(&v->pending, __ATOMIC_ACQUIRE) & bits) &&
	       v->state == VCPU_RUNNING && v->hart != (int)hal_hart_index()) {
		if (h->current && h->current->pending)
			fold_pending(h->current);
	}
}

/* --- switching ---------------------------------------------------------- */

/* A vCPU leaves its hart with its registers and, if it has any, counters. */
static void vcpu_save(struct vcpu *v)
{
	hal_vcpu_save(v);
	if (v->pmu.mapped & VSBI_PMU_HW_ALL)
		vsbi_pmu_save(v);
}

/* Put @next on this hart, which has no current vCPU (it was detached). */
/* The world switch's C half: inline in both callers, it is that hot. */
static inline __attribute__((always_inline))
struct hyp_frame *switch_to(struct hart *h, struct vcpu *next)
{
	hal_vcpu_load(next);
	next->stats.switches++;
	next->hart = (int)hal_hart_index();
	next->run_start = hal_time_now();
	if (next->runnable_since != ~0ULL) {
		next->sta_steal += next->run_start - next->runnable_since;
		next->runnable_since = ~0ULL;
	}
	if (next->sta_shmem != ~0ULL)
		vsbi_sta_record(next);
	if (next->fwft_misaligned_deleg != h->misaligned_deleg)
		vsbi_fwft_load(h, next);
	/* Only vCPUs with triggers, or after one, pay for them. */
	if (next->dbtr_mapped | h->dbtr_live)
		vsbi_dbtr_load(next);
	/* Likewise hardware counters (PMU). */
	if ((next->pmu.mapped & VSBI_PMU_HW_ALL) | h->pmu_live)
		vsbi_pmu_load(h, next);
	next->start_pending = false;
	h->current = next;
	fold_pending(next);
	hal_set_guest_frame(&next->frame);
	h->slice_end = ~0ULL;		/* a new vCPU: a whole slice */
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
	if (cur && cur->state == VCPU_RUNNING) {
		if (!h->rq_head || !preempt) {
			hyp_unlock(&sched_lock);
			if (cur->pending)
				fold_pending(cur);
			sched_arm_timer();
			return &cur->frame;
		}
		/* Saved before it is queued: an idle hart may take it at once. */
		vcpu_save(cur);
		cur->state = VCPU_RUNNABLE;
		cur->runnable_since = hal_time_now();
		if (cur->sta_shmem != ~0ULL)
			vsbi_sta_preempted(cur);
		enqueue_locked(h, cur);
	}
	/* Stopped, blocked (saved by sched_block) or queued: it leaves. */
	if (cur)
		detach(h);
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
	unsigned int self = hal_hart_index();
	struct vcpu *next;
	u64 deadline;

	if (h->current)
		detach(h);
	for (;;) {
		__atomic_and_fetch(&h->mailbox, ~HART_MSG_RESCHED, __ATOMIC_ACQUIRE);
		hyp_lock(&sched_lock);
		deadline = check_sleepers_locked(h, hal_time_now());
		next = pop_locked(h);
		if (!next)
			next = steal_locked(self);
		if (next)
			next->state = VCPU_RUNNING;
		/* Only shared harts are handed woken vCPUs. */
		set_idle(self, !next && shared_hart(self));
		hyp_unlock(&sched_lock);
		if (next)
			return switch_to(h, next);
		if (console_is_poll_hart(self)) {
			console_poll();
			if (console_poll_deadline(hal_time_now()) < deadline)
				deadline = console_poll_deadline(hal_time_now());
		}
		/* A wake that lands after the check leaves an IPI pending,
		 * so this does not sleep through it. */
		arm(h, deadline);
		hal_hart_idle();
	}
}

bool sched_block(struct vcpu *v, enum vcpu_block why)
{
	struct hart *h = this_hart();

	/* Saved first: once on the sleeper list, any hart may run it. */
	vcpu_save(v);
	hyp_lock(&sched_lock);
	if (v->pending & VCPU_PEND_SSIP) {
		v->csr.sip |= HYP_MIP_SSIP;
		hal_guest_sip(HYP_MIP_SSIP, 0);
		__atomic_and_fetch(&v->pending, ~VCPU_PEND_SSIP, __ATOMIC_ACQ_REL);
	}
	if (vcpu_irq_pending(v, hal_time_now()) || v->ctr->state != CTR_RUNNING) {
		hyp_unlock(&sched_lock);
		return false;
	}
	v->state = VCPU_BLOCKED;
	v->block = why;
	sleeper_add(h, v, vcpu_deadline(v));
	/* Off this hart before anyone can wake it and run it elsewhere. */
	detach(h);
	hyp_unlock(&sched_lock);
	return true;
}

struct hyp_frame *sched_resume(struct hyp_frame *f)
{
	struct hart *h = this_hart();
	struct vcpu *cur = h->current;

	if (cur && cur->state == VCPU_RUNNING && cur->ctr->state == CTR_RUNNING) {
		if (cur->pending)
			fold_pending(cur);
		return f;
	}
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
	if (console_is_poll_hart(hal_hart_index()) && console_poll_due(now))
		console_poll();
	hyp_lock(&sched_lock);
	check_sleepers_locked(h, now);
	if (h->slice_end <= now)
		return schedule_unlock(h, true);
	hyp_unlock(&sched_lock);
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
