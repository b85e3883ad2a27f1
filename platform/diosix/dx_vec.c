// SPDX-License-Identifier: BSD-2-Clause
/*
 * Vector (V extension) state of a vCPU, switched like FP (see dx_fp.c):
 * mstatus.VS is the guest's own sstatus.VS, so it is never changed and
 * never trusted to say whether the registers are live. A vCPU's vector
 * state is saved whenever it leaves a hart, and loaded only when another
 * vCPU used the hart's registers since. A guest may turn VS on whether
 * or not it was told about V, so on a hart with V this is what keeps
 * one container's vector registers out of another's reach. A vCPU that
 * never ran gets the reset state, never what another left behind.
 *
 * The registers take 32 * VLENB bytes a vCPU, allocated once from the
 * firmware heap when its container is created; the heap is sized at
 * platform init for the vCPUs the manifest holds (dx_heap_size). If the
 * firmware and its heap would reach the payload, the heap is cut short
 * and the containers that no longer fit are refused at boot.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_error.h>
#include <sbi/sbi_heap.h>
#include <hyp/container.h>
#include <hyp/vcpu.h>
#include "dx.h"

/* Bytes in one vector register; 0 when the harts have no V. */
static unsigned long vlenb;

#define VTYPE_VILL	(1UL << (__riscv_xlen - 1))

#define V_ASM(body)	".option push\n.option arch, +v\n" body ".option pop\n"

/* All 32 registers as four groups of 8: %0 the address, %1 8 * VLENB. */
#define V_GROUP(op, v)	op " " v ", (%0)\n"
#define V_GROUPS(op)	V_GROUP(op, "v0") "add %0, %0, %1\n"		\
			V_GROUP(op, "v8") "add %0, %0, %1\n"		\
			V_GROUP(op, "v16") "add %0, %0, %1\n"		\
			V_GROUP(op, "v24")

unsigned long dx_vec_init(unsigned int vcpus)
{
	if (!misa_extension('V'))
		return 0;
	/* The vector CSRs trap while VS is Off, in M-mode too. */
	csr_set(CSR_MSTATUS, MSTATUS_VS);
	__asm__ volatile(V_ASM("csrr %0, vlenb\n") : "=r"(vlenb));
	return vcpus * 32 * vlenb;
}

unsigned long dx_vec_size(const struct container *c)
{
	return c->nr_vcpus * 32 * vlenb;
}

int dx_vec_alloc(struct container *c)
{
	unsigned int i;
	u8 *regs;

	if (!vlenb)
		return 0;
	regs = dx_zalloc(dx_vec_size(c));
	if (!regs)
		return SBI_ENOMEM;
	for (i = 0; i < c->nr_vcpus; i++)
		c->vcpus[i].arch.vec.regs = regs + i * 32 * vlenb;
	return 0;
}

void dx_vec_save(struct vcpu *v)
{
	struct dx_vec_state *s = &v->arch.vec;
	u8 *p = s->regs;

	if (!p)
		return;
	/* VS gates M-mode too; the trap exit restores the guest's own. */
	csr_set(CSR_MSTATUS, MSTATUS_VS);
	/* A whole-register store starts at vstart: zero it first. */
	__asm__ volatile(V_ASM("csrr %0, vl\n"
			       "csrr %1, vtype\n"
			       "csrr %2, vstart\n"
			       "csrr %3, vcsr\n"
			       "csrw vstart, zero\n")
			 : "=r"(s->vl), "=r"(s->vtype), "=r"(s->vstart), "=r"(s->vcsr));
	__asm__ volatile(V_ASM(V_GROUPS("vs8r.v"))
			 : "+r"(p) : "r"(8 * vlenb) : "memory");
	s->saved = true;
}

/* What the registers hold at reset: zeros, vtype.vill set, vl 0. */
static void vec_zero(void)
{
	ulong vl;

	__asm__ volatile(V_ASM("vsetvli %0, zero, e8, m8, ta, ma\n"
			       "vmv.v.i v0, 0\n"
			       "vmv.v.i v8, 0\n"
			       "vmv.v.i v16, 0\n"
			       "vmv.v.i v24, 0\n"
			       "vsetvl zero, %1, %2\n"
			       "csrw vstart, zero\n"
			       "csrw vcsr, zero\n")
			 : "=&r"(vl) : "r"(0UL), "r"(VTYPE_VILL));
}

void dx_vec_load(struct vcpu *v)
{
	const struct dx_vec_state *s = &v->arch.vec;
	const u8 *p = s->regs;

	if (!vlenb)
		return;
	/* V must be on in M-mode to touch the registers. */
	csr_set(CSR_MSTATUS, MSTATUS_VS);
	if (!s->saved) {
		vec_zero();
		return;
	}
	/* A whole-register load starts at vstart too. */
	__asm__ volatile(V_ASM("csrw vstart, zero\n"));
	__asm__ volatile(V_ASM(V_GROUPS("vl8r.v"))
			 : "+r"(p) : "r"(8 * vlenb) : "memory");
	/* vl <= VLMAX of its vtype, so vsetvl gives back exactly vl. */
	__asm__ volatile(V_ASM("vsetvl zero, %0, %1\n"
			       "csrw vstart, %2\n"
			       "csrw vcsr, %3\n")
			 : : "r"(s->vl), "r"(s->vtype), "r"(s->vstart), "r"(s->vcsr));
}
