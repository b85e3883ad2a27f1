/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A tiny table-driven test harness, in the spirit of OpenSBI's
 * sbi_unit_test: each suite is a table of cases, each case a function.
 * EXPECT_* record a failure and go on; ASSERT_* end the case.
 */
#ifndef UNIT_UNIT_H
#define UNIT_UNIT_H

#include <stdio.h>
#include <string.h>
#include <hyp/types.h>

struct unit_case {
	const char *name;
	void (*run)(void);
};

struct unit_suite {
	const char *name;
	const struct unit_case *cases;
	unsigned int count;
};

#define UNIT_CASE(fn)	{ #fn, fn }
#define UNIT_SUITE(sname, table)					\
	const struct unit_suite sname##_suite = {			\
		#sname, table, HYP_ARRAY_SIZE(table)			\
	}

void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** End the running case (after a failed ASSERT). */
void unit_end_case(void) __attribute__((noreturn));

#define EXPECT(cond)							\
	do {								\
		if (!(cond))						\
			unit_fail(__FILE__, __LINE__, "%s", #cond);	\
	} while (0)

#define ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			unit_fail(__FILE__, __LINE__, "%s", #cond);	\
			unit_end_case();				\
		}							\
	} while (0)

#define UNIT_CMP(a, op, b, fatal)					\
	do {								\
		unsigned long long __a = (unsigned long long)(a);	\
		unsigned long long __b = (unsigned long long)(b);	\
		if (!(__a op __b)) {					\
			unit_fail(__FILE__, __LINE__,			\
				  "%s %s %s (0x%llx vs 0x%llx)",	\
				  #a, #op, #b, __a, __b);		\
			if (fatal)					\
				unit_end_case();			\
		}							\
	} while (0)

#define EXPECT_EQ(a, b)		UNIT_CMP(a, ==, b, 0)
#define EXPECT_NE(a, b)		UNIT_CMP(a, !=, b, 0)
#define ASSERT_EQ(a, b)		UNIT_CMP(a, ==, b, 1)

#define EXPECT_STREQ(a, b)						\
	do {								\
		const char *__a = (a), *__b = (b);			\
		if (!__a || !__b || strcmp(__a, __b))			\
			unit_fail(__FILE__, __LINE__,			\
				  "%s == %s (\"%s\" vs \"%s\")", #a, #b,\
				  __a ? __a : "(null)",			\
				  __b ? __b : "(null)");		\
	} while (0)

/* @hay contains (or lacks) the text @needle. */
#define EXPECT_HAS(hay, needle)						\
	do {								\
		const char *__h = (hay), *__n = (needle);		\
		if (!strstr(__h, __n))					\
			unit_fail(__FILE__, __LINE__,			\
				  "%s lacks \"%s\" in:\n%s", #hay, __n, __h); \
	} while (0)

#define EXPECT_LACKS(hay, needle)					\
	do {								\
		const char *__h = (hay), *__n = (needle);		\
		if (strstr(__h, __n))					\
			unit_fail(__FILE__, __LINE__,			\
				  "%s has \"%s\" in:\n%s", #hay, __n, __h); \
	} while (0)

/* Occurrences of @needle in @hay. */
unsigned int unit_count(const char *hay, const char *needle);

/* A fixed-seed pseudo-random generator for property tests. */
u64 unit_rand(u64 *state);

#endif
