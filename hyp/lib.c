// SPDX-License-Identifier: BSD-2-Clause
/*
 * Small library routines hyp/ needs in both builds: word-wise copies for
 * guest images, and a bounded snprintf for messages.
 */
#include <hyp/string.h>
#include <stdarg.h>

void hyp_copy(void *dst, const void *src, size_t len)
{
	u8 *d = dst;
	const u8 *s = src;

	if ((((ulong)d ^ (ulong)s) & (sizeof(ulong) - 1)) == 0) {
		while (len && ((ulong)d & (sizeof(ulong) - 1))) {
			*d++ = *s++;
			len--;
		}
		for (; len >= sizeof(ulong); len -= sizeof(ulong)) {
			*(ulong *)d = *(const ulong *)s;
			d += sizeof(ulong);
			s += sizeof(ulong);
		}
	}
	while (len--)
		*d++ = *s++;
}

void hyp_zero(void *dst, size_t len)
{
	u8 *d = dst;

	while (len && ((ulong)d & (sizeof(ulong) - 1))) {
		*d++ = 0;
		len--;
	}
	for (; len >= sizeof(ulong); len -= sizeof(ulong)) {
		*(ulong *)d = 0;
		d += sizeof(ulong);
	}
	while (len--)
		*d++ = 0;
}

struct outbuf {
	char *buf;
	size_t size;
	size_t len;	/* as if unbounded, like snprintf */
};

static void out_c(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_num(struct outbuf *o, unsigned long long v, unsigned int base,
		    bool neg, unsigned int width, char pad)
{
	char tmp[24];
	unsigned int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width > n) {
		out_c(o, pad);
		width--;
	}
	while (n)
		out_c(o, tmp[--n]);
}

static void out_str(struct outbuf *o, const char *s, unsigned int width)
{
	size_t n = 0;

	if (!s)
		s = "(null)";
	while (s[n])
		n++;
	while (width > n) {
		out_c(o, ' ');
		width--;
	}
	while (*s)
		out_c(o, *s++);
}

/* Read an integer argument of the given length modifier. */
static unsigned long long arg_int(va_list *ap, int lng, bool sgn, bool *neg)
{
	long long sv;

	*neg = false;
	if (!sgn) {
		if (lng >= 2)
			return va_arg(*ap, unsigned long long);
		if (lng == 1)
			return va_arg(*ap, unsigned long);
		return va_arg(*ap, unsigned int);
	}
	if (lng >= 2)
		sv = va_arg(*ap, long long);
	else if (lng == 1)
		sv = va_arg(*ap, long);
	else
		sv = va_arg(*ap, int);
	if (sv < 0) {
		*neg = true;
		return 0ULL - (unsigned long long)sv;
	}
	return (unsigned long long)sv;
}

static int hyp_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct outbuf o = { buf, size, 0 };
	va_list ap;
	unsigned long long v;
	unsigned int width;
	bool neg;
	char pad;
	int lng;

	/* A local copy: a va_list parameter may be an array type. */
	va_copy(ap, args);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_c(&o, *fmt);
			continue;
		}
		fmt++;
		pad = ' ';
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (unsigned int)(*fmt - '0');
		for (lng = 0; *fmt == 'l'; fmt++)
			lng++;
		if (*fmt == 'z') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
			v = arg_int(&ap, lng, true, &neg);
			out_num(&o, v, 10, neg, width, pad);
			break;
		case 'u':
		case 'x':
			v = arg_int(&ap, lng, false, &neg);
			out_num(&o, v, *fmt == 'u' ? 10 : 16, false, width, pad);
			break;
		case 'p':
			out_str(&o, "0x", 0);
			out_num(&o, (ulong)va_arg(ap, void *), 16, false, 0, ' ');
			break;
		case 's':
			out_str(&o, va_arg(ap, const char *), width);
			break;
		case 'c':
			out_c(&o, (char)va_arg(ap, int));
			break;
		case '\0':
			fmt--;
			break;
		default:
			out_c(&o, *fmt);
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int hyp_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hyp_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int hyp_vformat(char *buf, size_t size, const char *fmt, va_list ap);
int hyp_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	return hyp_vsnprintf(buf, size, fmt, ap);
}
