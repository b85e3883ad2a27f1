// SPDX-License-Identifier: BSD-2-Clause
/*
 * devirq: a board device driven through the container's virtual PLIC
 * (system test: devices). Two roles, from bootargs:
 *
 * role=driver  owns a device (dev= at its address, IRQ irq=): QEMU
 *              virt's goldfish RTC (kind=rtc), whose alarm raises a
 *              level-triggered interrupt until it is cleared, or a SiFive
 *              UART (kind=uart, on sifive_u), whose transmit watermark
 *              interrupt stands while enabled (it also prints a line on
 *              that UART): claim returns 0 with nothing pending; a
 *              masked source shows in the pending array and never
 *              interrupts; a threshold equal to the priority holds it
 *              back; unmasked it interrupts, from WFI too, is claimed,
 *              cleared and completed, ALARMS times over with no spurious
 *              claim; a byte access to the PLIC faults; the other container's
 *              device (other=) faults.
 * role=watch   owns another device (own=, read to show the grant works),
 *              enables every source of its virtual PLIC and watches for
 *              WATCH_MS: nothing may arrive, nothing may be pending; the
 *              driver's device (dev=) faults.
 *
 * Addresses come from bootargs (plic=, dev=, ...); the device tree must
 * describe the same PLIC and the driver's device node.
 */
#include "csr.h"
#include "devio.h"
#include "irq.h"
#include "rt.h"
#include "sbi_ext.h"
#include "sbitest.h"
#include "test.h"

#define EXT		"devirq"
#define ALARMS		20
#define QUIET_MS	20
#define WAIT_MS		2000
#define WATCH_MS	300

/* SiFive UART registers */
#define UART_TXDATA		0x00
#define UART_TXDATA_FULL	(1U << 31)
#define UART_TXCTRL		0x08
#define UART_TXCTRL_TXEN	1U
#define UART_TXCTRL_CNT1	(1U << 16)	/* txwm while fewer than 1 queued */
#define UART_IE			0x10
#define UART_IE_TXWM		1U

static unsigned long plic, dev;
static bool is_uart;
static unsigned int irq;
static uint64_t ticks_per_ms = 10000;

static volatile unsigned int delivered, spurious, wrong;
static volatile unsigned int watch_hits;

/* Make the device raise its interrupt line. */
static void dev_fire(void)
{
	if (is_uart) {
		w32(dev + UART_IE, UART_IE_TXWM);	/* the FIFO is below 1 */
		return;
	}
	rtc_fire(dev);
}

/* Let its line go down again. */
static void dev_clear(void)
{
	w32(dev + (is_uart ? UART_IE : RTC_CLEAR_INTERRUPT), is_uart ? 0 : 1);
}

static void dev_setup(void)
{
	if (is_uart)
		w32(dev + UART_TXCTRL, UART_TXCTRL_TXEN | UART_TXCTRL_CNT1);
	else
		w32(dev + RTC_IRQ_ENABLED, 1);
}

static void dev_quiet(void)
{
	w32(dev + (is_uart ? UART_IE : RTC_IRQ_ENABLED), 0);
}

static void uart_puts(const char *s)
{
	for (; *s; s++) {
		while (r32(dev + UART_TXDATA) & UART_TXDATA_FULL)
			cpu_relax();
		w32(dev + UART_TXDATA, (uint8_t)*s);
	}
}

static void driver_irq(unsigned long code)
{
	if (code == IRQ_S_TIMER) {	/* wait_for's deadline */
		sbi_set_timer(~0ULL);
		return;
	}
	if (!plic_claim_irq(plic, irq, code, &spurious, &wrong))
		return;
	delivered++;
	dev_clear();
	w32(plic + PLIC_CLAIM, irq);
}

static void watch_irq(unsigned long code)
{
	uint32_t src = code == IRQ_S_EXT ? r32(plic + PLIC_CLAIM) : 0;

	watch_hits++;
	if (src)
		w32(plic + PLIC_CLAIM, src);
	else
		csr_clear(sie, 1UL << code);
}

/*
 * Wait until @count passes @before, in WFI; false after WAIT_MS (the
 * SBI timer wakes the WFI then).
 */
static bool wait_for(volatile unsigned int *count, unsigned int before)
{
	return wait_count(count, before, rdtime64() + WAIT_MS * ticks_per_ms);
}

static void spin_ms(unsigned int ms)
{
	uint64_t end = rdtime64() + ms * ticks_per_ms;

	while (rdtime64() < end)
		cpu_relax();
}

static bool pending_bit(void)
{
	return (r32(plic + PLIC_PENDING(irq / 32)) >> (irq % 32)) & 1;
}

static bool wait_pending(void)
{
	uint64_t end = rdtime64() + WAIT_MS * ticks_per_ms;

	while (!pending_bit() && rdtime64() < end)
		cpu_relax();
	return pending_bit();
}

struct dt_facts {
	bool plic;		/* a riscv,plic0 node */
	bool dev_irq;		/* the device node's interrupts = <irq> */
	bool clock;		/* a fixed-clock with a clock-frequency */
};

static int dt_walk(void *ctx, const struct fdt_prop *p)
{
	struct dt_facts *f = ctx;

	if (!strcmp(p->name, "timebase-frequency") && p->len == 4) {
		const uint8_t *b = p->value;

		ticks_per_ms = ((uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) / 1000;
	}
	if (!strcmp(p->name, "compatible") && p->len >= 12 &&
	    !memcmp(p->value, "riscv,plic0", 12))
		f->plic = true;
	if ((!strncmp(p->node, "rtc@", 4) || !strncmp(p->node, "serial@", 7)) &&
	    !strcmp(p->name, "interrupts") && p->len == 4) {
		const uint8_t *b = p->value;

		f->dev_irq = b[3] == irq && !b[0] && !b[1] && !b[2];
	}
	if (!strncmp(p->node, "clock-", 6) && !strcmp(p->name, "clock-frequency") &&
	    p->len == 4 && memcmp(p->value, "\0\0\0\0", 4))
		f->clock = true;
	return 0;
}

static void fault_check(const char *what, unsigned long addr)
{
	uint32_t val;
	char line[64];

	test_snprintf(line, sizeof(line), "%s 0x%lx read faults", what, addr);
	test_eq(EXT, line, (long)probe_read(addr, &val), CAUSE_LOAD_ACCESS);
	test_snprintf(line, sizeof(line), "%s 0x%lx write faults", what, addr);
	test_eq(EXT, line, (long)probe_write(addr, 0), CAUSE_STORE_ACCESS);
}

static void driver_masked_and_threshold(void)
{
	test_eq(EXT, "claim with nothing pending is 0", r32(plic + PLIC_CLAIM), 0);
	w32(plic + PLIC_PRIO(irq), 1);
	test_eq(EXT, "priority reads back", r32(plic + PLIC_PRIO(irq)), 1);
	w32(plic + PLIC_THRESHOLD, 0);
	dev_setup();
	dev_fire();
	/*
	 * Routed by whichever hart takes the board's PLIC interrupts, which
	 * may not be running yet: wait for it, not for a fixed time.
	 */
	test_check(wait_pending(), EXT, "a masked source shows as pending",
		   "not pending after %u ms", WAIT_MS);
	test_eq(EXT, "a masked source never interrupts", delivered, 0);
	w32(plic + PLIC_THRESHOLD, 1);
	w32(plic + PLIC_ENABLE(irq / 32), 1U << (irq % 32));
	spin_ms(QUIET_MS);
	test_eq(EXT, "threshold = priority holds it back", delivered, 0);
}

static void driver_delivery(void)
{
	unsigned int i, n = 0;

	w32(plic + PLIC_THRESHOLD, 0);
	test_check(wait_for(&delivered, 0), EXT, "threshold 0: the interrupt arrives",
		   "nothing after %u ms", WAIT_MS);
	test_check(!pending_bit(), EXT, "claimed and cleared: not pending", "pending");
	for (i = 0; i < ALARMS; i++) {
		unsigned int before = delivered;

		dev_fire();
		n += wait_for(&delivered, before);
	}
	test_eq(EXT, "alarms delivered from WFI", n, ALARMS);
	test_eq(EXT, "no spurious claims", spurious, 0);
	test_eq(EXT, "no other source or cause", wrong, 0);
	dev_quiet();
	test_eq(EXT, "byte load from the PLIC faults",
		(long)probe_read8(plic + PLIC_PRIO(irq)), CAUSE_LOAD_ACCESS);
}

static void driver(const char *args, const struct dt_facts *f)
{
	uint64_t other = 0;

	test_check(f->dev_irq, EXT, "device node's interrupt is its PLIC source", "other");
	if (is_uart) {
		test_check(f->clock, EXT, "its clock is a fixed-clock with a rate", "none");
		uart_puts("devirq: hello on the second UART\n");
	}
	irq_set_handler(driver_irq);
	csr_set(sie, SIP_SEIP);
	irq_enable();
	driver_masked_and_threshold();
	driver_delivery();
	if (bootarg_number(args, "other", &other, NULL, NULL) == 1)
		fault_check("other container's device", (unsigned long)other);
	if (bootarg_number(args, "console", &other, NULL, NULL) == 1)
		fault_check("hypervisor's UART", (unsigned long)other);
	printf("devirq: %u interrupts\n", delivered);
}

static void watch(const char *args)
{
	uint64_t own = 0;
	uint32_t val = 0, pending = 0;
	unsigned int s, w;

	if (bootarg_number(args, "own", &own, NULL, NULL) == 1)
		test_eq(EXT, "own device readable", (long)probe_read((unsigned long)own, &val), 0);
	for (s = 1; s < 128; s++)
		w32(plic + PLIC_PRIO(s), 7);
	for (w = 0; w < 4; w++)
		w32(plic + PLIC_ENABLE(w), ~0U);
	w32(plic + PLIC_THRESHOLD, 0);
	irq_set_handler(watch_irq);
	csr_set(sie, SIP_SEIP);
	irq_enable();
	spin_ms(WATCH_MS);
	irq_disable();
	for (w = 0; w < 4; w++)
		pending |= r32(plic + PLIC_PENDING(w));
	test_eq(EXT, "watch: no interrupt arrived", watch_hits, 0);
	test_eq(EXT, "watch: nothing pending", pending, 0);
	test_eq(EXT, "watch: claim is 0", r32(plic + PLIC_CLAIM), 0);
	fault_check("driver's device", dev);
}

int main(unsigned long hartid, const void *dtb)
{
	struct dt_facts f = { 0 };
	const char *args;
	struct fdt fdt;
	unsigned long n = 0;

	(void)hartid;
	test_begin(EXT);
	guest_fdt(&fdt, dtb);
	args = guest_bootargs(&fdt);
	if (!args || !bootarg_ulong(args, "plic", &plic) || !bootarg_ulong(args, "dev", &dev) ||
	    !bootarg_ulong(args, "irq", &n)) {
		puts("FAIL devirq: bootargs need plic=, dev= and irq=");
		shutdown_failure();
	}
	irq = (unsigned int)n;
	is_uart = bootarg_flag(args, "kind=uart");
	fdt_for_each_prop(&fdt, dt_walk, &f);
	test_check(f.plic, EXT, "device tree has a riscv,plic0 node", "none");
	if (bootarg_flag(args, "role=watch"))
		watch(args);
	else
		driver(args, &f);
	test_done();
	shutdown();
}
