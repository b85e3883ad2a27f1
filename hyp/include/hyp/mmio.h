/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Decoding the load or store that faulted on an emulated device: the
 * access width, signedness, the register, and the instruction's length,
 * for the base ISA's loads and stores and their compressed forms.
 */
#ifndef HYP_MMIO_H
#define HYP_MMIO_H

#include <hyp/types.h>

struct mmio_access {
	bool store;
	bool sign;		/* a load that sign-extends */
	unsigned int width;	/* bytes: 1, 2, 4 or 8 */
	unsigned int reg;	/* rd of a load, rs2 of a store */
	unsigned int len;	/* instruction bytes: 2 or 4 */
};

/**
 * Decode @insn (its low 16 bits alone if compressed) for a hart of @xlen
 * bits. 0, or HYP_EINVAL if it is not an integer load or store (for
 * example a floating-point or atomic access).
 */
int mmio_decode(ulong insn, unsigned int xlen, struct mmio_access *a);

#endif
