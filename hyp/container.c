// SPDX-License-Identifier: BSD-2-Clause
/*
 * Container lifecycle: start in zeroed RAM from a fresh copy of the
 * images, stop all virtual harts, restart by policy, and power the
 * machine off once the last container has stopped (unless the manifest
 * says to stay up).
 */
#include <hyp/container.h>
#include <hyp/devices.h>
#include <hyp/gfdt.h>
#include <hyp/hal.h>
#include <hyp/hyp.h>
#include <hyp/loader.h>
#include <hyp/log.h>
#include <hyp/manifest.h>
#include <hyp/sched.h>
#include <hyp/string.h>
#include <hyp/vcpu.h>

/* The manifest's runnable containers, from the heap at boot. */
struct container *hyp_containers;
unsigned int hyp_nr_containers;

extern const struct hyp_machine *hyp_machine;

bool hyp_poweroff_requested;		/* sched_lock */

const char *container_name(const struct container *c)
{
	return c->spec->name;
}

/* Copy the initrd below the DT; returns its guest address (0 if none). */
static u64 load_initrd(struct container *c, u64 dtb)
{
	const struct manifest_ctr *s = c->spec;
	u64 at;

	if (!s->initrd_size)
		return 0;
	at = (dtb - s->initrd_size) & ~4095ULL;
	hyp_copy(hal_phys(at), s->initrd, s->initrd_size);
	return at;
}

int container_start(struct container *c)
{
	const struct manifest_ctr *s = c->spec;
	struct gfdt_info info = { 0 };
	unsigned int i;
	u64 initrd;
	int rc;

	/*
	 * Zeroed first: whatever a previous run of this container, or
	 * whatever ran before the firmware, left in this RAM is not for it.
	 */
	hyp_zero(hal_phys(c->ram.base), (size_t)c->ram.size);
	c->entry = (ulong)loader_load(s->image, s->image_size, HYP_XLEN, c->ram.base);
	c->dtb = c->ram.base + c->ram.size - GFDT_MAX_SIZE;
	initrd = load_initrd(c, c->dtb);

	info.model = hyp_machine->model;
	info.vcpus = c->nr_vcpus;
	info.isa = hyp_machine->isa;
	info.mmu = hyp_machine->mmu;
	info.timebase = hyp_machine->timebase;
	info.mem_base = c->ram.base;
	info.mem_size = c->ram.size;
	info.bootargs = s->bootargs;
	info.initrd_start = initrd;
	info.initrd_end = initrd ? initrd + s->initrd_size : 0;
	info.board = devices_board();
	info.dev = s->dev;
	info.nr_devices = info.board ? s->nr_devices : 0;
	rc = gfdt_build(hal_phys(c->dtb), GFDT_MAX_SIZE, &info);
	if (rc) {
		hyp_log_ctr_error(s->name, "(device tree)", "cannot build: %d", rc);
		return rc;
	}

	vcons_reset(&c->cons);
	devices_start(c);
	/*
	 * A restart after a stop (container_stopped: the container is still
	 * CTR_STOPPING) is said before its first vCPU is queued: once queued
	 * it may run, and stop again, on another hart before this one could
	 * print it. Restarts allocate nothing: the figure must stay the same.
	 */
	if (c->state == CTR_STOPPING)
		hyp_log("container %s restart %u: %lu bytes of firmware heap in use",
			container_name(c), c->starts, hal_heap_used());
	hyp_lock(&sched_lock);
	for (i = 0; i < c->nr_vcpus; i++) {
		struct vcpu *v = &c->vcpus[i];

		vcpu_reset(v, c->entry, i, (ulong)c->dtb);
		v->state = VCPU_STOPPED;
		hyp_memset(&v->stats, 0, sizeof(v->stats));
	}
	c->starts++;
	c->state = CTR_RUNNING;
	c->active_vcpus = 1;
	sched_wake_locked(&c->vcpus[0]);
	hyp_unlock(&sched_lock);
	return 0;
}

bool container_stop_locked(struct container *c, enum container_stop why)
{
	unsigned int i;

	if (c->state != CTR_RUNNING)
		return false;
	c->state = CTR_STOPPING;
	c->stop_reason = why;
	for (i = 0; i < c->nr_vcpus; i++) {
		struct vcpu *v = &c->vcpus[i];

		if (v->state == VCPU_RUNNABLE || v->state == VCPU_BLOCKED) {
			sched_dequeue_locked(v);
			v->state = VCPU_STOPPED;
			c->active_vcpus--;
		} else if (v->state == VCPU_RUNNING &&
			   v->hart != (int)hal_hart_index()) {
			sched_kick((unsigned int)v->hart);
		}
	}
	return c->active_vcpus == 0;
}

void container_stop(struct container *c, enum container_stop why)
{
	bool done;

	hyp_lock(&sched_lock);
	done = container_stop_locked(c, why);
	hyp_unlock(&sched_lock);
	if (done)
		container_stopped(c);
}

static const char *const stop_names[] = {
	[CTR_STOP_SHUTDOWN] = "shutdown",
	[CTR_STOP_REBOOT] = "reboot",
	[CTR_STOP_CRASH] = "crashed",
	[CTR_STOP_OPERATOR] = "stopped by operator",
};

static bool wants_restart_locked(struct container *c)
{
	if (hyp_poweroff_requested)
		return false;
	if (c->restart_requested) {
		c->restart_requested = false;
		return true;
	}
	switch (c->spec->restart) {
	case RESTART_ALWAYS:
		return c->stop_reason != CTR_STOP_OPERATOR;
	case RESTART_ON_REBOOT:
		return c->stop_reason == CTR_STOP_REBOOT;
	default:
		return false;
	}
}

/* Whether @c starts again now that it has stopped; consumes a restart
 * the operator asked for. */
static bool wants_restart(struct container *c)
{
	bool again;

	hyp_lock(&sched_lock);
	again = wants_restart_locked(c);
	hyp_unlock(&sched_lock);
	return again;
}

static bool all_stopped_locked(void)
{
	unsigned int i;

	for (i = 0; i < hyp_nr_containers; i++)
		if (hyp_containers[i].state != CTR_STOPPED)
			return false;
	return true;
}

static void power_off(void)
{
	hyp_log("all containers have stopped: powering off");
	vcons_drain_all();
	hal_poweroff();
}

void container_log_stats(const struct container *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_vcpus; i++) {
		const struct vcpu_stats *st = &c->vcpus[i].stats;

		hyp_log("container %s vcpu %u: %llu us, %llu switches, %llu ecalls, %llu traps",
			container_name(c), i,
			(unsigned long long)(st->run_time * 1000000 / hal_time_freq()),
			(unsigned long long)st->switches,
			(unsigned long long)st->ecalls,
			(unsigned long long)st->traps);
	}
}

/*
 * Mark @c stopped; true if it was the last one running. One decision under
 * the lock, so only one hart ever sees the last container stop. @stay_up
 * says, from the same section, whether the machine then stays on.
 */
static bool mark_stopped(struct container *c, bool *stay_up)
{
	bool last;

	hyp_lock(&sched_lock);
	c->state = CTR_STOPPED;
	last = all_stopped_locked();
	*stay_up = hyp_stay_up && !hyp_poweroff_requested;
	hyp_unlock(&sched_lock);
	return last;
}

enum container_state container_state(const struct container *c)
{
	enum container_state state;

	hyp_lock(&sched_lock);
	state = c->state;
	hyp_unlock(&sched_lock);
	return state;
}

/*
 * Only the operator (under the console lock) starts a stopped container,
 * so a container found stopped here is still stopped when it starts.
 */
void container_restart(struct container *c)
{
	bool done;

	hyp_lock(&sched_lock);
	if (c->state == CTR_STOPPED) {
		hyp_unlock(&sched_lock);
		container_start(c);
		return;
	}
	c->restart_requested = true;
	done = container_stop_locked(c, CTR_STOP_OPERATOR);
	hyp_unlock(&sched_lock);
	if (done)
		container_stopped(c);
}

void container_stopped(struct container *c)
{
	bool restart = wants_restart(c), stay_up;

	devices_stop(c);
	vcons_flush(&c->cons);
	fwlog_flush(c);
	if (c->spec->stats)
		container_log_stats(c);
	hyp_log("container %s stopped (%s)%s", container_name(c),
		stop_names[c->stop_reason], restart ? ": restarting" : "");
	/*
	 * A container on its way to a restart stays CTR_STOPPING, so one
	 * stopping on another hart at the same moment cannot take the
	 * machine down under it.
	 */
	if (restart && !container_start(c))
		return;
	if (!mark_stopped(c, &stay_up))
		return;
	if (stay_up)
		hyp_log("all containers have stopped: staying up "
			"(Ctrl-] opens the operator console)");
	else
		power_off();
}

void container_poweroff_all(void)
{
	unsigned int i;
	bool last;

	hyp_lock(&sched_lock);
	hyp_poweroff_requested = true;
	last = all_stopped_locked();
	hyp_unlock(&sched_lock);
	if (last) {
		power_off();
		return;
	}
	/* The last container to stop powers the machine off. */
	for (i = 0; i < hyp_nr_containers; i++)
		container_stop(&hyp_containers[i], CTR_STOP_OPERATOR);
}
