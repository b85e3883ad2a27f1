// SPDX-License-Identifier: BSD-2-Clause
/*
 * A walk of a guest's page table for a supervisor data load (gpt.h).
 */
#include <hyp/container.h>
#include <hyp/gpt.h>
#include <hyp/hal.h>

#define GPT_PAGE_SHIFT	12

#define PTE_V		(1ULL << 0)
#define PTE_R		(1ULL << 1)
#define PTE_W		(1ULL << 2)
#define PTE_X		(1ULL << 3)
#define PTE_U		(1ULL << 4)
#define PTE_A		(1ULL << 6)
#define PTE_N		(1ULL << 63)	/* Svnapot: a 64 KiB range */
#define PTE_PPN_SHIFT	10

struct gpt_mode {
	unsigned int levels;
	unsigned int pte_size;		/* bytes */
	unsigned int vpn_bits;		/* per level */
	unsigned int ppn_bits;		/* in a PTE */
};

static bool mode_info(unsigned int mode, struct gpt_mode *m)
{
	switch (mode) {
	case GPT_SV32:
		*m = (struct gpt_mode){ 2, 4, 10, 22 };
		return true;
	case GPT_SV39:
	case GPT_SV48:
	case GPT_SV57:
		*m = (struct gpt_mode){ 3 + mode - GPT_SV39, 8, 9, 44 };
		return true;
	default:
		return false;
	}
}

static int read_pte(const struct container *c, u64 pa, unsigned int size, u64 *pte)
{
	if (pa & (size - 1) || !container_owns(c, pa, size))
		return -1;
	if (size == 4)
		*pte = *(const volatile u32 *)hal_phys(pa);
	else
		*pte = *(const volatile u64 *)hal_phys(pa);
	return 0;
}

/* A leaf's permission for a supervisor load, per sstatus. */
static bool leaf_allows(u64 pte, ulong sstatus)
{
	if ((pte & PTE_W) && !(pte & PTE_R))
		return false;		/* reserved encoding */
	if (!(pte & PTE_R) && !((pte & PTE_X) && (sstatus & GPT_MXR)))
		return false;
	if ((pte & PTE_U) && !(sstatus & GPT_SUM))
		return false;
	return (pte & PTE_A) != 0;
}

/* The upper bits of a virtual address must copy its top valid bit. */
static bool va_canonical(const struct gpt_mode *m, u64 va)
{
	unsigned int bits = GPT_PAGE_SHIFT + m->levels * m->vpn_bits;
	u64 top;

	if (m->pte_size == 4)
		return va >> bits == 0;
	top = va >> (bits - 1);
	return top == 0 || top == (~0ULL >> (bits - 1));
}

int gpt_walk(const struct container *c, unsigned int mode, u64 root_ppn,
	     ulong sstatus, u64 va, u64 *pa)
{
	struct gpt_mode m;
	u64 table = root_ppn << GPT_PAGE_SHIFT, pte = 0, ppn;
	int level;

	if (mode == GPT_BARE) {
		*pa = va;
		return 0;
	}
	if (!mode_info(mode, &m) || !va_canonical(&m, va))
		return -1;
	for (level = (int)m.levels - 1; level >= 0; level--) {
		unsigned int shift = GPT_PAGE_SHIFT + (unsigned int)level * m.vpn_bits;
		u64 vpn = (va >> shift) & ((1ULL << m.vpn_bits) - 1);

		if (read_pte(c, table + vpn * m.pte_size, m.pte_size, &pte))
			return -1;
		if (!(pte & PTE_V))
			return -1;
		ppn = (pte >> PTE_PPN_SHIFT) & ((1ULL << m.ppn_bits) - 1);
		if (pte & (PTE_R | PTE_W | PTE_X))
			break;
		table = ppn << GPT_PAGE_SHIFT;
	}
	if (level < 0 || !leaf_allows(pte, sstatus))
		return -1;
	/* A superpage's PPN has no bits below its level. */
	if (ppn & ((1ULL << (level * m.vpn_bits)) - 1))
		return -1;
	if (m.pte_size == 8 && (pte & PTE_N)) {
		if (level || (ppn & 0xf) != 0x8)
			return -1;
		ppn &= ~0xfULL;
		*pa = (ppn << GPT_PAGE_SHIFT) | (va & 0xffff);
		return 0;
	}
	*pa = (ppn << GPT_PAGE_SHIFT) |
	      (va & ((1ULL << (GPT_PAGE_SHIFT + level * m.vpn_bits)) - 1));
	return 0;
}

int gpt_load_addr(const struct container *c, ulong satp, ulong sstatus,
		  ulong va, u64 *pa)
{
#if __SIZEOF_LONG__ == 4
	unsigned int mode = satp >> 31;
	u64 ppn = satp & 0x3fffff;
#else
	unsigned int mode = satp >> 60;
	u64 ppn = satp & ((1ULL << 44) - 1);
#endif
	return gpt_walk(c, mode, ppn, sstatus, va, pa);
}
