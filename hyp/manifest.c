// SPDX-License-Identifier: BSD-2-Clause
/*
 * Manifest parsing and validation. Every field of every container is
 * checked; a problem is reported as "container <name>: <field>: <why>"
 * and only that container is left out.
 */
#include <hyp/bits.h>
#include <hyp/error.h>
#include <hyp/gfdt.h>
#include <hyp/loader.h>
#include <hyp/log.h>
#include <hyp/manifest.h>
#include <hyp/string.h>
#include <libfdt.h>

#define MANIFEST_COMPATIBLE	"diosix,manifest"

/* The properties a container node may have; anything else is a typo. */
static const char *const ctr_props[] = {
	"image", "initrd", "memory-mib", "base", "cpus", "bootargs",
	"restart", "pinned", "stats", "devices", "dma-trusted",
};

struct ctr_parse {
	const void *fdt;
	int node;
	unsigned int xlen;
	struct manifest_ctr *c;
};

static bool name_ok(const char *name)
{
	size_t n = 0;

	for (; name[n]; n++) {
		char ch = name[n];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_'))
			return false;
	}
	return n > 0 && n < HYP_NAME_MAX;
}

static int bad(struct ctr_parse *p, const char *field, const char *why)
{
	hyp_log_ctr_error(p->c->name, field, "%s", why);
	p->c->valid = false;
	return HYP_EINVAL;
}

static int check_props(struct ctr_parse *p)
{
	const char *pname;
	unsigned int i;
	int off;

	fdt_for_each_property_offset(off, p->fdt, p->node) {
		if (!fdt_getprop_by_offset(p->fdt, off, &pname, NULL))
			return bad(p, "(node)", "unreadable property");
		if (!hyp_strcmp(pname, "name") || !hyp_strcmp(pname, "phandle"))
			continue;
		for (i = 0; i < HYP_ARRAY_SIZE(ctr_props); i++)
			if (!hyp_strcmp(pname, ctr_props[i]))
				break;
		if (i == HYP_ARRAY_SIZE(ctr_props)) {
			hyp_log_ctr_error(p->c->name, pname, "unknown property");
			p->c->valid = false;
		}
	}
	return p->c->valid ? 0 : HYP_EINVAL;
}

/* A cell-sized number: one cell, or two cells for 64 bits. */
static int get_num(struct ctr_parse *p, const char *prop, bool wide_ok,
		   u64 *val, bool *present)
{
	const fdt32_t *cells;
	int len;

	cells = fdt_getprop(p->fdt, p->node, prop, &len);
	*present = cells != NULL;
	if (!cells)
		return 0;
	if (len == 4) {
		*val = fdt32_to_cpu(cells[0]);
		return 0;
	}
	if (len == 8 && wide_ok) {
		*val = ((u64)fdt32_to_cpu(cells[0]) << 32) | fdt32_to_cpu(cells[1]);
		return 0;
	}
	return bad(p, prop, wide_ok ? "must be one or two 32-bit cells" :
				      "must be one 32-bit cell");
}

static int parse_memory(struct ctr_parse *p)
{
	u64 mib, pieces;
	bool present;
	int rc;

	rc = get_num(p, "memory-mib", false, &mib, &present);
	if (rc)
		return rc;
	if (!present)
		return bad(p, "memory-mib", "missing (RAM size in MiB)");
	if (mib == 0)
		return bad(p, "memory-mib", "must be at least 1");
	if (p->xlen == 32 && mib > 2048)
		return bad(p, "memory-mib", "more than 2048 MiB on a 32-bit machine");
	if (mib > (1ULL << 20))
		return bad(p, "memory-mib", "more than 1 TiB");
	pieces = hyp_popcount64(mib);
	if (pieces > HYP_MAX_REGIONS) {
		hyp_log_ctr_error(p->c->name, "memory-mib",
				  "%llu MiB needs %llu power-of-two regions, at most %u",
				  (unsigned long long)mib,
				  (unsigned long long)pieces, HYP_MAX_REGIONS);
		p->c->valid = false;
		return HYP_EINVAL;
	}
	p->c->memory = mib * HYP_MIB;
	return 0;
}

static int parse_base(struct ctr_parse *p)
{
	u64 base, align;
	bool present;
	int rc;

	rc = get_num(p, "base", true, &base, &present);
	if (rc || !present)
		return rc;
	/* The largest piece comes first, so aligning to it aligns them all. */
	align = hyp_pow2_floor(p->c->memory);
	if (!base || (base & (align - 1))) {
		hyp_log_ctr_error(p->c->name, "base",
				  "0x%llx is not aligned to 0x%llx (its largest RAM region)",
				  (unsigned long long)base, (unsigned long long)align);
		p->c->valid = false;
		return HYP_EINVAL;
	}
	if (p->xlen == 32 && (base >= (1ULL << 32) ||
			      base + p->c->memory > (1ULL << 32)))
		return bad(p, "base", "RAM would end above 4 GiB on a 32-bit machine");
	p->c->base = base;
	return 0;
}

static int parse_cpus(struct ctr_parse *p)
{
	bool present;
	u64 n;
	int rc;

	rc = get_num(p, "cpus", false, &n, &present);
	if (rc)
		return rc;
	if (!present)
		n = 1;
	if (n == 0)
		return bad(p, "cpus", "must be at least 1");
	if (n > HYP_MAX_CONTAINER_VCPUS) {
		hyp_log_ctr_error(p->c->name, "cpus",
				  "%llu virtual harts, at most %u per container",
				  (unsigned long long)n, HYP_MAX_CONTAINER_VCPUS);
		p->c->valid = false;
		return HYP_EINVAL;
	}
	p->c->vcpus = (unsigned int)n;
	return 0;
}

static int parse_string(struct ctr_parse *p, const char *prop, size_t max,
			const char **out)
{
	const char *s;
	int len;

	s = fdt_getprop(p->fdt, p->node, prop, &len);
	if (!s)
		return 0;
	if (len < 1 || s[len - 1] != '\0' || hyp_strnlen(s, (size_t)len) != (size_t)len - 1)
		return bad(p, prop, "must be one string");
	if ((size_t)len > max)
		return bad(p, prop, "too long");
	*out = s;
	return 0;
}

static int parse_restart(struct ctr_parse *p)
{
	const char *s = NULL;
	int rc;

	p->c->restart = RESTART_ON_REBOOT;
	rc = parse_string(p, "restart", 16, &s);
	if (rc || !s)
		return rc;
	if (!hyp_strcmp(s, "never"))
		p->c->restart = RESTART_NEVER;
	else if (!hyp_strcmp(s, "on-reboot"))
		p->c->restart = RESTART_ON_REBOOT;
	else if (!hyp_strcmp(s, "always"))
		p->c->restart = RESTART_ALWAYS;
	else
		return bad(p, "restart", "must be \"never\", \"on-reboot\" or \"always\"");
	return 0;
}

static int parse_images(struct ctr_parse *p)
{
	struct manifest_ctr *c = p->c;
	struct image_info info;
	const char *why;
	u64 need;
	int len;

	c->image = fdt_getprop(p->fdt, p->node, "image", &len);
	if (!c->image || len <= 0)
		return bad(p, "image", "missing (the guest image, e.g. /incbin/(\"guest.elf\"))");
	c->image_size = (size_t)len;
	if (loader_inspect(c->image, c->image_size, p->xlen, &info, &why))
		return bad(p, "image", why);

	c->initrd = fdt_getprop(p->fdt, p->node, "initrd", &len);
	c->initrd_size = c->initrd && len > 0 ? (size_t)len : 0;
	if (c->initrd && !c->initrd_size)
		return bad(p, "initrd", "empty");

	if (info.span > c->memory || c->initrd_size > c->memory) {
		hyp_log_ctr_error(c->name, "memory-mib",
				  "%llu MiB is too small for the %s image",
				  (unsigned long long)(c->memory / HYP_MIB),
				  loader_kind_name(info.kind));
		c->valid = false;
		return HYP_EINVAL;
	}
	need = HYP_ALIGN_UP(info.span, 4096ULL) +
	       HYP_ALIGN_UP((u64)c->initrd_size, 4096ULL) + GFDT_MAX_SIZE;
	if (need > c->memory) {
		hyp_log_ctr_error(c->name, "memory-mib",
				  "%llu MiB is too small: image, initrd and device tree need %llu KiB",
				  (unsigned long long)(c->memory / HYP_MIB),
				  (unsigned long long)(need / HYP_KIB));
		c->valid = false;
		return HYP_EINVAL;
	}
	return 0;
}

/*
 * devices: a list of strings, each a path in the board's tree. Only
 * their form is checked here; devtree.c checks them against the board.
 */
static int parse_devices(struct ctr_parse *p)
{
	struct manifest_ctr *c = p->c;
	const char *s;
	int len, at = 0;

	c->dma_trusted = fdt_getprop(p->fdt, p->node, "dma-trusted", NULL) != NULL;
	s = fdt_getprop(p->fdt, p->node, "devices", &len);
	if (!s)
		return 0;
	if (len < 2 || s[len - 1] != '\0')
		return bad(p, "devices", "must be a list of device-tree paths");
	while (at < len) {
		size_t n = hyp_strnlen(s + at, (size_t)(len - at));

		if (s[at] != '/' || n < 2)
			return bad(p, "devices", "each entry must be a device-tree path such as \"/soc/virtio_mmio@10008000\"");
		if (c->nr_devices == HYP_MAX_DEVICES) {
			hyp_log_ctr_error(c->name, "devices", "more than %u devices",
					  HYP_MAX_DEVICES);
			c->valid = false;
			return HYP_EINVAL;
		}
		c->dev[c->nr_devices++].path = s + at;
		at += (int)n + 1;
	}
	c->devices = s;
	c->devices_len = (size_t)len;
	return 0;
}

static void parse_container(const void *fdt, int node, unsigned int xlen,
			    struct manifest_ctr *c)
{
	struct ctr_parse p = { fdt, node, xlen, c };
	const char *name = fdt_get_name(fdt, node, NULL);

	hyp_memset(c, 0, sizeof(*c));
	c->valid = true;
	if (!name || !name_ok(name)) {
		hyp_snprintf(c->name, sizeof(c->name), "#%d", node);
		bad(&p, "name", "must be 1-15 characters of a-z, 0-9, '-' or '_'");
		return;
	}
	hyp_snprintf(c->name, sizeof(c->name), "%s", name);
	if (check_props(&p) || parse_memory(&p) || parse_base(&p) ||
	    parse_cpus(&p) || parse_restart(&p) ||
	    parse_string(&p, "bootargs", HYP_BOOTARGS_MAX, &c->bootargs) ||
	    parse_images(&p) || parse_devices(&p))
		return;
	c->pinned = fdt_getprop(fdt, node, "pinned", NULL) != NULL;
	c->stats = fdt_getprop(fdt, node, "stats", NULL) != NULL;
	/*
	 * A pinned container needs a hart per vCPU and one more that stays
	 * shared: past HYP_MAX_HARTS no machine has them. Refused here, so
	 * the build's check says what the boot would (sched_pin, boot.c).
	 */
	if (c->pinned && c->vcpus >= HYP_MAX_HARTS) {
		hyp_log_ctr_error(c->name, "pinned", MANIFEST_PIN_REFUSED, c->vcpus);
		c->valid = false;
	}
}

/* Checks across containers: unique names, the machine-wide vCPU limit. */
static void check_all(struct manifest *m)
{
	unsigned int i, j, vcpus = 0;

	for (i = 0; i < m->count; i++) {
		struct manifest_ctr *c = &m->ctr[i];

		if (!c->valid)
			continue;
		for (j = 0; j < i; j++) {
			if (!hyp_strcmp(m->ctr[j].name, c->name)) {
				hyp_log_ctr_error(c->name, "name", "used twice");
				c->valid = false;
			}
		}
		if (c->valid && vcpus + c->vcpus > HYP_MAX_VCPUS) {
			hyp_log_ctr_error(c->name, "cpus",
					  "%u virtual harts exceed the machine's limit of %u (%u left)",
					  c->vcpus, HYP_MAX_VCPUS, HYP_MAX_VCPUS - vcpus);
			c->valid = false;
		}
		if (c->valid)
			vcpus += c->vcpus;
	}
}

/* The /containers node of a manifest blob, or < 0 (@quiet: no message). */
static int containers_node(const void *blob, size_t max, bool quiet)
{
	int root, ctrs;

	if (max < sizeof(struct fdt_header) || fdt_check_header(blob) ||
	    fdt_totalsize(blob) > max) {
		if (!quiet)
			hyp_log("error: manifest: not a device tree blob");
		return -1;
	}
	root = fdt_path_offset(blob, "/");
	if (root < 0 || fdt_node_check_compatible(blob, root, MANIFEST_COMPATIBLE)) {
		if (!quiet)
			hyp_log("error: manifest: root compatible must be \"%s\"",
				MANIFEST_COMPATIBLE);
		return -1;
	}
	ctrs = fdt_subnode_offset(blob, root, "containers");
	if (ctrs < 0 && !quiet)
		hyp_log("error: manifest: no /containers node");
	return ctrs;
}

void manifest_count(const void *blob, size_t max, unsigned int *ctrs,
		    unsigned int *vcpus)
{
	int node, parent = containers_node(blob, max, true);
	const fdt32_t *cpus;
	int len;

	*ctrs = *vcpus = 0;
	if (parent < 0)
		return;
	fdt_for_each_subnode(node, blob, parent) {
		if (*ctrs == HYP_MAX_CONTAINERS)
			break;
		(*ctrs)++;
		/* A bad cpus value makes the entry invalid: it needs no vCPU. */
		cpus = fdt_getprop(blob, node, "cpus", &len);
		if (!cpus)
			*vcpus += 1;
		else if (len == sizeof(*cpus) &&
			 fdt32_to_cpu(*cpus) <= HYP_MAX_CONTAINER_VCPUS)
			*vcpus += fdt32_to_cpu(*cpus);
	}
	if (*vcpus > HYP_MAX_VCPUS)
		*vcpus = HYP_MAX_VCPUS;
}

int manifest_parse(const void *blob, size_t max, unsigned int xlen,
		   struct manifest *m)
{
	struct manifest_ctr *ctr = m->ctr;
	unsigned int cap = m->cap, limit;
	int ctrs, node, root;

	hyp_memset(m, 0, sizeof(*m));
	m->ctr = ctr;
	m->cap = cap;
	ctrs = containers_node(blob, max, false);
	if (ctrs < 0)
		return HYP_EINVAL;
	root = fdt_path_offset(blob, "/");
	m->stay_up = fdt_getprop(blob, root, "stay-up", NULL) != NULL;
	m->trap_time = fdt_getprop(blob, root, "trap-time", NULL) != NULL;
	/* The caller's room is manifest_count()'s: the limit, or all there are. */
	limit = cap < HYP_MAX_CONTAINERS ? cap : HYP_MAX_CONTAINERS;
	fdt_for_each_subnode(node, blob, ctrs) {
		if (m->count == limit) {
			hyp_log_ctr_error(fdt_get_name(blob, node, NULL), "(node)",
					  "more than %u containers", limit);
			m->dropped++;
			continue;
		}
		parse_container(blob, node, xlen, &m->ctr[m->count++]);
	}
	check_all(m);
	return 0;
}

unsigned int manifest_valid_count(const struct manifest *m)
{
	unsigned int i, n = 0;

	for (i = 0; i < m->count; i++)
		n += m->ctr[i].valid;
	return n;
}

unsigned int manifest_refused_count(const struct manifest *m)
{
	return m->count - manifest_valid_count(m) + m->dropped;
}
