// SPDX-License-Identifier: BSD-2-Clause
/*
 * Clock rates a passed-through device needs (hal_clock_rate), read from
 * the clock controller's registers at boot, so the guest's fixed-clock
 * has the rate the board really runs the device at. The FU540's PRCI:
 * outputs 0-2 are its core, DDR and GEMGXL PLLs (fed by hfclk, the first
 * clock of its node), output 3 the TileLink clock, half the core clock
 * (which may bypass the PLL for hfclk itself).
 */
#include <libfdt.h>
#include <sbi/riscv_io.h>
#include <sbi_utils/fdt/fdt_helper.h>
#include <hyp/hal.h>

#define PRCI_COREPLLCFG0	0x04
#define PRCI_DDRPLLCFG0		0x0c
#define PRCI_GEMGXLPLLCFG0	0x1c
#define PRCI_CORECLKSEL		0x24
#define PRCI_CORECLKSEL_HFCLK	(1U << 0)

#define PLL_DIVR(c)		((c) & 0x3f)
#define PLL_DIVF(c)		(((c) >> 6) & 0x1ff)
#define PLL_DIVQ(c)		(((c) >> 15) & 0x7)
#define PLL_BYPASS		(1U << 24)

/* A WRPLL's output: fin / (divr + 1) * 2 (divf + 1) / 2^divq. */
static u64 pll_rate(u64 fin, u32 cfg)
{
	if (cfg & PLL_BYPASS)
		return fin;
	return fin * 2 * (PLL_DIVF(cfg) + 1) / ((u64)(PLL_DIVR(cfg) + 1) << PLL_DIVQ(cfg));
}

/* The rate of the first clock feeding @node, if a fixed-clock. */
static u64 input_rate(const void *fdt, int node)
{
	const fdt32_t *p = fdt_getprop(fdt, node, "clocks", NULL);
	const fdt32_t *hz;
	int in;

	if (!p)
		return 0;
	in = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(p[0]));
	hz = in >= 0 ? fdt_getprop(fdt, in, "clock-frequency", NULL) : NULL;
	return hz ? fdt32_to_cpu(*hz) : 0;
}

static u64 fu540_prci(const void *fdt, int node, u32 out)
{
	uint64_t addr, size;
	char *base;
	u64 hfclk = input_rate(fdt, node), core;

	if (!hfclk || fdt_get_node_addr_size(fdt, node, 0, &addr, &size))
		return 0;
	base = (char *)(unsigned long)addr;
	core = readl(base + PRCI_CORECLKSEL) & PRCI_CORECLKSEL_HFCLK ? hfclk :
	       pll_rate(hfclk, readl(base + PRCI_COREPLLCFG0));
	switch (out) {
	case 0:
		return core;
	case 1:
		return pll_rate(hfclk, readl(base + PRCI_DDRPLLCFG0));
	case 2:
		return pll_rate(hfclk, readl(base + PRCI_GEMGXLPLLCFG0));
	case 3:
		return core / 2;
	default:
		return 0;
	}
}

u32 hal_clock_rate(const void *fdt, int node, const u32 *args, unsigned int nargs)
{
	u64 hz = 0;

	if (nargs == 1 && !fdt_node_check_compatible(fdt, node, "sifive,fu540-c000-prci"))
		hz = fu540_prci(fdt, node, args[0]);
	return hz <= 0xffffffffULL ? (u32)hz : 0;
}
