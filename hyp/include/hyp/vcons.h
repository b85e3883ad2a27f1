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

struct vcons {
	struct hyp_lock lock;
	const char *name;
	unsigned int len;
	u64 last_out;		/* when the partial line last grew */
	char line[HYP_LINE_MAX + 1];	/* + the newline it is written with */
	/* Input typed while this container had focus, not yet read. */
	unsigned int in_head, in_tail;
	char in[HYP_INPUT_MAX];
};

void vcons_init(struct vcons *vc, const char *name);
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
