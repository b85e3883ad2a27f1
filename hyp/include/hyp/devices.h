/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Board devices given to containers (docs/devices.md). The manifest names
 * them by path in the board's device tree; devtree.c checks each against
 * that tree (at build time in the host checker, again at boot) and
 * records what the firmware needs: its MMIO ranges (PMP grants), its
 * PLIC sources (routed to the container's virtual PLIC) and the rates of
 * the clocks it depends on (fixed-clock nodes in the guest's tree).
 */
#ifndef HYP_DEVICES_H
#define HYP_DEVICES_H

#include <hyp/types.h>

struct container;
struct hyp_frame;
struct manifest;
struct vcpu;

#define HYP_MAX_DEVICES		12	/* per container */
#define DEV_MAX_REGS		2
#define DEV_MAX_IRQS		16	/* a GPIO block has one a line */
#define DEV_MAX_CLOCKS		2

struct dev_grant {
	const char *path;		/* inside the manifest */
	int node;			/* in the board's tree */
	unsigned int nregs, nirqs, nclocks;
	u64 base[DEV_MAX_REGS];
	u64 size[DEV_MAX_REGS];
	u32 irq[DEV_MAX_IRQS];		/* PLIC sources */
	u32 clock_hz[DEV_MAX_CLOCKS];
	bool dma;			/* masters DMA (see devtree.c) */
};

/* What the board's tree says about the machine the devices live on. */
struct board {
	const void *fdt;
	int plic_node;			/* < 0: no PLIC, so no devices */
	u32 plic_phandle;
	u64 plic_base;
	unsigned int plic_ndev;		/* riscv,ndev */
	int console_node;		/* the hypervisor's UART, or < 0 */
	unsigned int pmp_regions;	/* PMP entries a container may use */
	/* The build's check: controllers' clock rates are read at boot. */
	bool clocks_at_boot;
};

/**
 * Read what devices need from the board's tree @fdt: its PLIC and the
 * console UART (/chosen stdout-path). @pmp_regions: PMP entries left
 * for a container once the firmware has its own.
 */
void board_init(struct board *b, const void *fdt, unsigned int pmp_regions);

/**
 * Check every container's devices against the board and resolve them
 * into its dev[]; a container with a bad one is reported by name and
 * field and marked invalid. Also refuses a device given twice.
 */
void devices_check(struct manifest *m, const struct board *b);

/* --- run time (devices.c) ---------------------------------------------- */

/** Boot: route each container's sources to it (after creation); NULL: none. */
void devices_init(const struct board *b);
/** The board devices_init was given, or NULL (no devices anywhere). */
const struct board *devices_board(void);
/** A container starts: a reset virtual PLIC, its sources unmasked. */
void devices_start(struct container *c);
/** A container has stopped: its sources masked and completed. */
void devices_stop(struct container *c);
/** The physical PLIC interrupted this hart: claim and route everything. */
void devices_ext_irq(void);
/**
 * A load or store access fault from @v: emulate it if it hit the
 * container's virtual PLIC. False if the fault is not ours to answer
 * (the caller hands it to the guest as the access fault it is).
 */
bool devices_mmio(struct vcpu *v, struct hyp_frame *f);
/** @v is running on this hart: make its mip.SEIP its vPLIC line. */
void devices_vcpu_sync(struct vcpu *v);
/** Whether @v's virtual PLIC context asks for an interrupt. */
bool devices_vcpu_eip(const struct vcpu *v);

/* Phandles in the guest's tree: after the cpus' interrupt controllers. */
#define GFDT_PHANDLE_PLIC	0x1000
#define GFDT_PHANDLE_CLOCK	0x1001	/* up to 0x10ff */
#define GFDT_PHANDLE_CHILD	0x1100	/* copied child nodes */

#endif
