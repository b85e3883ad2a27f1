// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console input and the operator console. There is no UART interrupt in
 * M-mode, so input is polled: whenever a guest asks for input, and every
 * CONSOLE_POLL_US on one hart (CONSOLE_BUSY_US while input arrives or
 * output waits in the ring). Bytes go to the focused container's input
 * ring; no container can read another's keys. The escape key switches to
 * the operator console, whose commands act on containers by name; while
 * it is open its own console, "[diosix] console> ...", has the terminal.
 */
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/hal.h>
#include <hyp/lock.h>
#include <hyp/log.h>
#include <hyp/sched.h>
#include <hyp/string.h>
#include <hyp/ticks.h>
#include <hyp/vcpu.h>

#define CMD_MAX		64
#define PROMPT		"console> "

/* One poller at a time: the UART, and everything below, under it. */
static struct hyp_lock console_lock = HYP_LOCK_INIT;
static struct container *focus;		/* console_lock */
static bool operator_mode;		/* console_lock */
/* console_lock: "input goes to" was the operator's last message. */
static bool focus_told;
static char cmd[CMD_MAX];		/* console_lock */
static unsigned int cmd_len;		/* console_lock */
/* The operator's typing: the focused console while operator_mode. */
static struct vcons operator_cons;
/* When the poll hart next polls, and whether soon (only it touches these). */
static u64 next_poll;
static bool busy;
/* The first shared guest hart, found once (-1: not yet), see below. */
static int poll_hart = -1;

static struct vcons *focus_cons(void)
{
	return focus ? &focus->cons : NULL;
}

/*
 * Once, at boot, before any hart polls: the console is created here, lock
 * included (nothing calls this on a restart). The unit tests call it
 * between cases, after a poweroff that left console_poll holding the lock.
 */
void console_init(struct container *c)
{
	console_lock = (struct hyp_lock)HYP_LOCK_INIT;
	vcons_setup();
	vcons_init(&operator_cons, "diosix");
	focus = c;
	operator_mode = false;
	focus_told = false;
	cmd_len = 0;
	next_poll = 0;
	busy = false;
	poll_hart = -1;
	vcons_focus(focus_cons());
}

/*
 * Asked on every timer interrupt and every switch, so the hart is found
 * once: pinning, which decides it, is done at boot (sched_pin forgets
 * the answer when it pins).
 */
bool console_is_poll_hart(unsigned int hart)
{
	unsigned int i;

	if (poll_hart < 0) {
		for (i = 0; i < hal_hart_count(); i++)
			if (hal_hart_runs_guests(i) && !hyp_harts[i].pinned)
				break;
		poll_hart = (int)i;
	}
	return hart == (unsigned int)poll_hart;
}

void console_poll_hart_changed(void)
{
	poll_hart = -1;
}

bool console_poll_due(u64 now)
{
	return now >= next_poll;
}

/*
 * Polls keep a fixed schedule rather than "now + period": the poll hart
 * re-arms its timer at every switch, and a deadline that moved each time
 * would make every re-arm a write to the timer device.
 */
u64 console_poll_deadline(u64 now)
{
	if (!hyp_nr_containers)
		return ~0ULL;
	if (now >= next_poll)
		next_poll = now + (busy ? hyp_ticks.console_busy : hyp_ticks.console_poll);
	return next_poll;
}

static struct container *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < hyp_nr_containers; i++)
		if (!hyp_strcmp(container_name(&hyp_containers[i]), name))
			return &hyp_containers[i];
	hyp_log("console: no container '%s'", name);
	return NULL;
}

static const char *state_name(enum container_state state)
{
	switch (state) {
	case CTR_RUNNING:
		return "running";
	case CTR_STOPPING:
		return "stopping";
	default:
		return "stopped";
	}
}

static void cmd_list(struct container *none)
{
	unsigned int i, v;

	(void)none;
	for (i = 0; i < hyp_nr_containers; i++) {
		struct container *c = &hyp_containers[i];
		u64 ticks = 0;

		for (v = 0; v < c->nr_vcpus; v++)
			ticks += c->vcpus[v].stats.run_time;
		hyp_log("list: %s %s, %u vCPU%s, %llu MiB, cpu %llu ms%s", container_name(c),
			state_name(container_state(c)), c->nr_vcpus, c->nr_vcpus == 1 ? "" : "s",
			(unsigned long long)(c->ram.size / HYP_MIB),
			(unsigned long long)(ticks * 1000 / hal_time_freq()),
			c == focus ? ", focus" : "");
	}
}

static void cmd_stats(struct container *c)
{
	unsigned int i;

	(void)c;
	for (i = 0; i < hyp_nr_containers; i++)
		container_log_stats(&hyp_containers[i]);
}

/* The command word and its one argument, split in place. */
static const char *split(char *line, char **arg)
{
	char *p = line;

	while (*p == ' ')
		p++;
	line = p;
	while (*p && *p != ' ')
		p++;
	if (*p)
		*p++ = '\0';
	while (*p == ' ')
		p++;
	*arg = p;
	return line;
}

/* Only the operator starts a stopped container: the state cannot leave
 * CTR_STOPPED between the check and the start. */
static void cmd_start(struct container *c)
{
	enum container_state state = container_state(c);

	if (state != CTR_STOPPED)
		hyp_log("console: %s is %s", container_name(c), state_name(state));
	else
		container_start(c);
}

static void cmd_focus(struct container *c)
{
	focus = c;
	hyp_log("console: input goes to %s", container_name(c));
	focus_told = true;
}

static void cmd_stop(struct container *c)
{
	container_stop(c, CTR_STOP_OPERATOR);
}

static void cmd_poweroff(struct container *c)
{
	(void)c;
	hyp_log("console: stopping every container, then powering off");
	container_poweroff_all();
}

static void cmd_help(struct container *c)
{
	(void)c;
	hyp_log("console: list | stats | focus <name> | stop <name> | "
		"start <name> | restart <name> | poweroff | Ctrl-] to leave");
}

/* Each command, and whether it takes a container's name. */
static const struct {
	const char *word;
	void (*run)(struct container *c);
	bool named;
} commands[] = {
	{ "list", cmd_list, false },
	{ "stats", cmd_stats, false },
	{ "focus", cmd_focus, true },
	{ "stop", cmd_stop, true },
	{ "start", cmd_start, true },
	{ "restart", container_restart, true },
	{ "poweroff", cmd_poweroff, false },
	{ "help", cmd_help, false },
};

static void run_command(char *line)
{
	const char *word;
	struct container *c;
	unsigned int i;
	char *arg;

	word = split(line, &arg);
	if (!*word)
		return;
	focus_told = false;
	for (i = 0; i < HYP_ARRAY_SIZE(commands); i++) {
		if (hyp_strcmp(word, commands[i].word))
			continue;
		c = commands[i].named ? find(arg) : NULL;
		if (c || !commands[i].named)
			commands[i].run(c);
		return;
	}
	hyp_log("console: unknown command '%s' (try help)", word);
}

static void prompt(void)
{
	vcons_write(&operator_cons, PROMPT, sizeof(PROMPT) - 1);
}

/* The operator's line was ended for another's: show it again whole. */
static void echo(const char *s, size_t len)
{
	if (vcons_take_cut(&operator_cons)) {
		prompt();
		vcons_write(&operator_cons, cmd, cmd_len);
	}
	vcons_write(&operator_cons, s, len);
}

static void operator_byte(char ch)
{
	if (ch == '\r' || ch == '\n') {
		vcons_write(&operator_cons, "\n", 1);
		cmd[cmd_len] = '\0';
		cmd_len = 0;
		run_command(cmd);
		if (operator_mode)
			prompt();
		return;
	}
	if ((ch == 0x7f || ch == '\b') && cmd_len) {
		echo("\b \b", 3);
		cmd_len--;
		return;
	}
	if (ch < ' ' || ch > '~' || cmd_len == CMD_MAX - 1)
		return;
	echo(&ch, 1);
	cmd[cmd_len++] = ch;
}

static void enter_operator(void)
{
	operator_mode = true;
	focus_told = false;
	cmd_len = 0;
	vcons_focus(&operator_cons);
	hyp_log("console: operator mode (help for commands, Ctrl-] to leave)");
	prompt();
}

static void leave_operator(void)
{
	operator_mode = false;
	vcons_flush(&operator_cons);
	if (!focus_told)
		hyp_log("console: input goes to %s",
			focus ? container_name(focus) : "nobody");
	vcons_focus(focus_cons());
}

/* Dropped only when the focused container's ring is full; said once. */
static void to_focus(char ch)
{
	bool report;

	if (!focus || vcons_input(&focus->cons, ch, &report) || !report)
		return;
	hyp_log("console: input for %s dropped: its buffer of %u bytes is full",
		container_name(focus), HYP_INPUT_MAX);
}

static void input_byte(char ch)
{
	if (ch == CONSOLE_ESCAPE) {
		if (operator_mode)
			leave_operator();
		else
			enter_operator();
		return;
	}
	if (operator_mode)
		operator_byte(ch);
	else
		to_focus(ch);
}

/* What the UART has; true if it had anything. */
static bool read_input(void)
{
	bool got = false;
	int ch;

	/* One poller at a time; another hart already reading is enough. */
	if (!hyp_trylock(&console_lock))
		return false;
	while ((ch = hal_console_getc()) >= 0) {
		input_byte((char)ch);
		got = true;
	}
	hyp_unlock(&console_lock);
	return got;
}

/*
 * The poll hart's poll also writes what other harts' writers left in the
 * ring (one was writing when they tried), a bounded chunk at a time.
 * Polled sooner while keys arrive (a paste: the UART's FIFO holds 16
 * bytes) or output waits.
 */
void console_poll(void)
{
	bool got = read_input();

	vcons_poll(hal_time_now());
	busy = got || vcons_pending();
}

/* A guest's read: it reads the UART, but writes nobody's output. */
int console_getc_for(struct container *c)
{
	int ch;

	read_input();
	ch = vcons_getc(&c->cons);
	if (ch < 0)
		vcons_flush_stale(&c->cons, hal_time_now(), hyp_ticks.prompt_age);
	return ch;
}
