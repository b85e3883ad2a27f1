// SPDX-License-Identifier: BSD-2-Clause
/*
 * Virtual consoles on one terminal (hyp/vcons.c): the focused console's
 * bytes as they come, the others' as whole lines, CR LF once, a partial
 * line ended cleanly when another needs the terminal, and writers that
 * write to the UART no more than they added.
 */
#include <hyp/ticks.h>
#include <hyp/vcons.h>
#include "fake_hal.h"
#include "unit.h"

static struct vcons a, b, c;

static void setup(void)
{
	vcons_setup();
	vcons_init(&a, "a");
	vcons_init(&b, "b");
	vcons_init(&c, "c");
}

static void put(struct vcons *vc, const char *s)
{
	vcons_write(vc, s, strlen(s));
}

/* Long enough that the focused console is no longer writing a line. */
static void pause(void)
{
	fake.now += hyp_ticks.console_hold;
}

static void nothing_before_newline(void)
{
	setup();
	put(&a, "partial");
	vcons_putc(&a, ' ');
	EXPECT_EQ(fake.raw_len, 0);
	vcons_putc(&a, '\n');
	EXPECT_STREQ(fake_console_raw(), "[a] partial \r\n");
}

/* A guest's CR LF is kept as it is, a lone LF gets its CR: never CR CR LF. */
static void line_ends_once(void)
{
	setup();
	put(&a, "dos\r\nunix\n\r\n");
	EXPECT_STREQ(fake_console_raw(), "[a] dos\r\n[a] unix\r\n[a] \r\n");
	vcons_focus(&b);
	put(&b, "dos\r\nunix\n\n");
	EXPECT_STREQ(fake_console_raw(),
		     "[a] dos\r\n[a] unix\r\n[a] \r\n[b] dos\r\n[b] unix\r\n[b] \r\n");
	EXPECT_LACKS(fake_console_raw(), "\r\r");
}

/* The focused console's keystroke echo goes out at once, one line. */
static void focused_passes_through(void)
{
	setup();
	vcons_focus(&a);
	put(&a, "a:/# ");
	EXPECT_STREQ(fake_console_raw(), "[a] a:/# ");
	put(&a, "l");
	put(&a, "s");
	EXPECT_STREQ(fake_console_raw(), "[a] a:/# ls");
	put(&a, "\r\nbin  dev\r\n");
	EXPECT_STREQ(fake_console_raw(), "[a] a:/# ls\r\n[a] bin  dev\r\n");
	/* Escape sequences and backspaces as they are. */
	put(&a, "\x1b[2J\b \b");
	EXPECT_HAS(fake_console_raw(), "\r\n[a] \x1b[2J\b \b");
}

/* After its own CR the prefix comes back before the line is rewritten. */
static void carriage_return_reprefixes(void)
{
	setup();
	vcons_focus(&a);
	put(&a, "50%\r60%\r\n");
	EXPECT_STREQ(fake_console_raw(), "[a] 50%\r[a] 60%\r\n");
}

/* Another's line ends the focused partial line; its prefix comes back. */
static void interrupted_line_resumes(void)
{
	setup();
	vcons_focus(&a);
	put(&a, "a:/# l");
	pause();
	put(&b, "tick 1\n");
	put(&a, "s");
	EXPECT_STREQ(fake_console_raw(), "[a] a:/# l\r\n[b] tick 1\r\n[a] s");
	/* Its own line end after a cut adds no blank line... */
	put(&a, "\r\n");
	pause();
	put(&b, "tick 2\n");
	EXPECT_STREQ(fake_console_raw(), "[a] a:/# l\r\n[b] tick 1\r\n[a] s\r\n[b] tick 2\r\n");
	/* ...nor when the cut came right before it. */
	fake_console_clear();
	put(&a, "x");
	pause();
	put(&vcons_hyp, "note\n");
	put(&a, "\r\n");
	put(&a, "y\r\n");
	EXPECT_STREQ(fake_console_raw(), "[a] x\r\n[diosix] note\r\n[a] y\r\n");
}

/* Two consoles without focus never mix mid-line. */
static void held_lines_never_mix(void)
{
	setup();
	put(&a, "a1");
	put(&b, "b1\nb2");
	put(&a, "-a2\n");
	put(&b, "\n");
	EXPECT_STREQ(fake_console(), "[b] b1\n[a] a1-a2\n[b] b2\n");
}

/* 2.5 lines' worth: two whole pieces, then the rest, each prefixed; the
 * newline right after a full piece adds no empty line. */
static void long_line_split(void)
{
	char text[HYP_LINE_MAX * 5 / 2 + 1], want[HYP_LINE_MAX * 3 + 64];
	size_t n = sizeof(text) - 1, i, w = 0;

	for (i = 0; i < n; i++)
		text[i] = (char)('a' + i % 26);
	text[n] = '\0';
	setup();
	vcons_write(&a, text, n);
	EXPECT_EQ(fake_console_lines(), 2);
	vcons_putc(&a, '\n');
	for (i = 0; i < n; i++) {
		if (i % HYP_LINE_MAX == 0) {
			if (i)
				want[w++] = '\n';
			memcpy(want + w, "[a] ", 4);
			w += 4;
		}
		want[w++] = text[i];
	}
	want[w++] = '\n';
	want[w] = '\0';
	EXPECT_STREQ(fake_console(), want);
	fake_console_clear();
	memset(text, 'x', HYP_LINE_MAX);
	vcons_write(&b, text, HYP_LINE_MAX);
	vcons_putc(&b, '\n');
	EXPECT_EQ(fake_console_lines(), 1);
	EXPECT_LACKS(fake_console(), "[b] \n");
}

static void flush_partial(void)
{
	setup();
	vcons_flush(&a);
	EXPECT_EQ(fake.raw_len, 0);
	put(&a, "tail");
	vcons_flush(&a);
	vcons_flush(&a);
	EXPECT_STREQ(fake_console_raw(), "[a] tail\r\n");
	put(&a, "next\n");
	EXPECT_STREQ(fake_console_raw(), "[a] tail\r\n[a] next\r\n");
}

/* A prompt of a console without focus shows once it is old enough; the
 * focused console's never needs to. */
static void stale_prompt(void)
{
	setup();
	fake.now = 100;
	put(&b, "b:/# ");
	vcons_flush_stale(&b, 150, 100);
	EXPECT_EQ(fake.raw_len, 0);
	vcons_flush_stale(&b, 200, 100);
	EXPECT_STREQ(fake_console_raw(), "[b] b:/# \r\n");
	put(&b, "\r\nls\r\n");
	EXPECT_STREQ(fake_console_raw(), "[b] b:/# \r\n[b] ls\r\n");
	vcons_focus(&a);
	put(&a, "a:/# ");
	vcons_flush_stale(&a, 1000, 100);
	EXPECT_HAS(fake_console_raw(), "\r\n[a] a:/# ");
	EXPECT_LACKS(fake_console_raw(), "[a] a:/# \r\n");
}

/* Focus shows the held partial line at once and passes on what follows. */
static void focus_hands_over(void)
{
	setup();
	vcons_focus(&a);
	put(&b, "b:/# ");
	put(&a, "a:/# ");
	EXPECT_STREQ(fake_console_raw(), "[a] a:/# ");
	vcons_focus(&b);
	EXPECT_STREQ(fake_console_raw(), "[a] a:/# \r\n[b] b:/# ");
	put(&b, "x");
	pause();
	put(&a, "y\n");
	EXPECT_STREQ(fake_console_raw(), "[a] a:/# \r\n[b] b:/# x\r\n[a] y\r\n");
}

/*
 * While the focused console writes a line, others' whole lines wait for
 * its line end, in order; one that writes on and on without ending its
 * line has it ended for it when the first waited CONSOLE_HOLD_US.
 */
static void lines_wait_for_focused_line_end(void)
{
	setup();
	vcons_focus(&a);
	put(&a, "Linux version");
	put(&b, "b1\n");
	put(&vcons_hyp, "note\n");
	put(&b, "b2\n");
	EXPECT_STREQ(fake_console_raw(), "[a] Linux version");
	EXPECT(vcons_pending());
	put(&a, " 6.1\r\n");
	/* The poll writes them: they are not the focused writer's own. */
	EXPECT_STREQ(fake_console_raw(), "[a] Linux version 6.1\r\n");
	vcons_poll(fake.now);
	EXPECT_STREQ(fake_console_raw(),
		     "[a] Linux version 6.1\r\n[b] b1\r\n[diosix] note\r\n[b] b2\r\n");
	fake_console_clear();
	put(&a, "50%\r");
	put(&b, "b3\n");
	fake.now += hyp_ticks.console_hold / 2;
	put(&a, "60%\r");
	vcons_poll(fake.now);
	EXPECT_STREQ(fake_console_raw(), "[a] 50%\r[a] 60%\r");
	pause();
	put(&a, "70%\r");
	vcons_poll(fake.now);
	EXPECT_STREQ(fake_console_raw(), "[a] 50%\r[a] 60%\r[a] 70%\r\r\n[b] b3\r\n");
	/* Before a power-off, what is held goes out too. */
	put(&a, "80%");
	put(&b, "last\n");
	vcons_drain_all();
	EXPECT_HAS(fake_console_raw(), "[a] 80%\r\n[b] last\r\n");
}

/* The console that lost focus mid-line ends that line as a whole line. */
static void old_focus_finishes_line(void)
{
	setup();
	vcons_focus(&a);
	put(&a, "abc");
	vcons_focus(&b);
	put(&a, "def\n");
	EXPECT_STREQ(fake_console_raw(), "[a] abcdef\r\n");
}

/* Another's line never cuts into an escape sequence, however long the
 * focused console takes over it. */
static void escape_sequence_never_cut(void)
{
	setup();
	vcons_focus(&a);
	put(&a, "x\x1b[2");
	pause();
	put(&b, "tick\n");
	pause();
	vcons_poll(fake.now);
	EXPECT_STREQ(fake_console_raw(), "[a] x\x1b[2");
	put(&a, "4;1H");
	pause();
	vcons_poll(fake.now);
	EXPECT_STREQ(fake_console_raw(), "[a] x\x1b[24;1H\r\n[b] tick\r\n");
}

static void longest_name(void)
{
	setup();
	vcons_init(&a, "abcdefghijklmno");
	put(&a, "hi\n");
	EXPECT_STREQ(fake_console(), "[abcdefghijklmno] hi\n");
}

/*
 * Another hart drains the ring when this one tries: the writer leaves its
 * line in the ring and returns. The hook stands for that hart, writing
 * inside the first UART write.
 */
static unsigned int backlog_lines;
static size_t backlog_max;	/* ring bytes the other hart may fill */

static void chatty_other_hart(void)
{
	char line[32];
	size_t used = 0;
	int n;

	fake.console_hook = NULL;
	for (backlog_lines = 0;; backlog_lines++) {
		n = snprintf(line, sizeof(line), "chatter %u\n", backlog_lines);
		/* Its ring bytes: "[b] ", the text, CR LF. */
		if (used + (size_t)n + 5 > backlog_max)
			break;
		used += (size_t)n + 5;
		put(&b, line);
	}
}

static size_t written_by(void (*fn)(void))
{
	size_t before = fake.raw_len;

	fn();
	return fake.raw_len - before;
}

static void write_c_line(void)
{
	put(&c, "mine\n");
}

static void poll_drain(void)
{
	vcons_drain(VCONS_POLL_DRAIN);
}

/* A writer writes to the UART what it added, never another's backlog. */
static void writes_bounded(void)
{
	const char *p, *q;
	unsigned int i;
	char want[32];

	setup();
	backlog_max = 4000;
	fake.console_hook = chatty_other_hart;
	put(&a, "first\n");
	EXPECT_STREQ(fake_console_raw(), "[a] first\r\n");
	EXPECT(vcons_pending());
	/* "[c] mine\r\n": 10 bytes, however long the backlog. */
	EXPECT_EQ(written_by(write_c_line), 10);
	EXPECT_EQ(written_by(poll_drain), VCONS_POLL_DRAIN);
	vcons_drain_all();
	EXPECT(!vcons_pending());
	EXPECT(fake.console_write_max <= 64);
	/* Nothing lost or reordered: every line, in order, then c's. */
	p = fake_console();
	for (i = 0; i < backlog_lines; i++) {
		snprintf(want, sizeof(want), "[b] chatter %u\n", i);
		q = strstr(p, want);
		ASSERT(q != NULL);
		p = q + strlen(want);
	}
	EXPECT_HAS(p, "[c] mine\n");
}

/*
 * A full ring: the writer makes room by writing as many bytes as it
 * needs (a legacy putchar cannot be refused), and no byte is lost.
 */
static void full_ring_writer_makes_room(void)
{
	setup();
	backlog_max = VCONS_RING - 4;
	fake.console_hook = chatty_other_hart;
	put(&a, "first\n");
	/* Its 10 bytes, and the 2 any held line keeps in reserve. */
	EXPECT(written_by(write_c_line) <= 12);
	EXPECT(written_by(write_c_line) > 0);
	vcons_drain_all();
	EXPECT_HAS(fake_console(), "[b] chatter 0\n[b] chatter 1\n");
	EXPECT_HAS(fake_console(), "[c] mine\n[c] mine\n");
	EXPECT_EQ(fake_console_lines(), backlog_lines + 3);
}

/* The focused console, a byte at a time, more than the ring holds. */
static void focused_flood_whole(void)
{
	static char text[VCONS_RING * 3];
	size_t i;

	setup();
	vcons_focus(&a);
	for (i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 26);
	for (i = 0; i < sizeof(text); i++)
		vcons_putc(&a, text[i]);
	vcons_drain_all();
	EXPECT_EQ(fake.raw_len, sizeof(text) + 4);
	EXPECT_EQ(memcmp(fake_console_raw() + 4, text, sizeof(text)), 0);
}

static void input_full_said_once(void)
{
	bool report;
	unsigned int i, reports = 0, dropped = 0;

	setup();
	for (i = 0; i < HYP_INPUT_MAX + 10; i++) {
		if (!vcons_input(&a, (char)i, &report))
			dropped++;
		reports += report;
	}
	EXPECT_EQ(dropped, 10);
	EXPECT_EQ(reports, 1);
	/* Room again, but not yet empty: still said. */
	EXPECT_EQ(vcons_getc(&a), 0);
	EXPECT(vcons_input(&a, 'x', &report));
	EXPECT(!vcons_input(&a, 'y', &report));
	EXPECT(!report);
	while (vcons_getc(&a) >= 0)
		;
	for (i = 0; i <= HYP_INPUT_MAX; i++)
		vcons_input(&a, 'z', &report);
	EXPECT(report);
}

static const struct unit_case vcons_cases[] = {
	UNIT_CASE(nothing_before_newline),
	UNIT_CASE(line_ends_once),
	UNIT_CASE(focused_passes_through),
	UNIT_CASE(carriage_return_reprefixes),
	UNIT_CASE(interrupted_line_resumes),
	UNIT_CASE(held_lines_never_mix),
	UNIT_CASE(long_line_split),
	UNIT_CASE(flush_partial),
	UNIT_CASE(stale_prompt),
	UNIT_CASE(focus_hands_over),
	UNIT_CASE(lines_wait_for_focused_line_end),
	UNIT_CASE(old_focus_finishes_line),
	UNIT_CASE(escape_sequence_never_cut),
	UNIT_CASE(longest_name),
	UNIT_CASE(writes_bounded),
	UNIT_CASE(full_ring_writer_makes_room),
	UNIT_CASE(focused_flood_whole),
	UNIT_CASE(input_full_said_once),
};

UNIT_SUITE(vcons, vcons_cases);
