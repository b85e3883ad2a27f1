// SPDX-License-Identifier: BSD-2-Clause
/*
 * Virtual consoles on one terminal (docs/console.md). What each console
 * writes becomes terminal bytes in the shared ring, under its lock, in
 * the order it was accepted: the focused console's byte by byte, every
 * other console's a whole line at a time. The rules of what goes out:
 *
 * - a console's prefix "[name] " goes before its first byte on a
 *   terminal line, and again before a byte other than CR or LF after
 *   its own CR (which took the cursor back over the prefix);
 * - a lone LF goes out as CR LF, a CR LF as it came;
 * - when a console needs the terminal while another's line is partial,
 *   that line is ended with CR LF, and its owner's CR and LF that would
 *   have ended it add nothing ("cut").
 *
 * The ring reaches the UART through vcons_drain: whoever holds uart_lock
 * copies a chunk out under the ring's lock and writes it without it, so
 * writers wait for the UART only when the ring is full, and then only
 * for as many bytes as they need room for.
 */
#include <hyp/hal.h>
#include <hyp/lock.h>
#include <hyp/string.h>
#include <hyp/ticks.h>
#include <hyp/vcons.h>

/* The longest prefix: "[" name "] ". */
#define PREFIX_MAX	(HYP_NAME_MAX + 2)
/* What one byte can become: another's line ended, a CR, the prefix. */
#define BYTE_MAX	(2 + 1 + PREFIX_MAX + 1)
#define CHUNK		64

/* The ring must take the hold and a line at its worst: a prefix after each CR. */
_Static_assert(VCONS_HOLD + HYP_LINE_MAX / 2 * (PREFIX_MAX + 2) + 8 < VCONS_RING,
	       "ring too small");
_Static_assert((VCONS_RING & (VCONS_RING - 1)) == 0, "ring size not a power of two");

static struct {
	struct hyp_lock lock;		/* every field, and each vcons's at_bol, cut, cr */
	struct vcons *focus;		/* its bytes go out as they come */
	struct vcons *owner;		/* whose partial line the terminal ends in */
	size_t head, tail;		/* free-running */
	char ring[VCONS_RING];
	/*
	 * Whole lines of other consoles, held while the focused console is
	 * in the middle of writing a line (it wrote within console_hold):
	 * they follow its line end, or go out console_hold after the first
	 * was held, ending its line then.
	 */
	u64 focus_grew;			/* when the focused console last wrote */
	u64 held_since;
	size_t held;
	char hold[VCONS_HOLD];
} term;

/*
 * Where a console's output is in an escape sequence (ECMA-48): a line of
 * another console never cuts into one, or the terminal would read it as
 * part of the sequence.
 */
enum { ESC_NONE, ESC_START, ESC_CSI, ESC_STRING, ESC_STRING_ESC };

static u8 esc_next(u8 state, char ch)
{
	unsigned char c = (unsigned char)ch;

	if (c == 0x18 || c == 0x1a)	/* CAN, SUB: abandoned */
		return ESC_NONE;
	switch (state) {
	case ESC_NONE:
		return c == 0x1b ? ESC_START : ESC_NONE;
	case ESC_START:
		if (c == '[')
			return ESC_CSI;
		if (c == ']' || c == 'P' || c == '_' || c == '^' || c == 'X')
			return ESC_STRING;
		return c < 0x30 ? ESC_START : ESC_NONE;
	case ESC_CSI:
		return c >= 0x40 && c <= 0x7e ? ESC_NONE : ESC_CSI;
	case ESC_STRING:
		return c == 0x07 ? ESC_NONE : c == 0x1b ? ESC_STRING_ESC : ESC_STRING;
	default:
		return c == '\\' ? ESC_NONE : ESC_STRING;
	}
}

/* Where emit's bytes go: counted only, the ring, or the hold. */
enum sink { SINK_COUNT, SINK_RING, SINK_HOLD };

/* Taken by whoever writes the ring to the UART; before term.lock. */
static struct hyp_lock uart_lock = HYP_LOCK_INIT;

static size_t room(void)
{
	return VCONS_RING - (term.head - term.tail);
}

/* Count, or put, @n bytes (room checked by the caller). */
static size_t out(enum sink to, const char *s, size_t n)
{
	size_t i;

	for (i = 0; to == SINK_RING && i < n; i++)
		term.ring[term.head++ % VCONS_RING] = s[i];
	for (i = 0; to == SINK_HOLD && i < n; i++)
		term.hold[term.held++] = s[i];
	return n;
}

static size_t out_prefix(enum sink to, const struct vcons *vc)
{
	size_t n = hyp_strlen(vc->name);

	out(to, "[", 1);
	out(to, vc->name, n);
	return out(to, "] ", 2) + n + 1;
}

/* The state one run of emit works on; its own copy when it only counts. */
struct emit {
	struct vcons *vc, *owner;
	bool at_bol, cut, cr;
	u8 esc;
	enum sink to;
};

/* Another console's partial line is ended before @e's console writes. */
static size_t claim(struct emit *e)
{
	struct vcons *o = e->owner;

	if (!o || o == e->vc)
		return 0;
	if (e->to != SINK_COUNT) {
		o->cut = true;
		o->at_bol = true;
	}
	e->owner = NULL;
	return out(e->to, "\r\n", 2);
}

static size_t emit_eol(struct emit *e, char ch)
{
	size_t n;

	if (e->cut) {
		/* The line it ends was ended for it already. */
		e->cut = ch != '\n';
		return 0;
	}
	n = claim(e);
	/* An empty line is a line of its console too. */
	if (e->owner != e->vc) {
		n += out_prefix(e->to, e->vc);
		e->owner = e->vc;
	}
	if (ch == '\n' && !e->cr)
		n += out(e->to, "\r", 1);
	n += out(e->to, &ch, 1);
	e->cr = ch == '\r';
	e->at_bol = true;
	if (ch == '\n')
		e->owner = NULL;
	return n;
}

static size_t emit_one(struct emit *e, char ch)
{
	size_t n;

	if (ch == '\r' || ch == '\n')
		return emit_eol(e, ch);
	n = claim(e);
	e->cut = e->cr = false;
	if (!e->esc) {
		if (e->at_bol)
			n += out_prefix(e->to, e->vc);
		e->at_bol = false;
	}
	e->owner = e->vc;
	e->esc = esc_next(e->esc, ch);
	return n + out(e->to, &ch, 1);
}

/*
 * @vc's bytes as terminal bytes: counted, put into the ring, or held
 * (as they will go out after the focused console's line end).
 */
static size_t emit(struct vcons *vc, const char *s, size_t len, enum sink to)
{
	struct emit e = { vc, to == SINK_HOLD ? NULL : term.owner,
			  vc->at_bol, vc->cut, vc->cr, vc->esc, to };
	size_t n = 0;

	while (len--)
		n += emit_one(&e, *s++);
	if (to != SINK_COUNT) {
		vc->at_bol = e.at_bol;
		vc->cut = e.cut;
		vc->cr = e.cr;
		vc->esc = e.esc;
	}
	if (to == SINK_RING)
		term.owner = e.owner;
	return n;
}

/* End @vc's partial terminal line for it. */
static size_t end_line(struct vcons *vc)
{
	if (term.owner != vc)
		return 0;
	vc->cut = vc->at_bol = true;
	vc->cr = false;
	term.owner = NULL;
	return out(SINK_RING, "\r\n", 2);
}

/*
 * The held lines go into the ring, after the focused console's partial
 * line is ended if there is one (room for term.held + 2 checked by the
 * caller). They are other consoles' bytes: whoever releases them does
 * not count them as its own to write.
 */
static void release(void)
{
	size_t i;

	if (!term.held)
		return;
	if (term.owner)
		end_line(term.owner);
	for (i = 0; i < term.held; i++)
		term.ring[term.head++ % VCONS_RING] = term.hold[i];
	term.held = 0;
}

/* A whole line of a console without focus is held rather than cut in. */
static bool holding(u64 now)
{
	u64 hold = hyp_ticks.console_hold;

	if (!term.focus || term.owner != term.focus)
		return false;
	/* Never into an escape sequence, however long it takes. */
	if (term.focus->esc)
		return true;
	if (now - term.focus_grew >= hold)
		return false;
	return !term.held || now - term.held_since < hold;
}

/* With uart_lock held: write up to @budget bytes of the ring. */
static void drain_locked(size_t budget)
{
	char chunk[CHUNK];
	size_t n, i;

	while (budget) {
		hyp_lock(&term.lock);
		n = term.head - term.tail;
		if (n > budget)
			n = budget;
		if (n > CHUNK)
			n = CHUNK;
		for (i = 0; i < n; i++)
			chunk[i] = term.ring[term.tail++ % VCONS_RING];
		hyp_unlock(&term.lock);
		if (!n)
			return;
		hal_console_write(chunk, n);
		budget -= n;
	}
}

void vcons_drain(size_t budget)
{
	if (!budget || !hyp_trylock(&uart_lock))
		return;
	drain_locked(budget);
	hyp_unlock(&uart_lock);
}

bool vcons_pending(void)
{
	return __atomic_load_n(&term.head, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&term.tail, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&term.held, __ATOMIC_RELAXED);
}

void vcons_poll(u64 now)
{
	hyp_lock(&term.lock);
	if (term.held && !holding(now) && room() >= term.held + 2)
		release();
	hyp_unlock(&term.lock);
	vcons_drain(VCONS_POLL_DRAIN);
}

/* Nothing else runs: the held lines go too (the ring is empty for them). */
void vcons_drain_all(void)
{
	hyp_lock(&uart_lock);
	drain_locked((size_t)-1);
	hyp_lock(&term.lock);
	if (room() >= term.held + 2)
		release();
	hyp_unlock(&term.lock);
	drain_locked((size_t)-1);
	hyp_unlock(&uart_lock);
}

/*
 * With term.lock held: come back with room for @need bytes, having
 * written to the UART no more than were missing (added to *@wrote). The
 * lock is dropped meanwhile, so the caller checks its state again.
 */
static void make_room(size_t need, size_t *wrote)
{
	size_t have = room();

	if (have >= need)
		return;
	hyp_unlock(&term.lock);
	hyp_lock(&uart_lock);
	drain_locked(need - have);
	hyp_unlock(&uart_lock);
	hyp_lock(&term.lock);
	*wrote += need - have;
}

/* With term.lock: @vc's whole line is held, if the focused console is
 * in the middle of one and the hold has room. */
static bool hold_line(struct vcons *vc)
{
	u64 now = hal_time_now();

	if (term.focus == vc || !holding(now) ||
	    term.held + emit(vc, vc->line, vc->len, SINK_COUNT) > VCONS_HOLD)
		return false;
	if (!term.held)
		term.held_since = now;
	emit(vc, vc->line, vc->len, SINK_HOLD);
	vc->len = 0;
	return true;
}

/* With vc->lock and term.lock: the held line goes out whole; with @cut,
 * its terminal line is ended too (it was too long, or is a prompt). */
static size_t commit(struct vcons *vc, bool cut, size_t *wrote)
{
	size_t need, n;

	if (!cut && hold_line(vc))
		return 0;
	for (;;) {
		need = emit(vc, vc->line, vc->len, SINK_COUNT) + term.held + 4;
		if (room() >= need)
			break;
		make_room(need, wrote);
	}
	/* What was held came first. */
	release();
	n = emit(vc, vc->line, vc->len, SINK_RING);
	vc->len = 0;
	return cut ? n + end_line(vc) : n;
}

/* With vc->lock and term.lock: one byte from @vc; what went into the ring. */
static size_t put_locked(struct vcons *vc, char ch, size_t *wrote)
{
	size_t n;

	if (term.focus == vc) {
		while (room() < BYTE_MAX + term.held + 2)
			make_room(BYTE_MAX + term.held + 2, wrote);
		n = emit(vc, &ch, 1, SINK_RING);
		term.focus_grew = hal_time_now();
		/* Its line has ended: what waited for that follows. */
		if (term.owner != vc)
			release();
		return n;
	}
	vc->line[vc->len++] = ch;
	if (ch == '\n')
		return commit(vc, false, wrote);
	if (vc->len == HYP_LINE_MAX)
		return commit(vc, true, wrote);
	return 0;
}

/*
 * What a writer added, less what it already wrote to make room: the most
 * a writer ever writes to the UART is as much as it added to the ring.
 */
static void drain_own(size_t added, size_t wrote)
{
	if (added > wrote)
		vcons_drain(added - wrote);
}

void vcons_write(struct vcons *vc, const char *s, size_t len)
{
	size_t added = 0, wrote = 0;

	hyp_lock(&vc->lock);
	hyp_lock(&term.lock);
	while (len--)
		added += put_locked(vc, *s++, &wrote);
	hyp_unlock(&term.lock);
	vc->last_out = hal_time_now();
	hyp_unlock(&vc->lock);
	drain_own(added, wrote);
}

void vcons_putc(struct vcons *vc, char ch)
{
	vcons_write(vc, &ch, 1);
}

void vcons_flush(struct vcons *vc)
{
	size_t added = 0, wrote = 0;

	hyp_lock(&vc->lock);
	hyp_lock(&term.lock);
	if (vc->len)
		added = commit(vc, false, &wrote);
	added += end_line(vc);
	hyp_unlock(&term.lock);
	hyp_unlock(&vc->lock);
	drain_own(added, wrote);
}

void vcons_flush_stale(struct vcons *vc, u64 now, u64 age)
{
	size_t added = 0, wrote = 0;

	/* The common case, without the lock: a peek, checked again under it. */
	if (!__atomic_load_n(&vc->len, __ATOMIC_RELAXED))
		return;
	hyp_lock(&vc->lock);
	hyp_lock(&term.lock);
	if (vc->len && term.focus != vc && now - vc->last_out >= age)
		added = commit(vc, true, &wrote);
	hyp_unlock(&term.lock);
	hyp_unlock(&vc->lock);
	drain_own(added, wrote);
}

/* Only the operator console changes focus (under console_lock). */
void vcons_focus(struct vcons *vc)
{
	size_t added = 0, wrote = 0;

	if (vc)
		hyp_lock(&vc->lock);
	hyp_lock(&term.lock);
	while (room() < term.held + 2)
		make_room(term.held + 2, &wrote);
	release();
	term.focus = vc;
	if (vc && vc->len)
		added = commit(vc, false, &wrote);
	hyp_unlock(&term.lock);
	if (vc)
		hyp_unlock(&vc->lock);
	drain_own(added, wrote);
}

bool vcons_take_cut(struct vcons *vc)
{
	bool cut;

	hyp_lock(&term.lock);
	cut = vc->cut;
	vc->cut = false;
	hyp_unlock(&term.lock);
	return cut;
}

/* --- setup ------------------------------------------------------------ */

struct vcons vcons_hyp = { .name = "diosix", .at_bol = true };

void vcons_init(struct vcons *vc, const char *name)
{
	hyp_memset(vc, 0, sizeof(*vc));
	vc->lock = (struct hyp_lock)HYP_LOCK_INIT;
	vc->in_lock = (struct hyp_lock)HYP_LOCK_INIT;
	vc->name = name;
	vc->at_bol = true;
}

/*
 * Once at boot, when every line logged so far has gone out (each writer
 * drains what it adds, and only the boot hart runs), and by the unit
 * tests between cases, which may have left a lock held.
 */
void vcons_setup(void)
{
	term.lock = (struct hyp_lock)HYP_LOCK_INIT;
	uart_lock = (struct hyp_lock)HYP_LOCK_INIT;
	term.focus = term.owner = NULL;
	term.head = term.tail = 0;
	term.held = 0;
	vcons_init(&vcons_hyp, "diosix");
}

/*
 * Under the locks, not by writing them: on a restart another hart may be
 * in the middle of this console (the poller queueing a key, say).
 */
void vcons_reset(struct vcons *vc)
{
	size_t added;

	hyp_lock(&vc->lock);
	hyp_lock(&term.lock);
	vc->len = 0;
	added = end_line(vc);
	vc->at_bol = true;
	vc->cut = vc->cr = false;
	vc->esc = 0;
	hyp_unlock(&term.lock);
	hyp_unlock(&vc->lock);
	vcons_drain(added);
	hyp_lock(&vc->in_lock);
	vc->in_head = vc->in_tail = 0;
	vc->in_full = false;
	hyp_unlock(&vc->in_lock);
}

/* --- input ------------------------------------------------------------ */

bool vcons_input(struct vcons *vc, char ch, bool *report)
{
	bool ok;

	*report = false;
	hyp_lock(&vc->in_lock);
	ok = vc->in_head - vc->in_tail < HYP_INPUT_MAX;
	if (ok) {
		vc->in[vc->in_head++ % HYP_INPUT_MAX] = ch;
	} else if (!vc->in_full) {
		vc->in_full = true;
		*report = true;
	}
	hyp_unlock(&vc->in_lock);
	return ok;
}

int vcons_getc(struct vcons *vc)
{
	int ch = -1;

	/* The common case, without the lock: a peek, checked again under it. */
	if (__atomic_load_n(&vc->in_head, __ATOMIC_RELAXED) ==
	    __atomic_load_n(&vc->in_tail, __ATOMIC_RELAXED))
		return -1;
	hyp_lock(&vc->in_lock);
	if (vc->in_head != vc->in_tail)
		ch = (unsigned char)vc->in[vc->in_tail++ % HYP_INPUT_MAX];
	if (vc->in_head == vc->in_tail)
		vc->in_full = false;
	hyp_unlock(&vc->in_lock);
	return ch;
}
