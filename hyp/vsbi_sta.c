// SPDX-License-Identifier: BSD-2-Clause
/*
 * STA, steal-time accounting (SBI v2.0 chapter 16): each vCPU may give
 * 64 bytes of its container's RAM where the hypervisor reports how long
 * the vCPU was runnable but held off its hart (a time-sliced hart ran
 * someone else), so the guest's scheduler can account for time it did
 * not get. Only a hypervisor can give this: a time-sliced vCPU has no
 * way to tell stolen time from its own.
 *
 * The scheduler (sched.c) measures: a vCPU's wait starts when it is
 * queued (woken, started or preempted) and ends when it is switched in,
 * where vsbi_sta_record() writes the total. Time blocked (WFI, suspend)
 * is idle, not stolen, and nothing is written while the vCPU cannot run,
 * as the spec asks.
 */
#include <hyp/container.h>
#include <hyp/hal.h>
#include <hyp/ticks.h>
#include <hyp/vsbi.h>
#include <hyp/vcpu.h>

#define STA_SET_SHMEM		0
#define STA_SHMEM_SIZE		64
/* The shared memory's fields (little-endian, as RISC-V is). */
#define STA_OFF_SEQUENCE	0
#define STA_OFF_STEAL		8
#define STA_OFF_PREEMPTED	16

static volatile u8 *sta_mem(const struct vcpu *v)
{
	return hal_phys(v->sta_shmem);
}

/*
 * The sequence is odd while steal changes, so a reader that sees the
 * same even value before and after its read has a whole one.
 */
void vsbi_sta_record(struct vcpu *v)
{
	volatile u8 *m = sta_mem(v);
	volatile u32 *seq = (volatile u32 *)(m + STA_OFF_SEQUENCE);
	volatile u32 *steal = (volatile u32 *)(m + STA_OFF_STEAL);
	u64 ns = hyp_ticks_to_ns(v->sta_steal);

	*seq = *seq + 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* Two words: a 32-bit guest cannot read it whole anyway. */
	steal[0] = (u32)ns;
	steal[1] = (u32)(ns >> 32);
	m[STA_OFF_PREEMPTED] = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*seq = *seq + 1;
}

void vsbi_sta_preempted(struct vcpu *v)
{
	sta_mem(v)[STA_OFF_PREEMPTED] = 1;
}

static long sta_set_shmem(struct vcpu *v, ulong lo, ulong hi, ulong flags)
{
	volatile u8 *m;
	unsigned int i;

	if (flags)
		return VSBI_ERR_INVALID_PARAM;
	if (lo == ~0UL && hi == ~0UL) {
		v->sta_shmem = ~0ULL;
		return VSBI_SUCCESS;
	}
	if (lo % STA_SHMEM_SIZE)
		return VSBI_ERR_INVALID_PARAM;
	/* Above XLEN bits (hi != 0) is never the container's RAM. */
	if (hi || !container_owns(v->ctr, lo, STA_SHMEM_SIZE))
		return VSBI_ERR_INVALID_ADDRESS;
	v->sta_shmem = lo;
	v->sta_steal = 0;
	m = sta_mem(v);
	for (i = 0; i < STA_SHMEM_SIZE; i++)
		m[i] = 0;
	return VSBI_SUCCESS;
}

static void sta_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
		       struct vsbi_ret *ret)
{
	(void)eid;
	if (fid != STA_SET_SHMEM) {
		ret->error = VSBI_ERR_NOT_SUPPORTED;
		return;
	}
	ret->error = sta_set_shmem(v, a[0], a[1], a[2]);
}

const struct vsbi_ext vsbi_ext_sta = {
	.name = "STA",
	.eid_first = VSBI_EXT_STA,
	.eid_last = VSBI_EXT_STA,
	.handle = sta_handle,
};
