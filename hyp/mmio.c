// SPDX-License-Identifier: BSD-2-Clause
/*
 * Integer loads and stores, as the unprivileged spec encodes them (RV32I
 * and RV64I LOAD/STORE, and the C extension's C.LW, C.SW, C.LWSP,
 * C.SWSP, with C.LD, C.SD, C.LDSP, C.SDSP on RV64). Anything else that
 * faults on a device (FP loads, AMOs, vector accesses) is not emulated.
 */
#include <hyp/error.h>
#include <hyp/mmio.h>

#define OP_LOAD		0x03
#define OP_STORE	0x23

static int decode_32(ulong insn, unsigned int xlen, struct mmio_access *a)
{
	unsigned int funct3 = (insn >> 12) & 7;

	a->len = 4;
	switch (insn & 0x7f) {
	case OP_LOAD:
		/* LB LH LW LD LBU LHU LWU; funct3 3 and 6 only on RV64 */
		if (funct3 == 7 || (xlen == 32 && (funct3 == 3 || funct3 == 6)))
			return HYP_EINVAL;
		a->store = false;
		a->width = 1U << (funct3 & 3);
		a->sign = !(funct3 & 4) && a->width < 8;
		a->reg = (insn >> 7) & 31;
		return 0;
	case OP_STORE:
		if (funct3 > 3 || (xlen == 32 && funct3 == 3))
			return HYP_EINVAL;
		a->store = true;
		a->width = 1U << funct3;
		a->sign = false;
		a->reg = (insn >> 20) & 31;
		return 0;
	default:
		return HYP_EINVAL;
	}
}

/*
 * Compressed: quadrant 0 (rd'/rs2' in bits 4:2, registers x8-x15) and
 * quadrant 2 (the sp-relative forms, a full register field).
 */
static int decode_16(u32 insn, unsigned int xlen, struct mmio_access *a)
{
	unsigned int funct3 = (insn >> 13) & 7, quadrant = insn & 3;

	a->len = 2;
	a->sign = true;
	if (quadrant == 0) {
		a->reg = 8 + ((insn >> 2) & 7);
	} else if (quadrant == 2) {
		a->reg = funct3 >= 6 ? (insn >> 2) & 31 : (insn >> 7) & 31;
		/* C.LWSP and C.LDSP with rd = x0 are reserved */
		if (funct3 < 6 && !a->reg)
			return HYP_EINVAL;
	} else {
		return HYP_EINVAL;
	}
	switch (funct3) {
	case 2:			/* C.LW, C.LWSP */
	case 6:			/* C.SW, C.SWSP */
		a->width = 4;
		break;
	case 3:			/* C.LD, C.LDSP on RV64 (C.FLW on RV32) */
	case 7:			/* C.SD, C.SDSP on RV64 */
		if (xlen != 64)
			return HYP_EINVAL;
		a->width = 8;
		a->sign = false;
		break;
	default:
		return HYP_EINVAL;
	}
	a->store = funct3 >= 6;
	if (a->store)
		a->sign = false;
	return 0;
}

int mmio_decode(ulong insn, unsigned int xlen, struct mmio_access *a)
{
	if ((insn & 3) != 3)
		return decode_16((u32)insn & 0xffff, xlen, a);
	return decode_32(insn, xlen, a);
}
