// SPDX-License-Identifier: BSD-2-Clause
/*
 * PMU, performance counters (SBI v0.3/v2.0): each vCPU has counters of
 * its own, indexed per vCPU, which no other vCPU or container can read,
 * start or stop.
 *
 * Counter indices, the same in every vCPU: 0 is cycle and 2 is instret
 * (hardware; only where the harts can stop them, i.e. have
 * mcountinhibit: hal_pmu_hw_mask), 1 (time) is no counter, and 3 .. 18
 * are firmware counters. The hardware counters are the hart's mcycle and
 * minstret, loaded with the vCPU's values while it runs, inhibited while
 * it keeps them stopped, readable by its cycle/instret CSRs (mcounteren)
 * only once configured; vCPUs that never configure one see the hart's
 * own counters as before and pay nothing at a switch (vsbi_pmu_load).
 * Firmware counters count the vCPU's own events where they happen
 * (vsbi_pmu.h). The mhpmcounters are not offered: nothing maps a
 * hardware event onto them (QEMU 7.2 gives no event map).
 */
#include <hyp/bits.h>
#include <hyp/hal.h>
#include <hyp/sched.h>
#include <hyp/vsbi.h>
#include <hyp/vsbi_pmu.h>
#include <hyp/vcpu.h>

#define PMU_NUM_COUNTERS	0
#define PMU_GET_INFO		1
#define PMU_CONFIG_MATCHING	2
#define PMU_START		3
#define PMU_STOP		4
#define PMU_FW_READ		5
#define PMU_FW_READ_HI		6
#define PMU_SNAPSHOT_SET_SHMEM	7

#define CFG_SKIP_MATCH		(1UL << 0)
#define CFG_CLEAR_VALUE		(1UL << 1)
#define CFG_AUTO_START		(1UL << 2)
#define CFG_FLAGS		0xffUL	/* 3-7: filter hints, ignored */
#define START_SET_INIT_VALUE	(1UL << 0)
#define START_INIT_SNAPSHOT	(1UL << 1)
#define STOP_RESET		(1UL << 0)
#define STOP_TAKE_SNAPSHOT	(1UL << 1)

#define EVENT_TYPE(e)		(((e) >> 16) & 0xf)
#define EVENT_CODE(e)		((e) & 0xffff)
#define TYPE_HW			0
#define TYPE_CACHE		1
#define TYPE_RAW		2
#define TYPE_RAW_V2		3
#define TYPE_FW			15
#define HW_CPU_CYCLES		1
#define HW_INSTRUCTIONS		2
#define HW_LAST			10	/* REF_CPU_CYCLES */
#define FW_RESERVED_LAST	255	/* 22-255 reserved */

#define CSR_CYCLE		0xc00
#define INFO_WIDTH_64		(63UL << 12)
#define INFO_FW			(1UL << (HYP_XLEN - 1))

#define FIRST_FW		HYP_PMU_HW_COUNTERS
#define NR_COUNTERS		(HYP_PMU_HW_COUNTERS + HYP_PMU_FW_COUNTERS)
#define FW_ALL			(((1U << HYP_PMU_FW_COUNTERS) - 1) << FIRST_FW)

/* The hardware counters vCPUs may have (bit i: counter i). */
static u32 hw_mask(void)
{
	return (u32)hal_pmu_hw_mask() & VSBI_PMU_HW_ALL;
}

static bool counter_valid(ulong idx)
{
	if (idx >= NR_COUNTERS)
		return false;
	return idx >= FIRST_FW || ((hw_mask() >> idx) & 1);
}

/*
 * The counters @base and @mask name, in *@set, or SBI_ERR_INVALID_PARAM
 * if an index is num_counters or more, or none is named. An index below
 * that which is no counter here (1, or cycle and instret where the
 * harts cannot stop them) can match no event and be started or stopped
 * by no one, as it is never configured: Linux names every index below
 * num_counters in config_matching.
 */
static long counter_set(ulong base, ulong mask, u32 *set)
{
	ulong b;

	*set = 0;
	if (!mask)
		return VSBI_ERR_INVALID_PARAM;
	for (b = 0; b < HYP_XLEN && mask >> b; b++) {
		if (!(mask & (1UL << b)))
			continue;
		if (base >= NR_COUNTERS || b >= NR_COUNTERS - base)
			return VSBI_ERR_INVALID_PARAM;
		*set |= 1U << (base + b);
	}
	return VSBI_SUCCESS;
}

static long cache_event(ulong code)
{
	ulong result = code & 1, op = (code >> 1) & 3, id = code >> 3;

	/* 7 caches, 3 operations, 2 results; a valid one is not counted. */
	if (id > 6 || op > 2 || result > 1)
		return VSBI_ERR_INVALID_PARAM;
	return VSBI_ERR_NOT_SUPPORTED;
}

/*
 * The counters that can count @event, in *@can, or the spec's error:
 * SBI_ERR_INVALID_PARAM for an event_idx the spec does not define,
 * SBI_ERR_NOT_SUPPORTED for one that no counter here counts.
 */
static long event_counters(ulong event, u32 *can)
{
	ulong code = EVENT_CODE(event);

	*can = 0;
	if (event >> 20)
		return VSBI_ERR_INVALID_PARAM;
	switch (EVENT_TYPE(event)) {
	case TYPE_HW:
		if (!code || code > HW_LAST)
			return VSBI_ERR_INVALID_PARAM;
		if (code == HW_CPU_CYCLES)
			*can = hw_mask() & (1U << 0);
		else if (code == HW_INSTRUCTIONS)
			*can = hw_mask() & (1U << 2);
		break;
	case TYPE_CACHE:
		return cache_event(code);
	case TYPE_RAW:
	case TYPE_RAW_V2:
		/* Raw events need an event selector: no mhpmcounter is offered. */
		return code ? VSBI_ERR_INVALID_PARAM : VSBI_ERR_NOT_SUPPORTED;
	case TYPE_FW:
		if (code <= VSBI_PMU_FW_LAST)
			*can = FW_ALL;
		else if (code <= FW_RESERVED_LAST)
			return VSBI_ERR_INVALID_PARAM;
		/* Implementation and platform events: none is offered. */
		break;
	default:
		return VSBI_ERR_INVALID_PARAM;
	}
	return *can ? VSBI_SUCCESS : VSBI_ERR_NOT_SUPPORTED;
}

/* Which firmware events @p's started counters count. */
static void fw_events_update(struct vcpu_pmu *p)
{
	u32 ev = 0;
	unsigned int i;

	for (i = 0; i < HYP_PMU_FW_COUNTERS; i++)
		if (p->started & (1U << (FIRST_FW + i)))
			ev |= 1U << p->fw_event[i];
	p->fw_events = ev;
}

static void value_set(struct vcpu_pmu *p, unsigned int idx, u64 val)
{
	if (idx < FIRST_FW)
		p->hw[idx] = val;
	else
		p->fw[idx - FIRST_FW] = val;
}

static long pmu_config(struct vcpu *v, ulong base, ulong mask, ulong flags,
		       ulong event, ulong *out)
{
	struct vcpu_pmu *p = &v->pmu;
	u32 set, can, pick;
	unsigned int idx;
	long rc = counter_set(base, mask, &set);

	if (rc)
		return rc;
	if (flags & ~CFG_FLAGS)
		return VSBI_ERR_INVALID_PARAM;
	rc = event_counters(event, &can);
	if (rc)
		return rc;
	/* SKIP_MATCH: "unconditionally select the first counter" of the set. */
	if (flags & CFG_SKIP_MATCH)
		pick = set & can & (set & -set);
	else
		pick = set & can & ~p->mapped & ~p->started;
	if (!pick)
		return VSBI_ERR_NOT_SUPPORTED;
	idx = hyp_ctz64(pick);
	p->mapped |= 1U << idx;
	if (idx >= FIRST_FW)
		p->fw_event[idx - FIRST_FW] = (u8)EVENT_CODE(event);
	if (flags & CFG_CLEAR_VALUE)
		value_set(p, idx, 0);
	if (flags & CFG_AUTO_START)
		p->started |= 1U << idx;
	*out = idx;
	return VSBI_SUCCESS;
}

static long pmu_start(struct vcpu *v, ulong base, ulong mask, ulong flags,
		      u64 value)
{
	struct vcpu_pmu *p = &v->pmu;
	u32 set, left;
	long rc = counter_set(base, mask, &set);

	if (rc)
		return rc;
	if (flags & ~(START_SET_INIT_VALUE | START_INIT_SNAPSHOT))
		return VSBI_ERR_INVALID_PARAM;
	/* No snapshot memory can have been given (snapshot_set_shmem). */
	if (flags & START_INIT_SNAPSHOT)
		return VSBI_ERR_NO_SHMEM;
	if (set & ~p->mapped)
		return VSBI_ERR_INVALID_PARAM;
	if (set & p->started)
		return VSBI_ERR_ALREADY_STARTED;
	for (left = set; (flags & START_SET_INIT_VALUE) && left; left &= left - 1)
		value_set(p, hyp_ctz64(left), value);
	p->started |= set;
	return VSBI_SUCCESS;
}

/*
 * A counter already stopped makes the answer SBI_ERR_ALREADY_STOPPED,
 * but the others stop and, with RESET, all are released all the same:
 * Linux stops with RESET to release a counter it may have stopped.
 */
static long pmu_stop(struct vcpu *v, ulong base, ulong mask, ulong flags)
{
	struct vcpu_pmu *p = &v->pmu;
	u32 set;
	long rc = counter_set(base, mask, &set);

	if (rc)
		return rc;
	if (flags & ~(STOP_RESET | STOP_TAKE_SNAPSHOT))
		return VSBI_ERR_INVALID_PARAM;
	if (flags & STOP_TAKE_SNAPSHOT)
		return VSBI_ERR_NO_SHMEM;
	if (set & ~p->mapped)
		return VSBI_ERR_INVALID_PARAM;
	rc = (set & ~p->started) ? VSBI_ERR_ALREADY_STOPPED : VSBI_SUCCESS;
	p->started &= ~set;
	if (flags & STOP_RESET)
		p->mapped &= ~set;
	return rc;
}

static long pmu_fw_read(const struct vcpu *v, ulong idx, bool hi, ulong *out)
{
	u64 val;

	if (idx < FIRST_FW || idx >= NR_COUNTERS || !(v->pmu.mapped & (1U << idx)))
		return VSBI_ERR_INVALID_PARAM;
	val = v->pmu.fw[idx - FIRST_FW];
	if (!hi)
		*out = (ulong)val;
	else
		*out = HYP_XLEN == 32 ? (ulong)(val >> 32) : 0;
	return VSBI_SUCCESS;
}

static long pmu_info(ulong idx, ulong *out)
{
	if (!counter_valid(idx))
		return VSBI_ERR_INVALID_PARAM;
	if (idx < FIRST_FW)
		*out = (CSR_CYCLE + idx) | INFO_WIDTH_64;
	else
		*out = INFO_FW | INFO_WIDTH_64;
	return VSBI_SUCCESS;
}

/* --- the vCPU's hardware counters on its hart ----------------------------- */

void vsbi_pmu_save(struct vcpu *v)
{
	u32 hw = hw_mask();
	unsigned int i;

	for (i = 0; i < HYP_PMU_HW_COUNTERS; i++)
		if ((hw >> i) & 1)
			v->pmu.hw[i] = hal_pmu_read(i);
}

/*
 * While a vCPU's counters are on the hart, the hart's own value of
 * counter i is what it reads plus h->pmu_off[i]: put back when the hart
 * goes to a vCPU without hardware counters, so those see the hart's own
 * counters, never another vCPU's. The counters the vCPU keeps stopped
 * are inhibited before its values are written, so they never move.
 */
void vsbi_pmu_load(struct hart *h, struct vcpu *v)
{
	u32 hw = hw_mask(), want = v->pmu.mapped & hw;
	unsigned int i;

	if (h->pmu_live) {
		for (i = 0; i < HYP_PMU_HW_COUNTERS; i++)
			if ((hw >> i) & 1)
				hal_pmu_write(i, hal_pmu_read(i) + h->pmu_off[i]);
		h->pmu_live = false;
	}
	if (!want) {
		hal_pmu_control(hw, hw);
		return;
	}
	hal_pmu_control(v->pmu.started & want, want);
	for (i = 0; i < HYP_PMU_HW_COUNTERS; i++) {
		if (!((hw >> i) & 1))
			continue;
		h->pmu_off[i] = hal_pmu_read(i) - v->pmu.hw[i];
		hal_pmu_write(i, v->pmu.hw[i]);
	}
	h->pmu_live = true;
}

/* --- firmware events ------------------------------------------------------ */

void vsbi_pmu_count(struct vcpu *v, unsigned int event, ulong n)
{
	struct vcpu_pmu *p = &v->pmu;
	unsigned int i;

	for (i = 0; i < HYP_PMU_FW_COUNTERS; i++)
		if ((p->started & (1U << (FIRST_FW + i))) && p->fw_event[i] == event)
			p->fw[i] += n;
}

void vsbi_pmu_count_work(struct vcpu *v, unsigned int work, ulong n, bool sent)
{
	unsigned int d = sent ? 0 : 1;

	if (work & VCPU_PEND_SSIP)
		vsbi_pmu_fw(v, VSBI_PMU_FW_IPI_SENT + d, n);
	if (work & VCPU_PEND_FENCE_I)
		vsbi_pmu_fw(v, VSBI_PMU_FW_FENCE_I_SENT + d, n);
	if (work & VCPU_PEND_SFENCE)
		vsbi_pmu_fw(v, VSBI_PMU_FW_SFENCE_VMA_SENT + d, n);
}

/* --- the extension -------------------------------------------------------- */

/* a[@i], a[@i + 1] as one 64-bit argument: two registers on rv32. */
static u64 arg64(const ulong *a, unsigned int i)
{
	if (HYP_XLEN == 32)
		return ((u64)a[i + 1] << 32) | a[i];
	return a[i];
}

/*
 * Configuring, starting or stopping changes which hardware counters the
 * vCPU has on this hart: take their values, then put them back as now
 * configured (the same path as a switch-in).
 */
static void pmu_change(struct vcpu *v, u32 fid, const ulong *a, struct vsbi_ret *ret)
{
	struct hart *h = this_hart();

	if (h->pmu_live)
		vsbi_pmu_save(v);
	if (fid == PMU_CONFIG_MATCHING)
		ret->error = pmu_config(v, a[0], a[1], a[2], a[3], &ret->value);
	else if (fid == PMU_START)
		ret->error = pmu_start(v, a[0], a[1], a[2], arg64(a, 3));
	else
		ret->error = pmu_stop(v, a[0], a[1], a[2]);
	fw_events_update(&v->pmu);
	if ((v->pmu.mapped & VSBI_PMU_HW_ALL) || h->pmu_live)
		vsbi_pmu_load(h, v);
}

static void pmu_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
		       struct vsbi_ret *ret)
{
	(void)eid;
	switch (fid) {
	case PMU_NUM_COUNTERS:
		ret->error = VSBI_SUCCESS;
		ret->value = NR_COUNTERS;
		break;
	case PMU_GET_INFO:
		ret->error = pmu_info(a[0], &ret->value);
		break;
	case PMU_CONFIG_MATCHING:
	case PMU_START:
	case PMU_STOP:
		pmu_change(v, fid, a, ret);
		break;
	case PMU_FW_READ:
	case PMU_FW_READ_HI:
		ret->error = pmu_fw_read(v, a[0], fid == PMU_FW_READ_HI, &ret->value);
		break;
	default:
		/* snapshot_set_shmem is optional: "not available" (-2). */
		ret->error = VSBI_ERR_NOT_SUPPORTED;
	}
}

const struct vsbi_ext vsbi_ext_pmu = {
	.name = "PMU",
	.eid_first = VSBI_EXT_PMU,
	.eid_last = VSBI_EXT_PMU,
	.handle = pmu_handle,
};
