/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compile-time limits: what a manifest may ask for at most, checked at
 * build time and at boot. They size no memory: the harts, containers and
 * vCPUs are allocated once at boot from the firmware heap, as many as the
 * board and the manifest have (boot.c), and never freed, so a container
 * restart can never leak or fragment memory.
 */
#ifndef HYP_CONFIG_H
#define HYP_CONFIG_H

/* Physical harts the hypervisor manages (today's 64-core servers). */
#define HYP_MAX_HARTS		64
#define HYP_MAX_CONTAINERS	64
/* Virtual harts in one container, and in the whole machine. */
#define HYP_MAX_CONTAINER_VCPUS	64
#define HYP_MAX_VCPUS		256
/* NAPOT RAM regions (hence PMP entries) one container may use. */
#define HYP_MAX_REGIONS		4
#define HYP_NAME_MAX		16	/* container name, NUL included */
#define HYP_BOOTARGS_MAX	256
/*
 * Longest console line kept per container before it is cut and continued
 * (long enough for Linux's banner and command line).
 */
#define HYP_LINE_MAX		512
/*
 * Input bytes buffered per container: a paste of a few KiB waits here
 * while the guest reads it (a power of two).
 */
#define HYP_INPUT_MAX		4096
/*
 * Debug triggers one vCPU may hold (SBI DBTR): its trig_max is the
 * hart's S-mode triggers, at most this many (QEMU 7.2's harts have 2).
 */
#define HYP_DBTR_MAX		8
/* Time slice in microseconds when vCPUs share a hart. */
#define HYP_SLICE_US		10000

#endif
