// SPDX-License-Identifier: BSD-2-Clause
/*
 * Free-RAM maps and container placement (hyp/place.c).
 */
#include <stdio.h>
#include <hyp/bits.h>
#include <hyp/error.h>
#include <hyp/manifest.h>
#include <hyp/place.h>
#include "fake_hal.h"
#include "unit.h"

#define RAM	0x80000000ULL
#define MIB	HYP_MIB

static struct mem_map map;
static struct manifest man;
static struct mem_range out[HYP_MAX_CONTAINERS];

/* The map's non-empty ranges equal @want (@n of them, in any order). */
static bool map_is(const struct mem_range *want, unsigned int n)
{
	unsigned int i, j, found, nonempty = 0;

	for (i = 0; i < map.count; i++)
		nonempty += map.r[i].size != 0;
	if (nonempty != n)
		return false;
	for (j = 0; j < n; j++) {
		found = 0;
		for (i = 0; i < map.count; i++)
			found += map.r[i].base == want[j].base &&
				 map.r[i].size == want[j].size;
		if (found != 1)
			return false;
	}
	return true;
}

static void map_one(u64 base, u64 size)
{
	mem_map_init(&map);
	ASSERT_EQ(mem_map_add(&map, base, size), 0);
}

/* --- mem_map ------------------------------------------------------------ */

static void map_add_limits(void)
{
	unsigned int i;

	mem_map_init(&map);
	EXPECT_EQ(mem_map_add(&map, RAM, 0), 0);
	EXPECT_EQ(map.count, 0);
	for (i = 0; i < PLACE_MAX_RANGES; i++)
		EXPECT_EQ(mem_map_add(&map, RAM + i * 2 * MIB, MIB), 0);
	EXPECT_EQ(mem_map_add(&map, RAM + 64 * MIB, MIB), HYP_ENOMEM);
	EXPECT_EQ(map.count, PLACE_MAX_RANGES);
}

static void reserve_middle(void)
{
	const struct mem_range want[] = {
		{ RAM, 2 * MIB }, { RAM + 4 * MIB, 252 * MIB },
	};

	map_one(RAM, 256 * MIB);
	EXPECT_EQ(mem_map_reserve(&map, RAM + 2 * MIB, 2 * MIB), 0);
	EXPECT(map_is(want, 2));
}

static void reserve_start(void)
{
	const struct mem_range want[] = { { RAM + 2 * MIB, 254 * MIB } };

	map_one(RAM, 256 * MIB);
	EXPECT_EQ(mem_map_reserve(&map, RAM, 2 * MIB), 0);
	EXPECT(map_is(want, 1));
}

static void reserve_end(void)
{
	const struct mem_range want[] = { { RAM, 255 * MIB } };

	map_one(RAM, 256 * MIB);
	EXPECT_EQ(mem_map_reserve(&map, RAM + 255 * MIB, MIB), 0);
	EXPECT(map_is(want, 1));
}

/* Reserving past the end trims only what is there. */
static void reserve_overhanging_end(void)
{
	const struct mem_range want[] = { { RAM, 255 * MIB } };

	map_one(RAM, 256 * MIB);
	EXPECT_EQ(mem_map_reserve(&map, RAM + 255 * MIB, 16 * MIB), 0);
	EXPECT(map_is(want, 1));
}

static void reserve_covering(void)
{
	map_one(RAM, 16 * MIB);
	EXPECT_EQ(mem_map_reserve(&map, RAM - MIB, 32 * MIB), 0);
	EXPECT(map_is(NULL, 0));
}

static void reserve_exact(void)
{
	map_one(RAM, 16 * MIB);
	EXPECT_EQ(mem_map_reserve(&map, RAM, 16 * MIB), 0);
	EXPECT(map_is(NULL, 0));
}

static void reserve_disjoint(void)
{
	const struct mem_range want[] = { { RAM, 16 * MIB } };

	map_one(RAM, 16 * MIB);
	EXPECT_EQ(mem_map_reserve(&map, RAM + 16 * MIB, MIB), 0);
	EXPECT_EQ(mem_map_reserve(&map, RAM - MIB, MIB), 0);
	EXPECT_EQ(mem_map_reserve(&map, 0, 0x1000), 0);
	EXPECT(map_is(want, 1));
}

static void reserve_across_two(void)
{
	const struct mem_range want[] = {
		{ RAM, 8 * MIB }, { RAM + 40 * MIB, 8 * MIB },
	};

	mem_map_init(&map);
	ASSERT_EQ(mem_map_add(&map, RAM, 16 * MIB), 0);
	ASSERT_EQ(mem_map_add(&map, RAM + 32 * MIB, 16 * MIB), 0);
	EXPECT_EQ(mem_map_reserve(&map, RAM + 8 * MIB, 32 * MIB), 0);
	EXPECT(map_is(want, 2));
}

static void reserve_two_holes(void)
{
	const struct mem_range want[] = {
		{ RAM, MIB }, { RAM + 2 * MIB, MIB }, { RAM + 4 * MIB, 12 * MIB },
	};

	map_one(RAM, 16 * MIB);
	EXPECT_EQ(mem_map_reserve(&map, RAM + 3 * MIB, MIB), 0);
	EXPECT_EQ(mem_map_reserve(&map, RAM + MIB, MIB), 0);
	EXPECT(map_is(want, 3));
}

static void reserve_hole_map_full(void)
{
	unsigned int i;

	mem_map_init(&map);
	for (i = 0; i < PLACE_MAX_RANGES; i++)
		ASSERT_EQ(mem_map_add(&map, RAM + i * 4 * MIB, 2 * MIB), 0);
	EXPECT_EQ(mem_map_reserve(&map, RAM + MIB / 2, MIB / 2), HYP_ENOMEM);
}

/* --- place_pieces ------------------------------------------------------- */

static void pieces_24_mib(void)
{
	u64 p[HYP_MAX_REGIONS] = { 0 };

	EXPECT_EQ(place_pieces(24 * MIB, p, HYP_MAX_REGIONS), 2);
	EXPECT_EQ(p[0], 16 * MIB);
	EXPECT_EQ(p[1], 8 * MIB);
	EXPECT_EQ(p[2], 0);
}

static void pieces_one(void)
{
	u64 p[HYP_MAX_REGIONS] = { 0 };

	EXPECT_EQ(place_pieces(MIB, p, HYP_MAX_REGIONS), 1);
	EXPECT_EQ(p[0], MIB);
	EXPECT_EQ(place_pieces(1ULL << 63, p, HYP_MAX_REGIONS), 1);
	EXPECT_EQ(p[0], 1ULL << 63);
}

static void pieces_seven(void)
{
	u64 p[HYP_MAX_REGIONS] = { 0 };

	EXPECT_EQ(place_pieces(7, p, HYP_MAX_REGIONS), 3);
	EXPECT_EQ(p[0], 4);
	EXPECT_EQ(p[1], 2);
	EXPECT_EQ(p[2], 1);
}

/* More pieces than room: counted, but only @max written. */
static void pieces_over_max(void)
{
	u64 p[4] = { 0, 0, 0xdead, 0xdead };

	EXPECT_EQ(place_pieces(0xf, p, 2), 4);
	EXPECT_EQ(p[0], 8);
	EXPECT_EQ(p[1], 4);
	EXPECT_EQ(p[2], 0xdead);
	EXPECT_EQ(place_pieces(0, p, 2), 0);
}

/* --- place_containers --------------------------------------------------- */

/* An empty manifest with room for the most containers a manifest has. */
static void man_reset(void)
{
	static struct manifest_ctr ctrs[HYP_MAX_CONTAINERS];

	memset(&man, 0, sizeof(man));
	memset(ctrs, 0, sizeof(ctrs));
	man.ctr = ctrs;
	man.cap = HYP_MAX_CONTAINERS;
}

static struct manifest_ctr *add_ctr(const char *name, u64 mib, u64 base)
{
	struct manifest_ctr *c = &man.ctr[man.count++];

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->memory = mib * MIB;
	c->base = base;
	c->vcpus = 1;
	c->valid = true;
	return c;
}

static void place(unsigned int max_regions)
{
	place_containers(&man, &map, max_regions, out);
}

static void fixed_first(void)
{
	map_one(RAM, 64 * MIB);
	man_reset();
	add_ctr("any", 4, 0);
	add_ctr("fixed", 4, RAM);
	place(HYP_MAX_REGIONS);
	EXPECT(man.ctr[0].valid && man.ctr[1].valid);
	EXPECT_EQ(out[1].base, RAM);
	EXPECT_EQ(out[1].size, 4 * MIB);
	EXPECT_EQ(out[0].base, RAM + 4 * MIB);
	EXPECT_EQ(out[0].size, 4 * MIB);
	EXPECT_EQ(fake.console_len, 0);
}

static void first_fit_aligned(void)
{
	mem_map_init(&map);
	ASSERT_EQ(mem_map_add(&map, RAM + 128 * MIB, 64 * MIB), 0);
	ASSERT_EQ(mem_map_add(&map, RAM + MIB, 63 * MIB), 0);
	man_reset();
	add_ctr("four", 4, 0);
	add_ctr("one", 1, 0);
	add_ctr("two", 2, 0);
	add_ctr("big", 64, 0);
	place(HYP_MAX_REGIONS);
	EXPECT_EQ(out[0].base, RAM + 4 * MIB);
	EXPECT_EQ(out[1].base, RAM + MIB);
	EXPECT_EQ(out[2].base, RAM + 2 * MIB);
	EXPECT_EQ(out[3].base, RAM + 128 * MIB);
	EXPECT_EQ(manifest_valid_count(&man), 4);
}

/* 24 MiB = 16 + 8: base aligned to 16 MiB, pieces end to end. */
static void contiguous_pieces(void)
{
	u64 p[HYP_MAX_REGIONS], at;
	unsigned int i, n;

	map_one(RAM + MIB, 127 * MIB);
	man_reset();
	add_ctr("mixed", 24, 0);
	place(HYP_MAX_REGIONS);
	ASSERT(man.ctr[0].valid);
	EXPECT_EQ(out[0].base, RAM + 16 * MIB);
	EXPECT_EQ(out[0].size, 24 * MIB);
	n = place_pieces(out[0].size, p, HYP_MAX_REGIONS);
	at = out[0].base;
	for (i = 0; i < n; i++) {
		EXPECT_EQ(at & (p[i] - 1), 0);
		at += p[i];
	}
	EXPECT_EQ(at, out[0].base + out[0].size);
}

static void fixed_overlap_rejected(void)
{
	map_one(RAM, 64 * MIB);
	man_reset();
	add_ctr("first", 8, RAM + 8 * MIB);
	add_ctr("second", 4, RAM + 12 * MIB);
	add_ctr("third", 4, RAM + 16 * MIB);
	place(HYP_MAX_REGIONS);
	EXPECT(man.ctr[0].valid);
	EXPECT(!man.ctr[1].valid);
	EXPECT(man.ctr[2].valid);
	EXPECT_EQ(out[1].size, 0);
	EXPECT_EQ(out[2].base, RAM + 16 * MIB);
	EXPECT_HAS(fake_console(), "error: container second: base: 0x80c00000-0x81000000 overlaps container first");
	EXPECT_EQ(unit_count(fake_console(), "error"), 1);
}

static void fixed_outside_ram(void)
{
	map_one(RAM, 62 * MIB);
	man_reset();
	add_ctr("low", 4, 0x40000000);
	add_ctr("straddle", 4, RAM + 60 * MIB);
	add_ctr("ok", 4, RAM + 56 * MIB);
	place(HYP_MAX_REGIONS);
	EXPECT(!man.ctr[0].valid);
	EXPECT(!man.ctr[1].valid);
	EXPECT(man.ctr[2].valid);
	EXPECT_HAS(fake_console(), "error: container low: base: 0x40000000-0x40400000 is not free RAM");
	EXPECT_HAS(fake_console(), "error: container straddle: base: ");
	EXPECT_EQ(unit_count(fake_console(), "error"), 2);
}

/* A fixed range whose end wraps past 2^64 is not inside any RAM. */
static void fixed_wraps_rejected(void)
{
	map_one(RAM, 64 * MIB);
	man_reset();
	add_ctr("wrap", 1, 0xfffffffffff00000ULL);
	add_ctr("wrap4g", 4096, 0xffffffff00000000ULL);
	place(HYP_MAX_REGIONS);
	EXPECT(!man.ctr[0].valid);
	EXPECT(!man.ctr[1].valid);
	EXPECT_EQ(out[0].size, 0);
	EXPECT_EQ(out[1].size, 0);
	EXPECT_HAS(fake_console(), "error: container wrap: base: ");
	EXPECT_HAS(fake_console(), "error: container wrap4g: base: ");
}

static void too_big_rejected(void)
{
	mem_map_init(&map);
	ASSERT_EQ(mem_map_add(&map, RAM, 32 * MIB), 0);
	ASSERT_EQ(mem_map_add(&map, RAM + 64 * MIB, 32 * MIB), 0);
	man_reset();
	add_ctr("huge", 48, 0);
	add_ctr("fits", 32, 0);
	place(HYP_MAX_REGIONS);
	EXPECT(!man.ctr[0].valid);
	EXPECT(man.ctr[1].valid);
	EXPECT_EQ(out[0].size, 0);
	EXPECT_HAS(fake_console(), "error: container huge: memory-mib: 48 MiB does not fit in free RAM (largest free block 32 MiB)");
}

/* Free RAM enough in total, but not at an aligned address. */
static void alignment_rejected(void)
{
	map_one(RAM + 4 * MIB, 16 * MIB);
	man_reset();
	add_ctr("aligned", 16, 0);
	place(HYP_MAX_REGIONS);
	EXPECT(!man.ctr[0].valid);
	EXPECT_HAS(fake_console(), "error: container aligned: memory-mib: ");
}

static void pmp_budget(void)
{
	map_one(RAM, 128 * MIB);
	man_reset();
	add_ctr("three", 7, 0);		/* 4 + 2 + 1 */
	add_ctr("two", 6, 0);		/* 4 + 2 */
	add_ctr("fixed3", 7, RAM + 64 * MIB);
	place(2);
	EXPECT(!man.ctr[0].valid);
	EXPECT(man.ctr[1].valid);
	EXPECT(!man.ctr[2].valid);
	EXPECT_EQ(out[0].size, 0);
	EXPECT_EQ(out[2].size, 0);
	EXPECT_EQ(out[1].base, RAM);
	EXPECT_HAS(fake_console(), "error: container three: memory-mib: 7 MiB needs 3 PMP regions, this machine has 2");
	EXPECT_HAS(fake_console(), "error: container fixed3: memory-mib: ");
	EXPECT_EQ(unit_count(fake_console(), "error"), 2);
}

static void invalid_skipped(void)
{
	map_one(RAM, 64 * MIB);
	man_reset();
	add_ctr("bad", 4, 0)->valid = false;
	add_ctr("good", 4, 0);
	out[0].size = 123;
	place(HYP_MAX_REGIONS);
	EXPECT_EQ(out[0].size, 0);
	EXPECT_EQ(out[1].base, RAM);
	EXPECT_EQ(fake.console_len, 0);
}

/* --- property: random manifests ----------------------------------------- */

static bool inside_free(u64 base, u64 size)
{
	unsigned int i;

	for (i = 0; i < map.count; i++)
		if (base >= map.r[i].base && size <= map.r[i].size &&
		    base - map.r[i].base <= map.r[i].size - size)
			return true;
	return false;
}

static bool overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* True if [base, base + size) is free RAM and clear of @taken[0..n). */
static bool spot_free(u64 base, u64 size, const struct mem_range *taken,
		      unsigned int n)
{
	unsigned int i;

	if (!inside_free(base, size))
		return false;
	for (i = 0; i < n; i++)
		if (overlap(base, size, taken[i].base, taken[i].size))
			return false;
	return true;
}

/* The lowest aligned free spot, by brute force; ~0 if none. */
static u64 lowest_spot(u64 size, const struct mem_range *taken, unsigned int n)
{
	u64 align = hyp_pow2_floor(size), best = ~0ULL, a;
	unsigned int i;

	for (i = 0; i < map.count; i++) {
		for (a = HYP_ALIGN_UP(map.r[i].base, align);
		     a + size <= map.r[i].base + map.r[i].size && a < best;
		     a += align) {
			if (spot_free(a, size, taken, n)) {
				best = a;
				break;
			}
		}
	}
	return best;
}

static void random_free_map(u64 *seed)
{
	unsigned int i, holes = (unsigned int)(unit_rand(seed) % 6);

	map_one(RAM, 256 * MIB);
	if (unit_rand(seed) & 1)
		ASSERT_EQ(mem_map_add(&map, RAM + 512 * MIB, 64 * MIB), 0);
	for (i = 0; i < holes; i++) {
		u64 at = RAM + (unit_rand(seed) % 256) * MIB / 2;
		u64 len = (1 + unit_rand(seed) % 16) * MIB / 4;

		ASSERT_EQ(mem_map_reserve(&map, at, len), 0);
	}
}

static void random_manifest(u64 *seed)
{
	unsigned int i, n = 1 + (unsigned int)(unit_rand(seed) % 12);
	char name[8];

	man_reset();
	for (i = 0; i < n; i++) {
		u64 mib = 1 + unit_rand(seed) % 48, base = 0;

		if (unit_rand(seed) % 4 == 0)
			base = (RAM + (unit_rand(seed) % 320) * MIB) &
			       ~(hyp_pow2_floor(mib * MIB) - 1);
		snprintf(name, sizeof(name), "r%u", i);
		add_ctr(name, mib, base);
	}
}

/* Check one placement: invariants, fixed bases, first fit, rejections. */
static void check_placement(unsigned int max_regions)
{
	struct mem_range taken[HYP_MAX_CONTAINERS];
	unsigned int i, j, nt = 0, pieces;
	u64 p[HYP_MAX_REGIONS];

	for (i = 0; i < man.count; i++) {
		const struct manifest_ctr *c = &man.ctr[i];

		pieces = place_pieces(c->memory, p, HYP_MAX_REGIONS);
		if (!c->valid) {
			ASSERT_EQ(out[i].size, 0);
			continue;
		}
		ASSERT(pieces <= max_regions);
		ASSERT_EQ(out[i].size, c->memory);
		ASSERT_EQ(out[i].base & (hyp_pow2_floor(c->memory) - 1), 0);
		ASSERT(inside_free(out[i].base, out[i].size));
		if (c->base)
			ASSERT_EQ(out[i].base, c->base);
		for (j = 0; j < i; j++)
			ASSERT(!overlap(out[i].base, out[i].size,
					out[j].base, out[j].size));
	}
	/* Fixed ones first, then first fit in manifest order. */
	for (i = 0; i < man.count; i++)
		if (man.ctr[i].base && out[i].size)
			taken[nt++] = out[i];
	for (i = 0; i < man.count; i++) {
		const struct manifest_ctr *c = &man.ctr[i];

		if (c->base || place_pieces(c->memory, p, HYP_MAX_REGIONS) > max_regions)
			continue;
		ASSERT_EQ(out[i].size ? out[i].base : ~0ULL,
			  lowest_spot(c->memory, taken, nt));
		if (out[i].size)
			taken[nt++] = out[i];
	}
}

static void random_placements(void)
{
	u64 seed = 0x5eed0fd105125ULL;
	unsigned int round, placed = 0, rejected = 0;

	for (round = 0; round < 400; round++) {
		unsigned int max_regions = 1 + round % HYP_MAX_REGIONS;

		random_free_map(&seed);
		random_manifest(&seed);
		place(max_regions);
		check_placement(max_regions);
		placed += manifest_valid_count(&man);
		rejected += man.count - manifest_valid_count(&man);
		fake_console_clear();
	}
	/* The generator exercises both outcomes. */
	EXPECT(placed > 400);
	EXPECT(rejected > 100);
}

static const struct unit_case place_cases[] = {
	UNIT_CASE(map_add_limits),
	UNIT_CASE(reserve_middle),
	UNIT_CASE(reserve_start),
	UNIT_CASE(reserve_end),
	UNIT_CASE(reserve_overhanging_end),
	UNIT_CASE(reserve_covering),
	UNIT_CASE(reserve_exact),
	UNIT_CASE(reserve_disjoint),
	UNIT_CASE(reserve_across_two),
	UNIT_CASE(reserve_two_holes),
	UNIT_CASE(reserve_hole_map_full),
	UNIT_CASE(pieces_24_mib),
	UNIT_CASE(pieces_one),
	UNIT_CASE(pieces_seven),
	UNIT_CASE(pieces_over_max),
	UNIT_CASE(fixed_first),
	UNIT_CASE(first_fit_aligned),
	UNIT_CASE(contiguous_pieces),
	UNIT_CASE(fixed_overlap_rejected),
	UNIT_CASE(fixed_outside_ram),
	UNIT_CASE(fixed_wraps_rejected),
	UNIT_CASE(too_big_rejected),
	UNIT_CASE(alignment_rejected),
	UNIT_CASE(pmp_budget),
	UNIT_CASE(invalid_skipped),
	UNIT_CASE(random_placements),
};

UNIT_SUITE(place, place_cases);
