// SPDX-License-Identifier: BSD-2-Clause
/*
 * The board side of device passthrough: what a device path in the
 * manifest means in the board's device tree, and whether a container may
 * have it. The same code runs at build time (tools/manifest-check.c,
 * against the tree QEMU dumps) and at boot (against the tree the board
 * hands the firmware), so both print the same messages.
 *
 * A device is refused, with the reason, when: the board has no such
 * node, or it is disabled; it is the hypervisor's own console UART, its
 * interrupt controller or timer; its registers are not naturally aligned
 * powers of two (each must be one PMP entry); its interrupts do not go
 * to the board's PLIC; it depends on a clock that is neither a
 * fixed-clock nor an output of a clock controller whose registers the
 * firmware reads (the FU540's and FU740's PRCI: its rate would be
 * unknown); it carries a line the firmware resets the board with; or on
 * other nodes (phandles this code does not rewire; a phy-handle naming
 * one of its own children, copied with it, is fine); it masters DMA and the container is not dma-trusted;
 * another container (or this one) already has it; or the container's
 * RAM pieces and device ranges need more PMP entries than a hart has
 * left once the firmware's own are set.
 */
#include <hyp/bits.h>
#include <hyp/devices.h>
#include <hyp/hal.h>
#include <hyp/log.h>
#include <hyp/manifest.h>
#include <hyp/string.h>
#include <hyp/vplic.h>
#include <libfdt.h>

static const char *const plic_compat[] = { "riscv,plic0", "sifive,plic-1.0.0" };

/* The hypervisor's own: never a container's. */
static const char *const firmware_compat[] = {
	"riscv,plic0", "sifive,plic-1.0.0", "riscv,clint0", "sifive,clint0",
	"riscv,aclint-mswi", "riscv,aclint-mtimer", "riscv,aclint-sswi",
	"riscv,aplic", "riscv,imsics", "riscv,cpu-intc",
};

/*
 * Devices that master DMA: bus masters whose drivers hand them physical
 * addresses (virtqueues, descriptor rings). Without an IOMMU or IOPMP
 * they can read and write every byte of memory.
 */
static const char *const dma_compat[] = {
	"virtio,mmio", "cdns,macb", "cdns,gem", "sifive,fu540-c000-gem",
	"sifive,fu740-c000-gem", "snps,dwmac", "sifive,fu540-c000-pdma",
	"riscv,pdma0", "generic-ohci", "generic-ehci", "generic-xhci",
	"pci-host-ecam-generic",
};

/*
 * Nodes whose lines the firmware drives itself to reset or power off the
 * board (OpenSBI's gpio reset driver, CONFIG_FDT_RESET_GPIO): the GPIO
 * block they name stays the firmware's, or a container could reset the
 * board, and the firmware could not.
 */
static const char *const reset_line_compat[] = { "gpio-restart", "gpio-poweroff" };

/* Properties holding phandles this code does not rewire. */
static const char *const phandle_props[] = {
	"resets", "dmas", "power-domains", "iommus",
	"pinctrl-0", "memory-region", "msi-parent", "gpios", "syscon",
};

static bool compat_any(const void *fdt, int node, const char *const *list,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!fdt_node_check_compatible(fdt, node, list[i]))
			return true;
	return false;
}

static int find_plic(const void *fdt)
{
	unsigned int i;
	int node;

	for (i = 0; i < HYP_ARRAY_SIZE(plic_compat); i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, plic_compat[i]);
		if (node >= 0)
			return node;
	}
	return -1;
}

/* Address and size cells of @node's parent, and the first @i-th reg. */
static int read_reg(const void *fdt, int node, unsigned int i, u64 *base, u64 *size)
{
	int parent = fdt_parent_offset(fdt, node), len, ac, sc;
	const fdt32_t *reg;
	unsigned int k, at;

	if (parent < 0)
		return -1;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 ||
	    (unsigned int)len < (i + 1) * (unsigned int)(ac + sc) * 4)
		return -1;
	at = i * (unsigned int)(ac + sc);
	*base = *size = 0;
	for (k = 0; k < (unsigned int)ac; k++)
		*base = (*base << 32) | fdt32_to_cpu(reg[at + k]);
	for (k = 0; k < (unsigned int)sc; k++)
		*size = (*size << 32) | fdt32_to_cpu(reg[at + ac + k]);
	return 0;
}

static unsigned int reg_count(const void *fdt, int node)
{
	int parent = fdt_parent_offset(fdt, node), len;
	int cells = fdt_address_cells(fdt, parent) + fdt_size_cells(fdt, parent);

	if (!fdt_getprop(fdt, node, "reg", &len) || cells <= 0)
		return 0;
	return (unsigned int)len / (unsigned int)(cells * 4);
}

void board_init(struct board *b, const void *fdt, unsigned int pmp_regions)
{
	const char *path;
	const fdt32_t *p;
	u64 size;
	int len, chosen;

	hyp_memset(b, 0, sizeof(*b));
	b->fdt = fdt;
	b->console_node = -1;
	b->pmp_regions = pmp_regions;
	b->plic_node = find_plic(fdt);
	if (b->plic_node >= 0) {
		b->plic_phandle = fdt_get_phandle(fdt, b->plic_node);
		p = fdt_getprop(fdt, b->plic_node, "riscv,ndev", &len);
		b->plic_ndev = p && len == 4 ? fdt32_to_cpu(*p) : 0;
		if (read_reg(fdt, b->plic_node, 0, &b->plic_base, &size))
			b->plic_node = -1;
	}
	chosen = fdt_path_offset(fdt, "/chosen");
	path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
	if (path && len > 0) {
		/* "serial0:115200n8": the node before any ':' (path or alias). */
		int n = 0;

		while (n < len && path[n] && path[n] != ':')
			n++;

		b->console_node = fdt_path_offset_namelen(fdt, path, n);
	}
}

struct dev_check {
	const struct board *b;
	struct manifest_ctr *c;
	struct dev_grant *d;
};

static bool refuse(struct dev_check *k, const char *why)
{
	hyp_log_ctr_error(k->c->name, "devices", "%s: %s", k->d->path, why);
	k->c->valid = false;
	return false;
}

static bool refusef(struct dev_check *k, const char *fmt, const char *what)
{
	char why[160];

	hyp_snprintf(why, sizeof(why), fmt, what);
	return refuse(k, why);
}

static bool check_regs(struct dev_check *k)
{
	const void *fdt = k->b->fdt;
	struct dev_grant *d = k->d;
	unsigned int i, n = reg_count(fdt, d->node);

	if (!n)
		return refuse(k, "has no registers (reg) to map");
	if (n > DEV_MAX_REGS)
		return refuse(k, "more than 2 register ranges");
	for (i = 0; i < n; i++) {
		u64 base, size;

		if (read_reg(fdt, d->node, i, &base, &size))
			return refuse(k, "reg cannot be read");
		if (size < 8 || (size & (size - 1)) || (base & (size - 1))) {
			char why[96];

			hyp_snprintf(why, sizeof(why), "reg 0x%llx size 0x%llx",
				     (unsigned long long)base, (unsigned long long)size);
			return refusef(k, "%s is not a naturally aligned power of two (one PMP entry)", why);
		}
		d->base[i] = base;
		d->size[i] = size;
	}
	d->nregs = n;
	return true;
}

/* The parent of @node's interrupts: its own or an ancestor's. */
static u32 irq_parent(const void *fdt, int node)
{
	const fdt32_t *p;

	for (; node >= 0; node = fdt_parent_offset(fdt, node)) {
		p = fdt_getprop(fdt, node, "interrupt-parent", NULL);
		if (p)
			return fdt32_to_cpu(*p);
	}
	return 0;
}

_Static_assert(DEV_MAX_IRQS == 16, "the refusal below says 16");

static bool add_irq(struct dev_check *k, u32 src)
{
	if (!src || src > k->b->plic_ndev || src >= VPLIC_MAX_SRC)
		return refuse(k, "an interrupt is not a source this PLIC has");
	if (k->d->nirqs == DEV_MAX_IRQS)
		return refuse(k, "more than 16 interrupts");
	k->d->irq[k->d->nirqs++] = src;
	return true;
}

static bool check_irqs(struct dev_check *k)
{
	const void *fdt = k->b->fdt;
	const fdt32_t *p;
	int len, i;

	p = fdt_getprop(fdt, k->d->node, "interrupts-extended", &len);
	if (p) {
		for (i = 0; i + 1 < len / 4; i += 2) {
			if (fdt32_to_cpu(p[i]) != k->b->plic_phandle)
				return refuse(k, "an interrupt goes to a controller other than the PLIC");
			if (!add_irq(k, fdt32_to_cpu(p[i + 1])))
				return false;
		}
		return true;
	}
	p = fdt_getprop(fdt, k->d->node, "interrupts", &len);
	if (!p)
		return true;
	if (irq_parent(fdt, k->d->node) != k->b->plic_phandle)
		return refuse(k, "its interrupts go to a controller other than the PLIC");
	for (i = 0; i < len / 4; i++)
		if (!add_irq(k, fdt32_to_cpu(p[i])))
			return false;
	return true;
}

/*
 * Clock controllers whose outputs' rates the firmware reads at boot
 * (hal_clock_rate); any other clock must be a fixed-clock.
 */
static const char *const clock_compat[] = {
	"sifive,fu540-c000-prci", "sifive,fu740-c000-prci",
};

/* The rate of clock @args of provider @prov; 0 and a refusal if none. */
static bool clock_rate(struct dev_check *k, int prov, const fdt32_t *args,
		       int cells, u32 *hz)
{
	const void *fdt = k->b->fdt;
	const char *name = fdt_get_name(fdt, prov, NULL);
	const fdt32_t *rate;
	u32 a[2] = { 0, 0 };
	int i;

	if (!fdt_node_check_compatible(fdt, prov, "fixed-clock")) {
		rate = fdt_getprop(fdt, prov, "clock-frequency", NULL);
		if (!rate)
			return refusef(k, "its clock %s has no clock-frequency", name);
		*hz = fdt32_to_cpu(*rate);
		return true;
	}
	if (!compat_any(fdt, prov, clock_compat, HYP_ARRAY_SIZE(clock_compat)) || cells > 2)
		return refusef(k, "its clock comes from %s, not a fixed-clock: its rate is unknown",
				name);
	/* The build's check has no registers to read: the boot does. */
	if (k->b->clocks_at_boot) {
		*hz = 0;
		return true;
	}
	for (i = 0; i < cells; i++)
		a[i] = fdt32_to_cpu(args[i]);
	*hz = hal_clock_rate(fdt, prov, a, (unsigned int)cells);
	if (!*hz)
		return refusef(k, "its clock from %s has a rate the firmware cannot read", name);
	return true;
}

/* Each clock's rate, for the fixed-clock the guest gets in its place. */
static bool check_clocks(struct dev_check *k)
{
	const void *fdt = k->b->fdt;
	const fdt32_t *p, *c;
	int len, i, prov, cells;

	p = fdt_getprop(fdt, k->d->node, "clocks", &len);
	for (i = 0; p && i < len / 4; i += 1 + cells) {
		prov = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(p[i]));
		if (prov < 0)
			return refuse(k, "a clock's provider is missing");
		c = fdt_getprop(fdt, prov, "#clock-cells", NULL);
		cells = c ? (int)fdt32_to_cpu(*c) : 0;
		if (i + 1 + cells > len / 4)
			return refuse(k, "clocks is cut short");
		if (k->d->nclocks == DEV_MAX_CLOCKS)
			return refuse(k, "more than 2 clocks");
		if (!clock_rate(k, prov, p + i + 1, cells, &k->d->clock_hz[k->d->nclocks]))
			return false;
		k->d->nclocks++;
	}
	return true;
}

/* Whether @node holds a property naming other nodes (or interrupts). */
static const char *depends(const void *fdt, int node, bool child)
{
	unsigned int i;

	for (i = 0; i < HYP_ARRAY_SIZE(phandle_props); i++)
		if (fdt_getprop(fdt, node, phandle_props[i], NULL))
			return phandle_props[i];
	if (child && fdt_getprop(fdt, node, "phy-handle", NULL))
		return "phy-handle";
	if (child && (fdt_getprop(fdt, node, "interrupts", NULL) ||
		      fdt_getprop(fdt, node, "interrupts-extended", NULL)))
		return "interrupts";
	if (child && fdt_getprop(fdt, node, "clocks", NULL))
		return "clocks";
	return NULL;
}

/*
 * Child nodes (an Ethernet controller's PHY) are copied too, if they
 * have no children and depend on nothing; the device's phy-handle may
 * name one of them, and is rewired to the copy (gfdt_dev.c).
 */
static bool check_children(struct dev_check *k)
{
	const void *fdt = k->b->fdt;
	const fdt32_t *phy = fdt_getprop(fdt, k->d->node, "phy-handle", NULL);
	const char *what;
	int child, target;

	fdt_for_each_subnode(child, fdt, k->d->node) {
		if (fdt_first_subnode(fdt, child) >= 0)
			return refusef(k, "its child %s has children, which are not passed through",
				       fdt_get_name(fdt, child, NULL));
		what = depends(fdt, child, true);
		if (what)
			return refusef(k, "a child node depends on other nodes (%s)", what);
	}
	if (!phy)
		return true;
	target = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*phy));
	if (target < 0 || fdt_parent_offset(fdt, target) != k->d->node)
		return refuse(k, "its phy-handle names a node outside it, which is not passed through");
	return true;
}

static bool check_shape(struct dev_check *k)
{
	const void *fdt = k->b->fdt;
	int parent = fdt_parent_offset(fdt, k->d->node), len;
	const char *what = depends(fdt, k->d->node, false);

	if (what)
		return refusef(k, "depends on other nodes (%s), which are not passed through",
			       what);
	/* Its bus must map addresses one to one (an empty ranges). */
	if (parent > 0 && (!fdt_getprop(fdt, parent, "ranges", &len) || len))
		return refuse(k, "its bus translates addresses");
	return check_children(k);
}

/* The firmware's reset or power-off node that uses @node's lines, or -1. */
static int reset_line_user(const void *fdt, int node)
{
	u32 ph = fdt_get_phandle(fdt, node);
	const fdt32_t *gpios;
	int user, len;

	if (!ph)
		return -1;
	for (user = fdt_next_node(fdt, -1, NULL); user >= 0;
	     user = fdt_next_node(fdt, user, NULL)) {
		if (!compat_any(fdt, user, reset_line_compat, HYP_ARRAY_SIZE(reset_line_compat)))
			continue;
		gpios = fdt_getprop(fdt, user, "gpios", &len);
		if (gpios && len >= 4 && fdt32_to_cpu(gpios[0]) == ph)
			return user;
	}
	return -1;
}

static bool check_one(struct dev_check *k)
{
	const struct board *b = k->b;
	const char *status, *type;
	int user;

	k->d->node = fdt_path_offset(b->fdt, k->d->path);
	if (k->d->node < 0)
		return refuse(k, "no such node in the board's device tree");
	if (k->d->node == b->console_node)
		return refuse(k, "is the hypervisor's console UART");
	type = fdt_getprop(b->fdt, k->d->node, "device_type", NULL);
	if ((type && (!hyp_strcmp(type, "cpu") || !hyp_strcmp(type, "memory"))) ||
	    compat_any(b->fdt, k->d->node, firmware_compat, HYP_ARRAY_SIZE(firmware_compat)))
		return refuse(k, "belongs to the hypervisor (interrupt controller, timer, harts or RAM)");
	status = fdt_getprop(b->fdt, k->d->node, "status", NULL);
	if (status && hyp_strcmp(status, "okay") && hyp_strcmp(status, "ok"))
		return refuse(k, "is disabled in the board's device tree");
	user = reset_line_user(b->fdt, k->d->node);
	if (user >= 0)
		return refusef(k, "carries the board's reset line the firmware uses (/%s)",
			       fdt_get_name(b->fdt, user, NULL));
	if (b->plic_node < 0)
		return refuse(k, "the board has no PLIC to route its interrupts");
	k->d->dma = compat_any(b->fdt, k->d->node, dma_compat, HYP_ARRAY_SIZE(dma_compat));
	if (k->d->dma && !k->c->dma_trusted)
		return refuse(k, "can master DMA and reach all memory: the container needs dma-trusted");
	return check_shape(k) && check_regs(k) && check_irqs(k) && check_clocks(k);
}

/* Whether container @i's device @j was already given (to @i or before). */
static const char *given_before(const struct manifest *m, unsigned int i,
				unsigned int j)
{
	const struct dev_grant *d = &m->ctr[i].dev[j];
	unsigned int a, b;

	for (a = 0; a <= i; a++) {
		const struct manifest_ctr *o = &m->ctr[a];

		if (!o->valid && a != i)
			continue;
		for (b = 0; b < (a == i ? j : o->nr_devices); b++)
			if (o->dev[b].node == d->node)
				return o->name;
	}
	return NULL;
}

static void check_pmp(struct manifest_ctr *c, const struct board *b)
{
	unsigned int i, ram = hyp_popcount64(c->memory / HYP_MIB), dev = 0;

	for (i = 0; i < c->nr_devices; i++)
		dev += c->dev[i].nregs;
	if (ram + dev <= b->pmp_regions)
		return;
	hyp_log_ctr_error(c->name, "devices",
			  "needs %u PMP entries (%u for RAM, %u for device ranges), a hart has %u for a container",
			  ram + dev, ram, dev, b->pmp_regions);
	c->valid = false;
}

void devices_check(struct manifest *m, const struct board *b)
{
	unsigned int i, j;

	for (i = 0; i < m->count; i++) {
		struct manifest_ctr *c = &m->ctr[i];

		for (j = 0; c->valid && j < c->nr_devices; j++) {
			struct dev_check k = { b, c, &c->dev[j] };
			const char *other;

			if (!check_one(&k))
				break;
			other = given_before(m, i, j);
			if (other && !hyp_strcmp(other, c->name))
				refuse(&k, "listed twice");
			else if (other)
				refusef(&k, "already given to container %s", other);
		}
		if (c->valid && c->nr_devices)
			check_pmp(c, b);
	}
}
