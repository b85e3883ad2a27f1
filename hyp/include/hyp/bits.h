/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bit helpers. The firmware links no libgcc, so no __builtin_clzll,
 * __builtin_ctzll or __builtin_popcountll (they become library calls on
 * harts without Zbb).
 */
#ifndef HYP_BITS_H
#define HYP_BITS_H

#include <hyp/types.h>

/** Index of the highest set bit of a non-zero @x. */
static inline unsigned int hyp_fls64(u64 x)
{
	unsigned int n = 0;

	while (x >>= 1)
		n++;
	return n;
}

static inline unsigned int hyp_popcount64(u64 x)
{
	unsigned int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/** Index of the lowest set bit of a non-zero @x, in constant time. */
static inline unsigned int hyp_ctz64(u64 x)
{
	/* The lowest bit times a de Bruijn sequence: the top six bits of
	 * the product are unique per bit position. */
	static const u8 pos[64] = {
		0, 1, 2, 53, 3, 7, 54, 27, 4, 38, 41, 8, 34, 55, 48, 28,
		62, 5, 39, 46, 44, 42, 22, 9, 24, 35, 59, 56, 49, 18, 29, 11,
		63, 52, 6, 26, 37, 40, 33, 47, 61, 45, 43, 21, 23, 58, 17, 10,
		51, 25, 36, 32, 60, 20, 57, 16, 50, 31, 19, 15, 30, 14, 13, 12,
	};

	return pos[((x & -x) * 0x022fdd63cc95386dULL) >> 58];
}

/** The largest power of two not above a non-zero @x. */
static inline u64 hyp_pow2_floor(u64 x)
{
	return 1ULL << hyp_fls64(x);
}

#endif
