// SPDX-License-Identifier: BSD-2-Clause
/*
 * Memory placement. A container's RAM is split into power-of-two pieces,
 * largest first, laid end to end from a base aligned to the largest: then
 * every piece is naturally aligned (one NAPOT PMP entry each) and the
 * whole is contiguous (one memory node for the guest).
 */
#include <hyp/bits.h>
#include <hyp/error.h>
#include <hyp/log.h>
#include <hyp/manifest.h>
#include <hyp/place.h>
#include <hyp/string.h>

void mem_map_init(struct mem_map *m)
{
	m->count = 0;
}

int mem_map_add(struct mem_map *m, u64 base, u64 size)
{
	if (!size)
		return 0;
	if (m->count == PLACE_MAX_RANGES)
		return HYP_ENOMEM;
	m->r[m->count].base = base;
	m->r[m->count].size = size;
	m->count++;
	return 0;
}

int mem_map_reserve(struct mem_map *m, u64 base, u64 size)
{
	u64 end = base + size;
	unsigned int i;

	for (i = 0; i < m->count; i++) {
		struct mem_range *r = &m->r[i];
		u64 r_end = r->base + r->size;

		if (end <= r->base || base >= r_end)
			continue;
		if (base > r->base && end < r_end) {
			/* A hole in the middle: keep the tail as a new range. */
			if (mem_map_add(m, end, r_end - end))
				return HYP_ENOMEM;
			r->size = base - r->base;
		} else if (base > r->base) {
			r->size = base - r->base;
		} else if (end < r_end) {
			r->size = r_end - end;
			r->base = end;
		} else {
			r->size = 0;
		}
	}
	return 0;
}

unsigned int place_pieces(u64 size, u64 *pieces, unsigned int max)
{
	unsigned int n = 0;
	int bit;

	for (bit = 63; bit >= 0 && size; bit--) {
		if (!(size & (1ULL << bit)))
			continue;
		if (n < max)
			pieces[n] = 1ULL << bit;
		n++;
		size &= ~(1ULL << bit);
	}
	return n;
}

static bool overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

static bool range_free(const struct mem_map *free, const struct mem_range *taken,
		       unsigned int ntaken, u64 base, u64 size)
{
	unsigned int i;
	bool inside = false;

	for (i = 0; i < free->count; i++) {
		const struct mem_range *r = &free->r[i];

		if (base >= r->base && size <= r->size &&
		    base - r->base <= r->size - size)
			inside = true;
	}
	if (!inside)
		return false;
	for (i = 0; i < ntaken; i++)
		if (taken[i].size && overlaps(base, size, taken[i].base, taken[i].size))
			return false;
	return true;
}

/* Lowest base aligned to @align with [base, base + size) free. */
static bool find_base(const struct mem_map *free, const struct mem_range *taken,
		      unsigned int ntaken, u64 size, u64 align, u64 *out)
{
	bool found = false;
	unsigned int i, j;

	for (i = 0; i < free->count; i++) {
		const struct mem_range *r = &free->r[i];
		u64 cand = HYP_ALIGN_UP(r->base, align);

		while (cand + size <= r->base + r->size) {
			if (range_free(free, taken, ntaken, cand, size)) {
				if (!found || cand < *out)
					*out = cand;
				found = true;
				break;
			}
			/* Skip past whichever taken range is in the way. */
			for (j = 0; j < ntaken; j++)
				if (taken[j].size &&
				    overlaps(cand, size, taken[j].base, taken[j].size))
					cand = HYP_ALIGN_UP(taken[j].base + taken[j].size, align);
		}
	}
	return found;
}

static u64 largest_free(const struct mem_map *free)
{
	u64 best = 0;
	unsigned int i;

	for (i = 0; i < free->count; i++)
		if (free->r[i].size > best)
			best = free->r[i].size;
	return best;
}

static void place_fixed(struct manifest *man, unsigned int idx,
			const struct mem_map *free, struct mem_range *out)
{
	struct manifest_ctr *c = &man->ctr[idx];
	unsigned int j;

	if (range_free(free, out, idx, c->base, c->memory)) {
		out[idx].base = c->base;
		out[idx].size = c->memory;
		return;
	}
	c->valid = false;
	for (j = 0; j < idx; j++) {
		if (out[j].size &&
		    overlaps(c->base, c->memory, out[j].base, out[j].size)) {
			hyp_log_ctr_error(c->name, "base",
					  "0x%llx-0x%llx overlaps container %s",
					  (unsigned long long)c->base,
					  (unsigned long long)(c->base + c->memory),
					  man->ctr[j].name);
			return;
		}
	}
	hyp_log_ctr_error(c->name, "base",
			  "0x%llx-0x%llx is not free RAM (the firmware's, or no RAM there)",
			  (unsigned long long)c->base,
			  (unsigned long long)(c->base + c->memory));
}

static void place_any(struct manifest *man, unsigned int idx,
		      const struct mem_map *free, struct mem_range *out)
{
	struct manifest_ctr *c = &man->ctr[idx];
	u64 align = hyp_pow2_floor(c->memory);
	u64 base = 0;

	if (find_base(free, out, man->count, c->memory, align, &base)) {
		out[idx].base = base;
		out[idx].size = c->memory;
		return;
	}
	hyp_log_ctr_error(c->name, "memory-mib",
			  "%llu MiB does not fit in free RAM (largest free block %llu MiB)",
			  (unsigned long long)(c->memory / HYP_MIB),
			  (unsigned long long)(largest_free(free) / HYP_MIB));
	c->valid = false;
}

void place_containers(struct manifest *man, const struct mem_map *free,
		      unsigned int max_regions, struct mem_range *out)
{
	u64 pieces[HYP_MAX_REGIONS];
	unsigned int i, n;

	hyp_memset(out, 0, sizeof(*out) * man->count);
	for (i = 0; i < man->count; i++) {
		struct manifest_ctr *c = &man->ctr[i];

		if (!c->valid)
			continue;
		n = place_pieces(c->memory, pieces, HYP_MAX_REGIONS);
		if (n > max_regions) {
			hyp_log_ctr_error(c->name, "memory-mib",
					  "%llu MiB needs %u PMP regions, this machine has %u per container",
					  (unsigned long long)(c->memory / HYP_MIB),
					  n, max_regions);
			c->valid = false;
		}
	}
	/* Fixed bases first, so the rest fit around them. */
	for (i = 0; i < man->count; i++)
		if (man->ctr[i].valid && man->ctr[i].base)
			place_fixed(man, i, free, out);
	for (i = 0; i < man->count; i++)
		if (man->ctr[i].valid && !man->ctr[i].base)
			place_any(man, i, free, out);
}
