/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Output goes through SBI DBCN, one console_write per line (or per
 * CONSOLE_LINE bytes for longer lines). If DBCN fails the bytes go out
 * through legacy console_putchar instead, so a FAIL line is still seen.
 *
 * printf-lite understands %%, %c, %s and %d %i %u %x %p, with the
 * flags 0 and -, a width, a precision for %s (.N or .*), and the
 * lengths l, ll and z.
 */
#define CONSOLE_LINE	256

void console_write(const char *s, size_t len);
int vprintf(const char *fmt, va_list ap);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);		/* s and a newline */

/* s through legacy console_putchar, one ecall per byte, nothing added. */
void legacy_print(const char *s);

#endif
