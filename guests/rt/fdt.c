// SPDX-License-Identifier: BSD-2-Clause
/*
 * Flattened device tree reader (devicetree spec v0.4, chapter 5).
 *
 * All multi-byte fields are big-endian and read a byte at a time, so
 * the blob's alignment does not matter. Offsets are checked before use:
 * the header against totalsize, tokens against the structure block,
 * property names against the strings block.
 */
#include "rt.h"

#define FDT_MAGIC		0xd00dfeed
#define FDT_HEADER_SIZE		40
#define FDT_MAX_SIZE		(1U << 20)	/* far above any real guest tree */
#define FDT_MAX_DEPTH		16

#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Is [off, off + len) inside a block of size bytes? (No overflow.) */
static bool range_ok(uint32_t off, uint32_t len, uint32_t size)
{
	return off <= size && len <= size - off;
}

int fdt_init(struct fdt *fdt, const void *blob)
{
	const uint8_t *p = blob;

	if (!p)
		return -FDT_ERR_BADPTR;
	if (be32(p) != FDT_MAGIC)
		return -FDT_ERR_MAGIC;

	fdt->blob = p;
	fdt->size = be32(p + 4);
	fdt->struct_off = be32(p + 8);
	fdt->strings_off = be32(p + 12);
	fdt->strings_size = be32(p + 32);
	fdt->struct_size = be32(p + 36);

	/* size_dt_struct only exists from version 17 on. */
	if (be32(p + 20) < 17 || be32(p + 24) > 17)
		return -FDT_ERR_VERSION;
	if (fdt->size < FDT_HEADER_SIZE || fdt->size > FDT_MAX_SIZE)
		return -FDT_ERR_BADHEADER;
	if (!range_ok(fdt->struct_off, fdt->struct_size, fdt->size) ||
	    !range_ok(fdt->strings_off, fdt->strings_size, fdt->size) ||
	    fdt->struct_off % 4)
		return -FDT_ERR_BADHEADER;
	return 0;
}

/* Token at off in the structure block, or FDT_END past its end. */
static int read_token(const struct fdt *fdt, uint32_t off, uint32_t *token)
{
	if (!range_ok(off, 4, fdt->struct_size))
		return -FDT_ERR_TRUNCATED;
	*token = be32(fdt->blob + fdt->struct_off + off);
	return 0;
}

/* A NUL-terminated string starting at off in a block of size bytes. */
static const char *block_string(const uint8_t *block, uint32_t off,
				uint32_t size, uint32_t *len)
{
	size_t n;

	if (off >= size)
		return NULL;
	n = strnlen((const char *)block + off, size - off);
	if (n == size - off)
		return NULL;
	if (len)
		*len = n;
	return (const char *)block + off;
}

static int read_prop(const struct fdt *fdt, uint32_t *off,
		     struct fdt_prop *prop)
{
	const uint8_t *s = fdt->blob + fdt->struct_off;
	uint32_t nameoff;

	/* *off is just past the FDT_PROP token: { len, nameoff, value } */
	if (!range_ok(*off, 8, fdt->struct_size))
		return -FDT_ERR_TRUNCATED;
	prop->len = be32(s + *off);
	nameoff = be32(s + *off + 4);
	*off += 8;
	if (!range_ok(*off, prop->len, fdt->struct_size))
		return -FDT_ERR_TRUNCATED;
	prop->value = s + *off;
	prop->name = block_string(fdt->blob + fdt->strings_off, nameoff,
				  fdt->strings_size, NULL);
	if (!prop->name)
		return -FDT_ERR_BADSTRING;
	*off = ALIGN_UP(*off + prop->len, 4);
	return 0;
}

int fdt_for_each_prop(const struct fdt *fdt, fdt_prop_fn fn, void *ctx)
{
	const char *names[FDT_MAX_DEPTH];
	const uint8_t *s = fdt->blob + fdt->struct_off;
	struct fdt_prop prop;
	uint32_t off = 0, token, len;
	int depth = -1, err;

	for (;;) {
		err = read_token(fdt, off, &token);
		if (err)
			return err;
		off += 4;

		switch (token) {
		case FDT_BEGIN_NODE:
			if (++depth >= FDT_MAX_DEPTH)
				return -FDT_ERR_TOODEEP;
			names[depth] = block_string(s, off, fdt->struct_size, &len);
			if (!names[depth])
				return -FDT_ERR_BADSTRING;
			off = ALIGN_UP(off + len + 1, 4);
			break;
		case FDT_END_NODE:
			if (depth-- < 0)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_PROP:
			if (depth < 0)
				return -FDT_ERR_BADSTRUCTURE;
			err = read_prop(fdt, &off, &prop);
			if (err)
				return err;
			prop.depth = depth;
			prop.node = names[depth];
			err = fn(ctx, &prop);
			if (err)
				return err;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return depth == -1 ? 0 : -FDT_ERR_BADSTRUCTURE;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
	}
}

/* Is this a top-level node called base, or base@unit-address? */
static bool node_is(const struct fdt_prop *prop, const char *base)
{
	size_t n = strlen(base);

	return prop->depth == 1 && !strncmp(prop->node, base, n) &&
	       (prop->node[n] == '\0' || prop->node[n] == '@');
}

static bool prop_is(const struct fdt_prop *prop, const char *name)
{
	return !strcmp(prop->name, name);
}

struct mem_walk {
	uint32_t addr_cells;
	uint32_t size_cells;
	struct fdt_mem *mem;
	int max;
	int count;
};

/* A cells-wide big-endian number; cells is 1 or 2. */
static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = be32(p);

	if (cells == 2)
		v = v << 32 | be32(p + 4);
	return v;
}

static int mem_reg(struct mem_walk *w, const struct fdt_prop *prop)
{
	uint32_t entry = (w->addr_cells + w->size_cells) * 4;
	const uint8_t *p = prop->value;
	uint32_t off;

	if (w->addr_cells < 1 || w->addr_cells > 2 ||
	    w->size_cells < 1 || w->size_cells > 2)
		return -FDT_ERR_BADCELLS;
	if (prop->len == 0 || prop->len % entry)
		return -FDT_ERR_BADREG;
	for (off = 0; off < prop->len; off += entry) {
		if (w->count >= w->max)
			return -FDT_ERR_NOSPACE;
		w->mem[w->count].base = read_cells(p + off, w->addr_cells);
		w->mem[w->count].size = read_cells(p + off + w->addr_cells * 4,
						   w->size_cells);
		w->count++;
	}
	return 0;
}

static int mem_prop(void *ctx, const struct fdt_prop *prop)
{
	struct mem_walk *w = ctx;

	/* The root's properties come before any of its subnodes. */
	if (prop->depth == 0 && prop->len == 4) {
		if (prop_is(prop, "#address-cells"))
			w->addr_cells = be32(prop->value);
		else if (prop_is(prop, "#size-cells"))
			w->size_cells = be32(prop->value);
		return 0;
	}
	if (node_is(prop, "memory") && prop_is(prop, "reg"))
		return mem_reg(w, prop);
	return 0;
}

int fdt_memory(const struct fdt *fdt, struct fdt_mem *mem, int max)
{
	/* Defaults from the devicetree spec when the root says nothing. */
	struct mem_walk w = {
		.addr_cells = 2, .size_cells = 1, .mem = mem, .max = max,
	};
	int err;

	err = fdt_for_each_prop(fdt, mem_prop, &w);
	return err ? err : w.count;
}

struct bootargs_walk {
	const char *args;
	int found;
};

static int bootargs_prop(void *ctx, const struct fdt_prop *prop)
{
	struct bootargs_walk *w = ctx;
	const char *v = prop->value;

	if (!node_is(prop, "chosen") || !prop_is(prop, "bootargs"))
		return 0;
	/* A string property must hold its NUL within its length. */
	if (prop->len == 0 || strnlen(v, prop->len) == prop->len)
		return -FDT_ERR_BADVALUE;
	w->args = v;
	w->found = 1;
	return 1;
}

int fdt_bootargs(const struct fdt *fdt, const char **args)
{
	struct bootargs_walk w = { .args = NULL, .found = 0 };
	int err;

	err = fdt_for_each_prop(fdt, bootargs_prop, &w);
	if (err < 0)
		return err;
	*args = w.args;
	return w.found;
}

struct initrd_walk {
	uint64_t start;
	uint64_t end;
	bool have_start;
	bool have_end;
};

/* A 4- or 8-byte big-endian number, as Linux reads linux,initrd-*. */
static int read_u32_or_u64(const struct fdt_prop *prop, uint64_t *v)
{
	if (prop->len != 4 && prop->len != 8)
		return -FDT_ERR_BADVALUE;
	*v = read_cells(prop->value, prop->len / 4);
	return 0;
}

static int initrd_prop(void *ctx, const struct fdt_prop *prop)
{
	struct initrd_walk *w = ctx;
	uint64_t *v;
	bool *have;

	if (!node_is(prop, "chosen"))
		return 0;
	if (prop_is(prop, "linux,initrd-start")) {
		v = &w->start;
		have = &w->have_start;
	} else if (prop_is(prop, "linux,initrd-end")) {
		v = &w->end;
		have = &w->have_end;
	} else {
		return 0;
	}
	/* Two values for one bound: which one would a kernel believe? */
	if (*have)
		return -FDT_ERR_BADINITRD;
	*have = true;
	return read_u32_or_u64(prop, v);
}

int fdt_initrd(const struct fdt *fdt, uint64_t *start, uint64_t *end)
{
	struct initrd_walk w = { 0 };
	int err;

	err = fdt_for_each_prop(fdt, initrd_prop, &w);
	if (err < 0)
		return err;
	if (!w.have_start && !w.have_end)
		return 0;
	if (!w.have_start || !w.have_end || w.end <= w.start)
		return -FDT_ERR_BADINITRD;
	*start = w.start;
	*end = w.end;
	return 1;
}

const char *fdt_strerror(int err)
{
	static const char *const msgs[] = {
		[FDT_ERR_BADPTR] = "null pointer",
		[FDT_ERR_MAGIC] = "bad magic",
		[FDT_ERR_VERSION] = "unsupported version",
		[FDT_ERR_BADHEADER] = "bad header",
		[FDT_ERR_TRUNCATED] = "truncated structure",
		[FDT_ERR_BADSTRUCTURE] = "bad structure",
		[FDT_ERR_BADSTRING] = "bad string",
		[FDT_ERR_TOODEEP] = "nested too deep",
		[FDT_ERR_BADCELLS] = "unsupported #address-cells/#size-cells",
		[FDT_ERR_BADREG] = "bad reg property",
		[FDT_ERR_NOSPACE] = "too many memory ranges",
		[FDT_ERR_BADVALUE] = "bad property value",
		[FDT_ERR_BADINITRD] = "bad linux,initrd-start/end pair",
	};

	err = -err;
	if (err <= 0 || err >= (int)(sizeof(msgs) / sizeof(msgs[0])) || !msgs[err])
		return "unknown error";
	return msgs[err];
}
