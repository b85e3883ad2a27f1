/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The few HAL calls on every trap and every world switch, inline in the
 * firmware build (hyp/include/hyp/hal.h includes this unless HYP_HOST).
 * Each was an out-of-line call through OpenSBI: the hart index from the
 * scratch area, the time through a function pointer, Sstc through
 * sbi_hart_has_extension. What they read is fixed at boot (dx_facts).
 */
#ifndef DX_HAL_FAST_H
#define DX_HAL_FAST_H

#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_scratch.h>
#include <sbi/sbi_types.h>

/* Per-hart facts read from the board's device tree at boot. */
struct dx_hart_info {
	u32 hartid;
	bool s_mode;		/* has an MMU, so it can run guests */
};

/* Facts of the machine, from the boot hart, before any guest runs. */
struct dx_facts {
	bool sstc;		/* harts have Sstc: guests own stimecmp */
	bool time_csr;		/* M-mode reads the time CSR (Zicntr) */
	bool senvcfg;		/* privileged spec 1.12+: senvcfg exists */
	bool fp;		/* D: the F registers are guest state (dx_fp.c) */
	/* The first hart's mtimecmp (dx_mtimecmp_init), 0: use the device. */
	unsigned long mtimecmp;
	u32 mtimecmp_first;	/* the hart id it belongs to */
};

extern struct dx_hart_info dx_harts[];
extern unsigned int dx_nr_harts;
extern struct dx_facts dx_facts;

u64 dx_time_slow(void);

static inline unsigned int hal_hart_index(void)
{
	return current_hartindex();
}

static inline unsigned int hal_hart_count(void)
{
	return dx_nr_harts;
}

static inline bool hal_hart_runs_guests(unsigned int hart)
{
	return hart < dx_nr_harts && dx_harts[hart].s_mode;
}

static inline bool hal_has_sstc(void)
{
	return dx_facts.sstc;
}

static inline u64 hal_time_now(void)
{
#if __riscv_xlen == 32
	u32 lo, hi, again;

	if (!dx_facts.time_csr)
		return dx_time_slow();
	do {
		hi = csr_read(CSR_TIMEH);
		lo = csr_read(CSR_TIME);
		again = csr_read(CSR_TIMEH);
	} while (hi != again);
	return (u64)hi << 32 | lo;
#else
	if (!dx_facts.time_csr)
		return dx_time_slow();
	return csr_read(CSR_TIME);
#endif
}

#endif
