// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest image loading (hyp/loader.c) on synthesized ELF files and Linux
 * Image headers, well-formed and hostile.
 */
#include <stdlib.h>
#include <hyp/error.h>
#include <hyp/hal.h>
#include <hyp/loader.h>
#include "elf_image.h"
#include "fake_hal.h"
#include "unit.h"

#define LOAD_BASE	0x80400000ULL

static u8 img[8192];
static struct elf_spec spec;
static size_t img_size;

static u8 *phys(u64 pa)
{
	return hal_phys(pa);
}

/* Two PT_LOADs, the second with bss, and a non-load header between. */
static void build_two_segments(unsigned int bits, unsigned int type, u64 lo)
{
	memset(&spec, 0, sizeof(spec));
	spec.bits = bits;
	spec.type = type;
	spec.machine = ELF_EM_RISCV;
	spec.data = 1;
	spec.entry = lo + 0x10;
	spec.nseg = 3;
	spec.seg[0] = (struct elf_seg){ ELF_PT_LOAD, lo, 0x100, 0x100, 0 };
	spec.seg[1] = (struct elf_seg){ ELF_PT_NOTE, lo + 0x8000, 0x20, 0x20, 0 };
	spec.seg[2] = (struct elf_seg){ ELF_PT_LOAD, lo + 0x1000, 0x40, 0x200, 0 };
	img_size = elf_build(img, sizeof(img), &spec);
	ASSERT(img_size > 0);
}

static void build_simple(unsigned int bits)
{
	elf_spec_simple(&spec, bits);
	img_size = elf_build(img, sizeof(img), &spec);
	ASSERT(img_size > 0);
}

static void check_inspect_two(unsigned int bits)
{
	struct image_info info = { IMAGE_LINUX, 0, 0 };
	const char *why = NULL;

	ASSERT_EQ(loader_inspect(img, img_size, bits, &info, &why), 0);
	EXPECT_EQ(info.kind, IMAGE_ELF);
	EXPECT_EQ(info.span, 0x1200);
	EXPECT_EQ(info.entry, 0x10);
}

/* Segments at their offsets from the lowest, bss zeroed, gaps untouched. */
static void check_load_two(unsigned int bits)
{
	u8 *ram = phys(LOAD_BASE);
	u64 k;

	memset(ram - 16, 0xaa, 0x1200 + 32);
	EXPECT_EQ(loader_load(img, img_size, bits, LOAD_BASE), LOAD_BASE + 0x10);
	for (k = 0; k < 0x100; k++)
		if (ram[k] != elf_byte(0, k))
			break;
	EXPECT_EQ(k, 0x100);
	EXPECT_EQ(ram[0x100], 0xaa);
	EXPECT_EQ(ram[0xfff], 0xaa);
	for (k = 0; k < 0x40; k++)
		if (ram[0x1000 + k] != elf_byte(2, k))
			break;
	EXPECT_EQ(k, 0x40);
	for (k = 0x40; k < 0x200; k++)
		if (ram[0x1000 + k])
			break;
	EXPECT_EQ(k, 0x200);
	EXPECT_EQ(ram[-1], 0xaa);
	EXPECT_EQ(ram[0x1200], 0xaa);
}

static void elf64_exec(void)
{
	build_two_segments(64, ELF_ET_EXEC, 0x80200000);
	check_inspect_two(64);
	check_load_two(64);
}

static void elf64_dyn(void)
{
	build_two_segments(64, ELF_ET_DYN, 0);
	check_inspect_two(64);
	check_load_two(64);
}

static void elf32_exec(void)
{
	build_two_segments(32, ELF_ET_EXEC, 0x80200000);
	check_inspect_two(32);
	check_load_two(32);
}

static void elf32_dyn(void)
{
	build_two_segments(32, ELF_ET_DYN, 0);
	check_inspect_two(32);
	check_load_two(32);
}

/* A 64-bit address space near its top: no wrap, loads fine. */
static void elf64_high_vaddr(void)
{
	struct image_info info;
	const char *why = NULL;

	build_two_segments(64, ELF_ET_EXEC, 0xffffffff80000000ULL);
	ASSERT_EQ(loader_inspect(img, img_size, 64, &info, &why), 0);
	EXPECT_EQ(info.span, 0x1200);
	check_load_two(64);
}

/* The entry may be anywhere inside [lowest, highest). */
static void entry_in_second_segment(void)
{
	struct image_info info;
	const char *why;

	build_two_segments(64, ELF_ET_EXEC, 0x1000);
	put_le(img + 24, 0x2000 + 0x1ff, 8);
	ASSERT_EQ(loader_inspect(img, img_size, 64, &info, &why), 0);
	EXPECT_EQ(info.entry, 0x11ff);
	EXPECT_EQ(loader_load(img, img_size, 64, LOAD_BASE), LOAD_BASE + 0x11ff);
}

/* PT_LOAD with memsz 0 is ignored. */
static void empty_load_ignored(void)
{
	struct image_info info;
	const char *why;

	build_two_segments(64, ELF_ET_EXEC, 0x10000);
	put_le(img + elf_ehsize(64) + elf_phentsize(64), ELF_PT_LOAD, 4);
	put_le(img + elf_off_ph(64, 1, "memsz"), 0, 8);
	put_le(img + elf_off_ph(64, 1, "filesz"), 0, 8);
	ASSERT_EQ(loader_inspect(img, img_size, 64, &info, &why), 0);
	EXPECT_EQ(info.span, 0x1200);
}

/* --- hostile headers ---------------------------------------------------- */

/*
 * @size bytes of @data, copied to a buffer of exactly that size (ASan
 * sees any read past it), must be refused with a reason.
 */
static void expect_bad(const u8 *data, size_t size, unsigned int xlen,
		       const char *reason)
{
	struct image_info info = { IMAGE_LINUX, 1, 1 };
	const char *why = NULL;
	u8 *copy = malloc(size ? size : 1);

	ASSERT(copy != NULL);
	memcpy(copy, data, size);
	EXPECT_EQ(loader_inspect(copy, size, xlen, &info, &why), HYP_EINVAL);
	EXPECT(why != NULL);
	if (why && reason)
		EXPECT_STREQ(why, reason);
	EXPECT_EQ(loader_load(copy, size, xlen, LOAD_BASE), 0);
	EXPECT_EQ(*phys(LOAD_BASE), 0);
	free(copy);
}

#define E_OUTSIDE	"a segment lies outside the file"
#define E_PHDRS		"program headers outside the file"

static void just_magic(void)
{
	expect_bad((const u8 *)"\x7f" "ELF", 4, 64, NULL);
	expect_bad((const u8 *)"\x7f" "ELF\x02", 5, 64, NULL);
}

static void empty_image(void)
{
	expect_bad(img, 0, 64, "neither an ELF file nor a RISC-V Linux Image");
}

static void truncated_header(void)
{
	build_simple(64);
	expect_bad(img, 51, 64, NULL);
	expect_bad(img, 60, 64, "truncated ELF header");
	build_simple(32);
	expect_bad(img, 40, 32, NULL);
}

/* The program headers are cut off. */
static void truncated_phdrs(void)
{
	build_simple(64);
	expect_bad(img, elf_ehsize(64) + elf_phentsize(64) - 1, 64, E_PHDRS);
	build_simple(32);
	expect_bad(img, elf_ehsize(32) + elf_phentsize(32) - 1, 32, E_PHDRS);
}

static void phoff_outside(void)
{
	build_simple(64);
	put_le(img + elf_off_phoff(64), img_size + 1, 8);
	expect_bad(img, img_size, 64, E_PHDRS);
	put_le(img + elf_off_phoff(64), ~0ULL - 8, 8);
	expect_bad(img, img_size, 64, E_PHDRS);
	build_simple(32);
	put_le(img + elf_off_phoff(32), 0xfffffff0, 4);
	expect_bad(img, img_size, 32, E_PHDRS);
}

static void phnum_outside(void)
{
	build_simple(64);
	put_le(img + elf_off_phnum(64), 0xffff, 2);
	expect_bad(img, img_size, 64, E_PHDRS);
	put_le(img + elf_off_phnum(64), 0, 2);
	expect_bad(img, img_size, 64, E_PHDRS);
}

static void phentsize_bad(void)
{
	build_simple(64);
	put_le(img + elf_off_phentsize(64), 32, 2);
	expect_bad(img, img_size, 64, E_PHDRS);
	put_le(img + elf_off_phentsize(64), 0xffff, 2);
	expect_bad(img, img_size, 64, E_PHDRS);
}

static void segment_beyond_file(void)
{
	build_simple(64);
	put_le(img + elf_off_ph(64, 0, "filesz"), img_size, 8);
	put_le(img + elf_off_ph(64, 0, "memsz"), img_size, 8);
	expect_bad(img, img_size, 64, E_OUTSIDE);
	build_simple(64);
	put_le(img + elf_off_ph(64, 0, "offset"), img_size + 1, 8);
	put_le(img + elf_off_ph(64, 0, "filesz"), 0, 8);
	expect_bad(img, img_size, 64, E_OUTSIDE);
	/* offset + filesz wraps around */
	build_simple(64);
	put_le(img + elf_off_ph(64, 0, "offset"), 0x10, 8);
	put_le(img + elf_off_ph(64, 0, "filesz"), ~0ULL - 8, 8);
	put_le(img + elf_off_ph(64, 0, "memsz"), ~0ULL, 8);
	expect_bad(img, img_size, 64, E_OUTSIDE);
	build_simple(32);
	put_le(img + elf_off_ph(32, 0, "offset"), img_size - 4, 4);
	expect_bad(img, img_size, 32, E_OUTSIDE);
}

static void filesz_over_memsz(void)
{
	build_simple(64);
	put_le(img + elf_off_ph(64, 0, "memsz"), 15, 8);
	expect_bad(img, img_size, 64, E_OUTSIDE);
	build_simple(32);
	put_le(img + elf_off_ph(32, 0, "memsz"), 8, 4);
	expect_bad(img, img_size, 32, E_OUTSIDE);
}

static void vaddr_wraps(void)
{
	build_simple(64);
	put_le(img + elf_off_ph(64, 0, "vaddr"), 0xfffffffffffff000ULL, 8);
	put_le(img + elf_off_ph(64, 0, "memsz"), 0x2000, 8);
	put_le(img + 24, 0xfffffffffffff000ULL, 8);
	expect_bad(img, img_size, 64, "a segment wraps around the address space");
}

static void entry_outside(void)
{
	build_simple(64);
	put_le(img + 24, 0xfff, 8);
	expect_bad(img, img_size, 64, "entry point outside the loadable segments");
	put_le(img + 24, 0x1000 + 32, 8);
	expect_bad(img, img_size, 64, "entry point outside the loadable segments");
	build_simple(32);
	put_le(img + 24, 0, 4);
	expect_bad(img, img_size, 32, "entry point outside the loadable segments");
}

static void no_pt_load(void)
{
	build_simple(64);
	put_le(img + elf_ehsize(64), ELF_PT_NOTE, 4);
	expect_bad(img, img_size, 64, "no loadable segment");
	build_simple(64);
	put_le(img + elf_off_ph(64, 0, "memsz"), 0, 8);
	put_le(img + elf_off_ph(64, 0, "filesz"), 0, 8);
	expect_bad(img, img_size, 64, "no loadable segment");
}

static void wrong_machine(void)
{
	build_simple(64);
	put_le(img + 18, ELF_EM_X86_64, 2);
	expect_bad(img, img_size, 64, "not a RISC-V executable ELF");
}

static void wrong_type(void)
{
	build_simple(64);
	put_le(img + 16, ELF_ET_REL, 2);
	expect_bad(img, img_size, 64, "not a RISC-V executable ELF");
	put_le(img + 16, 4, 2);		/* ET_CORE */
	expect_bad(img, img_size, 64, "not a RISC-V executable ELF");
}

static void big_endian(void)
{
	elf_spec_simple(&spec, 64);
	spec.data = 2;
	img_size = elf_build(img, sizeof(img), &spec);
	expect_bad(img, img_size, 64, "not a little-endian ELF file");
	elf_spec_simple(&spec, 32);
	spec.data = 2;
	img_size = elf_build(img, sizeof(img), &spec);
	expect_bad(img, img_size, 32, "not a little-endian ELF file");
}

static void bad_class(void)
{
	build_simple(64);
	img[4] = 3;
	expect_bad(img, img_size, 64, "not a little-endian ELF file");
	img[4] = 0;
	expect_bad(img, img_size, 64, "not a little-endian ELF file");
}

static void wrong_xlen(void)
{
	build_simple(64);
	expect_bad(img, img_size, 32, "64-bit ELF on a 32-bit machine");
	build_simple(32);
	expect_bad(img, img_size, 64, "32-bit ELF on a 64-bit machine");
}

/* --- Linux Image -------------------------------------------------------- */

static void linux_image_size_wins(void)
{
	struct image_info info;
	const char *why = NULL;
	u8 *ram = phys(LOAD_BASE);
	size_t k;

	linux_image_build(img, 512, 0x3000);
	ASSERT_EQ(loader_inspect(img, 512, 64, &info, &why), 0);
	EXPECT_EQ(info.kind, IMAGE_LINUX);
	EXPECT_EQ(info.span, 0x3000);
	EXPECT_EQ(info.entry, 0);
	memset(ram, 0xaa, 0x3001);
	EXPECT_EQ(loader_load(img, 512, 64, LOAD_BASE), LOAD_BASE);
	EXPECT(!memcmp(ram, img, 512));
	for (k = 512; k < 0x3000; k++)
		if (ram[k])
			break;
	EXPECT_EQ(k, 0x3000);
	EXPECT_EQ(ram[0x3000], 0xaa);
}

static void linux_file_size_wins(void)
{
	struct image_info info;
	const char *why = NULL;
	u8 *ram = phys(LOAD_BASE);

	linux_image_build(img, 4096, 100);
	ASSERT_EQ(loader_inspect(img, 4096, 32, &info, &why), 0);
	EXPECT_EQ(info.kind, IMAGE_LINUX);
	EXPECT_EQ(info.span, 4096);
	EXPECT_EQ(info.entry, 0);
	memset(ram, 0xaa, 4097);
	EXPECT_EQ(loader_load(img, 4096, 32, LOAD_BASE), LOAD_BASE);
	EXPECT(!memcmp(ram, img, 4096));
	EXPECT_EQ(ram[4096], 0xaa);
}

static void linux_bad_magic(void)
{
	linux_image_build(img, 128, 0x1000);
	img[59] = 0x06;
	expect_bad(img, 128, 64, "neither an ELF file nor a RISC-V Linux Image");
	linux_image_build(img, 128, 0x1000);
	expect_bad(img, 63, 64, "neither an ELF file nor a RISC-V Linux Image");
}

static void kind_names(void)
{
	EXPECT_STREQ(loader_kind_name(IMAGE_ELF), "ELF");
	EXPECT_STREQ(loader_kind_name(IMAGE_LINUX), "Linux");
}

static const struct unit_case loader_cases[] = {
	UNIT_CASE(elf64_exec),
	UNIT_CASE(elf64_dyn),
	UNIT_CASE(elf32_exec),
	UNIT_CASE(elf32_dyn),
	UNIT_CASE(elf64_high_vaddr),
	UNIT_CASE(entry_in_second_segment),
	UNIT_CASE(empty_load_ignored),
	UNIT_CASE(just_magic),
	UNIT_CASE(empty_image),
	UNIT_CASE(truncated_header),
	UNIT_CASE(truncated_phdrs),
	UNIT_CASE(phoff_outside),
	UNIT_CASE(phnum_outside),
	UNIT_CASE(phentsize_bad),
	UNIT_CASE(segment_beyond_file),
	UNIT_CASE(filesz_over_memsz),
	UNIT_CASE(vaddr_wraps),
	UNIT_CASE(entry_outside),
	UNIT_CASE(no_pt_load),
	UNIT_CASE(wrong_machine),
	UNIT_CASE(wrong_type),
	UNIT_CASE(big_endian),
	UNIT_CASE(bad_class),
	UNIT_CASE(wrong_xlen),
	UNIT_CASE(linux_image_size_wins),
	UNIT_CASE(linux_file_size_wins),
	UNIT_CASE(linux_bad_magic),
	UNIT_CASE(kind_names),
};

UNIT_SUITE(loader, loader_cases);
