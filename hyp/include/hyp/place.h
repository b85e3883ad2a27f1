/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Memory placement: each container's RAM is one contiguous range built
 * from power-of-two, naturally aligned pieces, so that each piece is a
 * single NAPOT PMP entry and the guest sees one memory node.
 */
#ifndef HYP_PLACE_H
#define HYP_PLACE_H

#include <hyp/config.h>
#include <hyp/types.h>

struct manifest;

struct mem_range {
	u64 base;
	u64 size;
};

#define PLACE_MAX_RANGES	16

/** Free RAM: the machine's memory with the firmware and blobs cut out. */
struct mem_map {
	unsigned int count;
	struct mem_range r[PLACE_MAX_RANGES];
};

void mem_map_init(struct mem_map *m);
int mem_map_add(struct mem_map *m, u64 base, u64 size);
/** Cut [base, base + size) out of every free range. */
int mem_map_reserve(struct mem_map *m, u64 base, u64 size);

/** Split @size into power-of-two pieces, largest first; returns count. */
unsigned int place_pieces(u64 size, u64 *pieces, unsigned int max);

/**
 * Give every valid container of @man a range in @free, fixed bases first.
 * A container that cannot be placed is logged (by name and field) and
 * marked invalid. @out[i] is container i's range (size 0 if none); @out
 * has room for @man->count.
 */
void place_containers(struct manifest *man, const struct mem_map *free,
		      unsigned int max_regions, struct mem_range *out);

#endif
