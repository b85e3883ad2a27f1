// SPDX-License-Identifier: BSD-2-Clause
/*
 * Every trap from a guest lands here (traps from M-mode go straight to
 * OpenSBI). The hypervisor owns S-mode ecalls, its timer and its kicks;
 * everything else (illegal instructions, access faults, misaligned
 * accesses) is OpenSBI's to emulate or to redirect to the guest, which
 * it does with the guest's own CSRs, PMP and domain in place.
 */
#include <hyp/container.h>
#include <hyp/devices.h>
#include <hyp/fwlog.h>
#include <hyp/hal.h>
#include <hyp/hyp.h>
#include <hyp/vsbi.h>
#include <hyp/vsbi_pmu.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>

struct hyp_frame *hyp_enter(struct hyp_frame *f);

#define INSN_WFI	0x10500073UL

/*
 * Back to the guest that trapped, unless its state changed under it (it
 * blocked, stopped, was told to stop, or has work from another hart):
 * the common case in a few loads, the rest is the scheduler's.
 */
static inline struct hyp_frame *resume(struct vcpu *v, struct hyp_frame *f)
{
	if (__builtin_expect(v->state == VCPU_RUNNING && !v->pending &&
			     v->ctr->state == CTR_RUNNING, 1))
		return f;
	return sched_resume(f);
}

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

#define INSN_CSR_READ_MASK	0x000ff07fUL	/* csrrs rd, <csr>, x0 */
#define INSN_CSR_READ		0x00002073UL
#define CSR_TIME		0xc01
#define CSR_TIMEH		0xc81

/* Trapped in VS or VU mode (mstatus.MPV): a guest's own guest's trap. */
static bool from_virt(const struct hyp_frame *f)
{
	if (HYP_XLEN == 32)
		return (f->regs.mstatush >> 7) & 1;
	return ((u64)f->regs.mstatus >> 39) & 1;
}

/*
 * A read of the time CSR that trapped (a hart without one, or the
 * manifest's trap-time) and that the vector's fast path (dx_entry.S)
 * did not answer, e.g. because mtval did not hold the instruction.
 */
static bool emulate_time(struct hyp_frame *f, ulong insn)
{
	ulong csr = insn >> 20, rd = (insn >> 7) & 31;
	u64 now;

	if ((insn & INSN_CSR_READ_MASK) != INSN_CSR_READ || from_virt(f))
		return false;
	if (csr != CSR_TIME && !(HYP_XLEN == 32 && csr == CSR_TIMEH))
		return false;
	now = hal_time_now();
	if (rd)
		f->regs.x[rd] = csr == CSR_TIMEH ? (ulong)(now >> 32) : (ulong)now;
	f->regs.mepc += 4;
	return true;
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
	/* The guest's own illegal instructions, not the WFIs TW makes trap. */
	if (insn != INSN_WFI)
		vsbi_pmu_fw(v, VSBI_PMU_FW_ILLEGAL_INSN, 1);
	if (emulate_time(f, insn))
		return resume(v, f);
	if (insn != INSN_WFI)
		return resume(v, forward(v, f));
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
		return resume(v, f);
	case HYP_CAUSE_IRQ | HYP_IRQ_M_TIMER:
		return sched_timer(f);
	case HYP_EXC_ILLEGAL_INSN:
		return illegal_insn(v, f);
	case HYP_EXC_LOAD_ACCESS:
	case HYP_EXC_STORE_ACCESS:
		vsbi_pmu_fw(v, cause == HYP_EXC_LOAD_ACCESS ? VSBI_PMU_FW_ACCESS_LOAD :
			    VSBI_PMU_FW_ACCESS_STORE, 1);
		/* Its virtual PLIC, or a fault the guest gets back. */
		if (devices_mmio(v, f))
			return resume(v, f);
		return resume(v, forward(v, f));
	case HYP_CAUSE_IRQ | HYP_IRQ_M_EXT:
		devices_ext_irq();
		return resume(v, f);
	case HYP_EXC_MISALIGNED_LOAD:
	case HYP_EXC_MISALIGNED_STORE:
		/* OpenSBI emulates it (unless FWFT delegated them). */
		vsbi_pmu_fw(v, cause == HYP_EXC_MISALIGNED_LOAD ?
			    VSBI_PMU_FW_MISALIGNED_LOAD : VSBI_PMU_FW_MISALIGNED_STORE, 1);
		return resume(v, forward(v, f));
	case HYP_CAUSE_IRQ | HYP_IRQ_M_SOFT:
		/* OpenSBI clears the IPI and runs its own events first. */
		forward(v, f);
		return sched_mailbox(f);
	default:
		return resume(v, forward(v, f));
	}
}

struct hyp_frame *hyp_trap(struct hyp_frame *f)
{
	struct hart *h = this_hart();

	if (h->current)
		return guest_trap(h->current, f);
	return hyp_enter(f);
}
