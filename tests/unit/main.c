// SPDX-License-Identifier: BSD-2-Clause
/*
 * The unit test runner: every case of every suite, each from a clean
 * fake machine and clean hyp/ globals. Prints "PASS <suite>.<case>" or
 * "FAIL <suite>.<case>: <why>", then "unit: N passed, M failed".
 *
 *   unit-tests [filter]   run only cases whose "<suite>.<case>" has filter
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/devices.h>
#include <hyp/hyp.h>
#include <hyp/sched.h>
#include <hyp/ticks.h>
#include "fake_hal.h"
#include "unit.h"

extern const struct unit_suite vcons_suite, manifest_suite, place_suite,
	loader_suite, gfdt_suite, sbi_suite, hsm_suite, sched_suite,
	boot_suite, console_suite, fuzz_suite, fwlog_suite, gpt_suite, bits_suite,
	dbtr_suite, pmu_suite, vplic_suite, mmio_suite, devices_suite;
extern const struct hyp_machine *hyp_machine;

static const struct unit_suite *const suites[] = {
	&vcons_suite,
	&manifest_suite,
	&place_suite,
	&loader_suite,
	&gfdt_suite,
	&sbi_suite,
	&hsm_suite,
	&dbtr_suite,
	&pmu_suite,
	&sched_suite,
	&boot_suite,
	&console_suite,
	&fwlog_suite,
	&gpt_suite,
	&bits_suite,
	&vplic_suite,
	&mmio_suite,
	&devices_suite,
	&fuzz_suite,
};

static struct {
	const char *suite;
	const char *name;
	unsigned int failures;
	jmp_buf end;
	bool running;
} cur;

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (!cur.failures)
		printf("FAIL %s.%s: ", cur.suite, cur.name);
	else
		printf("    also: ");
	printf("%s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	cur.failures++;
}

void unit_end_case(void)
{
	if (!cur.running) {
		fprintf(stderr, "unit: test ended outside a case\n");
		abort();
	}
	longjmp(cur.end, 1);
}

void unit_escape(const char *what)
{
	unit_fail("fake_hal", 0, "%s", what);
	unit_end_case();
}

unsigned int unit_count(const char *hay, const char *needle)
{
	unsigned int n = 0;
	size_t len = strlen(needle);

	while (len && (hay = strstr(hay, needle))) {
		n++;
		hay += len;
	}
	return n;
}

u64 unit_rand(u64 *state)
{
	/* xorshift64* */
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/*
 * What hyp_boot would allocate, for the cases that set containers up by
 * hand (hyp_boot itself allocates through the fake's hal_zalloc).
 */
static struct hart test_harts[HYP_MAX_HARTS];
static struct container test_containers[HYP_MAX_CONTAINERS];

/* hyp/'s globals back to their boot-time state. */
static void reset_hyp(void)
{
	memset(test_harts, 0, sizeof(test_harts));
	memset(test_containers, 0, sizeof(test_containers));
	hyp_harts = test_harts;
	hyp_containers = test_containers;
	hyp_nr_containers = 0;
	sched_lock.taken = 0;
	sched_idle_harts = 0;
	hyp_machine = NULL;
	hyp_stay_up = false;
	hyp_trap_time = false;
	console_init(NULL);
	hyp_ticks_init(fake.freq);
	hyp_poweroff_requested = false;
	devices_init(NULL);
}

static bool run_case(const struct unit_suite *s, const struct unit_case *c)
{
	fake_reset();
	reset_hyp();
	cur.suite = s->name;
	cur.name = c->name;
	cur.failures = 0;
	cur.running = true;
	if (!setjmp(cur.end))
		c->run();
	cur.running = false;
	fake.armed = false;
	if (!cur.failures)
		printf("PASS %s.%s\n", s->name, c->name);
	fflush(stdout);
	return !cur.failures;
}

static bool selected(const struct unit_suite *s, const struct unit_case *c,
		     const char *filter)
{
	char full[128];

	if (!filter)
		return true;
	snprintf(full, sizeof(full), "%s.%s", s->name, c->name);
	return strstr(full, filter) != NULL;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned int i, j, passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < HYP_ARRAY_SIZE(suites); i++) {
		for (j = 0; j < suites[i]->count; j++) {
			const struct unit_case *c = &suites[i]->cases[j];

			if (!selected(suites[i], c, filter))
				continue;
			if (run_case(suites[i], c))
				passed++;
			else
				failed++;
		}
	}
	printf("unit: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
