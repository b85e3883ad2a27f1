// SPDX-License-Identifier: BSD-2-Clause
/*
 * Watched supervisor and hypervisor CSRs (see csrwatch.h). CSR numbers,
 * not names, so the assembler needs no H in -march.
 */
#include "rt.h"
#include "csr.h"
#include "csrwatch.h"

#define HSTATUS_HU	(1UL << 9)
#define HSTATUS_VTVM	(1UL << 20)
#define HSTATUS_VTW	(1UL << 21)
#define HSTATUS_VTSR	(1UL << 22)
#define HSTATUS_SAFE	(HSTATUS_HU | HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR)
#define VS_IRQS		0x444UL		/* VSSIP, VSTIP, VSEIP (hip/hie/hvip) */
#define S_IRQS		0x222UL		/* SSIE, STIE, SEIE */
#define ROUND_MIX	((unsigned long)0x9e3779b97f4a7c15ULL)

enum kind {
	K_VARY,		/* any value, a new one each round (masked) */
	K_FIXED,	/* always the same value */
	K_ORBITS,	/* what the hart had, with mask bits set */
};

struct watched {
	const char *name;
	unsigned long (*read)(void);
	void (*write)(unsigned long v);
	enum kind kind;
	unsigned long mask;	/* K_VARY: bits kept; else the bits set */
	unsigned long scribble;	/* bits a hostile guest randomises; 0: none */
	bool h;			/* needs the H extension */
};

#define ACCESSORS(name, num)						\
	static unsigned long rd_##name(void) { return csr_read(num); }	\
	static void wr_##name(unsigned long v) { csr_write(num, v); }

ACCESSORS(sscratch, 0x140)
ACCESSORS(sie, 0x104)
ACCESSORS(stvec, 0x105)
ACCESSORS(hstatus, 0x600)
ACCESSORS(hie, 0x604)
ACCESSORS(hcounteren, 0x606)
ACCESSORS(hvip, 0x645)
ACCESSORS(vstvec, 0x205)
ACCESSORS(vsscratch, 0x240)
ACCESSORS(vsepc, 0x241)
ACCESSORS(vstval, 0x243)

#define W(n, k, m, s, hyp) { #n, rd_##n, wr_##n, k, m, s, hyp }

static const struct watched table[] = {
	W(sscratch, K_VARY, ~0UL, ~0UL, false),
	/* sstatus.SIE stays clear: enabled here is never taken. */
	W(sie, K_FIXED, S_IRQS, S_IRQS, false),
	/* Our own trap vector: rewritten with itself, never scribbled. */
	W(stvec, K_ORBITS, 0, 0, false),
	W(hstatus, K_ORBITS, HSTATUS_SAFE, HSTATUS_SAFE, true),
	/* VSEIE only: VSEIP needs hgeie or hvip.VSEIP, never both set here. */
	W(hie, K_FIXED, 0x400, VS_IRQS, true),
	W(hcounteren, K_FIXED, 0x5, 0x7, true),
	W(hvip, K_FIXED, 0x4, VS_IRQS, true),
	W(vstvec, K_VARY, ~3UL, ~3UL, true),
	W(vsscratch, K_VARY, ~0UL, ~0UL, true),
	W(vsepc, K_VARY, ~3UL, ~3UL, true),
	W(vstval, K_VARY, ~0UL, ~0UL, true),
};

#define NR_WATCHED	(sizeof(table) / sizeof(table[0]))

static unsigned long expect[NR_WATCHED];
static unsigned long base[NR_WATCHED];	/* K_ORBITS: the hart's value */
static int nr_watched;

int csrwatch_init(bool with_h)
{
	unsigned int i;

	nr_watched = 0;
	for (i = 0; i < NR_WATCHED; i++) {
		if (table[i].h && !with_h)
			break;
		base[i] = table[i].read() & ~(table[i].kind == K_ORBITS ?
					      table[i].mask : 0);
		nr_watched = (int)i + 1;
	}
	return nr_watched;
}

static unsigned long value_for(int i, unsigned long round)
{
	const struct watched *w = &table[i];

	switch (w->kind) {
	case K_VARY:
		return (((unsigned long)i + 1) * 0x0101010101010101ULL ^
			(round + 1) * ROUND_MIX) & w->mask;
	case K_FIXED:
		return w->mask;
	default:
		return base[i] | w->mask;
	}
}

void csrwatch_set(unsigned long round)
{
	int i;

	for (i = 0; i < nr_watched; i++) {
		table[i].write(value_for(i, round));
		expect[i] = table[i].read();
	}
}

int csrwatch_check(unsigned long *got, unsigned long *want)
{
	unsigned long v;
	int i;

	for (i = 0; i < nr_watched; i++) {
		v = table[i].read();
		if (v != expect[i]) {
			*got = v;
			*want = expect[i];
			return i;
		}
	}
	return -1;
}

const char *csrwatch_name(int i)
{
	return table[i].name;
}

void csrwatch_scribble(uint64_t (*rand64)(void *ctx), void *ctx)
{
	const struct watched *w;
	unsigned long v;
	int i;

	for (i = 0; i < nr_watched; i++) {
		w = &table[i];
		if (!w->scribble)
			continue;
		v = (unsigned long)rand64(ctx) & w->scribble;
		if (w->kind == K_ORBITS)
			v |= base[i];
		w->write(v);
	}
}
