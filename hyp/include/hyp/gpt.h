/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guest page tables: what a guest virtual address means to the guest,
 * found by walking its own page table in M-mode. For SBI arguments that
 * the spec makes virtual addresses (the v0.1 hart masks), so that the
 * answer depends on the container's RAM and not on what a PMP
 * implementation lets an MPRV access through.
 *
 * Every page-table entry read must lie in the container's RAM; the walk
 * follows the privileged spec's algorithm (section 12.3.2 in 1.13) for
 * a supervisor data load and never writes: an entry whose A bit is
 * clear counts as a fault, as on a hart that does not update A/D.
 */
#ifndef HYP_GPT_H
#define HYP_GPT_H

#include <hyp/types.h>

struct container;

/* satp.MODE values */
#define GPT_BARE	0
#define GPT_SV32	1
#define GPT_SV39	8
#define GPT_SV48	9
#define GPT_SV57	10

/* sstatus bits that change what a supervisor load may read */
#define GPT_SUM		(1UL << 18)
#define GPT_MXR		(1UL << 19)

/**
 * Translate @va for a supervisor load under paging @mode, root table at
 * physical page @root_ppn, with @sstatus's SUM and MXR. 0 and *pa, or
 * -1 where the guest itself would take a page fault or an access fault
 * on its page table.
 */
int gpt_walk(const struct container *c, unsigned int mode, u64 root_ppn,
	     ulong sstatus, u64 va, u64 *pa);

/** The same for a running vCPU's @satp (decoded for this XLEN). */
int gpt_load_addr(const struct container *c, ulong satp, ulong sstatus,
		  ulong va, u64 *pa);

#endif
