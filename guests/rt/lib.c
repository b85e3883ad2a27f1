// SPDX-License-Identifier: BSD-2-Clause
/*
 * The few string and parsing helpers the guests need (there is no libc).
 */
#include "rt.h"

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Stops at the first difference or NUL: never reads past either string. */
int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

bool next_token(const char **cursor, const char **tok, size_t *len)
{
	const char *p = *cursor;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	*tok = p;
	while (*p && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	*len = p - *tok;
	*cursor = p;
	return *len != 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool parse_hex(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	int d;

	if (len < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	for (s += 2, len -= 2; len; len--, s++) {
		d = hex_digit(*s);
		if (d < 0 || v >> 60)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return true;
}

bool parse_dec(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (!len)
		return false;
	for (; len; len--, s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

bool token_has_prefix(const char *tok, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(tok, prefix, n);
}

bool isa_has_letter(const char *isa, size_t len, char ext)
{
	size_t i;

	if (len < 5 || strncmp(isa, "rv", 2))
		return false;
	for (i = 4; i < len && isa[i] && isa[i] != '_'; i++) {
		if (isa[i] == ext || isa[i] == ext - 'a' + 'A')
			return true;
	}
	return false;
}

bool parse_label_hex(const char *tok, size_t len, size_t *label_len,
		     uint64_t *val)
{
	size_t eq;

	for (eq = 0; eq < len && tok[eq] != '='; eq++)
		;
	if (eq == 0 || eq == len || !parse_hex(tok + eq + 1, len - eq - 1, val))
		return false;
	*label_len = eq;
	return true;
}

int bootarg_number(const char *args, const char *key, uint64_t *val,
		   const char **bad, size_t *bad_len)
{
	size_t n = strlen(key), len;
	const char *tok, *v;
	int found = 0;
	bool ok;

	while (args && next_token(&args, &tok, &len)) {
		if (len <= n || memcmp(tok, key, n) || tok[n] != '=')
			continue;
		v = tok + n + 1;
		ok = len - n - 1 > 2 && v[0] == '0' && v[1] == 'x' ?
		     parse_hex(v, len - n - 1, val) : parse_dec(v, len - n - 1, val);
		if (!ok) {
			*bad = tok;
			*bad_len = len;
			return -1;
		}
		found = 1;
	}
	return found;
}

bool bootarg_ulong(const char *args, const char *key, unsigned long *out)
{
	const char *bad;
	size_t bad_len;
	uint64_t v;

	if (bootarg_number(args, key, &v, &bad, &bad_len) != 1 || v != (unsigned long)v)
		return false;
	*out = (unsigned long)v;
	return true;
}

bool bootarg_flag(const char *args, const char *word)
{
	size_t n = strlen(word), len;
	const char *tok;

	while (args && next_token(&args, &tok, &len)) {
		if (len == n && !memcmp(tok, word, n))
			return true;
	}
	return false;
}

/* volatile: the point is to read memory that others might have changed. */
void pattern_fill(unsigned long start, unsigned long end, unsigned long xor)
{
	volatile unsigned long *p;

	for (p = (unsigned long *)start; (unsigned long)p < end; p++)
		*p = (unsigned long)p ^ xor;
}

unsigned long pattern_first_bad(unsigned long start, unsigned long end,
				unsigned long xor)
{
	volatile unsigned long *p;

	for (p = (unsigned long *)start; (unsigned long)p < end; p++) {
		if (*p != ((unsigned long)p ^ xor))
			return (unsigned long)p;
	}
	return 0;
}

uint32_t mem_checksum(unsigned long start, unsigned long end)
{
	const volatile uint8_t *p = (const uint8_t *)start;
	uint32_t h = 0x811c9dc5u;

	for (; (unsigned long)p < end; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* Bit by bit, shifting by constants only: rv32 -Os makes libcalls of the rest. */
uint64_t udiv64(uint64_t n, uint64_t d)
{
	uint64_t q = 0, r = 0, bit = 1ULL << 63;
	int i;

	for (i = 0; i < 64; i++, bit >>= 1) {
		r = r << 1 | !!(n & bit);
		if (r >= d) {
			r -= d;
			q |= bit;
		}
	}
	return q;
}
