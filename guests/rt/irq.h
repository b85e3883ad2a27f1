/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Supervisor interrupts: trap.c hands every interrupt trap to the one
 * registered handler (shared by all harts), with the scause code minus
 * the interrupt bit (IRQ_S_SOFT, IRQ_S_TIMER, ...). The handler must
 * clear or mask the source before it returns. With no handler set, an
 * interrupt is an unexpected trap: FAIL and shutdown.
 */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

typedef void (*irq_handler_fn)(unsigned long code);

/* Set before enabling any interrupt; NULL removes the handler. */
void irq_set_handler(irq_handler_fn fn);

/*
 * An exception (not an interrupt) the guest expects, such as a debug
 * trigger's breakpoint: given scause and sepc, the handler returns where
 * to resume, or 0 to leave it to trap.c (FAIL and shutdown).
 */
typedef unsigned long (*exc_handler_fn)(unsigned long cause, unsigned long sepc);

/* NULL removes the handler. */
void exc_set_handler(exc_handler_fn fn);

#endif
