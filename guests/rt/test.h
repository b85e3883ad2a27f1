/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PASS/FAIL reporting for the SBI conformance guests.
 *
 * Every check prints exactly one line, written with one console_write:
 *
 *	PASS <ext>: <what>
 *	FAIL <ext>: <what>: <got> (expected <want>)
 *
 * and test_done() prints "<guest> done: <P> passed, <F> failed". Only
 * one hart should report (the tests collect results from the others in
 * shared memory), so the order of the lines is the order of the calls.
 * The counters are atomic all the same.
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "sbi.h"

#define TEST_LINE	200

void test_begin(const char *guest);

/*
 * PASS or FAIL line for ok; detail (a printf-lite format) is the
 * "<got> (expected <want>)" part, used only on FAIL. Format a variable
 * what with test_snprintf first.
 */
bool test_check(bool ok, const char *ext, const char *what,
		const char *detail, ...) __attribute__((format(printf, 4, 5)));

/* FAIL <ext>: <what>: <got> (expected <want>), got/want as integers. */
bool test_eq(const char *ext, const char *what, long got, long want);

/* sbiret.error == want_error (value not checked). */
bool test_err(const char *ext, const char *what, struct sbiret ret,
	      long want_error);

/* sbiret.error == 0 and sbiret.value == want_value. */
bool test_ret(const char *ext, const char *what, struct sbiret ret,
	      long want_value);

void test_pass(const char *ext, const char *what, ...)
	__attribute__((format(printf, 2, 3)));

/* detail is the "<got> (expected <want>)" part, a printf-lite format. */
void test_fail(const char *ext, const char *what, const char *detail, ...)
	__attribute__((format(printf, 3, 4)));

unsigned long test_passed(void);
unsigned long test_failed(void);

/* Print the done line; returns the number of failures. */
unsigned long test_done(void);

/*
 * err is smp_init()'s answer: true if NULL, else the FAIL line for
 * "device tree /cpus", the done line, and false (main returns 0).
 */
bool test_cpus_usable(const char *ext, const char *err);

/* PASS or FAIL "probe_extension(<name>) is non-zero" for extension eid. */
bool test_probe(const char *ext, const char *name, unsigned long eid);

/*
 * A bounded snprintf with the printf-lite of console.h (in console.c).
 * Always NUL-terminates (if size > 0); returns the length written.
 */
size_t test_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t test_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
