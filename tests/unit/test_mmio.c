// SPDX-License-Identifier: BSD-2-Clause
/*
 * Decoding the loads and stores that fault on an emulated device
 * (hyp/mmio.c): every integer width, the compressed forms, and what is
 * not an integer access or does not exist on the hart's XLEN.
 */
#include <hyp/error.h>
#include <hyp/mmio.h>
#include "unit.h"

struct decode_case {
	ulong insn;
	unsigned int xlen;
	int rc;
	bool store, sign;
	unsigned int width, reg, len;
};

static const struct decode_case table[] = {
	{ 0x0007a503, 64, 0, false, true, 4, 10, 4 },	/* lw a0, 0(a5) */
	{ 0x0007e503, 64, 0, false, false, 4, 10, 4 },	/* lwu a0, 0(a5) */
	{ 0x0007e503, 32, HYP_EINVAL, false, false, 0, 0, 0 },			/* lwu: RV64 only */
	{ 0x0007b503, 64, 0, false, false, 8, 10, 4 },	/* ld a0, 0(a5) */
	{ 0x0007b503, 32, HYP_EINVAL, false, false, 0, 0, 0 },
	{ 0x00078503, 64, 0, false, true, 1, 10, 4 },	/* lb a0, 0(a5) */
	{ 0x0007c503, 32, 0, false, false, 1, 10, 4 },	/* lbu */
	{ 0x00079503, 32, 0, false, true, 2, 10, 4 },	/* lh */
	{ 0x00a7a223, 32, 0, true, false, 4, 10, 4 },	/* sw a0, 4(a5) */
	{ 0x00a7b223, 64, 0, true, false, 8, 10, 4 },	/* sd a0, 4(a5) */
	{ 0x00a7b223, 32, HYP_EINVAL, false, false, 0, 0, 0 },
	{ 0x00a79223, 64, 0, true, false, 2, 10, 4 },	/* sh */
	{ 0x00a78223, 64, 0, true, false, 1, 10, 4 },	/* sb */
	{ 0x4388, 64, 0, false, true, 4, 10, 2 },	/* c.lw a0, 0(a5) */
	{ 0xc388, 32, 0, true, false, 4, 10, 2 },	/* c.sw a0, 0(a5) */
	{ 0x6388, 64, 0, false, false, 8, 10, 2 },	/* c.ld a0, 0(a5) */
	{ 0x6388, 32, HYP_EINVAL, false, false, 0, 0, 0 },			/* c.flw on RV32 */
	{ 0x4532, 64, 0, false, true, 4, 10, 2 },	/* c.lwsp a0, 12(sp) */
	{ 0xc62a, 64, 0, true, false, 4, 10, 2 },	/* c.swsp a0, 12(sp) */
	{ 0x4032, 64, HYP_EINVAL, false, false, 0, 0, 0 },			/* c.lwsp x0: reserved */
	{ 0x0007a507, 64, HYP_EINVAL, false, false, 0, 0, 0 },			/* flw */
	{ 0x0807a52f, 64, HYP_EINVAL, false, false, 0, 0, 0 },			/* amoswap.w */
	{ 0x0001, 64, HYP_EINVAL, false, false, 0, 0, 0 },			/* c.nop */
};

static void decode_table(void)
{
	unsigned int i;

	for (i = 0; i < HYP_ARRAY_SIZE(table); i++) {
		const struct decode_case *t = &table[i];
		struct mmio_access a;
		int rc = mmio_decode(t->insn, t->xlen, &a);

		if (rc != t->rc) {
			unit_fail(__FILE__, __LINE__, "case %u (0x%lx): rc %d", i, t->insn, rc);
			continue;
		}
		if (rc)
			continue;
		if (a.store != t->store || a.sign != t->sign || a.width != t->width ||
		    a.reg != t->reg || a.len != t->len)
			unit_fail(__FILE__, __LINE__,
				  "case %u (0x%lx): store %d sign %d width %u reg %u len %u",
				  i, t->insn, a.store, a.sign, a.width, a.reg, a.len);
	}
}

static const struct unit_case cases[] = {
	UNIT_CASE(decode_table),
};
UNIT_SUITE(mmio, cases);
