/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A test-and-set spinlock on the compiler's atomics, so the same code
 * runs in the firmware and in the host unit tests. The rules every lock
 * follows (docs/scheduling.md, "Locks"): a lock is initialised once, by
 * HYP_LOCK_INIT or when the struct holding it is created, never again
 * while another hart may hold it; code that tries a lock uses
 * hyp_trylock(), never its own atomic on the lock word.
 */
#ifndef HYP_LOCK_H
#define HYP_LOCK_H

#include <hyp/types.h>

struct hyp_lock {
	volatile int taken;
};

#define HYP_LOCK_INIT	{ 0 }

/** Take @l if it is free: true if taken, false (at once) if held. */
static inline bool hyp_trylock(struct hyp_lock *l)
{
	return !__atomic_exchange_n(&l->taken, 1, __ATOMIC_ACQUIRE);
}

static inline void hyp_lock(struct hyp_lock *l)
{
	while (!hyp_trylock(l))
		while (__atomic_load_n(&l->taken, __ATOMIC_RELAXED))
			;
}

static inline void hyp_unlock(struct hyp_lock *l)
{
	__atomic_store_n(&l->taken, 0, __ATOMIC_RELEASE);
}

#endif
