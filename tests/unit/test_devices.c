// SPDX-License-Identifier: BSD-2-Clause
/*
 * Devices given to containers: the checks against a board's device tree
 * (hyp/devtree.c), the guest's /soc (hyp/gfdt_dev.c) and the run-time
 * path (hyp/devices.c) from a physical interrupt through the virtual
 * PLIC to mip.SEIP, the trapped guest accesses, and a stop.
 */
#include <hyp/container.h>
#include <hyp/devices.h>
#include <hyp/frame.h>
#include <hyp/gfdt.h>
#include <hyp/hal.h>
#include <hyp/manifest.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>
#include <libfdt.h>
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define PLIC		0xc000000ULL
#define RTC		0x101000ULL
#define BASE		0x80400000ULL
#define PH_PLIC		9
#define PH_CLK		5
#define PH_PRCI		6
#define PH_PLL		8
#define PH_PHY		10
#define PH_GPIO		11
#define PH_GPIO_FW	12
#define PH_PRCI740	13

static char board_fdt[16384];
static struct board board;

#define T(x)	ASSERT_EQ((x), 0)

static void reg(void *f, u64 base, u64 size)
{
	fdt64_t cells[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	T(fdt_property(f, "reg", cells, sizeof(cells)));
}

static void device(void *f, const char *name, const char *compat, u64 base,
		   u64 size, u32 irq)
{
	T(fdt_begin_node(f, name));
	T(fdt_property_string(f, "compatible", compat));
	reg(f, base, size);
	if (irq) {
		T(fdt_property_u32(f, "interrupt-parent", PH_PLIC));
		T(fdt_property_u32(f, "interrupts", irq));
	}
}

/* A clock controller with one-cell specifiers. */
static void clock_controller(void *f, const char *name, const char *compat, u32 phandle)
{
	T(fdt_begin_node(f, name));
	T(fdt_property_string(f, "compatible", compat));
	T(fdt_property_u32(f, "#clock-cells", 1));
	T(fdt_property_u32(f, "phandle", phandle));
	T(fdt_end_node(f));
}

/* A device with @n interrupts, sources @first on. */
static void many_irqs(void *f, const char *name, u64 base, u32 first, unsigned int n,
		      u32 phandle)
{
	fdt32_t irqs[32];
	unsigned int i;

	device(f, name, "sifive,gpio0", base, 0x1000, 0);
	for (i = 0; i < n; i++)
		irqs[i] = cpu_to_fdt32(first + i);
	T(fdt_property_u32(f, "interrupt-parent", PH_PLIC));
	T(fdt_property(f, "interrupts", irqs, (int)(n * sizeof(fdt32_t))));
	if (phandle)
		T(fdt_property_u32(f, "phandle", phandle));
	T(fdt_end_node(f));
}

/* A QEMU-virt-like board, plus a few nodes that must be refused. */
static void make_board(unsigned int pmp)
{
	void *f = board_fdt;
	fdt32_t clk[2] = { cpu_to_fdt32(PH_PRCI), cpu_to_fdt32(3) };

	T(fdt_create(f, sizeof(board_fdt)));
	T(fdt_finish_reservemap(f));
	T(fdt_begin_node(f, ""));
	T(fdt_property_u32(f, "#address-cells", 2));
	T(fdt_property_u32(f, "#size-cells", 2));
	T(fdt_begin_node(f, "chosen"));
	T(fdt_property_string(f, "stdout-path", "/soc/serial@10000000:115200"));
	T(fdt_end_node(f));
	T(fdt_begin_node(f, "aliases"));
	T(fdt_property_string(f, "serial0", "/soc/serial@10000000"));
	T(fdt_property_string(f, "serial1", "/soc/uart@10011000"));
	T(fdt_end_node(f));
	T(fdt_begin_node(f, "soc"));
	T(fdt_property_u32(f, "#address-cells", 2));
	T(fdt_property_u32(f, "#size-cells", 2));
	T(fdt_property(f, "ranges", NULL, 0));
	device(f, "plic@c000000", "riscv,plic0", PLIC, 0x600000, 0);
	T(fdt_property_u32(f, "riscv,ndev", 96));
	T(fdt_property_u32(f, "phandle", PH_PLIC));
	T(fdt_end_node(f));
	device(f, "serial@10000000", "ns16550a", 0x10000000, 0x100, 10);
	T(fdt_end_node(f));
	device(f, "rtc@101000", "google,goldfish-rtc", RTC, 0x1000, 11);
	T(fdt_end_node(f));
	device(f, "virtio_mmio@10008000", "virtio,mmio", 0x10008000, 0x1000, 8);
	T(fdt_end_node(f));
	device(f, "odd@10009000", "vendor,odd", 0x10009000, 0x1800, 12);
	T(fdt_end_node(f));
	device(f, "off@1000a000", "vendor,off", 0x1000a000, 0x1000, 13);
	T(fdt_property_string(f, "status", "disabled"));
	T(fdt_end_node(f));
	T(fdt_begin_node(f, "clk"));
	T(fdt_property_string(f, "compatible", "fixed-clock"));
	T(fdt_property_u32(f, "#clock-cells", 0));
	T(fdt_property_u32(f, "clock-frequency", 33333333));
	T(fdt_property_u32(f, "phandle", PH_CLK));
	T(fdt_end_node(f));
	clock_controller(f, "prci", "sifive,fu540-c000-prci", PH_PRCI);
	device(f, "uart@10011000", "sifive,uart0", 0x10011000, 0x1000, 5);
	T(fdt_property_u32(f, "clocks", PH_CLK));
	T(fdt_end_node(f));
	device(f, "uart@10012000", "sifive,uart0", 0x10012000, 0x1000, 6);
	T(fdt_property(f, "clocks", clk, sizeof(clk)));
	T(fdt_end_node(f));
	clock_controller(f, "pll", "vendor,pll", PH_PLL);
	device(f, "uart@10013000", "sifive,uart0", 0x10013000, 0x1000, 7);
	clk[0] = cpu_to_fdt32(PH_PLL);
	T(fdt_property(f, "clocks", clk, sizeof(clk)));
	T(fdt_end_node(f));
	device(f, "gem@100c0000", "cdns,gem", 0x100c0000, 0x2000, 54);
	T(fdt_property_u32(f, "phy-handle", PH_PHY));
	T(fdt_begin_node(f, "ethernet-phy@0"));
	T(fdt_property_u32(f, "reg", 0));
	T(fdt_property_u32(f, "phandle", PH_PHY));
	T(fdt_end_node(f));
	T(fdt_end_node(f));
	device(f, "eth@100b0000", "cdns,gem", 0x100b0000, 0x2000, 55);
	T(fdt_begin_node(f, "ethernet-phy@1"));
	T(fdt_property_u32(f, "interrupts", 3));
	T(fdt_end_node(f));
	T(fdt_end_node(f));
	device(f, "eth@10090000", "vendor,eth", 0x10090000, 0x2000, 53);
	T(fdt_property_u32(f, "phy-handle", 7));
	T(fdt_end_node(f));
	/* GPIO blocks: one free, one carrying the board's restart line. */
	many_irqs(f, "gpio@10060000", 0x10060000, 60, 16, PH_GPIO);
	many_irqs(f, "gpio@10070000", 0x10070000, 76, 4, PH_GPIO_FW);
	many_irqs(f, "many@10080000", 0x10080000, 20, 17, 0);
	clock_controller(f, "prci740", "sifive,fu740-c000-prci", PH_PRCI740);
	device(f, "uart@10014000", "sifive,uart0", 0x10014000, 0x1000, 14);
	clk[0] = cpu_to_fdt32(PH_PRCI740);
	clk[1] = cpu_to_fdt32(7);
	T(fdt_property(f, "clocks", clk, sizeof(clk)));
	T(fdt_end_node(f));
	T(fdt_end_node(f));		/* soc */
	T(fdt_begin_node(f, "gpio-restart"));
	T(fdt_property_string(f, "compatible", "gpio-restart"));
	clk[0] = cpu_to_fdt32(PH_GPIO_FW);
	clk[1] = cpu_to_fdt32(2);
	T(fdt_property(f, "gpios", clk, sizeof(clk)));
	T(fdt_end_node(f));
	T(fdt_end_node(f));		/* root */
	T(fdt_finish(f));
	board_init(&board, f, pmp);
}

static struct manifest man;
static struct manifest_ctr man_ctr[4];

static void reset_man(void)
{
	memset(&man, 0, sizeof(man));
	memset(man_ctr, 0, sizeof(man_ctr));
	man.ctr = man_ctr;
	man.cap = HYP_ARRAY_SIZE(man_ctr);
}

/* Container @i of man, valid, 4 MiB, with these devices. */
static struct manifest_ctr *ctr(unsigned int i, const char *name,
				const char *const *paths, unsigned int n)
{
	struct manifest_ctr *c = &man.ctr[i];

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->valid = true;
	c->memory = 4 * HYP_MIB;
	c->vcpus = 1;
	for (c->nr_devices = 0; c->nr_devices < n; c->nr_devices++)
		c->dev[c->nr_devices].path = paths[c->nr_devices];
	if (man.count <= i)
		man.count = i + 1;
	return c;
}

static void board_facts(void)
{
	make_board(13);
	EXPECT(board.plic_node >= 0);
	EXPECT_EQ(board.plic_base, PLIC);
	EXPECT_EQ(board.plic_ndev, 96);
	EXPECT_EQ(board.plic_phandle, PH_PLIC);
	EXPECT_STREQ(fdt_get_name(board.fdt, board.console_node, NULL), "serial@10000000");
}

static void resolves_a_device(void)
{
	static const char *const rtc[] = { "/soc/rtc@101000", "/soc/uart@10011000" };
	struct manifest_ctr *c;

	make_board(13);
	reset_man();
	c = ctr(0, "a", rtc, 2);
	devices_check(&man, &board);
	ASSERT(c->valid);
	EXPECT_EQ(c->dev[0].nregs, 1);
	EXPECT_EQ(c->dev[0].base[0], RTC);
	EXPECT_EQ(c->dev[0].size[0], 0x1000);
	EXPECT_EQ(c->dev[0].nirqs, 1);
	EXPECT_EQ(c->dev[0].irq[0], 11);
	EXPECT(!c->dev[0].dma);
	EXPECT_EQ(c->dev[1].nclocks, 1);
	EXPECT_EQ(c->dev[1].clock_hz[0], 33333333);
	EXPECT_EQ(fake.console_len, 0);
}

struct refusal {
	const char *path;
	bool trusted;
	const char *why;
};

static const struct refusal refusals[] = {
	{ "/soc/none@1", false, "no such node in the board's device tree" },
	{ "/soc/serial@10000000", false, "is the hypervisor's console UART" },
	{ "/soc/plic@c000000", false, "belongs to the hypervisor" },
	{ "/soc/virtio_mmio@10008000", false, "the container needs dma-trusted" },
	{ "/soc/odd@10009000", false, "is not a naturally aligned power of two" },
	{ "/soc/off@1000a000", false, "is disabled in the board's device tree" },
	{ "/soc/uart@10012000", false, "its clock from prci has a rate the firmware cannot read" },
	{ "/soc/uart@10013000", false, "its clock comes from pll, not a fixed-clock" },
	{ "/soc/eth@10090000", true, "its phy-handle names a node outside it" },
	{ "/soc/eth@100b0000", true, "a child node depends on other nodes (interrupts)" },
	{ "/soc/gpio@10070000", false, "carries the board's reset line the firmware uses (/gpio-restart)" },
	{ "/soc/many@10080000", false, "more than 16 interrupts" },
	{ "/cpus", false, "no such node" },
};

static void refuses_each(void)
{
	unsigned int i;

	make_board(13);
	for (i = 0; i < HYP_ARRAY_SIZE(refusals); i++) {
		const struct refusal *r = &refusals[i];
		struct manifest_ctr *c;

		fake.console_len = 0;
		fake.console[0] = 0;
		reset_man();
		c = ctr(0, "bad", &r->path, 1);
		c->dma_trusted = r->trusted;
		devices_check(&man, &board);
		EXPECT(!c->valid);
		EXPECT_HAS(fake.console, "container bad: devices: ");
		EXPECT_HAS(fake.console, r->why);
	}
}

static void trusted_dma_accepted(void)
{
	static const char *const v[] = { "/soc/virtio_mmio@10008000" };
	struct manifest_ctr *c;

	make_board(13);
	reset_man();
	c = ctr(0, "a", v, 1);
	c->dma_trusted = true;
	devices_check(&man, &board);
	EXPECT(c->valid);
	EXPECT(c->dev[0].dma);
}

/* Container "a" of a fresh manifest, given the one device @path. */
static struct manifest_ctr *give(const char *const *path)
{
	struct manifest_ctr *c;

	reset_man();
	c = ctr(0, "a", path, 1);
	devices_check(&man, &board);
	return c;
}

/* A PRCI output's rate is read at boot; the build's check leaves it. */
static void controller_clock(void)
{
	static const char *const u[] = { "/soc/uart@10012000" };
	struct manifest_ctr *c;

	make_board(13);
	fake.clock_hz = 500000000;
	c = give(u);
	ASSERT(c->valid);
	EXPECT_EQ(c->dev[0].clock_hz[0], 500000003);	/* output 3 */
	board.clocks_at_boot = true;
	fake.clock_calls = 0;
	c = give(u);
	EXPECT(c->valid);
	EXPECT_EQ(fake.clock_calls, 0);
}

/* A GPIO block's 16 lines, each its own source. */
static void sixteen_irqs(void)
{
	static const char *const g[] = { "/soc/gpio@10060000" };
	struct manifest_ctr *c;
	unsigned int i;

	make_board(13);
	c = give(g);
	ASSERT(c->valid);
	ASSERT_EQ(c->dev[0].nirqs, 16);
	for (i = 0; i < 16; i++)
		EXPECT_EQ(c->dev[0].irq[i], 60 + i);
}

/* The FU740's PRCI is read like the FU540's, output by output. */
static void fu740_clock(void)
{
	static const char *const u[] = { "/soc/uart@10014000" };
	struct manifest_ctr *c;

	make_board(13);
	fake.clock_hz = 130000000;
	c = give(u);
	ASSERT(c->valid);
	EXPECT_EQ(c->dev[0].clock_hz[0], 130000007);	/* output 7, pclk */
}

static void given_twice(void)
{
	static const char *const rtc[] = { "/soc/rtc@101000" };
	static const char *const two[] = { "/soc/uart@10011000", "/soc/uart@10011000" };

	make_board(13);
	reset_man();
	ctr(0, "first", rtc, 1);
	ctr(1, "second", rtc, 1);
	ctr(2, "third", two, 2);
	devices_check(&man, &board);
	EXPECT(man.ctr[0].valid);
	EXPECT(!man.ctr[1].valid);
	EXPECT(!man.ctr[2].valid);
	EXPECT_HAS(fake.console, "container second: devices: /soc/rtc@101000: already given to container first");
	EXPECT_HAS(fake.console, "container third: devices: /soc/uart@10011000: listed twice");
}

static void pmp_budget(void)
{
	static const char *const two[] = { "/soc/rtc@101000", "/soc/uart@10011000" };
	struct manifest_ctr *c;

	make_board(5);
	reset_man();
	c = ctr(0, "big", two, 2);
	c->memory = 15 * HYP_MIB;	/* four pieces */
	devices_check(&man, &board);
	EXPECT(!c->valid);
	EXPECT_HAS(fake.console, "needs 6 PMP entries (4 for RAM, 2 for device ranges), a hart has 5 for a container");
	reset_man();
	c = ctr(0, "fits", two, 2);
	c->memory = 7 * HYP_MIB;	/* three */
	devices_check(&man, &board);
	EXPECT(c->valid);
}

/* --- the guest's tree -------------------------------------------------- */

static char guest_fdt[GFDT_MAX_SIZE];

/* The guest tree of a 1- or 2-vCPU container owning @paths. */
static void build_guest(const char *const *paths, unsigned int n, unsigned int vcpus)
{
	struct gfdt_info info = {
		.model = "m", .vcpus = vcpus, .isa = "rv64imac", .timebase = 10000000,
		.mem_base = BASE, .mem_size = 4 * HYP_MIB,
	};
	struct manifest_ctr *c;

	make_board(13);
	reset_man();
	c = ctr(0, "a", paths, n);
	c->dma_trusted = true;
	devices_check(&man, &board);
	ASSERT(c->valid);
	info.board = &board;
	info.dev = c->dev;
	info.nr_devices = c->nr_devices;
	ASSERT_EQ(gfdt_build(guest_fdt, sizeof(guest_fdt), &info), 0);
}

static void guest_tree(void)
{
	static const char *const devs[] = { "/soc/rtc@101000", "/soc/uart@10011000" };
	const fdt32_t *p;
	int node, len;

	build_guest(devs, 2, 2);
	node = fdt_path_offset(guest_fdt, "/soc/plic@c000000");
	ASSERT(node >= 0);
	EXPECT(!fdt_node_check_compatible(guest_fdt, node, "riscv,plic0"));
	p = fdt_getprop(guest_fdt, node, "interrupts-extended", &len);
	ASSERT_EQ(len, 16);		/* cpu0-intc 9, cpu1-intc 9 */
	EXPECT_EQ(fdt32_to_cpu(p[0]), 1);
	EXPECT_EQ(fdt32_to_cpu(p[1]), 9);
	EXPECT_EQ(fdt32_to_cpu(p[2]), 2);
	node = fdt_path_offset(guest_fdt, "/soc/rtc@101000");
	ASSERT(node >= 0);
	EXPECT(!fdt_node_check_compatible(guest_fdt, node, "google,goldfish-rtc"));
	p = fdt_getprop(guest_fdt, node, "interrupts", &len);
	ASSERT_EQ(len, 4);
	EXPECT_EQ(fdt32_to_cpu(p[0]), 11);
	p = fdt_getprop(guest_fdt, node, "interrupt-parent", &len);
	EXPECT_EQ(fdt32_to_cpu(p[0]), GFDT_PHANDLE_PLIC);
	node = fdt_path_offset(guest_fdt, "/soc/uart@10011000");
	p = fdt_getprop(guest_fdt, node, "clocks", &len);
	ASSERT_EQ(len, 4);
	node = fdt_node_offset_by_phandle(guest_fdt, fdt32_to_cpu(p[0]));
	ASSERT(node >= 0);
	p = fdt_getprop(guest_fdt, node, "clock-frequency", &len);
	EXPECT_EQ(fdt32_to_cpu(p[0]), 33333333);
	/* The board's alias of its device, and none of the console's. */
	node = fdt_path_offset(guest_fdt, "/aliases");
	ASSERT(node >= 0);
	EXPECT_STREQ(fdt_getprop(guest_fdt, node, "serial1", NULL), "/soc/uart@10011000");
	EXPECT(!fdt_getprop(guest_fdt, node, "serial0", NULL));
}

/* A PHY child is copied with a phandle of ours, phy-handle rewired. */
static void guest_tree_phy(void)
{
	static const char *const gem[] = { "/soc/gem@100c0000" };
	const fdt32_t *p;
	int node, phy, len;

	build_guest(gem, 1, 1);
	node = fdt_path_offset(guest_fdt, "/soc/gem@100c0000");
	phy = fdt_path_offset(guest_fdt, "/soc/gem@100c0000/ethernet-phy@0");
	ASSERT(node >= 0 && phy >= 0);
	EXPECT_EQ(fdt_get_phandle(guest_fdt, phy), GFDT_PHANDLE_CHILD);
	p = fdt_getprop(guest_fdt, node, "phy-handle", &len);
	ASSERT_EQ(len, 4);
	EXPECT_EQ(fdt32_to_cpu(p[0]), GFDT_PHANDLE_CHILD);
	p = fdt_getprop(guest_fdt, phy, "reg", &len);
	ASSERT_EQ(len, 4);
}

/* --- run time ---------------------------------------------------------- */

static struct manifest_ctr spec;
static struct vcpu vcpus[2];
static struct container *c;

static void runtime_setup(void)
{
	static const char *const rtc[] = { "/soc/rtc@101000" };

	make_board(13);
	fixture_harts();
	reset_man();
	ctr(0, "a", rtc, 1);
	devices_check(&man, &board);
	c = fixture_container(0, &spec, "a", vcpus, 2, BASE, 4 * HYP_MIB);
	spec.nr_devices = 1;
	spec.dev[0] = man.ctr[0].dev[0];
	devices_init(&board);
	devices_start(c);
}

/* Guest instruction @insn at mepc, a fault of @cause at @addr. */
static struct hyp_frame *fault(u32 insn, ulong cause, u64 addr)
{
	struct hyp_frame *f = &vcpus[0].frame;

	*(u32 *)hal_phys(BASE + 0x1000) = insn;
	f->regs.mepc = BASE + 0x1000;
	f->regs.mstatus = HYP_PRV_S << HYP_MSTATUS_MPP_SHIFT;
	f->trap.cause = cause;
	f->trap.tval = (ulong)addr;
	return f;
}

#define LW_A0_A5	0x0007a503U	/* lw a0, 0(a5) */
#define SW_A0_A5	0x00a7a023U	/* sw a0, 0(a5) */
#define LB_A0_A5	0x00078503U	/* lb a0, 0(a5) */

static bool guest_store(u64 off, u32 val)
{
	struct hyp_frame *f = fault(SW_A0_A5, HYP_EXC_STORE_ACCESS, PLIC + off);

	f->regs.x[HYP_REG_A0] = val;
	return devices_mmio(&vcpus[0], f);
}

static u32 guest_load(u64 off)
{
	struct hyp_frame *f = fault(LW_A0_A5, HYP_EXC_LOAD_ACCESS, PLIC + off);

	f->regs.x[HYP_REG_A0] = 0xdead;
	if (!devices_mmio(&vcpus[0], f))
		return 0xffffffff;
	EXPECT_EQ(f->regs.mepc, BASE + 0x1004);
	return (u32)f->regs.x[HYP_REG_A0];
}

static void start_unmasks_source(void)
{
	runtime_setup();
	EXPECT(fake.irq_enabled[11]);
	EXPECT(!fake.irq_enabled[8]);
}

static void interrupt_reaches_running_vcpu(void)
{
	runtime_setup();
	hyp_harts[fake.hart].current = &vcpus[0];
	vcpus[0].state = VCPU_RUNNING;
	vcpus[0].hart = (int)fake.hart;
	ASSERT(guest_store(4 * 11, 1));			/* priority */
	ASSERT(guest_store(0x2000, 1U << 11));		/* enable, context 0 */
	fake.irq_queue[fake.irq_queued++] = 11;
	devices_ext_irq();
	EXPECT(fake.sip & HYP_MIP_SEIP);
	EXPECT_EQ(fake.irq_completes[11], 0);		/* held until the guest completes */
	EXPECT_EQ(guest_load(0x200004), 11);		/* claim */
	EXPECT(!(fake.sip & HYP_MIP_SEIP));
	ASSERT(guest_store(0x200004, 11));		/* complete */
	EXPECT_EQ(fake.irq_completes[11], 1);
}

static void interrupt_for_other_vcpu_notifies(void)
{
	runtime_setup();
	vcpus[1].state = VCPU_RUNNABLE;		/* queued, not running */
	ASSERT(guest_store(4 * 11, 1));
	ASSERT(guest_store(0x2000 + 0x80, 1U << 11));	/* context 1 */
	fake.irq_queue[fake.irq_queued++] = 11;
	devices_ext_irq();
	EXPECT(vcpus[1].pending & VCPU_PEND_EXT);
	EXPECT(devices_vcpu_eip(&vcpus[1]));
	EXPECT(!devices_vcpu_eip(&vcpus[0]));
	EXPECT(vcpu_irq_pending(&vcpus[1], 0) == false);	/* SEIE still clear */
	vcpus[1].csr.sie = HYP_MIP_SEIP;
	EXPECT(vcpu_irq_pending(&vcpus[1], 0));
}

static void only_32_bit_accesses(void)
{
	struct hyp_frame *f;

	runtime_setup();
	f = fault(LB_A0_A5, HYP_EXC_LOAD_ACCESS, PLIC + 4 * 11);
	EXPECT(!devices_mmio(&vcpus[0], f));
	f = fault(LW_A0_A5, HYP_EXC_LOAD_ACCESS, PLIC + 4 * 11 + 2);
	EXPECT(!devices_mmio(&vcpus[0], f));
	f = fault(LW_A0_A5, HYP_EXC_STORE_ACCESS, PLIC + 4 * 11);	/* kind mismatch */
	EXPECT(!devices_mmio(&vcpus[0], f));
	f = fault(LW_A0_A5, HYP_EXC_LOAD_ACCESS, PLIC + 0x200000 + 2 * 0x1000);
	EXPECT(!devices_mmio(&vcpus[0], f));		/* past its two contexts */
	f = fault(LW_A0_A5, HYP_EXC_LOAD_ACCESS, RTC);
	EXPECT(!devices_mmio(&vcpus[0], f));		/* not the PLIC */
	f = fault(LW_A0_A5, HYP_EXC_LOAD_ACCESS, PLIC);
	f->regs.mstatus = HYP_PRV_U << HYP_MSTATUS_MPP_SHIFT;
	EXPECT(!devices_mmio(&vcpus[0], f));		/* from U-mode */
	EXPECT_EQ(f->regs.mepc, BASE + 0x1000);
}

static void stop_masks_and_completes(void)
{
	runtime_setup();
	fake.irq_queue[fake.irq_queued++] = 11;
	devices_ext_irq();
	EXPECT_EQ(fake.irq_completes[11], 0);
	devices_stop(c);
	EXPECT(!fake.irq_enabled[11]);
	EXPECT_EQ(fake.irq_completes[11], 1);
	/* One that arrives after the stop is completed at once. */
	fake.irq_queue[fake.irq_queued++] = 11;
	devices_ext_irq();
	EXPECT_EQ(fake.irq_completes[11], 2);
	devices_start(c);
	EXPECT_EQ(guest_load(0x1000), 0);		/* a reset vPLIC */
}

static void unowned_source_completed(void)
{
	runtime_setup();
	fake.irq_queue[fake.irq_queued++] = 30;
	devices_ext_irq();
	EXPECT_EQ(fake.irq_completes[30], 1);
}

static const struct unit_case cases[] = {
	UNIT_CASE(board_facts),
	UNIT_CASE(resolves_a_device),
	UNIT_CASE(refuses_each),
	UNIT_CASE(trusted_dma_accepted),
	UNIT_CASE(controller_clock),
	UNIT_CASE(sixteen_irqs),
	UNIT_CASE(fu740_clock),
	UNIT_CASE(given_twice),
	UNIT_CASE(pmp_budget),
	UNIT_CASE(guest_tree),
	UNIT_CASE(guest_tree_phy),
	UNIT_CASE(start_unmasks_source),
	UNIT_CASE(interrupt_reaches_running_vcpu),
	UNIT_CASE(interrupt_for_other_vcpu_notifies),
	UNIT_CASE(only_32_bit_accesses),
	UNIT_CASE(stop_masks_and_completes),
	UNIT_CASE(unowned_source_completed),
};
UNIT_SUITE(devices, cases);
