/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Set-up shared by several suites: fresh vCPUs and harts for a
 * hand-built container, and the frame of a manifest blob.
 */
#ifndef UNIT_FIXTURE_H
#define UNIT_FIXTURE_H

#include <stddef.h>

struct container;
struct vcpu;

/* Zero v[0..n-1] and make them ctr's stopped vCPUs 0..n-1, on no hart. */
void fixture_vcpus(struct container *ctr, struct vcpu *v, unsigned int n);

/* Every hart started, with no slice running. */
void fixture_harts(void);

/*
 * Start a manifest in blob (root, compatible and the /containers node
 * opened); fixture_mf_end closes both nodes and finishes the blob.
 * Either ends the case if libfdt fails.
 */
void fixture_mf_begin(void *blob, size_t size);
void fixture_mf_end(void *blob);

#endif
