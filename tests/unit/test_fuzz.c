// SPDX-License-Identifier: BSD-2-Clause
/*
 * Random SBI calls (hyp/sbi*.c through hyp_trap): a vCPU of a 2-vCPU
 * container makes 20000 ecalls, to every extension diosix knows and to
 * unknown ones, with arguments drawn from the places where checks go
 * wrong: the edges of its own RAM, the RAM of the container beside it,
 * the firmware, zero, all-ones, small counts and random words. Whatever
 * it asks, the hypervisor must not panic or touch memory outside the
 * caller's RAM (the sanitizers and the fake HAL's bounds catch that), the
 * neighbour's RAM must keep its canary, and an SBI call that returns must
 * return success or an error code the specification defines.
 */
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/hal.h>
#include <hyp/hyp.h>
#include <hyp/manifest.h>
#include <hyp/sbi.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define RAM_BASE	0x80400000ULL
#define RAM_SIZE	(4 * HYP_MIB)
#define OTHER_BASE	(RAM_BASE + RAM_SIZE)
#define CALLS		20000
#define CANARY		0xa5
#define SBI_ERR_LAST	-13		/* SBI_ERR_IO, the last one defined */

static struct manifest_ctr specs[2];
static struct vcpu vcpus[3];
static struct vcpu *caller;

static const ulong eids[] = {
	SBI_EXT_LEGACY_SET_TIMER, SBI_EXT_LEGACY_PUTCHAR, SBI_EXT_LEGACY_GETCHAR,
	SBI_EXT_LEGACY_CLEAR_IPI, SBI_EXT_LEGACY_SEND_IPI, SBI_EXT_LEGACY_FENCE_I,
	SBI_EXT_LEGACY_SFENCE_VMA, SBI_EXT_LEGACY_SFENCE_ASID, SBI_EXT_LEGACY_SHUTDOWN,
	SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI, SBI_EXT_RFENCE, SBI_EXT_HSM,
	SBI_EXT_SRST, SBI_EXT_DBCN, SBI_EXT_DIOSIX,
	0x504D55,	/* PMU: hidden */
	0x535345,	/* SSE: hidden */
};

/* A fresh machine: the caller (vCPU 0 of "fuzz") runs on hart 0. */
static void setup(void)
{
	struct container *c;

	memset(hyp_harts, 0, sizeof(hyp_harts));
	sched_lock.taken = 0;
	fixture_harts();
	c = fixture_container(0, &specs[0], "fuzz", vcpus, 2, RAM_BASE, RAM_SIZE);
	c->state = CTR_RUNNING;
	c->active_vcpus = 1;
	c->starts = 1;
	caller = &vcpus[0];
	caller->state = VCPU_RUNNING;
	caller->hart = 0;
	caller->frame.regs.mepc = RAM_BASE + 0x100;
	hyp_harts[0].current = caller;
	c = fixture_container(1, &specs[1], "other", &vcpus[2], 1, OTHER_BASE, RAM_SIZE);
	c->state = CTR_RUNNING;
	c->active_vcpus = 1;
	vcpus[2].state = VCPU_BLOCKED;
	/* Keys wait for it, so DBCN and legacy reads have bytes to write. */
	console_init(&hyp_containers[0]);
	fake.hart = 0;
	/* However the calls leave the containers, the machine stays on. */
	hyp_stay_up = true;
}

static ulong pick_arg(u64 *seed)
{
	u64 r = unit_rand(seed);

	switch (r % 12) {
	case 0:
		return 0;
	case 1:
		return ~0UL;
	case 2:
		return RAM_BASE + (r >> 8) % RAM_SIZE;
	case 3:
		return RAM_BASE + RAM_SIZE - 1 - (r >> 8) % 16;
	case 4:
		return RAM_BASE + RAM_SIZE;
	case 5:
		return OTHER_BASE + (r >> 8) % RAM_SIZE;
	case 6:
		return FAKE_MEM_BASE + (r >> 8) % 0x80000;	/* the firmware */
	case 7:
		return (r >> 8) % 64;
	case 8:
		return (ulong)-1 - (r >> 8) % 64;
	case 9:
		return RAM_BASE - 1 - (r >> 8) % 4096;
	default:
		return (ulong)(r >> 3);
	}
}

static void fill_ecall(u64 *seed)
{
	u64 r = unit_rand(seed);
	unsigned int i;

	for (i = 0; i < 8; i++)
		caller->frame.regs.x[HYP_REG_A0 + i] = pick_arg(seed);
	caller->frame.regs.x[HYP_REG_A7] = r % 8 ? eids[(r >> 8) % HYP_ARRAY_SIZE(eids)]
						 : (ulong)(r >> 16);
	caller->frame.regs.x[HYP_REG_A0 + 6] = r % 3 ? (r >> 40) % 8 : pick_arg(seed);
	caller->frame.trap.cause = HYP_EXC_ECALL_S;
}

static bool is_legacy(ulong eid)
{
	return eid <= SBI_EXT_LEGACY_SHUTDOWN;
}

static void random_calls(void)
{
	u64 seed = 0x5eedf00d;
	struct hyp_frame *volatile f;
	volatile unsigned int i, resets = 0;
	volatile ulong eid, pc;
	long err;
	int how;

	setup();
	memset(hal_phys(OTHER_BASE), CANARY, RAM_SIZE);
	for (i = 0; i < CALLS; i++) {
		fill_ecall(&seed);
		eid = caller->frame.regs.x[HYP_REG_A7];
		pc = caller->frame.regs.mepc;
		f = NULL;
		fake_console_clear();
		if (!fake_input_left())
			fake_input("keys");
		how = FAKE_RUN(f = hyp_trap(&caller->frame));
		ASSERT_EQ(how == FAKE_PANIC, 0);
		if (how == FAKE_RETURNED && f == &caller->frame &&
		    caller->state == VCPU_RUNNING && caller->frame.regs.mepc == pc + 4 &&
		    !is_legacy(eid)) {
			err = (long)caller->frame.regs.x[HYP_REG_A0];
			if (err > 0 || err < SBI_ERR_LAST) {
				unit_fail(__FILE__, __LINE__, "call %u: EID 0x%lx FID %lu returned %ld",
					  i, eid, caller->frame.regs.x[HYP_REG_A0 + 6], err);
				return;
			}
		}
		/* The caller stopped, slept, or gave its hart away: start over. */
		if (how != FAKE_RETURNED || f != &caller->frame ||
		    caller->state != VCPU_RUNNING) {
			resets++;
			setup();
		}
	}
	for (i = 0; i < RAM_SIZE; i++)
		if (((u8 *)hal_phys(OTHER_BASE))[i] != CANARY) {
			unit_fail(__FILE__, __LINE__, "the neighbour's byte 0x%llx changed",
				  (unsigned long long)(OTHER_BASE + i));
			return;
		}
	/* The calls must have reached deep: many ended the caller's run. */
	EXPECT(resets > 100);
	EXPECT(resets < CALLS / 2);
}

static const struct unit_case cases[] = {
	UNIT_CASE(random_calls),
};

UNIT_SUITE(sbi_fuzz, cases);
