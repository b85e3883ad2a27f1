// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest page-table walks (hyp/gpt.c) for a supervisor load, in a
 * container's RAM built by hand: every mode, superpages, permissions,
 * and tables or addresses the guest itself could not use.
 */
#include <string.h>
#include <hyp/container.h>
#include <hyp/gpt.h>
#include <hyp/hal.h>
#include <hyp/manifest.h>
#include <hyp/vcpu.h>
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define BASE		0x80400000ULL
#define SIZE		(8 * HYP_MIB)
#define ROOT		(BASE + 0x10000)

#define V	0x01ULL
#define R	0x02ULL
#define W	0x04ULL
#define X	0x08ULL
#define U	0x10ULL
#define A	0x40ULL
#define D	0x80ULL

static struct manifest_ctr spec;
static struct vcpu vcpu;
static const struct container *c;

static void setup(void)
{
	c = fixture_container(0, &spec, "alpha", &vcpu, 1, BASE, SIZE);
}

static u64 pte(u64 pa, u64 flags)
{
	return (pa >> 12) << 10 | flags;
}

static void set64(u64 table, unsigned int i, u64 v)
{
	*(u64 *)hal_phys(table + 8 * i) = v;
}

static void set32(u64 table, unsigned int i, u32 v)
{
	*(u32 *)hal_phys(table + 4 * i) = v;
}

static int walk(unsigned int mode, ulong sstatus, u64 va, u64 *pa)
{
	return gpt_walk(c, mode, ROOT >> 12, sstatus, va, pa);
}

/* Sv39: va 0x40201234 through three levels to BASE + 0x30000. */
static u64 sv39_map(u64 leaf_flags)
{
	set64(ROOT, 1, pte(ROOT + 0x1000, V));
	set64(ROOT + 0x1000, 1, pte(ROOT + 0x2000, V));
	set64(ROOT + 0x2000, 1, pte(BASE + 0x30000, leaf_flags));
	return 0x40201234;
}

static void bare_is_identity(void)
{
	u64 pa = 0;

	setup();
	EXPECT_EQ(gpt_walk(c, GPT_BARE, 0, 0, 0x1234, &pa), 0);
	EXPECT_EQ(pa, 0x1234);
	EXPECT_EQ(gpt_walk(c, 3, 0, 0, 0x1234, &pa), -1);	/* reserved mode */
}

static void sv39_page(void)
{
	u64 pa = 0, va;

	setup();
	va = sv39_map(V | R | A);
	EXPECT_EQ(walk(GPT_SV39, 0, va, &pa), 0);
	EXPECT_EQ(pa, BASE + 0x30234);
	/* The root table's ppn comes from satp on this XLEN. */
	EXPECT_EQ(gpt_load_addr(c, 8UL << 60 | ROOT >> 12, 0, va, &pa), 0);
	EXPECT_EQ(pa, BASE + 0x30234);
	EXPECT_EQ(walk(GPT_SV39, 0, va + 0x1000, &pa), -1);	/* not mapped */
}

static void permissions(void)
{
	u64 pa, va;

	setup();
	va = sv39_map(V | X | A);
	EXPECT_EQ(walk(GPT_SV39, 0, va, &pa), -1);
	EXPECT_EQ(walk(GPT_SV39, GPT_MXR, va, &pa), 0);
	sv39_map(V | R | U | A);
	EXPECT_EQ(walk(GPT_SV39, 0, va, &pa), -1);
	EXPECT_EQ(walk(GPT_SV39, GPT_SUM, va, &pa), 0);
	sv39_map(V | R);					/* A clear */
	EXPECT_EQ(walk(GPT_SV39, 0, va, &pa), -1);
	sv39_map(V | W | A | D);				/* W without R */
	EXPECT_EQ(walk(GPT_SV39, 0, va, &pa), -1);
	sv39_map(R | A);					/* not valid */
	EXPECT_EQ(walk(GPT_SV39, 0, va, &pa), -1);
}

static void superpages(void)
{
	u64 pa;

	setup();
	/* A 2 MiB leaf at level 1, aligned, then one that is not. */
	set64(ROOT, 1, pte(ROOT + 0x1000, V));
	set64(ROOT + 0x1000, 3, pte(BASE + 0x200000, V | R | A));
	EXPECT_EQ(walk(GPT_SV39, 0, 0x40600000 + 0x12345, &pa), 0);
	EXPECT_EQ(pa, BASE + 0x200000 + 0x12345);
	set64(ROOT + 0x1000, 3, pte(BASE + 0x201000, V | R | A));
	EXPECT_EQ(walk(GPT_SV39, 0, 0x40600000, &pa), -1);
	/* A non-leaf at the last level is a fault. */
	set64(ROOT, 2, pte(ROOT + 0x1000, V));
	set64(ROOT + 0x1000, 0, pte(ROOT + 0x2000, V));
	set64(ROOT + 0x2000, 0, pte(ROOT + 0x3000, V));
	EXPECT_EQ(walk(GPT_SV39, 0, 0x80000000, &pa), -1);
}

/* Svnapot: a 64 KiB range from one 4 KiB-level entry with N set. */
static void napot(void)
{
	u64 pa, va;

	setup();
	va = sv39_map(V | R | A);
	set64(ROOT + 0x2000, 1, pte(BASE + 0x30000, V | R | A) | 0x8ULL << 10 | 1ULL << 63);
	EXPECT_EQ(walk(GPT_SV39, 0, va, &pa), 0);
	EXPECT_EQ(pa, BASE + 0x30000 + (va & 0xffff));
}

/* Tables outside the container's RAM, and non-canonical addresses. */
static void outside(void)
{
	u64 pa;

	setup();
	EXPECT_EQ(gpt_walk(c, GPT_SV39, (BASE + SIZE) >> 12, 0, 0x1000, &pa), -1);
	EXPECT_EQ(gpt_walk(c, GPT_SV39, FAKE_MEM_BASE >> 12, 0, 0x1000, &pa), -1);
	set64(ROOT, 1, pte(BASE + SIZE, V));
	EXPECT_EQ(walk(GPT_SV39, 0, 0x40000000, &pa), -1);
	sv39_map(V | R | A);
	EXPECT_EQ(walk(GPT_SV39, 0, 0x40201234ULL | 1ULL << 40, &pa), -1);
	EXPECT_EQ(walk(GPT_SV39, 0, 0xffffffc000000000ULL, &pa), -1);	/* root[256]: empty */
}

static void sv48_and_sv57(void)
{
	u64 pa;

	setup();
	/* va 0x8040201000 (Sv48: indices 1, 1, 1, 1) */
	set64(ROOT, 1, pte(ROOT + 0x1000, V));
	set64(ROOT + 0x1000, 1, pte(ROOT + 0x2000, V));
	set64(ROOT + 0x2000, 1, pte(ROOT + 0x3000, V));
	set64(ROOT + 0x3000, 1, pte(BASE + 0x40000, V | R | A));
	EXPECT_EQ(walk(GPT_SV48, 0, 0x8040201008ULL, &pa), 0);
	EXPECT_EQ(pa, BASE + 0x40008);
	/* Sv57: one more level in front. */
	set64(ROOT + 0x4000, 1, pte(ROOT, V));
	EXPECT_EQ(gpt_walk(c, GPT_SV57, (ROOT + 0x4000) >> 12, 0,
			   0x1008040201008ULL, &pa), 0);
	EXPECT_EQ(pa, BASE + 0x40008);
}

static void sv32(void)
{
	u64 pa;

	setup();
	/* va 0x00401008: vpn1 1, vpn0 1; and a 4 MiB megapage at vpn1 2 */
	set32(ROOT, 1, (u32)pte(ROOT + 0x1000, V));
	set32(ROOT + 0x1000, 1, (u32)pte(BASE + 0x50000, V | R | A));
	EXPECT_EQ(walk(GPT_SV32, 0, 0x00401008, &pa), 0);
	EXPECT_EQ(pa, BASE + 0x50008);
	set32(ROOT, 2, (u32)pte(BASE + 0x400000, V | R | A));
	EXPECT_EQ(walk(GPT_SV32, 0, 0x00812345, &pa), 0);
	EXPECT_EQ(pa, BASE + 0x400000 + 0x12345);
	EXPECT_EQ(walk(GPT_SV32, 0, 0x100000000ULL, &pa), -1);
}

static const struct unit_case cases[] = {
	UNIT_CASE(bare_is_identity),
	UNIT_CASE(sv39_page),
	UNIT_CASE(permissions),
	UNIT_CASE(superpages),
	UNIT_CASE(napot),
	UNIT_CASE(outside),
	UNIT_CASE(sv48_and_sv57),
	UNIT_CASE(sv32),
};

UNIT_SUITE(gpt, cases);
