/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Set-up shared by several suites: fresh vCPUs and harts for a
 * hand-built container, and the frame of a manifest blob.
 */
#ifndef UNIT_FIXTURE_H
#define UNIT_FIXTURE_H

#include <stddef.h>

#include <hyp/types.h>

struct container;
struct manifest_ctr;
struct vcpu;

/*
 * Make hyp_containers[i] a stopped container named @name, from spec @s
 * (zeroed, then @nv vCPUs, restart "never"), with vCPUs @v and RAM
 * [base, base + size); hyp_nr_containers becomes at least i + 1.
 */
struct container *fixture_container(unsigned int i, struct manifest_ctr *s,
				    const char *name, struct vcpu *v,
				    unsigned int nv, u64 base, u64 size);

/* Zero v[0..n-1] and make them ctr's stopped vCPUs 0..n-1, on no hart. */
void fixture_vcpus(struct container *ctr, struct vcpu *v, unsigned int n);

/*
 * One hart and a running 2-vCPU container @name in @v (RAM at @base,
 * @size): vCPU 0 runs on hart 0, vCPU 1 is stopped; both reset.
 */
void fixture_pair(struct manifest_ctr *s, const char *name, struct vcpu *v,
		  u64 base, u64 size);
/*
 * Hart 0's current vCPU leaves (it stops); @next, stopped, is woken and
 * switched in. Returns the frame the hart resumes.
 */
struct hyp_frame *fixture_switch(struct vcpu *next);

/* Every hart started, with no slice running. */
void fixture_harts(void);
/* sched_idle_harts as the harts' state says (see fixture.c). */
void fixture_sync_idle(void);

/*
 * Start a manifest in blob (root, compatible and the /containers node
 * opened); fixture_mf_end closes both nodes and finishes the blob.
 * Either ends the case if libfdt fails.
 */
void fixture_mf_begin(void *blob, size_t size);
void fixture_mf_end(void *blob);

#endif
