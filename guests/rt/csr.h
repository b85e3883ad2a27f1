/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Supervisor CSR access and the time counter, for the SBI test guests.
 */
#ifndef GUEST_CSR_H
#define GUEST_CSR_H

#include <stdint.h>

#include "layout.h"

/* sip / sie bits */
#define SIP_SSIP	(1UL << 1)
#define SIP_STIP	(1UL << 5)
#define SIP_SEIP	(1UL << 9)

/* scause codes of supervisor interrupts (interrupt bit stripped) */
#define IRQ_S_SOFT	1
#define IRQ_S_TIMER	5
#define IRQ_S_EXT	9

#define csr_read(csr)							\
	({								\
		unsigned long __v;					\
		asm volatile("csrr %0, " #csr : "=r"(__v) : : "memory"); \
		__v;							\
	})

#define csr_write(csr, val)						\
	asm volatile("csrw " #csr ", %0" : : "rK"(val) : "memory")

#define csr_set(csr, bits)						\
	asm volatile("csrs " #csr ", %0" : : "rK"(bits) : "memory")

#define csr_clear(csr, bits)						\
	asm volatile("csrc " #csr ", %0" : : "rK"(bits) : "memory")

static inline void irq_enable(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

static inline void irq_disable(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
}

/* The 64-bit time counter (rdtime; rdtimeh too on rv32). */
static inline uint64_t rdtime64(void)
{
#if __riscv_xlen == 64
	unsigned long t;

	asm volatile("rdtime %0" : "=r"(t) : : "memory");
	return t;
#else
	uint32_t hi, lo, hi2;

	do {
		asm volatile("rdtimeh %0" : "=r"(hi) : : "memory");
		asm volatile("rdtime %0" : "=r"(lo) : : "memory");
		asm volatile("rdtimeh %0" : "=r"(hi2) : : "memory");
	} while (hi != hi2);
	return (uint64_t)hi << 32 | lo;
#endif
}

static inline void cpu_relax(void)
{
	asm volatile("nop" : : : "memory");
}

#endif
