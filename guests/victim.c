// SPDX-License-Identifier: BSD-2-Clause
/*
 * victim: fill every free word of our own RAM with an address-dependent
 * pattern, then check it `rounds` times (bootargs "rounds=<n>",
 * default 8). Another container attacking us shows up as corruption.
 *
 * Free RAM is the memory range holding our image, from the page after
 * the image (bss and stacks included) to the device tree blob, or to
 * the end of the range if the blob is not above us.
 */
#include "rt.h"

#define DEFAULT_ROUNDS	8
#define PATTERN_XOR	((unsigned long)0x5a5a5a5a5a5a5a5aULL)

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

/* Free words of ram: after the image, and never over the device tree. */
static struct span free_span(const struct span *ram, const struct fdt *fdt)
{
	unsigned long dt = (unsigned long)fdt->blob;
	unsigned long dt_end = dt + fdt->size;
	struct span s = {
		.start = ALIGN_UP((unsigned long)_end, PAGE_SIZE),
		.end = ALIGN_DOWN(ram->end, sizeof(long)),
	};

	if (dt >= s.start && dt < s.end)
		s.end = ALIGN_DOWN(dt, sizeof(long));
	else if (dt < s.start && dt_end > s.start)
		s.start = ALIGN_UP(dt_end, PAGE_SIZE);
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

int main(unsigned long hartid, const void *dtb)
{
	struct span ram, s;
	struct fdt fdt;
	unsigned long rounds, k, bad;
	bool intact = true;

	(void)hartid;
	guest_fdt(&fdt, dtb);
	rounds = parse_rounds(guest_bootargs(&fdt));
	if (!own_ram(&fdt, &ram))
		shutdown_failure();
	s = free_span(&ram, &fdt);
	if (s.start >= s.end) {
		printf("FAIL victim: no free memory after image (0x%lx-0x%lx)\n",
		       s.start, s.end);
		shutdown_failure();
	}

	fill(&s);
	printf("victim pattern 0x%lx-0x%lx\n", s.start, s.end);
	for (k = 1; k <= rounds; k++) {
		bad = first_bad(&s);
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
