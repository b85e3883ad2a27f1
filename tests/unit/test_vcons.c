// SPDX-License-Identifier: BSD-2-Clause
/*
 * Per-container console lines (hyp/vcons.c).
 */
#include <hyp/vcons.h>
#include "fake_hal.h"
#include "unit.h"

static struct vcons vc;

static void put_str(const char *s)
{
	while (*s)
		vcons_putc(&vc, *s++);
}

static void nothing_before_newline(void)
{
	vcons_init(&vc, "web");
	put_str("partial");
	vcons_write(&vc, " more", 5);
	EXPECT_EQ(fake.console_len, 0);
	vcons_putc(&vc, '\n');
	EXPECT_STREQ(fake_console(), "[web] partial more\n");
}

static void whole_lines_prefixed(void)
{
	vcons_init(&vc, "a");
	vcons_write(&vc, "one\ntwo\nthr", 11);
	EXPECT_STREQ(fake_console(), "[a] one\n[a] two\n");
	vcons_write(&vc, "ee\n", 3);
	EXPECT_STREQ(fake_console(), "[a] one\n[a] two\n[a] three\n");
}

static void carriage_return_dropped(void)
{
	vcons_init(&vc, "a");
	vcons_write(&vc, "dos\r\nline\r\r\n\r\n", 14);
	EXPECT_STREQ(fake_console(), "[a] dos\n[a] line\n[a] \n");
}

static void empty_line(void)
{
	vcons_init(&vc, "a");
	vcons_putc(&vc, '\n');
	EXPECT_STREQ(fake_console(), "[a] \n");
}

/* 2.5 buffers' worth: two full pieces, then the rest, each prefixed. */
static void long_line_split(void)
{
	char text[HYP_LINE_MAX * 5 / 2 + 1], want[HYP_LINE_MAX * 3 + 64];
	size_t n = sizeof(text) - 1, i, w = 0;

	for (i = 0; i < n; i++)
		text[i] = (char)('a' + i % 26);
	text[n] = '\0';
	vcons_init(&vc, "long");
	vcons_write(&vc, text, n);
	EXPECT_EQ(fake_console_lines(), 2);
	vcons_putc(&vc, '\n');
	for (i = 0; i < n; i++) {
		if (i % HYP_LINE_MAX == 0) {
			if (i)
				want[w++] = '\n';
			memcpy(want + w, "[long] ", 7);
			w += 7;
		}
		want[w++] = text[i];
	}
	want[w++] = '\n';
	want[w] = '\0';
	EXPECT_STREQ(fake_console(), want);
	EXPECT_EQ(fake_console_lines(), 3);
}

/* A line exactly as long as the buffer is one line, not two. */
static void full_line_no_blank(void)
{
	char text[HYP_LINE_MAX + 1];

	memset(text, 'x', HYP_LINE_MAX);
	text[HYP_LINE_MAX] = '\n';
	vcons_init(&vc, "n");
	vcons_write(&vc, text, sizeof(text));
	EXPECT_EQ(fake_console_lines(), 1);
	EXPECT_EQ(fake.console_len, 4 + HYP_LINE_MAX + 1);
	EXPECT_LACKS(fake_console(), "[n] \n");
}

static void flush_partial(void)
{
	vcons_init(&vc, "f");
	vcons_flush(&vc);
	EXPECT_EQ(fake.console_len, 0);
	put_str("tail");
	vcons_flush(&vc);
	EXPECT_STREQ(fake_console(), "[f] tail\n");
	vcons_flush(&vc);
	EXPECT_STREQ(fake_console(), "[f] tail\n");
	put_str("next\n");
	EXPECT_STREQ(fake_console(), "[f] tail\n[f] next\n");
}

/* Two consoles never mix mid-line. */
static void two_consoles_whole_lines(void)
{
	struct vcons other;

	vcons_init(&vc, "a");
	vcons_init(&other, "b");
	vcons_write(&vc, "a1", 2);
	vcons_write(&other, "b1\nb2", 5);
	vcons_write(&vc, "-a2\n", 4);
	vcons_write(&other, "\n", 1);
	EXPECT_STREQ(fake_console(), "[b] b1\n[a] a1-a2\n[b] b2\n");
}

static void longest_name(void)
{
	vcons_init(&vc, "abcdefghijklmno");
	vcons_write(&vc, "hi\n", 3);
	EXPECT_STREQ(fake_console(), "[abcdefghijklmno] hi\n");
}

static void raw_passthrough(void)
{
	vcons_raw("no newline", 10);
	EXPECT_STREQ(fake_console(), "no newline");
}

static const struct unit_case vcons_cases[] = {
	UNIT_CASE(nothing_before_newline),
	UNIT_CASE(whole_lines_prefixed),
	UNIT_CASE(carriage_return_dropped),
	UNIT_CASE(empty_line),
	UNIT_CASE(long_line_split),
	UNIT_CASE(full_line_no_blank),
	UNIT_CASE(flush_partial),
	UNIT_CASE(two_consoles_whole_lines),
	UNIT_CASE(longest_name),
	UNIT_CASE(raw_passthrough),
};

UNIT_SUITE(vcons, vcons_cases);
