// SPDX-License-Identifier: BSD-2-Clause
/*
 * PASS/FAIL lines and counters for the SBI conformance guests.
 */
#include "rt.h"
#include "sbitest.h"

static const char *guest_name = "guest";
static unsigned long n_pass, n_fail;

void test_begin(const char *guest)
{
	guest_name = guest;
	__atomic_store_n(&n_pass, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&n_fail, 0, __ATOMIC_RELAXED);
}

struct sbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void sb_char(struct sbuf *b, char c)
{
	if (b->len + 1 < b->size)
		b->buf[b->len++] = c;
}

/* v /= base, returning the remainder, with 32-bit divides only (rv32). */
static unsigned int divmod(unsigned long long *v, unsigned int base)
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

static void sb_num(struct sbuf *b, unsigned long long v, unsigned int base,
		   bool neg, int width, bool zero)
{
	char digits[24];
	int n = 0, fill;

	do {
		digits[n++] = "0123456789abcdef"[divmod(&v, base)];
	} while (v);
	fill = width - n - neg;
	for (; !zero && fill > 0; fill--)
		sb_char(b, ' ');
	if (neg)
		sb_char(b, '-');
	for (; zero && fill > 0; fill--)
		sb_char(b, '0');
	while (n)
		sb_char(b, digits[--n]);
}

size_t test_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf b = { .buf = buf, .size = size, .len = 0 };
	unsigned long long u;
	long long s;
	const char *str;
	bool zero;
	int width;
	char len;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			sb_char(&b, *fmt);
			continue;
		}
		fmt++;
		zero = *fmt == '0';
		width = 0;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		len = 'i';
		if (*fmt == 'l') {
			len = 'l';
			if (*++fmt == 'l') {
				len = 'L';
				fmt++;
			}
		} else if (*fmt == 'z') {
			len = 'l';
			fmt++;
		}
		switch (*fmt) {
		case 'c':
			sb_char(&b, (char)va_arg(ap, int));
			break;
		case 's':
			str = va_arg(ap, const char *);
			for (str = str ? str : "(null)"; *str; str++)
				sb_char(&b, *str);
			break;
		case 'd':
		case 'i':
			s = len == 'L' ? va_arg(ap, long long) :
			    len == 'l' ? va_arg(ap, long) : va_arg(ap, int);
			u = (unsigned long long)s;
			sb_num(&b, s < 0 ? 0 - u : u, 10, s < 0, width, zero);
			break;
		case 'u':
		case 'x':
			u = len == 'L' ? va_arg(ap, unsigned long long) :
			    len == 'l' ? va_arg(ap, unsigned long) :
			    va_arg(ap, unsigned int);
			sb_num(&b, u, *fmt == 'u' ? 10 : 16, false, width, zero);
			break;
		case 'p':
			sb_char(&b, '0');
			sb_char(&b, 'x');
			sb_num(&b, (unsigned long)va_arg(ap, void *), 16, false,
			       width, zero);
			break;
		case '%':
			sb_char(&b, '%');
			break;
		default:
			sb_char(&b, '%');
			if (!*fmt)
				goto out;
			sb_char(&b, *fmt);
			break;
		}
	}
out:
	if (size)
		buf[b.len] = '\0';
	return b.len;
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

/* "PASS ext: what" or "FAIL ext: what: detail", one console write. */
static void report(bool ok, const char *ext, const char *what,
		   const char *detail)
{
	char line[2 * TEST_LINE + 32];
	size_t n;

	if (ok)
		n = test_snprintf(line, sizeof(line) - 1, "PASS %s: %s", ext,
				  what);
	else
		n = test_snprintf(line, sizeof(line) - 1, "FAIL %s: %s: %s",
				  ext, what, detail);
	line[n++] = '\n';
	console_write(line, n);
	__atomic_fetch_add(ok ? &n_pass : &n_fail, 1, __ATOMIC_RELAXED);
}

bool test_check(bool ok, const char *ext, const char *what,
		const char *detail, ...)
{
	char d[TEST_LINE];
	va_list ap;

	va_start(ap, detail);
	test_vsnprintf(d, sizeof(d), detail, ap);
	va_end(ap);
	report(ok, ext, what, d);
	return ok;
}

bool test_eq(const char *ext, const char *what, long got, long want)
{
	char d[64];

	test_snprintf(d, sizeof(d), "%ld (expected %ld)", got, want);
	report(got == want, ext, what, d);
	return got == want;
}

bool test_err(const char *ext, const char *what, struct sbiret ret,
	      long want_error)
{
	char d[64];

	test_snprintf(d, sizeof(d), "error %ld (expected %ld)", ret.error,
		      want_error);
	report(ret.error == want_error, ext, what, d);
	return ret.error == want_error;
}

bool test_ret(const char *ext, const char *what, struct sbiret ret,
	      long want_value)
{
	bool ok = ret.error == 0 && ret.value == want_value;
	char d[96];

	test_snprintf(d, sizeof(d),
		      "error %ld value %ld (expected error 0 value %ld)",
		      ret.error, ret.value, want_value);
	report(ok, ext, what, d);
	return ok;
}

void test_pass(const char *ext, const char *what, ...)
{
	char w[TEST_LINE];
	va_list ap;

	va_start(ap, what);
	test_vsnprintf(w, sizeof(w), what, ap);
	va_end(ap);
	report(true, ext, w, NULL);
}

void test_fail(const char *ext, const char *what, const char *detail, ...)
{
	char d[TEST_LINE];
	va_list ap;

	va_start(ap, detail);
	test_vsnprintf(d, sizeof(d), detail, ap);
	va_end(ap);
	report(false, ext, what, d);
}

unsigned long test_passed(void)
{
	return __atomic_load_n(&n_pass, __ATOMIC_RELAXED);
}

unsigned long test_failed(void)
{
	return __atomic_load_n(&n_fail, __ATOMIC_RELAXED);
}

unsigned long test_done(void)
{
	unsigned long f = test_failed();

	printf("%s done: %lu passed, %lu failed\n", guest_name, test_passed(),
	       f);
	return f;
}

static bool in_memory(const struct fdt_mem *mem, int n, unsigned long addr)
{
	int i;

	for (i = 0; i < n; i++) {
		if (addr >= mem[i].base && addr - mem[i].base < mem[i].size)
			return true;
	}
	return false;
}

bool find_inaccessible(const struct fdt *fdt, unsigned long *addr)
{
	static const unsigned long candidates[] = { 0x2000000, 0xc000000 };
	struct fdt_mem mem[FDT_MAX_MEM];
	uint32_t word;
	unsigned int i;
	int n;

	n = fdt_memory(fdt, mem, FDT_MAX_MEM);
	if (n < 0)
		return false;
	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		if (in_memory(mem, n, candidates[i]))
			continue;
		if (probe_read(candidates[i], &word) == 0)
			continue;
		*addr = candidates[i];
		return true;
	}
	return false;
}

uint64_t ms_to_ticks(unsigned int ms)
{
	/* timebase / 1000 first: no 64-bit divide on rv32 */
	return (uint64_t)(smp.timebase / 1000) * ms;
}
