/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Synthesized guest images for the tests: minimal RISC-V ELF32/ELF64
 * files (header, program headers, segment bytes) and Linux Image headers.
 */
#ifndef UNIT_ELF_IMAGE_H
#define UNIT_ELF_IMAGE_H

#include <hyp/types.h>

#define ELF_PT_LOAD	1
#define ELF_PT_NOTE	4
#define ELF_ET_REL	1
#define ELF_ET_EXEC	2
#define ELF_ET_DYN	3
#define ELF_EM_RISCV	243
#define ELF_EM_X86_64	62

#define ELF_MAX_SEGS	4

struct elf_seg {
	u32 type;
	u64 vaddr;
	u64 filesz;
	u64 memsz;
	u64 offset;	/* filled in by elf_build */
};

struct elf_spec {
	unsigned int bits;	/* 32 or 64 */
	unsigned int type;	/* ELF_ET_* */
	unsigned int machine;
	unsigned int data;	/* 1 little-endian, 2 big-endian */
	u64 entry;
	unsigned int nseg;
	struct elf_seg seg[ELF_MAX_SEGS];
};

/* One PT_LOAD of 16 file bytes and 32 memory bytes at 0x1000, entry 0x1000. */
void elf_spec_simple(struct elf_spec *s, unsigned int bits);

/*
 * Write the ELF described by @s into @buf (@max bytes) and return its
 * size. Segment i's file bytes are elf_byte(i, k) for k = 0, 1, ...
 */
size_t elf_build(u8 *buf, size_t max, struct elf_spec *s);
u8 elf_byte(unsigned int seg, u64 k);

/* Offsets of header fields, for tests that corrupt them. */
size_t elf_off_phoff(unsigned int bits);
size_t elf_off_phentsize(unsigned int bits);
size_t elf_off_phnum(unsigned int bits);
size_t elf_ehsize(unsigned int bits);
size_t elf_phentsize(unsigned int bits);
/* Offset of field @what ("offset", "vaddr", "filesz", "memsz") of phdr i. */
size_t elf_off_ph(unsigned int bits, unsigned int i, const char *what);
/* Width in bytes of address-sized fields. */
unsigned int elf_word(unsigned int bits);

void put_le(u8 *p, u64 v, unsigned int bytes);

/* A RISC-V Linux Image: 64-byte header, image_size, then @size bytes in all. */
size_t linux_image_build(u8 *buf, size_t size, u64 image_size);

#endif
