// SPDX-License-Identifier: BSD-2-Clause
/*
 * OpenSBI's messages on a guest's behalf (fwlog.h): each line becomes
 * "[diosix] container <name>: firmware: <text>", FWLOG_BURST of them at
 * most per second and container; the rest are counted and reported as
 * one line when the next second begins or the container stops.
 */
#include <hyp/container.h>
#include <hyp/fwlog.h>
#include <hyp/hal.h>
#include <hyp/lock.h>
#include <hyp/log.h>
#include <hyp/string.h>

/* One for all containers: several vCPUs of one may report at once. */
static struct hyp_lock fwlog_lock = HYP_LOCK_INIT;

static void report_suppressed(struct container *c)
{
	if (!c->fwlog.suppressed)
		return;
	hyp_log("container %s: %u more firmware messages suppressed",
		container_name(c), c->fwlog.suppressed);
	c->fwlog.suppressed = 0;
}

static void one_line(struct container *c, const char *s, size_t len, u64 now)
{
	struct fwlog *l = &c->fwlog;
	char line[HAL_FORWARD_TEXT_MAX + 1];

	if (now - l->window_start >= hal_time_freq()) {
		report_suppressed(c);
		l->window_start = now;
		l->in_window = 0;
	}
	if (l->in_window >= FWLOG_BURST) {
		l->suppressed++;
		return;
	}
	l->in_window++;
	if (len > sizeof(line) - 1)
		len = sizeof(line) - 1;
	hyp_memcpy(line, s, len);
	line[len] = '\0';
	hyp_log("container %s: firmware: %s", container_name(c), line);
}

void fwlog_text(struct container *c, const char *text, size_t len)
{
	u64 now = hal_time_now();
	size_t start = 0, i;

	hyp_lock(&fwlog_lock);
	for (i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		if (i > start)
			one_line(c, text + start, i - start, now);
		start = i + 1;
	}
	hyp_unlock(&fwlog_lock);
}

void fwlog_flush(struct container *c)
{
	hyp_lock(&fwlog_lock);
	report_suppressed(c);
	c->fwlog.in_window = 0;
	c->fwlog.window_start = 0;
	hyp_unlock(&fwlog_lock);
}
