/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bit helpers. The firmware links no libgcc, so no __builtin_clzll or
 * __builtin_popcountll (they become library calls on rv64).
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

/** The largest power of two not above a non-zero @x. */
static inline u64 hyp_pow2_floor(u64 x)
{
	return 1ULL << hyp_fls64(x);
}

#endif
