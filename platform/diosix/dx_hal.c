// SPDX-License-Identifier: BSD-2-Clause
/*
 * hyp/'s hardware abstraction layer on OpenSBI 1.6 (see hyp/include/hyp/hal.h).
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_console.h>
#include <sbi/sbi_domain.h>
#include <sbi/sbi_ecall_interface.h>
#include <sbi/sbi_hart.h>
#include <sbi/sbi_heap.h>
#include <sbi/sbi_hsm.h>
#include <sbi/sbi_ipi.h>
#include <sbi/sbi_string.h>
#include <sbi/sbi_system.h>
#include <sbi/sbi_timer.h>
#include <sbi/sbi_trap.h>
#include <sbi/sbi_unpriv.h>
#include <hyp/container.h>
#include <hyp/devices.h>
#include <hyp/hal.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>
#include "dx.h"

unsigned long dx_stub_addr;
unsigned long dx_timebase;

/* The vCPU whose FP and V registers this hart holds (see vcpu_arch.ext_hart). */
static struct vcpu *ext_owner[HYP_MAX_HARTS];

struct dx_facts dx_facts;

/*
 * How the vector's rdtime fast path reads the time (dx_entry.S): 0 it
 * does not (hyp_trap's path does), 1 from the time CSR, else the
 * address of the 64-bit mtime register.
 */
unsigned long dx_fast_mtime __attribute__((visibility("hidden")));

void dx_facts_init(void)
{
	struct sbi_scratch *scratch = sbi_scratch_thishart_ptr();

	dx_facts.sstc = sbi_hart_has_extension(scratch, SBI_HART_EXT_SSTC);
	dx_facts.time_csr = sbi_hart_has_extension(scratch, SBI_HART_EXT_ZICNTR);
	dx_facts.senvcfg = sbi_hart_priv_version(scratch) >= SBI_HART_PRIV_VER_1_12;
	dx_facts.fp = misa_extension('D');
	dx_fast_mtime = dx_facts.time_csr ? 1 : dx_mtime_address();
	dx_mtimecmp_init();
	dx_dbtr_init();
	dx_pmu_init();
}

int hal_hart_start(unsigned int hart)
{
	return sbi_hsm_hart_start(sbi_scratch_thishart_ptr(), NULL,
				  dx_harts[hart].hartid, dx_stub_addr, PRV_S, 0);
}

void hal_hart_kick(unsigned int hart)
{
	sbi_ipi_raw_send(hart);
}

void hal_hart_idle(void)
{
	wfi();
	/* An IPI woke us: let OpenSBI clear it and run its own events. */
	if (csr_read(CSR_MIP) & MIP_MSIP)
		sbi_ipi_process();
	/* A device's interrupt: the hypervisor's to route (devices.c). */
	if (csr_read(CSR_MIP) & MIP_MEIP)
		devices_ext_irq();
}

/* Harts without a time CSR: the timer device's mtime, through OpenSBI. */
u64 dx_time_slow(void)
{
	return sbi_timer_value();
}

u64 hal_time_freq(void)
{
	return dx_timebase;
}

/*
 * This hart's mtimecmp, written as OpenSBI's mtimer driver writes it: on
 * rv32 the low half to all-ones first, so no early interrupt fires.
 */
static void mtimecmp_write(u64 when)
{
	volatile u64 *cmp = (volatile u64 *)dx_facts.mtimecmp +
			    (current_hartid() - dx_facts.mtimecmp_first);
#if __riscv_xlen == 32
	volatile u32 *half = (volatile u32 *)cmp;

	half[0] = -1U;
	half[1] = (u32)(when >> 32);
	half[0] = (u32)when;
#else
	*cmp = when;
#endif
}

void hal_timer_set(u64 when)
{
	const struct sbi_timer_device *dev;

	if (dx_facts.mtimecmp) {
		if (when == ~0ULL)
			csr_clear(CSR_MIE, MIP_MTIP);
		mtimecmp_write(when);
		if (when != ~0ULL)
			csr_set(CSR_MIE, MIP_MTIP);
		return;
	}
	dev = sbi_timer_get_device();

	if (when == ~0ULL) {
		csr_clear(CSR_MIE, MIP_MTIP);
		if (dev && dev->timer_event_stop)
			dev->timer_event_stop();
		return;
	}
	if (dev && dev->timer_event_start)
		dev->timer_event_start(when);
	csr_set(CSR_MIE, MIP_MTIP);
}


void hal_set_guest_frame(struct hyp_frame *f)
{
	dx_set_guest_frame(sbi_scratch_thishart_ptr(), f);
}

struct hyp_frame *dx_boot_frame(void)
{
	return &this_hart()->boot_frame;
}

static bool has_senvcfg(void)
{
	return dx_facts.senvcfg;
}

void hal_vcpu_save(struct vcpu *v)
{
	struct vcpu_csrs *s = &v->csr;

	s->sie = csr_read(CSR_SIE);
	s->stvec = csr_read(CSR_STVEC);
	s->sscratch = csr_read(CSR_SSCRATCH);
	s->sepc = csr_read(CSR_SEPC);
	s->scause = csr_read(CSR_SCAUSE);
	s->stval = csr_read(CSR_STVAL);
	s->satp = csr_read(CSR_SATP);
	s->scounteren = csr_read(CSR_SCOUNTEREN);
	if (has_senvcfg())
		s->senvcfg = csr_read(CSR_SENVCFG);
	s->sip = csr_read(CSR_MIP) & (MIP_SSIP | MIP_STIP | MIP_SEIP);
	if (hal_has_sstc()) {
#if __riscv_xlen == 32
		s->stimecmp = ((u64)csr_read(CSR_STIMECMPH) << 32) |
			      csr_read(CSR_STIMECMP);
#else
		s->stimecmp = csr_read(CSR_STIMECMP);
#endif
	}
	dx_fp_save(v);
	dx_vec_save(v);
	dx_h_save(v);
}

void hal_vcpu_load(struct vcpu *v)
{
	const struct vcpu_csrs *s = &v->csr;
	unsigned int hart = current_hartindex();

	csr_write(CSR_SIE, s->sie);
	csr_write(CSR_STVEC, s->stvec);
	csr_write(CSR_SSCRATCH, s->sscratch);
	csr_write(CSR_SEPC, s->sepc);
	csr_write(CSR_SCAUSE, s->scause);
	csr_write(CSR_STVAL, s->stval);
	csr_write(CSR_SATP, s->satp);
	csr_write(CSR_SCOUNTEREN, s->scounteren);
	if (has_senvcfg())
		csr_write(CSR_SENVCFG, s->senvcfg);
	/* SEIP too: the virtual PLIC's line (devices.c) is per vCPU. */
	csr_clear(CSR_MIP, MIP_SSIP | MIP_STIP | MIP_SEIP);
	csr_set(CSR_MIP, s->sip);
	if (hal_has_sstc())
		hal_guest_stimecmp(s->stimecmp);
	dx_h_load(v);
	/* Reload unless this hart's registers still hold v's own state. */
	if (ext_owner[hart] != v || v->arch.ext_hart != (int)hart) {
		dx_fp_load(v);
		dx_vec_load(v);
		ext_owner[hart] = v;
		v->arch.ext_hart = (int)hart;
	}
	dx_domain_enter(v->ctr, hart);
}

void hal_misaligned_deleg(bool on)
{
	const ulong bits = 1UL << CAUSE_MISALIGNED_LOAD | 1UL << CAUSE_MISALIGNED_STORE;

	if (on)
		csr_set(CSR_MEDELEG, bits);
	else
		csr_clear(CSR_MEDELEG, bits);
}

void hal_vcpu_reset(struct vcpu *v)
{
	sbi_memset(&v->arch.fp, 0, sizeof(v->arch.fp));
	/* dx_vec_load and dx_h_load give a vCPU with none saved the reset state. */
	v->arch.vec.saved = false;
	v->arch.h.saved = false;
	v->arch.ext_hart = -1;
}

void hal_guest_stip(bool pending)
{
	if (pending)
		csr_set(CSR_MIP, MIP_STIP);
	else
		csr_clear(CSR_MIP, MIP_STIP);
}

void hal_guest_stimecmp(u64 when)
{
#if __riscv_xlen == 32
	/* High half to all-ones first, so no spurious interrupt fires. */
	csr_write(CSR_STIMECMPH, -1UL);
	csr_write(CSR_STIMECMP, (ulong)when);
	csr_write(CSR_STIMECMPH, (ulong)(when >> 32));
#else
	csr_write(CSR_STIMECMP, when);
#endif
}

ulong hal_guest_sip(ulong set, ulong clear)
{
	ulong old = csr_read(CSR_MIP) & (MIP_SSIP | MIP_STIP | MIP_SEIP);

	if (clear)
		csr_clear(CSR_MIP, clear);
	if (set)
		csr_set(CSR_MIP, set);
	return old;
}

ulong hal_guest_satp(void)
{
	return csr_read(CSR_SATP);
}

int hal_guest_insn(ulong epc, ulong *insn)
{
	struct sbi_trap_info trap = { 0 };

	*insn = sbi_get_insn(epc, &trap);
	return trap.cause ? -1 : 0;
}

void hal_fence_i(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}

void hal_sfence_vma(void)
{
	__asm__ volatile("sfence.vma" ::: "memory");
}

ulong hal_guest_mstatus(void)
{
	ulong keep = 0;

#if __riscv_xlen == 64
	keep = MSTATUS_SXL | MSTATUS_UXL;
#endif
	return (csr_read(CSR_MSTATUS) & keep) | (PRV_S << MSTATUS_MPP_SHIFT);
}

struct hyp_frame *hal_trap_forward(struct hyp_frame *f)
{
	struct sbi_trap_context *ret;

	dx_console_capture(true);
	ret = sbi_trap_handler((struct sbi_trap_context *)f);
	dx_console_capture(false);
	return (struct hyp_frame *)ret;
}

ulong hal_machine_id(int which)
{
	switch (which) {
	case 0:
		return csr_read(CSR_MVENDORID);
	case 1:
		return csr_read(CSR_MARCHID);
	default:
		return csr_read(CSR_MIMPID);
	}
}

void *hal_phys(u64 pa)
{
	return (void *)(ulong)pa;
}

void hal_console_write(const char *s, size_t len)
{
	dx_console_write(s, len);
}

int hal_console_getc(void)
{
	return sbi_getc();
}

void *hal_zalloc(size_t size)
{
	return dx_zalloc(size);
}

unsigned long hal_heap_used(void)
{
	return sbi_heap_used_space();
}

void hal_poweroff(void)
{
	/* Resets are allowed to the root domain, which is the firmware's. */
	dx_domain_leave();
	/* Boards like the HiFive Unleashed have no way to power off. */
	if (!sbi_system_reset_supported(SBI_SRST_RESET_TYPE_SHUTDOWN,
					SBI_SRST_RESET_REASON_NONE)) {
		sbi_printf("[diosix] this machine cannot power itself off: halted\n");
		sbi_hart_hang();
	}
	sbi_system_reset(SBI_SRST_RESET_TYPE_SHUTDOWN, SBI_SRST_RESET_REASON_NONE);
	sbi_hart_hang();
}
