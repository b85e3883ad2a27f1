// SPDX-License-Identifier: BSD-2-Clause
/*
 * The hypervisor's messages. The same text appears at boot on the UART
 * and from the host-side manifest checker, so a user sees one wording.
 * On the UART they are the lines of the hypervisor's own console,
 * vcons_hyp, whose prefix is "[diosix] " (vcons.c).
 */
#include <hyp/log.h>
#include <hyp/string.h>
#include <hyp/vcons.h>
#include <stdarg.h>

int hyp_vformat(char *buf, size_t size, const char *fmt, va_list ap);

static void log_line(const char *head, const char *fmt, va_list ap)
{
	char line[200];
	size_t n;

	n = (size_t)hyp_snprintf(line, sizeof(line), "%s", head);
	if (n < sizeof(line))
		n += (size_t)hyp_vformat(line + n, sizeof(line) - n, fmt, ap);
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	vcons_write(&vcons_hyp, line, n);
}

void hyp_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("", fmt, ap);
	va_end(ap);
}

void hyp_log_ctr_error(const char *ctr, const char *field, const char *fmt, ...)
{
	char head[80];
	va_list ap;

	hyp_snprintf(head, sizeof(head), "error: container %s: %s: ", ctr, field);
	va_start(ap, fmt);
	log_line(head, fmt, ap);
	va_end(ap);
}
