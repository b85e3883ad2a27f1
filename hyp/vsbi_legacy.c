// SPDX-License-Identifier: BSD-2-Clause
/*
 * The SBI v0.1 calls. Linux 6.1's hvc0 and earlycon use only putchar and
 * getchar, and getchar must answer -1 at once when no input is waiting,
 * since hvc0 polls it.
 */
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/gpt.h>
#include <hyp/hal.h>
#include <hyp/vsbi.h>
#include <hyp/vcpu.h>

/*
 * v0.1 hart masks are pointers to a word in the guest's virtual address
 * space. The hypervisor walks the guest's page table and reads the word
 * only where the container's RAM holds it (table entries included), as
 * DBCN buffers are checked, so the answer never depends on what the
 * PMP implementation lets an M-mode access through.
 */
static int legacy_read_mask(struct vcpu *v, ulong ptr, ulong *mask)
{
	u64 pa;

	if (ptr & (sizeof(ulong) - 1))
		return -1;
	if (gpt_load_addr(v->ctr, hal_guest_satp(), v->frame.regs.mstatus, ptr, &pa) ||
	    !container_owns(v->ctr, pa, sizeof(ulong)))
		return -1;
	*mask = *(const volatile ulong *)hal_phys(pa);
	return 0;
}

static long legacy_mask(struct vcpu *v, ulong ptr, u64 *targets)
{
	ulong mask;

	if (!ptr)
		return vsbi_hart_mask(v, 0, -1UL, targets);
	if (legacy_read_mask(v, ptr, &mask))
		return VSBI_ERR_INVALID_ADDRESS;
	/* v0.1 defines no error for harts that do not exist: ignore them. */
	if (v->ctr->nr_vcpus < HYP_XLEN)
		mask &= (1UL << v->ctr->nr_vcpus) - 1;
	return vsbi_hart_mask(v, mask, 0, targets);
}

static long legacy_send(struct vcpu *v, ulong ptr, unsigned int what)
{
	u64 targets;
	long rc = legacy_mask(v, ptr, &targets);

	if (!rc)
		vsbi_send(v, targets, what);
	return rc;
}

static void legacy_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
			  struct vsbi_ret *ret)
{
	(void)fid;
	ret->error = VSBI_SUCCESS;
	switch (eid) {
	case VSBI_EXT_LEGACY_SET_TIMER:
		vsbi_set_timer(v, HYP_XLEN == 32 ? ((u64)a[1] << 32) | a[0] : a[0]);
		break;
	case VSBI_EXT_LEGACY_PUTCHAR:
		vcons_putc(&v->ctr->cons, (char)(a[0] & 0xff));
		break;
	case VSBI_EXT_LEGACY_GETCHAR:
		ret->error = console_getc_for(v->ctr);
		break;
	case VSBI_EXT_LEGACY_CLEAR_IPI:
		/* v0.1: a positive value if an IPI was pending, else 0. */
		ret->error = (hal_guest_sip(0, HYP_MIP_SSIP) & HYP_MIP_SSIP) ? 1 : 0;
		break;
	case VSBI_EXT_LEGACY_SEND_IPI:
		ret->error = legacy_send(v, a[0], VCPU_PEND_SSIP);
		break;
	case VSBI_EXT_LEGACY_FENCE_I:
		ret->error = legacy_send(v, a[0], VCPU_PEND_FENCE_I);
		break;
	case VSBI_EXT_LEGACY_SFENCE_VMA:
	case VSBI_EXT_LEGACY_SFENCE_ASID:
		ret->error = legacy_send(v, a[0], VCPU_PEND_SFENCE);
		break;
	case VSBI_EXT_LEGACY_SHUTDOWN:
		vsbi_srst_stop(v, 0, 0);
		break;
	default:
		ret->error = VSBI_ERR_NOT_SUPPORTED;
	}
}

/* Of the v0.1 range, only the calls that exist (the spec lets them probe
 * non-zero); 0x09-0x0F answer -2 and probe 0. */
static long legacy_probe(ulong eid)
{
	return eid <= VSBI_EXT_LEGACY_SHUTDOWN;
}

const struct vsbi_ext vsbi_ext_legacy = {
	.name = "legacy",
	.eid_first = VSBI_EXT_LEGACY_SET_TIMER,
	.eid_last = VSBI_EXT_LEGACY_LAST,
	.probe = legacy_probe,
	.handle = legacy_handle,
	.a0_only = true,
};
