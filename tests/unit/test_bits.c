// SPDX-License-Identifier: BSD-2-Clause
/*
 * The library-free bit helpers (hyp/include/hyp/bits.h), against the
 * host compiler's builtins.
 */
#include <hyp/bits.h>
#include "unit.h"

static void ctz_every_position(void)
{
	unsigned int i;

	for (i = 0; i < 64; i++) {
		u64 x = 1ULL << i;

		EXPECT_EQ(hyp_ctz64(x), i);
		EXPECT_EQ(hyp_ctz64(x | ~((x << 1) - 1)), i);	/* higher bits too */
		EXPECT_EQ(hyp_ctz64(x | (x << 1)), (unsigned int)__builtin_ctzll(x));
	}
	EXPECT_EQ(hyp_ctz64(~0ULL), 0);
}

static void fls_and_popcount(void)
{
	EXPECT_EQ(hyp_fls64(1), 0);
	EXPECT_EQ(hyp_fls64(~0ULL), 63);
	EXPECT_EQ(hyp_popcount64(0xf0f0), 8);
	EXPECT_EQ(hyp_pow2_floor(96), 64);
}

static const struct unit_case cases[] = {
	UNIT_CASE(ctz_every_position),
	UNIT_CASE(fls_and_popcount),
};

UNIT_SUITE(bits, cases);
