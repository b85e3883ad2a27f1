/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What OpenSBI prints while it handles a guest's trap (an illegal
 * instruction it refuses, say) is about that guest: it reaches the UART
 * as the hypervisor's own whole lines, naming the container, and at a
 * bounded rate, so a guest cannot flood the console or glue text onto
 * another container's line.
 */
#ifndef HYP_FWLOG_H
#define HYP_FWLOG_H

#include <hyp/types.h>

struct container;

/* Messages a container may cause in a burst, then one a second. */
#define FWLOG_BURST		5

struct fwlog {
	u64 window_start;		/* timer ticks */
	unsigned int in_window;		/* messages printed since then */
	unsigned int suppressed;	/* not printed, not yet reported */
};

/** Report @len bytes OpenSBI printed for @c (one or more lines). */
void fwlog_text(struct container *c, const char *text, size_t len);
/** Say how many messages were suppressed, if any (at a stop). */
void fwlog_flush(struct container *c);

#endif
