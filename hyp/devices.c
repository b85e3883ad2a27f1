// SPDX-License-Identifier: BSD-2-Clause
/*
 * Device interrupts and the virtual PLIC at run time.
 *
 * The physical PLIC is the hypervisor's: a device's source is enabled
 * for one hart's M-mode context (the platform picks it) while its owner
 * runs. When it fires, that hart claims it and marks it pending in the
 * owner's virtual PLIC, and does not complete it: the physical gateway
 * stays closed, so a level-triggered device cannot interrupt again, until
 * the guest completes the virtual claim; only then is the physical
 * source completed. The vCPUs whose virtual line moved are told
 * (sched_notify with VCPU_PEND_EXT): one running here gets mip.SEIP at
 * once, one running elsewhere is kicked, one blocked in WFI with SEIE set
 * is woken, one queued picks the line up when it next runs.
 *
 * A guest reaches its virtual PLIC at the board's PLIC address, where it
 * has no PMP grant: every access faults to M-mode (load and store access
 * faults are not delegated to S-mode) and is emulated here.
 */
#include <hyp/container.h>
#include <hyp/devices.h>
#include <hyp/hal.h>
#include <hyp/gpt.h>
#include <hyp/manifest.h>
#include <hyp/mmio.h>
#include <hyp/sched.h>
#include <hyp/string.h>
#include <hyp/vcpu.h>
#include <hyp/vplic.h>

static const struct board *board;
/* Which container owns each PLIC source; fixed at boot. */
static struct container *irq_owner[VPLIC_MAX_SRC];

void devices_init(const struct board *b)
{
	unsigned int i, j, k;

	board = b;
	hyp_memset(irq_owner, 0, sizeof(irq_owner));
	for (i = 0; b && i < hyp_nr_containers; i++) {
		struct container *c = &hyp_containers[i];
		const struct manifest_ctr *s = c->spec;

		for (j = 0; j < s->nr_devices; j++)
			for (k = 0; k < s->dev[j].nirqs; k++)
				irq_owner[s->dev[j].irq[k]] = c;
	}
}

const struct board *devices_board(void)
{
	return board;
}

static bool has_vplic(const struct container *c)
{
	return board && c->spec->nr_devices;
}

/* Each source of @c's devices, in turn. */
#define for_each_irq(c, j, k, src)					\
	for (j = 0; j < (c)->spec->nr_devices; j++)			\
		for (k = 0; k < (c)->spec->dev[j].nirqs &&		\
			    ((src) = (c)->spec->dev[j].irq[k], 1); k++)

/* Tell the vCPUs whose line moved; complete what the guest completed. */
static void apply(struct container *c, const struct vplic_effect *e)
{
	struct vcpu *cur = this_hart()->current;
	unsigned int i;

	if (e->completed)
		hal_irq_complete(e->completed);
	for (i = 0; i < c->nr_vcpus; i++) {
		struct vcpu *v = &c->vcpus[i];

		if (!((e->changed[i / 32] >> (i % 32)) & 1))
			continue;
		if (v == cur)
			devices_vcpu_sync(v);
		else
			sched_notify(v, VCPU_PEND_EXT);
	}
}

void devices_start(struct container *c)
{
	unsigned int j, k, src;

	if (!has_vplic(c))
		return;
	hyp_lock(&c->vplic.lock);
	vplic_reset(&c->vplic, board->plic_ndev + 1, c->nr_vcpus);
	c->devices_live = true;
	hyp_unlock(&c->vplic.lock);
	for_each_irq(c, j, k, src)
		hal_irq_enable(src, true);
}

void devices_stop(struct container *c)
{
	unsigned int j, k, src;

	if (!has_vplic(c))
		return;
	for_each_irq(c, j, k, src)
		hal_irq_enable(src, false);
	hyp_lock(&c->vplic.lock);
	c->devices_live = false;
	/* Claimed and never completed by the guest: its gateway reopens. */
	for_each_irq(c, j, k, src)
		if ((c->vplic.active[src / 32] >> (src % 32)) & 1)
			hal_irq_complete(src);
	vplic_reset(&c->vplic, board->plic_ndev + 1, c->nr_vcpus);
	hyp_unlock(&c->vplic.lock);
}

static void route(unsigned int src)
{
	struct container *c = src < VPLIC_MAX_SRC ? irq_owner[src] : NULL;
	struct vplic_effect e = { 0 };
	bool raised = false;

	if (c) {
		hyp_lock(&c->vplic.lock);
		if (c->devices_live)
			raised = vplic_raise(&c->vplic, src, &e);
		hyp_unlock(&c->vplic.lock);
	}
	/* Nobody's, or its owner stopped meanwhile: masked, so done with. */
	if (!raised) {
		hal_irq_complete(src);
		return;
	}
	apply(c, &e);
}

void devices_ext_irq(void)
{
	unsigned int src;

	while ((src = hal_irq_claim()))
		route(src);
}

bool devices_vcpu_eip(const struct vcpu *v)
{
	return has_vplic(v->ctr) && vplic_eip(&v->ctr->vplic, v->id);
}

void devices_vcpu_sync(struct vcpu *v)
{
	if (devices_vcpu_eip(v))
		hal_guest_sip(HYP_MIP_SEIP, 0);
	else
		hal_guest_sip(0, HYP_MIP_SEIP);
}

/* Sign- or zero-extend a 32-bit load into a register. */
static ulong load_value(u32 val, const struct mmio_access *a)
{
	if (a->sign)
		return (ulong)(long)(s32)val;
	return val;
}

bool devices_mmio(struct vcpu *v, struct hyp_frame *f)
{
	struct container *c = v->ctr;
	struct vplic_effect e = { 0 };
	struct mmio_access a;
	ulong insn;
	u64 pa, off;

	/*
	 * mtval is the guest's virtual address: the hart translated it and
	 * only then did PMP refuse it, so the guest's own table maps it.
	 */
	if (!has_vplic(c) || hyp_frame_mpp(f) != HYP_PRV_S ||
	    gpt_load_addr(c, hal_guest_satp(), f->regs.mstatus, f->trap.tval, &pa) ||
	    pa < board->plic_base)
		return false;
	off = pa - board->plic_base;
	if (off >= VPLIC_SIZE(c->nr_vcpus))
		return false;
	/* Only 32-bit and aligned: else a real fault. */
	if (off & 3 || hal_guest_insn(f->regs.mepc, &insn) ||
	    mmio_decode(insn, HYP_XLEN, &a) || a.width != 4 ||
	    a.store != (f->trap.cause == HYP_EXC_STORE_ACCESS))
		return false;
	hyp_lock(&c->vplic.lock);
	if (a.store)
		vplic_write(&c->vplic, off, (u32)f->regs.x[a.reg], &e);
	else if (a.reg)
		f->regs.x[a.reg] = load_value(vplic_read(&c->vplic, off, &e), &a);
	else
		vplic_read(&c->vplic, off, &e);
	hyp_unlock(&c->vplic.lock);
	f->regs.mepc += a.len;
	apply(c, &e);
	return true;
}
