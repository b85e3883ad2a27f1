// SPDX-License-Identifier: BSD-2-Clause
/*
 * HSM on virtual harts, following the specification's state machine.
 * Hart ids are the container's own (0 .. n-1); start and resume addresses
 * must lie in the container's RAM.
 */
#include <hyp/container.h>
#include <hyp/hal.h>
#include <hyp/vsbi.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>

enum {
	HSM_HART_START,
	HSM_HART_STOP,
	HSM_HART_GET_STATUS,
	HSM_HART_SUSPEND,
};

enum {
	HSM_STARTED,
	HSM_STOPPED,
	HSM_START_PENDING,
	HSM_STOP_PENDING,
	HSM_SUSPENDED,
};

#define SUSPEND_RETENTIVE	0x00000000UL
#define SUSPEND_NON_RETENTIVE	0x80000000UL

/* Stopped, but its hart has not let go of it yet. */
static bool still_on_hart(const struct vcpu *v)
{
	return v->hart >= 0 && hyp_harts[v->hart].current == v;
}

/* Caller holds sched_lock: state, block and start_pending move together. */
static long hsm_status_locked(const struct vcpu *t)
{
	switch (t->state) {
	case VCPU_STOPPED:
		return still_on_hart(t) ? HSM_STOP_PENDING : HSM_STOPPED;
	case VCPU_BLOCKED:
		return t->block == BLOCK_WFI ? HSM_STARTED : HSM_SUSPENDED;
	default:
		return t->start_pending ? HSM_START_PENDING : HSM_STARTED;
	}
}

static long hsm_status(const struct vcpu *t)
{
	long status;

	hyp_lock(&sched_lock);
	status = hsm_status_locked(t);
	hyp_unlock(&sched_lock);
	return status;
}

static long hsm_start(struct vcpu *v, ulong hartid, ulong addr, ulong opaque)
{
	struct container *c = v->ctr;
	struct vcpu *t;
	long rc = VSBI_SUCCESS;

	if (hartid >= c->nr_vcpus)
		return VSBI_ERR_INVALID_PARAM;
	if (!container_owns(c, addr, 4))
		return VSBI_ERR_INVALID_ADDRESS;
	t = &c->vcpus[hartid];
	hyp_lock(&sched_lock);
	if (t->state != VCPU_STOPPED || still_on_hart(t) || c->state != CTR_RUNNING) {
		rc = VSBI_ERR_ALREADY_AVAILABLE;
	} else {
		vcpu_reset(t, addr, hartid, opaque);
		c->active_vcpus++;
		sched_wake_locked(t);
	}
	hyp_unlock(&sched_lock);
	return rc;
}

static void hsm_stop(struct vcpu *v)
{
	struct container *c = v->ctr;

	hyp_lock(&sched_lock);
	/*
	 * With no other hart left running, nothing could ever start one
	 * again: the container stops, and the caller finishes that stop
	 * when it leaves its hart, like any vCPU of a stopping container.
	 */
	if (c->active_vcpus == 1) {
		container_stop_locked(c, CTR_STOP_SHUTDOWN);
	} else {
		v->state = VCPU_STOPPED;
		c->active_vcpus--;
	}
	hyp_unlock(&sched_lock);
}

static bool suspend_type_ok(ulong type)
{
	return type == SUSPEND_RETENTIVE || type == SUSPEND_NON_RETENTIVE;
}

void vsbi_suspend(struct vcpu *v, bool nonret, ulong addr, ulong opaque,
		  struct vsbi_ret *ret)
{
	struct hyp_regs *r = &v->frame.regs;

	/* Results go in before the vCPU can be woken and run elsewhere. */
	ret->keep_regs = true;
	r->x[HYP_REG_A0] = VSBI_SUCCESS;
	r->x[HYP_REG_A1] = 0;
	v->resume_addr = addr;
	v->resume_opaque = opaque;
	if (sched_block(v, nonret ? BLOCK_SUSPEND_NONRET : BLOCK_SUSPEND) || !nonret)
		return;
	/* An interrupt was already pending: resume at once, but fresh. */
	r->mepc = addr;
	r->x[HYP_REG_A0] = v->id;
	r->x[HYP_REG_A1] = opaque;
	r->mstatus &= ~HYP_MSTATUS_SIE;
	v->csr.satp = 0;
	hal_vcpu_load(v);	/* sched_block saved it: reload with satp off */
}

static void hsm_suspend(struct vcpu *v, const ulong *a, struct vsbi_ret *ret)
{
	bool nonret = a[0] == SUSPEND_NON_RETENTIVE;

	if (!suspend_type_ok(a[0])) {
		ret->error = VSBI_ERR_INVALID_PARAM;
		return;
	}
	if (nonret && !container_owns(v->ctr, a[1], 4)) {
		ret->error = VSBI_ERR_INVALID_ADDRESS;
		return;
	}
	vsbi_suspend(v, nonret, a[1], a[2], ret);
}

bool vsbi_others_stopped(const struct vcpu *v)
{
	const struct container *c = v->ctr;
	unsigned int i;
	bool all = true;

	hyp_lock(&sched_lock);
	for (i = 0; i < c->nr_vcpus && all; i++)
		if (&c->vcpus[i] != v)
			all = hsm_status_locked(&c->vcpus[i]) == HSM_STOPPED;
	hyp_unlock(&sched_lock);
	return all;
}

static void hsm_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
		       struct vsbi_ret *ret)
{
	(void)eid;
	ret->error = VSBI_SUCCESS;
	switch (fid) {
	case HSM_HART_START:
		ret->error = hsm_start(v, a[0], a[1], a[2]);
		break;
	case HSM_HART_STOP:
		hsm_stop(v);
		ret->keep_regs = true;	/* it never returns */
		break;
	case HSM_HART_GET_STATUS:
		if (a[0] >= v->ctr->nr_vcpus)
			ret->error = VSBI_ERR_INVALID_PARAM;
		else
			ret->value = (ulong)hsm_status(&v->ctr->vcpus[a[0]]);
		break;
	case HSM_HART_SUSPEND:
		hsm_suspend(v, a, ret);
		break;
	default:
		ret->error = VSBI_ERR_NOT_SUPPORTED;
	}
}

/* hart_suspend(uint32_t suspend_type, ...) */
static const u8 hsm_arg32[] = { [HSM_HART_SUSPEND] = VSBI_ARG32(0) };

const struct vsbi_ext vsbi_ext_hsm = {
	.name = "HSM",
	.eid_first = VSBI_EXT_HSM,
	.eid_last = VSBI_EXT_HSM,
	.handle = hsm_handle,
	.arg32 = hsm_arg32,
	.nr_arg32 = HYP_ARRAY_SIZE(hsm_arg32),
};
