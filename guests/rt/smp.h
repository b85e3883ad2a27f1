/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Secondary harts for the SBI conformance guests: the hart list from
 * the device tree, HSM start into C with a stack per hart, and bounded
 * waits. Included by smp_entry.S too: plain #defines outside the
 * __ASSEMBLER__ block.
 *
 * Harts are known by their index in /cpus (device tree order, enabled
 * harts only); smp.id[i] is the hart id. Every hart, the boot hart
 * included, has a struct smp_slot; tp holds the running hart's slot.
 *
 * A hart started with smp_start(i, tag, fn) enters smp_entry with
 * a0 = hart id and a1 = opaque = SMP_OPAQUE_MAGIC | tag << 8 | i, as
 * the SBI passes them. smp_entry records a0, a1, sstatus and satp as
 * found in the slot that a1 names, switches to that slot's stack and
 * calls fn(slot); when fn returns the hart calls hart_stop. The same
 * entry serves as a non-retentive suspend's resume address. An arrival
 * whose a1 does not carry the magic (or names no slot) is recorded in
 * smp_bad_arrival() and parks the hart.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#define SMP_MAX_HARTS		32
#define SMP_STACK_SIZE		8192
#define SMP_SLOT_SHIFT		8		/* each slot is 256 bytes */

#define SMP_OPAQUE_MAGIC	0x5afe0000
#define SMP_OPAQUE_MASK		0xffff0000

/* Words of struct smp_slot written by smp_entry.S */
#define SLOT_A0			0
#define SLOT_A1			1
#define SLOT_SSTATUS		2
#define SLOT_SATP		3

/*
 * Iteration bounds for the waits: far above what any wait takes (a
 * few ms of spinning), so only a hart that never answers exhausts them.
 */
#define SPIN_LIMIT		200000000UL	/* memory polls */
#define HSM_POLL_LIMIT		2000000UL	/* hart_get_status calls */

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stdint.h>

#include "fdt.h"
#include "sbi.h"

struct smp_slot {
	/* At the last arrival through smp_entry (order: see SLOT_*). */
	unsigned long a0, a1, sstatus, satp;
	void (*fn)(struct smp_slot *slot);
	unsigned long hartid;
	unsigned long idx;
	unsigned long opaque;		/* what the last start passed */
	unsigned long arrivals;		/* bumped after a0..satp are written */
	long stop_error;		/* if hart_stop ever returned */
	unsigned long cmd;		/* free for the guest */
	unsigned long v[16];		/* free for the guest */
} __attribute__((aligned(1 << SMP_SLOT_SHIFT)));

struct smp_info {
	int n;				/* enabled harts in /cpus */
	int self;			/* index of the boot hart */
	unsigned long id[SMP_MAX_HARTS];
	unsigned long invalid_id;	/* no /cpus node has this id */
	uint32_t timebase;		/* timebase-frequency, Hz (0: none) */
	bool has_h[SMP_MAX_HARTS];	/* riscv,isa(-extensions) lists H */
};

extern struct smp_info smp;

/*
 * Read /cpus and set up the boot hart's slot and tp. NULL on success,
 * else what was wrong (for a FAIL line).
 */
const char *smp_init(const struct fdt *fdt, unsigned long boot_hartid);

struct smp_slot *smp_slot(int idx);
struct smp_slot *smp_this(void);
int smp_index_of(unsigned long hartid);	/* -1 if not in /cpus */
int smp_first_other(void);		/* first index != self, or -1 */

unsigned long smp_opaque(int idx, unsigned int tag);
unsigned long smp_entry_addr(void);

/* Point slot idx at fn with opaque(idx, tag) and hart_start it. */
struct sbiret smp_start(int idx, unsigned int tag,
			void (*fn)(struct smp_slot *slot));

/* Set up slot idx for a non-retentive suspend's resume into fn. */
unsigned long smp_prepare_resume(int idx, unsigned int tag,
				 void (*fn)(struct smp_slot *slot));

/* True once slot->arrivals >= n (bounded by SPIN_LIMIT). */
bool smp_wait_arrivals(struct smp_slot *slot, unsigned long n);

/* Bounded waits on a shared word: true once *p >= want / *p == want. */
bool wait_ge(unsigned long *p, unsigned long want);
bool wait_eq(unsigned long *p, unsigned long want);

/*
 * Poll hart_get_status(hartid) until it returns want, an error, or
 * HSM_POLL_LIMIT calls were made. Returns the last status, or the
 * error (negative).
 */
long hsm_wait_status(unsigned long hartid, long want);

/* Number of bad arrivals; *a0 / *a1 of the last one. */
unsigned long smp_bad_arrival(unsigned long *a0, unsigned long *a1);

static inline unsigned long ld_acquire(unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void st_release(unsigned long *p, unsigned long v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/*
 * Run fn on every hart in /cpus, this one included, and wait (bounded)
 * until each has returned; a hart that fails to start or to finish is a
 * FAIL line. The per-hart results stay in the slots.
 */
void smp_run_all(void (*fn)(struct smp_slot *slot));

/* slot->v[k], summed over every hart in /cpus. */
unsigned long smp_sum(int k);

/* A reusable barrier for n harts, bounded by SPIN_LIMIT. */
struct smp_barrier {
	unsigned long count;
	unsigned long gen;
};

bool smp_barrier_wait(struct smp_barrier *b, int n);

#endif /* __ASSEMBLER__ */

#endif
