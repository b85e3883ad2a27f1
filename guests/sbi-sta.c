// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-sta: SBI v2.0 Steal-time Accounting extension (chapter 16), which
 * only a hypervisor offers (stock OpenSBI has none, so this guest runs
 * in diosix alone, against the spec).
 *
 * Spec points checked: set_shmem's errors (flags not zero and an
 * address that is not 64-byte aligned: SBI_ERR_INVALID_PARAM; upper
 * address bits set or memory the caller cannot write:
 * SBI_ERR_INVALID_ADDRESS); success zeroes all 64 bytes; the sequence
 * is even whenever the vCPU reads it and moves by two per update;
 * preempted reads 0 while the vCPU runs; all-ones turns reporting off.
 *
 * Steal: bootargs "shared" runs on a hart it shares with a spinning
 * hog. It spins STEAL_MS reading the time; every jump of more than a
 * millisecond is a stretch when it did not run (the hog had the hart),
 * and the steal reported must be that time: never more than the sum of
 * the jumps, and less by at most the hypervisor's own switching per
 * jump (JUMP_SLACK_US). Run under -icount, whose virtual time the host
 * cannot pause, so the jumps are the guest's only. "pinned" has a hart
 * of its own: no jumps, and steal stays 0.
 *
 * Output: PASS lines, then "sbi-sta done: N passed, 0 failed".
 */
#include "rt.h"
#include "sbitest.h"

#define EXT		"sta"
#define STEAL_MS	150
#define JUMP_SLACK_US	200
#define MIN_JUMPS	5

struct sta_shmem {
	uint32_t sequence;
	uint32_t flags;
	uint64_t steal;
	uint8_t preempted;
	uint8_t pad[47];
};

static struct sta_shmem shmem[2] __attribute__((aligned(64)));

static struct sbiret sta_set(unsigned long lo, unsigned long hi, unsigned long flags)
{
	return sbi_ecall(SBI_EXT_STA, SBI_STA_SET_SHMEM, lo, hi, flags, 0, 0, 0);
}

/* steal, read as the spec says: the same even sequence before and after. */
static uint64_t read_steal(volatile struct sta_shmem *s, uint32_t *seq_out)
{
	uint32_t seq;
	uint64_t steal;

	do {
		seq = s->sequence;
		__asm__ volatile("fence r, r" ::: "memory");
		steal = s->steal;
		__asm__ volatile("fence r, r" ::: "memory");
	} while ((seq & 1) || seq != s->sequence);
	*seq_out = seq;
	return steal;
}

static void error_checks(const struct fdt *fdt)
{
	unsigned long bad;

	test_err(EXT, "set_shmem with flags not zero returns SBI_ERR_INVALID_PARAM",
		 sta_set((unsigned long)&shmem[0], 0, 1), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "set_shmem at an address not 64-byte aligned returns SBI_ERR_INVALID_PARAM",
		 sta_set((unsigned long)&shmem[0] + 32, 0, 0), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "set_shmem with shmem_phys_hi not zero returns SBI_ERR_INVALID_ADDRESS",
		 sta_set((unsigned long)&shmem[0], 1, 0), SBI_ERR_INVALID_ADDRESS);
	if (find_inaccessible(fdt, &bad))
		test_err(EXT, "set_shmem at memory S-mode cannot write returns SBI_ERR_INVALID_ADDRESS",
			 sta_set(bad & ~63UL, 0, 0), SBI_ERR_INVALID_ADDRESS);
}

/* Spin @ms; the total of the time jumps (in ns) and how many there were. */
static uint64_t spin_jumps(unsigned int ms, unsigned int *jumps)
{
	uint64_t end = rdtime64() + ms_to_ticks(ms), now, last = rdtime64();
	uint64_t total = 0, one_ms = ms_to_ticks(1);

	*jumps = 0;
	/* The jump that carries it past the end counts too. */
	do {
		now = rdtime64();
		if (now - last > one_ms) {
			total += now - last;
			(*jumps)++;
		}
		last = now;
	} while (now < end);
	return udiv64(total * 1000000000ULL, smp.timebase);
}

static void steal_checks(bool shared)
{
	volatile struct sta_shmem *s = &shmem[0];
	uint64_t before, after, jumped, slack;
	uint32_t seq0, seq1;
	unsigned int jumps, i;
	bool zero = true;

	memset(shmem, 0xff, sizeof(shmem));
	test_ret(EXT, "set_shmem of 64 aligned bytes of its RAM returns 0",
		 sta_set((unsigned long)&shmem[0], 0, 0), 0);
	for (i = 0; i < sizeof(shmem[0]); i++)
		zero = zero && ((volatile uint8_t *)&shmem[0])[i] == 0;
	test_check(zero && ((volatile uint8_t *)&shmem[1])[0] == 0xff, EXT,
		   "set_shmem zeroes the 64 bytes, and only those", "not so");

	before = read_steal(s, &seq0);
	jumped = spin_jumps(STEAL_MS, &jumps);
	after = read_steal(s, &seq1);
	test_check(s->preempted == 0, EXT, "preempted reads 0 while the vCPU runs",
		   "preempted %u", s->preempted);
	test_check(s->flags == 0, EXT, "flags reads 0", "flags %u", s->flags);
	if (shared) {
		slack = (uint64_t)jumps * JUMP_SLACK_US * 1000;
		test_check(jumps >= MIN_JUMPS, EXT,
			   "a shared hart: the vCPU was held off its hart while it spun",
			   "%u time jumps in %u ms (expected %u or more)", jumps,
			   STEAL_MS, MIN_JUMPS);
		test_check(seq1 > seq0 && (seq1 - seq0) % 2 == 0, EXT,
			   "the sequence moved on by a multiple of two",
			   "%u then %u", seq0, seq1);
		test_check(after - before <= jumped && after - before + slack >= jumped,
			   EXT, "steal grew by the time the vCPU was held off its hart",
			   "steal grew %llu ns, time jumped %llu ns in %u jumps",
			   (unsigned long long)(after - before),
			   (unsigned long long)jumped, jumps);
	} else {
		test_check(jumps == 0 && after == 0 && before == 0, EXT,
			   "a pinned vCPU on its own hart has no steal",
			   "steal %llu then %llu ns, %u time jumps",
			   (unsigned long long)before, (unsigned long long)after, jumps);
	}

	test_ret(EXT, "set_shmem with all-ones addresses (off) returns 0",
		 sta_set(~0UL, ~0UL, 0), 0);
	before = read_steal(s, &seq0);
	spin_jumps(shared ? 50 : 10, &jumps);
	after = read_steal(s, &seq1);
	test_check(after == before && seq1 == seq0, EXT,
		   "once off, the shared memory is no longer written",
		   "steal %llu -> %llu, sequence %u -> %u",
		   (unsigned long long)before, (unsigned long long)after, seq0, seq1);
}

int main(unsigned long hartid, const void *dtb)
{
	const char *args;
	struct fdt fdt;

	test_begin("sbi-sta");
	guest_fdt(&fdt, dtb);
	if (!test_cpus_usable(EXT, smp_init(&fdt, hartid)))
		return 0;
	args = guest_bootargs(&fdt);
	if (test_probe(EXT, "STA", SBI_EXT_STA)) {
		error_checks(&fdt);
		test_err(EXT, "an unknown FID returns SBI_ERR_NOT_SUPPORTED",
			 sbi_ecall(SBI_EXT_STA, 1, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED);
		steal_checks(args && !strcmp(args, "shared"));
	}
	test_done();
	return 0;
}
