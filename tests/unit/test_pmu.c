// SPDX-License-Identifier: BSD-2-Clause
/*
 * PMU, counters per vCPU (hyp/vsbi_pmu.c): the spec's argument checks and
 * error codes, firmware events counted for the vCPU they happen to, and
 * hardware counters following their vCPU on and off the hart (sched.c
 * switch_to), lazily, with the hart's own counters put back for vCPUs
 * that have none.
 */
#include <hyp/container.h>
#include <hyp/hal.h>
#include <hyp/manifest.h>
#include <hyp/sched.h>
#include <hyp/vsbi.h>
#include <hyp/vsbi_pmu.h>
#include <hyp/vcpu.h>
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define RAM_BASE	0x80400000ULL
#define RAM_SIZE	(4 * HYP_MIB)

#define NUM_COUNTERS	0
#define GET_INFO	1
#define CFG_MATCH	2
#define START		3
#define STOP		4
#define FW_READ		5
#define FW_READ_HI	6
#define SNAPSHOT	7

#define SKIP_MATCH	1
#define CLEAR_VALUE	2
#define AUTO_START	4
#define SET_INIT	1
#define RESET		1

#define EV_CYCLES	0x00001
#define EV_INSTRET	0x00002
#define EV_FW(c)	(0xf0000 | (c))
#define CY		0
#define IR		2
#define FW0		3		/* the first firmware counter */
#define NR		19

static struct manifest_ctr spec;
static struct vcpu v[2];

#define REG(cpu, n)	((cpu)->frame.regs.x[HYP_REG_A0 + (n)])

static void setup(void)
{
	fixture_pair(&spec, "pmu", v, RAM_BASE, RAM_SIZE);
}

static long call(struct vcpu *x, ulong fid, ulong a0, ulong a1, ulong a2,
		 ulong a3, ulong a4)
{
	x->frame.regs.x[HYP_REG_A7] = VSBI_EXT_PMU;
	REG(x, 6) = fid;
	REG(x, 0) = a0;
	REG(x, 1) = a1;
	REG(x, 2) = a2;
	REG(x, 3) = a3;
	REG(x, 4) = a4;
	REG(x, 5) = 0;
	vsbi_dispatch(x);
	return (long)REG(x, 0);
}

/* config_matching over every counter; the counter, or -1 on error. */
static long config(struct vcpu *x, ulong flags, ulong event)
{
	if (call(x, CFG_MATCH, 0, (1UL << NR) - 1, flags, event, 0))
		return -1;
	return (long)REG(x, 1);
}

static ulong fw_read(struct vcpu *x, ulong idx)
{
	EXPECT_EQ(call(x, FW_READ, idx, 0, 0, 0, 0), VSBI_SUCCESS);
	return REG(x, 1);
}

/* Hart 0's current vCPU leaves; @next, stopped, is switched in. */
static void switch_to_vcpu(struct vcpu *next)
{
	EXPECT(fixture_switch(next) == &next->frame);
}

static void counters_and_info(void)
{
	ulong i;

	setup();
	EXPECT_EQ(call(&v[0], NUM_COUNTERS, 0, 0, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), NR);
	EXPECT_EQ(call(&v[0], GET_INFO, CY, 0, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), 0xc00 | 63UL << 12);
	EXPECT_EQ(call(&v[0], GET_INFO, IR, 0, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), 0xc02 | 63UL << 12);
	/* 1 is time, which is no counter, as on stock OpenSBI. */
	EXPECT_EQ(call(&v[0], GET_INFO, 1, 0, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	for (i = FW0; i < NR; i++) {
		EXPECT_EQ(call(&v[0], GET_INFO, i, 0, 0, 0, 0), VSBI_SUCCESS);
		EXPECT_EQ(REG(&v[0], 1) >> (HYP_XLEN - 1), 1);
	}
	EXPECT_EQ(call(&v[0], GET_INFO, NR, 0, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], GET_INFO, ~0UL, 0, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], SNAPSHOT, RAM_BASE, 0, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(call(&v[0], 8, 0, 0, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	/* Harts without mcountinhibit: firmware counters only. */
	fake.pmu_hw = 0;
	EXPECT_EQ(call(&v[0], GET_INFO, CY, 0, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 1, 0, EV_CYCLES, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(config(&v[0], 0, EV_CYCLES), -1);
	EXPECT_EQ(REG(&v[0], 0), (ulong)VSBI_ERR_NOT_SUPPORTED);
}

static void config_errors(void)
{
	setup();
	/* Masks naming a counter that is not one. */
	EXPECT_EQ(call(&v[0], CFG_MATCH, NR, 1, 0, EV_FW(5), 0), VSBI_ERR_INVALID_PARAM);
	/* 1 (time) is in range but no counter: it matches nothing. */
	EXPECT_EQ(call(&v[0], CFG_MATCH, 1, 1, 0, EV_FW(5), 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(call(&v[0], START, 1, 1, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, FW0, 1UL << 16, 0, EV_FW(5), 0),
		  VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, ~0UL, 1, 0, EV_FW(5), 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 0, 0, EV_FW(5), 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, FW0, 1, 0x100, EV_FW(5), 0), VSBI_ERR_INVALID_PARAM);
	/* Events the spec does not define, and ones nothing here counts. */
	EXPECT_EQ(call(&v[0], CFG_MATCH, FW0, 1, 0, 0x40000, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, FW0, 1, 0, 0x100000 | 5, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 5, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 5, 0, 11, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 5, 0, 7, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 5, 0, 0x10000, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 5, 0, 0x10000 | 7 << 3, 0),
		  VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 5, 0, 0x20000, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 5, 0, 0x20001, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, FW0, 1, 0, EV_FW(22), 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], CFG_MATCH, FW0, 1, 0, EV_FW(0xffff), 0), VSBI_ERR_NOT_SUPPORTED);
	/* The right event on the wrong counters. */
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 1, 0, EV_INSTRET, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(call(&v[0], CFG_MATCH, FW0, 3, 0, EV_CYCLES, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(call(&v[0], CFG_MATCH, 0, 1, SKIP_MATCH, EV_FW(5), 0),
		  VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(v[0].pmu.mapped, 0);
	/* Every firmware counter taken: none left for another event. */
	for (int i = 0; i < HYP_PMU_FW_COUNTERS; i++)
		EXPECT_EQ(config(&v[0], 0, EV_FW(5)), FW0 + i);
	EXPECT_EQ(config(&v[0], 0, EV_FW(6)), -1);
	EXPECT_EQ(REG(&v[0], 0), (ulong)VSBI_ERR_NOT_SUPPORTED);
	/* SKIP_MATCH takes the first counter named, configured or not. */
	EXPECT_EQ(call(&v[0], CFG_MATCH, FW0 + 1, 1, SKIP_MATCH, EV_FW(6), 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), FW0 + 1);
	EXPECT_EQ(v[0].pmu.fw_event[1], 6);
}

static void start_stop_errors(void)
{
	long fw;

	setup();
	fw = config(&v[0], 0, EV_FW(5));
	EXPECT_EQ(fw, FW0);
	/* Not configured, not counters, no snapshot memory, reserved flags. */
	EXPECT_EQ(call(&v[0], START, FW0 + 1, 1, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], START, FW0, 3, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], START, NR, 1, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], START, FW0, 1, 2, 0, 0), VSBI_ERR_NO_SHMEM);
	EXPECT_EQ(call(&v[0], START, FW0, 1, 4, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], STOP, FW0, 1, 0, 0, 0), VSBI_ERR_ALREADY_STOPPED);
	EXPECT_EQ(call(&v[0], STOP, FW0 + 1, 1, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], STOP, FW0, 1, 2, 0, 0), VSBI_ERR_NO_SHMEM);
	EXPECT_EQ(call(&v[0], STOP, FW0, 1, 4, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(v[0].pmu.started, 0);
	EXPECT_EQ(call(&v[0], START, FW0, 1, SET_INIT, 40, 0), VSBI_SUCCESS);
	EXPECT_EQ(call(&v[0], START, FW0, 1, 0, 0, 0), VSBI_ERR_ALREADY_STARTED);
	EXPECT_EQ(fw_read(&v[0], FW0), 40);
	/* fw_read: hardware, unconfigured and out-of-range counters. */
	EXPECT_EQ(config(&v[0], 0, EV_CYCLES), CY);
	EXPECT_EQ(call(&v[0], FW_READ, CY, 0, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], FW_READ, FW0 + 1, 0, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], FW_READ, NR, 0, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], FW_READ_HI, FW0 + 1, 0, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[0], FW_READ_HI, FW0, 0, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), 0);
	/* A set with one stopped counter: the others stop, RESET releases all. */
	EXPECT_EQ(call(&v[0], STOP, 0, 1UL << CY | 1UL << FW0, RESET, 0, 0),
		  VSBI_ERR_ALREADY_STOPPED);
	EXPECT_EQ(v[0].pmu.started, 0);
	EXPECT_EQ(v[0].pmu.mapped, 0);
	EXPECT_EQ(call(&v[0], FW_READ, FW0, 0, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
}

/* set_timer, IPIs, fences, traps: counted for the vCPU they happen to. */
static void firmware_events(void)
{
	long st, ipi_s, ipi_r, fi_r;
	int i;

	setup();
	st = config(&v[0], CLEAR_VALUE | AUTO_START, EV_FW(VSBI_PMU_FW_SET_TIMER));
	ipi_s = config(&v[0], CLEAR_VALUE | AUTO_START, EV_FW(VSBI_PMU_FW_IPI_SENT));
	ipi_r = config(&v[0], CLEAR_VALUE | AUTO_START, EV_FW(VSBI_PMU_FW_IPI_RECEIVED));
	fi_r = config(&v[0], CLEAR_VALUE | AUTO_START, EV_FW(VSBI_PMU_FW_FENCE_I_RECEIVED));
	EXPECT_EQ(st, FW0);
	EXPECT_EQ(v[0].pmu.fw_events, 1U << 5 | 1U << 6 | 1U << 7 | 1U << 9);
	for (i = 0; i < 7; i++)
		vsbi_set_timer(&v[0], ~0ULL);
	vsbi_set_timer(&v[1], ~0ULL);
	EXPECT_EQ(fw_read(&v[0], st), 7);
	/* An IPI to itself: one sent, one received. */
	vsbi_send(&v[0], 1, VCPU_PEND_SSIP);
	EXPECT_EQ(fw_read(&v[0], ipi_s), 1);
	EXPECT_EQ(fw_read(&v[0], ipi_r), 1);
	vsbi_send(&v[0], 1, VCPU_PEND_FENCE_I);
	EXPECT_EQ(fw_read(&v[0], fi_r), 1);
	EXPECT_EQ(fw_read(&v[0], ipi_s), 1);
	/* Stopped: no longer counts, and the event test is off again. */
	EXPECT_EQ(call(&v[0], STOP, st, 1, 0, 0, 0), VSBI_SUCCESS);
	vsbi_set_timer(&v[0], ~0ULL);
	EXPECT_EQ(fw_read(&v[0], st), 7);
	EXPECT_EQ(v[0].pmu.fw_events & (1U << 5), 0);
	/* Its counters are not vCPU 1's: same indices, nothing configured. */
	EXPECT_EQ(call(&v[1], FW_READ, st, 0, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(call(&v[1], STOP, ipi_s, 1, 0, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(v[0].pmu.started & (1U << ipi_s), 1U << ipi_s);
	/* A vCPU reset forgets them all. */
	vcpu_reset(&v[0], RAM_BASE, 0, 0);
	EXPECT_EQ(v[0].pmu.mapped | v[0].pmu.started | v[0].pmu.fw_events, 0);
}

/*
 * Hardware counters: the vCPU's values on the hart while it runs,
 * inhibited while it keeps them stopped, readable by it only once
 * configured; the hart's own back for a vCPU without any.
 */
static void hardware_follows_vcpu(void)
{
	setup();
	fake.pmu_ctr[0][CY] = 1000000;
	fake.pmu_ctr[0][IR] = 500000;
	EXPECT_EQ(config(&v[0], CLEAR_VALUE | AUTO_START, EV_CYCLES), CY);
	EXPECT(hyp_harts[0].pmu_live);
	EXPECT_EQ(fake.pmu_ctr[0][CY], 0);
	EXPECT_EQ(fake.pmu_visible[0], 1UL << CY);
	EXPECT_EQ(fake.pmu_run[0], 1UL << CY);
	fake_pmu_tick(100);
	EXPECT_EQ(fake.pmu_ctr[0][CY], 100);
	/* Off the hart: vCPU 1 has none, so it sees the hart's own again. */
	switch_to_vcpu(&v[1]);
	EXPECT_EQ(v[0].pmu.hw[CY], 100);
	EXPECT(!hyp_harts[0].pmu_live);
	EXPECT_EQ(fake.pmu_ctr[0][CY], 1000100);
	EXPECT_EQ(fake.pmu_ctr[0][IR], 500000);
	EXPECT_EQ(fake.pmu_run[0], 0x5);
	EXPECT_EQ(fake.pmu_visible[0], 0x5);
	fake_pmu_tick(5000);
	/* Back: it counts on from its own 100, not the 5000 in between. */
	switch_to_vcpu(&v[0]);
	EXPECT_EQ(fake.pmu_ctr[0][CY], 100);
	fake_pmu_tick(1);
	EXPECT_EQ(call(&v[0], STOP, CY, 1, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(fake.pmu_run[0], 0);
	EXPECT_EQ(fake.pmu_visible[0], 1UL << CY);
	fake_pmu_tick(50);
	EXPECT_EQ(fake.pmu_ctr[0][CY], 101);
	/* Started again with a value; then released: the hart's own back. */
	EXPECT_EQ(call(&v[0], START, CY, 1, SET_INIT, 7, 0), VSBI_SUCCESS);
	EXPECT_EQ(fake.pmu_ctr[0][CY], 7);
	EXPECT_EQ(call(&v[0], STOP, CY, 1, RESET, 0, 0), VSBI_SUCCESS);
	EXPECT(!hyp_harts[0].pmu_live);
	EXPECT_EQ(fake.pmu_ctr[0][CY], 1005101);
	EXPECT_EQ(fake.pmu_visible[0], 0x5);
}

/* A vCPU that never configured a counter costs a switch nothing. */
static void lazy_switch(void)
{
	setup();
	switch_to_vcpu(&v[1]);
	switch_to_vcpu(&v[0]);
	EXPECT_EQ(fake.pmu_writes, 0);
	/* Firmware counters alone do not touch the hart either. */
	EXPECT_EQ(config(&v[0], AUTO_START, EV_FW(5)), FW0);
	switch_to_vcpu(&v[1]);
	switch_to_vcpu(&v[0]);
	EXPECT_EQ(fake.pmu_writes, 0);
	EXPECT(!hyp_harts[0].pmu_live);
}

static const struct unit_case pmu_cases[] = {
	UNIT_CASE(counters_and_info),
	UNIT_CASE(config_errors),
	UNIT_CASE(start_stop_errors),
	UNIT_CASE(firmware_events),
	UNIT_CASE(hardware_follows_vcpu),
	UNIT_CASE(lazy_switch),
};

UNIT_SUITE(pmu, pmu_cases);
