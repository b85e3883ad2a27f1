// SPDX-License-Identifier: BSD-2-Clause
/*
 * The harts' Sdtrig debug triggers, for hyp/vsbi_dbtr.c: how many there
 * are and of which types (probed on the boot hart, the harts diosix runs
 * on being alike), and programming one on this hart.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_csr_detect.h>
#include <sbi/sbi_trap.h>
#include <hyp/hal.h>
#include "dx.h"

/* tinfo.info: one bit per supported type; 1 alone means "no trigger". */
#define TINFO_INFO		0xffffUL
#define TINFO_NONE		1UL
#define TDATA1_TYPE(t)		((t) >> (__riscv_xlen - 4))

#define TDATA1_OF_TYPE(t)	((ulong)(t) << (__riscv_xlen - 4))
#define TYPE_MCONTROL		2
#define TYPE_MCONTROL6		6

static unsigned int dbtr_count;
static ulong dbtr_types[HYP_DBTR_MAX];
/*
 * What switches trigger i off: an address match that fires in no mode
 * and on no access. A tdata1 of 0 (type "none") is off too, but a hart
 * may keep the old trigger when given it (QEMU 7.2 does).
 */
static ulong dbtr_off[HYP_DBTR_MAX];

static ulong off_value(ulong types)
{
	if (types & (1UL << TYPE_MCONTROL))
		return TDATA1_OF_TYPE(TYPE_MCONTROL);
	if (types & (1UL << TYPE_MCONTROL6))
		return TDATA1_OF_TYPE(TYPE_MCONTROL6);
	return 0;
}

/*
 * The types trigger @i can be, or 0 if there is no trigger @i. A hart
 * without tinfo (it traps) says a trigger's one type in tdata1.
 */
static ulong probe_one(unsigned int i)
{
	struct sbi_trap_info trap = { 0 };
	ulong val;

	csr_write_allowed(CSR_TSELECT, &trap, i);
	if (trap.cause)
		return 0;
	val = csr_read_allowed(CSR_TSELECT, &trap);
	if (trap.cause || val != i)
		return 0;
	val = csr_read_allowed(CSR_TINFO, &trap);
	if (!trap.cause)
		return (val & TINFO_INFO) == TINFO_NONE ? 0 : val & TINFO_INFO;
	trap.cause = 0;
	val = csr_read_allowed(CSR_TDATA1, &trap);
	if (trap.cause || !TDATA1_TYPE(val))
		return 0;
	return 1UL << TDATA1_TYPE(val);
}

void dx_dbtr_init(void)
{
	unsigned int i;

	for (i = 0; i < HYP_DBTR_MAX; i++) {
		dbtr_types[i] = probe_one(i);
		if (!dbtr_types[i])
			break;
		dbtr_off[i] = off_value(dbtr_types[i]);
		hal_dbtr_write(i, 0, 0, 0);
	}
	dbtr_count = i;
}

unsigned int hal_dbtr_count(void)
{
	return dbtr_count;
}

ulong hal_dbtr_types(unsigned int idx)
{
	return idx < dbtr_count ? dbtr_types[idx] : 0;
}

/* Off first, so no half-written trigger ever matches. */
void hal_dbtr_write(unsigned int idx, ulong tdata1, ulong tdata2, ulong tdata3)
{
	csr_write(CSR_TSELECT, idx);
	csr_write(CSR_TDATA1, dbtr_off[idx]);
	if (!tdata1)
		return;
	csr_write(CSR_TDATA2, tdata2);
	/* vsbi_dbtr.c offers no textra: a hart may lack tdata3. */
	if (tdata3)
		csr_write(CSR_TDATA3, tdata3);
	csr_write(CSR_TDATA1, tdata1);
}
