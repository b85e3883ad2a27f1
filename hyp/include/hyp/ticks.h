/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fixed durations of the scheduler and the console in timer ticks,
 * converted once at boot: they are used on every scheduler pass, and a
 * 64-bit divide costs hundreds of instructions on rv32.
 */
#ifndef HYP_TICKS_H
#define HYP_TICKS_H

#include <hyp/types.h>

struct hyp_durations {
	u64 slice;		/* HYP_SLICE_US: one vCPU's turn on a shared hart */
	u64 console_poll;	/* CONSOLE_POLL_US: how often a quiet UART is read */
	u64 console_busy;	/* CONSOLE_BUSY_US: how often a busy console is polled */
	u64 console_hold;	/* CONSOLE_HOLD_US: the longest others' lines are held */
	u64 prompt_age;		/* CONSOLE_PROMPT_US: a partial line this old is a prompt */
	u64 freq;		/* ticks a second (the timebase) */
};

extern struct hyp_durations hyp_ticks;

/** @us microseconds in ticks of a @freq Hz timer, rounded down. */
static inline u64 hyp_us_to_ticks(u64 freq, u64 us)
{
	return freq * us / 1000000;
}

/** Fill hyp_ticks for the machine's timer, before any hart schedules. */
void hyp_ticks_init(u64 freq);
/** @ticks of the timebase in nanoseconds, without overflow for any uptime. */
u64 hyp_ticks_to_ns(u64 ticks);

#endif
