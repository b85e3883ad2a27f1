// SPDX-License-Identifier: BSD-2-Clause
/*
 * Clock rates a passed-through device needs (hal_clock_rate), read from
 * the clock controller's registers at boot, so the guest's fixed-clock
 * has the rate the board really runs the device at (the output numbers
 * are those of Linux's dt-bindings for each PRCI).
 *
 * The FU540's PRCI: outputs 0-2 are its core, DDR and GEMGXL PLLs (fed by
 * hfclk, the first clock of its node), output 3 the TileLink clock, half
 * the core clock (which may bypass the PLL for hfclk itself).
 *
 * The FU740's adds PLLs: 0 core, 1 DDR, 2 GEMGXL, 3 DVFS core, 4 hfpclk,
 * 5 CLTX; 6 is the TileLink clock as on the FU540, and 7 the peripheral
 * clock (UARTs, I2C, SPI, GPIO, PWM): hfpclk, or hfclk where the hfpclk
 * PLL is bypassed, divided by HFPCLKPLLDIV + 2. Output 8, PCIe's
 * auxiliary clock, is not read: a device needing it is refused.
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
#define PRCI_CLTXPLLCFG0	0x30
#define PRCI_DVFSCOREPLLCFG0	0x38
#define PRCI_HFPCLKPLLCFG0	0x50
#define PRCI_HFPCLKPLLSEL	0x58
#define PRCI_HFPCLKPLLSEL_HFCLK	(1U << 0)
#define PRCI_HFPCLKPLLDIV	0x5c

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

/* The PRCI's registers and its input rate; false if either is unknown. */
static bool prci_regs(const void *fdt, int node, char **base, u64 *hfclk)
{
	uint64_t addr, size;

	*hfclk = input_rate(fdt, node);
	if (!*hfclk || fdt_get_node_addr_size(fdt, node, 0, &addr, &size))
		return false;
	*base = (char *)(unsigned long)addr;
	return true;
}

/* The core clock: the core PLL, or hfclk where it is bypassed. */
static u64 prci_core(char *base, u64 hfclk)
{
	if (readl(base + PRCI_CORECLKSEL) & PRCI_CORECLKSEL_HFCLK)
		return hfclk;
	return pll_rate(hfclk, readl(base + PRCI_COREPLLCFG0));
}

/* Outputs 0-2, which both PRCIs number alike. */
static u64 prci_common(char *base, u64 hfclk, u32 out)
{
	switch (out) {
	case 0:
		return prci_core(base, hfclk);
	case 1:
		return pll_rate(hfclk, readl(base + PRCI_DDRPLLCFG0));
	case 2:
		return pll_rate(hfclk, readl(base + PRCI_GEMGXLPLLCFG0));
	default:
		return 0;
	}
}

static u64 fu540_prci(const void *fdt, int node, u32 out)
{
	u64 hfclk;
	char *base;

	if (!prci_regs(fdt, node, &base, &hfclk))
		return 0;
	if (out == 3)
		return prci_core(base, hfclk) / 2;
	return prci_common(base, hfclk, out);
}

static u64 fu740_prci(const void *fdt, int node, u32 out)
{
	u64 hfclk, hfp;
	char *base;

	if (!prci_regs(fdt, node, &base, &hfclk))
		return 0;
	switch (out) {
	case 3:
		return pll_rate(hfclk, readl(base + PRCI_DVFSCOREPLLCFG0));
	case 4:
		return pll_rate(hfclk, readl(base + PRCI_HFPCLKPLLCFG0));
	case 5:
		return pll_rate(hfclk, readl(base + PRCI_CLTXPLLCFG0));
	case 6:
		return prci_core(base, hfclk) / 2;
	case 7:
		hfp = readl(base + PRCI_HFPCLKPLLSEL) & PRCI_HFPCLKPLLSEL_HFCLK ? hfclk :
		      pll_rate(hfclk, readl(base + PRCI_HFPCLKPLLCFG0));
		return hfp / (readl(base + PRCI_HFPCLKPLLDIV) + 2ULL);
	default:
		return prci_common(base, hfclk, out);
	}
}

u32 hal_clock_rate(const void *fdt, int node, const u32 *args, unsigned int nargs)
{
	u64 hz = 0;

	if (nargs == 1 && !fdt_node_check_compatible(fdt, node, "sifive,fu540-c000-prci"))
		hz = fu540_prci(fdt, node, args[0]);
	else if (nargs == 1 && !fdt_node_check_compatible(fdt, node, "sifive,fu740-c000-prci"))
		hz = fu740_prci(fdt, node, args[0]);
	return hz <= 0xffffffffULL ? (u32)hz : 0;
}
