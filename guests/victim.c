// SPDX-License-Identifier: BSD-2-Clause
/*
 * victim: fill every free word of our own RAM with an address-dependent
 * pattern, then check it `rounds` times (bootargs "rounds=<n>",
 * default 8). Another container attacking us shows up as corruption.
 *
 * Free RAM is the memory range holding our image, from the page after
 * the image (bss and stacks included) to the device tree blob, or to
 * the end of the range if the blob is not above us.
 *
 * If /chosen has linux,initrd-start/-end, the loader copied the initrd
 * (victim-pattern.bin: 32-bit little-endian word i = 0xa5000000 ^ i)
 * into our RAM before any guest of any container ran. It is checked
 * first, before we write anything, and again every round, and free RAM
 * stops below it. So an attacker that runs before we do still finds a
 * pattern in place to corrupt.
 *
 * Output, in this order:
 *   victim initrd 0x<start>-0x<end>		(only with an initrd)
 *   FAIL victim initrd corrupted at 0x<addr>	(first check failed)
 *   victim pattern 0x<start>-0x<end>
 *   victim round <k> intact  |  FAIL victim round <k>: corrupted at 0x<addr>
 *   victim done: intact|corrupted
 * where a round's <addr> is the lowest bad address in free RAM and the
 * initrd together.
 */
#include "rt.h"

#define DEFAULT_ROUNDS	8
#define PATTERN_XOR	((unsigned long)0x5a5a5a5a5a5a5a5aULL)
#define INITRD_XOR	0xa5000000U	/* word i of the initrd: INITRD_XOR ^ i */

struct span {
	unsigned long start;
	unsigned long end;		/* exclusive */
};

static unsigned long pattern(unsigned long addr)
{
	return addr ^ PATTERN_XOR;
}

static unsigned long parse_rounds(const char *args)
{
	unsigned long rounds = DEFAULT_ROUNDS;
	const char *tok;
	uint64_t v;
	size_t len;

	while (args && next_token(&args, &tok, &len)) {
		if (!token_has_prefix(tok, len, "rounds="))
			continue;
		if (parse_dec(tok + 7, len - 7, &v) && v == (unsigned long)v) {
			rounds = (unsigned long)v;
		} else {
			printf("FAIL bad '%.*s', using %d rounds\n",
			       (int)len, tok, DEFAULT_ROUNDS);
			rounds = DEFAULT_ROUNDS;
		}
	}
	return rounds;
}

/* The /memory range holding the image, clipped to what we can address. */
static bool own_ram(const struct fdt *fdt, struct span *ram)
{
	struct fdt_mem mem[FDT_MAX_MEM];
	uint64_t image = (unsigned long)_start, end;
	int i, n;

	n = fdt_memory(fdt, mem, FDT_MAX_MEM);
	if (n < 0) {
		printf("FAIL /memory: %s\n", fdt_strerror(n));
		return false;
	}
	for (i = 0; i < n; i++) {
		if (image < mem[i].base || image - mem[i].base >= mem[i].size)
			continue;
		end = mem[i].base + mem[i].size;
		if (end < mem[i].base || end > (uint64_t)(unsigned long)-1)
			end = ALIGN_DOWN((uint64_t)(unsigned long)-1, PAGE_SIZE);
		ram->start = (unsigned long)mem[i].base;
		ram->end = (unsigned long)end;
		return true;
	}
	printf("FAIL no /memory range holds the image at %p\n", (void *)_start);
	return false;
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

static void fill(const struct span *s)
{
	volatile unsigned long *p;

	for (p = (unsigned long *)s->start; (unsigned long)p < s->end; p++)
		*p = pattern((unsigned long)p);
}

/* Address of the first word that lost its pattern, or 0. */
static unsigned long first_bad(const struct span *s)
{
	volatile unsigned long *p;

	for (p = (unsigned long *)s->start; (unsigned long)p < s->end; p++) {
		if (*p != pattern((unsigned long)p))
			return (unsigned long)p;
	}
	return 0;
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

int main(unsigned long hartid, const void *dtb)
{
	struct span ram, s, rd;
	struct fdt fdt;
	unsigned long rounds, k, bad;
	bool intact = true;
	int has_rd;

	(void)hartid;
	guest_fdt(&fdt, dtb);
	has_rd = find_initrd(&fdt, &rd);
	if (has_rd < 0)
		shutdown_failure();
	if (!own_ram(&fdt, &ram))
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
	rounds = parse_rounds(guest_bootargs(&fdt));
	s = free_span(&ram, &fdt, has_rd ? &rd : NULL);
	if (s.start >= s.end) {
		printf("FAIL victim: no free memory after image (0x%lx-0x%lx)\n",
		       s.start, s.end);
		shutdown_failure();
	}

	fill(&s);
	printf("victim pattern 0x%lx-0x%lx\n", s.start, s.end);
	for (k = 1; k <= rounds; k++) {
		bad = first_bad(&s);
		if (has_rd)
			bad = lowest(bad, initrd_first_bad(&rd));
		if (bad) {
			printf("FAIL victim round %lu: corrupted at 0x%lx\n",
			       k, bad);
			intact = false;
		} else {
			printf("victim round %lu intact\n", k);
		}
	}
	printf("victim done: %s\n", intact ? "intact" : "corrupted");
	shutdown();
}
