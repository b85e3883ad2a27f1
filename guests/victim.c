/*
 * victim: fill every free word of our own RAM with an address-dependent
 * pattern, then check it `rounds` times (bootargs "rounds=<n>",
 * default 8; "rounds=0": until a 'q' arrives on our console). Another
 * container attacking us shows up as corruption.
 *
 * Free RAM is the memory range holding our image, from the page after
 * the image (bss and stacks included) to the device tree blob, or to
 * the end of the range if the blob is not above us, and the rest of the
 * range above the blob (not printed). Every round also
 * checksums what we never write: our code and read-only data, and the
 * device tree blob.
 *
 * If /chosen has linux,initrd-start/-end, the loader copied the initrd
 * (victim-pattern.bin: 32-bit little-endian word i = 0xa5000000 ^ i)
 * into our RAM before any guest of any container ran. It is checked
 * first, before we write anything, and again every round, and free RAM
 * stops below it. So an attacker that runs before we do still finds a
 * pattern in place to corrupt.
 *
 * "csrs" also watches our CSRs (rt/csrwatch.h, and satp, which points
 * at an identity map of our own making): each round they must still
 * hold what the last round wrote, then get new values. "report-ms=<n>"
 * prints a round line only when n ms passed since the last one (and
 * always for the last round).
 *
 * Output, in this order:
 *   victim initrd 0x<start>-0x<end>		(only with an initrd)
 *   FAIL victim initrd corrupted at 0x<addr>	(first check failed)
 *   victim watching <n> CSRs (satp, sscratch, ...; H: yes|no)	(csrs)
 *   victim pattern 0x<start>-0x<end>
 *   victim round <k> intact  |  FAIL victim round <k>: corrupted at 0x<addr>
 *   FAIL victim round <k>: <what> checksum changed
 *   FAIL victim round <k>: <csr> is 0x<got>, we left 0x<want>
 *   victim done: intact|corrupted
 * where a round's <addr> is the lowest bad address in free RAM and the
 * initrd together.
 */
#include "rt.h"
#include "csrwatch.h"
#include "sbitest.h"

#define DEFAULT_ROUNDS	8
#define PATTERN_XOR	((unsigned long)0x5a5a5a5a5a5a5a5aULL)
#define INITRD_XOR	0xa5000000U	/* word i of the initrd: INITRD_XOR ^ i */

struct span {
	unsigned long start;
	unsigned long end;		/* exclusive */
};

/* "<key>=<n>" from bootargs, or dflt (after a FAIL line if malformed). */
static unsigned long bootarg(const char *args, const char *key,
			     unsigned long dflt)
{
	const char *bad;
	size_t len;
	uint64_t v;
	int ret = bootarg_number(args, key, &v, &bad, &len);

	if (ret > 0 && v == (unsigned long)v)
		return (unsigned long)v;
	if (ret < 0)
		printf("FAIL bad '%.*s', using %s=%lu\n", (int)len, bad, key, dflt);
	else if (ret > 0)
		printf("FAIL %s=%llu is too large, using %lu\n", key,
		       (unsigned long long)v, dflt);
	return dflt;
}

/*
 * The initrd, if the device tree names one: 0 if none, 1 and *rd set,
 * or -1 after a FAIL line. Its line is the first we print.
 */
static int find_initrd(const struct fdt *fdt, struct span *rd)
{
	uint64_t start, end;
	int ret = fdt_initrd(fdt, &start, &end);

	if (ret < 0) {
		printf("FAIL /chosen/linux,initrd-*: %s\n", fdt_strerror(ret));
		return -1;
	}
	if (!ret)
		return 0;
	printf("victim initrd 0x%llx-0x%llx\n",
	       (unsigned long long)start, (unsigned long long)end);
	/* end <= (unsigned long)-1 also keeps both within our address space. */
	if (start % sizeof(uint32_t) || (end - start) % sizeof(uint32_t) ||
	    end > (unsigned long)-1) {
		printf("FAIL victim initrd: not whole aligned 32-bit words we can address\n");
		return -1;
	}
	rd->start = (unsigned long)start;
	rd->end = (unsigned long)end;
	return 1;
}

/* The initrd must sit in our RAM, above our image, clear of the DT. */
static bool initrd_placed_ok(const struct span *rd, const struct span *ram,
			     const struct fdt *fdt)
{
	unsigned long dt = (unsigned long)fdt->blob;
	unsigned long dt_end = dt + fdt->size;

	if (rd->start < ram->start || rd->end > ram->end) {
		printf("FAIL victim initrd outside our RAM 0x%lx-0x%lx\n",
		       ram->start, ram->end);
		return false;
	}
	if (rd->start < (unsigned long)_end && rd->end > (unsigned long)_start) {
		printf("FAIL victim initrd overlaps our image 0x%lx-0x%lx\n",
		       (unsigned long)_start, (unsigned long)_end);
		return false;
	}
	if (rd->start < dt_end && rd->end > dt) {
		printf("FAIL victim initrd overlaps the device tree 0x%lx-0x%lx\n",
		       dt, dt_end);
		return false;
	}
	return true;
}

/* Take [lo, hi) out of s, keeping the part of s below it (or above). */
static void exclude(struct span *s, unsigned long lo, unsigned long hi)
{
	if (lo >= s->start && lo < s->end)
		s->end = ALIGN_DOWN(lo, sizeof(long));
	else if (lo < s->start && hi > s->start)
		s->start = ALIGN_UP(hi, PAGE_SIZE);
}

/*
 * Free words of ram: after the image, and never over the device tree
 * or the initrd (rd, if not NULL).
 */
static struct span free_span(const struct span *ram, const struct fdt *fdt,
			     const struct span *rd)
{
	unsigned long dt = (unsigned long)fdt->blob;
	struct span s = {
		.start = ALIGN_UP((unsigned long)_end, PAGE_SIZE),
		.end = ALIGN_DOWN(ram->end, sizeof(long)),
	};

	exclude(&s, dt, dt + fdt->size);
	if (rd)
		exclude(&s, rd->start, rd->end);
	return s;
}

/* Address of the first initrd word that is not INITRD_XOR ^ i, or 0. */
static unsigned long initrd_first_bad(const struct span *rd)
{
	volatile uint32_t *w = (uint32_t *)rd->start;
	uint32_t i, n = (uint32_t)((rd->end - rd->start) / sizeof(uint32_t));

	for (i = 0; i < n; i++) {
		if (w[i] != (INITRD_XOR ^ i))
			return (unsigned long)&w[i];
	}
	return 0;
}

/* The lower of two bad addresses, 0 meaning none. */
static unsigned long lowest(unsigned long a, unsigned long b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* Sv39 (rv64) or Sv32 (rv32) identity map of the low 1 GiB of DRAM. */
#if __riscv_xlen == 64
#define SATP_MODE	(8UL << 60)
#define SATP_ASID_SHIFT	44
#define LEAF_SHIFT	30
#else
#define SATP_MODE	(1UL << 31)
#define SATP_ASID_SHIFT	22
#define LEAF_SHIFT	22
#endif
#define PTE_VRWXAD	0xcf
#define DRAM_BASE	0x80000000UL
#define DRAM_MAP	0x40000000UL

static unsigned long page_table[PAGE_SIZE / sizeof(long)]
	__attribute__((aligned(PAGE_SIZE)));
static unsigned long satp_expect;

static void satp_set(unsigned long round)
{
	unsigned long pa, asid = (round * 0x9d) & 0xff;

	if (!page_table[DRAM_BASE >> LEAF_SHIFT]) {
		for (pa = DRAM_BASE; pa - DRAM_BASE < DRAM_MAP; pa += 1UL << LEAF_SHIFT)
			page_table[pa >> LEAF_SHIFT] = (pa >> 12) << 10 | PTE_VRWXAD;
	}
	csr_write(satp, SATP_MODE | asid << SATP_ASID_SHIFT |
		  (unsigned long)page_table >> 12);
	asm volatile("sfence.vma" : : : "memory");
	satp_expect = csr_read(satp);
}

struct watch {
	bool csrs;
	uint32_t text_sum, dt_sum;
	const struct fdt *fdt;
};

/* Everything but the memory pattern; false after FAIL lines. */
static bool round_checks(struct watch *w, unsigned long k)
{
	unsigned long got, want;
	bool ok = true;
	int i;

	if (mem_checksum((unsigned long)_start, (unsigned long)__rela_dyn_start) !=
	    w->text_sum) {
		printf("FAIL victim round %lu: code checksum changed\n", k);
		ok = false;
	}
	if (mem_checksum((unsigned long)w->fdt->blob,
		     (unsigned long)w->fdt->blob + w->fdt->size) != w->dt_sum) {
		printf("FAIL victim round %lu: device tree checksum changed\n", k);
		ok = false;
	}
	if (!w->csrs)
		return ok;
	if (csr_read(satp) != satp_expect) {
		printf("FAIL victim round %lu: satp is 0x%lx, we left 0x%lx\n",
		       k, csr_read(satp), satp_expect);
		ok = false;
	}
	i = csrwatch_check(&got, &want);
	if (i >= 0) {
		printf("FAIL victim round %lu: %s is 0x%lx, we left 0x%lx\n",
		       k, csrwatch_name(i), got, want);
		ok = false;
	}
	satp_set(k);
	csrwatch_set(k);
	return ok;
}

static void watch_init(struct watch *w, const struct fdt *fdt,
		       unsigned long hartid, const char *args)
{
	const char *err;
	bool h;
	int n;

	w->fdt = fdt;
	w->text_sum = mem_checksum((unsigned long)_start,
			       (unsigned long)__rela_dyn_start);
	w->dt_sum = mem_checksum((unsigned long)fdt->blob,
			     (unsigned long)fdt->blob + fdt->size);
	w->csrs = bootarg_flag(args, "csrs");
	if (!w->csrs)
		return;
	err = smp_init(fdt, hartid);
	if (err) {
		printf("FAIL victim: /cpus: %s\n", err);
		shutdown_failure();
	}
	h = !probe_hstatus();
	n = csrwatch_init(h);
	printf("victim watching %d CSRs (satp", n + 1);
	for (int i = 0; i < n; i++)
		printf(", %s", csrwatch_name(i));
	printf("; H: %s)\n", h ? "yes" : "no");
	satp_set(0);
	csrwatch_set(0);
}

/* A 'q' on our console (we have input focus) ends rounds=0. */
static bool quit_typed(void)
{
	static char buf[16];
	struct sbiret ret;
	long i;

	ret = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_READ, sizeof(buf),
			(unsigned long)buf, 0, 0, 0, 0);
	for (i = 0; !ret.error && i < ret.value; i++) {
		if (buf[i] == 'q')
			return true;
	}
	return false;
}

/* Print this round's line? Every round, or every report_ms ms. */
static bool report_due(unsigned long report_ms, uint64_t *last)
{
	uint64_t now;

	if (!report_ms)
		return true;
	now = rdtime64();
	if (now - *last < ms_to_ticks((unsigned int)report_ms))
		return false;
	*last = now;
	return true;
}

/*
 * RAM above the device tree blob, to the end of our RAM: free too, and
 * the first thing an off-by-a-few access from the container above us
 * would hit. Empty if the blob is not in ram.
 */
static struct span tail_span(const struct span *ram, const struct fdt *fdt)
{
	unsigned long dt = (unsigned long)fdt->blob;
	struct span t = {
		.start = ALIGN_UP(dt + fdt->size, sizeof(long)),
		.end = ALIGN_DOWN(ram->end, sizeof(long)),
	};

	if (dt < ram->start || t.start >= t.end)
		t.start = t.end;
	return t;
}

int main(unsigned long hartid, const void *dtb)
{
	unsigned long rounds, report_ms, k, bad;
	struct span ram, s, rd, tail;
	const char *args;
	struct watch w;
	struct fdt fdt;
	uint64_t last = 0;
	bool intact = true, last_round;
	int has_rd;

	guest_fdt(&fdt, dtb);
	has_rd = find_initrd(&fdt, &rd);
	if (has_rd < 0)
		shutdown_failure();
	if (!guest_own_ram(&fdt, &ram.start, &ram.end))
		shutdown_failure();
	if (has_rd) {
		if (!initrd_placed_ok(&rd, &ram, &fdt))
			shutdown_failure();
		/* Before we write a word: was it intact when we started? */
		bad = initrd_first_bad(&rd);
		if (bad) {
			printf("FAIL victim initrd corrupted at 0x%lx\n", bad);
			intact = false;
		}
	}
	args = guest_bootargs(&fdt);
	rounds = bootarg(args, "rounds", DEFAULT_ROUNDS);
	report_ms = bootarg(args, "report-ms", 0);
	watch_init(&w, &fdt, hartid, args);
	if (report_ms && !smp.timebase)
		report_ms = 0;		/* "csrs" reads the timebase */
	s = free_span(&ram, &fdt, has_rd ? &rd : NULL);
	if (s.start >= s.end) {
		printf("FAIL victim: no free memory after image (0x%lx-0x%lx)\n",
		       s.start, s.end);
		shutdown_failure();
	}

	tail = tail_span(&ram, &fdt);
	pattern_fill(s.start, s.end, PATTERN_XOR);
	pattern_fill(tail.start, tail.end, PATTERN_XOR);
	printf("victim pattern 0x%lx-0x%lx\n", s.start, s.end);
	for (k = 1, last_round = false; !last_round; k++) {
		last_round = rounds ? k == rounds : quit_typed();
		bad = lowest(pattern_first_bad(s.start, s.end, PATTERN_XOR),
			     pattern_first_bad(tail.start, tail.end, PATTERN_XOR));
		if (has_rd)
			bad = lowest(bad, initrd_first_bad(&rd));
		if (!round_checks(&w, k))
			intact = false;
		if (bad) {
			printf("FAIL victim round %lu: corrupted at 0x%lx\n",
			       k, bad);
			intact = false;
		} else if (report_due(report_ms, &last) || last_round) {
			printf("victim round %lu intact\n", k);
		}
	}
	printf("victim done: %s\n", intact ? "intact" : "corrupted");
	shutdown();
}
