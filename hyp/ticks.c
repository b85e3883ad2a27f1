// SPDX-License-Identifier: BSD-2-Clause
/*
 * The scheduler's and the console's durations in timer ticks (ticks.h).
 */
#include <hyp/config.h>
#include <hyp/console.h>
#include <hyp/ticks.h>

struct hyp_durations hyp_ticks;

void hyp_ticks_init(u64 freq)
{
	hyp_ticks.slice = hyp_us_to_ticks(freq, HYP_SLICE_US);
	hyp_ticks.console_poll = hyp_us_to_ticks(freq, CONSOLE_POLL_US);
	hyp_ticks.console_busy = hyp_us_to_ticks(freq, CONSOLE_BUSY_US);
	hyp_ticks.console_hold = hyp_us_to_ticks(freq, CONSOLE_HOLD_US);
	hyp_ticks.prompt_age = hyp_us_to_ticks(freq, CONSOLE_PROMPT_US);
	hyp_ticks.freq = freq;
}

u64 hyp_ticks_to_ns(u64 ticks)
{
	u64 f = hyp_ticks.freq;

	if (!f)
		return 0;
	/* Whole seconds and the rest apart: ticks * 10^9 overflows in hours. */
	return ticks / f * 1000000000ULL + ticks % f * 1000000000ULL / f;
}
