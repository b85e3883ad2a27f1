// SPDX-License-Identifier: BSD-2-Clause
/*
 * Per-container console lines. A line is emitted whole under one lock so
 * two containers never mix mid-line; an over-long line is cut and
 * continued on the next, still prefixed.
 */
#include <hyp/hal.h>
#include <hyp/lock.h>
#include <hyp/string.h>
#include <hyp/vcons.h>

/* Every write to the UART, so lines never mix; taken last, never held
 * while taking another lock. */
static struct hyp_lock uart_lock = HYP_LOCK_INIT;

void vcons_raw(const char *s, size_t len)
{
	hyp_lock(&uart_lock);
	hal_console_write(s, len);
	hyp_unlock(&uart_lock);
}

void vcons_init(struct vcons *vc, const char *name)
{
	hyp_memset(vc, 0, sizeof(*vc));
	vc->lock = (struct hyp_lock)HYP_LOCK_INIT;
	vc->name = name;
}

/*
 * Under the lock, not by writing it: on a restart another hart may be in
 * the middle of this console (the poller queueing a key, say).
 */
void vcons_reset(struct vcons *vc)
{
	hyp_lock(&vc->lock);
	vc->len = 0;
	vc->in_head = vc->in_tail = 0;
	hyp_unlock(&vc->lock);
}

/* The prefix, then the line with its newline, under the UART lock. */
static void vcons_emit(struct vcons *vc)
{
	char prefix[HYP_NAME_MAX + 3];
	size_t n = hyp_strlen(vc->name);

	prefix[0] = '[';
	hyp_memcpy(prefix + 1, vc->name, n);
	prefix[n + 1] = ']';
	prefix[n + 2] = ' ';
	vc->line[vc->len] = '\n';
	hyp_lock(&uart_lock);
	hal_console_write(prefix, n + 3);
	hal_console_write(vc->line, vc->len + 1);
	hyp_unlock(&uart_lock);
	vc->len = 0;
}

static void putc_locked(struct vcons *vc, char ch)
{
	if (ch == '\n') {
		vcons_emit(vc);
		return;
	}
	/* A carriage return before a newline adds nothing on a line basis. */
	if (ch == '\r')
		return;
	/* Full: continue on a new line, but only once there is more. */
	if (vc->len == HYP_LINE_MAX)
		vcons_emit(vc);
	vc->line[vc->len++] = ch;
}

void vcons_putc(struct vcons *vc, char ch)
{
	hyp_lock(&vc->lock);
	putc_locked(vc, ch);
	vc->last_out = hal_time_now();
	hyp_unlock(&vc->lock);
}

void vcons_write(struct vcons *vc, const char *s, size_t len)
{
	hyp_lock(&vc->lock);
	while (len--)
		putc_locked(vc, *s++);
	vc->last_out = hal_time_now();
	hyp_unlock(&vc->lock);
}

void vcons_flush_stale(struct vcons *vc, u64 now, u64 age)
{
	/* The common case, without the lock: a peek, checked again under it. */
	if (!__atomic_load_n(&vc->len, __ATOMIC_RELAXED))
		return;
	hyp_lock(&vc->lock);
	if (vc->len && now - vc->last_out >= age)
		vcons_emit(vc);
	hyp_unlock(&vc->lock);
}

void vcons_flush(struct vcons *vc)
{
	hyp_lock(&vc->lock);
	if (vc->len)
		vcons_emit(vc);
	hyp_unlock(&vc->lock);
}

void vcons_input(struct vcons *vc, char ch)
{
	hyp_lock(&vc->lock);
	if (vc->in_head - vc->in_tail < HYP_INPUT_MAX)
		vc->in[vc->in_head++ % HYP_INPUT_MAX] = ch;
	hyp_unlock(&vc->lock);
}

int vcons_getc(struct vcons *vc)
{
	int ch = -1;

	/* The common case, without the lock: a peek, checked again under it. */
	if (__atomic_load_n(&vc->in_head, __ATOMIC_RELAXED) ==
	    __atomic_load_n(&vc->in_tail, __ATOMIC_RELAXED))
		return -1;
	hyp_lock(&vc->lock);
	if (vc->in_head != vc->in_tail)
		ch = (unsigned char)vc->in[vc->in_tail++ % HYP_INPUT_MAX];
	hyp_unlock(&vc->lock);
	return ch;
}
