// SPDX-License-Identifier: BSD-2-Clause
/*
 * The operator console (hyp/console.c) and the end of the machine's life
 * (hyp/container.c): commands typed after the escape key act on
 * containers by name; the last container to stop powers the machine off,
 * unless the manifest says to stay up, when only the operator's poweroff
 * does.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/gfdt.h>
#include <hyp/hyp.h>
#include <hyp/manifest.h>
#include <hyp/sched.h>
#include <hyp/ticks.h>
#include <hyp/vcpu.h>
#include "elf_image.h"
#include "fake_hal.h"
#include "fixture.h"
#include "unit.h"

#define RAM_SIZE	(4 * HYP_MIB)
#define ESC		"\x1d"

extern const struct hyp_machine *hyp_machine;

static const struct hyp_machine machine = {
	.model = "test,machine", .isa = "rv64imac", .mmu = "riscv,sv39",
	.timebase = 10000000,
};
static struct manifest_ctr specs[2];
static struct vcpu vcpus[2];
static u8 image[256];

/* Container @i, stopped, with a one-vCPU ELF guest at its own 4 MiB. */
static struct container *add(unsigned int i, const char *name)
{
	struct container *c;
	struct elf_spec e;

	c = fixture_container(i, &specs[i], name, &vcpus[i], 1,
			      FAKE_MEM_BASE + (u64)(i + 1) * RAM_SIZE, RAM_SIZE);
	elf_spec_simple(&e, 64);
	specs[i].image = image;
	specs[i].image_size = elf_build(image, sizeof(image), &e);
	return c;
}

/* "alpha" running (its vCPU queued, not on a hart) and "beta" stopped. */
static void setup(void)
{
	hyp_machine = &machine;
	fixture_harts();
	add(0, "alpha");
	add(1, "beta");
	ASSERT_EQ(container_start(&hyp_containers[0]), 0);
	console_init(&hyp_containers[0]);
	fake_console_clear();
}

/* Type @keys and let the console read them; how that ended. */
static int type(const char *keys)
{
	fake_input(keys);
	return FAKE_RUN(console_poll());
}

static void list_shows_each_container(void)
{
	setup();
	EXPECT_EQ(type(ESC "list\r"), FAKE_RETURNED);
	EXPECT_HAS(fake_console(), "[diosix] console: operator mode");
	EXPECT_HAS(fake_console(),
		   "[diosix] list: alpha running, 1 vCPU, 4 MiB, cpu 0 ms, focus\n");
	EXPECT_HAS(fake_console(), "[diosix] list: beta stopped, 1 vCPU, 4 MiB, cpu 0 ms\n");
}

static void unknown_words_named(void)
{
	setup();
	type(ESC "frob alpha\r" "stop gamma\r" "start\r");
	EXPECT_HAS(fake_console(), "[diosix] console: unknown command 'frob' (try help)\n");
	EXPECT_HAS(fake_console(), "[diosix] console: no container 'gamma'\n");
	EXPECT_HAS(fake_console(), "[diosix] console: no container ''\n");
	EXPECT_EQ(hyp_containers[0].state, CTR_RUNNING);
	EXPECT_EQ(hyp_containers[1].state, CTR_STOPPED);
}

/* Keys reach the focused container only outside operator mode. */
static void escape_switches_input(void)
{
	setup();
	type("ab" ESC "list\r" ESC "c");
	EXPECT_EQ(vcons_getc(&hyp_containers[0].cons), 'a');
	EXPECT_EQ(vcons_getc(&hyp_containers[0].cons), 'b');
	EXPECT_EQ(vcons_getc(&hyp_containers[0].cons), 'c');
	EXPECT_EQ(vcons_getc(&hyp_containers[0].cons), -1);
	type(ESC "focus beta\r" ESC "d");
	EXPECT_EQ(vcons_getc(&hyp_containers[0].cons), -1);
	EXPECT_EQ(vcons_getc(&hyp_containers[1].cons), 'd');
	EXPECT_HAS(fake_console(), "[diosix] console: input goes to beta\n");
}

static void start_only_when_stopped(void)
{
	setup();
	type(ESC "start alpha\r" "start beta\r");
	EXPECT_HAS(fake_console(), "[diosix] console: alpha is running\n");
	EXPECT_EQ(hyp_containers[0].starts, 1);
	EXPECT_EQ(hyp_containers[1].state, CTR_RUNNING);
	EXPECT_EQ(hyp_containers[1].starts, 1);
	EXPECT_EQ(vcpus[1].state, VCPU_RUNNABLE);
}

/* Restarting a stopped container starts it once, not again at its next stop. */
static void restart_of_stopped_starts_once(void)
{
	setup();
	type(ESC "restart beta\r");
	EXPECT_EQ(hyp_containers[1].state, CTR_RUNNING);
	EXPECT(!hyp_containers[1].restart_requested);
	type("stop beta\r");
	EXPECT_EQ(hyp_containers[1].state, CTR_STOPPED);
	EXPECT_EQ(hyp_containers[1].starts, 1);
	EXPECT_HAS(fake_console(), "[diosix] container beta stopped (stopped by operator)\n");
}

static void restart_of_running_starts_again(void)
{
	setup();
	type(ESC "restart alpha\r");
	EXPECT_EQ(hyp_containers[0].state, CTR_RUNNING);
	EXPECT_EQ(hyp_containers[0].starts, 2);
	EXPECT_HAS(fake_console(),
		   "[diosix] container alpha stopped (stopped by operator): restarting\n");
}

static void last_stop_powers_off(void)
{
	setup();
	EXPECT_EQ(type(ESC "stop alpha\r"), FAKE_POWEROFF);
	EXPECT_EQ(fake.poweroffs, 1);
	EXPECT_HAS(fake_console(), "[diosix] all containers have stopped: powering off\n");
}

static void stay_up_keeps_machine_on(void)
{
	setup();
	hyp_stay_up = true;
	EXPECT_EQ(type(ESC "stop alpha\r"), FAKE_RETURNED);
	EXPECT_EQ(fake.poweroffs, 0);
	EXPECT_HAS(fake_console(), "[diosix] all containers have stopped: staying up");
	EXPECT_LACKS(fake_console(), "powering off");
	/* Still at the operator's service: start one again, then power off. */
	type("start beta\r");
	EXPECT_EQ(hyp_containers[1].state, CTR_RUNNING);
	EXPECT_EQ(type("poweroff\r"), FAKE_POWEROFF);
	EXPECT_EQ(hyp_containers[1].state, CTR_STOPPED);
	EXPECT_HAS(fake_console(), "[diosix] container beta stopped (stopped by operator)\n");
	EXPECT_HAS(fake_console(), "[diosix] all containers have stopped: powering off\n");
}

/* After poweroff nothing restarts, whatever its policy says. */
static void poweroff_overrides_restart(void)
{
	setup();
	hyp_stay_up = true;
	specs[0].restart = RESTART_ALWAYS;
	hyp_containers[0].restart_requested = true;
	EXPECT_EQ(type(ESC "poweroff\r"), FAKE_POWEROFF);
	EXPECT_EQ(hyp_containers[0].starts, 1);
	EXPECT_LACKS(fake_console(), "restarting");
}

static void poweroff_with_all_stopped(void)
{
	setup();
	hyp_stay_up = true;
	type(ESC "stop alpha\r");
	EXPECT_EQ(type("poweroff\r"), FAKE_POWEROFF);
	EXPECT_EQ(fake.poweroffs, 1);
}

/* Another hart inside a console: it holds the lock for a while and
 * checks, until told the restart is over, that nobody else wrote it. */
static struct {
	struct hyp_lock *lock;
	int held, done, broken;
} other;

static void *other_hart(void *unused)
{
	unsigned int i;

	(void)unused;
	hyp_lock(other.lock);
	__atomic_store_n(&other.held, 1, __ATOMIC_RELEASE);
	for (i = 0;; i++) {
		if (!__atomic_load_n(&other.lock->taken, __ATOMIC_ACQUIRE))
			other.broken = 1;
		if (__atomic_load_n(&other.done, __ATOMIC_ACQUIRE) || i == 100)
			break;
		usleep(1000);
	}
	hyp_unlock(other.lock);
	return NULL;
}

/*
 * A restart resets the console's line and input, never its lock: it waits
 * for the hart that holds it (docs/scheduling.md, "Locks"). The poller may
 * take the lock (a key for the focused container) between the stop's
 * flush and the restart, so container_start is called here as
 * container_stopped calls it, with the last vCPU out.
 */
static void restart_keeps_console_lock(void)
{
	struct container *c;
	pthread_t t;
	bool report;
	int rc;

	setup();
	c = &hyp_containers[0];
	hyp_lock(&sched_lock);
	EXPECT(container_stop_locked(c, CTR_STOP_OPERATOR));
	hyp_unlock(&sched_lock);
	vcons_input(&c->cons, 'k', &report);
	other.lock = &c->cons.lock;
	other.held = other.done = other.broken = 0;
	ASSERT_EQ(pthread_create(&t, NULL, other_hart, NULL), 0);
	while (!__atomic_load_n(&other.held, __ATOMIC_ACQUIRE))
		;
	rc = container_start(c);
	__atomic_store_n(&other.done, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	EXPECT_EQ(rc, 0);
	EXPECT_EQ(other.broken, 0);
	EXPECT_EQ(c->starts, 2);
	EXPECT_EQ(c->cons.lock.taken, 0);
	EXPECT_EQ(vcons_getc(&c->cons), -1);	/* the old run's input is gone */
}

/* The operator's line is the focused console while it is open. */
static void operator_line_is_focused(void)
{
	setup();
	type(ESC "li");
	EXPECT_HAS(fake_console_raw(), "[diosix] console> li");
	/* A container's line ends it cleanly; the next key shows it whole. */
	fake.now += hyp_ticks.console_hold;
	vcons_write(&hyp_containers[1].cons, "beta line\n", 10);
	type("st");
	EXPECT_HAS(fake_console_raw(),
		   "[diosix] console> li\r\n[beta] beta line\r\n[diosix] console> list");
	type("\r");
	EXPECT_HAS(fake_console_raw(), "console> list\r\n[diosix] list: alpha running");
	/* Backspace rubs out on the terminal and in the command. */
	type("stax\x7f" "ts\r");
	EXPECT_HAS(fake_console_raw(), "console> stax\b \bts\r\n");
	EXPECT_HAS(fake_console(), "[diosix] container alpha vcpu 0: ");
}

/* Output of the focused container is held while the operator types. */
static void operator_holds_container_output(void)
{
	struct vcons *alpha;

	setup();
	alpha = &hyp_containers[0].cons;
	vcons_write(alpha, "a:/# ", 5);
	EXPECT_HAS(fake_console_raw(), "[alpha] a:/# ");
	type(ESC);
	vcons_write(alpha, "tick", 4);
	EXPECT_LACKS(fake_console_raw(), "tick");
	type(ESC);
	EXPECT_HAS(fake_console_raw(), "[diosix] console: input goes to alpha\r\n[alpha] tick");
}

/* focus says where input goes once, not again on leaving. */
static void focus_said_once(void)
{
	setup();
	type(ESC "focus beta\r" ESC);
	EXPECT_EQ(unit_count(fake_console(), "console: input goes to beta"), 1);
	type(ESC "list\r" ESC);
	EXPECT_EQ(unit_count(fake_console(), "console: input goes to beta"), 2);
	type(ESC ESC);
	EXPECT_EQ(unit_count(fake_console(), "console: input goes to beta"), 3);
}

/* A paste fills the focused container's ring: what fits is kept, in
 * order, and the overflow is reported once. */
static void paste_overflow_said_once(void)
{
	static char paste[HYP_INPUT_MAX + 101];
	struct vcons *alpha;
	unsigned int i;

	setup();
	alpha = &hyp_containers[0].cons;
	for (i = 0; i < sizeof(paste) - 1; i++)
		paste[i] = (char)('a' + i % 26);
	type(paste);
	EXPECT_EQ(unit_count(fake_console(), "console: input for alpha dropped"), 1);
	EXPECT_HAS(fake_console(),
		   "[diosix] console: input for alpha dropped: its buffer of 4096 bytes is full\n");
	for (i = 0; i < HYP_INPUT_MAX; i++)
		if (vcons_getc(alpha) != paste[i])
			break;
	EXPECT_EQ(i, HYP_INPUT_MAX);
	EXPECT_EQ(vcons_getc(alpha), -1);
	type("x");
	EXPECT_EQ(vcons_getc(alpha), 'x');
	EXPECT_EQ(unit_count(fake_console(), "console: input for alpha dropped"), 1);
}

static const struct unit_case cases[] = {
	UNIT_CASE(list_shows_each_container),
	UNIT_CASE(unknown_words_named),
	UNIT_CASE(escape_switches_input),
	UNIT_CASE(start_only_when_stopped),
	UNIT_CASE(restart_of_stopped_starts_once),
	UNIT_CASE(restart_of_running_starts_again),
	UNIT_CASE(last_stop_powers_off),
	UNIT_CASE(stay_up_keeps_machine_on),
	UNIT_CASE(poweroff_overrides_restart),
	UNIT_CASE(poweroff_with_all_stopped),
	UNIT_CASE(restart_keeps_console_lock),
	UNIT_CASE(operator_line_is_focused),
	UNIT_CASE(operator_holds_container_output),
	UNIT_CASE(focus_said_once),
	UNIT_CASE(paste_overflow_said_once),
};

UNIT_SUITE(console, cases);
