// SPDX-License-Identifier: BSD-2-Clause
/*
 * The virtual PLIC's register model (hyp/vplic.c) against the RISC-V
 * PLIC specification: priorities, pending bits, per-context enables and
 * thresholds, claim and complete, and the gateway that holds a source
 * until it is completed.
 */
#include <hyp/vplic.h>
#include "unit.h"

static struct vplic p;
static struct vplic_effect e;

#define PRIO(s)		(VPLIC_PRIORITY + 4 * (s))
#define ENABLE(c, w)	(VPLIC_ENABLE + VPLIC_ENABLE_STRIDE * (c) + 4 * (w))
#define THRESH(c)	(VPLIC_CONTEXT + VPLIC_CONTEXT_STRIDE * (c) + VPLIC_THRESHOLD)
#define CLAIM(c)	(VPLIC_CONTEXT + VPLIC_CONTEXT_STRIDE * (c) + VPLIC_CLAIM)

static void setup(unsigned int nctx)
{
	memset(&p, 0, sizeof(p));
	memset(&e, 0, sizeof(e));
	vplic_reset(&p, 97, nctx);
}

static void wr(u64 off, u32 val)
{
	memset(&e, 0, sizeof(e));
	vplic_write(&p, off, val, &e);
}

static u32 rd(u64 off)
{
	memset(&e, 0, sizeof(e));
	return vplic_read(&p, off, &e);
}

static void raise(unsigned int src)
{
	memset(&e, 0, sizeof(e));
	vplic_raise(&p, src, &e);
}

static void reset_state(void)
{
	setup(2);
	EXPECT_EQ(rd(PRIO(8)), 0);
	EXPECT_EQ(rd(VPLIC_PENDING), 0);
	EXPECT_EQ(rd(ENABLE(0, 0)), 0);
	EXPECT_EQ(rd(THRESH(1)), 0);
	EXPECT_EQ(rd(CLAIM(0)), 0);
	EXPECT(!vplic_eip(&p, 0));
}

static void priority_is_warl(void)
{
	setup(1);
	wr(PRIO(8), 0xffffffff);
	EXPECT_EQ(rd(PRIO(8)), VPLIC_PRIO_MASK);
	wr(PRIO(0), 5);			/* source 0 does not exist */
	EXPECT_EQ(rd(PRIO(0)), 0);
	wr(PRIO(200), 5);		/* past riscv,ndev */
	EXPECT_EQ(rd(PRIO(200)), 0);
	wr(THRESH(0), 0xff);
	EXPECT_EQ(rd(THRESH(0)), VPLIC_PRIO_MASK);
}

static void enable_masks_source_zero_and_absent(void)
{
	setup(1);
	wr(ENABLE(0, 0), 0xffffffff);
	EXPECT_EQ(rd(ENABLE(0, 0)), 0xfffffffe);
	wr(ENABLE(0, 3), 0xffffffff);	/* sources 96..127: only 96 exists */
	EXPECT_EQ(rd(ENABLE(0, 3)), 1);
	wr(ENABLE(1, 0), 0xffffffff);	/* no context 1 */
	EXPECT_EQ(rd(ENABLE(1, 0)), 0);
}

static void raise_enabled_above_threshold_interrupts(void)
{
	setup(2);
	wr(PRIO(8), 1);
	wr(ENABLE(1, 0), 1U << 8);
	raise(8);
	EXPECT_EQ(e.changed[0], 2);	/* only context 1's line moved */
	EXPECT(vplic_eip(&p, 1));
	EXPECT(!vplic_eip(&p, 0));
	EXPECT_EQ(rd(VPLIC_PENDING), 1U << 8);
}

static void masked_source_never_interrupts(void)
{
	setup(1);
	wr(PRIO(8), 3);
	raise(8);
	EXPECT(!vplic_eip(&p, 0));
	EXPECT_EQ(e.changed[0], 0);
	EXPECT_EQ(rd(CLAIM(0)), 0);	/* not enabled for this context */
	EXPECT_EQ(rd(VPLIC_PENDING), 1U << 8);
	wr(ENABLE(0, 0), 1U << 8);	/* unmasking delivers it */
	EXPECT(vplic_eip(&p, 0));
	EXPECT_EQ(e.changed[0], 1);
}

static void priority_zero_never_interrupts(void)
{
	setup(1);
	wr(ENABLE(0, 0), 1U << 8);
	raise(8);
	EXPECT(!vplic_eip(&p, 0));
	EXPECT_EQ(rd(CLAIM(0)), 0);
}

static void threshold_masks_equal_and_lower(void)
{
	setup(1);
	wr(PRIO(8), 2);
	wr(ENABLE(0, 0), 1U << 8);
	wr(THRESH(0), 2);
	raise(8);
	EXPECT(!vplic_eip(&p, 0));
	wr(THRESH(0), 1);
	EXPECT(vplic_eip(&p, 0));
	wr(THRESH(0), 7);
	EXPECT(!vplic_eip(&p, 0));
	/* The specification: a claim is not affected by the threshold. */
	EXPECT_EQ(rd(CLAIM(0)), 8);
}

static void claim_clears_pending_and_line(void)
{
	setup(1);
	wr(PRIO(8), 1);
	wr(ENABLE(0, 0), 1U << 8);
	raise(8);
	EXPECT_EQ(rd(CLAIM(0)), 8);
	EXPECT_EQ(e.changed[0], 1);
	EXPECT(!vplic_eip(&p, 0));
	EXPECT_EQ(rd(VPLIC_PENDING), 0);
	EXPECT_EQ(rd(CLAIM(0)), 0);
}

static void gateway_holds_until_complete(void)
{
	setup(1);
	wr(PRIO(8), 1);
	wr(ENABLE(0, 0), 1U << 8);
	raise(8);
	EXPECT_EQ(rd(CLAIM(0)), 8);
	EXPECT(!vplic_raise(&p, 8, &e));	/* still in service */
	EXPECT_EQ(rd(VPLIC_PENDING), 0);
	wr(CLAIM(0), 8);
	EXPECT_EQ(e.completed, 8);
	raise(8);
	EXPECT(vplic_eip(&p, 0));
}

static void complete_needs_enable(void)
{
	setup(2);
	wr(PRIO(8), 1);
	wr(ENABLE(0, 0), 1U << 8);
	raise(8);
	EXPECT_EQ(rd(CLAIM(0)), 8);
	wr(CLAIM(1), 8);		/* not enabled for context 1: ignored */
	EXPECT_EQ(e.completed, 0);
	wr(CLAIM(0), 9);		/* not in service: ignored */
	EXPECT_EQ(e.completed, 0);
	wr(CLAIM(0), 8);
	EXPECT_EQ(e.completed, 8);
	wr(CLAIM(0), 8);		/* twice: the second is ignored */
	EXPECT_EQ(e.completed, 0);
}

static void highest_priority_then_lowest_id(void)
{
	setup(1);
	wr(ENABLE(0, 0), (1U << 3) | (1U << 5) | (1U << 9));
	wr(ENABLE(0, 1), 1U << 1);		/* source 33 */
	wr(PRIO(3), 2);
	wr(PRIO(5), 6);
	wr(PRIO(9), 6);
	wr(PRIO(33), 7);
	raise(3);
	raise(9);
	raise(5);
	raise(33);
	EXPECT_EQ(rd(CLAIM(0)), 33);
	EXPECT_EQ(rd(CLAIM(0)), 5);
	EXPECT_EQ(rd(CLAIM(0)), 9);
	EXPECT_EQ(rd(CLAIM(0)), 3);
	EXPECT_EQ(rd(CLAIM(0)), 0);
}

static void out_of_range_and_reserved(void)
{
	setup(1);
	EXPECT(!vplic_raise(&p, 0, &e));
	EXPECT(!vplic_raise(&p, 97, &e));
	EXPECT_EQ(rd(CLAIM(5)), 0);		/* no context 5 */
	EXPECT_EQ(rd(VPLIC_CONTEXT + 8), 0);	/* reserved */
	wr(VPLIC_PENDING, ~0U);			/* read-only */
	EXPECT_EQ(rd(VPLIC_PENDING), 0);
	wr(0x1ffffc, ~0U);
	EXPECT_EQ(rd(0x1ffffc), 0);
}

static void reset_forgets_everything(void)
{
	setup(1);
	wr(PRIO(8), 1);
	wr(ENABLE(0, 0), 1U << 8);
	raise(8);
	ASSERT(vplic_eip(&p, 0));
	vplic_reset(&p, 97, 1);
	EXPECT(!vplic_eip(&p, 0));
	EXPECT_EQ(rd(VPLIC_PENDING), 0);
	EXPECT(vplic_raise(&p, 8, &e));		/* the gateway is open again */
}

static const struct unit_case cases[] = {
	UNIT_CASE(reset_state),
	UNIT_CASE(priority_is_warl),
	UNIT_CASE(enable_masks_source_zero_and_absent),
	UNIT_CASE(raise_enabled_above_threshold_interrupts),
	UNIT_CASE(masked_source_never_interrupts),
	UNIT_CASE(priority_zero_never_interrupts),
	UNIT_CASE(threshold_masks_equal_and_lower),
	UNIT_CASE(claim_clears_pending_and_line),
	UNIT_CASE(gateway_holds_until_complete),
	UNIT_CASE(complete_needs_enable),
	UNIT_CASE(highest_priority_then_lowest_id),
	UNIT_CASE(out_of_range_and_reserved),
	UNIT_CASE(reset_forgets_everything),
};
UNIT_SUITE(vplic, cases);
