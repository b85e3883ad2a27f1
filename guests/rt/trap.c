// SPDX-License-Identifier: BSD-2-Clause
/*
 * Supervisor trap handling: resume after an expected probe fault, pass
 * interrupts to the handler registered with irq_set_handler() and
 * exceptions to the one exc_set_handler() registered (irq.h), otherwise
 * report the trap and shut the system down.
 */
#include "rt.h"
#include "irq.h"

#define CAUSE_INTERRUPT		(1UL << (__riscv_xlen - 1))
#define REG_T0			5
#define PROBE_INSN_LEN		4	/* entry.S builds the probes with norvc */

struct trap_frame {
	unsigned long x[32];		/* x[2] is the interrupted sp */
	unsigned long sepc;
	unsigned long scause;
	unsigned long stval;
};

_Static_assert(__builtin_offsetof(struct trap_frame, sepc) ==
	       TF_SEPC * sizeof(long), "trap frame out of sync with entry.S");
_Static_assert(__builtin_offsetof(struct trap_frame, stval) ==
	       TF_STVAL * sizeof(long), "trap frame out of sync with entry.S");
_Static_assert(sizeof(struct trap_frame) <= TF_WORDS * sizeof(long),
	       "trap frame larger than entry.S reserves");

extern char probe_load_insn[], probe_store_insn[], probe_csr_insn[],
	probe_mret_insn[];

void trap_handler(struct trap_frame *tf);

/*
 * A fault on one of the probe accesses is expected: hand scause back
 * to the probe in t0 and step over the access. Matching on sepc keeps
 * this stateless, so it is safe on every hart at once.
 */
static bool probe_fixup(struct trap_frame *tf)
{
	if (tf->scause & CAUSE_INTERRUPT)
		return false;
	if (tf->sepc != (unsigned long)probe_load_insn &&
	    tf->sepc != (unsigned long)probe_store_insn &&
	    tf->sepc != (unsigned long)probe_csr_insn &&
	    tf->sepc != (unsigned long)probe_mret_insn)
		return false;
	tf->x[REG_T0] = tf->scause;
	tf->sepc += PROBE_INSN_LEN;
	return true;
}

static irq_handler_fn irq_handler;
static exc_handler_fn exc_handler;

void exc_set_handler(exc_handler_fn fn)
{
	__atomic_store_n(&exc_handler, fn, __ATOMIC_RELEASE);
}

/* The registered exception handler's resume address, or 0. */
static unsigned long exc_fixup(const struct trap_frame *tf)
{
	exc_handler_fn fn = __atomic_load_n(&exc_handler, __ATOMIC_ACQUIRE);

	if ((tf->scause & CAUSE_INTERRUPT) || !fn)
		return 0;
	return fn(tf->scause, tf->sepc);
}

void irq_set_handler(irq_handler_fn fn)
{
	__atomic_store_n(&irq_handler, fn, __ATOMIC_RELEASE);
}

void trap_handler(struct trap_frame *tf)
{
	irq_handler_fn fn;
	unsigned long resume;

	if (probe_fixup(tf))
		return;
	resume = exc_fixup(tf);
	if (resume) {
		tf->sepc = resume;
		return;
	}
	fn = __atomic_load_n(&irq_handler, __ATOMIC_ACQUIRE);
	if ((tf->scause & CAUSE_INTERRUPT) && fn) {
		fn(tf->scause & ~CAUSE_INTERRUPT);
		return;
	}
	printf("FAIL unexpected trap scause=0x%lx sepc=0x%lx stval=0x%lx\n",
	       tf->scause, tf->sepc, tf->stval);
	shutdown_failure();
}
