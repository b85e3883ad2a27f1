// SPDX-License-Identifier: BSD-2-Clause
/*
 * bench: instruction counts of the SBI paths diosix puts in front of
 * OpenSBI, for `make bench` (tests/bench.py, docs/bench.md). Meant to
 * run under QEMU -icount shift=0, where instret counts instructions
 * exactly and every run gives the same numbers.
 *
 * instret is per physical hart and counts every privilege mode, so a
 * delta around an ecall includes the whole M-mode path behind it (and,
 * for the switch benchmark, the other vCPU and the hypervisor).
 *
 * /chosen/bootargs picks the benchmarks, in any order, run in this one:
 *
 *	null	SBI BASE get_spec_version, BENCH_CALLS times
 *	timer	SBI TIME set_timer to a deadline far in the future, likewise
 *	switch	IPI ping-pong between two vCPUs that wait with WFI
 *		(needs a second hart in /cpus; on diosix, two vCPUs of one
 *		container on one physical hart)
 *	rdtime	a read of the time CSR (a trap where the hart has no time
 *		CSR, or under the manifest's trap-time; else one instruction)
 *	misaligned	a load from an address one byte past alignment (a trap
 *		and emulation where the hart cannot do it, as on the U54/U74;
 *		QEMU 7.2 does it in hardware)
 *
 * No bootargs means "null timer". Output, one line per benchmark run:
 *
 *	bench null-call <instructions per call, one decimal>
 *	bench set-timer <instructions per call, one decimal>
 *	bench switch <instructions per switch, one decimal>
 *	bench rdtime <instructions per read, one decimal>
 *	bench misaligned <instructions per load, one decimal>
 *
 * each after a line "bench-detail <name> <raw counts>" with the totals
 * it came from, then "bench done", and SRST shutdown. Anything wrong
 * prints "FAIL bench: ..." and shuts down with reason failure.
 *
 * null and timer: the same loop of BENCH_CALLS iterations runs twice,
 * once with the ecall and once with a nop in its place; the per-call
 * figure is (ecall loop - nop loop) / BENCH_CALLS, so the loop's own
 * instructions (argument set-up, counter, branch) cancel out and what
 * is left is the ecall, everything the firmware runs for it, and the
 * mret back, minus the one nop.
 *
 * switch: vCPU 0 starts vCPU 1 with HSM. Both enable sie.SSIE with
 * sstatus.SIE off, so an IPI never traps in the guest; it only ends a
 * WFI. One round: vCPU 0 sends an IPI to vCPU 1 and waits (WFI until
 * sip.SSIP, then clears it); vCPU 1, waiting the same way, wakes,
 * clears sip.SSIP and sends an IPI back. On one physical hart each
 * round is two world switches. vCPU 0 reads instret before and after
 * BENCH_ROUNDS rounds; per switch = that delta / (2 * BENCH_ROUNDS).
 * Nothing is subtracted: it includes both guests' loop instructions.
 */
#include "rt.h"
#include "sbitest.h"

#define BENCH_CALLS	10000UL
#define BENCH_ROUNDS	1000UL

/* set_timer deadline: this many ticks past now (about 30 h at 10 MHz). */
#define FAR_TICKS	(1ULL << 40)

#define BENCH_NULL	1u
#define BENCH_TIMER	2u
#define BENCH_SWITCH	4u
#define BENCH_RDTIME	8u
#define BENCH_MISALIGNED 16u

/*
 * The timed loop: n iterations of "set a0, a1, a6, a7; INSN; count
 * down", instret read just before the first and just after the last.
 * a0 and a1 are reloaded every time since the ecall returns in them.
 * rdinstret is XLEN bits wide; every delta measured here is far below
 * 2^32, so the unsigned (modular) subtraction is exact on rv32 too.
 */
#define TIMED_LOOP(INSN, n, ext, fid, x0, x1)				\
	({								\
		unsigned long __t0, __t1, __n = (n);			\
		asm volatile("rdinstret %[t0]\n\t"			\
			     "1:\n\t"					\
			     "mv a0, %[a0v]\n\t"			\
			     "mv a1, %[a1v]\n\t"			\
			     "mv a6, %[fidv]\n\t"			\
			     "mv a7, %[extv]\n\t"			\
			     INSN "\n\t"				\
			     "addi %[cnt], %[cnt], -1\n\t"		\
			     "bnez %[cnt], 1b\n\t"			\
			     "rdinstret %[t1]"				\
			     : [t0] "=&r"(__t0), [t1] "=&r"(__t1),	\
			       [cnt] "+r"(__n)				\
			     : [a0v] "r"(x0), [a1v] "r"(x1),		\
			       [fidv] "r"(fid), [extv] "r"(ext)		\
			     : "a0", "a1", "a6", "a7", "memory");	\
		__t1 - __t0;						\
	})

/*
 * The two loops differ in one instruction. The nop is forced to the
 * 4-byte encoding (the assembler would pick the 2-byte c.nop), so the
 * loops have the same layout as well.
 */
static unsigned long __attribute__((noinline))
loop_ecall(unsigned long ext, unsigned long fid, unsigned long x0,
	   unsigned long x1)
{
	return TIMED_LOOP("ecall", BENCH_CALLS, ext, fid, x0, x1);
}

static unsigned long __attribute__((noinline))
loop_nop(unsigned long ext, unsigned long fid, unsigned long x0,
	 unsigned long x1)
{
	return TIMED_LOOP(".option push\n\t.option norvc\n\tnop\n\t.option pop",
			  BENCH_CALLS, ext, fid, x0, x1);
}

/* The same loop around one time read, and around a misaligned load. */
static unsigned long __attribute__((noinline))
loop_rdtime(void)
{
	return TIMED_LOOP("rdtime a0", BENCH_CALLS, 0, 0, 0, 0);
}

static unsigned long __attribute__((noinline))
loop_misaligned(unsigned long aligned)
{
#if __riscv_xlen == 64
	return TIMED_LOOP("ld a0, 1(a1)", BENCH_CALLS, 0, 0, 0, aligned);
#else
	return TIMED_LOOP("lw a0, 1(a1)", BENCH_CALLS, 0, 0, 0, aligned);
#endif
}

static void __attribute__((noreturn)) bench_fail(const char *what)
{
	printf("FAIL bench: %s\n", what);
	shutdown_failure();
}

/*
 * "<whole>.<tenth>" of num / den, rounded to the nearest tenth. In
 * unsigned long arithmetic (the guests have no libgcc for 64-bit
 * division on rv32): every num here is a few million at most.
 */
static void print_ratio(const char *name, unsigned long num, unsigned long den)
{
	unsigned long tenths;

	if (!den || num > (~0UL - den / 2) / 10)
		bench_fail("count out of range");
	tenths = (num * 10 + den / 2) / den;
	printf("bench %s %lu.%lu\n", name, tenths / 10, tenths % 10);
}

/* One SBI call benchmark: ecall loop, nop loop, difference per call. */
static void bench_call(const char *name, unsigned long ext, unsigned long fid,
		       unsigned long x0, unsigned long x1)
{
	unsigned long with, without;

	with = loop_ecall(ext, fid, x0, x1);
	without = loop_nop(ext, fid, x0, x1);
	printf("bench-detail %s ecall-loop=%lu nop-loop=%lu calls=%lu\n",
	       name, with, without, BENCH_CALLS);
	if (with <= without)
		bench_fail("the ecall loop retired no more instructions than the nop loop "
			   "(is instret counting?)");
	print_ratio(name, with - without, BENCH_CALLS);
}

static void bench_null(void)
{
	struct sbiret ret = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);

	if (ret.error)
		bench_fail("get_spec_version failed");
	bench_call("null-call", SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0);
}

static void bench_timer(void)
{
	uint64_t when = rdtime64() + FAR_TICKS;
	unsigned long lo = (unsigned long)when, hi = 0;
	struct sbiret ret;

#if __riscv_xlen == 32
	hi = (unsigned long)(when >> 32);
#endif
	ret = sbi_set_timer(when);
	if (ret.error)
		bench_fail("set_timer failed");
	bench_call("set-timer", SBI_EXT_TIME, SBI_TIME_SET_TIMER, lo, hi);
	/* No timer left armed: the far deadline would never fire anyway. */
	sbi_set_timer(~0ULL);
	csr_clear(sip, SIP_STIP);
}

/* One instruction's cost, from its loop and the nop loop. */
static void bench_insn(const char *name, unsigned long with)
{
	unsigned long without = loop_nop(0, 0, 0, 0);

	printf("bench-detail %s loop=%lu nop-loop=%lu n=%lu\n", name, with, without,
	       BENCH_CALLS);
	if (with < without)
		bench_fail("the loop retired fewer instructions than the nop loop");
	print_ratio(name, with - without + BENCH_CALLS, BENCH_CALLS);
}

static void bench_rdtime(void)
{
	bench_insn("rdtime", loop_rdtime());
}

static void bench_misaligned(void)
{
	static unsigned long buf[4] __attribute__((aligned(16)));

	bench_insn("misaligned", loop_misaligned((unsigned long)buf));
}

/* --- switch ------------------------------------------------------------ */

static unsigned long partner_ready;
static unsigned long partner_stop;
static unsigned long partner_rounds;	/* IPIs the partner answered */
static long partner_error;		/* first failed send_ipi, if any */

/* WFI until an IPI is pending (sstatus.SIE is off: it never traps). */
static inline void wait_ssip(void)
{
	while (!(csr_read(sip) & SIP_SSIP))
		asm volatile("wfi" : : : "memory");
	csr_clear(sip, SIP_SSIP);
}

static void ipi_to(unsigned long hartid)
{
	struct sbiret ret = sbi_send_ipi(1, hartid);

	if (ret.error && !partner_error)
		partner_error = ret.error;
}

/* vCPU 1: answer every IPI until told to stop, then say goodbye. */
static void partner(struct smp_slot *slot)
{
	unsigned long boot = smp.id[smp.self];

	(void)slot;
	irq_disable();
	csr_write(sie, SIP_SSIP);
	csr_clear(sip, SIP_SSIP);
	st_release(&partner_ready, 1);
	ipi_to(boot);
	for (;;) {
		wait_ssip();
		if (ld_acquire(&partner_stop))
			break;
		partner_rounds++;
		ipi_to(boot);
	}
	csr_write(sie, 0);
	ipi_to(boot);		/* the goodbye; then smp_secondary stops us */
}

static void bench_switch(const struct fdt *fdt, unsigned long hartid)
{
	const char *err = smp_init(fdt, hartid);
	unsigned long other, t0, t1, r;
	struct sbiret ret;
	int idx;

	if (err)
		bench_fail(err);
	idx = smp_first_other();
	if (idx < 0)
		bench_fail("switch needs a second hart in /cpus");
	other = smp.id[idx];

	irq_disable();
	csr_write(sie, SIP_SSIP);
	csr_clear(sip, SIP_SSIP);

	/* The partner's first IPI says it is in its loop. */
	ret = smp_start(idx, 0, partner);
	if (ret.error)
		bench_fail("hart_start of the partner failed");
	wait_ssip();
	if (!ld_acquire(&partner_ready))
		bench_fail("woken before the partner was ready");

	asm volatile("rdinstret %0" : "=r"(t0) : : "memory");
	for (r = 0; r < BENCH_ROUNDS; r++) {
		ipi_to(other);
		wait_ssip();
	}
	asm volatile("rdinstret %0" : "=r"(t1) : : "memory");

	st_release(&partner_stop, 1);
	ipi_to(other);
	wait_ssip();			/* its goodbye */
	csr_write(sie, 0);

	printf("bench-detail switch instret=%lu rounds=%lu switches=%lu\n",
	       t1 - t0, BENCH_ROUNDS, 2 * BENCH_ROUNDS);
	if (partner_error)
		bench_fail("send_ipi failed");
	if (ld_acquire(&partner_rounds) != BENCH_ROUNDS)
		bench_fail("the partner did not answer every round");
	if (hsm_wait_status(other, HSM_STOPPED) != HSM_STOPPED)
		bench_fail("the partner did not stop");
	print_ratio("switch", t1 - t0, 2 * BENCH_ROUNDS);
}

/* --- bootargs ---------------------------------------------------------- */

static unsigned int parse_args(const char *args)
{
	const char *cur = args, *tok;
	unsigned int which = 0;
	size_t len;

	if (!args)
		return BENCH_NULL | BENCH_TIMER;
	while (next_token(&cur, &tok, &len)) {
		if (len == 4 && !strncmp(tok, "null", 4)) {
			which |= BENCH_NULL;
		} else if (len == 5 && !strncmp(tok, "timer", 5)) {
			which |= BENCH_TIMER;
		} else if (len == 6 && !strncmp(tok, "switch", 6)) {
			which |= BENCH_SWITCH;
		} else if (len == 6 && !strncmp(tok, "rdtime", 6)) {
			which |= BENCH_RDTIME;
		} else if (len == 10 && !strncmp(tok, "misaligned", 10)) {
			which |= BENCH_MISALIGNED;
		} else {
			printf("FAIL bench: unknown benchmark '%.*s' in bootargs "
			       "(null, timer, switch, rdtime, misaligned)\n", (int)len, tok);
			shutdown_failure();
		}
	}
	if (!which)
		bench_fail("no benchmark in bootargs");
	return which;
}

int main(unsigned long hartid, const void *dtb)
{
	struct fdt fdt;
	unsigned int which;

	guest_fdt(&fdt, dtb);
	which = parse_args(guest_bootargs(&fdt));
	if (which & BENCH_NULL)
		bench_null();
	if (which & BENCH_TIMER)
		bench_timer();
	if (which & BENCH_SWITCH)
		bench_switch(&fdt, hartid);
	if (which & BENCH_RDTIME)
		bench_rdtime();
	if (which & BENCH_MISALIGNED)
		bench_misaligned();
	puts("bench done");
	shutdown();
}
