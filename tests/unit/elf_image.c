// SPDX-License-Identifier: BSD-2-Clause
/*
 * Synthesized guest images (see elf_image.h).
 */
#include <string.h>
#include "elf_image.h"

void put_le(u8 *p, u64 v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		p[i] = (u8)(v >> (8 * i));
}

static void put_be(u8 *p, u64 v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		p[bytes - 1 - i] = (u8)(v >> (8 * i));
}

unsigned int elf_word(unsigned int bits)
{
	return bits == 64 ? 8 : 4;
}

size_t elf_ehsize(unsigned int bits)
{
	return bits == 64 ? 64 : 52;
}

size_t elf_phentsize(unsigned int bits)
{
	return bits == 64 ? 56 : 32;
}

size_t elf_off_phoff(unsigned int bits)
{
	return bits == 64 ? 32 : 28;
}

size_t elf_off_phentsize(unsigned int bits)
{
	return bits == 64 ? 54 : 42;
}

size_t elf_off_phnum(unsigned int bits)
{
	return bits == 64 ? 56 : 44;
}

size_t elf_off_ph(unsigned int bits, unsigned int i, const char *what)
{
	size_t base = elf_ehsize(bits) + i * elf_phentsize(bits);
	static const struct {
		const char *name;
		size_t off32, off64;
	} f[] = {
		{ "offset", 4, 8 }, { "vaddr", 8, 16 },
		{ "filesz", 16, 32 }, { "memsz", 20, 40 },
	};
	unsigned int k;

	for (k = 0; k < HYP_ARRAY_SIZE(f); k++)
		if (!strcmp(f[k].name, what))
			return base + (bits == 64 ? f[k].off64 : f[k].off32);
	return 0;
}

u8 elf_byte(unsigned int seg, u64 k)
{
	return (u8)(0x11 * (seg + 1) + k * 7);
}

void elf_spec_simple(struct elf_spec *s, unsigned int bits)
{
	memset(s, 0, sizeof(*s));
	s->bits = bits;
	s->type = ELF_ET_EXEC;
	s->machine = ELF_EM_RISCV;
	s->data = 1;
	s->entry = 0x1000;
	s->nseg = 1;
	s->seg[0].type = ELF_PT_LOAD;
	s->seg[0].vaddr = 0x1000;
	s->seg[0].filesz = 16;
	s->seg[0].memsz = 32;
}

static void put(const struct elf_spec *s, u8 *p, u64 v, unsigned int bytes)
{
	if (s->data == 2)
		put_be(p, v, bytes);
	else
		put_le(p, v, bytes);
}

static void write_phdr(const struct elf_spec *s, u8 *p, const struct elf_seg *g)
{
	unsigned int w = elf_word(s->bits);

	put(s, p, g->type, 4);
	if (s->bits == 64) {
		put(s, p + 4, 7, 4);		/* p_flags: rwx */
		put(s, p + 8, g->offset, 8);
		put(s, p + 16, g->vaddr, 8);
		put(s, p + 24, g->vaddr, 8);	/* p_paddr */
		put(s, p + 32, g->filesz, 8);
		put(s, p + 40, g->memsz, 8);
		put(s, p + 48, 8, 8);		/* p_align */
		return;
	}
	put(s, p + 4, g->offset, w);
	put(s, p + 8, g->vaddr, w);
	put(s, p + 12, g->vaddr, w);
	put(s, p + 16, g->filesz, w);
	put(s, p + 20, g->memsz, w);
	put(s, p + 24, 7, 4);
	put(s, p + 28, 8, w);
}

static void write_ehdr(const struct elf_spec *s, u8 *p)
{
	bool is64 = s->bits == 64;
	unsigned int w = elf_word(s->bits);

	memcpy(p, "\x7f" "ELF", 4);
	p[4] = is64 ? 2 : 1;
	p[5] = (u8)s->data;
	p[6] = 1;				/* EV_CURRENT */
	put(s, p + 16, s->type, 2);
	put(s, p + 18, s->machine, 2);
	put(s, p + 20, 1, 4);
	put(s, p + 24, s->entry, w);
	put(s, p + elf_off_phoff(s->bits), elf_ehsize(s->bits), w);
	put(s, p + (is64 ? 52 : 40), elf_ehsize(s->bits), 2);
	put(s, p + elf_off_phentsize(s->bits), elf_phentsize(s->bits), 2);
	put(s, p + elf_off_phnum(s->bits), s->nseg, 2);
	put(s, p + (is64 ? 58 : 46), is64 ? 64 : 40, 2);	/* e_shentsize */
}

size_t elf_build(u8 *buf, size_t max, struct elf_spec *s)
{
	size_t off = elf_ehsize(s->bits) + s->nseg * elf_phentsize(s->bits);
	unsigned int i;
	u64 k;

	for (i = 0; i < s->nseg; i++) {
		off = (off + 7) & ~(size_t)7;
		s->seg[i].offset = off;
		off += s->seg[i].filesz;
	}
	if (off > max)
		return 0;
	memset(buf, 0, off);
	write_ehdr(s, buf);
	for (i = 0; i < s->nseg; i++) {
		write_phdr(s, buf + elf_ehsize(s->bits) + i * elf_phentsize(s->bits),
			   &s->seg[i]);
		for (k = 0; k < s->seg[i].filesz; k++)
			buf[s->seg[i].offset + k] = elf_byte(i, k);
	}
	return off;
}

size_t linux_image_build(u8 *buf, size_t size, u64 image_size)
{
	size_t i;

	if (size < 64)
		return 0;
	for (i = 0; i < size; i++)
		buf[i] = (u8)(i * 13 + 5);
	put_le(buf + 8, 0x200000, 8);		/* text_offset */
	put_le(buf + 16, image_size, 8);
	put_le(buf + 24, 0, 8);			/* flags */
	put_le(buf + 32, 2, 4);			/* version 0.2 */
	memcpy(buf + 48, "RISCV\0\0\0", 8);
	memcpy(buf + 56, "RSC\x05", 4);
	return size;
}
