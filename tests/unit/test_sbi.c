// SPDX-License-Identifier: BSD-2-Clause
/*
 * The SBI interface as a guest sees it (hyp/vsbi*.c), driven through
 * vsbi_dispatch() and hyp_trap() with a vCPU inside a hand-built container.
 */
#include <libfdt.h>
#include <stdio.h>
#include <hyp/bundle.h>
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/gfdt.h>
#include <hyp/hal.h>
#include <hyp/hyp.h>
#include <hyp/manifest.h>
#include <hyp/string.h>
#include <hyp/vsbi.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>
#include "elf_image.h"
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define RAM_BASE	0x80400000ULL
#define RAM_SIZE	(4 * HYP_MIB)
#define BUF		(RAM_BASE + 0x1000)
#define PC		(RAM_BASE + 0x100)

#define EID_SSE		0x535345

#define A(n)		(vc->frame.regs.x[HYP_REG_A0 + (n)])

extern const struct hyp_machine *hyp_machine;

static struct manifest_ctr specs[2];
static struct vcpu vcpus[2];
static struct container *ctr;
static struct vcpu *vc;
static ulong ret_a1;

/* Container @i, running its one vCPU on hart @i. */
static void setup_ctr(unsigned int i, const char *name, u64 base)
{
	struct container *c;
	struct vcpu *v = &vcpus[i];

	c = fixture_container(i, &specs[i], name, v, 1, base, RAM_SIZE);
	c->state = CTR_RUNNING;
	c->active_vcpus = 1;
	c->starts = 1;
	v->state = VCPU_RUNNING;
	v->hart = (int)i;
	v->frame.regs.mepc = PC;
	hyp_harts[i].current = v;
	hyp_harts[i].started = true;
	hyp_harts[i].slice_end = ~0ULL;
	hyp_nr_containers = i + 1;
}

static void setup(void)
{
	setup_ctr(0, "guest", RAM_BASE);
	ctr = &hyp_containers[0];
	vc = &vcpus[0];
	fake.hart = 0;
}

static void set_args(ulong eid, ulong fid, ulong a0, ulong a1, ulong a2)
{
	unsigned int i;

	for (i = 0; i < 6; i++)
		A(i) = 0x5a5a0000 + i;
	vc->frame.regs.x[HYP_REG_A7] = eid;
	A(6) = fid;
	A(0) = a0;
	A(1) = a1;
	A(2) = a2;
}

/* An ecall from the vCPU: returns a0; a1 lands in ret_a1. */
static long ecall(ulong eid, ulong fid, ulong a0, ulong a1, ulong a2)
{
	ulong pc = vc->frame.regs.mepc;

	set_args(eid, fid, a0, a1, a2);
	vsbi_dispatch(vc);
	EXPECT_EQ(vc->frame.regs.mepc, pc + 4);
	EXPECT_EQ(A(3), 0x5a5a0003);
	ret_a1 = A(1);
	return (long)A(0);
}

static u8 *phys(u64 pa)
{
	return hal_phys(pa);
}

/* --- STA ---------------------------------------------------------------- */

#define STA_SHMEM	(RAM_BASE + 0x2000)

/* The spec's error for each bad argument, and nothing changed by any. */
static void sta_set_shmem_errors(void)
{
	setup();
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, STA_SHMEM, 0, 1), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, ~0UL, ~0UL, 1), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, STA_SHMEM + 32, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, STA_SHMEM, 1, 0), VSBI_ERR_INVALID_ADDRESS);
	/* Not the container's: below it, past its end, straddling the end. */
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, RAM_BASE - 64, 0, 0), VSBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, RAM_BASE + RAM_SIZE, 0, 0),
		  VSBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, 0, 0, 0), VSBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(ecall(VSBI_EXT_STA, 1, STA_SHMEM, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(vc->sta_shmem, ~0ULL);
}

/* Given: all 64 bytes zeroed, steal restarts from 0; all-ones turns it off. */
static void sta_set_shmem_zeroes_and_disables(void)
{
	setup();
	memset(phys(STA_SHMEM), 0xa5, 128);
	vc->sta_steal = 12345;
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, STA_SHMEM, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 0);
	for (unsigned int i = 0; i < 64; i++)
		EXPECT_EQ(phys(STA_SHMEM)[i], 0);
	EXPECT_EQ(phys(STA_SHMEM)[64], 0xa5);
	EXPECT_EQ(vc->sta_shmem, STA_SHMEM);
	EXPECT_EQ(vc->sta_steal, 0);
	/* The last 64 bytes of RAM are the container's too. */
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, RAM_BASE + RAM_SIZE - 64, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, ~0UL, ~0UL, 0), VSBI_SUCCESS);
	EXPECT_EQ(vc->sta_shmem, ~0ULL);
	/* A restarted hart has none. */
	EXPECT_EQ(ecall(VSBI_EXT_STA, 0, STA_SHMEM, 0, 0), VSBI_SUCCESS);
	vcpu_reset(vc, RAM_BASE, 0, 0);
	EXPECT_EQ(vc->sta_shmem, ~0ULL);
}

/* --- BASE --------------------------------------------------------------- */

static void base_versions(void)
{
	setup();
	EXPECT_EQ(ecall(VSBI_EXT_BASE, 0, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 0x02000000);
	EXPECT_EQ(ecall(VSBI_EXT_BASE, 1, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 5);
	EXPECT_EQ(ecall(VSBI_EXT_BASE, 2, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, VSBI_IMPL_VERSION);
	EXPECT_EQ(vc->frame.regs.mepc, PC + 12);
}

static void base_machine_ids(void)
{
	setup();
	EXPECT_EQ(ecall(VSBI_EXT_BASE, 4, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, fake.machine_id[0]);
	EXPECT_EQ(ecall(VSBI_EXT_BASE, 5, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, fake.machine_id[1]);
	EXPECT_EQ(ecall(VSBI_EXT_BASE, 6, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, fake.machine_id[2]);
	EXPECT_EQ(ecall(VSBI_EXT_BASE, 7, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
}

static long probe(ulong eid)
{
	EXPECT_EQ(ecall(VSBI_EXT_BASE, 3, eid, 0, 0), VSBI_SUCCESS);
	return (long)ret_a1;
}

/* Whether any descriptor covers @eid. */
static bool vsbi_find_any(ulong eid)
{
	unsigned int i;

	for (i = 0; i < vsbi_nr_exts; i++)
		if (eid >= vsbi_exts[i]->eid_first && eid <= vsbi_exts[i]->eid_last)
			return true;
	return false;
}

static void base_probe(void)
{
	static const ulong yes[] = {
		VSBI_EXT_BASE, VSBI_EXT_TIME, VSBI_EXT_SRST, VSBI_EXT_DBCN,
		VSBI_EXT_HSM, VSBI_EXT_IPI, VSBI_EXT_RFENCE, VSBI_EXT_STA, VSBI_EXT_SUSP, VSBI_EXT_FWFT,
		VSBI_EXT_PMU,
	};
	static const ulong no[] = {
		EID_SSE, 0x12345678, HYP_EXT_DIOSIX, 0x11, ~0UL,
	};
	unsigned int i;

	setup();
	for (i = 0; i < HYP_ARRAY_SIZE(yes); i++)
		EXPECT_EQ(probe(yes[i]), 1);
	for (i = 0; i < HYP_ARRAY_SIZE(no); i++)
		EXPECT_EQ(probe(no[i]), 0);
	/* The v0.1 calls that exist, and only those, probe as present. */
	for (i = 0; i <= 0xf; i++)
		EXPECT_EQ(probe(i), i <= 0x8);
}

/* Every descriptor: named, a sane range, no overlap, and present to probe
 * at its first EID (every extension's first EID is a call that exists). */
static void probe_every_ext(void)
{
	unsigned int i, j;

	setup();
	EXPECT_EQ(vsbi_nr_exts, 13);
	for (i = 0; i < vsbi_nr_exts; i++) {
		const struct vsbi_ext *e = vsbi_exts[i];

		EXPECT(e->name && e->name[0]);
		EXPECT(e->handle != NULL);
		EXPECT(e->eid_first <= e->eid_last);
		EXPECT_EQ(probe(e->eid_first), 1);
		EXPECT_EQ(vsbi_probe(e->eid_first), 1);
		for (j = 0; j < i; j++) {
			EXPECT(e->eid_last < vsbi_exts[j]->eid_first ||
			       e->eid_first > vsbi_exts[j]->eid_last);
			EXPECT(hyp_strcmp(e->name, vsbi_exts[j]->name) != 0);
		}
	}
}

/* Unknown EIDs, either side of each range, probe 0; so do the legacy EIDs
 * that name no call, while a0_only is the legacy range's alone. */
static void probe_unknown_and_legacy(void)
{
	unsigned int i;

	setup();
	for (i = 0; i < vsbi_nr_exts; i++) {
		const struct vsbi_ext *e = vsbi_exts[i];

		if (e->eid_first > 0 && !vsbi_find_any(e->eid_first - 1))
			EXPECT_EQ(probe(e->eid_first - 1), 0);
		if (!vsbi_find_any(e->eid_last + 1UL))
			EXPECT_EQ(probe(e->eid_last + 1UL), 0);
		EXPECT_EQ(e->a0_only, e == &vsbi_ext_legacy);
	}
	EXPECT_EQ(vsbi_probe(VSBI_EXT_LEGACY_SHUTDOWN), 1);
	EXPECT_EQ(vsbi_probe(VSBI_EXT_LEGACY_SHUTDOWN + 1), 0);
	EXPECT_EQ(vsbi_probe(VSBI_EXT_LEGACY_LAST), 0);
	EXPECT_EQ(vsbi_probe(HYP_EXT_DIOSIX), 0);
	EXPECT_EQ(vsbi_probe(0x1UL << (HYP_XLEN - 1)), 0);
}

static void unknown_eid(void)
{
	setup();
	EXPECT_EQ(ecall(0x12345678, 0, 1, 2, 3), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(ret_a1, 0);
	EXPECT_EQ(ecall(EID_SSE, 0, 1, 2, 3), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(ecall(HYP_EXT_DIOSIX, HYP_DIOSIX_ENTER, 0, 0, 0),
		  VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(ecall(0x10, 99, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
}

/* --- legacy ------------------------------------------------------------- */

static void legacy_putchar(void)
{
	setup();
	EXPECT_EQ(ecall(VSBI_EXT_LEGACY_PUTCHAR, 0, 'h', 0x1234, 0), 0);
	EXPECT_EQ(ret_a1, 0x1234);
	EXPECT_EQ(ecall(VSBI_EXT_LEGACY_PUTCHAR, 0, 0x100 | 'i', 0x99, 0), 0);
	EXPECT_EQ(ret_a1, 0x99);
	EXPECT_EQ(fake.console_len, 0);
	EXPECT_EQ(ecall(VSBI_EXT_LEGACY_PUTCHAR, 0, '\n', 7, 0), 0);
	EXPECT_STREQ(fake_console(), "[guest] hi\n");
}

/* What an idle hart's timer holds: the console poll, on the polling hart. */
static u64 idle_timer(void)
{
	return console_is_poll_hart(fake.hart) ? console_poll_deadline(fake.now) : ~0ULL;
}

static void legacy_getchar(void)
{
	setup();
	EXPECT_EQ(ecall(VSBI_EXT_LEGACY_GETCHAR, 0, 0, 0x77, 0), -1);
	EXPECT_EQ(ret_a1, 0x77);
	fake_input("x");
	/* Not focused: nothing, and the key never reaches it later either. */
	EXPECT_EQ(ecall(VSBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0), -1);
	console_init(ctr);
	EXPECT_EQ(ecall(VSBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0), -1);
	fake_input("q");
	EXPECT_EQ(ecall(VSBI_EXT_LEGACY_GETCHAR, 0, 0, 0x55, 0), 'q');
	EXPECT_EQ(ret_a1, 0x55);
	EXPECT_EQ(ecall(VSBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0), -1);
}

static void legacy_unsupported(void)
{
	static const ulong eids[] = { 0x09, 0x0a, 0x0f };
	unsigned int i;

	setup();
	for (i = 0; i < HYP_ARRAY_SIZE(eids); i++) {
		EXPECT_EQ(ecall(eids[i], 0, 0, 0xabc, 0), VSBI_ERR_NOT_SUPPORTED);
		EXPECT_EQ(ret_a1, 0xabc);
	}
}

static void legacy_shutdown(void)
{
	setup();
	EXPECT_EQ(ecall(VSBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0x42, 0), 0);
	EXPECT_EQ(ret_a1, 0x42);
	EXPECT_EQ(ctr->state, CTR_STOPPING);
	EXPECT_EQ(ctr->stop_reason, CTR_STOP_SHUTDOWN);
}

/* --- DBCN --------------------------------------------------------------- */

static long dbcn(ulong fid, u64 len, u64 addr, ulong hi)
{
	return ecall(VSBI_EXT_DBCN, fid, (ulong)len, (ulong)addr, hi);
}

static void dbcn_write_lines(void)
{
	setup();
	memcpy(phys(BUF), "hello\nwor", 9);
	EXPECT_EQ(dbcn(0, 9, BUF, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 9);
	EXPECT_STREQ(fake_console(), "[guest] hello\n");
	memcpy(phys(BUF), "ld\r\n", 4);
	EXPECT_EQ(dbcn(0, 4, BUF, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 4);
	EXPECT_STREQ(fake_console(), "[guest] hello\n[guest] world\n");
}

/* The buffer may end exactly at the end of RAM. */
static void dbcn_write_edges(void)
{
	setup();
	memcpy(phys(RAM_BASE), "first\n", 6);
	EXPECT_EQ(dbcn(0, 6, RAM_BASE, 0), VSBI_SUCCESS);
	memcpy(phys(RAM_BASE + RAM_SIZE - 5), "last\n", 5);
	EXPECT_EQ(dbcn(0, 5, RAM_BASE + RAM_SIZE - 5, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 5);
	EXPECT_EQ(dbcn(0, 0, RAM_BASE + 8, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 0);
	EXPECT_STREQ(fake_console(), "[guest] first\n[guest] last\n");
}

/* A long write is cut to one chunk; the count says how much went. */
static void dbcn_write_chunked(void)
{
	setup();
	memset(phys(BUF), 'x', 5000);
	EXPECT_EQ(dbcn(0, 5000, BUF, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 4096);
}

/* Each bad buffer: -3, nothing printed, nothing read. */
static void check_bad_buffer(u64 len, u64 addr, ulong hi)
{
	fake_console_clear();
	EXPECT_EQ(dbcn(0, len, addr, hi), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ret_a1, 0);
	EXPECT_EQ(dbcn(1, len, addr, hi), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ret_a1, 0);
	EXPECT_EQ(dbcn(2, '\n', 0, 0), VSBI_SUCCESS);
	EXPECT_STREQ(fake_console(), "[guest] \n");
	EXPECT_EQ(fake_input_left(), 3);
}

static void dbcn_bad_buffers(void)
{
	setup();
	console_init(ctr);
	fake_input("abc");
	memset(phys(RAM_BASE - 64), 'A', 64);
	memset(phys(RAM_BASE), 'B', 64);
	memset(phys(RAM_BASE + RAM_SIZE - 64), 'C', 128);
	check_bad_buffer(16, RAM_BASE - 64, 0);			/* below */
	check_bad_buffer(16, RAM_BASE + RAM_SIZE, 0);		/* above */
	check_bad_buffer(16, RAM_BASE - 8, 0);			/* straddles start */
	check_bad_buffer(16, RAM_BASE + RAM_SIZE - 8, 0);	/* straddles end */
	check_bad_buffer(1, RAM_BASE + RAM_SIZE, 0);
	check_bad_buffer(0x20, ~0ULL - 0xf, 0);			/* wraps */
	check_bad_buffer(0x20, 0, 0);
	check_bad_buffer(16, RAM_BASE + 0x100, 1);		/* high half */
	check_bad_buffer(16, RAM_BASE + 0x100, ~0UL);
	/* Longer than one call handles: the whole range counts, not the
	 * first chunk (found by the fuzzer). */
	check_bad_buffer(RAM_SIZE, RAM_BASE + RAM_SIZE - 0x2000, 0);
	check_bad_buffer(~0ULL, RAM_BASE + 0x100, 0);
	EXPECT_EQ(phys(RAM_BASE - 1)[0], 'A');
	EXPECT_EQ(phys(RAM_BASE)[0], 'B');
	EXPECT_EQ(phys(RAM_BASE + RAM_SIZE)[0], 'C');
}

static void dbcn_read(void)
{
	u8 *buf;

	setup();
	buf = phys(BUF);
	memset(buf, '.', 8);
	fake_input("xyz");
	/* Not focused: reads nothing. */
	EXPECT_EQ(dbcn(1, 8, BUF, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 0);
	EXPECT_EQ(buf[0], '.');
	console_init(ctr);
	fake_input("abc");
	EXPECT_EQ(dbcn(1, 2, BUF, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 2);
	EXPECT(!memcmp(buf, "ab......", 8));
	EXPECT_EQ(dbcn(1, 8, BUF + 2, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 1);
	EXPECT(!memcmp(buf, "abc.....", 8));
	EXPECT_EQ(dbcn(1, 8, BUF, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 0);
}

static void dbcn_write_byte(void)
{
	setup();
	EXPECT_EQ(dbcn(2, 'o', 0xdead, 0xbeef), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 0);
	EXPECT_EQ(dbcn(2, 0x100 | 'k', 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(fake.console_len, 0);
	EXPECT_EQ(dbcn(2, '\n', 0, 0), VSBI_SUCCESS);
	EXPECT_STREQ(fake_console(), "[guest] ok\n");
}

static void dbcn_unknown_fid(void)
{
	setup();
	EXPECT_EQ(dbcn(3, 4, BUF, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(dbcn(~0UL, 4, BUF, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(fake.console_len, 0);
}

/* --- TIME --------------------------------------------------------------- */

static void time_no_sstc(void)
{
	setup();
	fake.now = 1000;
	fake.stip = true;
	EXPECT_EQ(ecall(VSBI_EXT_TIME, 0, 5000, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(vc->timer, 5000);
	EXPECT(!fake.stip);
	EXPECT_EQ(fake.timer, 5000);
	/* Sharing the hart: the earlier of slice end and deadline. */
	hyp_harts[0].queued = 1;
	EXPECT_EQ(ecall(VSBI_EXT_TIME, 0, 1000000, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(fake.timer, 1000 + fake.freq / 100);
	EXPECT_EQ(ecall(VSBI_EXT_LEGACY_SET_TIMER, 0, 2000, 0x31, 0), 0);
	EXPECT_EQ(ret_a1, 0x31);
	EXPECT_EQ(vc->timer, 2000);
	EXPECT_EQ(fake.timer, 2000);
	EXPECT_EQ(fake.stimecmp_calls, 0);
}

static void time_sstc(void)
{
	setup();
	fake.sstc = true;
	EXPECT_EQ(ecall(VSBI_EXT_TIME, 0, 0x123456789ULL, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(vc->csr.stimecmp, 0x123456789ULL);
	EXPECT_EQ(fake.stimecmp, 0x123456789ULL);
	EXPECT_EQ(fake.timer_sets, 0);
	EXPECT_EQ(vc->timer, ~0ULL);
	EXPECT_EQ(ecall(VSBI_EXT_TIME, 1, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
}

/* --- SRST --------------------------------------------------------------- */

static void srst_invalid(void)
{
	setup();
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, 3, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, 0xefffffff, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, 0, 2, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, 0, 0xefffffff, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, 0xf0000000, 2, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, 0xf0000000, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, 0xffffffff, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, 0xffffffff, 1, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 1, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(ctr->state, CTR_RUNNING);
	EXPECT_EQ(fake.console_len, 0);
}

static void srst_stops_container(void)
{
	static const struct {
		ulong type, reason;
		enum container_stop why;
	} cases[] = {
		{ 0, 0, CTR_STOP_SHUTDOWN },
		{ 0, 1, CTR_STOP_CRASH },
		{ 0, 0xf0000001, CTR_STOP_SHUTDOWN },
		{ 1, 0, CTR_STOP_REBOOT },
		{ 2, 1, CTR_STOP_REBOOT },
	};
	unsigned int i;

	for (i = 0; i < HYP_ARRAY_SIZE(cases); i++) {
		setup();
		EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, cases[i].type, cases[i].reason, 0),
			  VSBI_SUCCESS);
		EXPECT_EQ(ctr->state, CTR_STOPPING);
		EXPECT_EQ(ctr->stop_reason, cases[i].why);
		EXPECT_EQ(fake.poweroffs, 0);
	}
}

/* The whole trap path: the last container stops, the machine goes off. */
static void srst_last_powers_off(void)
{
	int how;

	setup();
	vcons_write(&ctr->cons, "bye", 3);
	set_args(VSBI_EXT_SRST, 0, 0, 0, 0);
	vc->frame.trap.cause = HYP_EXC_ECALL_S;
	how = FAKE_RUN(hyp_trap(&vc->frame));
	EXPECT_EQ(how, FAKE_POWEROFF);
	EXPECT_EQ(fake.poweroffs, 1);
	EXPECT_EQ(ctr->state, CTR_STOPPED);
	EXPECT_EQ(vc->state, VCPU_STOPPED);
	EXPECT_EQ(ctr->active_vcpus, 0);
	EXPECT(hyp_harts[0].current == NULL);
	EXPECT_EQ(vc->stats.ecalls, 1);
	EXPECT_STREQ(fake_console(),
		     "[guest] bye\n"
		     "[diosix] container guest stopped (shutdown)\n"
		     "[diosix] all containers have stopped: powering off\n");
}

/* With "stats", each vCPU's counters are logged when it stops. */
static void srst_stats_logged(void)
{
	setup();
	specs[0].stats = true;
	vc->stats.run_time = 2 * fake.freq;
	vc->stats.switches = 3;
	set_args(VSBI_EXT_SRST, 0, 0, 0, 0);
	vc->frame.trap.cause = HYP_EXC_ECALL_S;
	EXPECT_EQ(FAKE_RUN(hyp_trap(&vc->frame)), FAKE_POWEROFF);
	EXPECT_HAS(fake_console(),
		   "[diosix] container guest vcpu 0: 2000000 us, 3 switches, 1 ecalls, 1 traps\n"
		   "[diosix] container guest stopped (shutdown)\n");
}

/* Another container still runs: this hart goes idle instead. */
static void srst_other_still_running(void)
{
	int how;

	setup();
	setup_ctr(1, "other", RAM_BASE + RAM_SIZE);
	set_args(VSBI_EXT_SRST, 0, 0, 1, 0);
	vc->frame.trap.cause = HYP_EXC_ECALL_S;
	how = FAKE_RUN(hyp_trap(&vc->frame));
	EXPECT_EQ(how, FAKE_IDLE);
	EXPECT_EQ(fake.poweroffs, 0);
	EXPECT_EQ(ctr->state, CTR_STOPPED);
	EXPECT_EQ(hyp_containers[1].state, CTR_RUNNING);
	EXPECT_EQ(fake.timer, idle_timer());
	EXPECT_HAS(fake_console(), "container guest stopped (crashed)");
	EXPECT_LACKS(fake_console(), "powering off");
}

static void srst_stay_up(void)
{
	int how;

	setup();
	hyp_stay_up = true;
	set_args(VSBI_EXT_SRST, 0, 0, 0, 0);
	vc->frame.trap.cause = HYP_EXC_ECALL_S;
	how = FAKE_RUN(hyp_trap(&vc->frame));
	EXPECT_EQ(how, FAKE_IDLE);
	EXPECT_EQ(fake.poweroffs, 0);
	EXPECT_EQ(ctr->state, CTR_STOPPED);
}

/* A reboot with restart "on-reboot": a fresh copy of the image runs. */
static void srst_reboot_restarts(void)
{
	static const struct hyp_machine machine = {
		.model = "test,machine", .isa = "rv64imac", .mmu = "riscv,sv39",
		.timebase = 10000000,
	};
	struct hyp_frame *volatile f = NULL;
	struct elf_spec s;
	u8 img[256];
	size_t n;
	int how;

	elf_spec_simple(&s, 64);
	s.entry = 0x1008;
	n = elf_build(img, sizeof(img), &s);
	setup();
	specs[0].image = img;
	specs[0].image_size = n;
	specs[0].bootargs = "again";
	specs[0].restart = RESTART_ON_REBOOT;
	hyp_machine = &machine;
	memset(phys(RAM_BASE), 0xff, 64);
	/* What the last run left anywhere in its RAM is gone too. */
	memset(phys(RAM_BASE + RAM_SIZE / 2), 0x5a, 4096);
	vc->stats.ecalls = 5;
	set_args(VSBI_EXT_SRST, 0, 1, 0, 0);
	vc->frame.trap.cause = HYP_EXC_ECALL_S;
	how = FAKE_RUN(f = hyp_trap(&vc->frame));
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT(f == &vc->frame);
	EXPECT_EQ(fake.poweroffs, 0);
	EXPECT_EQ(ctr->state, CTR_RUNNING);
	EXPECT_EQ(ctr->starts, 2);
	EXPECT_EQ(vc->state, VCPU_RUNNING);
	EXPECT(hyp_harts[0].current == vc);
	EXPECT_EQ(vc->frame.regs.mepc, RAM_BASE + 8);
	EXPECT_EQ(A(0), 0);
	EXPECT_EQ(A(1), RAM_BASE + RAM_SIZE - GFDT_MAX_SIZE);
	EXPECT_EQ(vc->stats.ecalls, 0);
	EXPECT_EQ(phys(RAM_BASE)[0], elf_byte(0, 0));
	EXPECT_EQ(phys(RAM_BASE)[16], 0);
	EXPECT_EQ(phys(RAM_BASE + RAM_SIZE / 2)[0], 0);
	EXPECT_EQ(phys(RAM_BASE + RAM_SIZE / 2)[4095], 0);
	EXPECT_EQ(fdt_check_header(phys(A(1))), 0);
	EXPECT(fake.guest_frame == &vc->frame);
	EXPECT_HAS(fake_console(), "container guest stopped (reboot): restarting");
}

/* A reboot with restart "never" just stops. */
static void srst_reboot_never(void)
{
	int how;

	setup();
	set_args(VSBI_EXT_SRST, 0, 2, 0, 0);
	vc->frame.trap.cause = HYP_EXC_ECALL_S;
	how = FAKE_RUN(hyp_trap(&vc->frame));
	EXPECT_EQ(how, FAKE_POWEROFF);
	EXPECT_EQ(ctr->starts, 1);
	EXPECT_HAS(fake_console(), "container guest stopped (reboot)\n");
}

/* --- 32-bit data: only the low half of the register counts ------------- */

/* What a guest may leave in the upper half of a 32-bit argument. */
#define HI		0xa5a5a5a500000000UL

static void arg32_eid(void)
{
	setup();
	EXPECT_EQ(ecall(HI | VSBI_EXT_BASE, 1, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, VSBI_IMPL_ID_DIOSIX);
	EXPECT_EQ(ecall(HI | VSBI_EXT_LEGACY_PUTCHAR, 0, 'x', 0, 0), 0);
	EXPECT_EQ(ecall(HI | VSBI_EXT_DBCN, 2, '\n', 0, 0), VSBI_SUCCESS);
	EXPECT_STREQ(fake_console(), "[guest] x\n");
	EXPECT_EQ(ecall(HI | EID_SSE, 0, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	/* probe_extension's argument is a long, not 32-bit data. */
	EXPECT_EQ(probe(HI | VSBI_EXT_BASE), 0);
}

static void arg32_fid(void)
{
	setup();
	EXPECT_EQ(ecall(VSBI_EXT_BASE, HI | 1, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, VSBI_IMPL_ID_DIOSIX);
	EXPECT_EQ(ecall(VSBI_EXT_BASE, HI | 3, VSBI_EXT_HSM, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ret_a1, 1);
	EXPECT_EQ(ecall(VSBI_EXT_BASE, HI | 7, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, HI | 1, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(ctr->state, CTR_RUNNING);
}

static void arg32_reset_type(void)
{
	setup();
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, HI | 3, 0, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, HI | 0xf0000000, 0, 0),
		  VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ctr->state, CTR_RUNNING);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, HI | 1, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(ctr->state, CTR_STOPPING);
	EXPECT_EQ(ctr->stop_reason, CTR_STOP_REBOOT);
}

static void arg32_reset_reason(void)
{
	setup();
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, 0, HI | 2, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(ctr->state, CTR_RUNNING);
	EXPECT_EQ(ecall(VSBI_EXT_SRST, 0, 0, HI | 1, 0), VSBI_SUCCESS);
	EXPECT_EQ(ctr->state, CTR_STOPPING);
	EXPECT_EQ(ctr->stop_reason, CTR_STOP_CRASH);
}

/* write_byte's byte is a uint8_t: bits 8 and up are not looked at. */
static void arg32_write_byte(void)
{
	setup();
	EXPECT_EQ(dbcn(2, HI | 0xff00 | 'b', 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(dbcn(2, HI | '\n', 0, 0), VSBI_SUCCESS);
	EXPECT_STREQ(fake_console(), "[guest] b\n");
}

static const struct unit_case sbi_cases[] = {
	UNIT_CASE(base_versions),
	UNIT_CASE(base_machine_ids),
	UNIT_CASE(base_probe),
	UNIT_CASE(probe_every_ext),
	UNIT_CASE(sta_set_shmem_errors),
	UNIT_CASE(sta_set_shmem_zeroes_and_disables),
	UNIT_CASE(probe_unknown_and_legacy),
	UNIT_CASE(unknown_eid),
	UNIT_CASE(legacy_putchar),
	UNIT_CASE(legacy_getchar),
	UNIT_CASE(legacy_unsupported),
	UNIT_CASE(legacy_shutdown),
	UNIT_CASE(dbcn_write_lines),
	UNIT_CASE(dbcn_write_edges),
	UNIT_CASE(dbcn_write_chunked),
	UNIT_CASE(dbcn_bad_buffers),
	UNIT_CASE(dbcn_read),
	UNIT_CASE(dbcn_write_byte),
	UNIT_CASE(dbcn_unknown_fid),
	UNIT_CASE(time_no_sstc),
	UNIT_CASE(time_sstc),
	UNIT_CASE(srst_invalid),
	UNIT_CASE(srst_stops_container),
	UNIT_CASE(srst_last_powers_off),
	UNIT_CASE(srst_stats_logged),
	UNIT_CASE(srst_other_still_running),
	UNIT_CASE(srst_stay_up),
	UNIT_CASE(srst_reboot_restarts),
	UNIT_CASE(srst_reboot_never),
	UNIT_CASE(arg32_eid),
	UNIT_CASE(arg32_fid),
	UNIT_CASE(arg32_reset_type),
	UNIT_CASE(arg32_reset_reason),
	UNIT_CASE(arg32_write_byte),
};

UNIT_SUITE(sbi, sbi_cases);
