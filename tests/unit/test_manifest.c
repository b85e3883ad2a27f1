// SPDX-License-Identifier: BSD-2-Clause
/*
 * Manifest parsing and validation (hyp/manifest.c), on blobs built with
 * libfdt's sequential-write API.
 */
#include <libfdt.h>
#include <stdio.h>
#include <hyp/error.h>
#include <hyp/manifest.h>
#include "elf_image.h"
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define MF_SIZE		(256 * 1024)

static u8 blob[MF_SIZE];
static struct manifest man;

#define MF(call)	ASSERT_EQ((call), 0)

/* Root, compatible and the /containers node opened. */
static void mf_begin(void)
{
	fixture_mf_begin(blob, sizeof(blob));
}

static void mf_end(void)
{
	fixture_mf_end(blob);
}

static void mf_image(unsigned int bits)
{
	struct elf_spec s;
	u8 img[256];
	size_t n;

	elf_spec_simple(&s, bits);
	n = elf_build(img, sizeof(img), &s);
	ASSERT(n > 0);
	MF(fdt_property(blob, "image", img, (int)n));
}

static void mf_u32(const char *prop, u32 v)
{
	MF(fdt_property_u32(blob, prop, v));
}

static void mf_u64(const char *prop, u64 v)
{
	MF(fdt_property_u64(blob, prop, v));
}

static void mf_str(const char *prop, const char *s)
{
	MF(fdt_property_string(blob, prop, s));
}

/* A container that is valid on its own: an image and 4 MiB. */
static void mf_good(const char *name, unsigned int bits)
{
	MF(fdt_begin_node(blob, name));
	mf_image(bits);
	mf_u32("memory-mib", 4);
	MF(fdt_end_node(blob));
}

/*
 * As the firmware does: exactly as many entries as manifest_count() says,
 * from the heap, so the sanitizers catch a count that falls short.
 */
static int parse(unsigned int xlen)
{
	unsigned int n, vcpus;

	free(man.ctr);
	manifest_count(blob, sizeof(blob), &n, &vcpus);
	man.ctr = calloc(n ? n : 1, sizeof(*man.ctr));
	man.cap = n;
	return manifest_parse(blob, sizeof(blob), xlen, &man);
}

static const struct manifest_ctr *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < man.count; i++)
		if (!strcmp(man.ctr[i].name, name))
			return &man.ctr[i];
	return NULL;
}

/* --- valid manifests ---------------------------------------------------- */

static void valid_two_containers(void)
{
	const struct manifest_ctr *a, *b;

	mf_begin();
	MF(fdt_begin_node(blob, "alpha"));
	mf_image(64);
	mf_u32("memory-mib", 4);
	mf_u32("base", 0x88000000);
	mf_str("bootargs", "console=hvc0 quiet");
	MF(fdt_end_node(blob));
	MF(fdt_begin_node(blob, "beta_2"));
	mf_image(64);
	mf_u32("memory-mib", 24);
	mf_u64("base", 0x100000000ULL);
	mf_u32("cpus", 3);
	mf_str("restart", "always");
	MF(fdt_property(blob, "pinned", NULL, 0));
	MF(fdt_property(blob, "stats", NULL, 0));
	MF(fdt_end_node(blob));
	mf_end();

	ASSERT_EQ(parse(64), 0);
	ASSERT_EQ(man.count, 2);
	EXPECT_EQ(manifest_valid_count(&man), 2);
	EXPECT(!man.stay_up);
	EXPECT(!man.trap_time);
	a = &man.ctr[0];
	b = &man.ctr[1];
	EXPECT_STREQ(a->name, "alpha");
	EXPECT(a->valid);
	EXPECT_EQ(a->memory, 4 * HYP_MIB);
	EXPECT_EQ(a->base, 0x88000000);
	EXPECT_EQ(a->vcpus, 1);
	EXPECT_STREQ(a->bootargs, "console=hvc0 quiet");
	EXPECT_EQ(a->restart, RESTART_ON_REBOOT);
	EXPECT(!a->pinned);
	EXPECT(!a->stats);
	EXPECT(a->image != NULL);
	EXPECT((const u8 *)a->image > blob &&
	       (const u8 *)a->image + a->image_size <= blob + sizeof(blob));
	EXPECT(!memcmp(a->image, "\x7f" "ELF", 4));
	EXPECT_EQ(a->initrd_size, 0);

	EXPECT_STREQ(b->name, "beta_2");
	EXPECT(b->valid);
	EXPECT_EQ(b->memory, 24 * HYP_MIB);
	EXPECT_EQ(b->base, 0x100000000ULL);
	EXPECT_EQ(b->vcpus, 3);
	EXPECT(b->bootargs == NULL);
	EXPECT_EQ(b->restart, RESTART_ALWAYS);
	EXPECT(b->pinned);
	EXPECT(b->stats);
	EXPECT_LACKS(fake_console(), "error");
}

static void valid_options(void)
{
	static const u8 initrd[100] = { 1, 2, 3 };

	MF(fdt_create(blob, sizeof(blob)));
	MF(fdt_finish_reservemap(blob));
	MF(fdt_begin_node(blob, ""));
	mf_str("compatible", "diosix,manifest");
	MF(fdt_property(blob, "stay-up", NULL, 0));
	MF(fdt_property(blob, "trap-time", NULL, 0));
	MF(fdt_begin_node(blob, "containers"));
	MF(fdt_begin_node(blob, "n"));
	mf_image(32);
	mf_u32("memory-mib", 2048);
	mf_str("restart", "never");
	MF(fdt_property(blob, "initrd", initrd, sizeof(initrd)));
	MF(fdt_end_node(blob));
	MF(fdt_begin_node(blob, "r"));
	mf_image(32);
	mf_u32("memory-mib", 1);
	mf_str("restart", "on-reboot");
	mf_u32("cpus", 32);
	MF(fdt_end_node(blob));
	mf_end();

	ASSERT_EQ(parse(32), 0);
	ASSERT_EQ(man.count, 2);
	EXPECT(man.stay_up);
	EXPECT(man.trap_time);
	EXPECT(man.ctr[0].valid);
	EXPECT_EQ(man.ctr[0].memory, 2048 * HYP_MIB);
	EXPECT_EQ(man.ctr[0].restart, RESTART_NEVER);
	EXPECT_EQ(man.ctr[0].initrd_size, sizeof(initrd));
	EXPECT(!memcmp(man.ctr[0].initrd, initrd, sizeof(initrd)));
	EXPECT(man.ctr[1].valid);
	EXPECT_EQ(man.ctr[1].restart, RESTART_ON_REBOOT);
	EXPECT_EQ(man.ctr[1].vcpus, 32);
	EXPECT_LACKS(fake_console(), "error");
}

/* 15 = 8 + 4 + 2 + 1: four pieces is the most allowed. */
static void valid_four_pieces(void)
{
	mf_begin();
	MF(fdt_begin_node(blob, "f"));
	mf_image(64);
	mf_u32("memory-mib", 15);
	MF(fdt_end_node(blob));
	mf_end();
	ASSERT_EQ(parse(64), 0);
	EXPECT(man.ctr[0].valid);
	EXPECT_EQ(man.ctr[0].memory, 15 * HYP_MIB);
}

/* --- one bad container among good ones ---------------------------------- */

/* "ok1", then the caller's "bad" node (opened here), then "ok2". */
static void bad_begin(unsigned int bits)
{
	mf_begin();
	mf_good("ok1", bits);
	MF(fdt_begin_node(blob, "bad"));
}

static void bad_end(unsigned int bits)
{
	MF(fdt_end_node(blob));
	mf_good("ok2", bits);
	mf_end();
}

/* Only "bad" is left out, and one error names it and @field. */
static void expect_rejected(unsigned int xlen, const char *field)
{
	char want[96];

	ASSERT_EQ(parse(xlen), 0);
	ASSERT_EQ(man.count, 3);
	EXPECT(man.ctr[0].valid);
	EXPECT(!man.ctr[1].valid);
	EXPECT(man.ctr[2].valid);
	EXPECT_EQ(manifest_valid_count(&man), 2);
	snprintf(want, sizeof(want), "[diosix] error: container bad: %s: ", field);
	EXPECT_HAS(fake_console(), want);
	EXPECT_EQ(unit_count(fake_console(), "error"), 1);
	EXPECT_LACKS(fake_console(), "container ok");
}

static void memory_missing(void)
{
	bad_begin(64);
	mf_image(64);
	bad_end(64);
	expect_rejected(64, "memory-mib");
}

static void memory_zero(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 0);
	bad_end(64);
	expect_rejected(64, "memory-mib");
}

static void memory_over_1tib(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", (1U << 20) + 1);
	bad_end(64);
	expect_rejected(64, "memory-mib");
}

static void memory_over_2gib_rv32(void)
{
	bad_begin(32);
	mf_image(32);
	mf_u32("memory-mib", 4096);
	bad_end(32);
	expect_rejected(32, "memory-mib");
}

static void memory_five_pieces(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 31);
	bad_end(64);
	expect_rejected(64, "memory-mib");
	EXPECT_HAS(fake_console(), "31 MiB needs 5 power-of-two regions");
}

static void memory_two_cells(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u64("memory-mib", 4);
	bad_end(64);
	expect_rejected(64, "memory-mib");
}

static void base_misaligned(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 24);
	mf_u32("base", 0x88800000);	/* 8 MiB aligned, needs 16 MiB */
	bad_end(64);
	expect_rejected(64, "base");
}

static void base_zero(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	mf_u32("base", 0);
	bad_end(64);
	expect_rejected(64, "base");
}

static void base_three_cells(void)
{
	const fdt32_t cells[3] = { 0, 0, cpu_to_fdt32(0x80000000) };

	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	MF(fdt_property(blob, "base", cells, sizeof(cells)));
	bad_end(64);
	expect_rejected(64, "base");
}

static void base_above_4gib_rv32(void)
{
	bad_begin(32);
	mf_image(32);
	mf_u32("memory-mib", 4);
	mf_u64("base", 0x100000000ULL);
	bad_end(32);
	expect_rejected(32, "base");
}

/* The RAM straddles 4 GiB. */
static void base_ends_above_4gib_rv32(void)
{
	bad_begin(32);
	mf_image(32);
	mf_u32("memory-mib", 12);
	mf_u32("base", 0xff800000);
	bad_end(32);
	expect_rejected(32, "base");
}

/* Ending exactly at 4 GiB is fine. */
static void base_ends_at_4gib_rv32(void)
{
	mf_begin();
	MF(fdt_begin_node(blob, "top"));
	mf_image(32);
	mf_u32("memory-mib", 8);
	mf_u32("base", 0xff800000);
	MF(fdt_end_node(blob));
	mf_end();
	ASSERT_EQ(parse(32), 0);
	EXPECT(man.ctr[0].valid);
	EXPECT_EQ(man.ctr[0].base, 0xff800000);
}

/* base + size wraps to exactly 0 in 64 bits: still far above 4 GiB. */
static void base_wraps_rv32(void)
{
	bad_begin(32);
	mf_image(32);
	mf_u32("memory-mib", 2048);
	mf_u64("base", 0xffffffff80000000ULL);
	bad_end(32);
	expect_rejected(32, "base");
}

static void cpus_zero(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	mf_u32("cpus", 0);
	bad_end(64);
	expect_rejected(64, "cpus");
}

static void cpus_over_the_limit(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	mf_u32("cpus", HYP_MAX_CONTAINER_VCPUS + 1);
	bad_end(64);
	expect_rejected(64, "cpus");
}

static void unknown_property(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	mf_u32("cpu", 2);
	bad_end(64);
	expect_rejected(64, "cpu");
	EXPECT_HAS(fake_console(), "bad: cpu: unknown property");
}

static void restart_bad(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	mf_str("restart", "sometimes");
	bad_end(64);
	expect_rejected(64, "restart");
}

static void restart_not_string(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	mf_u32("restart", 1);
	bad_end(64);
	expect_rejected(64, "restart");
}

static void bootargs_not_string(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	mf_u32("bootargs", 7);
	bad_end(64);
	expect_rejected(64, "bootargs");
}

static void bootargs_string_list(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	MF(fdt_property(blob, "bootargs", "a\0b", 4));
	bad_end(64);
	expect_rejected(64, "bootargs");
}

static void bootargs_too_long(void)
{
	char s[HYP_BOOTARGS_MAX + 1];

	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	mf_str("bootargs", s);
	bad_end(64);
	expect_rejected(64, "bootargs");
}

static void image_missing(void)
{
	bad_begin(64);
	mf_u32("memory-mib", 4);
	bad_end(64);
	expect_rejected(64, "image");
}

static void image_empty(void)
{
	bad_begin(64);
	MF(fdt_property(blob, "image", NULL, 0));
	mf_u32("memory-mib", 4);
	bad_end(64);
	expect_rejected(64, "image");
}

static void image_not_elf(void)
{
	static const char text[] = "#!/bin/sh\necho not a guest\n";

	bad_begin(64);
	MF(fdt_property(blob, "image", text, sizeof(text)));
	mf_u32("memory-mib", 4);
	bad_end(64);
	expect_rejected(64, "image");
}

static void image_elf32_on_rv64(void)
{
	bad_begin(64);
	mf_image(32);
	mf_u32("memory-mib", 4);
	bad_end(64);
	expect_rejected(64, "image");
	EXPECT_HAS(fake_console(), "32-bit ELF on a 64-bit machine");
}

static void image_elf64_on_rv32(void)
{
	bad_begin(32);
	mf_image(64);
	mf_u32("memory-mib", 4);
	bad_end(32);
	expect_rejected(32, "image");
	EXPECT_HAS(fake_console(), "64-bit ELF on a 32-bit machine");
}

/* 8 MiB of bss in a 4 MiB container. */
static void image_bigger_than_memory(void)
{
	struct elf_spec s;
	u8 img[256];
	size_t n;

	elf_spec_simple(&s, 64);
	s.seg[0].memsz = 8 * HYP_MIB;
	n = elf_build(img, sizeof(img), &s);
	bad_begin(64);
	MF(fdt_property(blob, "image", img, (int)n));
	mf_u32("memory-mib", 4);
	bad_end(64);
	expect_rejected(64, "memory-mib");
}

/* The image fits, but not with the device tree above it. */
static void image_no_room_for_dt(void)
{
	struct elf_spec s;
	u8 img[256];
	size_t n;

	elf_spec_simple(&s, 64);
	s.seg[0].memsz = HYP_MIB - 4096;
	n = elf_build(img, sizeof(img), &s);
	bad_begin(64);
	MF(fdt_property(blob, "image", img, (int)n));
	mf_u32("memory-mib", 1);
	bad_end(64);
	expect_rejected(64, "memory-mib");
}

static void linux_image_bigger_than_memory(void)
{
	u8 img[128];

	linux_image_build(img, sizeof(img), 16 * HYP_MIB);
	bad_begin(64);
	MF(fdt_property(blob, "image", img, sizeof(img)));
	mf_u32("memory-mib", 8);
	bad_end(64);
	expect_rejected(64, "memory-mib");
	EXPECT_HAS(fake_console(), "too small for the Linux image");
}

static void initrd_empty(void)
{
	bad_begin(64);
	mf_image(64);
	mf_u32("memory-mib", 4);
	MF(fdt_property(blob, "initrd", NULL, 0));
	bad_end(64);
	expect_rejected(64, "initrd");
}

static void duplicate_names(void)
{
	mf_begin();
	mf_good("twin", 64);
	mf_good("other", 64);
	mf_good("twin", 64);
	mf_end();
	ASSERT_EQ(parse(64), 0);
	ASSERT_EQ(man.count, 3);
	EXPECT(man.ctr[0].valid);
	EXPECT(man.ctr[1].valid);
	EXPECT(!man.ctr[2].valid);
	EXPECT_HAS(fake_console(), "error: container twin: name: used twice");
	EXPECT_EQ(unit_count(fake_console(), "error"), 1);
}

static void check_bad_name(const char *name)
{
	mf_begin();
	mf_good("ok1", 64);
	mf_good(name, 64);
	mf_good("ok2", 64);
	mf_end();
	ASSERT_EQ(parse(64), 0);
	ASSERT_EQ(man.count, 3);
	EXPECT(man.ctr[0].valid);
	EXPECT(!man.ctr[1].valid);
	EXPECT(man.ctr[2].valid);
	EXPECT_HAS(fake_console(), "error: container #");
	EXPECT_HAS(fake_console(), ": name: must be 1-15 characters");
	EXPECT_EQ(unit_count(fake_console(), "error"), 1);
}

static void name_upper_case(void)
{
	check_bad_name("Web");
}

static void name_unit_address(void)
{
	check_bad_name("web@1");
}

static void name_too_long(void)
{
	check_bad_name("abcdefghijklmnop");	/* 16 characters */
}

static void name_longest_ok(void)
{
	mf_begin();
	mf_good("abcdefghijklmno", 64);
	mf_end();
	ASSERT_EQ(parse(64), 0);
	EXPECT(man.ctr[0].valid);
	EXPECT_STREQ(man.ctr[0].name, "abcdefghijklmno");
}

/* Good containers c<first> .. c<last>. */
static void mf_good_range(unsigned int first, unsigned int last)
{
	char name[8];
	unsigned int i;

	for (i = first; i <= last; i++) {
		snprintf(name, sizeof(name), "c%u", i);
		mf_good(name, 64);
	}
}

static void more_than_the_limit(void)
{
	mf_begin();
	mf_good_range(0, HYP_MAX_CONTAINERS + 1);
	mf_end();
	ASSERT_EQ(parse(64), 0);
	EXPECT_EQ(man.count, HYP_MAX_CONTAINERS);
	EXPECT_EQ(manifest_valid_count(&man), HYP_MAX_CONTAINERS);
	EXPECT_HAS(fake_console(), "error: container c64: (node): more than 64 containers");
	EXPECT_HAS(fake_console(), "error: container c65: (node): ");
	EXPECT_EQ(unit_count(fake_console(), "error"), 2);
	/* Dropped, so the build's check must refuse them as the boot does. */
	EXPECT_EQ(man.dropped, 2);
	EXPECT_EQ(manifest_refused_count(&man), 2);
}

/*
 * manifest_count() sizes the firmware's memory before anything is parsed:
 * every node is a container, a missing cpus is one vCPU, a cpus value the
 * parser will refuse needs none.
 */
static void mf_cpus(const char *name, u32 cpus, u32 mib);

static void count_containers_and_vcpus(void)
{
	unsigned int n, vcpus;

	mf_begin();
	mf_cpus("a", 4, 4);
	mf_good("b", 64);
	mf_cpus("c", HYP_MAX_CONTAINER_VCPUS + 1, 4);
	MF(fdt_begin_node(blob, "d"));
	mf_u64("cpus", 2);
	MF(fdt_end_node(blob));
	mf_end();
	manifest_count(blob, sizeof(blob), &n, &vcpus);
	EXPECT_EQ(n, 4);
	EXPECT_EQ(vcpus, 4 + 1);
}

/* At most the limits, whatever the manifest holds. */
static void count_capped(void)
{
	unsigned int i, n, vcpus;
	char name[8];

	mf_begin();
	for (i = 0; i < HYP_MAX_CONTAINERS + 3; i++) {
		snprintf(name, sizeof(name), "c%u", i);
		mf_cpus(name, HYP_MAX_CONTAINER_VCPUS, 4);
	}
	mf_end();
	manifest_count(blob, sizeof(blob), &n, &vcpus);
	EXPECT_EQ(n, HYP_MAX_CONTAINERS);
	EXPECT_EQ(vcpus, HYP_MAX_VCPUS);
	/* The boot takes what the count says and no more. */
	ASSERT_EQ(parse(64), 0);
	EXPECT_EQ(man.cap, HYP_MAX_CONTAINERS);
	EXPECT_EQ(man.dropped, 3);
}

static void count_not_a_manifest(void)
{
	unsigned int n = 7, vcpus = 7;

	memset(blob, 0, sizeof(blob));
	manifest_count(blob, sizeof(blob), &n, &vcpus);
	EXPECT_EQ(n, 0);
	EXPECT_EQ(vcpus, 0);
	EXPECT_STREQ(fake_console(), "");
}

/* Invalid and dropped entries both count as refused. */
static void refused_count(void)
{
	mf_begin();
	MF(fdt_begin_node(blob, "broken"));
	mf_image(64);
	MF(fdt_end_node(blob));
	mf_good_range(1, HYP_MAX_CONTAINERS);
	mf_end();
	ASSERT_EQ(parse(64), 0);
	EXPECT_EQ(man.count, HYP_MAX_CONTAINERS);
	EXPECT_EQ(man.dropped, 1);
	EXPECT_EQ(manifest_refused_count(&man), 2);
	EXPECT_HAS(fake_console(), "error: container c64: (node): more than 64 containers");
}

static void mf_pinned(const char *name, u32 cpus)
{
	MF(fdt_begin_node(blob, name));
	mf_image(64);
	mf_u32("memory-mib", 4);
	mf_u32("cpus", cpus);
	MF(fdt_property(blob, "pinned", NULL, 0));
	MF(fdt_end_node(blob));
}

/* No machine has a hart for each of 64 pinned vCPUs and one more. */
static void pinned_more_than_harts(void)
{
	mf_begin();
	mf_pinned("big", HYP_MAX_HARTS);
	mf_pinned("ok", HYP_MAX_HARTS - 1);
	mf_end();
	ASSERT_EQ(parse(64), 0);
	ASSERT_EQ(man.count, 2);
	EXPECT(!man.ctr[0].valid);
	EXPECT(man.ctr[1].valid);
	EXPECT_HAS(fake_console(), "error: container big: pinned: 64 dedicated harts are not free (one hart always stays shared)");
	EXPECT_EQ(unit_count(fake_console(), "error"), 1);
	EXPECT_EQ(manifest_refused_count(&man), 1);
}

static void mf_cpus(const char *name, u32 cpus, u32 mib)
{
	MF(fdt_begin_node(blob, name));
	mf_image(64);
	mf_u32("memory-mib", mib);
	mf_u32("cpus", cpus);
	MF(fdt_end_node(blob));
}

/* 4 * 64 fill the machine; an invalid container's vCPUs do not count. */
static void vcpus_over_machine_limit(void)
{
	mf_begin();
	mf_cpus("broken", 64, 0);
	mf_cpus("a", 64, 4);
	mf_cpus("a2", 64, 4);
	mf_cpus("a3", 64, 4);
	mf_cpus("b", 63, 4);
	mf_cpus("c", 2, 4);
	mf_cpus("d", 1, 4);
	mf_end();
	ASSERT_EQ(parse(64), 0);
	ASSERT_EQ(man.count, 7);
	EXPECT(!man.ctr[0].valid);
	EXPECT(man.ctr[1].valid);
	EXPECT(man.ctr[4].valid);
	EXPECT(!man.ctr[5].valid);
	EXPECT(man.ctr[6].valid);
	EXPECT_HAS(fake_console(), "error: container c: cpus: 2 virtual harts exceed");
	EXPECT_EQ(unit_count(fake_console(), "error"), 2);
	EXPECT(find("d") && find("d")->valid);
}

/* --- not a manifest at all ---------------------------------------------- */

static void not_a_dtb(void)
{
	memset(blob, 0x5a, sizeof(blob));
	EXPECT_EQ(manifest_parse(blob, sizeof(blob), 64, &man), HYP_EINVAL);
	EXPECT_EQ(man.count, 0);
	EXPECT_HAS(fake_console(), "error: manifest: not a device tree blob");
}

static void dtb_larger_than_max(void)
{
	mf_begin();
	mf_good("a", 64);
	mf_end();
	EXPECT_EQ(manifest_parse(blob, fdt_totalsize(blob) - 1, 64, &man),
		  HYP_EINVAL);
	EXPECT_EQ(manifest_parse(blob, 16, 64, &man), HYP_EINVAL);
	EXPECT_EQ(manifest_parse(blob, fdt_totalsize(blob), 64, &man), 0);
}

static void wrong_compatible(void)
{
	MF(fdt_create(blob, sizeof(blob)));
	MF(fdt_finish_reservemap(blob));
	MF(fdt_begin_node(blob, ""));
	mf_str("compatible", "diosix,manifesto");
	MF(fdt_begin_node(blob, "containers"));
	mf_good("a", 64);
	mf_end();
	EXPECT_EQ(parse(64), HYP_EINVAL);
	EXPECT_HAS(fake_console(), "error: manifest: root compatible");
}

static void no_compatible(void)
{
	MF(fdt_create(blob, sizeof(blob)));
	MF(fdt_finish_reservemap(blob));
	MF(fdt_begin_node(blob, ""));
	MF(fdt_begin_node(blob, "containers"));
	mf_good("a", 64);
	mf_end();
	EXPECT_EQ(parse(64), HYP_EINVAL);
	EXPECT_HAS(fake_console(), "error: manifest: root compatible");
}

static void no_containers_node(void)
{
	MF(fdt_create(blob, sizeof(blob)));
	MF(fdt_finish_reservemap(blob));
	MF(fdt_begin_node(blob, ""));
	mf_str("compatible", "diosix,manifest");
	MF(fdt_begin_node(blob, "container"));
	mf_good("a", 64);
	mf_end();
	EXPECT_EQ(parse(64), HYP_EINVAL);
	EXPECT_HAS(fake_console(), "error: manifest: no /containers node");
}

static void empty_containers(void)
{
	mf_begin();
	mf_end();
	EXPECT_EQ(parse(64), 0);
	EXPECT_EQ(man.count, 0);
	EXPECT_EQ(manifest_valid_count(&man), 0);
}

static const struct unit_case manifest_cases[] = {
	UNIT_CASE(valid_two_containers),
	UNIT_CASE(valid_options),
	UNIT_CASE(valid_four_pieces),
	UNIT_CASE(memory_missing),
	UNIT_CASE(memory_zero),
	UNIT_CASE(memory_over_1tib),
	UNIT_CASE(memory_over_2gib_rv32),
	UNIT_CASE(memory_five_pieces),
	UNIT_CASE(memory_two_cells),
	UNIT_CASE(base_misaligned),
	UNIT_CASE(base_zero),
	UNIT_CASE(base_three_cells),
	UNIT_CASE(base_above_4gib_rv32),
	UNIT_CASE(base_ends_above_4gib_rv32),
	UNIT_CASE(base_ends_at_4gib_rv32),
	UNIT_CASE(base_wraps_rv32),
	UNIT_CASE(cpus_zero),
	UNIT_CASE(cpus_over_the_limit),
	UNIT_CASE(unknown_property),
	UNIT_CASE(restart_bad),
	UNIT_CASE(restart_not_string),
	UNIT_CASE(bootargs_not_string),
	UNIT_CASE(bootargs_string_list),
	UNIT_CASE(bootargs_too_long),
	UNIT_CASE(image_missing),
	UNIT_CASE(image_empty),
	UNIT_CASE(image_not_elf),
	UNIT_CASE(image_elf32_on_rv64),
	UNIT_CASE(image_elf64_on_rv32),
	UNIT_CASE(image_bigger_than_memory),
	UNIT_CASE(image_no_room_for_dt),
	UNIT_CASE(linux_image_bigger_than_memory),
	UNIT_CASE(initrd_empty),
	UNIT_CASE(duplicate_names),
	UNIT_CASE(name_upper_case),
	UNIT_CASE(name_unit_address),
	UNIT_CASE(name_too_long),
	UNIT_CASE(name_longest_ok),
	UNIT_CASE(more_than_the_limit),
	UNIT_CASE(count_containers_and_vcpus),
	UNIT_CASE(count_capped),
	UNIT_CASE(count_not_a_manifest),
	UNIT_CASE(refused_count),
	UNIT_CASE(pinned_more_than_harts),
	UNIT_CASE(vcpus_over_machine_limit),
	UNIT_CASE(not_a_dtb),
	UNIT_CASE(dtb_larger_than_max),
	UNIT_CASE(wrong_compatible),
	UNIT_CASE(no_compatible),
	UNIT_CASE(no_containers_node),
	UNIT_CASE(empty_containers),
};

UNIT_SUITE(manifest, manifest_cases);
