// SPDX-License-Identifier: BSD-2-Clause
/*
 * The devices part of a guest's device tree: a /soc bus holding the
 * container's virtual PLIC and a copy of each board device it owns.
 *
 * The PLIC node sits at the board's PLIC address with one S-mode context
 * per vCPU (interrupts-extended: each vCPU's riscv,cpu-intc, cause 9), so
 * context n is vCPU n. A device node keeps every property of the board's
 * (reg unchanged, written in this bus's two cells), except that its interrupts go to the virtual PLIC
 * with the same source numbers and its clocks to fixed-clock nodes with
 * the board's rates; the board's own phandle is dropped. Its child nodes
 * (a PHY) are copied with phandles of ours, and its phy-handle follows.
 * The board's aliases of the devices go into /aliases.
 */
#include <hyp/devices.h>
#include <hyp/gfdt.h>
#include <hyp/string.h>
#include <hyp/vplic.h>
#include <libfdt.h>

#define TRY(x)	do { int __rc = (x); if (__rc) return __rc; } while (0)

/*
 * Board properties a device's copy does not keep as they are. The
 * assigned-clock ones are dropped: the guest's clocks are fixed at the
 * board's rates, which it must not change for everyone.
 */
static const char *const rewired[] = {
	"interrupts", "interrupt-parent", "interrupts-extended", "clocks",
	"reg", "phy-handle", "assigned-clocks", "assigned-clock-rates",
	"assigned-clock-parents", "phandle", "linux,phandle",
};
/* Of a child, only its phandle: rewired's last two. */
#define CHILD_REWIRED	2

static int reg_pair(void *fdt, const char *name, const u64 *base,
		    const u64 *size, unsigned int n)
{
	fdt64_t cells[2 * 2];
	unsigned int i;

	for (i = 0; i < n && i < 2; i++) {
		cells[2 * i] = cpu_to_fdt64(base[i]);
		cells[2 * i + 1] = cpu_to_fdt64(size[i]);
	}
	return fdt_property(fdt, name, cells, (int)(n * 2 * sizeof(fdt64_t)));
}

static int add_plic(void *fdt, const struct gfdt_info *info)
{
	fdt32_t ext[2 * HYP_MAX_CONTAINER_VCPUS];
	u64 size = VPLIC_SIZE(info->vcpus);
	char name[32];
	unsigned int i;

	for (i = 0; i < info->vcpus; i++) {
		ext[2 * i] = cpu_to_fdt32(i + 1);	/* cpu@i's intc (gfdt.c) */
		ext[2 * i + 1] = cpu_to_fdt32(9);	/* supervisor external */
	}
	hyp_snprintf(name, sizeof(name), "plic@%llx",
		     (unsigned long long)info->board->plic_base);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "compatible", "riscv,plic0"));
	TRY(reg_pair(fdt, "reg", &info->board->plic_base, &size, 1));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	TRY(fdt_property_u32(fdt, "#address-cells", 0));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_u32(fdt, "riscv,ndev", info->board->plic_ndev));
	TRY(fdt_property(fdt, "interrupts-extended", ext,
			 (int)(2 * info->vcpus * sizeof(fdt32_t))));
	TRY(fdt_property_u32(fdt, "phandle", GFDT_PHANDLE_PLIC));
	return fdt_end_node(fdt);
}

/* Of a child, only its phandle changes. */
static bool is_rewired(const char *name, bool child)
{
	unsigned int n = HYP_ARRAY_SIZE(rewired);
	unsigned int i = child ? n - CHILD_REWIRED : 0;

	for (; i < n; i++)
		if (!hyp_strcmp(name, rewired[i]))
			return true;
	return false;
}

/* The board node's properties, less those rewired. */
static int copy_props(void *fdt, const void *board, int node, bool child)
{
	const char *name;
	const void *val;
	int off, len;

	fdt_for_each_property_offset(off, board, node) {
		val = fdt_getprop_by_offset(board, off, &name, &len);
		if (!val)
			return len;
		if (!is_rewired(name, child))
			TRY(fdt_property(fdt, name, val, len));
	}
	return 0;
}

/*
 * Its children (devtree.c allowed only leaves that depend on nothing),
 * each that had a phandle given the next of ours from *@next; the one
 * its phy-handle named is @phy's.
 */
static int copy_children(void *fdt, const void *board, int node, u32 *next)
{
	int child;

	fdt_for_each_subnode(child, board, node) {
		TRY(fdt_begin_node(fdt, fdt_get_name(board, child, NULL)));
		TRY(copy_props(fdt, board, child, true));
		if (fdt_get_phandle(board, child))
			TRY(fdt_property_u32(fdt, "phandle", (*next)++));
		TRY(fdt_end_node(fdt));
	}
	return 0;
}

/* The phandle copy_children will give the child @phy-handle names. */
static int phy_handle(void *fdt, const void *board, int node, u32 next)
{
	const fdt32_t *phy = fdt_getprop(board, node, "phy-handle", NULL);
	int child;

	if (!phy)
		return 0;
	fdt_for_each_subnode(child, board, node) {
		u32 ph = fdt_get_phandle(board, child);

		if (ph == fdt32_to_cpu(*phy))
			return fdt_property_u32(fdt, "phy-handle", next);
		next += ph != 0;
	}
	return 0;
}

static int add_device(void *fdt, const struct gfdt_info *info,
		      const struct dev_grant *d, u32 *clock, u32 *child)
{
	fdt32_t cells[DEV_MAX_IRQS > DEV_MAX_CLOCKS ? DEV_MAX_IRQS : DEV_MAX_CLOCKS];
	const void *board = info->board->fdt;
	unsigned int i;

	TRY(fdt_begin_node(fdt, fdt_get_name(board, d->node, NULL)));
	TRY(copy_props(fdt, board, d->node, false));
	/* The same ranges, in this bus's two-cell addresses and sizes. */
	TRY(reg_pair(fdt, "reg", d->base, d->size, d->nregs));
	if (d->nirqs) {
		for (i = 0; i < d->nirqs; i++)
			cells[i] = cpu_to_fdt32(d->irq[i]);
		TRY(fdt_property_u32(fdt, "interrupt-parent", GFDT_PHANDLE_PLIC));
		TRY(fdt_property(fdt, "interrupts", cells, (int)(d->nirqs * 4)));
	}
	if (d->nclocks) {
		for (i = 0; i < d->nclocks; i++)
			cells[i] = cpu_to_fdt32(*clock + i);
		TRY(fdt_property(fdt, "clocks", cells, (int)(d->nclocks * 4)));
	}
	TRY(phy_handle(fdt, board, d->node, *child));
	TRY(copy_children(fdt, board, d->node, child));
	return fdt_end_node(fdt);
}

static int add_clocks(void *fdt, const struct dev_grant *d, u32 *clock)
{
	char name[24];
	unsigned int i;

	for (i = 0; i < d->nclocks; i++) {
		hyp_snprintf(name, sizeof(name), "clock-%u", *clock - GFDT_PHANDLE_CLOCK + i);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
		TRY(fdt_property_u32(fdt, "#clock-cells", 0));
		TRY(fdt_property_u32(fdt, "clock-frequency", d->clock_hz[i]));
		TRY(fdt_property_u32(fdt, "phandle", *clock + i));
		TRY(fdt_end_node(fdt));
	}
	return 0;
}

/*
 * The board's aliases of its devices (serial1 = its second UART), for
 * drivers that number their ports by them (Linux's SiFive UART driver
 * will not probe without one); pointing at the copies under /soc.
 */
static int add_aliases(void *fdt, const struct gfdt_info *info)
{
	const void *board = info->board->fdt;
	int node = fdt_path_offset(board, "/aliases"), off, len;
	const char *name, *path;
	char guest[64];
	unsigned int i;

	if (node < 0)
		return 0;
	TRY(fdt_begin_node(fdt, "aliases"));
	fdt_for_each_property_offset(off, board, node) {
		path = fdt_getprop_by_offset(board, off, &name, &len);
		for (i = 0; path && i < info->nr_devices; i++) {
			const struct dev_grant *d = &info->dev[i];

			if (fdt_path_offset(board, path) != d->node)
				continue;
			hyp_snprintf(guest, sizeof(guest), "/soc/%s",
				     fdt_get_name(board, d->node, NULL));
			TRY(fdt_property_string(fdt, name, guest));
		}
	}
	return fdt_end_node(fdt);
}

int gfdt_add_devices(void *fdt, const struct gfdt_info *info)
{
	u32 clock = GFDT_PHANDLE_CLOCK, child = GFDT_PHANDLE_CHILD;
	unsigned int i;

	TRY(fdt_begin_node(fdt, "soc"));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_string(fdt, "compatible", "simple-bus"));
	TRY(fdt_property(fdt, "ranges", NULL, 0));
	TRY(add_plic(fdt, info));
	for (i = 0; i < info->nr_devices; i++) {
		const struct dev_grant *d = &info->dev[i];

		TRY(add_clocks(fdt, d, &clock));
		TRY(add_device(fdt, info, d, &clock, &child));
		clock += d->nclocks;
	}
	TRY(fdt_end_node(fdt));
	return add_aliases(fdt, info);
}
