/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's device tree: its virtual harts, its memory and /chosen,
 * nothing else (no UART, PLIC or CLINT: a guest sees the machine only
 * through SBI).
 */
#ifndef HYP_GFDT_H
#define HYP_GFDT_H

#include <hyp/types.h>

struct board;
struct dev_grant;

struct gfdt_info {
	const char *model;
	unsigned int vcpus;
	const char *isa;	/* riscv,isa of the harts, e.g. "rv64imafdc" */
	const char *mmu;	/* mmu-type, e.g. "riscv,sv48"; NULL if none */
	u32 timebase;
	u64 mem_base;
	u64 mem_size;
	const char *bootargs;	/* may be NULL */
	u64 initrd_start;	/* 0 if none */
	u64 initrd_end;
	/* Devices it owns (gfdt_dev.c): none if nr_devices is 0. */
	const struct board *board;
	const struct dev_grant *dev;
	unsigned int nr_devices;
};

/**
 * The /soc node (a virtual PLIC and copies of the board's devices) and
 * /aliases (the board's aliases of those devices).
 */
int gfdt_add_devices(void *fdt, const struct gfdt_info *info);

/** Write the guest DT into @buf (@size bytes). 0 or a libfdt error. */
int gfdt_build(void *buf, size_t size, const struct gfdt_info *info);

/*
 * Room reserved at the top of each container's RAM for its DT: enough for
 * HYP_MAX_CONTAINER_VCPUS harts with long ISA strings, the longest
 * bootargs and the devices a container can own (gfdt.largest_fits).
 */
#define GFDT_MAX_SIZE	(32 * 1024)

#endif
