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
 *	spin	spin reading instret until SPIN_GAPS world switches took the
 *		hart away (the timer switch, beside another container doing
 *		the same, and the far side of the wfi handoff)
 *	wfi	SPIN_GAPS times: set a timer, WFI (the near side of the wfi
 *		handoff, beside a container that spins)
 *	park	first start every vCPU but this one and the switch partner,
 *		each blocked in WFI with no interrupt enabled, for ever
 *	irq	a device interrupt through the virtual PLIC: the container
 *		owns QEMU virt's goldfish RTC (bootargs dev=, its PLIC
 *		source irq=, the PLIC at plic=), whose alarm set in the
 *		past raises its line in the store that sets it
 *
 * No bootargs means "null timer". Output, one line per benchmark run:
 *
 *	bench null-call <instructions per call, one decimal>
 *	bench set-timer <instructions per call, one decimal>
 *	bench switch <instructions per switch, one decimal>
 *	bench rdtime <instructions per read, one decimal>
 *	bench misaligned <instructions per load, one decimal>
 *	bench irq-delivery <instructions per interrupt, one decimal>
 *	bench claim-complete <instructions per pair, one decimal>
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
 *
 * irq: IRQ_ROUNDS rounds of: point stvec at the next instruction but
 * one, enable the S external interrupt, read instret, store to the
 * alarm (the line goes up and M-mode takes the interrupt as soon as the
 * store retires), spin; the handler's first instruction reads instret.
 * The same reads around a store to RAM give what the two reads and the
 * store count by themselves; the rest is everything from the interrupt
 * reaching M-mode to the guest's handler running (irq-delivery). The
 * handler then reads instret, claims, clears the alarm, completes and
 * reads instret again: less the same with a load and a store to RAM in
 * place of the two PLIC accesses, plus those two, that is the two
 * trapped accesses (claim-complete), the physical completion included.
 *
 * spin and wfi print raw counts only ("bench-spin", "bench-wfi"):
 * containers share no memory, so tests/bench.py combines the lines of
 * the two containers into per-switch figures (docs/bench.md).
 */
#include "csr.h"
#include "devio.h"
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
#define BENCH_SPIN	32u
#define BENCH_WFI	64u
#define BENCH_PARK	128u
#define BENCH_IRQ	256u

#define IRQ_ROUNDS	64UL

/*
 * spin: world switches to wait for. Each is one 10 ms slice of the
 * other container, about 10^7 instructions under -icount shift=0.
 */
#ifndef SPIN_GAPS
#define SPIN_GAPS	12
#endif
/*
 * An instret step larger than this is a world switch (the other
 * container ran); a smaller one is an interrupt the hypervisor took
 * and returned from (a console poll, a sleeper's timer). A switch gap
 * holds at least the wfi side's WFI_PAD loop.
 */
#define SPIN_BIG	50000UL
/*
 * wfi: rounds of its delay loop between two WFIs (2 instructions each):
 * what it runs between them must count as a switch on the spin side.
 */
#define WFI_PAD		SPIN_BIG
/* wfi: its timer, this many ticks after it is set (1 ms at 10 MHz) */
#define WFI_DELAY	10000ULL

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

/* --- spin and wfi: switches between containers ------------------------ */

#if __riscv_xlen == 64
#define STR_X	"sd"
#else
#define STR_X	"sw"
#endif
#define XBYTES	__SIZEOF_LONG__
#define STRINGIFY_(x)	#x
#define STRINGIFY(x)	STRINGIFY_(x)

/* What one spin saw: at the n-th switch, instret read and excess. */
struct spin_log {
	unsigned long t[SPIN_GAPS];	/* the read that saw switch n */
	unsigned long x[SPIN_GAPS];	/* its step minus SPIN_L */
	unsigned long small_sum, small_n;
};

/*
 * The loop: 4 instructions from one rdinstret to the next (SPIN_L; and
 * SPIN_NOPS nops, 0 unless built with -DSPIN_NOPS=n to vary it),
 * so any larger step is what ran on the hart meanwhile: the M-mode
 * path and whatever other vCPU it switched to. A step is handled in
 * the asm too, and its path's length added to t0 (9 for a switch, 6
 * for a small step), so the next step measures from where the loop
 * would have been: a wrong count would make every step after it look
 * like an interrupt (small_n would explode). The first step, from the
 * read before the loop, is 2 instructions: t0 starts SPIN_L - 2 back.
 */
#ifndef SPIN_NOPS
#define SPIN_NOPS	0	/* longer loops, to check the figures do not move */
#endif
#define SPIN_L	(4 + SPIN_NOPS)

static void __attribute__((noinline)) spin_loop(struct spin_log *log)
{
	unsigned long t0, t1, d, n = SPIN_GAPS, ss = 0, sn = 0;
	unsigned long *pt = log->t, *px = log->x;

	asm volatile("rdinstret %[t0]\n\t"
		     "addi %[t0], %[t0], -2 - " STRINGIFY(SPIN_NOPS) "\n"
		     "1:\n\t"
		     "rdinstret %[t1]\n\t"
		     "sub %[d], %[t1], %[t0]\n\t"
		     "mv %[t0], %[t1]\n\t"
		     ".rept " STRINGIFY(SPIN_NOPS) "\n\tnop\n\t.endr\n\t"
		     "beq %[d], %[l], 1b\n\t"
		     "sub %[d], %[d], %[l]\n\t"
		     "bltu %[d], %[big], 2f\n\t"
		     STR_X " %[t1], 0(%[pt])\n\t"
		     STR_X " %[d], 0(%[px])\n\t"
		     "addi %[pt], %[pt], " STRINGIFY(XBYTES) "\n\t"
		     "addi %[px], %[px], " STRINGIFY(XBYTES) "\n\t"
		     "addi %[n], %[n], -1\n\t"
		     "addi %[t0], %[t0], 9\n\t"
		     "bnez %[n], 1b\n\t"
		     "j 3f\n"
		     "2:\n\t"
		     "add %[ss], %[ss], %[d]\n\t"
		     "addi %[sn], %[sn], 1\n\t"
		     "addi %[t0], %[t0], 6\n\t"
		     "j 1b\n"
		     "3:"
		     : [t0] "=&r"(t0), [t1] "=&r"(t1), [d] "=&r"(d),
		       [n] "+r"(n), [ss] "+r"(ss), [sn] "+r"(sn),
		       [pt] "+r"(pt), [px] "+r"(px)
		     : [l] "r"((unsigned long)SPIN_L), [big] "r"(SPIN_BIG)
		     : "memory");
	log->small_sum = ss;
	log->small_n = sn;
}

/* n rounds of a two-instruction delay loop. */
static void pad(unsigned long n)
{
	asm volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n) : : "memory");
}

/*
 * The other container's last switch holds this one's exit (printing,
 * shutdown). Make it a switch by size too, or the other would wait for
 * it for ever (alone on the hart, it is never switched out again).
 */
static void exit_pad(void)
{
	pad(SPIN_BIG);
}

/* "bench-spin <what> v1 v2 ...": one line, printed in pieces. */
static void print_list(const char *tag, const char *what,
		       const unsigned long *v, int n)
{
	int i;

	printf("%s %s", tag, what);
	for (i = 0; i < n; i++)
		printf(" %lu", v[i]);
	printf("\n");
}

/*
 * Spin until SPIN_GAPS switches. gaps: each switch's excess. runs: from
 * the read after switch n to the read after switch n+1, less the
 * second switch's excess: this vCPU's own time on the hart between the
 * two (its loop and the small steps), to within one loop iteration.
 */
static void bench_spin(void)
{
	static struct spin_log log;
	unsigned long runs[SPIN_GAPS - 1];
	int i;

	irq_disable();
	spin_loop(&log);
	exit_pad();
	for (i = 0; i < SPIN_GAPS - 1; i++)
		runs[i] = log.t[i + 1] - log.t[i] - log.x[i + 1];
	print_list("bench-spin", "gaps", log.x, SPIN_GAPS);
	print_list("bench-spin", "runs", runs, SPIN_GAPS - 1);
	printf("bench-spin small n=%lu sum=%lu loop=%d\n", log.small_n,
	       log.small_sum, SPIN_L);
}

/*
 * SPIN_GAPS times: set the timer WFI_DELAY ticks ahead and WFI with
 * only sie.STIE on (sstatus.SIE off: the timer ends the WFI, it never
 * traps into the guest). gaps: instret across the WFI, less the one
 * read after it: the WFI and everything the hart ran until this vCPU's
 * next instruction. runs: from the read after one WFI to the WFI
 * after it, inclusive of the read: this vCPU's own stretch, exact.
 */
static void bench_wfi(void)
{
	unsigned long t0[SPIN_GAPS], t1[SPIN_GAPS];
	unsigned long gaps[SPIN_GAPS], runs[SPIN_GAPS - 1];
	int i;

	irq_disable();
	csr_write(sie, SIP_STIP);
	for (i = 0; i < SPIN_GAPS; i++) {
		pad(WFI_PAD);
		if (sbi_set_timer(rdtime64() + WFI_DELAY).error)
			bench_fail("set_timer failed");
		asm volatile("rdinstret %0\n\twfi\n\trdinstret %1"
			     : "=&r"(t0[i]), "=&r"(t1[i]) : : "memory");
		if (!(csr_read(sip) & SIP_STIP))
			bench_fail("WFI returned before the timer");
	}
	sbi_set_timer(~0ULL);
	csr_write(sie, 0);
	exit_pad();
	for (i = 0; i < SPIN_GAPS; i++)
		gaps[i] = t1[i] - t0[i] - 1;
	for (i = 0; i < SPIN_GAPS - 1; i++)
		runs[i] = t0[i + 1] - t1[i] + 1;
	print_list("bench-wfi", "gaps", gaps, SPIN_GAPS);
	print_list("bench-wfi", "runs", runs, SPIN_GAPS - 1);
}

/* --- park: idle vCPUs on the sleeper list ------------------------------ */

/* vCPUs parked so far; bench_park_entry adds to it (a global for the asm) */
unsigned int bench_parked;

/*
 * A parked vCPU, with no stack: tell the boot vCPU (whose hart id is
 * the opaque value) it is here, count itself, and WFI with sie = 0, so
 * nothing ever wakes it: it stays blocked until the container stops.
 * The IPI goes first so that by the time the count is full no IPI is
 * still to come.
 */
void bench_park_entry(void);
asm(".pushsection .text\n"
    ".align 2\n"
    "bench_park_entry:\n\t"
    "csrw sie, zero\n\t"
    "csrci sstatus, 2\n\t"
    "mv t0, a1\n\t"
    "li a0, 1\n\t"
    "mv a1, t0\n\t"
    "li a6, 0\n\t"
    "li a7, 0x735049\n\t"
    "ecall\n\t"
    "lla t0, bench_parked\n\t"
    "li t1, 1\n\t"
    "amoadd.w zero, t1, (t0)\n"
    "1:\n\t"
    "wfi\n\t"
    "j 1b\n"
    ".popsection");

/*
 * Start every vCPU but this one and the first other (the switch
 * partner) into bench_park_entry, and wait, with WFI, until all of
 * them are blocked: on one hart they run in turn while this one waits.
 */
static void bench_park(const struct fdt *fdt, unsigned long hartid)
{
	const char *err = smp_init(fdt, hartid);
	int i, partner = smp_first_other();
	unsigned long want = 0;

	if (err)
		bench_fail(err);
	irq_disable();
	csr_write(sie, SIP_SSIP);
	for (i = 0; i < (int)smp.n; i++) {
		if (i == smp.self || i == partner)
			continue;
		if (sbi_hart_start(smp.id[i], (unsigned long)bench_park_entry,
				   hartid).error)
			bench_fail("hart_start of a parked vCPU failed");
		want++;
	}
	while (__atomic_load_n(&bench_parked, __ATOMIC_ACQUIRE) < want)
		wait_ssip();
	csr_clear(sip, SIP_SSIP);
	csr_write(sie, 0);
	printf("bench-detail park vcpus=%lu\n", want);
}

/* --- irq: a device interrupt through the virtual PLIC ------------------ */

struct irq_round {
	unsigned long delivery;		/* instret at the handler - before the store */
	unsigned long pair;		/* instret around claim, clear, complete */
	unsigned long src;		/* what the claim returned */
};

/*
 * RAISE, then instret around a claim, a store to the device and a
 * completion. RAISE reads instret into t0 and t1 around what raises the
 * interrupt: in irq_round, a store to the RTC's ALARM_LOW (ALARM_HIGH is
 * already 0) with stvec at the handler label (2:), which never returns:
 * the code after the trapping store goes straight on from there, so
 * sstatus.SIE stays 0 (it is set again each round). @claim is the
 * PLIC's claim/complete register, @clear the RTC's CLEAR_INTERRUPT.
 */
#define IRQ_STEPS(RAISE, r_, alarm_, clear_, claim_)				\
	({								\
		unsigned long __t0, __t1, __t2, __t3, __tmp;		\
		asm volatile("li %[tmp], 1\n\t"				\
			     RAISE					\
			     "rdinstret %[t2]\n\t"			\
			     "lw %[src], 0(%[claim])\n\t"		\
			     "sw %[tmp], 0(%[clear])\n\t"		\
			     "sw %[src], 0(%[claim])\n\t"		\
			     "rdinstret %[t3]"				\
			     : [t0] "=&r"(__t0), [t1] "=&r"(__t1),	\
			       [t2] "=&r"(__t2), [t3] "=&r"(__t3),	\
			       [tmp] "=&r"(__tmp), [src] "=&r"((r_)->src)	\
			     : [alarm] "r"(alarm_), [clear] "r"(clear_),	\
			       [claim] "r"(claim_)			\
			     : "memory");				\
		(r_)->delivery = __t1 - __t0;				\
		(r_)->pair = __t3 - __t2;				\
	})

static void __attribute__((noinline))
irq_round(struct irq_round *r, unsigned long alarm, unsigned long clear,
	  unsigned long claim)
{
	IRQ_STEPS("lla %[t1], 2f\n\t"
		  "csrw stvec, %[t1]\n\t"
		  "csrsi sstatus, 2\n\t"
		  "rdinstret %[t0]\n\t"
		  "sw zero, 0(%[alarm])\n\t"
		  "1: j 1b\n\t"
		  ".align 2\n"
		  "2: rdinstret %[t1]\n\t", r, alarm, clear, claim);
}

/* The same instructions with RAM in place of the alarm and the PLIC. */
static void __attribute__((noinline))
irq_baseline(struct irq_round *r, unsigned long clear, unsigned long ram)
{
	IRQ_STEPS("rdinstret %[t0]\n\t"
		  "sw zero, 0(%[alarm])\n\t"
		  "rdinstret %[t1]\n\t", r, ram, clear, ram);
}

static void bench_irq(const char *args)
{
	unsigned long plic, dev, irq, stvec, i, delivery = 0, pair = 0;
	static volatile uint32_t ram;
	struct irq_round r, base;

	if (!bootarg_ulong(args, "plic", &plic) || !bootarg_ulong(args, "dev", &dev) ||
	    !bootarg_ulong(args, "irq", &irq))
		bench_fail("irq needs plic=, dev= and irq= in bootargs");
	plic_open(plic, (unsigned int)irq);
	w32(dev + RTC_ALARM_HIGH, 0);
	w32(dev + RTC_IRQ_ENABLED, 1);
	irq_baseline(&base, dev + RTC_CLEAR_INTERRUPT, (unsigned long)&ram);
	stvec = csr_read(stvec);
	csr_set(sie, SIP_SEIP);
	for (i = 0; i < IRQ_ROUNDS; i++) {
		irq_round(&r, dev + RTC_ALARM_LOW, dev + RTC_CLEAR_INTERRUPT,
			  plic + PLIC_CLAIM);
		if (r.src != irq)
			bench_fail("irq: the claim did not return the RTC's source");
		delivery += r.delivery - base.delivery;
		pair += r.pair - base.pair + 2;
	}
	csr_clear(sie, SIP_SEIP);
	csr_write(stvec, stvec);
	w32(dev + RTC_IRQ_ENABLED, 0);
	printf("bench-detail irq delivery=%lu pair=%lu rounds=%lu baseline=%lu,%lu\n",
	       delivery, pair, IRQ_ROUNDS, base.delivery, base.pair);
	print_ratio("irq-delivery", delivery, IRQ_ROUNDS);
	print_ratio("claim-complete", pair, IRQ_ROUNDS);
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
		} else if (len == 4 && !strncmp(tok, "spin", 4)) {
			which |= BENCH_SPIN;
		} else if (len == 3 && !strncmp(tok, "wfi", 3)) {
			which |= BENCH_WFI;
		} else if (len == 4 && !strncmp(tok, "park", 4)) {
			which |= BENCH_PARK;
		} else if (len == 3 && !strncmp(tok, "irq", 3)) {
			which |= BENCH_IRQ;
		} else if (token_has_prefix(tok, len, "plic=") ||
			   token_has_prefix(tok, len, "dev=") ||
			   token_has_prefix(tok, len, "irq=")) {
			continue;	/* irq's arguments */
		} else {
			printf("FAIL bench: unknown benchmark '%.*s' in bootargs "
			       "(null, timer, switch, rdtime, misaligned, spin, wfi, park, irq)\n", (int)len, tok);
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
	const char *args;
	unsigned int which;

	guest_fdt(&fdt, dtb);
	args = guest_bootargs(&fdt);
	which = parse_args(args);
	if (which & BENCH_PARK)
		bench_park(&fdt, hartid);
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
	if (which & BENCH_SPIN)
		bench_spin();
	if (which & BENCH_WFI)
		bench_wfi();
	if (which & BENCH_IRQ)
		bench_irq(args);
	puts("bench done");
	shutdown();
}
