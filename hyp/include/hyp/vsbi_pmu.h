/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SBI PMU, per vCPU (hyp/vsbi_pmu.c): what the rest of the hypervisor
 * needs to keep a vCPU's counters its own. Firmware events are counted
 * where they happen through the inline tests below, which cost a vCPU
 * that counts nothing one load and branch; hardware counters follow the
 * vCPU through the world switch (vsbi_pmu_load, vsbi_pmu_save) only if
 * it configured one.
 */
#ifndef HYP_VSBI_PMU_H
#define HYP_VSBI_PMU_H

#include <hyp/types.h>
#include <hyp/vcpu.h>

struct hart;

/* The spec's firmware events (event_idx type 15) that diosix counts. */
#define VSBI_PMU_FW_MISALIGNED_LOAD	0
#define VSBI_PMU_FW_MISALIGNED_STORE	1
#define VSBI_PMU_FW_ACCESS_LOAD		2
#define VSBI_PMU_FW_ACCESS_STORE	3
#define VSBI_PMU_FW_ILLEGAL_INSN	4
#define VSBI_PMU_FW_SET_TIMER		5
#define VSBI_PMU_FW_IPI_SENT		6
#define VSBI_PMU_FW_IPI_RECEIVED	7
#define VSBI_PMU_FW_FENCE_I_SENT	8
#define VSBI_PMU_FW_FENCE_I_RECEIVED	9
#define VSBI_PMU_FW_SFENCE_VMA_SENT	10
#define VSBI_PMU_FW_SFENCE_VMA_RECEIVED	11
#define VSBI_PMU_FW_LAST		21	/* HFENCE_VVMA_ASID_RECEIVED */

/* Counter indices 0 (cycle) and 2 (instret): the hardware ones. */
#define VSBI_PMU_HW_ALL			0x5U

/** Add @n to @v's started firmware counters of @event (slow path). */
void vsbi_pmu_count(struct vcpu *v, unsigned int event, ulong n);
/** The same for the IPI and fences in VCPU_PEND_* @work, sent or received. */
void vsbi_pmu_count_work(struct vcpu *v, unsigned int work, ulong n, bool sent);

/* Count @n of firmware @event for @v, if it counts that event at all. */
static inline void vsbi_pmu_fw(struct vcpu *v, unsigned int event, ulong n)
{
	if (__builtin_expect((v->pmu.fw_events >> event) & 1, 0))
		vsbi_pmu_count(v, event, n);
}

/* Count IPIs and fences (VCPU_PEND_* @work) @v sent to @n vCPUs. */
static inline void vsbi_pmu_sent(struct vcpu *v, unsigned int work, ulong n)
{
	if (__builtin_expect(v->pmu.fw_events != 0, 0))
		vsbi_pmu_count_work(v, work, n, true);
}

/* Count IPIs and fences (VCPU_PEND_* @work) @v received. */
static inline void vsbi_pmu_received(struct vcpu *v, unsigned int work)
{
	if (__builtin_expect(v->pmu.fw_events != 0, 0))
		vsbi_pmu_count_work(v, work, 1, false);
}

/**
 * Switch-in of @v on @h (this hart), called only if @v has a hardware
 * counter configured or @h holds one's values (h->pmu_live): gives the
 * hart its own counters back, then puts @v's in place.
 */
void vsbi_pmu_load(struct hart *h, struct vcpu *v);
/** Switch-out of @v, which has a hardware counter configured. */
void vsbi_pmu_save(struct vcpu *v);

#endif
