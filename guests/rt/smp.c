// SPDX-License-Identifier: BSD-2-Clause
/*
 * Secondary harts: /cpus, HSM start into C, bounded waits (see smp.h).
 */
#include "rt.h"
#include "csr.h"
#include "sbi_ext.h"
#include "smp.h"

#define HIDDEN	__attribute__((visibility("hidden")))

_Static_assert(sizeof(struct smp_slot) == 1 << SMP_SLOT_SHIFT,
	       "smp_slot size out of sync with smp_entry.S");
_Static_assert(__builtin_offsetof(struct smp_slot, satp) ==
	       SLOT_SATP * sizeof(long), "smp_slot layout out of sync");
_Static_assert(SMP_MAX_HARTS <= 256, "the slot index is one opaque byte");

struct smp_info smp;

/* Used by smp_entry.S */
HIDDEN struct smp_slot smp_slots[SMP_MAX_HARTS];
HIDDEN char smp_stacks[SMP_MAX_HARTS][SMP_STACK_SIZE] __attribute__((aligned(16)));
HIDDEN unsigned long smp_stvec;
HIDDEN unsigned long smp_bad[3];	/* a0, a1, count */

extern char smp_entry[];
void smp_secondary(unsigned long hartid, struct smp_slot *slot)
	__attribute__((noreturn));

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * The /cpus walk. fdt_for_each_prop() reports a property with its
 * node's name and depth only, so the parent of a depth-2 node is the
 * last depth-1 node that had a property: /cpus always has one
 * (#address-cells is required) and a node's properties come before its
 * subnodes. A cpu node is complete when the walk moves to another
 * depth-1 or depth-2 node's property, or ends.
 */
struct cpus_walk {
	const char *d1;			/* last depth-1 node seen */
	const char *node;		/* current depth-2 node under /cpus */
	bool is_cpu, has_reg, okay, has_h;
	unsigned long reg;
	uint32_t addr_cells;
	uint32_t cpu_timebase;
	bool any;
	unsigned long max_id;
	const char *err;
};

static bool in_cpus(const struct cpus_walk *w)
{
	return w->d1 && !strcmp(w->d1, "cpus");
}

static void commit_cpu(struct cpus_walk *w)
{
	if (w->node && w->is_cpu && w->has_reg) {
		if (!w->any || w->reg > w->max_id)
			w->max_id = w->reg;
		w->any = true;
		if (w->okay) {
			if (smp.n == SMP_MAX_HARTS) {
				w->err = "more enabled harts in /cpus than SMP_MAX_HARTS";
			} else {
				smp.id[smp.n] = w->reg;
				smp.has_h[smp.n] = w->has_h;
				smp.n++;
			}
		}
	}
	w->node = NULL;
}

/* Is s (NUL-terminated) one of the strings of a stringlist? */
static bool stringlist_has(const char *list, uint32_t len, const char *s)
{
	uint32_t i = 0, n;

	while (i < len) {
		n = strnlen(list + i, len - i);
		if (n == strlen(s) && !memcmp(list + i, s, n))
			return true;
		i += n + 1;
	}
	return false;
}

static int cpus_prop(void *ctx, const struct fdt_prop *p)
{
	struct cpus_walk *w = ctx;
	const uint8_t *v = p->value;

	if (p->depth == 1) {
		commit_cpu(w);
		w->d1 = p->node;
		if (!in_cpus(w))
			return 0;
		if (!strcmp(p->name, "#address-cells") && p->len == 4)
			w->addr_cells = be32(v);
		if (!strcmp(p->name, "timebase-frequency") && p->len >= 4)
			smp.timebase = be32(v + p->len - 4);
		return 0;
	}
	if (p->depth != 2 || !in_cpus(w))
		return 0;
	if (p->node != w->node) {
		commit_cpu(w);
		w->node = p->node;
		w->is_cpu = w->has_reg = w->has_h = false;
		w->okay = true;
	}
	if (!strcmp(p->name, "device_type")) {
		w->is_cpu = p->len == 4 && !memcmp(v, "cpu", 4);
	} else if (!strcmp(p->name, "reg")) {
		if (w->addr_cells == 1 && p->len >= 4) {
			w->reg = be32(v);
			w->has_reg = true;
		} else if (w->addr_cells == 2 && p->len >= 8) {
			w->reg = (unsigned long)((uint64_t)be32(v) << 32 |
						 be32(v + 4));
			w->has_reg = !be32(v) || sizeof(long) == 8;
		}
	} else if (!strcmp(p->name, "status")) {
		w->okay = (p->len == 5 && !memcmp(v, "okay", 5)) ||
			  (p->len == 3 && !memcmp(v, "ok", 3));
	} else if (!strcmp(p->name, "riscv,isa")) {
		if (isa_has_letter(p->value, p->len, 'h'))
			w->has_h = true;
	} else if (!strcmp(p->name, "riscv,isa-extensions")) {
		if (stringlist_has(p->value, p->len, "h"))
			w->has_h = true;
	} else if (!strcmp(p->name, "timebase-frequency") && p->len >= 4) {
		w->cpu_timebase = be32(v + p->len - 4);
	}
	return 0;
}

const char *smp_init(const struct fdt *fdt, unsigned long boot_hartid)
{
	struct cpus_walk w = { .addr_cells = 1 };
	struct smp_slot *s;
	int err, i;

	memset(&smp, 0, sizeof(smp));
	err = fdt_for_each_prop(fdt, cpus_prop, &w);
	if (err < 0)
		return fdt_strerror(err);
	commit_cpu(&w);
	if (w.err)
		return w.err;
	if (!smp.n)
		return "no enabled cpu in /cpus";
	if (!smp.timebase)
		smp.timebase = w.cpu_timebase;
	if (!smp.timebase)
		return "no timebase-frequency in /cpus";
	smp.invalid_id = w.max_id + 1;
	smp.self = smp_index_of(boot_hartid);
	if (smp.self < 0)
		return "boot hart id not in /cpus";

	for (i = 0; i < smp.n; i++) {
		s = &smp_slots[i];
		memset(s, 0, sizeof(*s));
		s->hartid = smp.id[i];
		s->idx = i;
	}
	smp_stvec = csr_read(stvec);
	smp_bad[0] = smp_bad[1] = smp_bad[2] = 0;
	s = &smp_slots[smp.self];
	asm volatile("mv tp, %0" : : "r"(s) : "memory");
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return NULL;
}

struct smp_slot *smp_slot(int idx)
{
	return &smp_slots[idx];
}

struct smp_slot *smp_this(void)
{
	struct smp_slot *s;

	asm volatile("mv %0, tp" : "=r"(s));
	return s;
}

int smp_index_of(unsigned long hartid)
{
	int i;

	for (i = 0; i < smp.n; i++) {
		if (smp.id[i] == hartid)
			return i;
	}
	return -1;
}

int smp_first_other(void)
{
	int i;

	for (i = 0; i < smp.n; i++) {
		if (i != smp.self)
			return i;
	}
	return -1;
}

unsigned long smp_opaque(int idx, unsigned int tag)
{
	return SMP_OPAQUE_MAGIC | (tag & 0xff) << 8 | (unsigned long)idx;
}

unsigned long smp_entry_addr(void)
{
	return (unsigned long)smp_entry;
}

unsigned long smp_prepare_resume(int idx, unsigned int tag,
				 void (*fn)(struct smp_slot *slot))
{
	struct smp_slot *s = &smp_slots[idx];

	s->fn = fn;
	s->opaque = smp_opaque(idx, tag);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return s->opaque;
}

struct sbiret smp_start(int idx, unsigned int tag,
			void (*fn)(struct smp_slot *slot))
{
	unsigned long opaque = smp_prepare_resume(idx, tag, fn);

	return sbi_hart_start(smp.id[idx], smp_entry_addr(), opaque);
}

void smp_secondary(unsigned long hartid, struct smp_slot *slot)
{
	(void)hartid;
	asm volatile("mv tp, %0" : : "r"(slot) : "memory");
	__atomic_fetch_add(&slot->arrivals, 1, __ATOMIC_RELEASE);
	slot->fn(slot);

	/* The spec wants hart_stop called with interrupts disabled. */
	irq_disable();
	csr_write(sie, 0);
	slot->stop_error = sbi_hart_stop().error;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (;;)
		asm volatile("wfi");
}

bool smp_wait_arrivals(struct smp_slot *slot, unsigned long n)
{
	return wait_ge(&slot->arrivals, n);
}

bool wait_ge(unsigned long *p, unsigned long want)
{
	unsigned long i;

	for (i = 0; i < SPIN_LIMIT; i++) {
		if (ld_acquire(p) >= want)
			return true;
		cpu_relax();
	}
	return false;
}

bool wait_eq(unsigned long *p, unsigned long want)
{
	unsigned long i;

	for (i = 0; i < SPIN_LIMIT; i++) {
		if (ld_acquire(p) == want)
			return true;
		cpu_relax();
	}
	return false;
}

long hsm_wait_status(unsigned long hartid, long want)
{
	struct sbiret ret = { 0, 0 };
	unsigned long i;

	for (i = 0; i < HSM_POLL_LIMIT; i++) {
		ret = sbi_hart_get_status(hartid);
		if (ret.error)
			return ret.error;
		if (ret.value == want)
			break;
	}
	return ret.value;
}

unsigned long smp_bad_arrival(unsigned long *a0, unsigned long *a1)
{
	unsigned long n = ld_acquire(&smp_bad[2]);

	if (n) {
		*a0 = smp_bad[0];
		*a1 = smp_bad[1];
	}
	return n;
}

bool smp_barrier_wait(struct smp_barrier *b, int n)
{
	unsigned long gen = ld_acquire(&b->gen), i;

	if (__atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) ==
	    (unsigned long)n) {
		__atomic_store_n(&b->count, 0, __ATOMIC_RELAXED);
		st_release(&b->gen, gen + 1);
		return true;
	}
	for (i = 0; i < SPIN_LIMIT; i++) {
		if (ld_acquire(&b->gen) != gen)
			return true;
		cpu_relax();
	}
	return false;
}

static void (*run_fn)(struct smp_slot *slot);
static unsigned long run_done;

static void run_one(struct smp_slot *slot)
{
	run_fn(slot);
	__atomic_fetch_add(&run_done, 1, __ATOMIC_RELEASE);
}

void smp_run_all(void (*fn)(struct smp_slot *slot))
{
	struct sbiret r;
	int i;

	run_fn = fn;
	run_done = 0;
	for (i = 0; i < smp.n; i++) {
		if (i == smp.self)
			continue;
		r = smp_start(i, 0, run_one);
		if (r.error)
			printf("FAIL hart_start(%d): %ld\n", i, r.error);
	}
	run_one(smp_this());
	if (!wait_ge(&run_done, (unsigned long)smp.n))
		printf("FAIL only %lu of %d harts finished\n", run_done, smp.n);
}

unsigned long smp_sum(int k)
{
	unsigned long sum = 0;
	int i;

	for (i = 0; i < smp.n; i++)
		sum += smp_slot(i)->v[k];
	return sum;
}
