/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef GUEST_FDT_H
#define GUEST_FDT_H

#include <stdint.h>

/*
 * A small flattened device tree reader. The blob comes from the code
 * under test, so every offset is checked against the header's
 * totalsize and a broken tree yields an error, never a wild read.
 */
struct fdt {
	const uint8_t *blob;
	uint32_t size;			/* totalsize */
	uint32_t struct_off;
	uint32_t struct_size;
	uint32_t strings_off;
	uint32_t strings_size;
};

enum {
	FDT_ERR_BADPTR = 1,
	FDT_ERR_MAGIC,
	FDT_ERR_VERSION,
	FDT_ERR_BADHEADER,
	FDT_ERR_TRUNCATED,
	FDT_ERR_BADSTRUCTURE,
	FDT_ERR_BADSTRING,
	FDT_ERR_TOODEEP,
	FDT_ERR_BADCELLS,
	FDT_ERR_BADREG,
	FDT_ERR_NOSPACE,
	FDT_ERR_BADVALUE,
	FDT_ERR_BADINITRD,
};

/* One property, as seen by fdt_for_each_prop(). */
struct fdt_prop {
	int depth;			/* of the node holding it; root = 0 */
	const char *node;		/* that node's name; root = "" */
	const char *name;
	const void *value;
	uint32_t len;
};

/* Return 0 to go on; anything else stops the walk and is passed back. */
typedef int (*fdt_prop_fn)(void *ctx, const struct fdt_prop *prop);

struct fdt_mem {
	uint64_t base;
	uint64_t size;
};

#define FDT_MAX_MEM	16

int fdt_init(struct fdt *fdt, const void *blob);
int fdt_for_each_prop(const struct fdt *fdt, fdt_prop_fn fn, void *ctx);

/* reg entries of all /memory and /memory@... nodes: count or -error. */
int fdt_memory(const struct fdt *fdt, struct fdt_mem *mem, int max);

/* /chosen/bootargs: 1 and *args set, 0 if absent, or -error. */
int fdt_bootargs(const struct fdt *fdt, const char **args);

/*
 * /chosen/linux,initrd-start and linux,initrd-end (4 or 8 bytes each,
 * as Linux accepts): 1 and [*start, *end) set if both are present with
 * start < end, 0 if neither is, or -error (only one of them, a
 * duplicate, a wrong length, end <= start). *start and *end are only
 * written on 1.
 */
int fdt_initrd(const struct fdt *fdt, uint64_t *start, uint64_t *end);

const char *fdt_strerror(int err);

#endif
