// SPDX-License-Identifier: BSD-2-Clause
/*
 * IPI and RFENCE on virtual harts. Hart masks name the container's own
 * virtual harts (0 .. n-1); base -1 means all of them. An IPI to a vCPU
 * that is not running waits in its pending bits; a remote fence on a
 * vCPU running elsewhere is done there before the call returns, and one
 * that is not running needs nothing, since every vCPU flushes its TLB
 * and instruction cache when it is switched in.
 */
#include <hyp/bits.h>
#include <hyp/container.h>
#include <hyp/vsbi.h>
#include <hyp/vsbi_pmu.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>

#define RFENCE_FENCE_I		0
#define RFENCE_SFENCE_VMA	1
#define RFENCE_SFENCE_ASID	2
#define RFENCE_HFENCE_LAST	6

long vsbi_hart_mask(const struct vcpu *v, ulong mask, ulong base, u64 *targets)
{
	unsigned int n = v->ctr->nr_vcpus;

	if (base == -1UL) {
		*targets = (n == 64 ? 0 : 1ULL << n) - 1;
		return VSBI_SUCCESS;
	}
	*targets = 0;
	if (!mask)
		return VSBI_SUCCESS;
	/* Every bit set must name a vCPU: base + bit < n. No loop over bits. */
	if (base >= n || (n - base < HYP_XLEN && mask >> (n - base)))
		return VSBI_ERR_INVALID_PARAM;
	*targets = (u64)mask << base;
	return VSBI_SUCCESS;
}

static void local_work(struct vcpu *v, unsigned int what)
{
	vsbi_pmu_received(v, what);
	if (what & VCPU_PEND_SSIP)
		hal_guest_sip(HYP_MIP_SSIP, 0);
	if (what & VCPU_PEND_FENCE_I)
		hal_fence_i();
	if (what & VCPU_PEND_SFENCE)
		hal_sfence_vma();
}

void vsbi_send(struct vcpu *v, u64 targets, unsigned int what)
{
	struct container *c = v->ctr;
	u64 left;
	unsigned int i, sent = 0;

	/* Only the vCPUs named: the cost follows the mask, not the container. */
	for (left = targets; left; left &= left - 1) {
		struct vcpu *t = &c->vcpus[hyp_ctz64(left)];

		/*
		 * Stopped harts take no interrupts (as in OpenSBI). A peek
		 * without sched_lock: a target stopping meanwhile only gets
		 * pending bits it never folds, and sched_notify looks again
		 * under the lock.
		 */
		if (t->state == VCPU_STOPPED)
			continue;
		sent++;
		if (t == v)
			local_work(v, what);
		else
			sched_notify(t, what);
	}
	vsbi_pmu_sent(v, what, sent);
	if (!(what & (VCPU_PEND_FENCE_I | VCPU_PEND_SFENCE)))
		return;
	for (left = targets; left; left &= left - 1) {
		i = (unsigned int)hyp_ctz64(left);
		if (&c->vcpus[i] != v)
			sched_wait_fenced(&c->vcpus[i], what);
	}
}

static void ipi_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
		       struct vsbi_ret *ret)
{
	u64 targets;

	(void)eid;
	if (fid != 0) {
		ret->error = VSBI_ERR_NOT_SUPPORTED;
		return;
	}
	ret->error = vsbi_hart_mask(v, a[0], a[1], &targets);
	if (!ret->error)
		vsbi_send(v, targets, VCPU_PEND_SSIP);
}

static void rfence_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
			  struct vsbi_ret *ret)
{
	unsigned int what = VCPU_PEND_SFENCE;
	u64 targets;

	(void)eid;
	/* The hfence calls are for hypervisors; our guests have no H. */
	if (fid > RFENCE_SFENCE_ASID) {
		ret->error = VSBI_ERR_NOT_SUPPORTED;
		return;
	}
	if (fid == RFENCE_FENCE_I)
		what = VCPU_PEND_FENCE_I;
	ret->error = vsbi_hart_mask(v, a[0], a[1], &targets);
	if (!ret->error)
		vsbi_send(v, targets, what);
}

const struct vsbi_ext vsbi_ext_ipi = {
	.name = "IPI",
	.eid_first = VSBI_EXT_IPI,
	.eid_last = VSBI_EXT_IPI,
	.handle = ipi_handle,
};

const struct vsbi_ext vsbi_ext_rfence = {
	.name = "RFENCE",
	.eid_first = VSBI_EXT_RFENCE,
	.eid_last = VSBI_EXT_RFENCE,
	.handle = rfence_handle,
};
