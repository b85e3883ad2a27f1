// SPDX-License-Identifier: BSD-2-Clause
/*
 * Set-up shared by several suites (fixture.h).
 */
#include <libfdt.h>
#include <stdio.h>
#include <hyp/container.h>
#include <hyp/manifest.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>
#include <hyp/vsbi_pmu.h>
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

void fixture_vcpus(struct container *ctr, struct vcpu *v, unsigned int n)
{
	unsigned int i;

	memset(v, 0, n * sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].ctr = ctr;
		v[i].id = i;
		v[i].hart = -1;
		v[i].pin_hart = -1;
		v[i].timer = ~0ULL;
		v[i].csr.stimecmp = ~0ULL;
		v[i].runnable_since = ~0ULL;
		v[i].sta_shmem = ~0ULL;
	}
}

struct container *fixture_container(unsigned int i, struct manifest_ctr *s,
				    const char *name, struct vcpu *v,
				    unsigned int nv, u64 base, u64 size)
{
	struct container *c = &hyp_containers[i];

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->memory = size;
	s->vcpus = nv;
	s->restart = RESTART_NEVER;
	s->valid = true;
	memset(c, 0, sizeof(*c));
	c->spec = s;
	c->index = i;
	c->ram.base = base;
	c->ram.size = size;
	c->nr_vcpus = nv;
	c->vcpus = v;
	c->state = CTR_STOPPED;
	vcons_init(&c->cons, s->name);
	fixture_vcpus(c, v, nv);
	if (hyp_nr_containers <= i)
		hyp_nr_containers = i + 1;
	return c;
}

/*
 * What a running machine keeps in sched_idle_harts, for a world the test
 * set up by hand: every shared hart with nothing to run waits for work.
 */
void fixture_sync_idle(void)
{
	unsigned int i;

	sched_idle_harts = 0;
	for (i = 0; i < fake.harts; i++)
		if (hal_hart_runs_guests(i) && !hyp_harts[i].pinned &&
		    !hyp_harts[i].current && !hyp_harts[i].queued)
			sched_idle_harts |= 1ULL << i;
}

void fixture_harts(void)
{
	unsigned int i;

	for (i = 0; i < HYP_MAX_HARTS; i++) {
		hyp_harts[i].slice_end = ~0ULL;
		hyp_harts[i].started = true;
	}
}

#define MF(call)	ASSERT_EQ((call), 0)

void fixture_mf_begin(void *blob, size_t size)
{
	MF(fdt_create(blob, (int)size));
	MF(fdt_finish_reservemap(blob));
	MF(fdt_begin_node(blob, ""));
	MF(fdt_property_string(blob, "compatible", "diosix,manifest"));
	MF(fdt_begin_node(blob, "containers"));
}

void fixture_mf_end(void *blob)
{
	MF(fdt_end_node(blob));		/* containers */
	MF(fdt_end_node(blob));		/* root */
	MF(fdt_finish(blob));
}

void fixture_pair(struct manifest_ctr *s, const char *name, struct vcpu *v,
		  u64 base, u64 size)
{
	struct container *ctr;

	fake.harts = 1;
	fake.guest_harts = 1;
	ctr = fixture_container(0, s, name, v, 2, base, size);
	ctr->state = CTR_RUNNING;
	ctr->active_vcpus = 2;
	fixture_harts();
	vcpu_reset(&v[0], base, 0, 0);
	vcpu_reset(&v[1], base, 1, 0);
	v[0].state = VCPU_RUNNING;
	v[0].hart = 0;
	hyp_harts[0].current = &v[0];
	fake.hart = 0;
}

struct hyp_frame *fixture_switch(struct vcpu *next)
{
	struct vcpu *cur = hyp_harts[0].current;
	struct hyp_frame *volatile resumed = NULL;

	/* Saved as a preempted vCPU is, counters included. */
	hal_vcpu_save(cur);
	if (cur->pmu.mapped & VSBI_PMU_HW_ALL)
		vsbi_pmu_save(cur);
	cur->state = VCPU_STOPPED;
	cur->hart = -1;
	hyp_harts[0].current = NULL;
	hyp_lock(&sched_lock);
	sched_wake_locked(next);
	hyp_unlock(&sched_lock);
	EXPECT_EQ(FAKE_RUN(resumed = sched_next()), FAKE_RETURNED);
	return resumed;
}
