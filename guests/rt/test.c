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

bool test_cpus_usable(const char *ext, const char *err)
{
	if (!err)
		return true;
	test_fail(ext, "device tree /cpus", "%s (expected a usable /cpus)", err);
	test_done();
	return false;
}

bool test_probe(const char *ext, const char *name, unsigned long eid)
{
	char what[64];
	long probe = sbi_probe(eid);

	test_snprintf(what, sizeof(what), "probe_extension(%s) is non-zero",
		      name);
	return test_check(probe != 0, ext, what, "%ld (expected non-zero)",
			  probe);
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

bool busy_ms(unsigned int ms)
{
	uint64_t end = rdtime64() + ms_to_ticks(ms), now, last = rdtime64();
	bool jumped = false;

	while ((now = rdtime64()) < end) {
		if (now - last > ms_to_ticks(1))
			jumped = true;
		last = now;
	}
	return jumped;
}

bool wait_count(volatile unsigned int *count, unsigned int before, uint64_t end)
{
	sbi_set_timer(end);
	csr_set(sie, SIP_STIP);
	for (;;) {
		irq_disable();
		if (*count != before || rdtime64() > end)
			break;
		__asm__ volatile("wfi" ::: "memory");
		irq_enable();
	}
	csr_clear(sie, SIP_STIP);
	irq_enable();
	sbi_set_timer(~0ULL);
	return *count != before;
}

void nap_ms(unsigned int ms)
{
	uint64_t end = rdtime64() + ms_to_ticks(ms);

	csr_set(sie, SIP_STIP);
	sbi_set_timer(end);
	while (rdtime64() < end)
		__asm__ volatile("wfi");
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIP_STIP);
}
