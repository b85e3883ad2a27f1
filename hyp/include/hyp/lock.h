/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A test-and-set spinlock on the compiler's atomics, so the same code
 * runs in the firmware and in the host unit tests.
 */
#ifndef HYP_LOCK_H
#define HYP_LOCK_H

#include <hyp/types.h>

struct hyp_lock {
	volatile int taken;
};

#define HYP_LOCK_INIT	{ 0 }

static inline void hyp_lock(struct hyp_lock *l)
{
	while (__atomic_exchange_n(&l->taken, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->taken, __ATOMIC_RELAXED))
			;
}

static inline void hyp_unlock(struct hyp_lock *l)
{
	__atomic_store_n(&l->taken, 0, __ATOMIC_RELEASE);
}

#endif
