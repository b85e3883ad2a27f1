// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz: a hostile guest, written from the SBI specification (v2.0, and
 * the v3.0 extensions), that never stops trying. Two modes, chosen by
 * bootargs "mode=calls" or "mode=stop" (docs/fuzz.md).
 *
 * mode=calls: every vCPU in /cpus makes random SBI calls: a random
 * extension group (each standard extension, legacy 0x00-0x0F, the
 * experimental, vendor and firmware ranges, or any EID), mostly a
 * defined FID and sometimes any, and arguments biased to the edges:
 * 0, -1, the sign bit, our own RAM's edges (just inside, straddling,
 * just past), the targets named in bootargs ("<label>=0x<addr>": the
 * firmware, the bundle, the devices, the other container), hart ids and
 * masks beyond our vCPUs, huge sizes. Calls that end or suspend the
 * caller, or whose success would legitimately break it, are never made
 * (no_call()). Every return must be an error the specification
 * defines; BASE must always succeed; an extension that probes as
 * unavailable must answer SBI_ERR_NOT_SUPPORTED. Every vCPU also
 * scribbles on its CSRs (rt/csrwatch.h), for the victim to notice if
 * they leak. The first vCPU checks a patterned region of our RAM and
 * our code every second and prints a progress line; at the end it
 * prints the calls per group, the errors seen and the rate.
 *
 * Console output from the fuzzed console calls is rationed and always
 * spells whole lines "fuzz console ok": any other text on our console
 * came from memory the hypervisor should not have printed.
 *
 * mode=stop: each vCPU does what ends or suspends the caller (HSM
 * retentive and non-retentive suspend with valid and invalid resume
 * addresses, SRST with valid and invalid types and reasons, legacy
 * shutdown, HSM hart_stop) until the container stops; with restart =
 * "always" it comes back and does it again.
 *
 * Bootargs: mode=, seed=<n>, calls=<n> (mode=calls), targets.
 *
 * Output (mode=calls):
 *   fuzz: seed 0x<s>, <n> calls on <v> vCPUs, SBI <maj>.<min>, H: yes|no
 *   fuzz: available: <ext> ...
 *   fuzz progress: <n> calls, memory intact	(every second)
 *   fuzz console ok				(the fuzzed console calls)
 *   fuzz calls <group>: <n>			(one per group)
 *   fuzz errors: 0=<n> -1=<n> ... -14=<n>, legacy values <n>
 *   fuzz rate: <n> calls/s (<calls> calls in <ms> ms)
 *   fuzz done: <n> calls, 0 bad returns, memory intact
 * and a FAIL line for each of the first bad returns, corruption, or a
 * vCPU that stopped making progress.
 * Output (mode=stop), once per run:
 *   fuzz-stop run: seed 0x<s>, <v> vCPUs
 */
#include "rt.h"
#include "csrwatch.h"
#include "sbitest.h"

#define EID_PMU		0x504D55
#define EID_SUSP	0x53555350
#define EID_CPPC	0x43505043
#define EID_NACL	0x4E41434C
#define EID_STA		0x535441
#define EID_SSE		0x535345
#define EID_FWFT	0x46574654
#define EID_DBTR	0x44425452
#define EID_MPXY	0x4D505859
#define LEGACY_SHUTDOWN	0x08
#define LEGACY_LAST	0x0F

#define FWFT_LANDING_PAD	1
#define FWFT_SHADOW_STACK	2

#define SCRATCH_SIZE	(64 * 1024)	/* where calls may write */
#define REGION_SIZE	(512 * 1024)	/* patterned, checked */
#define REGION_XOR	((unsigned long)0x3c3c3c3c3c3c3c3cULL)
#define MAX_TARGETS	12
#define MAX_FAIL_LINES	8		/* per vCPU: the rest are counted */
#define PROGRESS_MS	1000
#define STALL_MS	20000		/* no call anywhere for this long: hung */
#define RARE		128		/* 1 in RARE console calls prints */
#define SCRIBBLE_EVERY	16		/* calls between CSR scribbles */
#define NR_ERRORS	15		/* SBI_SUCCESS .. -14 */
#define TAG_FUZZ	1
#define TAG_STOP	2
#define TAG_RESUME	3

enum group {
	G_BASE, G_TIME, G_IPI, G_RFENCE, G_HSM, G_SRST, G_PMU, G_DBCN,
	G_SUSP, G_CPPC, G_NACL, G_STA, G_SSE, G_FWFT, G_DBTR, G_MPXY,
	G_LEGACY, G_EXPERIMENTAL, G_VENDOR, G_FIRMWARE, G_RANDOM,
	NR_GROUPS
};

/*
 * A standard extension and the argument kinds of each of its FIDs, one
 * character per argument register a0.. (missing ones are 'x'):
 *   x anything        h hart id        m hart mask     b hart mask base
 *   a an address the call may read     w an address it may write
 *   e a start address n an address that must never be valid
 *   s a size          t a time         i an extension ID
 *   u the high word of an address
 * and "-" for a FID this mode never calls (see no_call()).
 */
struct ext {
	const char *name;
	unsigned long eid;
	int nfids;
	const char *fids[10];
};

static const struct ext exts[G_LEGACY] = {
	[G_BASE] = { "base", SBI_EXT_BASE, 7, { "", "", "", "i", "", "", "" } },
	[G_TIME] = { "time", SBI_EXT_TIME, 1, { "tt" } },
	[G_IPI] = { "ipi", SBI_EXT_IPI, 1, { "mb" } },
	[G_RFENCE] = { "rfence", SBI_EXT_RFENCE, 7,
		       { "mb", "mbas", "mbasx", "mbasx", "mbas", "mbasx", "mbas" } },
	[G_HSM] = { "hsm", SBI_EXT_HSM, 4, { "hex", "-", "h", "-" } },
	[G_SRST] = { "srst", SBI_EXT_SRST, 1, { "-" } },
	[G_PMU] = { "pmu", EID_PMU, 9,
		    { "", "x", "xmxxx", "xmxx", "xmx", "x", "x", "wux", "wusx" } },
	/* console_write and write_byte are dbcn_call()'s */
	[G_DBCN] = { "dbcn", SBI_EXT_DBCN, 3, { "sau", "swu", "" } },
	[G_SUSP] = { "susp", EID_SUSP, 1, { "-" } },
	[G_CPPC] = { "cppc", EID_CPPC, 4, { "x", "x", "x", "xx" } },
	[G_NACL] = { "nacl", EID_NACL, 5, { "x", "wux", "x", "x", "-" } },
	[G_STA] = { "sta", EID_STA, 1, { "wux" } },
	[G_SSE] = { "sse", EID_SSE, 10,
		    { "xxxwu", "xxxau", "xnx", "x", "x", "x", "", "xh", "", "" } },
	[G_FWFT] = { "fwft", EID_FWFT, 2, { "xxx", "x" } },
	[G_DBTR] = { "dbtr", EID_DBTR, 8,
		     { "x", "wux", "xx", "-", "-", "xm", "xm", "xm" } },
	[G_MPXY] = { "mpxy", EID_MPXY, 8,
		     { "", "wux", "x", "xxx", "xxx", "-", "-", "x" } },
};

/* v0.1: one function per EID; console_putchar is dbcn_call()'s. */
static const char *const legacy_args[LEGACY_LAST + 1] = {
	"tt", "", "", "", "a", "a", "aas", "aasx", "-",
	"xxxxxx", "xxxxxx", "xxxxxx", "xxxxxx", "xxxxxx", "xxxxxx", "xxxxxx",
};

/* Ranges of the remaining groups: [first, first + size). */
static const struct {
	const char *name;
	unsigned long first, size;
} ranges[] = {
	{ "experimental", 0x08000000, 0x01000000 },
	{ "vendor", 0x09000000, 0x01000000 },
	{ "firmware", 0x0A000000, 0x01000000 },
};

struct rng {
	uint64_t s;
};

struct pool {
	unsigned long v[40];
	int n;
};

struct cpu {
	struct rng rng;
	unsigned long budget;
	unsigned long total;		/* read by the first vCPU */
	unsigned long calls[NR_GROUPS];
	unsigned long errors[NR_ERRORS];
	unsigned long legacy_values;
	unsigned long bad;
	unsigned long done;
	unsigned long fail_lines;
} __attribute__((aligned(64)));

static struct {
	uint64_t seed;
	unsigned long calls;
	bool stop_mode;
	unsigned long ram_start, ram_end;
	unsigned long scratch, region;
	uint32_t code_sum;
	unsigned long targets[MAX_TARGETS];
	int nr_targets;
	bool avail[G_LEGACY];
	long min_error;			/* -13, or -14 from SBI 3.0 */
	bool has_h;
	bool dbcn_leaks;		/* a buffer not wholly ours was printed */
	struct pool read_pool, write_pool, exec_pool, never_pool;
	unsigned long go;
} fz;

static struct cpu cpus[SMP_MAX_HARTS];

/* --- randomness ---------------------------------------------------------- */

static uint64_t rnd64(struct rng *r)
{
	/* xorshift64*: small, fast, good enough to pick edges */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd64_ctx(void *ctx)
{
	return rnd64(ctx);
}

/* Uniform enough in [0, n) for n far below 2^32. */
static uint32_t pick(struct rng *r, uint32_t n)
{
	return (uint32_t)(rnd64(r) >> 32) % n;
}

static unsigned long rnd_long(struct rng *r)
{
	return (unsigned long)rnd64(r);
}

static void rng_seed(struct rng *r, uint64_t seed, unsigned long idx)
{
	r->s = seed ^ (idx + 1) * 0x9e3779b97f4a7c15ULL;
	if (!r->s)
		r->s = 1;
}

/* --- console ------------------------------------------------------------- */

/*
 * Our console is the container's, shared by every vCPU: whatever one
 * vCPU writes joins the line another is printing. So every write, ours
 * and the fuzzed ones, happens under this lock, and the fuzzed ones
 * spell out the whole of con_line, a byte or the rest at a time, before
 * the lock goes: a line left partial could be cut in two by the
 * hypervisor, which flushes a stale partial line when we ask for input.
 */
static const char con_line[] = "fuzz console ok\n";
#define CON_LEN		(sizeof(con_line) - 1)

static unsigned long con_owner;		/* slot index + 1, 0: free */
static unsigned int con_depth;
static unsigned int con_pos;

/*
 * Taken again by its holder: a FAIL line (say()) may come from a call
 * made under it. tp is our slot on every vCPU (smp.h).
 */
static void lock(void)
{
	unsigned long me = smp_this()->idx + 1, free;

	if (__atomic_load_n(&con_owner, __ATOMIC_RELAXED) == me) {
		con_depth++;
		return;
	}
	for (;;) {
		free = 0;
		if (__atomic_compare_exchange_n(&con_owner, &free, me, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
		cpu_relax();
	}
	con_depth = 1;
}

static void unlock(void)
{
	if (!--con_depth)
		__atomic_store_n(&con_owner, 0, __ATOMIC_RELEASE);
}

/* Finish a partly written con_line, so our next line starts clean. */
static void con_flush(void)
{
	struct sbiret ret;

	while (con_pos) {
		ret = sbi_dbcn_write((unsigned long)&con_line[con_pos],
				     CON_LEN - con_pos);
		if (ret.error || ret.value <= 0) {
			sbi_legacy_putchar(con_line[con_pos]);
			ret.value = 1;
		}
		con_pos = (con_pos + (unsigned int)ret.value) % CON_LEN;
	}
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	lock();
	con_flush();
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	unlock();
}

/* --- addresses ----------------------------------------------------------- */

static bool in_ram(unsigned long a, unsigned long len)
{
	return a >= fz.ram_start && a < fz.ram_end &&
	       len <= fz.ram_end - a;
}

static void pool_add(struct pool *p, unsigned long v)
{
	if (p->n < (int)(sizeof(p->v) / sizeof(p->v[0])))
		p->v[p->n++] = v;
}

/* Addresses that are never ours: outside our RAM, edges included. */
static void add_outside(struct pool *p)
{
	int i;

	pool_add(p, 0);
	pool_add(p, ~0UL);
	pool_add(p, ~0UL - 7);
	pool_add(p, 1UL << (__riscv_xlen - 1));
	pool_add(p, fz.ram_start - 8);		/* straddles our start */
	pool_add(p, fz.ram_start - 1);
	pool_add(p, fz.ram_end);		/* just past */
	pool_add(p, fz.ram_end + 8);
	for (i = 0; i < fz.nr_targets; i++) {
		pool_add(p, fz.targets[i]);
		pool_add(p, fz.targets[i] + 0x1000);
	}
#if __riscv_xlen == 64
	/* Our RAM again, if anyone drops the high word. */
	pool_add(p, fz.ram_start | 1UL << 32);
	pool_add(p, fz.scratch | 1UL << 63);
#endif
}

static void pools_init(void)
{
	add_outside(&fz.never_pool);

	add_outside(&fz.write_pool);
	pool_add(&fz.write_pool, fz.scratch);
	pool_add(&fz.write_pool, fz.scratch + 8);
	pool_add(&fz.write_pool, fz.scratch + 1);	/* misaligned */
	pool_add(&fz.write_pool, fz.ram_end - 8);	/* straddles our end */

	add_outside(&fz.read_pool);
	pool_add(&fz.read_pool, fz.ram_start);
	pool_add(&fz.read_pool, fz.ram_end - 8);
	pool_add(&fz.read_pool, fz.ram_end - 1);
	pool_add(&fz.read_pool, fz.scratch);
	pool_add(&fz.read_pool, fz.region);
	pool_add(&fz.read_pool, fz.region + REGION_SIZE - 4);

	add_outside(&fz.exec_pool);
	pool_add(&fz.exec_pool, smp_entry_addr());
	pool_add(&fz.exec_pool, smp_entry_addr() + 1);
	pool_add(&fz.exec_pool, fz.ram_start);
	pool_add(&fz.exec_pool, fz.scratch);
	pool_add(&fz.exec_pool, fz.ram_end - 4);
}

static unsigned long from_pool(struct rng *r, const struct pool *p)
{
	unsigned long v = p->v[pick(r, (uint32_t)p->n)];

	/* Now and then a little off the edge. */
	switch (pick(r, 8)) {
	case 0:
		return v + 1 + pick(r, 64);
	case 1:
		return v - 1 - pick(r, 64);
	default:
		return v;
	}
}

/* --- arguments ----------------------------------------------------------- */

static unsigned long any_value(struct rng *r)
{
	static const unsigned long edges[] = {
		0, 1, 2, ~0UL, ~0UL - 1, 1UL << (__riscv_xlen - 1),
		(1UL << (__riscv_xlen - 1)) - 1, 0xffffffffUL, 0x80000000UL,
		0x7fffffffUL, 0x100,
	};

	switch (pick(r, 4)) {
	case 0:
		return rnd_long(r);
	case 1:
		return pick(r, 256);
	case 2:
		return from_pool(r, &fz.read_pool);
	default:
		return edges[pick(r, sizeof(edges) / sizeof(edges[0]))];
	}
}

static unsigned long hart_arg(struct rng *r)
{
	unsigned long n = (unsigned long)smp.n;

	switch (pick(r, 6)) {
	case 0:
	case 1:
		return pick(r, (uint32_t)n);
	case 2:
		return n + pick(r, 4);
	case 3:
		return smp.invalid_id;
	default:
		return any_value(r);
	}
}

static unsigned long mask_arg(struct rng *r)
{
	unsigned long all = (1UL << smp.n) - 1;

	switch (pick(r, 6)) {
	case 0:
		return all;
	case 1:
		return 1UL << pick(r, (uint32_t)smp.n);
	case 2:
		return all | 1UL << (__riscv_xlen - 1);
	case 3:
		return 1UL << (smp.n + pick(r, (uint32_t)(__riscv_xlen - smp.n)));
	default:
		return any_value(r);
	}
}

static unsigned long base_arg(struct rng *r)
{
	switch (pick(r, 5)) {
	case 0:
		return ~0UL;
	case 1:
		return pick(r, (uint32_t)smp.n + 2);
	case 2:
		return __riscv_xlen - 1 + pick(r, 3);
	default:
		return any_value(r);
	}
}

static unsigned long size_arg(struct rng *r)
{
	static const unsigned long sizes[] = {
		0, 1, 4, 8, 64, 4095, 4096, 4097, 1UL << 20,
		0x7fffffffUL, ~0UL, 1UL << (__riscv_xlen - 1),
	};

	if (pick(r, 4) == 0)
		return rnd_long(r);
	if (pick(r, 4) == 0)
		return fz.ram_end - fz.ram_start;
	return sizes[pick(r, sizeof(sizes) / sizeof(sizes[0]))];
}

static unsigned long time_arg(struct rng *r)
{
	uint64_t now = rdtime64(), t;

	switch (pick(r, 5)) {
	case 0:
		t = now + pick(r, 100000);
		break;
	case 1:
		t = ~0ULL;
		break;
	case 2:
		t = now - pick(r, 1000);
		break;
	default:
		return any_value(r);
	}
	/* rv32 takes the high word in a1: "tt" gives it a coin toss. */
	return pick(r, 2) ? (unsigned long)t : (unsigned long)(t >> 32);
}

/* An EID to probe: a group's own, or anything. */
static unsigned long eid_arg(struct rng *r)
{
	uint32_t g = pick(r, NR_GROUPS + 2);

	if (g < G_LEGACY)
		return exts[g].eid;
	if (g == G_LEGACY)
		return pick(r, LEGACY_LAST + 1);
	return any_value(r);
}

static unsigned long arg_of(struct rng *r, char kind)
{
	switch (kind) {
	case 'h': return hart_arg(r);
	case 'm': return mask_arg(r);
	case 'b': return base_arg(r);
	case 'a': return from_pool(r, &fz.read_pool);
	case 'w': return from_pool(r, &fz.write_pool);
	case 'e': return from_pool(r, &fz.exec_pool);
	case 'n': return from_pool(r, &fz.never_pool);
	case 's': return size_arg(r);
	case 't': return time_arg(r);
	case 'i': return eid_arg(r);
	case 'u': return pick(r, 4) ? 0 : any_value(r);
	default: return any_value(r);
	}
}

/* --- one call ------------------------------------------------------------ */

struct call {
	enum group g;
	unsigned long eid, fid, a[6];
	bool legacy;
	bool probed_absent;	/* BASE probe said 0 for this exact EID */
};

static void fill_args(struct rng *r, struct call *c, const char *kinds)
{
	int i;

	for (i = 0; i < 6; i++)
		c->a[i] = arg_of(r, kinds[0] ? *kinds++ : 'x');
}

/* Is (eid, fid) one of the calls this mode never makes? */
static bool no_call(unsigned long eid, unsigned long fid)
{
	uint32_t e = (uint32_t)eid, f = (uint32_t)fid;
	unsigned int g;

	/*
	 * An implementation may look at the low 32 bits only (EIDs and
	 * FIDs are signed 32-bit), so compare those: SRST system_reset,
	 * HSM hart_stop and hart_suspend, SUSP system_suspend and legacy
	 * shutdown end or suspend us; NACL sync_sret enters a guest; DBTR
	 * install and update arm triggers that trap us; MPXY messages may
	 * ask the platform to reset or suspend.
	 */
	if (e == LEGACY_SHUTDOWN)
		return true;
	for (g = 0; g < G_LEGACY; g++) {
		if (e != (uint32_t)exts[g].eid)
			continue;
		return f < (uint32_t)exts[g].nfids && exts[g].fids[f][0] == '-';
	}
	return false;
}

/* Is the low word of eid one the other groups already cover? */
static bool known_eid(unsigned long eid)
{
	uint32_t e = (uint32_t)eid;
	unsigned int g;

	if (e <= LEGACY_LAST)
		return true;
	for (g = 0; g < G_LEGACY; g++)
		if (e == (uint32_t)exts[g].eid)
			return true;
	for (g = 0; g < sizeof(ranges) / sizeof(ranges[0]); g++)
		if (e - ranges[g].first < ranges[g].size)
			return true;
	return false;
}

static unsigned long random_fid(struct rng *r, int nfids)
{
	switch (pick(r, 5)) {
	case 0:
		return (unsigned long)nfids + pick(r, 4);
	case 1:
		return 0x7fffffffUL + pick(r, 2);
	case 2:
		/* A defined FID with junk above bit 31 */
		return (unsigned long)pick(r, (uint32_t)nfids + 1) |
		       (rnd_long(r) & ~0xffffffffUL);
	default:
		return any_value(r);
	}
}

/*
 * A standard extension: mostly a defined FID with its argument kinds,
 * sometimes any FID (which, if its low word names a defined one, gets
 * that one's kinds: an implementation may ignore the high word).
 */
static bool make_std(struct rng *r, struct call *c)
{
	const struct ext *x = &exts[c->g];
	uint32_t f;

	c->eid = x->eid;
	c->fid = pick(r, 4) ? pick(r, (uint32_t)x->nfids) :
			      random_fid(r, x->nfids);
	f = (uint32_t)c->fid;
	if (no_call(c->eid, c->fid))
		return false;
	fill_args(r, c, f < (uint32_t)x->nfids ? x->fids[f] : "");
	if (c->g == G_FWFT && f == 0 &&
	    ((uint32_t)c->a[0] == FWFT_LANDING_PAD ||
	     (uint32_t)c->a[0] == FWFT_SHADOW_STACK))
		c->a[1] = 0;	/* enabled, every indirect jump of ours faults */
	return true;
}

static bool make_legacy(struct rng *r, struct call *c)
{
	c->eid = pick(r, LEGACY_LAST + 1);
	c->fid = any_value(r);		/* v0.1 has no FID: junk in a6 */
	c->legacy = true;
	if (no_call(c->eid, c->fid))
		return false;
	fill_args(r, c, legacy_args[c->eid]);
	return true;
}

static bool make_other(struct rng *r, struct call *c)
{
	unsigned int k = c->g - G_EXPERIMENTAL;

	if (c->g == G_RANDOM) {
		c->eid = pick(r, 2) ? (unsigned long)(long)(int32_t)rnd64(r) :
				      rnd_long(r);
		if (known_eid(c->eid))
			return false;
	} else {
		c->eid = ranges[k].first + pick(r, (uint32_t)ranges[k].size);
	}
	c->fid = pick(r, 2) ? pick(r, 16) : any_value(r);
	fill_args(r, c, "");
	return true;
}

static void make_call(struct rng *r, struct call *c)
{
	bool ok;

	do {
		memset(c, 0, sizeof(*c));
		c->g = (enum group)pick(r, NR_GROUPS);
		if (c->g < G_LEGACY)
			ok = make_std(r, c);
		else if (c->g == G_LEGACY)
			ok = make_legacy(r, c);
		else
			ok = make_other(r, c);
	} while (!ok);
}

/* --- checking ------------------------------------------------------------ */

static struct sbiret ecall(const struct call *c)
{
	return sbi_ecall(c->eid, c->fid, c->a[0], c->a[1], c->a[2], c->a[3],
			 c->a[4], c->a[5]);
}

/* NULL if the return is one the specification allows, else why not. */
static const char *judge(const struct call *c, struct sbiret ret)
{
	long e = ret.error;

	if (c->legacy) {
		/* v0.1: one value in a0 */
		if (c->eid == SBI_LEGACY_CONSOLE_GETCHAR && e >= -1 && e <= 255)
			return NULL;
		if (c->eid == SBI_LEGACY_CLEAR_IPI && e >= 0)
			return NULL;
		return e <= 0 && e >= fz.min_error ? NULL :
		       "not an SBI error code";
	}
	if (e > 0 || e < fz.min_error)
		return "not an SBI error code";
	if (c->g == G_BASE && c->fid < (unsigned long)exts[G_BASE].nfids && e)
		return "a BASE function failed";
	if (c->g < G_LEGACY && !fz.avail[c->g] && e != SBI_ERR_NOT_SUPPORTED)
		return "extension probed as unavailable did not answer -2";
	if (c->probed_absent && e != SBI_ERR_NOT_SUPPORTED)
		return "EID probed as unavailable did not answer -2";
	if (c->g == G_HSM && (uint32_t)c->fid == SBI_HSM_HART_START && !e)
		return "hart_start succeeded, but every vCPU is running";
	if (c->g == G_DBCN && (uint32_t)c->fid <= SBI_DBCN_READ && !e &&
	    (unsigned long)ret.value > c->a[0])
		return "more bytes than asked for";
	/* The whole buffer must be ours (the spec's shared memory rules). */
	if (c->g == G_DBCN && (uint32_t)c->fid <= SBI_DBCN_READ && !e &&
	    c->a[0] && (c->a[2] || !in_ram(c->a[1], c->a[0]))) {
		fz.dbcn_leaks = true;
		return "buffer not wholly ours accepted";
	}
	return NULL;
}

static void record(struct cpu *me, const struct call *c, struct sbiret ret)
{
	const char *why = judge(c, ret);
	long e = ret.error;

	/* The first vCPU sums everyone's totals for its progress lines. */
	__atomic_store_n(&me->total, me->total + 1, __ATOMIC_RELAXED);
	me->calls[c->g]++;
	if (c->legacy && e > 0)
		me->legacy_values++;
	else if (e <= 0 && e > -NR_ERRORS)
		me->errors[-e]++;
	if (!why)
		return;
	me->bad++;
	if (me->fail_lines++ >= MAX_FAIL_LINES)
		return;
	/* After a leak the console may hold a partial line: start anew. */
	say("%sFAIL fuzz: %s: eid 0x%lx fid 0x%lx args 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx: error %ld value 0x%lx\n",
	    fz.dbcn_leaks ? "\n" : "", why, c->eid, c->fid, c->a[0],
	    c->a[1], c->a[2], c->a[3], c->a[4], c->a[5], ret.error,
	    (unsigned long)ret.value);
}

/* A call to an EID outside the standard set: probe it first. */
static void probe_first(struct cpu *me, struct call *c)
{
	struct call p = { .g = G_BASE, .eid = SBI_EXT_BASE,
			  .fid = SBI_BASE_PROBE_EXT, .a = { c->eid } };
	struct sbiret ret = ecall(&p);

	record(me, &p, ret);
	/* Only a sign-extended 32-bit EID is unambiguously the one probed. */
	c->probed_absent = !ret.error && !ret.value &&
			   c->eid == (unsigned long)(long)(int32_t)c->eid;
}

/*
 * The whole of con_line through the call c names: DBCN write_byte or
 * legacy console_putchar a byte at a time (junk above the byte, which
 * the spec says is ignored, half the time), DBCN console_write the rest
 * of the line at a time. Under the console lock. A failed write leaves
 * the rest to con_flush().
 */
static void con_line_by(struct rng *r, struct cpu *me, struct call *c,
			bool byte)
{
	struct sbiret ret;
	unsigned int n;

	do {
		if (byte) {
			c->a[0] = (unsigned char)con_line[con_pos] |
				  (pick(r, 2) ? 0 : rnd_long(r) & ~0xffUL);
		} else {
			c->a[0] = CON_LEN - con_pos;
			c->a[1] = (unsigned long)&con_line[con_pos];
			c->a[2] = 0;
		}
		ret = ecall(c);
		record(me, c, ret);
		n = byte ? 1 : (unsigned int)ret.value;
		if (!c->legacy && (ret.error || !n || n > CON_LEN - con_pos))
			return;
		con_pos = (con_pos + n) % CON_LEN;
	} while (con_pos);
}

/*
 * The console calls: valid ones print con_line and are rationed (one in
 * RARE); the others get buffers that are not wholly ours, or a length
 * of 0, and must print nothing.
 */
static void dbcn_call(struct rng *r, struct cpu *me, struct call *c)
{
	bool byte = c->legacy || (uint32_t)c->fid == SBI_DBCN_WRITE_BYTE;
	unsigned long len = c->a[0], addr = c->a[1];

	lock();
	if (byte || pick(r, RARE) == 0) {
		con_line_by(r, me, c, byte);
	} else {
		/*
		 * Our own bytes never: they would be garbage on the console.
		 * Once the hypervisor has printed a buffer that was only partly
		 * ours (FAIL above), none that starts in our RAM either: one
		 * such line says it, a console full of them says nothing more.
		 */
		if (!c->a[2] && len && (in_ram(addr, len) ||
					(fz.dbcn_leaks && in_ram(addr, 1))))
			c->a[0] = 0;
		record(me, c, ecall(c));
	}
	unlock();
}

/* DBCN read writes our memory: keep it to the scratch area if it is ours. */
static void clamp_read(struct call *c)
{
	unsigned long len = c->a[0], addr = c->a[1];

	if (c->a[2] || !len || !in_ram(addr, 1))
		return;
	if (addr < fz.scratch || addr - fz.scratch >= SCRATCH_SIZE)
		c->a[1] = addr = fz.scratch;
	if (len > SCRATCH_SIZE - (addr - fz.scratch))
		c->a[0] = SCRATCH_SIZE - (addr - fz.scratch);
}

/*
 * A call that asks for console input: the hypervisor then prints a
 * partial line left waiting (as a prompt), so another vCPU's line in the
 * making would be cut in two. These go under the console lock too.
 */
static bool console_read(const struct call *c)
{
	if (c->legacy)
		return c->eid == SBI_LEGACY_CONSOLE_GETCHAR;
	return c->g == G_DBCN && (uint32_t)c->fid == SBI_DBCN_READ;
}

/* 1: a call that writes bytes to the console; 2: one byte, always. */
static int console_write_kind(const struct call *c)
{
	if (c->legacy)
		return c->eid == SBI_LEGACY_CONSOLE_PUTCHAR ? 2 : 0;
	if (c->g != G_DBCN)
		return 0;
	if ((uint32_t)c->fid == SBI_DBCN_WRITE_BYTE)
		return 2;
	return (uint32_t)c->fid == SBI_DBCN_WRITE;
}

static void one_call(struct rng *r, struct cpu *me)
{
	struct call c;
	int kind;

	make_call(r, &c);
	if (c.g >= G_EXPERIMENTAL)
		probe_first(me, &c);
	if (c.g == G_DBCN && (uint32_t)c.fid == SBI_DBCN_READ)
		clamp_read(&c);
	kind = console_write_kind(&c);
	if (console_read(&c)) {
		lock();
		record(me, &c, ecall(&c));
		unlock();
		return;
	}
	if (!kind) {
		record(me, &c, ecall(&c));
		return;
	}
	/* A byte always prints: only one in RARE is made. */
	if (kind == 2 && pick(r, RARE))
		return;
	dbcn_call(r, me, &c);
}

/* --- memory -------------------------------------------------------------- */

/* 0 if our region and code are as we left them, else a bad address. */
static unsigned long memory_bad(void)
{
	unsigned long bad = pattern_first_bad(fz.region,
					      fz.region + REGION_SIZE,
					      REGION_XOR);

	if (bad)
		return bad;
	if (mem_checksum((unsigned long)_start,
			 (unsigned long)__rela_dyn_start) != fz.code_sum)
		return (unsigned long)_start;
	return 0;
}

static unsigned long all_calls(void)
{
	unsigned long sum = 0;
	int i;

	for (i = 0; i < smp.n; i++)
		sum += __atomic_load_n(&cpus[i].total, __ATOMIC_RELAXED);
	return sum;
}

static bool all_done(void)
{
	int i;

	for (i = 0; i < smp.n; i++)
		if (!ld_acquire(&cpus[i].done))
			return false;
	return true;
}

/* The first vCPU, every PROGRESS_MS: false once memory is corrupted. */
static bool progress(uint64_t *last)
{
	uint64_t now = rdtime64();
	unsigned long bad;

	if (now - *last < ms_to_ticks(PROGRESS_MS))
		return true;
	*last = now;
	bad = memory_bad();
	if (bad) {
		say("FAIL fuzz: memory corrupted at 0x%lx\n", bad);
		return false;
	}
	say("fuzz progress: %lu calls, memory intact\n", all_calls());
	return true;
}

/* --- mode=calls ---------------------------------------------------------- */

static void worker(struct smp_slot *slot)
{
	struct cpu *me = &cpus[slot->idx];
	bool first = (int)slot->idx == smp.self;
	uint64_t last = rdtime64();
	unsigned long n = 0;

	irq_disable();
	csr_write(sie, 0);
	if (!wait_ge(&fz.go, 1))
		say("FAIL fuzz: vCPU %lu never saw the start\n", slot->idx);
	while (__atomic_load_n(&me->total, __ATOMIC_RELAXED) < me->budget) {
		one_call(&me->rng, me);
		if (++n % SCRIBBLE_EVERY == 0)
			csrwatch_scribble(rnd64_ctx, &me->rng);
		if (first && n % 256 == 0)
			progress(&last);
	}
	/* Park, still STARTED, so hart_start on us keeps answering -6. */
	csr_write(sie, 0);
	st_release(&me->done, 1);
	if (first)
		return;
	for (;;)
		asm volatile("wfi");
}

/* Wait for the others; a vCPU that makes no call for STALL_MS is hung. */
static bool wait_all(void)
{
	uint64_t last = rdtime64(), seen_at = last;
	unsigned long seen = all_calls(), now_calls;

	while (!all_done()) {
		progress(&last);
		now_calls = all_calls();
		if (now_calls != seen) {
			seen = now_calls;
			seen_at = rdtime64();
		} else if (rdtime64() - seen_at > ms_to_ticks(STALL_MS)) {
			say("FAIL fuzz: no call made for %u ms\n", STALL_MS);
			return false;
		}
	}
	return true;
}

static void summary(uint64_t ticks)
{
	unsigned long per[NR_GROUPS] = { 0 }, err[NR_ERRORS] = { 0 };
	unsigned long legacy = 0, bad = 0, total = all_calls(), mbad;
	uint64_t ms = udiv64(ticks, smp.timebase / 1000);
	int g, i;

	for (i = 0; i < smp.n; i++) {
		for (g = 0; g < NR_GROUPS; g++)
			per[g] += cpus[i].calls[g];
		for (g = 0; g < NR_ERRORS; g++)
			err[g] += cpus[i].errors[g];
		legacy += cpus[i].legacy_values;
		bad += cpus[i].bad;
	}
	for (g = 0; g < NR_GROUPS; g++)
		say("fuzz calls %s: %lu\n",
		    g < G_LEGACY ? exts[g].name : g == G_LEGACY ? "legacy" :
		    g == G_RANDOM ? "random" : ranges[g - G_EXPERIMENTAL].name,
		    per[g]);
	lock();
	printf("fuzz errors:");
	for (g = 0; g < NR_ERRORS; g++)
		printf(" %d=%lu", -g, err[g]);
	printf(", legacy values %lu\n", legacy);
	unlock();
	say("fuzz rate: %llu calls/s (%lu calls in %llu ms)\n",
	    (unsigned long long)(ms ? udiv64((uint64_t)total * 1000, ms) : 0),
	    total, (unsigned long long)ms);
	mbad = memory_bad();
	if (mbad)
		say("FAIL fuzz: memory corrupted at 0x%lx\n", mbad);
	if (bad || mbad)
		say("FAIL fuzz done: %lu calls, %lu bad returns, memory %s\n",
		    total, bad, mbad ? "corrupted" : "intact");
	else
		say("fuzz done: %lu calls, 0 bad returns, memory intact\n",
		    total);
}

static void probe_all(void)
{
	struct sbiret ret;
	int g;

	lock();
	printf("fuzz: available:");
	for (g = 0; g < G_LEGACY; g++) {
		ret = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, exts[g].eid);
		fz.avail[g] = !ret.error && ret.value;
		if (fz.avail[g])
			printf(" %s", exts[g].name);
	}
	printf("\n");
	unlock();
}

static void run_calls(void)
{
	struct sbiret ver = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
	unsigned long major = (unsigned long)ver.value >> 24 & 0x7f;
	uint64_t t0;
	int i;

	fz.min_error = major >= 3 ? -14 : -13;
	pattern_fill(fz.region, fz.region + REGION_SIZE, REGION_XOR);
	fz.code_sum = mem_checksum((unsigned long)_start,
				   (unsigned long)__rela_dyn_start);
	say("fuzz: seed 0x%llx, %lu calls on %d vCPUs, SBI %lu.%lu, H: %s\n",
	    (unsigned long long)fz.seed, fz.calls, smp.n, major,
	    (unsigned long)ver.value & 0xffffff, fz.has_h ? "yes" : "no");
	probe_all();
	for (i = 0; i < smp.n; i++) {
		rng_seed(&cpus[i].rng, fz.seed, (unsigned long)i);
		cpus[i].budget = fz.calls / (unsigned long)smp.n +
				 (i == smp.self ? fz.calls % (unsigned long)smp.n : 0);
	}
	for (i = 0; i < smp.n; i++) {
		if (i != smp.self && (smp_start(i, TAG_FUZZ, worker).error ||
				      !smp_wait_arrivals(smp_slot(i), 1))) {
			say("FAIL fuzz: vCPU %d did not start\n", i);
			return;
		}
	}
	t0 = rdtime64();
	st_release(&fz.go, 1);
	worker(smp_slot(smp.self));
	if (wait_all())
		summary(rdtime64() - t0);
}

/* --- mode=stop ----------------------------------------------------------- */

static struct rng stop_rng[SMP_MAX_HARTS];

static void stop_check(long error, bool ok, const char *what)
{
	if (!ok)
		say("FAIL fuzz-stop: %s returned %ld\n", what, error);
}

/* Wake a suspend 1-4 ms from now: the timer, enabled in sie only. */
static void arm_wakeup(struct rng *r)
{
	irq_disable();
	sbi_set_timer(rdtime64() + ms_to_ticks(1 + pick(r, 4)));
	csr_write(sie, SIP_STIP);
}

static void disarm(void)
{
	sbi_set_timer(~0ULL);
	csr_write(sie, 0);
}

static void stop_loop(struct smp_slot *slot);

static void suspend_retentive(struct rng *r)
{
	unsigned long type = pick(r, 3) ? 0 : 1 + pick(r, 0x7ffffffe);
	struct sbiret ret;

	arm_wakeup(r);
	ret = sbi_hart_suspend(type, any_value(r), any_value(r));
	disarm();
	/*
	 * 0x00000001-0x0FFFFFFF are reserved: never a suspend. The default
	 * type ignores resume_addr and opaque, so no -3 or -5 for it.
	 */
	if (type && type < 0x10000000)
		stop_check(ret.error, ret.error == SBI_ERR_INVALID_PARAM,
			   "retentive suspend of a reserved type");
	else if (!type)
		stop_check(ret.error, ret.error <= 0 && ret.error >= -2,
			   "default retentive suspend");
	else
		stop_check(ret.error, ret.error <= 0 && ret.error >= -3,
			   "platform-specific retentive suspend");
}

static void suspend_non_retentive(struct rng *r, struct smp_slot *slot)
{
	bool valid = pick(r, 2);
	unsigned long type = HSM_SUSPEND_NON_RET_DEFAULT, addr, opaque;
	struct sbiret ret;

	if (pick(r, 4) == 0)
		type += 1 + pick(r, 0x7ffffffe);
	opaque = smp_prepare_resume((int)slot->idx, TAG_RESUME, stop_loop);
	addr = valid ? smp_entry_addr() : from_pool(r, &fz.never_pool);
	if (!valid && in_ram(addr, 4))
		addr = fz.ram_end;
	arm_wakeup(r);
	ret = sbi_hart_suspend(type, addr, opaque);
	disarm();
	/* It returns only on failure: never SBI_SUCCESS. */
	if (type > HSM_SUSPEND_NON_RET_DEFAULT && type < 0x90000000)
		stop_check(ret.error, ret.error == SBI_ERR_INVALID_PARAM,
			   "non-retentive suspend of a reserved type");
	else if (type != HSM_SUSPEND_NON_RET_DEFAULT)
		stop_check(ret.error, ret.error < 0 && ret.error >= -5 &&
			   ret.error != SBI_ERR_DENIED,
			   "platform-specific non-retentive suspend");
	else if (!valid)
		stop_check(ret.error, ret.error == SBI_ERR_INVALID_ADDRESS ||
			   ret.error == SBI_ERR_NOT_SUPPORTED ||
			   ret.error == SBI_ERR_FAILED,
			   "non-retentive suspend to an address not ours");
	else
		stop_check(ret.error, ret.error == SBI_ERR_FAILED ||
			   ret.error == SBI_ERR_NOT_SUPPORTED,
			   "non-retentive suspend");
}

static void system_reset(struct rng *r)
{
	static const unsigned long reasons[] = { 0, 1, 0xF0000000, 0xFFFFFFFF };
	unsigned long type = pick(r, 3), reason = reasons[pick(r, 4)];
	bool valid = pick(r, 2);
	struct sbiret ret;

	if (!valid) {
		if (pick(r, 2))
			type = 3 + pick(r, 0xEFFFFFFC);
		else
			reason = 2 + pick(r, 0xDFFFFFFE);
	}
	ret = sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, type, reason, 0, 0, 0, 0);
	if (!valid)
		stop_check(ret.error, ret.error == SBI_ERR_INVALID_PARAM,
			   "system_reset of a reserved type or reason");
	else
		stop_check(ret.error, ret.error < 0 && ret.error >= -3,
			   "system_reset");
}

static void stop_loop(struct smp_slot *slot)
{
	struct rng *r = &stop_rng[slot->idx];
	struct sbiret ret;

	irq_disable();
	csr_write(sie, 0);
	for (;;) {
		switch (pick(r, 10)) {
		case 0:
		case 1:
		case 2:
			suspend_retentive(r);
			break;
		case 3:
		case 4:
			suspend_non_retentive(r, slot);
			break;
		case 5:
		case 6:
			system_reset(r);
			break;
		case 7:
			ret.error = sbi_legacy(LEGACY_SHUTDOWN, any_value(r), 0, 0, 0);
			stop_check(ret.error, false, "legacy shutdown");
			break;
		default:
			ret = sbi_hart_stop();
			stop_check(ret.error, ret.error == SBI_ERR_FAILED,
				   "hart_stop");
			break;
		}
	}
}

static void run_stop(void)
{
	int i;

	/* A new sequence each run: we cannot count our own restarts. */
	fz.seed ^= rdtime64();
	say("fuzz-stop run: seed 0x%llx, %d vCPUs\n",
	    (unsigned long long)fz.seed, smp.n);
	for (i = 0; i < smp.n; i++)
		rng_seed(&stop_rng[i], fz.seed, (unsigned long)i);
	for (i = 0; i < smp.n; i++) {
		if (i != smp.self && smp_start(i, TAG_STOP, stop_loop).error)
			say("FAIL fuzz-stop: vCPU %d did not start\n", i);
	}
	stop_loop(smp_slot(smp.self));
}

/* --- set-up -------------------------------------------------------------- */

static void parse_args(const char *args)
{
	const char *cursor = args, *tok, *bad;
	size_t len, label_len;
	uint64_t v;

	if (bootarg_number(args, "seed", &v, &bad, &len) > 0)
		fz.seed = v;
	if (bootarg_number(args, "calls", &v, &bad, &len) > 0)
		fz.calls = (unsigned long)v;
	fz.stop_mode = bootarg_flag(args, "mode=stop");
	while (cursor && next_token(&cursor, &tok, &len)) {
		if (token_has_prefix(tok, len, "seed=") ||
		    !parse_label_hex(tok, len, &label_len, &v) ||
		    v != (unsigned long)v || fz.nr_targets == MAX_TARGETS)
			continue;
		fz.targets[fz.nr_targets++] = (unsigned long)v;
	}
}

int main(unsigned long hartid, const void *dtb)
{
	const char *args, *err;
	struct fdt fdt;

	guest_fdt(&fdt, dtb);
	args = guest_bootargs(&fdt);
	fz.seed = 1;
	fz.calls = 100000;
	parse_args(args);
	err = smp_init(&fdt, hartid);
	if (err) {
		printf("FAIL fuzz: /cpus: %s\n", err);
		shutdown_failure();
	}
	if (!guest_own_ram(&fdt, &fz.ram_start, &fz.ram_end))
		shutdown_failure();
	fz.scratch = ALIGN_UP((unsigned long)_end, PAGE_SIZE);
	fz.region = fz.scratch + SCRATCH_SIZE;
	if (fz.region + REGION_SIZE > (unsigned long)dtb) {
		printf("FAIL fuzz: no room for %u KiB below the device tree\n",
		       (SCRATCH_SIZE + REGION_SIZE) / 1024);
		shutdown_failure();
	}
	fz.has_h = !probe_hstatus();
	csrwatch_init(fz.has_h);
	pools_init();
	if (fz.stop_mode)
		run_stop();
	else
		run_calls();
	return 0;
}
