/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console input routing: UART input goes to the container with focus.
 */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

struct container;

void console_set_focus(struct container *c);
/** A byte of input for @c, or -1 if none (or @c lacks focus). */
int console_getc_for(struct container *c);

#endif
