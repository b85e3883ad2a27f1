// SPDX-License-Identifier: BSD-2-Clause
/*
 * noisy: a container hammered by its device's interrupts beside a
 * CPU-bound neighbour on the same hart (system test: noisy). Two roles,
 * from bootargs; both go by the machine's clock (the time CSR, the same
 * for every container), so they need share nothing:
 *
 * role=hammer  owns QEMU virt's goldfish RTC (dev= at its address, its
 *              PLIC source irq=, the virtual PLIC at plic=). Sleeps in
 *              WFI until HAMMER_FROM_MS, so the worker has the hart to
 *              itself; then, until HAMMER_TO_MS, takes the RTC's alarm
 *              interrupt as fast as it can: its handler claims, clears
 *              the alarm, sets it again in the past (the line is up
 *              again at once) and completes, so the next interrupt is
 *              there as soon as the completion reaches the PLIC. Then:
 *
 *	noisy: hammer: <n> interrupts, <s> spurious, <o> other
 *
 * role=worker  spins in chunks of a fixed loop (CHUNK_ITERS iterations)
 *              and counts how many chunks fit in a window of the clock:
 *              alone in [SOLO_FROM_MS, SOLO_TO_MS), then in PERIODS
 *              windows of PERIOD_MS from SHARED_FROM_MS, all while the
 *              hammer hammers. Its share of the hart in a window is its
 *              rate there over its rate alone. Printed once the last
 *              window is over:
 *
 *	noisy: worker alone: <chunks> chunks in <ticks> ticks
 *	noisy: worker period <i>: <chunks> chunks in <ticks> ticks
 *
 * A window the worker spent entirely off the hart has 0 ticks (the next
 * one starts where it found the clock). The test computes the shares
 * and decides what is fair (tests/system/cases.py, noisy), and wants no
 * spurious or other interrupt. A window that has already begun when the
 * worker gets there is a FAIL line.
 */
#include "csr.h"
#include "devio.h"
#include "irq.h"
#include "rt.h"
#include "sbitest.h"
#include "smp.h"

#define EXT		"noisy"

/* The machine's clock, in ms since reset. */
#define SOLO_FROM_MS	30
#define SOLO_TO_MS	90
#define HAMMER_FROM_MS	100
#define SHARED_FROM_MS	120
#define PERIOD_MS	100
#define PERIODS		4
#define HAMMER_TO_MS	(SHARED_FROM_MS + PERIODS * PERIOD_MS + 20)

/* One chunk of work: 2 instructions an iteration. */
#define CHUNK_ITERS	1024

static unsigned long plic, dev;
static unsigned int irq;
static uint64_t stop_at;
static volatile unsigned int hits, spurious, other;

static uint64_t at_ms(unsigned int ms)
{
	return ms_to_ticks(ms);
}

static void __attribute__((noinline)) chunk(void)
{
	unsigned long n = CHUNK_ITERS;

	asm volatile("1: addi %0, %0, -1\n\t"
		     "bnez %0, 1b" : "+r"(n));
}

/* Spin until @from, which must be ahead: a window starts there. */
static void start_at(uint64_t from)
{
	if (rdtime64() >= from) {
		printf("FAIL " EXT ": worker: the window at %llu ms began before it was ready\n",
		       (unsigned long long)udiv64(from, at_ms(1)));
		shutdown_failure();
	}
	while (rdtime64() < from)
		cpu_relax();
}

/* Chunks done from now until @to; *t0 is now, on return the end. */
static unsigned long chunks_until(uint64_t *t0, uint64_t to)
{
	unsigned long n = 0;
	uint64_t now;

	while ((now = rdtime64()) < to) {
		chunk();
		n++;
	}
	*t0 = now - *t0;
	return n;
}

/*
 * The windows follow each other with nothing between them (the lines
 * are printed after the last), so together they cover every tick.
 */
static void worker(void)
{
	uint64_t solo_ticks, ticks[PERIODS], from = at_ms(SHARED_FROM_MS);
	unsigned long solo, n[PERIODS];
	unsigned int i;

	start_at(at_ms(SOLO_FROM_MS));
	solo_ticks = rdtime64();
	solo = chunks_until(&solo_ticks, at_ms(SOLO_TO_MS));
	start_at(from);
	for (i = 0; i < PERIODS; i++) {
		ticks[i] = rdtime64();
		from += at_ms(PERIOD_MS);
		n[i] = chunks_until(&ticks[i], from);
	}
	printf("noisy: worker alone: %lu chunks in %llu ticks\n", solo,
	       (unsigned long long)solo_ticks);
	for (i = 0; i < PERIODS; i++)
		printf("noisy: worker period %u: %lu chunks in %llu ticks\n",
		       i, n[i], (unsigned long long)ticks[i]);
}

/* Take the interrupt, and have the next one raised before completing. */
static void hammer_irq(unsigned long code)
{
	if (!plic_claim_irq(plic, irq, code, &spurious, &other))
		return;
	hits++;
	w32(dev + RTC_CLEAR_INTERRUPT, 1);
	if (rdtime64() < stop_at)
		rtc_fire(dev);
	w32(plic + PLIC_CLAIM, irq);
}

/* Off the hart until @when: WFI, woken by the SBI timer. */
static void sleep_until(uint64_t when)
{
	csr_set(sie, SIP_STIP);
	sbi_set_timer(when);
	while (rdtime64() < when)
		asm volatile("wfi" ::: "memory");
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIP_STIP);
}

static void hammer(void)
{
	stop_at = at_ms(HAMMER_TO_MS);
	plic_open(plic, irq);
	w32(dev + RTC_IRQ_ENABLED, 1);
	irq_set_handler(hammer_irq);
	sleep_until(at_ms(HAMMER_FROM_MS));
	csr_set(sie, SIP_SEIP);
	irq_enable();
	rtc_fire(dev);
	/* Runs only once the handler stops setting the alarm again. */
	while (rdtime64() < stop_at)
		cpu_relax();
	irq_disable();
	w32(dev + RTC_IRQ_ENABLED, 0);
	printf("noisy: hammer: %u interrupts, %u spurious, %u other\n",
	       hits, spurious, other);
}

int main(unsigned long hartid, const void *dtb)
{
	unsigned long n;
	const char *args;
	struct fdt fdt;

	guest_fdt(&fdt, dtb);
	args = guest_bootargs(&fdt);
	if (smp_init(&fdt, hartid) || !smp.timebase) {
		puts("FAIL " EXT ": no timebase-frequency in the device tree");
		shutdown_failure();
	}
	if (bootarg_flag(args, "role=worker")) {
		worker();
		shutdown();
	}
	if (!bootarg_flag(args, "role=hammer") || !bootarg_ulong(args, "plic", &plic) ||
	    !bootarg_ulong(args, "dev", &dev) || !bootarg_ulong(args, "irq", &n)) {
		puts("FAIL " EXT ": bootargs need role=worker, or role=hammer with plic=, dev= and irq=");
		shutdown_failure();
	}
	irq = (unsigned int)n;
	hammer();
	shutdown();
}
