// SPDX-License-Identifier: BSD-2-Clause
/*
 * Virtual harts of one container: HSM, IPI, RFENCE, the v0.1 IPI and
 * fence calls, and WFI (hyp/vsbi_hsm.c, hyp/vsbi_ipi.c, hyp/vsbi_legacy.c,
 * hyp/trap.c), driven through hyp_trap() as the platform would.
 */
#include <libfdt.h>
#include <hyp/container.h>
#include <hyp/gfdt.h>
#include <hyp/hal.h>
#include <hyp/hyp.h>
#include <hyp/manifest.h>
#include <hyp/vsbi.h>
#include <hyp/sched.h>
#include <hyp/vcpu.h>
#include "elf_image.h"
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define NV		4
#define RAM_BASE	0x80400000ULL
#define RAM_SIZE	(4 * HYP_MIB)
#define ENTRY		(RAM_BASE + 0x2000)
#define INSN_WFI	0x10500073UL

#define HSM_START	0
#define HSM_STOP	1
#define HSM_STATUS	2
#define HSM_SUSPEND	3
#define ST_STARTED	0
#define ST_STOPPED	1
#define ST_START_PENDING 2
#define ST_SUSPENDED	4
#define SUSPEND_NONRET	0x80000000UL

extern const struct hyp_machine *hyp_machine;

static const struct hyp_machine machine = {
	.model = "test,machine", .isa = "rv64imac", .mmu = "riscv,sv39",
	.timebase = 10000000,
};

static struct manifest_ctr spec;
static struct container *ctr;
static struct vcpu v[NV];
static u8 image[256];

/* Results of the last trap. */
static int how;
static struct hyp_frame *resumed;

#define REG(cpu, n)	((cpu)->frame.regs.x[HYP_REG_A0 + (n)])

/* A 4-vCPU container; vCPU 0 runs on hart 0, the others are stopped. */
static void setup(void)
{
	struct elf_spec es;

	ctr = fixture_container(0, &spec, "smp", v, NV, RAM_BASE, RAM_SIZE);
	elf_spec_simple(&es, 64);
	spec.image = image;
	spec.image_size = elf_build(image, sizeof(image), &es);
	hyp_machine = &machine;
	ctr->state = CTR_RUNNING;
	ctr->active_vcpus = 1;
	ctr->starts = 1;
	fixture_harts();
	v[0].state = VCPU_RUNNING;
	v[0].hart = 0;
	v[0].frame.regs.mepc = ENTRY;
	hyp_harts[0].current = &v[0];
	fake.hart = 0;
}

/* A trap of @cause from @x on the hart it runs on. */
static void trap(struct vcpu *x, ulong cause, ulong tval)
{
	fake.hart = (unsigned int)x->hart;
	x->frame.trap.cause = cause;
	x->frame.trap.tval = tval;
	fixture_sync_idle();
	resumed = NULL;
	how = FAKE_RUN(resumed = hyp_trap(&x->frame));
}

static void ecall(struct vcpu *x, ulong eid, ulong fid, ulong a0, ulong a1,
		  ulong a2)
{
	x->frame.regs.x[HYP_REG_A7] = eid;
	REG(x, 6) = fid;
	REG(x, 0) = a0;
	REG(x, 1) = a1;
	REG(x, 2) = a2;
	trap(x, HYP_EXC_ECALL_S, 0);
}

static long status(ulong id)
{
	ecall(&v[0], VSBI_EXT_HSM, HSM_STATUS, id, 0, 0);
	EXPECT_EQ(how, FAKE_RETURNED);
	EXPECT_EQ(REG(&v[0], 0), 0);
	return (long)REG(&v[0], 1);
}

/* Let hart @h pick its next vCPU. */
static void run_hart(unsigned int h)
{
	fake.hart = h;
	resumed = NULL;
	how = FAKE_RUN(resumed = sched_next());
}

/* Set up, start vCPU 1 and switch it in on its hart; returns the hart. */
static unsigned int start_secondary(void)
{
	unsigned int h;

	setup();
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, 1, ENTRY, 0);
	h = (unsigned int)v[1].hart;
	run_hart(h);
	ASSERT(resumed == &v[1].frame);
	return h;
}

/* --- HSM ---------------------------------------------------------------- */

static void hsm_status_and_params(void)
{
	setup();
	EXPECT_EQ(status(0), ST_STARTED);
	EXPECT_EQ(status(3), ST_STOPPED);
	ecall(&v[0], VSBI_EXT_HSM, HSM_STATUS, NV, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_PARAM);
	ecall(&v[0], VSBI_EXT_HSM, 9, 0, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT(resumed == &v[0].frame);
}

static void hsm_start(void)
{
	setup();
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, 2, ENTRY + 0x40, 0xfeed);
	EXPECT(resumed == &v[0].frame);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_SUCCESS);
	EXPECT_EQ(ctr->active_vcpus, 2);
	EXPECT_EQ(v[2].state, VCPU_RUNNABLE);
	EXPECT_EQ(v[2].frame.regs.mepc, ENTRY + 0x40);
	EXPECT_EQ(REG(&v[2], 0), 2);
	EXPECT_EQ(REG(&v[2], 1), 0xfeed);
	EXPECT_NE(v[2].hart, 0);
	EXPECT_EQ(fake.kicks[v[2].hart], 1);
	EXPECT_EQ(status(2), ST_START_PENDING);
	run_hart((unsigned int)v[2].hart);
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT(resumed == &v[2].frame);
	EXPECT_EQ(status(2), ST_STARTED);
	/* Started already: refused. */
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, 2, ENTRY, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_ALREADY_AVAILABLE);
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, 0, ENTRY, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_ALREADY_AVAILABLE);
}

static void hsm_start_bad(void)
{
	setup();
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, NV, ENTRY, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_PARAM);
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, 1, RAM_BASE - 4, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_ADDRESS);
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, 1, RAM_BASE + RAM_SIZE - 2, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_ADDRESS);
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, 1, ~0UL - 1, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(v[1].state, VCPU_STOPPED);
	EXPECT_EQ(ctr->active_vcpus, 1);
}

/* A secondary stops itself; its hart goes idle, the container runs on. */
static void hsm_stop_secondary(void)
{
	start_secondary();
	ecall(&v[1], VSBI_EXT_HSM, HSM_STOP, 0, 0, 0);
	EXPECT_EQ(how, FAKE_IDLE);
	EXPECT_EQ(v[1].state, VCPU_STOPPED);
	EXPECT(hyp_harts[v[1].hart].current == NULL);
	EXPECT_EQ(ctr->active_vcpus, 1);
	EXPECT_EQ(ctr->state, CTR_RUNNING);
	EXPECT_EQ(status(1), ST_STOPPED);
	/* And may be started again. */
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, 1, ENTRY + 4, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_SUCCESS);
}

/* The last vCPU stopping stops the container: here, the machine. */
static void hsm_stop_last(void)
{
	setup();
	ecall(&v[0], VSBI_EXT_HSM, HSM_STOP, 0, 0, 0);
	EXPECT_EQ(how, FAKE_POWEROFF);
	EXPECT_EQ(ctr->state, CTR_STOPPED);
	EXPECT_HAS(fake_console(), "container smp stopped (shutdown)");
}

/* Restart "always": the fresh vCPU 0 gets its hart id and DT in a0/a1. */
static void hsm_stop_last_restarts(void)
{
	setup();
	spec.restart = RESTART_ALWAYS;
	ecall(&v[0], VSBI_EXT_HSM, HSM_STOP, 0, 0, 0);
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT_EQ(ctr->state, CTR_RUNNING);
	EXPECT_EQ(ctr->starts, 2);
	EXPECT(resumed == &v[0].frame);
	EXPECT_EQ(v[0].frame.regs.mepc, RAM_BASE);
	EXPECT_EQ(REG(&v[0], 0), 0);
	EXPECT_EQ(REG(&v[0], 1), RAM_BASE + RAM_SIZE - GFDT_MAX_SIZE);
	EXPECT_EQ(fdt_check_header(hal_phys(RAM_BASE + RAM_SIZE - GFDT_MAX_SIZE)), 0);
}

/*
 * vCPU 1 stops itself while the container is already stopping (vCPU 0
 * asked for a shutdown from another hart): the stop must still finish.
 */
static void hsm_stop_while_stopping(void)
{
	start_secondary();
	memset(fake.kicks, 0, sizeof(fake.kicks));
	ecall(&v[0], VSBI_EXT_SRST, 0, 0, 0, 0);
	/* Hart 0 has let go of vCPU 0; vCPU 1 still runs. */
	EXPECT_EQ(how, FAKE_IDLE);
	EXPECT_EQ(ctr->state, CTR_STOPPING);
	EXPECT_EQ(fake.kicks[v[1].hart], 1);
	/* Before it sees the kick, vCPU 1 calls HART_STOP. */
	ecall(&v[1], VSBI_EXT_HSM, HSM_STOP, 0, 0, 0);
	EXPECT_EQ(how, FAKE_POWEROFF);
	EXPECT_EQ(ctr->state, CTR_STOPPED);
	EXPECT_EQ(ctr->active_vcpus, 0);
}

static void hsm_suspend_retentive(void)
{
	setup();
	v[0].csr.sie = HYP_MIP_STIP;
	v[0].timer = 5000;
	fake.now = 100;
	ecall(&v[0], VSBI_EXT_HSM, HSM_SUSPEND, 0, 0, 0);
	EXPECT_EQ(how, FAKE_IDLE);
	EXPECT_EQ(v[0].state, VCPU_BLOCKED);
	EXPECT(hyp_harts[0].sleepers == &v[0]);
	EXPECT_EQ(fake.timer, 5000);
	EXPECT_EQ(REG(&v[0], 0), 0);
	EXPECT_EQ(REG(&v[0], 1), 0);
	/* Its deadline passes: it runs on, after the ecall. */
	fake.now = 5000;
	run_hart(0);
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT(resumed == &v[0].frame);
	EXPECT_EQ(v[0].frame.regs.mepc, ENTRY + 4);
	EXPECT_EQ(v[0].state, VCPU_RUNNING);
	EXPECT(hyp_harts[0].sleepers == NULL);
}

static void hsm_suspend_bad(void)
{
	setup();
	ecall(&v[0], VSBI_EXT_HSM, HSM_SUSPEND, 1, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_PARAM);
	ecall(&v[0], VSBI_EXT_HSM, HSM_SUSPEND, SUSPEND_NONRET, RAM_BASE - 4, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_ADDRESS);
	EXPECT_EQ(v[0].state, VCPU_RUNNING);
	EXPECT(resumed == &v[0].frame);
}

/*
 * suspend_type is a uint32_t: whatever the upper half of a0 holds, 0 is
 * retentive and 0x80000000 non-retentive, and 1 is still reserved.
 */
static void hsm_suspend_type_low_32(void)
{
	const ulong hi = 0xa5a5a5a500000000UL;

	setup();
	ecall(&v[0], VSBI_EXT_HSM, HSM_SUSPEND, hi | 1, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_PARAM);
	v[0].csr.sie = HYP_MIP_STIP;
	v[0].timer = 5000;
	fake.now = 100;
	ecall(&v[0], VSBI_EXT_HSM, HSM_SUSPEND, hi, 0, 0);
	EXPECT_EQ(how, FAKE_IDLE);
	EXPECT_EQ(v[0].state, VCPU_BLOCKED);
	EXPECT_EQ(v[0].block, BLOCK_SUSPEND);

	setup();
	v[0].csr.sie = HYP_MIP_STIP;
	v[0].timer = 10;
	fake.now = 10;
	ecall(&v[0], VSBI_EXT_HSM, HSM_SUSPEND, hi | SUSPEND_NONRET, ENTRY + 0x80, 0x77);
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT_EQ(v[0].frame.regs.mepc, ENTRY + 0x80);
	EXPECT_EQ(REG(&v[0], 1), 0x77);
}

/* An interrupt already pending: a non-retentive suspend resumes fresh. */
static void hsm_suspend_nonret_pending(void)
{
	setup();
	v[0].csr.sie = HYP_MIP_STIP;
	v[0].timer = 10;
	fake.now = 10;
	v[0].csr.satp = 0x8000000000012345UL;
	v[0].frame.regs.mstatus |= HYP_MSTATUS_SIE;
	ecall(&v[0], VSBI_EXT_HSM, HSM_SUSPEND, SUSPEND_NONRET, ENTRY + 0x80, 0x77);
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT(resumed == &v[0].frame);
	EXPECT_EQ(v[0].frame.regs.mepc, ENTRY + 0x80);
	EXPECT_EQ(REG(&v[0], 0), 0);
	EXPECT_EQ(REG(&v[0], 1), 0x77);
	EXPECT_EQ(v[0].csr.satp, 0);
	EXPECT_EQ(v[0].frame.regs.mstatus & HYP_MSTATUS_SIE, 0);
}

/* --- SUSP -------------------------------------------------------------- */

/* Bad types, addresses and functions; refused while another vCPU is not STOPPED. */
static void susp_refused(void)
{
	unsigned int h;

	setup();
	ecall(&v[0], VSBI_EXT_SUSP, 0, 1, ENTRY, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_PARAM);
	ecall(&v[0], VSBI_EXT_SUSP, 0, 0x80000000UL, ENTRY, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_PARAM);
	ecall(&v[0], VSBI_EXT_SUSP, 0, 0, RAM_BASE - 4, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_ADDRESS);
	ecall(&v[0], VSBI_EXT_SUSP, 1, 0, ENTRY, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_NOT_SUPPORTED);
	/* Running, then START_PENDING: both refused. */
	h = start_secondary();
	ecall(&v[0], VSBI_EXT_SUSP, 0, 0, ENTRY, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_DENIED);
	EXPECT_EQ(v[0].state, VCPU_RUNNING);
	ecall(&v[1], VSBI_EXT_HSM, HSM_STOP, 0, 0, 0);
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, 2, ENTRY, 0);
	ecall(&v[0], VSBI_EXT_SUSP, 0, 0, ENTRY, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_DENIED);
	(void)h;
}

/*
 * The last running vCPU suspends the container: it blocks with the
 * machine running on, and resumes at resume_addr when its timer fires,
 * with a0 = hart id, a1 = opaque, satp 0 and interrupts off.
 */
static void susp_suspends_and_resumes(void)
{
	setup();
	v[0].csr.sie = HYP_MIP_STIP;
	v[0].timer = 5000;
	v[0].csr.satp = 0x8000000000012345UL;
	v[0].frame.regs.mstatus |= HYP_MSTATUS_SIE;
	fake.now = 100;
	ecall(&v[0], VSBI_EXT_SUSP, 0, 0, ENTRY + 0x80, 0x99);
	EXPECT_EQ(how, FAKE_IDLE);
	EXPECT_EQ(v[0].state, VCPU_BLOCKED);
	EXPECT_EQ(v[0].block, BLOCK_SUSPEND_NONRET);
	EXPECT_EQ(ctr->state, CTR_RUNNING);
	fake.now = 5000;
	run_hart(0);
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT(resumed == &v[0].frame);
	EXPECT_EQ(v[0].frame.regs.mepc, ENTRY + 0x80);
	EXPECT_EQ(REG(&v[0], 0), 0);
	EXPECT_EQ(REG(&v[0], 1), 0x99);
	EXPECT_EQ(v[0].csr.satp, 0);
	EXPECT_EQ(v[0].frame.regs.mstatus & HYP_MSTATUS_SIE, 0);
}

/* --- FWFT -------------------------------------------------------------- */

#define FWFT_SET	0
#define FWFT_GET	1
#define FWFT_LOCK	1

static long fwft(struct vcpu *x, ulong fid, ulong feature, ulong value, ulong flags)
{
	ecall(x, VSBI_EXT_FWFT, fid, feature, value, flags);
	return (long)REG(x, 0);
}

/* The spec's errors: defined but unsupported, reserved, bad value or flags. */
static void fwft_errors(void)
{
	setup();
	EXPECT_EQ(fwft(&v[0], FWFT_GET, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), 0);
	EXPECT_EQ(fwft(&v[0], FWFT_GET, 4, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(fwft(&v[0], FWFT_SET, 1, 1, 0), VSBI_ERR_NOT_SUPPORTED);
	EXPECT_EQ(fwft(&v[0], FWFT_GET, 6, 0, 0), VSBI_ERR_DENIED);
	EXPECT_EQ(REG(&v[0], 1), 0);
	EXPECT_EQ(fwft(&v[0], FWFT_GET, 0x40000000, 0, 0), VSBI_ERR_DENIED);
	EXPECT_EQ(fwft(&v[0], FWFT_SET, 0xc0000000, 0, 0), VSBI_ERR_DENIED);
	EXPECT_EQ(fwft(&v[0], FWFT_SET, 0, 2, 0), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(fwft(&v[0], FWFT_SET, 0, 1, 2), VSBI_ERR_INVALID_PARAM);
	EXPECT_EQ(fwft(&v[0], 2, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED);
	/* feature is a uint32_t: the upper half of a0 does not count. */
	EXPECT_EQ(fwft(&v[0], FWFT_GET, 0xa5a5a5a500000000UL, 0, 0), VSBI_SUCCESS);
	EXPECT(!v[0].fwft_misaligned_deleg);
	EXPECT_EQ(fake.misaligned_deleg_writes, 0);
}

/* vCPU @x stops itself; vCPU 0 starts vCPU @id; its hart switches it in. */
static void restart_via(struct vcpu *x, unsigned int id)
{
	ecall(x, VSBI_EXT_HSM, HSM_STOP, 0, 0, 0);
	ecall(&v[0], VSBI_EXT_HSM, HSM_START, id, ENTRY, 0);
	run_hart((unsigned int)v[id].hart);
	ASSERT(resumed == &v[id].frame);
}

/*
 * Each vCPU's own: set on vCPU 1, it is in effect on its hart, vCPU 0
 * still reads its own; a switch puts each one's setting on the hart.
 */
static void fwft_per_vcpu(void)
{
	unsigned int h = start_secondary();

	EXPECT_EQ(fwft(&v[1], FWFT_SET, 0, 1, 0), VSBI_SUCCESS);
	EXPECT(fake.misaligned_deleg[h]);
	EXPECT(!fake.misaligned_deleg[0]);
	EXPECT_EQ(fwft(&v[0], FWFT_GET, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[0], 1), 0);
	EXPECT_EQ(fwft(&v[1], FWFT_GET, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[1], 1), 1);
	/* vCPU 1 leaves its hart; vCPU 2 (reset value) takes it. */
	restart_via(&v[1], 2);
	EXPECT(!fake.misaligned_deleg[v[2].hart]);
}

/* LOCK holds until the vCPU is reset (a hart start). */
static void fwft_lock(void)
{
	start_secondary();
	EXPECT_EQ(fwft(&v[1], FWFT_SET, 0, 1, FWFT_LOCK), VSBI_SUCCESS);
	EXPECT_EQ(fwft(&v[1], FWFT_SET, 0, 0, 0), VSBI_ERR_DENIED);
	EXPECT_EQ(fwft(&v[1], FWFT_GET, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[1], 1), 1);
	restart_via(&v[1], 1);
	EXPECT(!fake.misaligned_deleg[v[1].hart]);
	EXPECT_EQ(fwft(&v[1], FWFT_GET, 0, 0, 0), VSBI_SUCCESS);
	EXPECT_EQ(REG(&v[1], 1), 0);
	EXPECT_EQ(fwft(&v[1], FWFT_SET, 0, 1, 0), VSBI_SUCCESS);
}

/* --- IPI and RFENCE ----------------------------------------------------- */

/* vCPUs 1..3 started and queued (not running). */
static void start_all(void)
{
	unsigned int i;

	for (i = 1; i < NV; i++) {
		ecall(&v[0], VSBI_EXT_HSM, HSM_START, i, ENTRY, 0);
		ASSERT_EQ(REG(&v[0], 0), 0);
	}
}

static void ipi_masks(void)
{
	setup();
	start_all();
	ecall(&v[0], VSBI_EXT_IPI, 0, 0x6, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_SUCCESS);
	EXPECT_EQ(v[1].pending, VCPU_PEND_SSIP);
	EXPECT_EQ(v[2].pending, VCPU_PEND_SSIP);
	EXPECT_EQ(v[3].pending, 0);
	ecall(&v[0], VSBI_EXT_IPI, 0, 0x1, 3, 0);
	EXPECT_EQ(v[3].pending, VCPU_PEND_SSIP);
	EXPECT_EQ(fake.sip, 0);
	/* Itself, through base -1: at once, locally. */
	ecall(&v[0], VSBI_EXT_IPI, 0, 0, -1UL, 0);
	EXPECT_EQ(fake.sip, HYP_MIP_SSIP);
	EXPECT_EQ(v[0].pending, 0);
	/* Harts beyond the container. */
	ecall(&v[0], VSBI_EXT_IPI, 0, 0x10, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_PARAM);
	ecall(&v[0], VSBI_EXT_IPI, 0, 0x3, 3, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_PARAM);
	ecall(&v[0], VSBI_EXT_IPI, 0, 0x1, NV, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_PARAM);
	ecall(&v[0], VSBI_EXT_IPI, 1, 0x1, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_NOT_SUPPORTED);
}

/* A queued vCPU takes its IPI when it is switched in. */
static void ipi_delivered_on_switch(void)
{
	setup();
	start_all();
	ecall(&v[0], VSBI_EXT_IPI, 0, 0x2, 0, 0);
	run_hart((unsigned int)v[1].hart);
	ASSERT(resumed == &v[1].frame);
	EXPECT_EQ(fake.sip, HYP_MIP_SSIP);
	EXPECT_EQ(v[1].pending, 0);
}

static void ipi_to_stopped_ignored(void)
{
	setup();
	ecall(&v[0], VSBI_EXT_IPI, 0, 0x2, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_SUCCESS);
	EXPECT_EQ(v[1].pending, 0);
}

/* The target runs on another hart: kicked, it takes the IPI at once. */
static void ipi_to_running(void)
{
	unsigned int h;

	h = start_secondary();
	fake.kicks[h] = 0;
	ecall(&v[0], VSBI_EXT_IPI, 0, 0x2, 0, 0);
	EXPECT_EQ(fake.kicks[h], 1);
	EXPECT_EQ(fake.sip, 0);
	trap(&v[1], HYP_CAUSE_IRQ | HYP_IRQ_M_SOFT, 0);
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT(resumed == &v[1].frame);
	EXPECT_EQ(fake.sip, HYP_MIP_SSIP);
	EXPECT_EQ(v[1].pending, 0);
}

/* An IPI wakes a vCPU blocked in WFI, if it enabled SSIP. */
static void ipi_wakes_wfi(void)
{
	start_secondary();
	v[1].csr.sie = HYP_MIP_SSIP;
	trap(&v[1], HYP_EXC_ILLEGAL_INSN, INSN_WFI);
	EXPECT_EQ(how, FAKE_IDLE);
	EXPECT_EQ(v[1].state, VCPU_BLOCKED);
	EXPECT_EQ(v[1].frame.regs.mepc, ENTRY + 4);
	EXPECT_EQ(status(1), ST_STARTED);
	ecall(&v[0], VSBI_EXT_IPI, 0, 0x2, 0, 0);
	EXPECT_EQ(v[1].state, VCPU_RUNNABLE);
	run_hart((unsigned int)v[1].hart);
	EXPECT(resumed == &v[1].frame);
	EXPECT_EQ(fake.sip, HYP_MIP_SSIP);
}

static void rfence(void)
{
	setup();
	start_all();
	ecall(&v[0], VSBI_EXT_RFENCE, 0, 0x3, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_SUCCESS);
	EXPECT_EQ(fake.fence_i, 1);
	EXPECT_EQ(v[1].pending, VCPU_PEND_FENCE_I);
	ecall(&v[0], VSBI_EXT_RFENCE, 1, 0x4, 0, 0);
	EXPECT_EQ(v[2].pending, VCPU_PEND_SFENCE);
	ecall(&v[0], VSBI_EXT_RFENCE, 2, 0, -1UL, 0);
	EXPECT_EQ(fake.sfence_vma, 1);
	EXPECT_EQ(v[3].pending, VCPU_PEND_SFENCE);
	ecall(&v[0], VSBI_EXT_RFENCE, 3, 1, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_NOT_SUPPORTED);
	ecall(&v[0], VSBI_EXT_RFENCE, 0, 0x20, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_PARAM);
	run_hart((unsigned int)v[1].hart);
	ASSERT(resumed == &v[1].frame);
	EXPECT_EQ(fake.fence_i, 2);
}

/* v0.1: the hart mask is a pointer into the guest; NULL means all. */
static void legacy_ipi_and_fences(void)
{
	ulong mask = 0x4 | (1UL << 40);

	setup();
	start_all();
	memcpy(hal_phys(RAM_BASE + 0x3000), &mask, sizeof(mask));
	ecall(&v[0], VSBI_EXT_LEGACY_SEND_IPI, 0, RAM_BASE + 0x3000, 0x99, 0);
	EXPECT_EQ((long)REG(&v[0], 0), 0);
	EXPECT_EQ(REG(&v[0], 1), 0x99);
	EXPECT_EQ(v[2].pending, VCPU_PEND_SSIP);
	EXPECT_EQ(v[1].pending, 0);
	ecall(&v[0], VSBI_EXT_LEGACY_FENCE_I, 0, 0, 0, 0);
	EXPECT_EQ(v[1].pending, VCPU_PEND_FENCE_I);
	EXPECT_EQ(v[3].pending, VCPU_PEND_FENCE_I);
	EXPECT_EQ(fake.fence_i, 1);
	ecall(&v[0], VSBI_EXT_LEGACY_SFENCE_VMA, 0, 0, 0, 0);
	ecall(&v[0], VSBI_EXT_LEGACY_SFENCE_ASID, 0, 0, 0, 0);
	EXPECT_EQ(fake.sfence_vma, 2);
	ecall(&v[0], VSBI_EXT_LEGACY_SEND_IPI, 0, 0x1000, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_ADDRESS);
	fake.sip = HYP_MIP_SSIP | HYP_MIP_STIP;
	ecall(&v[0], VSBI_EXT_LEGACY_CLEAR_IPI, 0, 0, 0, 0);
	EXPECT_EQ(fake.sip, HYP_MIP_STIP);
}

/*
 * The mask's word must be the container's, wherever the PMP would let
 * an M-mode access go: just past its RAM, straddling its end or
 * misaligned is an invalid address; behind the guest's own Sv39 table
 * it is read where the table says.
 */
static void legacy_mask_in_ram_only(void)
{
	static const u64 bad[] = { RAM_BASE + RAM_SIZE, RAM_BASE + RAM_SIZE - 4,
				   RAM_BASE + 0x3004, RAM_BASE - 8, FAKE_MEM_BASE };
	ulong mask = 0x2, va = 0x40201008;
	unsigned int i;

	setup();
	start_all();
	for (i = 0; i < HYP_ARRAY_SIZE(bad); i++) {
		ecall(&v[0], VSBI_EXT_LEGACY_SEND_IPI, 0, (ulong)bad[i], 0, 0);
		EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_ADDRESS);
	}
	EXPECT_EQ(v[1].pending, 0);
	/* Sv39: root at +0x10000, one level-1 table at +0x11000, a level-0
	 * table at +0x12000 mapping va's page to RAM + 0x20000. */
	*(u64 *)hal_phys(RAM_BASE + 0x10000 + 8 * 1) = ((RAM_BASE + 0x11000) >> 12) << 10 | 1;
	*(u64 *)hal_phys(RAM_BASE + 0x11000 + 8 * 1) = ((RAM_BASE + 0x12000) >> 12) << 10 | 1;
	*(u64 *)hal_phys(RAM_BASE + 0x12000 + 8 * 1) = ((RAM_BASE + 0x20000) >> 12) << 10 | 0x43;
	memcpy(hal_phys(RAM_BASE + 0x20008), &mask, sizeof(mask));
	fake.satp = 8UL << 60 | (RAM_BASE + 0x10000) >> 12;
	ecall(&v[0], VSBI_EXT_LEGACY_SEND_IPI, 0, va, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), 0);
	EXPECT_EQ(v[1].pending, VCPU_PEND_SSIP);
	/* The same page, unmapped: a fault for the guest, invalid for us. */
	*(u64 *)hal_phys(RAM_BASE + 0x12000 + 8 * 1) = 0;
	ecall(&v[0], VSBI_EXT_LEGACY_SEND_IPI, 0, va, 0, 0);
	EXPECT_EQ((long)REG(&v[0], 0), VSBI_ERR_INVALID_ADDRESS);
}

/* --- time CSR reads that trap -------------------------------------------- */

#define INSN_RDTIME(rd)	(0xc0102073UL | (ulong)(rd) << 7)

/* rdtime answered in place: rd gets the time, pc moves on, no forward. */
static void rdtime_emulated(void)
{
	ulong pc;

	setup();
	start_all();
	fake.now = 0x123456789aULL;
	pc = v[0].frame.regs.mepc;
	trap(&v[0], HYP_EXC_ILLEGAL_INSN, INSN_RDTIME(HYP_REG_A5));
	EXPECT(resumed == &v[0].frame);
	EXPECT_EQ(REG(&v[0], 5), 0x123456789aULL);
	EXPECT_EQ(v[0].frame.regs.mepc, pc + 4);
	trap(&v[0], HYP_EXC_ILLEGAL_INSN, INSN_RDTIME(0));
	EXPECT_EQ(v[0].frame.regs.x[0], 0);
	EXPECT_EQ(v[0].frame.regs.mepc, pc + 8);
	EXPECT_EQ(fake.forwards, 0);
}

/* Not a plain read of time, or from VS-mode: OpenSBI's to handle. */
static void rdtime_others_forwarded(void)
{
	setup();
	start_all();
	trap(&v[0], HYP_EXC_ILLEGAL_INSN, 0xc0101073UL | 15 << 7);	/* csrrw */
	trap(&v[0], HYP_EXC_ILLEGAL_INSN, 0xc0002073UL | 15 << 7);	/* cycle */
	trap(&v[0], HYP_EXC_ILLEGAL_INSN, 0xc010a073UL | 15 << 7);	/* rs1 != x0 */
	v[0].frame.regs.mstatus |= 1UL << 39;				/* MPV */
	trap(&v[0], HYP_EXC_ILLEGAL_INSN, INSN_RDTIME(15));
	EXPECT_EQ(fake.forwards, 4);
}

/* --- WFI ---------------------------------------------------------------- */

static void wfi_pending_goes_on(void)
{
	setup();
	v[0].csr.sie = HYP_MIP_SSIP;
	v[0].csr.sip = HYP_MIP_SSIP;
	trap(&v[0], HYP_EXC_ILLEGAL_INSN, INSN_WFI);
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT(resumed == &v[0].frame);
	EXPECT_EQ(v[0].frame.regs.mepc, ENTRY + 4);
	EXPECT_EQ(v[0].state, VCPU_RUNNING);
	EXPECT_EQ(fake.forwards, 0);
}

/* No mtval: the instruction is read from the guest. */
static void wfi_read_from_guest(void)
{
	u32 insn = (u32)INSN_WFI;

	setup();
	memcpy(hal_phys(ENTRY), &insn, 4);
	v[0].csr.sie = HYP_MIP_STIP;
	v[0].timer = 900;
	trap(&v[0], HYP_EXC_ILLEGAL_INSN, 0);
	EXPECT_EQ(how, FAKE_IDLE);
	EXPECT_EQ(v[0].state, VCPU_BLOCKED);
	EXPECT_EQ(fake.timer, 900);
}

static void other_illegal_forwarded(void)
{
	setup();
	trap(&v[0], HYP_EXC_ILLEGAL_INSN, 0x30200073);	/* mret */
	ASSERT_EQ(how, FAKE_RETURNED);
	EXPECT_EQ(fake.forwards, 1);
	EXPECT_EQ(v[0].frame.regs.mepc, ENTRY);
	EXPECT_EQ(v[0].state, VCPU_RUNNING);
}

static const struct unit_case hsm_cases[] = {
	UNIT_CASE(hsm_status_and_params),
	UNIT_CASE(hsm_start),
	UNIT_CASE(hsm_start_bad),
	UNIT_CASE(hsm_stop_secondary),
	UNIT_CASE(hsm_stop_last),
	UNIT_CASE(hsm_stop_last_restarts),
	UNIT_CASE(hsm_stop_while_stopping),
	UNIT_CASE(hsm_suspend_retentive),
	UNIT_CASE(hsm_suspend_bad),
	UNIT_CASE(hsm_suspend_nonret_pending),
	UNIT_CASE(hsm_suspend_type_low_32),
	UNIT_CASE(susp_refused),
	UNIT_CASE(susp_suspends_and_resumes),
	UNIT_CASE(fwft_errors),
	UNIT_CASE(fwft_per_vcpu),
	UNIT_CASE(fwft_lock),
	UNIT_CASE(ipi_masks),
	UNIT_CASE(ipi_delivered_on_switch),
	UNIT_CASE(ipi_to_stopped_ignored),
	UNIT_CASE(ipi_to_running),
	UNIT_CASE(ipi_wakes_wfi),
	UNIT_CASE(rfence),
	UNIT_CASE(legacy_ipi_and_fences),
	UNIT_CASE(legacy_mask_in_ram_only),
	UNIT_CASE(rdtime_emulated),
	UNIT_CASE(rdtime_others_forwarded),
	UNIT_CASE(wfi_pending_goes_on),
	UNIT_CASE(wfi_read_from_guest),
	UNIT_CASE(other_illegal_forwarded),
};

UNIT_SUITE(hsm, hsm_cases);
