/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-container virtual console: output is gathered into lines and each
 * line goes to the UART whole, as "[name] text".
 */
#ifndef HYP_VCONS_H
#define HYP_VCONS_H

#include <hyp/config.h>
#include <hyp/lock.h>
#include <hyp/types.h>

/* Every field but name under lock (nested outside uart_lock). */
struct vcons {
	struct hyp_lock lock;
	const char *name;	/* set once, at creation */
	unsigned int len;	/* lock */
	u64 last_out;		/* lock: when the partial line last grew */
	char line[HYP_LINE_MAX + 1];	/* lock; + the newline it is written with */
	/* lock: input typed while this container had focus, not yet read. */
	unsigned int in_head, in_tail;
	char in[HYP_INPUT_MAX];
};

/** Once, when the container is created: the lock is initialised here only. */
void vcons_init(struct vcons *vc, const char *name);
/** On each (re)start: drop a partial line and unread input, under the lock. */
void vcons_reset(struct vcons *vc);
void vcons_putc(struct vcons *vc, char ch);
void vcons_write(struct vcons *vc, const char *s, size_t len);
/** Emit a partial line, if any (the container is stopping). */
void vcons_flush(struct vcons *vc);
/**
 * Emit a partial line that has not grown for a while: a prompt, shown
 * once its container waits for input.
 */
void vcons_flush_stale(struct vcons *vc, u64 now, u64 age);
/** Queue a byte of input (dropped when full). */
void vcons_input(struct vcons *vc, char ch);
/** The oldest byte of input, or -1. */
int vcons_getc(struct vcons *vc);
/** Write raw text to the UART under the console lock. */
void vcons_raw(const char *s, size_t len);

#endif
