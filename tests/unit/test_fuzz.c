// SPDX-License-Identifier: BSD-2-Clause
/*
 * Untrusted input, at random. First, random SBI calls (hyp/sbi*.c
 * through hyp_trap): a vCPU of a 2-vCPU
 * container makes 20000 ecalls, to every extension diosix knows and to
 * unknown ones, with arguments drawn from the places where checks go
 * wrong: the edges of its own RAM, the RAM of the container beside it,
 * the firmware, zero, all-ones, small counts and random words. Whatever
 * it asks, the hypervisor must not panic or touch memory outside the
 * caller's RAM (the sanitizers and the fake HAL's bounds catch that), the
 * neighbour's RAM must keep its canary, and an SBI call that returns must
 * return success or an error code the specification defines.
 *
 * Then manifests and guest images with random bytes changed: parsing and
 * inspecting them may refuse them but must never read outside them (each
 * copy sits in a buffer of its exact size, so AddressSanitizer sees any
 * overrun), and whatever passes must describe memory inside the blob.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <hyp/bundle.h>
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/hal.h>
#include <hyp/hyp.h>
#include <hyp/loader.h>
#include <hyp/manifest.h>
#include <hyp/vsbi.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>
#include "elf_image.h"
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define RAM_BASE	0x80400000ULL
#define RAM_SIZE	(4 * HYP_MIB)
#define OTHER_BASE	(RAM_BASE + RAM_SIZE)
#define CALLS		20000
#define CANARY		0xa5
#define VSBI_ERR_LAST	-13		/* VSBI_ERR_IO, the last one defined */

static struct manifest_ctr specs[2];
static struct vcpu vcpus[3];
static struct vcpu *caller;

static const ulong eids[] = {
	VSBI_EXT_LEGACY_SET_TIMER, VSBI_EXT_LEGACY_PUTCHAR, VSBI_EXT_LEGACY_GETCHAR,
	VSBI_EXT_LEGACY_CLEAR_IPI, VSBI_EXT_LEGACY_SEND_IPI, VSBI_EXT_LEGACY_FENCE_I,
	VSBI_EXT_LEGACY_SFENCE_VMA, VSBI_EXT_LEGACY_SFENCE_ASID, VSBI_EXT_LEGACY_SHUTDOWN,
	VSBI_EXT_BASE, VSBI_EXT_TIME, VSBI_EXT_IPI, VSBI_EXT_RFENCE, VSBI_EXT_HSM,
	VSBI_EXT_SRST, VSBI_EXT_DBCN, HYP_EXT_DIOSIX,
	0x504D55,	/* PMU: hidden */
	0x535345,	/* SSE: hidden */
};

/* A fresh machine: the caller (vCPU 0 of "fuzz") runs on hart 0. */
static void setup(void)
{
	struct container *c;

	memset(hyp_harts, 0, HYP_MAX_HARTS * sizeof(*hyp_harts));
	sched_lock.taken = 0;
	fixture_harts();
	c = fixture_container(0, &specs[0], "fuzz", vcpus, 2, RAM_BASE, RAM_SIZE);
	c->state = CTR_RUNNING;
	c->active_vcpus = 1;
	c->starts = 1;
	caller = &vcpus[0];
	caller->state = VCPU_RUNNING;
	caller->hart = 0;
	caller->frame.regs.mepc = RAM_BASE + 0x100;
	hyp_harts[0].current = caller;
	c = fixture_container(1, &specs[1], "other", &vcpus[2], 1, OTHER_BASE, RAM_SIZE);
	c->state = CTR_RUNNING;
	c->active_vcpus = 1;
	vcpus[2].state = VCPU_BLOCKED;
	/* Keys wait for it, so DBCN and legacy reads have bytes to write. */
	console_init(&hyp_containers[0]);
	fake.hart = 0;
	/* However the calls leave the containers, the machine stays on. */
	hyp_stay_up = true;
}

static ulong pick_arg(u64 *seed)
{
	u64 r = unit_rand(seed);

	switch (r % 12) {
	case 0:
		return 0;
	case 1:
		return ~0UL;
	case 2:
		return RAM_BASE + (r >> 8) % RAM_SIZE;
	case 3:
		return RAM_BASE + RAM_SIZE - 1 - (r >> 8) % 16;
	case 4:
		return RAM_BASE + RAM_SIZE;
	case 5:
		return OTHER_BASE + (r >> 8) % RAM_SIZE;
	case 6:
		return FAKE_MEM_BASE + (r >> 8) % 0x80000;	/* the firmware */
	case 7:
		return (r >> 8) % 64;
	case 8:
		return (ulong)-1 - (r >> 8) % 64;
	case 9:
		return RAM_BASE - 1 - (r >> 8) % 4096;
	default:
		return (ulong)(r >> 3);
	}
}

static void fill_ecall(u64 *seed)
{
	u64 r = unit_rand(seed);
	unsigned int i;

	for (i = 0; i < 8; i++)
		caller->frame.regs.x[HYP_REG_A0 + i] = pick_arg(seed);
	caller->frame.regs.x[HYP_REG_A7] = r % 8 ? eids[(r >> 8) % HYP_ARRAY_SIZE(eids)]
						 : (ulong)(r >> 16);
	caller->frame.regs.x[HYP_REG_A0 + 6] = r % 3 ? (r >> 40) % 8 : pick_arg(seed);
	caller->frame.trap.cause = HYP_EXC_ECALL_S;
}

static bool is_legacy(ulong eid)
{
	return eid <= VSBI_EXT_LEGACY_SHUTDOWN;
}

static void random_calls(void)
{
	u64 seed = 0x5eedf00d;
	struct hyp_frame *volatile f;
	volatile unsigned int i, resets = 0;
	volatile ulong eid, pc;
	long err;
	int how;

	setup();
	memset(hal_phys(OTHER_BASE), CANARY, RAM_SIZE);
	for (i = 0; i < CALLS; i++) {
		fill_ecall(&seed);
		eid = caller->frame.regs.x[HYP_REG_A7];
		pc = caller->frame.regs.mepc;
		f = NULL;
		fake_console_clear();
		if (!fake_input_left())
			fake_input("keys");
		how = FAKE_RUN(f = hyp_trap(&caller->frame));
		ASSERT_EQ(how == FAKE_PANIC, 0);
		if (how == FAKE_RETURNED && f == &caller->frame &&
		    caller->state == VCPU_RUNNING && caller->frame.regs.mepc == pc + 4 &&
		    !is_legacy(eid)) {
			err = (long)caller->frame.regs.x[HYP_REG_A0];
			if (err > 0 || err < VSBI_ERR_LAST) {
				unit_fail(__FILE__, __LINE__, "call %u: EID 0x%lx FID %lu returned %ld",
					  i, eid, caller->frame.regs.x[HYP_REG_A0 + 6], err);
				return;
			}
		}
		/* The caller stopped, slept, or gave its hart away: start over. */
		if (how != FAKE_RETURNED || f != &caller->frame ||
		    caller->state != VCPU_RUNNING) {
			resets++;
			setup();
		}
	}
	for (i = 0; i < RAM_SIZE; i++)
		if (((u8 *)hal_phys(OTHER_BASE))[i] != CANARY) {
			unit_fail(__FILE__, __LINE__, "the neighbour's byte 0x%llx changed",
				  (unsigned long long)(OTHER_BASE + i));
			return;
		}
	/* The calls must have reached deep: many ended the caller's run. */
	EXPECT(resets > 100);
	EXPECT(resets < CALLS / 2);
}

/* --- manifests and images ------------------------------------------------- */

#define MUTANTS		3000

/* A copy of @src with 1 to 8 random bytes changed, in a buffer of @n bytes. */
static u8 *mutant(const u8 *src, size_t n, u64 *seed)
{
	u8 *m = malloc(n);
	unsigned int k, edits = 1 + (unsigned int)(unit_rand(seed) % 8);

	ASSERT(m != NULL);
	memcpy(m, src, n);
	for (k = 0; k < edits; k++) {
		u64 r = unit_rand(seed);

		/* Headers are where most checks live: aim there half the time. */
		m[(r & 1 ? (r >> 8) % 256 : (r >> 8)) % n] = (u8)(r >> 40);
	}
	return m;
}

static bool inside(const void *p, size_t len, const u8 *blob, size_t n)
{
	return (const u8 *)p >= blob && len <= n && (size_t)((const u8 *)p - blob) <= n - len;
}

/* Two containers with ELF images, an initrd, bootargs and every option. */
static size_t manifest_blob(u8 *blob, size_t max)
{
	static const u8 initrd[64] = { 1, 2, 3 };
	struct elf_spec e;
	u8 img[256];
	size_t n;

	elf_spec_simple(&e, 64);
	n = elf_build(img, sizeof(img), &e);
	fixture_mf_begin(blob, max);
	ASSERT_EQ(fdt_begin_node(blob, "alpha"), 0);
	ASSERT_EQ(fdt_property(blob, "image", img, (int)n), 0);
	ASSERT_EQ(fdt_property(blob, "initrd", initrd, sizeof(initrd)), 0);
	ASSERT_EQ(fdt_property_u32(blob, "memory-mib", 8), 0);
	ASSERT_EQ(fdt_property_u32(blob, "cpus", 2), 0);
	ASSERT_EQ(fdt_property_string(blob, "bootargs", "console=hvc0"), 0);
	ASSERT_EQ(fdt_property_string(blob, "restart", "always"), 0);
	ASSERT_EQ(fdt_property(blob, "stats", NULL, 0), 0);
	ASSERT_EQ(fdt_end_node(blob), 0);
	ASSERT_EQ(fdt_begin_node(blob, "beta"), 0);
	ASSERT_EQ(fdt_property(blob, "image", img, (int)n), 0);
	ASSERT_EQ(fdt_property_u32(blob, "memory-mib", 4), 0);
	ASSERT_EQ(fdt_property_u64(blob, "base", 0x88000000ULL), 0);
	ASSERT_EQ(fdt_property(blob, "pinned", NULL, 0), 0);
	ASSERT_EQ(fdt_end_node(blob), 0);
	fixture_mf_end(blob);
	return fdt_totalsize(blob);
}

static void check_parsed(const struct manifest *m, const u8 *blob, size_t n)
{
	const struct manifest_ctr *c;
	struct image_info info;
	const char *why;
	unsigned int i;

	ASSERT(m->count <= HYP_MAX_CONTAINERS);
	for (i = 0; i < m->count; i++) {
		c = &m->ctr[i];
		ASSERT(memchr(c->name, 0, sizeof(c->name)) != NULL);
		if (!c->valid)
			continue;
		ASSERT(c->vcpus >= 1 && c->vcpus <= HYP_MAX_CONTAINER_VCPUS);
		ASSERT(c->memory > 0);
		ASSERT(inside(c->image, c->image_size, blob, n));
		ASSERT(!c->initrd_size || inside(c->initrd, c->initrd_size, blob, n));
		if (c->bootargs)
			ASSERT(inside(c->bootargs, strlen(c->bootargs) + 1, blob, n));
		ASSERT_EQ(loader_inspect(c->image, c->image_size, 64, &info, &why), 0);
		ASSERT(info.span <= c->memory);
	}
}

/*
 * Into exactly as many entries as manifest_count() says, as the firmware
 * does: a count that falls short of what the parser stores is an overflow
 * the sanitizers report.
 */
static int parse_sized(const u8 *blob, size_t n, struct manifest *m)
{
	unsigned int ctrs, vcpus;

	free(m->ctr);
	manifest_count(blob, n, &ctrs, &vcpus);
	m->ctr = calloc(ctrs ? ctrs : 1, sizeof(*m->ctr));
	m->cap = ctrs;
	return manifest_parse(blob, n, 64, m);
}

static void manifest_mutations(void)
{
	static u8 blob[16 * 1024];
	struct manifest *m = calloc(1, sizeof(*m));
	u64 seed = 0x3a11fe57;
	unsigned int i, refused = 0;
	size_t n;

	ASSERT(m != NULL);
	n = manifest_blob(blob, sizeof(blob));
	ASSERT_EQ(parse_sized(blob, n, m), 0);
	ASSERT_EQ(manifest_valid_count(m), 2);
	for (i = 0; i < MUTANTS; i++) {
		u8 *mu = mutant(blob, n, &seed);
		/* Sometimes shorter than the header says, too. */
		size_t len = unit_rand(&seed) % 8 ? n : (size_t)(unit_rand(&seed) % n);
		int rc;

		fake_console_clear();
		rc = parse_sized(mu, len, m);
		if (rc)
			refused++;
		else
			check_parsed(m, mu, len);
		free(mu);
	}
	free(m->ctr);
	free(m);
	/* The mutations must reach both outcomes, or they test nothing. */
	EXPECT(refused > MUTANTS / 20);
	EXPECT(refused < MUTANTS);
}

static void image_mutations(void)
{
	u64 seed = 0x1ade5eed;
	struct elf_spec e;
	struct image_info info;
	const char *why;
	unsigned int i, bits, accepted = 0;
	u8 img[512];
	size_t n;

	for (i = 0; i < MUTANTS; i++) {
		bits = i % 2 ? 32 : 64;
		elf_spec_simple(&e, bits);
		e.nseg = 2;
		e.seg[1] = e.seg[0];
		e.seg[1].vaddr = 0x3000;
		n = elf_build(img, sizeof(img), &e);
		ASSERT(n > 0);
		{
			u8 *mu = mutant(img, n, &seed);

			if (!loader_inspect(mu, n, bits, &info, &why)) {
				accepted++;
				ASSERT(info.entry < info.span);
				/* It loads inside its span and nowhere else. */
				if (info.span <= RAM_SIZE / 2) {
					u8 *ram = hal_phys(RAM_BASE);

					memset(ram, 0xee, RAM_SIZE);
					loader_load(mu, n, bits, RAM_BASE);
					ASSERT(ram[info.span] == 0xee);
					ASSERT(ram[RAM_SIZE - 1] == 0xee);
				}
			} else {
				ASSERT(why != NULL);
			}
			free(mu);
		}
	}
	EXPECT(accepted > 0);
	EXPECT(accepted < MUTANTS);
}

static const struct unit_case cases[] = {
	UNIT_CASE(random_calls),
	UNIT_CASE(manifest_mutations),
	UNIT_CASE(image_mutations),
};

UNIT_SUITE(fuzz, cases);
