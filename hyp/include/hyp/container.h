/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A container: RAM of its own, virtual harts, a console, and a
 * protection domain, described by one manifest entry.
 */
#ifndef HYP_CONTAINER_H
#define HYP_CONTAINER_H

#include <hyp/arch.h>
#include <hyp/config.h>
#include <hyp/fwlog.h>
#include <hyp/lock.h>
#include <hyp/place.h>
#include <hyp/types.h>
#include <hyp/vcons.h>
#include <hyp/vplic.h>

struct manifest_ctr;
struct vcpu;

enum container_state {
	CTR_STOPPED,
	CTR_RUNNING,
	CTR_STOPPING,		/* waiting for its vCPUs to leave their harts */
};

enum container_stop {
	CTR_STOP_SHUTDOWN,
	CTR_STOP_REBOOT,
	CTR_STOP_CRASH,
	CTR_STOP_OPERATOR,
};

struct container {
	const struct manifest_ctr *spec;
	unsigned int index;
	struct mem_range ram;
	u64 region_size[HYP_MAX_REGIONS];	/* NAPOT pieces from ram.base */
	unsigned int regions;
	unsigned int nr_vcpus;
	struct vcpu *vcpus;			/* nr_vcpus entries */
	/*
	 * sched_lock guards these four. state is volatile for the one read
	 * without it, sched_resume's fast path, which looks again under the
	 * lock before acting on anything but CTR_RUNNING.
	 */
	volatile enum container_state state;
	enum container_stop stop_reason;
	bool restart_requested;			/* by the operator */
	unsigned int active_vcpus;		/* not VCPU_STOPPED */
	unsigned int starts;
	ulong entry;
	u64 dtb;
	struct vcons cons;			/* its own cons.lock */
	struct fwlog fwlog;			/* fwlog_lock: OpenSBI's messages about it */
	struct container_arch arch;		/* the platform's: its domain */
	/* Its devices' interrupts (docs/devices.md); vplic.lock guards both. */
	struct vplic vplic;
	bool devices_live;			/* sources unmasked: it runs */
};

extern struct container *hyp_containers;
extern unsigned int hyp_nr_containers;
/* The manifest's stay-up: the machine stays on when all have stopped. */
extern bool hyp_stay_up;
/* The operator's poweroff: nothing restarts, the last stop powers off. */
extern bool hyp_poweroff_requested;

/** True if [addr, addr + len) lies inside the container's RAM. */
static inline bool container_owns(const struct container *c, u64 addr, u64 len)
{
	return len <= c->ram.size && addr >= c->ram.base &&
	       addr - c->ram.base <= c->ram.size - len;
}

/** @c's state, read under sched_lock (for the operator console). */
enum container_state container_state(const struct container *c);
/**
 * The operator's restart: start @c if it is stopped, else stop it and
 * start it again once its last vCPU has left.
 */
void container_restart(struct container *c);
/** Load images, build the guest DT and queue vCPU 0. */
int container_start(struct container *c);
/**
 * Stop every vCPU of @c. vCPUs running on other harts are kicked off
 * them; the last one to leave finishes the stop (container_stopped).
 * Caller holds sched_lock.
 */
bool container_stop_locked(struct container *c, enum container_stop why);
void container_stop(struct container *c, enum container_stop why);
/** The last vCPU has left: restart by policy, or power off if all done. */
void container_stopped(struct container *c);
/** The operator's poweroff: stop every container, then power off. */
void container_poweroff_all(void);
const char *container_name(const struct container *c);
/** Log each vCPU's counters. */
void container_log_stats(const struct container *c);

#endif
