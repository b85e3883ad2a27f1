// SPDX-License-Identifier: BSD-2-Clause
/*
 * regstate: a vCPU's register state is its own, whoever shares its hart.
 * A program that checks its own registers, run on every vCPU of its
 * container, several containers overcommitted on few harts.
 *
 * FP: a fresh vCPU finds f0-f31 and fcsr zero. Then, round after round,
 * it fills them with a pattern of its own (bootargs "seed=<n>", its
 * vCPU index, the round), leaves sstatus.FS Dirty, Clean or Off with the
 * values live (the privileged spec says changing FS leaves the registers
 * intact, and Linux does exactly this), lets its hart go (busy through
 * time slices on even rounds, asleep in WFI on odd ones), checks FS is
 * still what it left, turns FP back on and checks every register.
 *
 * H: on a hart with the H extension, S-mode is HS-mode and the
 * hypervisor and virtual-supervisor CSRs are reachable whatever the
 * device tree says. A fresh vCPU must find them at their reset values,
 * and the values it writes each round must still be there after the
 * wait: nothing of another container's may show, nothing of its own may
 * vanish when it moves between harts. With "storm" in bootargs, the
 * container also keeps hie = hvip = 0x444 (VS software, timer and
 * external interrupts pending and enabled) with its own interrupts off;
 * a container without it runs its busy rounds with sstatus.SIE set and
 * sie zero, so any interrupt it takes there is someone else's.
 *
 * Output (vCPU 0 prints once every vCPU is done):
 *
 *	regstate: <n> vcpus, h present|absent
 *	regstate: fresh state ok
 *	regstate: <n> vcpus x <R> rounds ok, <P> preempted
 *	regstate: foreign interrupts 0
 *
 * or FAIL lines; then it shuts its container down.
 */
#include "rt.h"
#include "sbitest.h"
#include "smp.h"

#define ROUNDS		12
#define BUSY_MS		25
#define SLEEP_MS	4

#define SSTATUS_FS	(3UL << 13)
#define FS_INITIAL	(1UL << 13)
#define FS_CLEAN	(2UL << 13)
#define STORM_IRQS	0x444UL		/* VSSIP, VSTIP, VSEIP */
#define SSTATUS_SPIE	(1UL << 5)

/* Per-vCPU results in slot->v[] */
#define V_DONE		0
#define V_ROUNDS	1
#define V_PREEMPTED	2
#define V_FOREIGN	3
#define V_FRESH_OK	4

#define D_ASM(body)	".option push\n.option arch, +d\n" body ".option pop\n"
#define FP_REGS(op)							\
	op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7)			\
	op(8) op(9) op(10) op(11) op(12) op(13) op(14) op(15)		\
	op(16) op(17) op(18) op(19) op(20) op(21) op(22) op(23)		\
	op(24) op(25) op(26) op(27) op(28) op(29) op(30) op(31)
#define FLD(n)	"fld f" #n ", " #n "*8(%0)\n"
#define FSD(n)	"fsd f" #n ", " #n "*8(%0)\n"

struct fp_state {
	uint64_t f[32];
	unsigned long fcsr;
};

#if __riscv_xlen == 64
#define HGATP_VMID	(0x3fffUL << 44)
#define VSATP_ASID	(0xffffUL << 44)
#else
#define HGATP_VMID	(0x7fUL << 22)
#define VSATP_ASID	(0x1ffUL << 22)
#endif
/* hstatus: SPVP, HU, VTVM, VTW, VTSR (they act only in and on VS-mode) */
#define HSTATUS_BITS	((1UL << 8) | (1UL << 9) | (7UL << 20))

/*
 * The H-extension CSRs a guest can reach, and the bits it writes: only
 * bits that act in VS/VU-mode, which it never enters, so the values
 * change nothing but what they read back. hie and hvip are the storm's.
 */
#define H_CSRS(X)							\
	X(0, 0x600, HSTATUS_BITS)	/* hstatus */			\
	X(1, 0x602, 0xb1ffUL)		/* hedeleg */			\
	X(2, 0x606, 0x7UL)		/* hcounteren */		\
	X(3, 0x607, ~0UL)		/* hgeie */			\
	X(4, 0x643, ~0UL)		/* htval */			\
	X(5, 0x64a, ~0UL)		/* htinst */			\
	X(6, 0x60a, 0x1UL)		/* henvcfg.FIOM */		\
	X(7, 0x680, HGATP_VMID)		/* hgatp, mode Bare */		\
	X(8, 0x605, ~0UL)		/* htimedelta */		\
	X(9, 0x200, 0xc0122UL)		/* vsstatus */			\
	X(10, 0x205, ~3UL)		/* vstvec */			\
	X(11, 0x240, ~0UL)		/* vsscratch */			\
	X(12, 0x241, ~1UL)		/* vsepc */			\
	X(13, 0x242, 0x1fUL)		/* vscause */			\
	X(14, 0x243, ~0UL)		/* vstval */			\
	X(15, 0x280, VSATP_ASID)	/* vsatp, mode Bare */		\
	X(16, 0x604, 0)			/* hie */			\
	X(17, 0x645, 0)			/* hvip */			\
	H_CSRS_RV32(X)

#if __riscv_xlen == 32
#define H_CSRS_RV32(X)	X(18, 0x615, ~0UL)	/* htimedeltah */
#define NR_H_CSRS	19
#else
#define H_CSRS_RV32(X)
#define NR_H_CSRS	18
#endif
#define H_HIE		16
#define H_HVIP		17

static const char *const h_names[] = {
	"hstatus", "hedeleg", "hcounteren", "hgeie", "htval", "htinst",
	"henvcfg", "hgatp", "htimedelta", "vsstatus", "vstvec", "vsscratch",
	"vsepc", "vscause", "vstval", "vsatp", "hie", "hvip", "htimedeltah",
};

static unsigned long h_read(int i)
{
	unsigned long v = 0;

#define H_READ(n, csr, mask)						\
	case n: __asm__ volatile("csrr %0, " #csr : "=r"(v)); break;
	switch (i) {
	H_CSRS(H_READ)
	}
	return v;
}

static void h_write(int i, unsigned long v)
{
#define H_WRITE(n, csr, mask)						\
	case n: __asm__ volatile("csrw " #csr ", %0" : : "r"(v)); break;
	switch (i) {
	H_CSRS(H_WRITE)
	}
}

static const unsigned long h_mask[NR_H_CSRS] = {
#define H_MASK(n, csr, mask)	[n] = (mask),
	H_CSRS(H_MASK)
};

static unsigned int seed;
static bool has_h, storm;
static struct fp_state want_fp[SMP_MAX_HARTS], got_fp[SMP_MAX_HARTS];
static unsigned long want_h[SMP_MAX_HARTS][NR_H_CSRS];
static unsigned long foreign_irqs;

static void fp_load(const struct fp_state *s)
{
	__asm__ volatile(D_ASM(FP_REGS(FLD)) : : "r"(s->f) : "memory");
	__asm__ volatile(D_ASM("fscsr %0\n") : : "r"(s->fcsr));
}

static void fp_store(struct fp_state *s)
{
	__asm__ volatile(D_ASM(FP_REGS(FSD)) : : "r"(s->f) : "memory");
	__asm__ volatile(D_ASM("frcsr %0\n") : "=r"(s->fcsr));
}

static uint64_t pattern(unsigned long idx, unsigned int round, unsigned int i)
{
	uint64_t x = ((uint64_t)seed << 48) ^ ((uint64_t)idx << 40) ^
		     ((uint64_t)round << 32) ^ (i * 0x9e3779b9u);

	return x * 0x2545f4914f6cdd1dULL + 1;
}

static bool check_fp(unsigned long idx, unsigned int round)
{
	const struct fp_state *w = &want_fp[idx];
	struct fp_state *g = &got_fp[idx];
	int i;

	fp_store(g);
	for (i = 0; i < 32; i++) {
		if (g->f[i] != w->f[i]) {
			printf("FAIL vcpu %lu round %u: f%d is 0x%llx, not 0x%llx\n",
			       idx, round, i, (unsigned long long)g->f[i],
			       (unsigned long long)w->f[i]);
			return false;
		}
	}
	if (g->fcsr != w->fcsr) {
		printf("FAIL vcpu %lu round %u: fcsr is 0x%lx, not 0x%lx\n",
		       idx, round, g->fcsr, w->fcsr);
		return false;
	}
	return true;
}

/* Fresh: FS Off, FP zero, every H CSR's writable bits at reset (0). */
static bool check_fresh(unsigned long idx)
{
	int i;

	if (csr_read(sstatus) & SSTATUS_FS) {
		printf("FAIL vcpu %lu: sstatus.FS is not Off at start\n", idx);
		return false;
	}
	csr_set(sstatus, FS_INITIAL);
	memset(&want_fp[idx], 0, sizeof(want_fp[idx]));
	if (!check_fp(idx, 0))
		return false;
	for (i = 0; has_h && i < NR_H_CSRS; i++) {
		unsigned long bits = h_read(i) & (h_mask[i] ?: STORM_IRQS);

		if (bits) {
			printf("FAIL vcpu %lu: fresh %s is 0x%lx, not 0\n",
			       idx, h_names[i], bits);
			return false;
		}
	}
	return true;
}

static void fill_fp(unsigned long idx, unsigned int round)
{
	struct fp_state *w = &want_fp[idx];
	uint64_t p = pattern(idx, round, 99);
	int i;

	for (i = 0; i < 32; i++)
		w->f[i] = pattern(idx, round, (unsigned int)i);
	/* fflags and a rounding mode (0-4), as fcsr keeps them */
	w->fcsr = (unsigned long)(p & 0x1f) | ((unsigned long)((unsigned int)(p >> 5) % 5) << 5);
	csr_set(sstatus, FS_INITIAL);
	fp_load(w);
}

/* Leave FS Dirty, Clean or Off by round, with the registers live. */
static unsigned long set_fs(unsigned int round)
{
	static const unsigned long modes[] = { SSTATUS_FS, FS_CLEAN, 0 };
	unsigned long fs = modes[round % 3];

	csr_clear(sstatus, SSTATUS_FS);
	csr_set(sstatus, fs);
	return fs;
}

static void fill_h(unsigned long idx, unsigned int round)
{
	int i;

	for (i = 0; has_h && i < NR_H_CSRS; i++) {
		unsigned long v = (h_read(i) & ~h_mask[i]) |
				  ((unsigned long)pattern(idx, round, 100 + i) & h_mask[i]);

		if (storm && (i == H_HIE || i == H_HVIP))
			v = STORM_IRQS;
		h_write(i, v);
		want_h[idx][i] = h_read(i);
	}
}

static bool check_h(unsigned long idx, unsigned int round)
{
	int i;

	for (i = 0; has_h && i < NR_H_CSRS; i++) {
		unsigned long v = h_read(i);

		if (v != want_h[idx][i]) {
			printf("FAIL vcpu %lu round %u: %s is 0x%lx, not 0x%lx\n",
			       idx, round, h_names[i], v, want_h[idx][i]);
			return false;
		}
	}
	return true;
}

/*
 * Interrupts a container without the storm never enabled: count one and
 * return with interrupts off, since it cannot clear another's source.
 */
static void foreign_irq(unsigned long code)
{
	(void)code;
	__atomic_fetch_add(&foreign_irqs, 1, __ATOMIC_RELAXED);
	csr_clear(sstatus, SSTATUS_SPIE);
}

static bool wait_round(unsigned int round)
{
	bool jumped = false;

	if (round % 2) {
		nap_ms(SLEEP_MS);
		return false;
	}
	if (!storm)
		irq_enable();
	jumped = busy_ms(BUSY_MS);
	irq_disable();
	return jumped;
}

static void worker(struct smp_slot *slot)
{
	unsigned long idx = slot->idx, fs;
	unsigned int round;

	slot->v[V_FRESH_OK] = check_fresh(idx);
	for (round = 0; slot->v[V_FRESH_OK] && round < ROUNDS; round++) {
		fill_fp(idx, round);
		fs = set_fs(round);
		fill_h(idx, round);
		slot->v[V_PREEMPTED] += wait_round(round);
		if ((csr_read(sstatus) & SSTATUS_FS) != fs) {
			printf("FAIL vcpu %lu round %u: sstatus.FS is 0x%lx, the guest left 0x%lx\n",
			       idx, round, csr_read(sstatus) & SSTATUS_FS, fs);
			break;
		}
		if (!check_h(idx, round))
			break;
		csr_set(sstatus, FS_CLEAN);
		if (!check_fp(idx, round))
			break;
		slot->v[V_ROUNDS]++;
	}
}

static void parse_args(const struct fdt *fdt)
{
	const char *cur = guest_bootargs(fdt), *tok;
	uint64_t v;
	size_t len;

	while (cur && next_token(&cur, &tok, &len)) {
		if (token_has_prefix(tok, len, "seed=") && parse_dec(tok + 5, len - 5, &v))
			seed = (unsigned int)v;
		else if (len == 5 && !strncmp(tok, "storm", 5))
			storm = true;
	}
}

static void report(void)
{
	if (smp_sum(V_FRESH_OK) == (unsigned long)smp.n)
		puts("regstate: fresh state ok");
	if (smp_sum(V_ROUNDS) == (unsigned long)smp.n * ROUNDS)
		printf("regstate: %d vcpus x %d rounds ok, %lu preempted\n",
		       smp.n, ROUNDS, smp_sum(V_PREEMPTED));
	if (!storm)
		printf("regstate: foreign interrupts %lu\n", foreign_irqs);
}

int main(unsigned long hartid, const void *dtb)
{
	const char *err;
	struct fdt fdt;

	guest_fdt(&fdt, dtb);
	err = smp_init(&fdt, hartid);
	if (err) {
		printf("FAIL /cpus: %s\n", err);
		shutdown();
	}
	parse_args(&fdt);
	has_h = probe_hstatus() == 0;
	printf("regstate: %d vcpus, h %s\n", smp.n, has_h ? "present" : "absent");
	irq_set_handler(foreign_irq);
	smp_run_all(worker);
	report();
	shutdown();
}
