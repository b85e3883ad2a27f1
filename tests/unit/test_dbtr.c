// SPDX-License-Identifier: BSD-2-Clause
/*
 * DBTR, debug triggers per vCPU (hyp/vsbi_dbtr.c): the spec's argument
 * and shared memory checks, and the triggers following their vCPU on
 * and off the hart (sched.c switch_to), lazily.
 */
#include <hyp/container.h>
#include <hyp/hal.h>
#include <hyp/manifest.h>
#include <hyp/sched.h>
#include <hyp/vsbi.h>
#include <hyp/vcpu.h>
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define RAM_BASE	0x80400000ULL
#define RAM_SIZE	(4 * HYP_MIB)
#define SHMEM		(RAM_BASE + 0x1000)
#define ADDR		(RAM_BASE + 0x2000)	/* what the triggers watch */

#define NUM_TRIGGERS	0
#define SET_SHMEM	1
#define READ		2
#define INSTALL		3
#define UPDATE		4
#define UNINSTALL	5
#define ENABLE		6
#define DISABLE		7

#define TYPE(t)		((ulong)(t) << (HYP_XLEN - 4))
#define DMODE		(1UL << (HYP_XLEN - 5))
#define CHAIN		(1UL << 11)
#define M		(1UL << 6)
#define S		(1UL << 4)
#define U		(1UL << 3)
#define EXEC		(1UL << 2)
#define BP		(TYPE(2) | S | U | EXEC)	/* execute, S and U */

static struct manifest_ctr spec;
static struct vcpu v[2];

#define REG(cpu, n)	((cpu)->frame.regs.x[HYP_REG_A0 + (n)])

static void setup(void)
{
	fixture_pair(&spec, "dbtr", v, RAM_BASE, RAM_SIZE);
}

static long call(struct vcpu *x, ulong fid, ulong a0, ulong a1, ulong a2)
{
	x->frame.regs.x[HYP_REG_A7] = VSBI_EXT_DBTR;
	REG(x, 6) = fid;
	REG(x, 0) = a0;
	REG(x, 1) = a1;
	REG(x, 2) = a2;
	vsbi_dispatch(x);
	return (long)REG(x, 0);
}

static ulong *entry(unsigned int i)
{
	return (ulong *)hal_phys(SHMEM + i * 4 * sizeof(ulong));
}

/* Shared memory entry @i: word 0 @w0, then tdata1..3. */
static void put(unsigned int i, ulong w0, ulong tdata1, ulong tdata2, ulong tdata3)
{
	ulong *e = entry(i);

	e[0] = w0;
	e[1] = tdata1;
	e[2] = tdata2;
	e[3] = tdata3;
}

/* Install one trigger of @tdata1 on ADDR for @x; its trig_idx. */
static ulong install(struct vcpu *x, ulong tdata1)
{
	EXPECT_EQ(call(x, SET_SHMEM, SHMEM, 0, 0), VSBI_SUCCESS);
	put(0, ~0UL, tdata1, ADDR, 0);
	EXPECT_EQ(call(x, INSTALL, 1, 0, 0), VSBI_SUCCESS);
	return entry(0)[0];
}

/* Hart 0's current vCPU leaves; @next, stopped, is switched in. */
static void switch_to_vcpu(struct vcpu *next)
{
	EXPECT(fixture_switch(next) == &next->frame);
}

static void num_triggers(void)
{
	setup();
	EXPECT_EQ(call(&v[0], NUM_TRIGGERS, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), 2);
	fake.dbtr_types[1] = 1UL << 6;
	EXPECT_EQ(call(&v[0], NUM_TRIGGERS, TYPE(2), 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), 1);
	EXPECT_EQ(call(&v[0], NUM_TRIGGERS, TYPE(6) | S, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), 2);
	EXPECT_EQ(call(&v[0], NUM_TRIGGERS, TYPE(3), 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), 0);
	EXPECT_EQ(call(&v[0], 8, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	/* More hardware triggers than a vCPU can hold: HYP_DBTR_MAX. */
	fake.dbtr_count = HYP_DBTR_MAX + 3;
	EXPECT_EQ(call(&v[0], NUM_TRIGGERS, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), HYP_DBTR_MAX);
}

static void set_shmem_errors(void)
{
	setup();
	EXPECT_EQ(call(&v[0], SET_SHMEM, SHMEM, 0, 1), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], SET_SHMEM, SHMEM + 4, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], SET_SHMEM, SHMEM, 1, 0), VSBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(call(&v[0], SET_SHMEM, RAM_BASE - 8, 0, 0), VSBI_ERR_INVALID_ADDRESS);
	/* trig_max entries of 4 words must fit: not the last 8 bytes. */
	EXPECT_EQ(call(&v[0], SET_SHMEM, RAM_BASE + RAM_SIZE - 8, 0, 0),
		  VSBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(v[0].dbtr_shmem, ~0ULL);
	EXPECT_EQ(call(&v[0], READ, 0, 1, 0), VSBI_ERR_NO_SHMEM);
	EXPECT_EQ(call(&v[0], INSTALL, 1, 0, 0), VSBI_ERR_NO_SHMEM);
	EXPECT_EQ(call(&v[0], UPDATE, 1, 0, 0), VSBI_ERR_NO_SHMEM);
	EXPECT_EQ(call(&v[0], SET_SHMEM, RAM_BASE + RAM_SIZE - 64, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(call(&v[0], SET_SHMEM, ~0UL, ~0UL, 0), VSBI_SUCCESS);
	EXPECT_EQ(v[0].dbtr_shmem, ~0ULL);
}

/* m, dmode and actions other than a breakpoint never reach the hart. */
static void install_refused(void)
{
	static const ulong bad[] = { BP | M, BP | DMODE, BP | (1UL << 12),
				     TYPE(6) | S | EXEC | M };
	unsigned int i;

	setup();
	EXPECT_EQ(call(&v[0], SET_SHMEM, SHMEM, 0, 0), VSBI_SUCCESS);
	for (i = 0; i < HYP_ARRAY_SIZE(bad); i++) {
		put(0, 0, BP, ADDR, 0);
		put(1, 0, bad[i], ADDR, 0);
		EXPECT_EQ(call(&v[0], INSTALL, 2, 0, 0), VSBI_ERR_INVALID_PARAM);
		EXPECT_EQ(REG(&v[0], 1), 1);	/* the failing entry */
	}
	put(0, 0, BP | CHAIN, ADDR, 0);
	EXPECT_EQ(call(&v[0], INSTALL, 1, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	put(0, 0, BP, ADDR, 1);
	EXPECT_EQ(call(&v[0], INSTALL, 1, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	put(0, 0, TYPE(3) | S, 0, 0);
	EXPECT_EQ(call(&v[0], INSTALL, 1, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(call(&v[0], INSTALL, 3, 0, 0), VSBI_ERR_BAD_RANGE);
	/* Two fit, a third finds no free trigger: none is installed. */
	put(0, 0, BP, ADDR, 0);
	put(1, 0, BP, ADDR, 0);
	EXPECT_EQ(call(&v[0], INSTALL, 2, 0, 0), VSBI_SUCCESS);
	put(0, 0, BP, ADDR, 0);
	EXPECT_EQ(call(&v[0], INSTALL, 1, 0, 0), VSBI_ERR_FAILED);
	EXPECT_EQ(v[0].dbtr_mapped, 3);
	EXPECT_EQ(call(&v[0], UNINSTALL, 0, 3, 0), VSBI_SUCCESS);
	EXPECT_EQ(fake.dbtr[0][0][0], 0);
	EXPECT_EQ(fake.dbtr[0][1][0], 0);
	/* A type only trigger 1 has: trigger 1 it is. */
	fake.dbtr_types[0] = 1UL << 2;
	put(0, ~0UL, TYPE(6) | S | EXEC, ADDR, 0);
	EXPECT_EQ(call(&v[0], INSTALL, 1, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(entry(0)[0], 1);
}

/* Install, read, disable, enable, update, uninstall: the hart follows. */
static void trigger_life(void)
{
	ulong idx, *e;

	setup();
	idx = install(&v[0], BP);
	EXPECT_EQ(idx, 0);
	EXPECT_EQ(fake.dbtr[0][0][0], BP);
	EXPECT_EQ(fake.dbtr[0][0][1], ADDR);
	EXPECT(hyp_harts[0].dbtr_live);
	EXPECT_EQ(call(&v[0], READ, 0, 2, 0), VSBI_SUCCESS);
	e = entry(0);
	/* mapped, u, s, have_hw_trig, hw_trig_idx 0 */
	EXPECT_EQ(e[0], 0x27);
	EXPECT_EQ(e[1], BP);
	EXPECT_EQ(e[2], ADDR);
	EXPECT_EQ(entry(1)[0], 0);
	EXPECT_EQ(call(&v[0], READ, 1, 2, 0), VSBI_ERR_BAD_RANGE);
	EXPECT_EQ(call(&v[0], READ, 2, 0, 0), VSBI_ERR_BAD_RANGE);
	EXPECT_EQ(call(&v[0], READ, 1, ~0UL, 0), VSBI_ERR_BAD_RANGE);
	EXPECT_EQ(call(&v[0], DISABLE, 0, 1, 0), VSBI_SUCCESS);
	EXPECT_EQ(fake.dbtr[0][0][0], TYPE(2) | EXEC);
	EXPECT_EQ(call(&v[0], ENABLE, 0, 1, 0), VSBI_SUCCESS);
	EXPECT_EQ(fake.dbtr[0][0][0], BP);
	/* Update: a new address, S only; type or chain may not change. */
	put(0, 0, TYPE(2) | S | EXEC, ADDR + 4, 0);
	EXPECT_EQ(call(&v[0], UPDATE, 1, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(fake.dbtr[0][0][1], ADDR + 4);
	EXPECT_EQ(v[0].dbtr[0].state, 0x25);
	put(0, 0, TYPE(6) | S | EXEC, ADDR, 0);
	EXPECT_EQ(call(&v[0], UPDATE, 1, 0, 0), VSBI_ERR_INVALID_PARAM);
	put(0, 0, BP | M, ADDR, 0);
	EXPECT_EQ(call(&v[0], UPDATE, 1, 0, 0), VSBI_ERR_INVALID_PARAM);
	put(0, 1, BP, ADDR, 0);
	EXPECT_EQ(call(&v[0], UPDATE, 1, 0, 0), VSBI_ERR_FAILED);
	put(0, 2, BP, ADDR, 0);
	EXPECT_EQ(call(&v[0], UPDATE, 1, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(fake.dbtr[0][0][1], ADDR + 4);
	/* Masks naming a trigger not installed, or none at all. */
	EXPECT_EQ(call(&v[0], ENABLE, 0, 3, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], DISABLE, 1, 1, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], UNINSTALL, ~0UL, 1, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], UNINSTALL, 0, 1UL << (HYP_XLEN - 1), 0),
		  VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(fake.dbtr[0][0][0], TYPE(2) | S | EXEC);
	EXPECT_EQ(call(&v[0], UNINSTALL, 0, 1, 0), VSBI_SUCCESS);
	EXPECT_EQ(fake.dbtr[0][0][0], 0);
	EXPECT_EQ(v[0].dbtr_mapped, 0);
	EXPECT_EQ(call(&v[0], UNINSTALL, 0, 1, 0), VSBI_ERR_INVALID_PARAM);
}

/*
 * A vCPU with triggers leaves the hart: the next one, with none, finds
 * them cleared; back again, its own are put back. vCPUs that never had
 * any switch with no trigger write at all.
 */
static void follow_the_vcpu(void)
{
	setup();
	switch_to_vcpu(&v[1]);
	switch_to_vcpu(&v[0]);
	EXPECT_EQ(fake.dbtr_writes, 0);
	EXPECT(!hyp_harts[0].dbtr_live);
	install(&v[0], BP);
	switch_to_vcpu(&v[1]);
	EXPECT_EQ(fake.dbtr[0][0][0], 0);
	EXPECT_EQ(fake.dbtr[0][1][0], 0);
	EXPECT(!hyp_harts[0].dbtr_live);
	fake.dbtr_writes = 0;
	switch_to_vcpu(&v[0]);
	EXPECT_EQ(fake.dbtr[0][0][0], BP);
	EXPECT_EQ(fake.dbtr[0][0][1], ADDR);
	EXPECT(hyp_harts[0].dbtr_live);
	EXPECT_EQ(fake.dbtr_writes, 2);
	/* Reset with the vCPU: gone, and cleared at its next switch-in. */
	vcpu_reset(&v[0], RAM_BASE, 0, 0);
	EXPECT_EQ(v[0].dbtr_mapped, 0);
	EXPECT_EQ(v[0].dbtr_shmem, ~0ULL);
	switch_to_vcpu(&v[1]);
	EXPECT_EQ(fake.dbtr[0][0][0], 0);
}

static const struct unit_case dbtr_cases[] = {
	UNIT_CASE(num_triggers),
	UNIT_CASE(set_shmem_errors),
	UNIT_CASE(install_refused),
	UNIT_CASE(trigger_life),
	UNIT_CASE(follow_the_vcpu),
};

UNIT_SUITE(dbtr, dbtr_cases);
