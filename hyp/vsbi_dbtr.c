// SPDX-License-Identifier: BSD-2-Clause
/*
 * DBTR, debug triggers (SBI v3.0): S-mode software asks for the hart's
 * Sdtrig triggers, which only M-mode can program. For a guest the hart
 * is its vCPU, so the triggers are the vCPU's: kept in struct vcpu,
 * written to the hart while the vCPU runs there (vsbi_dbtr_load at
 * switch-in, only for vCPUs that have some, or to clear what one left),
 * reset with the vCPU, and never armed while any other vCPU runs.
 *
 * trig_max is the hart's triggers (hal_dbtr_count); trig_idx is the
 * hardware trigger's index, so a chain would stay contiguous. Triggers
 * of type 2 (mcontrol) and 6 (mcontrol6) with action 0 (breakpoint
 * exception) are offered: the others can watch or act on M-mode.
 * dmode and m must be 0: the vCPU's triggers never fire in M-mode,
 * where the hypervisor runs. Chains and tdata3 (textra) are not
 * offered: SBI_ERR_NOT_SUPPORTED.
 */
#include <hyp/container.h>
#include <hyp/hal.h>
#include <hyp/sched.h>
#include <hyp/vsbi.h>
#include <hyp/vcpu.h>

#define DBTR_NUM_TRIGGERS	0
#define DBTR_SET_SHMEM		1
#define DBTR_READ		2
#define DBTR_INSTALL		3
#define DBTR_UPDATE		4
#define DBTR_UNINSTALL		5
#define DBTR_ENABLE		6
#define DBTR_DISABLE		7

/* One shared memory entry: four XLEN-bit words. */
#define DBTR_WORDS		4
#define DBTR_ENTRY		(DBTR_WORDS * sizeof(ulong))

/* tdata1, for types 2 and 6 alike except where named. */
#define TDATA1_TYPE(t)		((t) >> (HYP_XLEN - 4))
#define TDATA1_DMODE		(1UL << (HYP_XLEN - 5))
#define TDATA1_ACTION		(0xfUL << 12)
#define TDATA1_CHAIN		(1UL << 11)
#define TDATA1_M		(1UL << 6)
#define TDATA1_S		(1UL << 4)
#define TDATA1_U		(1UL << 3)
#define MC6_VS			(1UL << 24)
#define MC6_VU			(1UL << 23)
#define TYPE_MCONTROL		2
#define TYPE_MCONTROL6		6

/* trig_state */
#define TS_MAPPED		(1UL << 0)
#define TS_U			(1UL << 1)
#define TS_S			(1UL << 2)
#define TS_VU			(1UL << 3)
#define TS_VS			(1UL << 4)
#define TS_HAVE_HW		(1UL << 5)
#define TS_HW_IDX_SHIFT		8

static unsigned int trig_max(void)
{
	unsigned int n = hal_dbtr_count();

	return n < HYP_DBTR_MAX ? n : HYP_DBTR_MAX;
}

/* The tdata1 bits that say in which modes a trigger of this type fires. */
static ulong enable_bits(ulong tdata1)
{
	if (TDATA1_TYPE(tdata1) == TYPE_MCONTROL6)
		return MC6_VS | MC6_VU | TDATA1_S | TDATA1_U;
	return TDATA1_S | TDATA1_U;
}

/* trig_state's copy of the enable bits of @tdata1. */
static ulong state_bits(ulong tdata1)
{
	ulong s = 0;

	if (tdata1 & TDATA1_U)
		s |= TS_U;
	if (tdata1 & TDATA1_S)
		s |= TS_S;
	if (TDATA1_TYPE(tdata1) == TYPE_MCONTROL6) {
		if (tdata1 & MC6_VU)
			s |= TS_VU;
		if (tdata1 & MC6_VS)
			s |= TS_VS;
	}
	return s;
}

/* The enable bits trig_state saved, back in tdata1's places. */
static ulong saved_bits(const struct vcpu_trig *t)
{
	ulong b = 0;

	if (t->state & TS_U)
		b |= TDATA1_U;
	if (t->state & TS_S)
		b |= TDATA1_S;
	if (t->state & TS_VU)
		b |= MC6_VU;
	if (t->state & TS_VS)
		b |= MC6_VS;
	return b;
}

static void trig_write(const struct vcpu *v, unsigned int idx)
{
	const struct vcpu_trig *t = &v->dbtr[idx];

	if (v->dbtr_mapped & (1U << idx))
		hal_dbtr_write(idx, t->tdata1, t->tdata2, t->tdata3);
	else
		hal_dbtr_write(idx, 0, 0, 0);
}

void vsbi_dbtr_load(struct vcpu *v)
{
	unsigned int i, n = trig_max();

	for (i = 0; i < n; i++)
		trig_write(v, i);
	this_hart()->dbtr_live = v->dbtr_mapped != 0;
}

/* A trigger @v changed, on the hart it runs on now. */
static void trig_changed(struct vcpu *v, unsigned int idx)
{
	trig_write(v, idx);
	if (v->dbtr_mapped)
		this_hart()->dbtr_live = true;
}

/*
 * 0 if a guest may have a trigger of @tdata1 and @tdata3, else the
 * spec's error: dmode and m must be 0 (the spec), action must be a
 * breakpoint exception (the other actions are debug mode and trace).
 */
static long trig_check(ulong tdata1, ulong tdata3)
{
	ulong type = TDATA1_TYPE(tdata1);

	if (type != TYPE_MCONTROL && type != TYPE_MCONTROL6)
		return VSBI_ERR_NOT_SUPPORTED;
	if (tdata1 & (TDATA1_DMODE | TDATA1_M | TDATA1_ACTION))
		return VSBI_ERR_INVALID_PARAM;
	if ((tdata1 & TDATA1_CHAIN) || tdata3)
		return VSBI_ERR_NOT_SUPPORTED;
	return VSBI_SUCCESS;
}

static volatile ulong *shmem_entry(const struct vcpu *v, ulong i)
{
	return (volatile ulong *)hal_phys(v->dbtr_shmem + i * DBTR_ENTRY);
}

static long dbtr_set_shmem(struct vcpu *v, ulong lo, ulong hi, ulong flags)
{
	u64 size = (u64)trig_max() * DBTR_ENTRY;

	if (flags)
		return VSBI_ERR_INVALID_PARAM;
	if (lo == ~0UL && hi == ~0UL) {
		v->dbtr_shmem = ~0ULL;
		return VSBI_SUCCESS;
	}
	if (lo % sizeof(ulong))
		return VSBI_ERR_INVALID_PARAM;
	/* Above XLEN bits (hi != 0) is never the container's RAM. */
	if (hi || !container_owns(v->ctr, lo, size ? size : 1))
		return VSBI_ERR_INVALID_ADDRESS;
	v->dbtr_shmem = lo;
	return VSBI_SUCCESS;
}

/* Whether [base, base + count) are trigger indices. */
static bool in_range(ulong base, ulong count)
{
	ulong n = trig_max();

	return base < n && count <= n - base;
}

static long dbtr_read(struct vcpu *v, ulong base, ulong count)
{
	volatile ulong *e;
	ulong i;

	if (v->dbtr_shmem == ~0ULL)
		return VSBI_ERR_NO_SHMEM;
	if (!in_range(base, count))
		return VSBI_ERR_BAD_RANGE;
	for (i = 0; i < count; i++) {
		const struct vcpu_trig *t = &v->dbtr[base + i];
		bool mapped = v->dbtr_mapped & (1U << (base + i));

		e = shmem_entry(v, i);
		e[0] = mapped ? t->state : 0;
		e[1] = mapped ? t->tdata1 : 0;
		e[2] = mapped ? t->tdata2 : 0;
		e[3] = mapped ? t->tdata3 : 0;
	}
	return VSBI_SUCCESS;
}

/* The lowest free trigger of @tdata1's type not in @taken, or -1. */
static int trig_alloc(const struct vcpu *v, ulong tdata1, u32 taken)
{
	unsigned int i, n = trig_max();

	for (i = 0; i < n; i++) {
		if ((v->dbtr_mapped | taken) & (1U << i))
			continue;
		if (hal_dbtr_types(i) & (1UL << TDATA1_TYPE(tdata1)))
			return (int)i;
	}
	return -1;
}

/* Set trigger @idx of @v from @c's tdata1..3, enabled as tdata1 says. */
static void trig_set(struct vcpu *v, unsigned int idx, const struct vcpu_trig *c)
{
	struct vcpu_trig *t = &v->dbtr[idx];

	t->tdata1 = c->tdata1;
	t->tdata2 = c->tdata2;
	t->tdata3 = c->tdata3;
	t->state = TS_MAPPED | TS_HAVE_HW | state_bits(c->tdata1) |
		   ((ulong)idx << TS_HW_IDX_SHIFT);
	v->dbtr_mapped |= 1U << idx;
	trig_changed(v, idx);
}

/*
 * Copy @count entries of @v's shared memory into @cfg, once: another
 * vCPU of the container may write it meanwhile, and what was checked
 * must be what is installed. 0, or the spec's error for @count.
 */
static long shmem_fetch(const struct vcpu *v, ulong count, struct vcpu_trig *cfg)
{
	volatile ulong *e;
	ulong i;

	if (v->dbtr_shmem == ~0ULL)
		return VSBI_ERR_NO_SHMEM;
	if (count > trig_max())
		return VSBI_ERR_BAD_RANGE;
	for (i = 0; i < count; i++) {
		e = shmem_entry(v, i);
		cfg[i].state = e[0];
		cfg[i].tdata1 = e[1];
		cfg[i].tdata2 = e[2];
		cfg[i].tdata3 = e[3];
	}
	return VSBI_SUCCESS;
}

/*
 * All or nothing: every configuration is checked and given a trigger
 * before any is installed, so a failure leaves none behind.
 */
static long dbtr_install(struct vcpu *v, ulong count, ulong *failed)
{
	struct vcpu_trig cfg[HYP_DBTR_MAX];
	int idx[HYP_DBTR_MAX];
	u32 taken = 0;
	ulong i;
	long rc = shmem_fetch(v, count, cfg);

	if (rc)
		return rc;
	for (i = 0; i < count; i++) {
		*failed = i;
		rc = trig_check(cfg[i].tdata1, cfg[i].tdata3);
		if (rc)
			return rc;
		idx[i] = trig_alloc(v, cfg[i].tdata1, taken);
		if (idx[i] < 0)
			return VSBI_ERR_FAILED;
		taken |= 1U << idx[i];
	}
	*failed = 0;
	for (i = 0; i < count; i++) {
		trig_set(v, (unsigned int)idx[i], &cfg[i]);
		shmem_entry(v, i)[0] = (ulong)idx[i];
	}
	return VSBI_SUCCESS;
}

/* 0 if @c may update the trigger it names, else the spec's error. */
static long update_check(const struct vcpu *v, const struct vcpu_trig *c)
{
	ulong old;

	if (c->state >= trig_max())
		return VSBI_ERR_INVALID_PARAM;
	if (!(v->dbtr_mapped & (1U << c->state)))
		return VSBI_ERR_FAILED;
	old = v->dbtr[c->state].tdata1;
	if (TDATA1_TYPE(c->tdata1) != TDATA1_TYPE(old) ||
	    (c->tdata1 & TDATA1_CHAIN) != (old & TDATA1_CHAIN))
		return VSBI_ERR_INVALID_PARAM;
	return trig_check(c->tdata1, c->tdata3);
}

/* Word 0 of each entry, in cfg[].state, is the trig_idx to update. */
static long dbtr_update(struct vcpu *v, ulong count, ulong *failed)
{
	struct vcpu_trig cfg[HYP_DBTR_MAX];
	ulong i;
	long rc = shmem_fetch(v, count, cfg);

	if (rc)
		return rc;
	for (i = 0; i < count; i++) {
		*failed = i;
		rc = update_check(v, &cfg[i]);
		if (rc)
			return rc;
	}
	*failed = 0;
	for (i = 0; i < count; i++)
		trig_set(v, (unsigned int)cfg[i].state, &cfg[i]);
	return VSBI_SUCCESS;
}

/*
 * The installed triggers named by @base and @mask in *@set, or
 * SBI_ERR_INVALID_PARAM if one is not installed or not a trigger.
 */
static long trig_set_of(const struct vcpu *v, ulong base, ulong mask, u32 *set)
{
	ulong n = trig_max(), b;

	*set = 0;
	for (b = 0; b < HYP_XLEN && mask >> b; b++) {
		if (!(mask & (1UL << b)))
			continue;
		if (base >= n || b >= n - base ||
		    !(v->dbtr_mapped & (1U << (base + b))))
			return VSBI_ERR_INVALID_PARAM;
		*set |= 1U << (base + b);
	}
	return VSBI_SUCCESS;
}

/* Uninstall, enable or disable each trigger @base and @mask name. */
static long dbtr_each(struct vcpu *v, u32 fid, ulong base, ulong mask)
{
	unsigned int i;
	u32 set;
	long rc = trig_set_of(v, base, mask, &set);

	if (rc)
		return rc;
	for (i = 0; i < HYP_DBTR_MAX; i++) {
		struct vcpu_trig *t = &v->dbtr[i];

		if (!(set & (1U << i)))
			continue;
		t->tdata1 &= ~enable_bits(t->tdata1);
		if (fid == DBTR_UNINSTALL)
			v->dbtr_mapped &= ~(1U << i);
		else if (fid == DBTR_ENABLE)
			t->tdata1 |= saved_bits(t);
		trig_changed(v, i);
	}
	return VSBI_SUCCESS;
}

static ulong dbtr_num_triggers(ulong tdata1)
{
	ulong n = 0;
	unsigned int i;

	if (!tdata1)
		return trig_max();
	for (i = 0; i < trig_max(); i++)
		if (hal_dbtr_types(i) & (1UL << TDATA1_TYPE(tdata1)))
			n++;
	return n;
}

static void dbtr_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
			struct vsbi_ret *ret)
{
	(void)eid;
	switch (fid) {
	case DBTR_NUM_TRIGGERS:
		ret->error = VSBI_SUCCESS;
		ret->value = dbtr_num_triggers(a[0]);
		break;
	case DBTR_SET_SHMEM:
		ret->error = dbtr_set_shmem(v, a[0], a[1], a[2]);
		break;
	case DBTR_READ:
		ret->error = dbtr_read(v, a[0], a[1]);
		break;
	case DBTR_INSTALL:
		ret->error = dbtr_install(v, a[0], &ret->value);
		break;
	case DBTR_UPDATE:
		ret->error = dbtr_update(v, a[0], &ret->value);
		break;
	case DBTR_UNINSTALL:
	case DBTR_ENABLE:
	case DBTR_DISABLE:
		ret->error = dbtr_each(v, fid, a[0], a[1]);
		break;
	default:
		ret->error = VSBI_ERR_NOT_SUPPORTED;
	}
}

/* Offered where the harts have triggers S-mode may use. */
static long dbtr_probe(ulong eid)
{
	(void)eid;
	return trig_max() != 0;
}

const struct vsbi_ext vsbi_ext_dbtr = {
	.name = "DBTR",
	.eid_first = VSBI_EXT_DBTR,
	.eid_last = VSBI_EXT_DBTR,
	.probe = dbtr_probe,
	.handle = dbtr_handle,
};
