// SPDX-License-Identifier: BSD-2-Clause
/*
 * Set-up shared by several suites (fixture.h).
 */
#include <libfdt.h>
#include <hyp/container.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>
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
		v[i].fp_hart = -1;
		v[i].timer = ~0ULL;
		v[i].csr.stimecmp = ~0ULL;
	}
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
