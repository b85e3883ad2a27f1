// SPDX-License-Identifier: BSD-2-Clause
/*
 * The fake HAL: a link-time seam for every function of hyp/'s hal.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <hyp/container.h>
#include <hyp/frame.h>
#include <hyp/hal.h>
#include <hyp/vcpu.h>
#include "fake_hal.h"

struct fake_hal fake;

static struct {
	u64 base;
	u64 size;
	u8 *map;
	size_t map_len;
	bool dirty;
} mem = { FAKE_MEM_BASE, FAKE_MEM_SIZE, NULL, 0, false };

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static void mem_unmap(void)
{
	if (mem.map)
		munmap(mem.map, mem.map_len);
	mem.map = NULL;
	mem.dirty = false;
}

/* Map lazily: untouched pages cost nothing; a guard page follows the end. */
static u8 *mem_map(void)
{
	size_t pg = page_size();
	void *p;

	if (mem.map)
		return mem.map;
	mem.map_len = ((size_t)mem.size + 2 * pg - 1) / pg * pg;
	p = mmap(NULL, mem.map_len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("fake_hal: mmap");
		abort();
	}
	mem.map = p;
	mprotect(mem.map + mem.map_len - pg, pg, PROT_NONE);
	return mem.map;
}

void fake_mem_config(u64 base, u64 size)
{
	mem_unmap();
	mem.base = base;
	mem.size = size;
}

u64 fake_mem_base(void)
{
	return mem.base;
}

u64 fake_mem_size(void)
{
	return mem.size;
}

static void mem_zero(void)
{
	if (mem.map && mem.dirty)
		madvise(mem.map, mem.map_len - page_size(), MADV_DONTNEED);
	mem.dirty = false;
}

/* hal_zalloc's blocks, freed at the next reset (sanitizers see leaks). */
#define FAKE_ALLOCS	64
static void *allocs[FAKE_ALLOCS];
static unsigned int nr_allocs;

void *hal_zalloc(size_t size)
{
	void *p;

	if (fake.alloc_fail || nr_allocs == FAKE_ALLOCS)
		return NULL;
	p = calloc(1, size ? size : 1);
	allocs[nr_allocs++] = p;
	return p;
}

void fake_reset(void)
{
	while (nr_allocs)
		free(allocs[--nr_allocs]);
	mem_zero();
	memset(&fake, 0, sizeof(fake));
	fake.harts = 4;
	fake.guest_harts = (1U << fake.harts) - 1;
	fake.freq = 10000000;
	fake.timer = ~0ULL;
	fake.stimecmp = ~0ULL;
	fake.machine_id[0] = 0x489;
	fake.machine_id[1] = 0x8000000000000007UL;
	fake.machine_id[2] = 0x20181004;
	/* QEMU 7.2's harts: two triggers, each type 2 or 6. */
	fake.dbtr_count = 2;
	fake.dbtr_types[0] = fake.dbtr_types[1] = (1UL << 2) | (1UL << 6);
	/* Harts with mcountinhibit: cycle and instret, running, readable. */
	fake.pmu_hw = 0x5;
	for (unsigned int h = 0; h < HYP_MAX_HARTS; h++)
		fake.pmu_run[h] = fake.pmu_visible[h] = 0x5;
}

const char *fake_console(void)
{
	return fake.console;
}

const char *fake_console_raw(void)
{
	return fake.console_raw;
}

void fake_console_clear(void)
{
	fake.console_len = fake.raw_len = 0;
	fake.console[0] = fake.console_raw[0] = '\0';
	fake.console_overflow = false;
	fake.console_writes = fake.console_write_max = 0;
}

unsigned int fake_console_lines(void)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < fake.console_len; i++)
		n += fake.console[i] == '\n';
	return n;
}

void fake_input(const char *s)
{
	size_t len = strlen(s);

	if (len > FAKE_INPUT_MAX - fake.input_len)
		len = FAKE_INPUT_MAX - fake.input_len;
	memcpy(fake.input + fake.input_len, s, len);
	fake.input_len += len;
}

size_t fake_input_left(void)
{
	return fake.input_len - fake.input_pos;
}

/* A non-returning HAL call: back to FAKE_RUN, or fail the test. */
static void __attribute__((noreturn)) fake_escape(enum fake_exit how,
						  const char *what)
{
	if (fake.armed) {
		fake.armed = false;
		fake.exit = how;
		longjmp(fake.escape, 1);
	}
	unit_escape(what);
}

/* --- harts ------------------------------------------------------------ */

unsigned int hal_hart_index(void)
{
	return fake.hart;
}

unsigned int hal_hart_count(void)
{
	return fake.harts;
}

bool hal_hart_runs_guests(unsigned int hart)
{
	return hart < fake.harts && hart < 32 && (fake.guest_harts >> hart) & 1;
}

int hal_hart_start(unsigned int hart)
{
	if (hart >= HYP_MAX_HARTS)
		unit_escape("hal_hart_start: no such hart");
	fake.hart_starts[hart]++;
	return fake.hart_start_rc;
}

void hal_hart_kick(unsigned int hart)
{
	if (hart >= HYP_MAX_HARTS)
		unit_escape("hal_hart_kick: no such hart");
	fake.kicks[hart]++;
}

void hal_hart_idle(void)
{
	fake.idles++;
	fake_escape(FAKE_IDLE, "unexpected hal_hart_idle");
}

/* --- time ------------------------------------------------------------- */

u64 hal_time_now(void)
{
	return fake.now;
}

u64 hal_time_freq(void)
{
	return fake.freq;
}

void hal_timer_set(u64 when)
{
	fake.timer = when;
	fake.timer_sets++;
}

bool hal_has_sstc(void)
{
	return fake.sstc;
}

/* --- guest state ------------------------------------------------------ */

void hal_set_guest_frame(struct hyp_frame *f)
{
	fake.guest_frame = f;
}

void hal_vcpu_save(struct vcpu *v)
{
	fake.saves++;
	fake.last_saved = v;
}

void hal_vcpu_load(struct vcpu *v)
{
	fake.loads++;
	fake.last_loaded = v;
}

void hal_guest_stip(bool pending)
{
	fake.stip = pending;
	fake.stip_calls++;
}

ulong hal_guest_sip(ulong set, ulong clear)
{
	ulong old = fake.sip;

	fake.sip = (fake.sip & ~clear) | set;
	fake.sip_calls++;
	return old;
}

/* Guest virtual = physical (satp off); a fault outside guest RAM. */
static int guest_read(ulong va, void *val, size_t len)
{
	fake.guest_loads++;
	if (va < mem.base || va - mem.base >= mem.size ||
	    len > mem.size - (va - mem.base))
		return -1;
	memcpy(val, hal_phys(va), len);
	return 0;
}

ulong hal_guest_satp(void)
{
	return fake.satp;
}

int hal_guest_insn(ulong epc, ulong *insn)
{
	u32 word = 0;
	int rc = guest_read(epc, &word, sizeof(word));

	*insn = word;
	return rc;
}

void hal_irq_enable(unsigned int src, bool on)
{
	if (src < FAKE_IRQS)
		fake.irq_enabled[src] = on;
}

unsigned int hal_irq_claim(void)
{
	if (fake.irq_claimed == fake.irq_queued)
		return 0;
	return fake.irq_queue[fake.irq_claimed++ % 8];
}

void hal_irq_complete(unsigned int src)
{
	if (src < FAKE_IRQS)
		fake.irq_completes[src]++;
}

u32 hal_clock_rate(const void *fdt, int node, const u32 *args, unsigned int nargs)
{
	(void)fdt;
	(void)node;
	fake.clock_calls++;
	return nargs == 1 && fake.clock_hz ? fake.clock_hz + args[0] : 0;
}

void hal_fence_i(void)
{
	fake.fence_i++;
}

void hal_sfence_vma(void)
{
	fake.sfence_vma++;
}

void hal_guest_stimecmp(u64 when)
{
	fake.stimecmp = when;
	fake.stimecmp_calls++;
}

ulong hal_guest_mstatus(void)
{
	return HYP_PRV_S << HYP_MSTATUS_MPP_SHIFT;
}

struct hyp_frame *hal_trap_forward(struct hyp_frame *f)
{
	fake.forwards++;
	return f;
}

size_t hal_trap_forward_text(char *buf, size_t size)
{
	size_t len = fake.forward_text ? strlen(fake.forward_text) : 0;

	if (len > size)
		len = size;
	memcpy(buf, fake.forward_text ? fake.forward_text : "", len);
	return len;
}

ulong hal_machine_id(int which)
{
	if (which < 0 || which > 2)
		unit_escape("hal_machine_id: bad index");
	return fake.machine_id[which];
}

/* --- containers ------------------------------------------------------- */

int hal_container_init(struct container *c)
{
	fake.container_inits++;
	c->arch.domain = !fake.container_init_rc;
	return fake.container_init_rc;
}

void hal_misaligned_deleg(bool on)
{
	fake.misaligned_deleg[fake.hart] = on;
	fake.misaligned_deleg_writes++;
}

unsigned int hal_dbtr_count(void)
{
	return fake.dbtr_count;
}

ulong hal_dbtr_types(unsigned int idx)
{
	return idx < fake.dbtr_count ? fake.dbtr_types[idx] : 0;
}

void hal_dbtr_write(unsigned int idx, ulong tdata1, ulong tdata2, ulong tdata3)
{
	ulong *t = fake.dbtr[fake.hart][idx];

	t[0] = tdata1;
	t[1] = tdata1 ? tdata2 : 0;
	t[2] = tdata1 ? tdata3 : 0;
	fake.dbtr_writes++;
}

ulong hal_pmu_hw_mask(void)
{
	return fake.pmu_hw;
}

u64 hal_pmu_read(unsigned int idx)
{
	return fake.pmu_ctr[fake.hart][idx];
}

void hal_pmu_write(unsigned int idx, u64 val)
{
	fake.pmu_ctr[fake.hart][idx] = val;
	fake.pmu_writes++;
}

void hal_pmu_control(ulong run, ulong visible)
{
	fake.pmu_run[fake.hart] = run & fake.pmu_hw;
	fake.pmu_visible[fake.hart] = visible & fake.pmu_hw;
}

void fake_pmu_tick(u64 n)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		if ((fake.pmu_run[fake.hart] >> i) & 1)
			fake.pmu_ctr[fake.hart][i] += n;
}

void hal_vcpu_reset(struct vcpu *v)
{
	v->arch.resets++;
}

void *hal_phys(u64 pa)
{
	if (pa < mem.base || pa - mem.base >= mem.size) {
		fprintf(stderr, "fake_hal: hal_phys(0x%llx) outside guest RAM "
			"[0x%llx, 0x%llx)\n", (unsigned long long)pa,
			(unsigned long long)mem.base,
			(unsigned long long)(mem.base + mem.size));
		abort();
	}
	mem.dirty = true;
	return mem_map() + (pa - mem.base);
}

/* --- console and machine ---------------------------------------------- */

/* A CR LF that a write's boundary splits is still seen as one. */
static void console_add(char ch)
{
	if (ch == '\n' && fake.console_len && fake.console[fake.console_len - 1] == '\r')
		fake.console_len--;
	fake.console[fake.console_len++] = ch;
	fake.console[fake.console_len] = '\0';
}

void hal_console_write(const char *s, size_t len)
{
	size_t i;

	fake.console_writes++;
	if (len > fake.console_write_max)
		fake.console_write_max = len;
	if (len > FAKE_CONSOLE_MAX - fake.raw_len) {
		len = FAKE_CONSOLE_MAX - fake.raw_len;
		fake.console_overflow = true;
	}
	for (i = 0; i < len; i++) {
		fake.console_raw[fake.raw_len++] = s[i];
		console_add(s[i]);
	}
	fake.console_raw[fake.raw_len] = '\0';
	if (fake.console_hook)
		fake.console_hook();
}

unsigned long hal_heap_used(void)
{
	return 4096;
}

int hal_console_getc(void)
{
	if (fake.input_pos == fake.input_len)
		return -1;
	return (unsigned char)fake.input[fake.input_pos++];
}

void hal_poweroff(void)
{
	fake.poweroffs++;
	fake_escape(FAKE_POWEROFF, "unexpected hal_poweroff");
}
