/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Board devices a guest drives itself: 32-bit MMIO, the registers of a
 * RISC-V PLIC (the container's virtual one under diosix) seen from
 * context 0, and QEMU virt's goldfish RTC, whose alarm raises a
 * level-triggered interrupt until it is cleared. Offsets from the PLIC
 * 1.0.0 specification and QEMU's goldfish RTC model.
 */
#ifndef GUEST_DEVIO_H
#define GUEST_DEVIO_H

#include <stdbool.h>
#include <stdint.h>

#include "csr.h"

/* PLIC registers, context 0 (vCPU 0) */
#define PLIC_PRIO(s)		(4 * (s))
#define PLIC_PENDING(w)		(0x1000 + 4 * (w))
#define PLIC_ENABLE(w)		(0x2000 + 4 * (w))
#define PLIC_THRESHOLD		0x200000
#define PLIC_CLAIM		0x200004

/* goldfish RTC registers */
#define RTC_ALARM_LOW		0x08
#define RTC_ALARM_HIGH		0x0c
#define RTC_IRQ_ENABLED		0x10
#define RTC_CLEAR_INTERRUPT	0x1c

static inline void w32(unsigned long a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline uint32_t r32(unsigned long a)
{
	return *(volatile uint32_t *)a;
}

/* An alarm in the past: the RTC raises its line at once, in this store. */
static inline void rtc_fire(unsigned long rtc)
{
	w32(rtc + RTC_ALARM_HIGH, 0);
	w32(rtc + RTC_ALARM_LOW, 0);
}

/* Source @irq at priority 1, enabled for context 0, threshold 0. */
static inline void plic_open(unsigned long plic, unsigned int irq)
{
	w32(plic + PLIC_PRIO(irq), 1);
	w32(plic + PLIC_ENABLE(irq / 32), 1U << (irq % 32));
	w32(plic + PLIC_THRESHOLD, 0);
}

/*
 * The start of an interrupt handler for one device source @irq: true
 * once @irq is claimed (the caller clears the device, then completes).
 * Anything else is counted and dealt with: a cause other than the S
 * external interrupt in *other (and masked in sie), a claim of 0 in
 * *spurious, another source in *other (completed at once).
 */
static inline bool plic_claim_irq(unsigned long plic, unsigned int irq, unsigned long code,
				  volatile unsigned int *spurious,
				  volatile unsigned int *other)
{
	uint32_t src;

	if (code != IRQ_S_EXT) {
		(*other)++;
		csr_clear(sie, 1UL << code);
		return false;
	}
	src = r32(plic + PLIC_CLAIM);
	if (!src)
		(*spurious)++;
	else if (src != irq)
		(*other)++, w32(plic + PLIC_CLAIM, src);
	return src == irq;
}

#endif
