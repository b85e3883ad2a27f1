/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry points the platform calls: boot, and every trap from a guest.
 */
#ifndef HYP_HYP_H
#define HYP_HYP_H

#include <hyp/frame.h>
#include <hyp/place.h>
#include <hyp/types.h>

#define HYP_VERSION	"0.1"

struct hyp_machine {
	const char *model;
	const char *isa;	/* guest-visible riscv,isa */
	const char *mmu;
	u32 timebase;
	struct mem_map free;	/* RAM containers may use */
	unsigned int pmp_regions;	/* PMP entries left for container RAM */
	const void *fdt;		/* the board's device tree, or NULL */
};

/**
 * Cold boot, before any guest runs: read the manifest in @bundle, place
 * the containers and create their domains (hal_container_init).
 */
int hyp_boot(const void *manifest, size_t max, const struct hyp_machine *m);

/*
 * The manifest's trap-time: guests' reads of the time CSR trap to the
 * hypervisor, which answers them, as on harts without a time CSR (the
 * HiFive boards' U54/U74). For testing and measuring that path on QEMU.
 */
extern bool hyp_trap_time;

/**
 * What hyp_boot will take from the firmware heap for this manifest on
 * @harts harts, and through *@ctrs and *@vcpus how many containers and
 * vCPUs it holds at most (for the platform's own per-container and
 * per-vCPU state). Read before the heap exists, so it only counts: no
 * message, no check; hyp_boot checks.
 */
size_t hyp_heap_need(const void *manifest, size_t max, unsigned int harts,
		     unsigned int *ctrs, unsigned int *vcpus);

/** A trap from S or U mode; returns the frame to resume. */
struct hyp_frame *hyp_trap(struct hyp_frame *f);

#endif
