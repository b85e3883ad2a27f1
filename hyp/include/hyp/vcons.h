/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Virtual consoles and the terminal they share (docs/console.md). The
 * console with focus owns the terminal: its bytes go out as they come,
 * "[name] " where one of its lines begins. Every other console's output
 * is held until a line is whole and goes out as "[name] text" (held a
 * little longer while the focused console is writing a line). Bytes go
 * to one ring in the order they are accepted and reach the UART in
 * bounded chunks: each writer drains at most what it added, the console
 * poll the rest.
 */
#ifndef HYP_VCONS_H
#define HYP_VCONS_H

#include <hyp/config.h>
#include <hyp/lock.h>
#include <hyp/types.h>

/* The shared ring: room for the longest line at its worst (vcons.c). */
#define VCONS_RING		8192
/* What one console poll writes from the ring at most. */
#define VCONS_POLL_DRAIN	512
/* Other consoles' whole lines held while the focused one writes a line. */
#define VCONS_HOLD		2048

struct vcons {
	/* Its writers, one at a time, even while one waits for ring room. */
	struct hyp_lock lock;
	const char *name;	/* set once, at creation */
	unsigned int len;	/* lock: a partial line held back */
	u64 last_out;		/* lock: when that line last grew */
	char line[HYP_LINE_MAX];	/* lock */
	/*
	 * The terminal's view of it, under the ring's lock (vcons.c):
	 * at_bol: its next byte other than CR or LF begins a terminal line,
	 *	so its prefix goes first (true whenever another owns the line);
	 * cut: the line it was writing was ended for it (another console
	 *	needed the terminal, or a prompt was shown), so its own CR and
	 *	LF ending that line add nothing;
	 * cr: its last byte was a CR, so an LF gets no CR of ours.
	 */
	bool at_bol, cut, cr;
	u8 esc;			/* where it is in an escape sequence */
	/* in_lock: input typed while it had focus, not yet read. */
	struct hyp_lock in_lock;
	unsigned int in_head, in_tail;
	bool in_full;		/* in_lock: "full" said since it last emptied */
	char in[HYP_INPUT_MAX];
};

/* The hypervisor's own lines, "[diosix] ..." (hyp/log.c). */
extern struct vcons vcons_hyp;

/** Once, when the console is created: its locks are initialised here only. */
void vcons_init(struct vcons *vc, const char *name);
/** On each (re)start: drop a partial line and unread input, under the locks. */
void vcons_reset(struct vcons *vc);
/** Forget the terminal's state and the ring: once, at boot (and unit tests). */
void vcons_setup(void);

/*
 * Output. Every byte is accepted: when the ring is full the writer itself
 * writes to the UART as many bytes as it needs room for.
 */
void vcons_putc(struct vcons *vc, char ch);
void vcons_write(struct vcons *vc, const char *s, size_t len);
/** End a partial line, if any (the console's container is stopping). */
void vcons_flush(struct vcons *vc);
/**
 * Show a partial line that has not grown for @age ticks, if @vc lacks
 * focus: a prompt, when its container waits for input.
 */
void vcons_flush_stale(struct vcons *vc, u64 now, u64 age);
/**
 * Give @vc the terminal (NULL: nobody): its held partial line goes out
 * at once, and so does all it writes from now on.
 */
void vcons_focus(struct vcons *vc);
/** True (once) if @vc's terminal line was ended for it since last asked. */
bool vcons_take_cut(struct vcons *vc);
/** Write up to @budget bytes of the ring to the UART, unless another hart is. */
void vcons_drain(size_t budget);
/** True if the ring holds bytes not yet written (a peek, without the lock). */
bool vcons_pending(void);
/**
 * The poll hart's share: lines held past their time go into the ring, and
 * up to VCONS_POLL_DRAIN bytes of the ring to the UART.
 */
void vcons_poll(u64 now);
/** Write the whole ring out, waiting for the UART (before a power-off). */
void vcons_drain_all(void);

/* Input. */
/**
 * Queue a byte of input. False if the ring is full and the byte dropped;
 * *report is then true the first time since the ring was last empty.
 */
bool vcons_input(struct vcons *vc, char ch, bool *report);
/** The oldest byte of input, or -1. */
int vcons_getc(struct vcons *vc);

#endif
