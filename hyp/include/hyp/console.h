/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The machine's console. UART input goes to the container with focus;
 * the escape key (Ctrl-], which QEMU's Ctrl-A does not clash with) opens
 * the operator console: list, focus, stop, start, restart, stats,
 * poweroff.
 */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include <hyp/types.h>

struct container;

#define CONSOLE_ESCAPE		0x1d	/* Ctrl-] */
#define CONSOLE_POLL_US		20000	/* how often a quiet UART is read */
/* How often while keys arrive (16 bytes a poll: 16 KB/s) or output waits. */
#define CONSOLE_BUSY_US		1000
/*
 * While the focused container writes a line (it wrote this recently),
 * other containers' whole lines wait this long at most for its line end
 * before they end its line for it.
 */
#define CONSOLE_HOLD_US		100000
/* A partial line this old, when its container waits for input, is a prompt. */
#define CONSOLE_PROMPT_US	50000

/** Give @c the focus (NULL: nobody), in container input mode. */
void console_init(struct container *focus);
/** A byte of input for @c, or -1 if none (or @c lacks focus). */
int console_getc_for(struct container *c);
/**
 * The poll hart's poll: read what the UART has, run operator commands,
 * write a bounded chunk of waiting output. Never waits for another hart.
 */
void console_poll(void);
/** When the hart that polls the console must next wake to poll it. */
u64 console_poll_deadline(u64 now);
/** The hart that polls the console (the first shared guest hart). */
bool console_is_poll_hart(unsigned int hart);
/** Pinning changed which harts are shared: find the poll hart again. */
void console_poll_hart_changed(void);
/** Whether a poll is due at @now (console_poll_deadline has passed). */
bool console_poll_due(u64 now);

#endif
