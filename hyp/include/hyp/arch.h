/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The platform's own state inside hyp/'s objects: struct vcpu holds a
 * struct vcpu_arch and struct container a struct container_arch, each
 * defined by the platform (platform/diosix/include/dx_arch.h), as a
 * kernel keeps an architecture's part of a vCPU in vcpu->arch. hyp/ never
 * looks inside them: it allocates them with its objects and asks the
 * platform to reset them (hal_vcpu_reset), and the platform reaches
 * them from the vCPU or container hyp/ hands it, without a cast or a
 * table of its own.
 *
 * The host build (unit tests, the manifest checker) has no platform: its
 * vCPUs keep only what the fake HAL records.
 */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H

#include <hyp/types.h>

#ifdef HYP_HOST
struct vcpu_arch {
	unsigned int resets;		/* hal_vcpu_reset calls */
};

struct container_arch {
	bool domain;			/* hal_container_init succeeded */
};
#else
#include <dx_arch.h>
#endif

#endif
