/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Everything the SBI conformance guests (sbi-*.c, smp.c, hog.c) use on
 * top of rt.h.
 */
#ifndef GUEST_SBITEST_H
#define GUEST_SBITEST_H

#include <stdbool.h>
#include <stdint.h>

#include "csr.h"
#include "fdt.h"
#include "irq.h"
#include "sbi_ext.h"
#include "smp.h"
#include "test.h"

/*
 * A physical address that is not RAM and that supervisor mode may not
 * touch: the first candidate outside every /memory range at which an
 * S-mode load faults (probe_read). An SBI implementation must refuse it
 * as a buffer or as a start/resume address. The candidates are the
 * QEMU virt CLINT and PLIC bases, which firmware (and diosix, which
 * maps a container nothing but its RAM) keeps from S-mode; an unmapped
 * address is no good on stock OpenSBI, whose M-mode load from it hangs.
 * False if none qualifies.
 */
bool find_inaccessible(const struct fdt *fdt, unsigned long *addr);

/* Ticks of the time CSR in ms milliseconds (smp.timebase must be set). */
uint64_t ms_to_ticks(unsigned int ms);

/*
 * Spin until @ms have passed; true if time jumped by more than 1 ms on
 * the way, i.e. the hart ran something else meanwhile (a time slice).
 */
bool busy_ms(unsigned int ms);

/*
 * Wait in WFI, with interrupts on, until an interrupt handler moves
 * *count off @before, or the clock passes @end (the SBI timer wakes the
 * WFI then: the handler must answer IRQ_S_TIMER with sbi_set_timer(~0)).
 * True if it moved.
 */
bool wait_count(volatile unsigned int *count, unsigned int before, uint64_t end);

/* Sleep for @ms in WFI, woken by the SBI timer: the hart goes elsewhere. */
void nap_ms(unsigned int ms);

#endif
