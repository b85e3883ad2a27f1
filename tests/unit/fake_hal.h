/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A fake of hyp/include/hyp/hal.h for the host unit tests. Guest physical
 * memory is an anonymous mapping at a configurable base, the console is a
 * capture buffer, time is a counter, and every call that changes the
 * machine is recorded. hal_poweroff and hal_hart_idle do not
 * return: they longjmp back into FAKE_RUN, or fail the running test.
 */
#ifndef UNIT_FAKE_HAL_H
#define UNIT_FAKE_HAL_H

#include <setjmp.h>
#include <hyp/config.h>
#include <hyp/types.h>

struct hyp_frame;
struct vcpu;
struct container;

#define FAKE_MEM_BASE		0x80000000ULL
#define FAKE_MEM_SIZE		(256ULL << 20)
#define FAKE_CONSOLE_MAX	(64 * 1024)
#define FAKE_INPUT_MAX		16384
#define FAKE_IRQS		128

/* How a FAKE_RUN ended. */
enum fake_exit {
	FAKE_RETURNED,
	FAKE_POWEROFF,
	FAKE_PANIC,	/* no HAL call panics now; test_fuzz checks none does */
	FAKE_IDLE,
};

struct fake_hal {
	/* harts */
	unsigned int hart;		/* hal_hart_index() */
	unsigned int harts;		/* hal_hart_count() */
	u32 guest_harts;		/* bit i: hal_hart_runs_guests(i) */
	unsigned int kicks[HYP_MAX_HARTS];
	bool misaligned_deleg[HYP_MAX_HARTS];	/* medeleg, per hart (FWFT) */
	unsigned int misaligned_deleg_writes;
	/* debug triggers: how many, their types, each hart's tdata1..3 */
	unsigned int dbtr_count;
	ulong dbtr_types[HYP_DBTR_MAX];
	ulong dbtr[HYP_MAX_HARTS][HYP_DBTR_MAX][3];
	unsigned int dbtr_writes;
	/*
	 * performance counters: which vCPUs may have (hal_pmu_hw_mask),
	 * each hart's cycle (0) and instret (2), what runs and what S-mode
	 * may read; fake_pmu_tick() advances the running ones
	 */
	ulong pmu_hw;
	u64 pmu_ctr[HYP_MAX_HARTS][3];
	ulong pmu_run[HYP_MAX_HARTS], pmu_visible[HYP_MAX_HARTS];
	unsigned int pmu_writes;
	unsigned int hart_starts[HYP_MAX_HARTS];
	int hart_start_rc;
	unsigned int idles;
	/* time */
	u64 now;
	u64 freq;
	u64 timer;			/* last hal_timer_set() */
	unsigned int timer_sets;
	bool sstc;
	/* guest state */
	struct hyp_frame *guest_frame;
	unsigned int saves, loads;
	struct vcpu *last_saved, *last_loaded;
	bool stip;
	unsigned int stip_calls;
	ulong sip;			/* hal_guest_sip() bits */
	unsigned int sip_calls;
	unsigned int guest_loads;	/* hal_guest_insn calls */
	ulong satp;			/* hal_guest_satp() */
	unsigned int fence_i, sfence_vma;
	u64 stimecmp;
	unsigned int stimecmp_calls;
	unsigned int forwards;
	const char *forward_text;	/* what OpenSBI "prints" per forward */
	ulong machine_id[3];
	/* memory */
	bool alloc_fail;		/* hal_zalloc() returns NULL */
	/* containers */
	unsigned int container_inits;
	int container_init_rc;
	/*
	 * console: raw, the bytes as written; console, the same with each
	 * CR LF as LF (what the tests of messages compare).
	 */
	char console_raw[FAKE_CONSOLE_MAX + 1];
	size_t raw_len;
	char console[FAKE_CONSOLE_MAX + 1];
	size_t console_len;
	bool console_overflow;
	size_t console_writes;		/* hal_console_write calls */
	void (*console_hook)(void);	/* called once a write is recorded */
	size_t console_write_max;	/* the most bytes one call wrote */
	char input[FAKE_INPUT_MAX];
	size_t input_len, input_pos;
	/* machine */
	unsigned int poweroffs;
	/* the physical PLIC */
	bool irq_enabled[FAKE_IRQS];
	unsigned int irq_completes[FAKE_IRQS];
	unsigned int irq_queue[8];	/* what hal_irq_claim returns, in turn */
	unsigned int irq_queued, irq_claimed;
	/* hal_clock_rate: clock_hz + the output's index (0: unknown) */
	u32 clock_hz;
	unsigned int clock_calls;
	/* escape from a non-returning call */
	bool armed;
	enum fake_exit exit;
	jmp_buf escape;
};

extern struct fake_hal fake;

/** Reset every recorded call and setting, empty the console, zero RAM. */
void fake_reset(void);

/** Use [base, base + size) as guest physical memory (zeroed). */
void fake_mem_config(u64 base, u64 size);
u64 fake_mem_base(void);
u64 fake_mem_size(void);

/** What the console showed, each CR LF as LF. */
const char *fake_console(void);
/** The bytes written to the UART, as they were. */
const char *fake_console_raw(void);
void fake_console_clear(void);
/** @n cycles and instructions on this hart: the counters that run advance. */
void fake_pmu_tick(u64 n);
/** Number of '\n'-terminated lines captured so far. */
unsigned int fake_console_lines(void);
/** Queue console input for hal_console_getc(). */
void fake_input(const char *s);
size_t fake_input_left(void);

/* The harness's escape for a non-returning call made outside FAKE_RUN. */
void unit_escape(const char *what) __attribute__((noreturn));

/*
 * Run @stmt, catching hal_poweroff/hal_hart_idle. Evaluates to
 * FAKE_RETURNED if @stmt finished, else to the way it left.
 */
#define FAKE_RUN(stmt)						\
	({							\
		volatile int __how = FAKE_RETURNED;		\
		fake.armed = true;				\
		if (setjmp(fake.escape) == 0) {			\
			stmt;					\
		} else {					\
			__how = fake.exit;			\
		}						\
		fake.armed = false;				\
		__how;						\
	})

#endif
