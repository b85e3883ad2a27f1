// SPDX-License-Identifier: BSD-2-Clause
/*
 * The UART as OpenSBI sees it. OpenSBI prints on a guest's behalf while
 * it handles a trap the hypervisor forwarded (an illegal instruction it
 * refuses, say): straight to the UART, without the container's prefix
 * or a newline, in the middle of whatever line is being written. So the
 * console device OpenSBI uses is this wrapper around the board's: while
 * a hart forwards a guest's trap its output is held in the hart's
 * scratch area, and hyp/ prints it by its own rules afterwards
 * (hal_trap_forward_text, hyp/fwlog.c). Everything else passes through.
 * hyp/ itself writes terminal bytes (its CR LF line ends included)
 * straight to the board's device: dx_console_write.
 */
#include <sbi/sbi_console.h>
#include <sbi/sbi_error.h>
#include <sbi/sbi_scratch.h>
#include <sbi/sbi_string.h>
#include <hyp/hal.h>
#include "dx.h"

struct capture {
	bool on;
	unsigned int len;
	char text[HAL_FORWARD_TEXT_MAX];
};

static const struct sbi_console_device *uart;
static struct sbi_console_device wrapper;
static unsigned long capture_off;

static struct capture *this_capture(void)
{
	return sbi_scratch_offset_ptr(sbi_scratch_thishart_ptr(), capture_off);
}

/* Held text keeps its newlines and drops CRs; beyond the buffer, cut. */
static void hold(struct capture *cap, const char *s, unsigned long len)
{
	unsigned long i;

	for (i = 0; i < len && cap->len < sizeof(cap->text); i++)
		if (s[i] != '\r')
			cap->text[cap->len++] = s[i];
}

static unsigned long wrap_puts(const char *s, unsigned long len)
{
	struct capture *cap = this_capture();
	unsigned long i;

	if (cap->on) {
		hold(cap, s, len);
		return len;
	}
	if (uart->console_puts)
		return uart->console_puts(s, len);
	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart->console_putc('\r');
		uart->console_putc(s[i]);
	}
	return len;
}

static void wrap_putc(char ch)
{
	wrap_puts(&ch, 1);
}

static int wrap_getc(void)
{
	return uart->console_getc ? uart->console_getc() : -1;
}

/* As they are: hyp/vcons.c has already made each LF a CR LF. */
void dx_console_write(const char *s, unsigned long len)
{
	unsigned long i, n;

	if (!uart) {
		sbi_nputs(s, len);
		return;
	}
	if (uart->console_puts) {
		for (i = 0; i < len; i += n) {
			n = uart->console_puts(s + i, len - i);
			if (!n)
				break;
		}
		return;
	}
	for (i = 0; i < len; i++)
		uart->console_putc(s[i]);
}

int dx_console_init(void)
{
	uart = sbi_console_get_device();
	if (!uart)
		return 0;
	capture_off = sbi_scratch_alloc_offset(sizeof(struct capture));
	if (!capture_off)
		return SBI_ENOMEM;
	sbi_memcpy(wrapper.name, uart->name, sizeof(wrapper.name));
	wrapper.console_putc = wrap_putc;
	wrapper.console_puts = wrap_puts;
	wrapper.console_getc = wrap_getc;
	sbi_console_set_device(&wrapper);
	return 0;
}

void dx_console_capture(bool on)
{
	if (capture_off)
		this_capture()->on = on;
}

size_t hal_trap_forward_text(char *buf, size_t size)
{
	struct capture *cap;
	size_t len;

	if (!capture_off)
		return 0;
	cap = this_capture();
	len = cap->len < size ? cap->len : size;
	if (len)
		sbi_memcpy(buf, cap->text, len);
	cap->len = 0;
	return len;
}
