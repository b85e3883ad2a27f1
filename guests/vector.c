// SPDX-License-Identifier: BSD-2-Clause
/*
 * vector: the V registers belong to the vCPU that wrote them. Several
 * containers of this guest, several vCPUs each (up to MAX_VCPUS), share
 * fewer harts than they have vCPUs; every vCPU runs the checks below.
 *
 * A fresh vCPU must find the vector state at reset (all 32 registers
 * zero, vtype.vill set, vl 0, vcsr 0): whatever another container left
 * there would show. Then, round after round, it fills every register and
 * vl, vtype and vcsr with a pattern of its own (from bootargs "seed=<n>"),
 * sets sstatus.VS to Dirty, Clean or Off with the values live (the
 * privileged spec says that leaves the registers intact; Linux does it),
 * lets its hart go (busy through a time slice on even rounds, asleep in
 * WFI on odd ones), checks VS is still what it set, turns V back on and
 * checks every byte came back. A busy round counts
 * as preempted when time jumped by more than 1 ms while it waited.
 * Output:
 *
 *	vector: vlenb <n>
 *	vector: fresh state ok
 *	vector: <N> vcpus x <R> rounds ok, <P> preempted
 *
 * (vCPU 0 prints once every vCPU is done) or FAIL lines; then it shuts
 * its container down.
 */
#include "rt.h"
#include "sbitest.h"
#include "smp.h"

#define ROUNDS		16
#define BUSY_MS		30
#define SLEEP_MS	5
#define MAX_VLENB	256		/* VLEN 2048 */
#define SSTATUS_VS	(3UL << 9)
#define VS_INITIAL	(1UL << 9)
#define VS_CLEAN	(2UL << 9)
#define VTYPE_VILL	(1UL << (__riscv_xlen - 1))

#define V_ASM(body)	".option push\n.option arch, +v\n" body ".option pop\n"

/* All 32 registers as four groups of 8: %0 the address, %1 8 * VLENB. */
#define V_GROUP(op, v)	op " " v ", (%0)\n"
#define V_GROUPS(op)	V_GROUP(op, "v0") "add %0, %0, %1\n"		\
			V_GROUP(op, "v8") "add %0, %0, %1\n"		\
			V_GROUP(op, "v16") "add %0, %0, %1\n"		\
			V_GROUP(op, "v24")

#define MAX_VCPUS	4
/* Per-vCPU results in slot->v[] */
#define V_ROUNDS	0
#define V_PREEMPTED	1
#define V_FRESH		2

static uint8_t want_regs[MAX_VCPUS][32 * MAX_VLENB], got_regs[MAX_VCPUS][32 * MAX_VLENB];
static unsigned int seed;
static unsigned long vlenb;

struct vstate {
	unsigned long vl, vtype, vcsr;
};

static int find_isa(void *ctx, const struct fdt_prop *p)
{
	if (!strcmp(p->name, "riscv,isa") && p->depth == 2) {
		*(bool *)ctx = isa_has_letter(p->value, p->len, 'v');
		return 1;
	}
	return 0;
}

static void store_regs(uint8_t *buf)
{
	__asm__ volatile(V_ASM(V_GROUPS("vs8r.v"))
			 : "+r"(buf) : "r"(8 * vlenb) : "memory");
}

static void load_regs(const uint8_t *buf)
{
	__asm__ volatile(V_ASM(V_GROUPS("vl8r.v"))
			 : "+r"(buf) : "r"(8 * vlenb) : "memory");
}

static void read_state(struct vstate *s)
{
	__asm__ volatile(V_ASM("csrr %0, vl\n"
			       "csrr %1, vtype\n"
			       "csrr %2, vcsr\n")
			 : "=r"(s->vl), "=r"(s->vtype), "=r"(s->vcsr));
}

/* The first byte that differs, or -1. */
static long differs(const uint8_t *a, const uint8_t *b, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

static bool check_fresh(unsigned long idx)
{
	uint8_t *want = want_regs[idx], *got = got_regs[idx];
	struct vstate s;
	long at;

	read_state(&s);
	memset(want, 0, sizeof(want_regs[0]));
	memset(got, 0xa5, sizeof(got_regs[0]));
	store_regs(got);
	at = differs(want, got, 32 * vlenb);
	if (at >= 0) {
		printf("FAIL vcpu %lu fresh: v%ld byte %ld is 0x%02x, not 0\n",
		       idx, at / (long)vlenb, at % (long)vlenb, got[at]);
		return false;
	}
	if (!(s.vtype & VTYPE_VILL) || s.vl || s.vcsr) {
		printf("FAIL vcpu %lu fresh: vtype 0x%lx vl %lu vcsr %lu (want vill, 0, 0)\n",
		       idx, s.vtype, s.vl, s.vcsr);
		return false;
	}
	return true;
}

/* Fill everything with this round's pattern; the state to expect back. */
static void fill(unsigned int seed, unsigned int round, struct vstate *s,
		 uint8_t *want)
{
	unsigned long i, avl = 3 + seed + round;

	for (i = 0; i < 32 * vlenb; i++)
		want[i] = (uint8_t)(seed * 131 + round * 17 + i * 7 + 1);
	load_regs(want);
	/* e16, m2: a vtype and vl no other seed or round shares. */
	__asm__ volatile(V_ASM("vsetvli %0, %1, e16, m2, tu, mu\n"
			       "csrw vcsr, %2\n")
			 : "=r"(s->vl) : "r"(avl), "r"((unsigned long)(seed + round) & 7));
	read_state(s);
}

/* Leave VS Dirty, Clean or Off by round, with the registers live. */
static unsigned long set_vs(unsigned int round)
{
	static const unsigned long modes[] = { SSTATUS_VS, VS_CLEAN, 0 };
	unsigned long vs = modes[round % 3];

	csr_clear(sstatus, SSTATUS_VS);
	csr_set(sstatus, vs);
	return vs;
}

static bool check_round(unsigned long idx, unsigned int round,
			const struct vstate *w)
{
	uint8_t *want = want_regs[idx], *got = got_regs[idx];
	struct vstate s;
	long at;

	read_state(&s);
	store_regs(got);
	at = differs(want, got, 32 * vlenb);
	if (at >= 0) {
		printf("FAIL vcpu %lu round %u: v%ld byte %ld is 0x%02x, not 0x%02x\n", idx, round,
		       at / (long)vlenb, at % (long)vlenb, got[at], want[at]);
		return false;
	}
	if (s.vl != w->vl || s.vtype != w->vtype || s.vcsr != w->vcsr) {
		printf("FAIL vcpu %lu round %u: vl %lu vtype 0x%lx vcsr %lu, not %lu 0x%lx %lu\n",
		       idx, round, s.vl, s.vtype, s.vcsr, w->vl, w->vtype, w->vcsr);
		return false;
	}
	return true;
}

static unsigned int parse_seed(const struct fdt *fdt)
{
	const char *cur = guest_bootargs(fdt), *tok;
	uint64_t v = 0;
	size_t len;

	while (cur && next_token(&cur, &tok, &len))
		if (token_has_prefix(tok, len, "seed=") &&
		    parse_dec(tok + 5, len - 5, &v))
			break;
	return (unsigned int)v;
}

/* Every vCPU: the fresh state, then ROUNDS rounds; results in its slot. */
static void worker(struct smp_slot *slot)
{
	unsigned long idx = slot->idx, vs;
	unsigned int round, my_seed = seed * MAX_VCPUS + (unsigned int)idx;
	struct vstate w;

	if (csr_read(sstatus) & SSTATUS_VS)
		printf("FAIL vcpu %lu: sstatus.VS is not Off at start\n", idx);
	csr_set(sstatus, VS_INITIAL);
	slot->v[V_FRESH] = check_fresh(idx);
	for (round = 0; slot->v[V_FRESH] && round < ROUNDS; round++) {
		fill(my_seed, round, &w, want_regs[idx]);
		vs = set_vs(round);
		if (round % 2 == 0)
			slot->v[V_PREEMPTED] += busy_ms(BUSY_MS);
		else
			nap_ms(SLEEP_MS);
		if ((csr_read(sstatus) & SSTATUS_VS) != vs) {
			printf("FAIL vcpu %lu round %u: sstatus.VS is 0x%lx, the guest left 0x%lx\n",
			       idx, round, csr_read(sstatus) & SSTATUS_VS, vs);
			break;
		}
		csr_set(sstatus, VS_INITIAL);
		if (!check_round(idx, round, &w))
			break;
		slot->v[V_ROUNDS]++;
	}
}

static void report(void)
{
	if (smp_sum(V_FRESH) == (unsigned long)smp.n)
		puts("vector: fresh state ok");
	if (smp_sum(V_ROUNDS) == (unsigned long)smp.n * ROUNDS)
		printf("vector: %d vcpus x %d rounds ok, %lu preempted\n",
		       smp.n, ROUNDS, smp_sum(V_PREEMPTED));
}

int main(unsigned long hartid, const void *dtb)
{
	const char *err;
	bool has_v = false;
	struct fdt fdt;

	guest_fdt(&fdt, dtb);
	err = smp_init(&fdt, hartid);
	if (err) {
		printf("FAIL /cpus: %s\n", err);
		shutdown();
	}
	if (smp.n > MAX_VCPUS) {
		printf("FAIL more than %d vCPUs\n", MAX_VCPUS);
		shutdown();
	}
	fdt_for_each_prop(&fdt, find_isa, &has_v);
	if (!has_v) {
		puts("FAIL riscv,isa has no V");
		shutdown();
	}
	seed = parse_seed(&fdt);
	if (csr_read(sstatus) & SSTATUS_VS)
		puts("FAIL sstatus.VS is not Off at start");
	csr_set(sstatus, VS_INITIAL);
	__asm__ volatile(V_ASM("csrr %0, vlenb\n") : "=r"(vlenb));
	csr_clear(sstatus, SSTATUS_VS);
	printf("vector: vlenb %lu\n", vlenb);
	if (!vlenb || vlenb > MAX_VLENB) {
		puts("FAIL vlenb out of range");
		shutdown();
	}
	smp_run_all(worker);
	report();
	shutdown();
}
