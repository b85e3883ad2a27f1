// SPDX-License-Identifier: BSD-2-Clause
/*
 * H-extension state of a vCPU. On a hart with the H extension, S-mode is
 * HS-mode: a guest can read and write the hypervisor and virtual-
 * supervisor CSRs whatever its device tree says (diosix leaves "h" out
 * of it), and can even run code in VS-mode. Nothing in M-mode can take
 * those CSRs away from S-mode, so they are guest state like sscratch:
 * saved whenever a vCPU leaves a hart and loaded whenever one arrives.
 * Left shared, they were a covert channel between containers and a
 * denial of service (hie and hvip set to VS interrupts made the next
 * container on the hart take interrupts it never enabled and could not
 * clear).
 *
 * A vCPU that never ran gets the values the boot hart had before any
 * guest ran (dx_h_init), i.e. the hart's reset state.
 *
 * vsie and vsip are views of hie and hvip (through hideleg) and need no
 * slot of their own; mstatus.MPV and GVA travel in the trap frame (on
 * rv32 in mstatush, which the trap entry saves). Not switched: the AIA's
 * hvien, hvictl, hviprio and vsiselect/vsireg, on harts with Ssaia (not
 * QEMU 7.2's default); see docs/isolation.md.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_hart.h>
#include <hyp/vcpu.h>
#include "dx.h"

#define CSR_VSTIMECMP		0x24d
#define CSR_VSTIMECMPH		0x25d

static bool has_h, has_envcfg, has_sstc;
static struct dx_h_state reset_h;

#if __riscv_xlen == 32
#define csr_read64(lo, hi)	((u64)csr_read(hi) << 32 | csr_read(lo))
#define csr_write64(lo, hi, v)						\
	do {								\
		csr_write(lo, (ulong)(v));				\
		csr_write(hi, (ulong)((v) >> 32));			\
	} while (0)
#else
#define csr_read64(lo, hi)	csr_read(lo)
#define csr_write64(lo, hi, v)	csr_write(lo, v)
#endif

static void h_read(struct dx_h_state *s)
{
	s->hstatus = csr_read(CSR_HSTATUS);
	s->hedeleg = csr_read(CSR_HEDELEG);
	s->hideleg = csr_read(CSR_HIDELEG);
	s->hie = csr_read(CSR_HIE);
	s->hcounteren = csr_read(CSR_HCOUNTEREN);
	s->hgeie = csr_read(CSR_HGEIE);
	s->htval = csr_read(CSR_HTVAL);
	s->hvip = csr_read(CSR_HVIP);
	s->htinst = csr_read(CSR_HTINST);
	s->hgatp = csr_read(CSR_HGATP);
	s->htimedelta = csr_read64(CSR_HTIMEDELTA, CSR_HTIMEDELTAH);
	s->vsstatus = csr_read(CSR_VSSTATUS);
	s->vstvec = csr_read(CSR_VSTVEC);
	s->vsscratch = csr_read(CSR_VSSCRATCH);
	s->vsepc = csr_read(CSR_VSEPC);
	s->vscause = csr_read(CSR_VSCAUSE);
	s->vstval = csr_read(CSR_VSTVAL);
	s->vsatp = csr_read(CSR_VSATP);
	if (has_envcfg)
		s->henvcfg = csr_read64(CSR_HENVCFG, CSR_HENVCFGH);
	if (has_sstc)
		s->vstimecmp = csr_read64(CSR_VSTIMECMP, CSR_VSTIMECMPH);
}

/*
 * hvip.VSTIP is writable with Sstc too (the VS timer is ORed in), but
 * QEMU 7.2 drops M-mode writes of it while menvcfg.STCE is set: write
 * it with STCE off for the moment.
 */
static void hvip_write(ulong hvip)
{
	if (!has_sstc || !(hvip & MIP_VSTIP)) {
		csr_write(CSR_HVIP, hvip);
		return;
	}
#if __riscv_xlen == 32
	csr_clear(CSR_MENVCFGH, (ulong)(ENVCFG_STCE >> 32));
	csr_write(CSR_HVIP, hvip);
	csr_set(CSR_MENVCFGH, (ulong)(ENVCFG_STCE >> 32));
#else
	csr_clear(CSR_MENVCFG, ENVCFG_STCE);
	csr_write(CSR_HVIP, hvip);
	csr_set(CSR_MENVCFG, ENVCFG_STCE);
#endif
}

static void h_write(const struct dx_h_state *s)
{
	/*
	 * vstimecmp before hvip: hip.VSTIP is hvip.VSTIP or the Sstc VS
	 * timer, and QEMU 7.2 keeps both in one bit that a vstimecmp
	 * write recomputes. High half to all-ones first on rv32, so no
	 * spurious VS timer fires in between.
	 */
	if (has_sstc) {
		/* High half to all-ones first, so no spurious VS timer fires. */
#if __riscv_xlen == 32
		csr_write(CSR_VSTIMECMPH, -1UL);
#endif
		csr_write64(CSR_VSTIMECMP, CSR_VSTIMECMPH, s->vstimecmp);
	}
	/* hideleg next: what vsie and vsip show depends on it. */
	csr_write(CSR_HIDELEG, s->hideleg);
	csr_write(CSR_HSTATUS, s->hstatus);
	csr_write(CSR_HEDELEG, s->hedeleg);
	csr_write(CSR_HIE, s->hie);
	csr_write(CSR_HCOUNTEREN, s->hcounteren);
	csr_write(CSR_HGEIE, s->hgeie);
	csr_write(CSR_HTVAL, s->htval);
	hvip_write(s->hvip);
	csr_write(CSR_HTINST, s->htinst);
	csr_write(CSR_HGATP, s->hgatp);
	csr_write64(CSR_HTIMEDELTA, CSR_HTIMEDELTAH, s->htimedelta);
	csr_write(CSR_VSSTATUS, s->vsstatus);
	csr_write(CSR_VSTVEC, s->vstvec);
	csr_write(CSR_VSSCRATCH, s->vsscratch);
	csr_write(CSR_VSEPC, s->vsepc);
	csr_write(CSR_VSCAUSE, s->vscause);
	csr_write(CSR_VSTVAL, s->vstval);
	csr_write(CSR_VSATP, s->vsatp);
	if (has_envcfg)
		csr_write64(CSR_HENVCFG, CSR_HENVCFGH, s->henvcfg);
}

void dx_h_init(void)
{
	struct sbi_scratch *scratch = sbi_scratch_thishart_ptr();

	has_h = misa_extension('H');
	if (!has_h)
		return;
	has_envcfg = sbi_hart_priv_version(scratch) >= SBI_HART_PRIV_VER_1_12;
	has_sstc = sbi_hart_has_extension(scratch, SBI_HART_EXT_SSTC);
	h_read(&reset_h);
	/* No VS timer until the guest sets one. */
	reset_h.vstimecmp = ~0ULL;
}

void dx_h_save(struct vcpu *v)
{
	if (!has_h)
		return;
	h_read(&v->arch.h);
	v->arch.h.saved = true;
}

void dx_h_load(const struct vcpu *v)
{
	if (!has_h)
		return;
	h_write(v->arch.h.saved ? &v->arch.h : &reset_h);
}
