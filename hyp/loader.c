// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest image loader. Images sit inside the manifest blob, which only
 * guarantees 4-byte alignment, so header fields are read byte by byte.
 *
 * ELF: PT_LOAD segments are placed relative to the lowest one at the
 * start of the container's RAM; guests are built position-independent.
 * Linux Image: placed at the start of RAM (the kernel ignores RAM below
 * itself, so honouring text_offset would only waste it).
 */
#include <hyp/error.h>
#include <hyp/hal.h>
#include <hyp/loader.h>
#include <hyp/string.h>

#define EM_RISCV	243
#define PT_LOAD		1
#define ET_EXEC		2
#define ET_DYN		3

static u64 rd(const u8 *p, unsigned int bytes)
{
	u64 v = 0;

	while (bytes--)
		v = (v << 8) | p[bytes];
	return v;
}

struct elf_view {
	const u8 *img;
	size_t size;
	bool is64;
	u64 entry;
	u64 phoff;
	unsigned int phentsize;
	unsigned int phnum;
};

struct phdr {
	u64 type, offset, vaddr, filesz, memsz;
};

static void read_phdr(const struct elf_view *e, unsigned int i, struct phdr *ph)
{
	const u8 *p = e->img + e->phoff + (u64)i * e->phentsize;

	ph->type = rd(p, 4);
	if (e->is64) {
		ph->offset = rd(p + 8, 8);
		ph->vaddr = rd(p + 16, 8);
		ph->filesz = rd(p + 32, 8);
		ph->memsz = rd(p + 40, 8);
	} else {
		ph->offset = rd(p + 4, 4);
		ph->vaddr = rd(p + 8, 4);
		ph->filesz = rd(p + 16, 4);
		ph->memsz = rd(p + 20, 4);
	}
}

static int elf_open(const u8 *img, size_t size, unsigned int xlen,
		    struct elf_view *e, const char **why)
{
	unsigned int type;

	e->img = img;
	e->size = size;
	if (size < 52 || (img[4] != 1 && img[4] != 2) || img[5] != 1) {
		*why = "not a little-endian ELF file";
		return HYP_EINVAL;
	}
	e->is64 = img[4] == 2;
	if ((e->is64 ? 64U : 32U) != xlen) {
		*why = xlen == 64 ? "32-bit ELF on a 64-bit machine" :
				    "64-bit ELF on a 32-bit machine";
		return HYP_EINVAL;
	}
	type = (unsigned int)rd(img + 16, 2);
	if (rd(img + 18, 2) != EM_RISCV || (type != ET_EXEC && type != ET_DYN)) {
		*why = "not a RISC-V executable ELF";
		return HYP_EINVAL;
	}
	if (e->is64 && size < 64) {
		*why = "truncated ELF header";
		return HYP_EINVAL;
	}
	e->entry = e->is64 ? rd(img + 24, 8) : rd(img + 24, 4);
	e->phoff = e->is64 ? rd(img + 32, 8) : rd(img + 28, 4);
	e->phentsize = (unsigned int)rd(img + (e->is64 ? 54 : 42), 2);
	e->phnum = (unsigned int)rd(img + (e->is64 ? 56 : 44), 2);
	if (e->phentsize < (e->is64 ? 56U : 32U) || !e->phnum ||
	    e->phoff > size || (u64)e->phnum * e->phentsize > size - e->phoff) {
		*why = "program headers outside the file";
		return HYP_EINVAL;
	}
	return 0;
}

/* Lowest and highest address of the loadable segments, all checked. */
static int elf_bounds(const struct elf_view *e, u64 *lo, u64 *hi, const char **why)
{
	struct phdr ph;
	unsigned int i;
	bool any = false;

	for (i = 0; i < e->phnum; i++) {
		read_phdr(e, i, &ph);
		if (ph.type != PT_LOAD || !ph.memsz)
			continue;
		if (ph.filesz > ph.memsz || ph.offset > e->size ||
		    ph.filesz > e->size - ph.offset) {
			*why = "a segment lies outside the file";
			return HYP_EINVAL;
		}
		if (ph.vaddr + ph.memsz < ph.vaddr) {
			*why = "a segment wraps around the address space";
			return HYP_EINVAL;
		}
		if (!any || ph.vaddr < *lo)
			*lo = ph.vaddr;
		if (!any || ph.vaddr + ph.memsz > *hi)
			*hi = ph.vaddr + ph.memsz;
		any = true;
	}
	if (!any) {
		*why = "no loadable segment";
		return HYP_EINVAL;
	}
	if (e->entry < *lo || e->entry >= *hi) {
		*why = "entry point outside the loadable segments";
		return HYP_EINVAL;
	}
	return 0;
}

static bool is_linux_image(const u8 *img, size_t size)
{
	return size >= 64 && img[56] == 'R' && img[57] == 'S' &&
	       img[58] == 'C' && img[59] == 0x05;
}

int loader_inspect(const void *image, size_t size, unsigned int xlen,
		   struct image_info *info, const char **why)
{
	const u8 *img = image;
	struct elf_view e;
	u64 lo = 0, hi = 0, span;
	int rc;

	if (size >= 4 && img[0] == 0x7f && img[1] == 'E' && img[2] == 'L' &&
	    img[3] == 'F') {
		rc = elf_open(img, size, xlen, &e, why);
		if (!rc)
			rc = elf_bounds(&e, &lo, &hi, why);
		if (rc)
			return rc;
		info->kind = IMAGE_ELF;
		info->span = hi - lo;
		info->entry = e.entry - lo;
		return 0;
	}
	if (is_linux_image(img, size)) {
		span = rd(img + 16, 8);
		info->kind = IMAGE_LINUX;
		info->span = span > size ? span : size;
		info->entry = 0;
		return 0;
	}
	*why = "neither an ELF file nor a RISC-V Linux Image";
	return HYP_EINVAL;
}

u64 loader_load(const void *image, size_t size, unsigned int xlen, u64 base)
{
	struct image_info info;
	struct elf_view e;
	struct phdr ph;
	const char *why;
	u64 lo = 0, hi = 0;
	unsigned int i;

	if (loader_inspect(image, size, xlen, &info, &why))
		return 0;
	if (info.kind == IMAGE_LINUX) {
		hyp_copy(hal_phys(base), image, size);
		if (info.span > size)
			hyp_zero(hal_phys(base + size), info.span - size);
		return base;
	}
	elf_open(image, size, xlen, &e, &why);
	elf_bounds(&e, &lo, &hi, &why);
	for (i = 0; i < e.phnum; i++) {
		read_phdr(&e, i, &ph);
		if (ph.type != PT_LOAD || !ph.memsz)
			continue;
		hyp_copy(hal_phys(base + ph.vaddr - lo), e.img + ph.offset, ph.filesz);
		hyp_zero(hal_phys(base + ph.vaddr - lo + ph.filesz), ph.memsz - ph.filesz);
	}
	return base + info.entry;
}

const char *loader_kind_name(enum image_kind kind)
{
	return kind == IMAGE_LINUX ? "Linux" : "ELF";
}
