// SPDX-License-Identifier: BSD-2-Clause
/*
 * Floating-point state of a vCPU.
 *
 * Without the H extension, mstatus.FS *is* the guest's sstatus.FS: the
 * guest reads it and relies on it (Linux saves a task's FP registers at
 * a task switch only when FS is Dirty). So the hypervisor never changes
 * it, and never infers from it whether the registers are live: a guest
 * may turn FS Off or Clean while they hold values it will want back
 * (Linux loads the next task's registers, marks FS Clean, and runs the
 * kernel with FS Off), and the privileged spec says changing FS leaves
 * the registers intact. Every vCPU's registers are therefore saved
 * whenever it leaves a hart. The one laziness that is sound is on the
 * way in: nothing to load when the same vCPU comes back to a hart whose
 * registers nobody else touched meanwhile (see hal_vcpu_load).
 *
 * A vCPU that never ran has zeroed registers (vcpu_reset), so it cannot
 * read what another container left behind by turning FP on.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <hyp/vcpu.h>
#include "dx.h"

#define FP_REGS(op)							\
	op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7)			\
	op(8) op(9) op(10) op(11) op(12) op(13) op(14) op(15)		\
	op(16) op(17) op(18) op(19) op(20) op(21) op(22) op(23)		\
	op(24) op(25) op(26) op(27) op(28) op(29) op(30) op(31)

#define FSD(n)	"fsd f" #n ", " #n "*8(%0)\n"
#define FLD(n)	"fld f" #n ", " #n "*8(%0)\n"

static bool fp_present(void)
{
	return dx_facts.fp;
}

/*
 * FS applies to M-mode too: turn it on in the live mstatus only. The
 * trap exit writes the guest's own mstatus back from its frame, so the
 * guest never sees the change.
 */
static void fp_access(void)
{
	csr_set(CSR_MSTATUS, MSTATUS_FS);
}

void dx_fp_save(struct vcpu *v)
{
	if (!fp_present())
		return;
	fp_access();
	__asm__ volatile(".option push\n.option arch, +d\n"
			 FP_REGS(FSD)
			 ".option pop\n" : : "r"(v->arch.fp.f) : "memory");
	__asm__ volatile(".option push\n.option arch, +d\n"
			 "frcsr %0\n.option pop\n" : "=r"(v->arch.fp.fcsr));
}

void dx_fp_load(struct vcpu *v)
{
	if (!fp_present())
		return;
	fp_access();
	__asm__ volatile(".option push\n.option arch, +d\n"
			 FP_REGS(FLD)
			 "fscsr %1\n.option pop\n"
			 : : "r"(v->arch.fp.f), "r"(v->arch.fp.fcsr) : "memory");
}
