// SPDX-License-Identifier: BSD-2-Clause
/*
 * The virtual PLIC's register model (vplic.h), after the RISC-V PLIC
 * specification 1.0.0:
 *
 * - a source whose priority is 0 never interrupts; among the others the
 *   highest priority wins, ties going to the lowest ID;
 * - a context's line is up while some pending source enabled for it has
 *   a priority above its threshold;
 * - a claim returns the best pending enabled source (whatever the
 *   threshold, which the specification says does not affect claims) and
 *   clears its pending bit, or 0 when there is none;
 * - a completion reopens the source's gateway, and is silently ignored
 *   unless the source is enabled for the completing context; until then
 *   the gateway forwards no new request, which is what keeps a level-
 *   triggered device from storming (the caller completes the physical
 *   source only when the guest completes the virtual one).
 */
#include <hyp/bits.h>
#include <hyp/string.h>
#include <hyp/vplic.h>

static bool bit(const u32 *map, unsigned int n)
{
	return (map[n / 32] >> (n % 32)) & 1;
}

static void set_bit(u32 *map, unsigned int n, bool on)
{
	if (on)
		map[n / 32] |= 1U << (n % 32);
	else
		map[n / 32] &= ~(1U << (n % 32));
}

/* Valid source bits of word @w: none for source 0 or past nsrc. */
static u32 src_mask(const struct vplic *p, unsigned int w)
{
	u32 m = ~0U;

	if (w == 0)
		m &= ~1U;
	if (w * 32 >= p->nsrc)
		return 0;
	if (p->nsrc - w * 32 < 32)
		m &= (1U << (p->nsrc - w * 32)) - 1;
	return m;
}

/* The best pending source enabled for @ctx above @floor, or 0. */
static unsigned int best_source(const struct vplic *p, unsigned int ctx, u32 floor)
{
	unsigned int w, best = 0;
	u32 best_prio = floor;

	for (w = 0; w < VPLIC_SRC_WORDS; w++) {
		u32 cand = p->pending[w] & p->ctx[ctx].enable[w];

		while (cand) {
			unsigned int s = w * 32 + hyp_ctz64(cand);

			cand &= cand - 1;
			if (p->priority[s] > best_prio) {
				best = s;
				best_prio = p->priority[s];
			}
		}
	}
	return best;
}

/* Recompute every context's line; note those that moved in @e. */
static void update_lines(struct vplic *p, struct vplic_effect *e)
{
	unsigned int c;

	for (c = 0; c < p->nctx; c++) {
		bool up = best_source(p, c, p->ctx[c].threshold) != 0;

		if (up == bit(p->eip, c))
			continue;
		if (up)
			__atomic_or_fetch(&p->eip[c / 32], 1U << (c % 32), __ATOMIC_RELEASE);
		else
			__atomic_and_fetch(&p->eip[c / 32], ~(1U << (c % 32)), __ATOMIC_RELEASE);
		e->changed[c / 32] |= 1U << (c % 32);
	}
}

void vplic_reset(struct vplic *p, unsigned int nsrc, unsigned int nctx)
{
	hyp_memset(p->priority, 0, sizeof(p->priority));
	hyp_memset(p->pending, 0, sizeof(p->pending));
	hyp_memset(p->active, 0, sizeof(p->active));
	hyp_memset(p->ctx, 0, sizeof(p->ctx));
	__atomic_store_n(&p->eip[0], 0, __ATOMIC_RELEASE);
	for (unsigned int w = 1; w < VPLIC_CTX_WORDS; w++)
		__atomic_store_n(&p->eip[w], 0, __ATOMIC_RELEASE);
	p->nsrc = nsrc < VPLIC_MAX_SRC ? nsrc : VPLIC_MAX_SRC;
	p->nctx = nctx < HYP_MAX_CONTAINER_VCPUS ? nctx : HYP_MAX_CONTAINER_VCPUS;
}

bool vplic_raise(struct vplic *p, unsigned int src, struct vplic_effect *e)
{
	if (!src || src >= p->nsrc || bit(p->active, src))
		return false;
	set_bit(p->active, src, true);
	set_bit(p->pending, src, true);
	update_lines(p, e);
	return true;
}

static u32 claim(struct vplic *p, unsigned int ctx, struct vplic_effect *e)
{
	unsigned int s = best_source(p, ctx, 0);

	if (s) {
		set_bit(p->pending, s, false);
		update_lines(p, e);
	}
	return s;
}

static void complete(struct vplic *p, unsigned int ctx, u32 src,
		     struct vplic_effect *e)
{
	if (!src || src >= p->nsrc || !bit(p->ctx[ctx].enable, src) ||
	    !bit(p->active, src))
		return;
	set_bit(p->active, src, false);
	e->completed = src;
}

/* Context registers: @ctx and the register within, or false. */
static bool context_reg(const struct vplic *p, u64 off, unsigned int *ctx,
			unsigned int *reg)
{
	u64 n;

	if (off < VPLIC_CONTEXT)
		return false;
	n = (off - VPLIC_CONTEXT) / VPLIC_CONTEXT_STRIDE;
	if (n >= p->nctx)
		return false;
	*ctx = (unsigned int)n;
	*reg = (unsigned int)((off - VPLIC_CONTEXT) % VPLIC_CONTEXT_STRIDE);
	return true;
}

/* Enable words: @ctx and the word index, or false. */
static bool enable_reg(const struct vplic *p, u64 off, unsigned int *ctx,
		       unsigned int *w)
{
	u64 n;

	if (off < VPLIC_ENABLE || off >= VPLIC_CONTEXT)
		return false;
	n = (off - VPLIC_ENABLE) / VPLIC_ENABLE_STRIDE;
	*w = (unsigned int)((off - VPLIC_ENABLE) % VPLIC_ENABLE_STRIDE) / 4;
	if (n >= p->nctx || *w >= VPLIC_SRC_WORDS)
		return false;
	*ctx = (unsigned int)n;
	return true;
}

u32 vplic_read(struct vplic *p, u64 off, struct vplic_effect *e)
{
	unsigned int ctx, w;

	if (off < VPLIC_PENDING)
		return off / 4 < p->nsrc ? p->priority[off / 4] : 0;
	if (off < VPLIC_ENABLE) {
		w = (unsigned int)(off - VPLIC_PENDING) / 4;
		return w < VPLIC_SRC_WORDS ? p->pending[w] : 0;
	}
	if (enable_reg(p, off, &ctx, &w))
		return p->ctx[ctx].enable[w];
	if (!context_reg(p, off, &ctx, &w))
		return 0;
	if (w == VPLIC_THRESHOLD)
		return p->ctx[ctx].threshold;
	if (w == VPLIC_CLAIM)
		return claim(p, ctx, e);
	return 0;
}

void vplic_write(struct vplic *p, u64 off, u32 val, struct vplic_effect *e)
{
	unsigned int ctx, w;

	if (off < VPLIC_PENDING) {
		/* Source 0 has no priority register. */
		if (off && off / 4 < p->nsrc)
			p->priority[off / 4] = (u8)(val & VPLIC_PRIO_MASK);
	} else if (enable_reg(p, off, &ctx, &w)) {
		p->ctx[ctx].enable[w] = val & src_mask(p, w);
	} else if (context_reg(p, off, &ctx, &w)) {
		if (w == VPLIC_THRESHOLD)
			p->ctx[ctx].threshold = val & VPLIC_PRIO_MASK;
		else if (w == VPLIC_CLAIM)
			complete(p, ctx, val, e);
	}
	/* The pending array is read-only; the rest is reserved. */
	update_lines(p, e);
}
