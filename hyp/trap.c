// SPDX-License-Identifier: BSD-2-Clause
/*
 * Every trap from a guest lands here (traps from M-mode go straight to
 * OpenSBI). The hypervisor owns S-mode ecalls, its timer and its kicks;
 * everything else (illegal instructions, access faults, misaligned
 * accesses) is OpenSBI's to emulate or to redirect to the guest, which
 * it does with the guest's own CSRs, PMP and domain in place.
 */
#include <hyp/container.h>
#include <hyp/fwlog.h>
#include <hyp/hal.h>
#include <hyp/hyp.h>
#include <hyp/vsbi.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>

struct hyp_frame *hyp_enter(struct hyp_frame *f);

#define INSN_WFI	0x10500073UL

/*
 * OpenSBI's turn: it emulates or redirects the trap with the guest's own
 * CSRs, PMP and domain in place. Anything it printed is about this
 * guest, and goes out by the console's rules (fwlog.h).
 */
static struct hyp_frame *forward(struct vcpu *v, struct hyp_frame *f)
{
	char text[HAL_FORWARD_TEXT_MAX];
	size_t len;

	f = hal_trap_forward(f);
	len = hal_trap_forward_text(text, sizeof(text));
	if (len)
		fwlog_text(v->ctr, text, len);
	return f;
}

/*
 * Guests run with mstatus.TW set, so WFI traps here as an illegal
 * instruction: the vCPU blocks until it has an interrupt to take, and its
 * hart goes to other work. Anything else illegal is OpenSBI's to emulate
 * or to hand back to the guest.
 */
static struct hyp_frame *illegal_insn(struct vcpu *v, struct hyp_frame *f)
{
	ulong insn = f->trap.tval;

	if (!insn && hal_guest_insn(f->regs.mepc, &insn))
		insn = 0;
	if (insn != INSN_WFI)
		return sched_resume(forward(v, f));
	f->regs.mepc += 4;
	sched_block(v, BLOCK_WFI);
	return sched_resume(f);
}

static struct hyp_frame *guest_trap(struct vcpu *v, struct hyp_frame *f)
{
	ulong cause = f->trap.cause;

	v->stats.traps++;
	switch (cause) {
	case HYP_EXC_ECALL_S:
		v->stats.ecalls++;
		vsbi_dispatch(v);
		return sched_resume(f);
	case HYP_CAUSE_IRQ | HYP_IRQ_M_TIMER:
		return sched_timer(f);
	case HYP_EXC_ILLEGAL_INSN:
		return illegal_insn(v, f);
	case HYP_CAUSE_IRQ | HYP_IRQ_M_SOFT:
		/* OpenSBI clears the IPI and runs its own events first. */
		forward(v, f);
		return sched_mailbox(f);
	default:
		return sched_resume(forward(v, f));
	}
}

struct hyp_frame *hyp_trap(struct hyp_frame *f)
{
	struct hart *h = this_hart();

	if (h->current)
		return guest_trap(h->current, f);
	return hyp_enter(f);
}
