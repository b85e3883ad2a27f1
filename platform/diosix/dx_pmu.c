// SPDX-License-Identifier: BSD-2-Clause
/*
 * The harts' cycle and instret counters, for hyp/vsbi_pmu.c: which a
 * vCPU may have (only where mcountinhibit can stop them: privileged spec
 * 1.11 or later, as the SBI spec allows), reading and writing them on
 * this hart, and which run and which S-mode may read.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_hart.h>
#include <hyp/hal.h>
#include "dx.h"

#define PMU_HW		((1UL << 0) | (1UL << 2))	/* CY, IR */

static ulong pmu_hw;

void dx_pmu_init(void)
{
	struct sbi_scratch *scratch = sbi_scratch_thishart_ptr();

	if (sbi_hart_priv_version(scratch) >= SBI_HART_PRIV_VER_1_11)
		pmu_hw = PMU_HW;
}

ulong hal_pmu_hw_mask(void)
{
	return pmu_hw;
}

#if __riscv_xlen == 32
/* The high half again after the low one: no carry between the reads. */
#define COUNTER_READ(c)							\
	({								\
		ulong hi, lo;						\
		do {							\
			hi = csr_read(c##H);				\
			lo = csr_read(c);				\
		} while (hi != csr_read(c##H));				\
		((u64)hi << 32) | lo;					\
	})
/* The low half to 0 first: no carry into the new high half. */
#define COUNTER_WRITE(c, v)						\
	do {								\
		csr_write(c, 0);					\
		csr_write(c##H, (ulong)((v) >> 32));			\
		csr_write(c, (ulong)(v));				\
	} while (0)
#else
#define COUNTER_READ(c)		((u64)csr_read(c))
#define COUNTER_WRITE(c, v)	csr_write(c, (v))
#endif

u64 hal_pmu_read(unsigned int idx)
{
	return idx ? COUNTER_READ(CSR_MINSTRET) : COUNTER_READ(CSR_MCYCLE);
}

void hal_pmu_write(unsigned int idx, u64 val)
{
	if (idx)
		COUNTER_WRITE(CSR_MINSTRET, val);
	else
		COUNTER_WRITE(CSR_MCYCLE, val);
}

void hal_pmu_control(ulong run, ulong visible)
{
	csr_set(CSR_MCOUNTINHIBIT, pmu_hw & ~run);
	csr_clear(CSR_MCOUNTINHIBIT, pmu_hw & run);
	csr_set(CSR_MCOUNTEREN, pmu_hw & visible);
	csr_clear(CSR_MCOUNTEREN, pmu_hw & ~visible);
}
