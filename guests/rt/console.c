// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console output: a line-buffered printf-lite over SBI DBCN. The same
 * formatter fills strings for test_snprintf (test.h).
 */
#include "rt.h"
#include "test.h"

/*
 * Where the formatter's output goes: a console line (on the caller's
 * stack, so harts don't share it) written out at each newline or when
 * full, or a string, cut at size - 1 bytes.
 */
struct outbuf {
	char *buf;
	size_t size;
	size_t len;
	int count;
	bool console;
};

static void legacy_write(const char *s, size_t len)
{
	while (len--)
		sbi_legacy_putchar(*s++);
}

void console_write(const char *s, size_t len)
{
	struct sbiret ret;

	/* DBCN may write fewer bytes than asked: go on from there. */
	while (len) {
		ret = sbi_dbcn_write((unsigned long)s, len);
		if (ret.error != SBI_SUCCESS || ret.value <= 0) {
			legacy_write(s, len);
			return;
		}
		if ((unsigned long)ret.value >= len)
			return;
		s += ret.value;
		len -= ret.value;
	}
}

void legacy_print(const char *s)
{
	legacy_write(s, strlen(s));
}

static void out_flush(struct outbuf *o)
{
	console_write(o->buf, o->len);
	o->len = 0;
}

static void out_char(struct outbuf *o, char c)
{
	if (!o->console) {
		/* Keep room for the NUL. */
		if (o->len + 1 < o->size)
			o->buf[o->len++] = c;
		return;
	}
	o->buf[o->len++] = c;
	o->count++;
	if (c == '\n' || o->len == o->size)
		out_flush(o);
}

static void out_str(struct outbuf *o, const char *s, size_t len)
{
	while (len--)
		out_char(o, *s++);
}

/*
 * *v /= base, returning the remainder. rv32 has no 64-bit divide (and we
 * have no libgcc), so divide the high word, then the low word 16 bits at
 * a time: with base <= 16 every step fits a native 32-bit divide.
 */
static unsigned int div_base(unsigned long long *v, unsigned int base)
{
	uint32_t hi = (uint32_t)(*v >> 32), lo = (uint32_t)*v;
	uint32_t q_hi, q1, q0, cur, r;

	q_hi = hi / base;
	r = hi % base;
	cur = r << 16 | lo >> 16;
	q1 = cur / base;
	r = cur % base;
	cur = r << 16 | (lo & 0xffff);
	q0 = cur / base;
	r = cur % base;
	*v = (unsigned long long)q_hi << 32 | q1 << 16 | q0;
	return r;
}

/* pad is ' ' (right-justify), '0' (zero-fill) or '-' (left-justify). */
static void out_num(struct outbuf *o, unsigned long long v, unsigned int base,
		    bool neg, int width, char pad)
{
	char digits[24];
	int n = 0, fill;

	do {
		digits[n++] = "0123456789abcdef"[div_base(&v, base)];
	} while (v);

	fill = width - n - neg;
	for (; pad == ' ' && fill > 0; fill--)
		out_char(o, ' ');
	if (neg)
		out_char(o, '-');
	/* Zeros go after the sign: -0042, not 00-42. */
	for (; pad == '0' && fill > 0; fill--)
		out_char(o, '0');
	while (n)
		out_char(o, digits[--n]);
	for (; fill > 0; fill--)
		out_char(o, ' ');
}

static void out_field(struct outbuf *o, const char *s, size_t len, int width,
		      char pad)
{
	int fill = width - (int)len;

	for (; pad != '-' && fill > 0; fill--)
		out_char(o, ' ');
	out_str(o, s, len);
	for (; fill > 0; fill--)
		out_char(o, ' ');
}

/* Fetch an integer argument of the given size ('i', 'l', 'L' = ll, 'z'). */
#define ARG(ap, size, type)						\
	((size) == 'L' ? (type long long)va_arg(ap, type long long) :	\
	 (size) == 'l' ? (type long long)va_arg(ap, type long) :	\
	 (size) == 'z' ? (type long long)va_arg(ap, type long) :	\
	 (type long long)va_arg(ap, type int))

static void out_signed(struct outbuf *o, long long v, int width, char pad)
{
	/* Negate as unsigned: -LLONG_MIN overflows a long long. */
	unsigned long long u = (unsigned long long)v;

	out_num(o, v < 0 ? 0 - u : u, 10, v < 0, width, pad);
}

static const char *out_conv(struct outbuf *o, const char *fmt, va_list *ap)
{
	char pad = ' ', size = 'i';
	int width = 0, prec = -1;
	const char *s;
	size_t len;
	unsigned long n;

	for (; *fmt == '0' || *fmt == '-'; fmt++) {
		if (pad != '-')
			pad = *fmt;
	}
	while (*fmt >= '0' && *fmt <= '9')
		width = width * 10 + (*fmt++ - '0');
	if (*fmt == '.') {
		fmt++;
		prec = 0;
		if (*fmt == '*') {
			prec = va_arg(*ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			prec = prec * 10 + (*fmt++ - '0');
	}
	if (*fmt == 'l') {
		size = 'l';
		if (*++fmt == 'l') {
			size = 'L';
			fmt++;
		}
	} else if (*fmt == 'z') {
		size = 'z';
		fmt++;
	}

	switch (*fmt) {
	case 'c':
		out_char(o, (char)va_arg(*ap, int));
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		len = prec < 0 ? strlen(s) : strnlen(s, prec);
		out_field(o, s, len, width, pad);
		break;
	case 'd':
	case 'i':
		out_signed(o, ARG(*ap, size, signed), width, pad);
		break;
	case 'u':
		out_num(o, ARG(*ap, size, unsigned), 10, false, width, pad);
		break;
	case 'x':
		out_num(o, ARG(*ap, size, unsigned), 16, false, width, pad);
		break;
	case 'p':
		out_str(o, "0x", 2);
		n = (unsigned long)va_arg(*ap, void *);
		out_num(o, n, 16, false, width, pad);
		break;
	case '%':
		out_char(o, '%');
		break;
	default:
		/* Unknown: show it rather than guess at the arguments. */
		out_char(o, '%');
		if (!*fmt)
			return fmt;
		out_char(o, *fmt);
		break;
	}
	return fmt + 1;
}

static void out_format(struct outbuf *o, const char *fmt, va_list ap)
{
	va_list aq;

	/* Copy so out_conv can consume arguments through a pointer. */
	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt == '%')
			fmt = out_conv(o, fmt + 1, &aq);
		else
			out_char(o, *fmt++);
	}
	va_end(aq);
}

int vprintf(const char *fmt, va_list ap)
{
	char line[CONSOLE_LINE];
	struct outbuf o = {
		.buf = line, .size = sizeof(line), .len = 0, .count = 0,
		.console = true,
	};

	out_format(&o, fmt, ap);
	if (o.len)
		out_flush(&o);
	return o.count;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}

size_t test_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = {
		.buf = buf, .size = size, .len = 0, .count = 0,
		.console = false,
	};

	out_format(&o, fmt, ap);
	if (size)
		buf[o.len] = '\0';
	return o.len;
}

size_t test_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = test_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
