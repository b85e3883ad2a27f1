// SPDX-License-Identifier: BSD-2-Clause
/*
 * OpenSBI's messages about a guest (hyp/fwlog.c): whole prefixed lines
 * naming the container, FWLOG_BURST a second, the rest counted.
 */
#include <string.h>
#include <hyp/container.h>
#include <hyp/fwlog.h>
#include <hyp/manifest.h>
#include <hyp/vcpu.h>
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define MSG	"system_opcode_insn: Invalid opcode for CSR read/write instruction"
#define LINE	"[diosix] container alpha: firmware: " MSG "\n"

static struct manifest_ctr spec;
static struct vcpu vcpu;

static struct container *alpha(void)
{
	fake.now = 5 * fake.freq;
	return fixture_container(0, &spec, "alpha", &vcpu, 1, FAKE_MEM_BASE, 4 * HYP_MIB);
}

/* The count of @needle in the console. */
static unsigned int count(const char *needle)
{
	const char *p = fake_console();
	unsigned int n = 0;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void burst_then_counted(void)
{
	struct container *c = alpha();
	int i;

	/* As OpenSBI prints it: no newline. */
	for (i = 0; i < FWLOG_BURST + 15; i++)
		fwlog_text(c, MSG, strlen(MSG));
	EXPECT_EQ(count(LINE), FWLOG_BURST);
	EXPECT_EQ(fake_console_lines(), FWLOG_BURST);
	fwlog_flush(c);
	EXPECT_HAS(fake_console(), "[diosix] container alpha: 15 more firmware messages suppressed\n");
	fake_console_clear();
	fwlog_flush(c);
	EXPECT_EQ(fake_console_lines(), 0);
}

/* A new second reports what was held back, then prints again. */
static void next_second_prints_again(void)
{
	struct container *c = alpha();
	int i;

	for (i = 0; i < FWLOG_BURST + 2; i++)
		fwlog_text(c, MSG, strlen(MSG));
	fake.now += fake.freq - 1;
	fwlog_text(c, MSG, strlen(MSG));
	EXPECT_EQ(count(LINE), FWLOG_BURST);
	fake.now += 1;
	fake_console_clear();
	fwlog_text(c, MSG, strlen(MSG));
	EXPECT_STREQ(fake_console(),
		     "[diosix] container alpha: 3 more firmware messages suppressed\n" LINE);
}

/* Each line its own message; blank lines and CRs say nothing. */
static void lines_split(void)
{
	struct container *c = alpha();
	const char *text = "one\n\ntwo\nthree";

	fwlog_text(c, text, strlen(text));
	EXPECT_STREQ(fake_console(), "[diosix] container alpha: firmware: one\n"
		     "[diosix] container alpha: firmware: two\n"
		     "[diosix] container alpha: firmware: three\n");
}

static const struct unit_case cases[] = {
	UNIT_CASE(burst_then_counted),
	UNIT_CASE(next_second_prints_again),
	UNIT_CASE(lines_split),
};

UNIT_SUITE(fwlog, cases);
