// SPDX-License-Identifier: BSD-2-Clause
/*
 * Cold boot and the first arrival of a hart (hyp/boot.c).
 */
#include <libfdt.h>
#include <hyp/bundle.h>
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/error.h>
#include <hyp/gfdt.h>
#include <hyp/hal.h>
#include <hyp/hyp.h>
#include <hyp/vsbi.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>
#include "elf_image.h"
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define FREE_BASE	0x80200000ULL

static u8 blob[16 * 1024];
static struct hyp_machine machine;

#define MF(call)	ASSERT_EQ((call), 0)

static void mf_begin(void)
{
	fixture_mf_begin(blob, sizeof(blob));
}

static void mf_end(void)
{
	fixture_mf_end(blob);
}

/* A container of @mib MiB and @cpus vCPUs; @base 0 = anywhere. */
static void mf_ctr(const char *name, u32 mib, u32 cpus, u32 base, bool pinned)
{
	struct elf_spec s;
	u8 img[256];
	size_t n;

	elf_spec_simple(&s, 64);
	n = elf_build(img, sizeof(img), &s);
	MF(fdt_begin_node(blob, name));
	MF(fdt_property(blob, "image", img, (int)n));
	MF(fdt_property_u32(blob, "memory-mib", mib));
	MF(fdt_property_u32(blob, "cpus", cpus));
	if (base)
		MF(fdt_property_u32(blob, "base", base));
	if (pinned)
		MF(fdt_property(blob, "pinned", NULL, 0));
	MF(fdt_end_node(blob));
}

/* 62 MiB of free RAM above the firmware, four PMP regions each. */
static void setup_machine(void)
{
	memset(&machine, 0, sizeof(machine));
	machine.model = "test,machine";
	machine.isa = "rv64imac";
	machine.mmu = "riscv,sv39";
	machine.timebase = 10000000;
	machine.pmp_regions = HYP_MAX_REGIONS;
	mem_map_init(&machine.free);
	mem_map_add(&machine.free, FREE_BASE, 62 * HYP_MIB);
}

static int boot(void)
{
	setup_machine();
	return hyp_boot(blob, sizeof(blob), &machine);
}

static void boot_two_containers(void)
{
	struct container *a, *b;
	unsigned int i;

	mf_begin();
	mf_ctr("a", 4, 1, 0, false);
	mf_ctr("b", 24, 2, 0x81000000, false);
	mf_end();
	ASSERT_EQ(boot(), 0);
	/* Allocated by the boot, as many as the manifest holds. */
	a = &hyp_containers[0];
	b = &hyp_containers[1];
	ASSERT_EQ(hyp_nr_containers, 2);
	EXPECT_EQ(fake.container_inits, 2);
	EXPECT_STREQ(container_name(a), "a");
	EXPECT_EQ(a->ram.base, 0x80400000);
	EXPECT_EQ(a->ram.size, 4 * HYP_MIB);
	EXPECT_EQ(a->regions, 1);
	EXPECT_EQ(b->ram.base, 0x81000000);
	EXPECT_EQ(b->regions, 2);
	EXPECT_EQ(b->region_size[0], 16 * HYP_MIB);
	EXPECT_EQ(b->region_size[1], 8 * HYP_MIB);
	EXPECT_EQ(b->index, 1);
	ASSERT_EQ(b->nr_vcpus, 2);
	EXPECT(b->vcpus >= a->vcpus + a->nr_vcpus);
	for (i = 0; i < b->nr_vcpus; i++) {
		EXPECT(b->vcpus[i].ctr == b);
		EXPECT_EQ(b->vcpus[i].id, i);
		EXPECT_EQ(b->vcpus[i].hart, -1);
		EXPECT_EQ(b->vcpus[i].pin_hart, -1);
	}
	EXPECT_EQ(a->state, CTR_STOPPED);
	EXPECT_HAS(fake_console(), "[diosix] diosix " HYP_VERSION ": 4 harts, 64-bit\n");
	EXPECT_HAS(fake_console(), "[diosix] container a: 4 MiB at 0x80400000, 1 vCPU, ELF image\n");
	EXPECT_HAS(fake_console(), "[diosix] container b: 24 MiB at 0x81000000, 2 vCPUs, ELF image\n");
	/* The first container has the console's input. */
	fake_input("k");
	EXPECT_EQ(console_getc_for(b), -1);
	EXPECT_EQ(console_getc_for(a), 'k');
}

static void boot_skips_invalid(void)
{
	mf_begin();
	mf_ctr("bad", 0, 1, 0, false);
	mf_ctr("huge", 64, 1, 0, false);
	mf_ctr("ok", 4, 1, 0, false);
	mf_end();
	ASSERT_EQ(boot(), 0);
	ASSERT_EQ(hyp_nr_containers, 1);
	EXPECT_STREQ(container_name(&hyp_containers[0]), "ok");
	EXPECT_HAS(fake_console(), "container bad: not started\n");
	EXPECT_HAS(fake_console(), "error: container huge: memory-mib: 64 MiB does not fit");
	EXPECT_HAS(fake_console(), "container huge: not started\n");
}

static void boot_not_a_manifest(void)
{
	memset(blob, 0, sizeof(blob));
	EXPECT_EQ(boot(), HYP_EINVAL);
	EXPECT_EQ(hyp_nr_containers, 0);
}

static void boot_nothing_runs(void)
{
	mf_begin();
	mf_ctr("bad", 3, 0, 0, false);
	mf_end();
	EXPECT_EQ(boot(), HYP_ENOENT);
	EXPECT_HAS(fake_console(), "[diosix] no container can run\n");
}

static void boot_domain_failure(void)
{
	mf_begin();
	mf_ctr("a", 4, 1, 0, false);
	mf_end();
	fake.container_init_rc = -1;
	EXPECT_EQ(boot(), HYP_ENOENT);
	EXPECT_HAS(fake_console(), "error: container a: (domain): ");
}

/* Four harts: pinning all four would leave none shared. */
static void boot_pin_refused(void)
{
	unsigned int i;

	mf_begin();
	mf_ctr("all", 4, 4, 0, true);
	mf_ctr("two", 4, 2, 0, true);
	mf_ctr("rest", 4, 1, 0, false);
	mf_end();
	ASSERT_EQ(boot(), 0);
	ASSERT_EQ(hyp_nr_containers, 2);
	EXPECT_HAS(fake_console(), "error: container all: pinned: 4 dedicated harts are not free");
	EXPECT_EQ(hyp_containers[0].vcpus[0].pin_hart, 0);
	EXPECT_EQ(hyp_containers[0].vcpus[1].pin_hart, 1);
	EXPECT_EQ(hyp_containers[1].vcpus[0].pin_hart, -1);
	for (i = 0; i < 2; i++)
		EXPECT(hyp_harts[i].pinned == &hyp_containers[0]);
	EXPECT(hyp_harts[2].pinned == NULL && hyp_harts[3].pinned == NULL);
}

/* A pinned container that cannot start gives its harts back. */
static void boot_domain_failure_unpins(void)
{
	unsigned int i;

	mf_begin();
	mf_ctr("pin", 4, 2, 0, true);
	mf_end();
	fake.container_init_rc = -1;
	EXPECT_EQ(boot(), HYP_ENOENT);
	for (i = 0; i < fake.harts; i++)
		EXPECT(hyp_harts[i].pinned == NULL);
}

static void enter_other_trap_forwarded(void)
{
	struct hyp_frame f = { 0 };

	f.trap.cause = HYP_EXC_ECALL_S;
	f.regs.x[HYP_REG_A7] = VSBI_EXT_BASE;
	EXPECT(hyp_trap(&f) == &f);
	EXPECT_EQ(fake.forwards, 1);
	EXPECT_EQ(fake.hart_starts[1], 0);
}

static void enter_with_nothing_powers_off(void)
{
	struct hyp_frame f = { 0 };

	f.trap.cause = HYP_EXC_ECALL_S;
	f.regs.x[HYP_REG_A7] = HYP_EXT_DIOSIX;
	f.regs.x[HYP_REG_A0 + 6] = HYP_DIOSIX_ENTER;
	EXPECT_EQ(FAKE_RUN(hyp_trap(&f)), FAKE_POWEROFF);
}

/* The boot hart's first arrival starts every container and hart. */
static void enter_starts_everything(void)
{
	struct hyp_frame f = { 0 }, *volatile r = NULL;
	struct container *a, *b;

	mf_begin();
	mf_ctr("a", 4, 1, 0, false);
	mf_ctr("b", 8, 2, 0, false);
	mf_end();
	ASSERT_EQ(boot(), 0);
	a = &hyp_containers[0];
	b = &hyp_containers[1];
	fake.guest_harts = 0xe | 1;
	f.trap.cause = HYP_EXC_ECALL_S;
	f.regs.x[HYP_REG_A7] = HYP_EXT_DIOSIX;
	f.regs.x[HYP_REG_A0 + 6] = HYP_DIOSIX_ENTER;
	ASSERT_EQ(FAKE_RUN(r = hyp_trap(&f)), FAKE_RETURNED);
	EXPECT(r == &a->vcpus[0].frame);
	EXPECT(hyp_harts[0].started);
	EXPECT_EQ(fake.hart_starts[0], 0);
	EXPECT_EQ(fake.hart_starts[1], 1);
	EXPECT_EQ(fake.hart_starts[3], 1);
	EXPECT_EQ(a->state, CTR_RUNNING);
	EXPECT_EQ(b->state, CTR_RUNNING);
	EXPECT_EQ(a->vcpus[0].frame.regs.mepc, a->ram.base);
	EXPECT_EQ(a->vcpus[0].frame.regs.x[HYP_REG_A1],
		  a->ram.base + a->ram.size - GFDT_MAX_SIZE);
	EXPECT_EQ(b->vcpus[0].state, VCPU_RUNNABLE);
	EXPECT_EQ(b->vcpus[1].state, VCPU_STOPPED);
	EXPECT_EQ(fdt_check_header(hal_phys(b->dtb)), 0);
	/* The platform's part of each: a domain, and vCPUs reset by it. */
	EXPECT(a->arch.domain && b->arch.domain);
	EXPECT_EQ(a->vcpus[0].arch.resets, 1);
	EXPECT_EQ(b->vcpus[0].arch.resets, 1);
}

static const struct unit_case boot_cases[] = {
	UNIT_CASE(boot_two_containers),
	UNIT_CASE(boot_skips_invalid),
	UNIT_CASE(boot_not_a_manifest),
	UNIT_CASE(boot_nothing_runs),
	UNIT_CASE(boot_domain_failure),
	UNIT_CASE(boot_pin_refused),
	UNIT_CASE(boot_domain_failure_unpins),
	UNIT_CASE(enter_other_trap_forwarded),
	UNIT_CASE(enter_with_nothing_powers_off),
	UNIT_CASE(enter_starts_everything),
};

UNIT_SUITE(boot, boot_cases);
