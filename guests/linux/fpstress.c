// SPDX-License-Identifier: BSD-2-Clause
/*
 * fpstress: do a process's floating-point registers survive everything
 * between it and the hardware? Linux switches FP state lazily by
 * sstatus.FS, and under diosix that FS is the hardware's mstatus.FS, so
 * a hypervisor that touches it (or trusts it) corrupts tasks' registers.
 *
 *	fpstress [processes [rounds]]	(default 8 processes, 40 rounds)
 *
 * Forks the processes (more than the container has vCPUs, so Linux
 * switches between them); each, round after round, loads f0-f31 and
 * fcsr with a pattern of its own, spins on integer code for 25 ms
 * (yielding now and then, so Linux's own task switches come in between
 * as well as the hypervisor's), then checks every register. Prints
 *
 *	fpstress: <n> processes, <r> rounds each
 *	fpstress: <n> processes x <r> rounds ok
 *
 * or "FAIL fpstress: ..." lines, and exits 1 on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SPIN_NS		25000000L
#define YIELD_NS	2000000L

#define FP_REGS(op)							\
	op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7)			\
	op(8) op(9) op(10) op(11) op(12) op(13) op(14) op(15)		\
	op(16) op(17) op(18) op(19) op(20) op(21) op(22) op(23)		\
	op(24) op(25) op(26) op(27) op(28) op(29) op(30) op(31)
#define FLD(n)	"fld f" #n ", " #n "*8(%0)\n"
#define FSD(n)	"fsd f" #n ", " #n "*8(%0)\n"

struct fp_state {
	uint64_t f[32];
	unsigned long fcsr;
};

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void fp_load(const struct fp_state *s)
{
	__asm__ volatile(FP_REGS(FLD) : : "r"(s->f) : "memory");
	__asm__ volatile("fscsr %0" : : "r"(s->fcsr));
}

static void fp_store(struct fp_state *s)
{
	__asm__ volatile(FP_REGS(FSD) : : "r"(s->f) : "memory");
	__asm__ volatile("frcsr %0" : "=r"(s->fcsr));
}

static void fill(struct fp_state *s, int proc, int round)
{
	int i;

	for (i = 0; i < 32; i++)
		s->f[i] = ((uint64_t)proc << 56 | (uint64_t)round << 40 | (uint64_t)i << 32 |
			   0x5a5a) * 0x9e3779b97f4a7c15ULL + 1;
	/* fflags and a valid rounding mode */
	s->fcsr = (unsigned long)(proc + round) % 32 | (unsigned long)(round % 5) << 5;
}

/* Integer work only, so the compiler keeps its hands off f0-f31. */
static unsigned long spin(void)
{
	long end = now_ns() + SPIN_NS, next_yield = now_ns() + YIELD_NS, t;
	unsigned long x = 1;

	while ((t = now_ns()) < end) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		if (t >= next_yield) {
			sched_yield();
			next_yield = t + YIELD_NS;
		}
	}
	return x;
}

static int child(int proc, int rounds)
{
	struct fp_state want, got;
	volatile unsigned long sink;
	int round, i;

	for (round = 0; round < rounds; round++) {
		fill(&want, proc, round);
		fp_load(&want);
		sink = spin();
		fp_store(&got);
		(void)sink;
		for (i = 0; i < 32; i++) {
			if (got.f[i] != want.f[i]) {
				printf("FAIL fpstress: process %d round %d: f%d is 0x%016llx, "
				       "not 0x%016llx\n", proc, round, i,
				       (unsigned long long)got.f[i],
				       (unsigned long long)want.f[i]);
				return 1;
			}
		}
		if (got.fcsr != want.fcsr) {
			printf("FAIL fpstress: process %d round %d: fcsr is 0x%lx, not 0x%lx\n",
			       proc, round, got.fcsr, want.fcsr);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int procs = argc > 1 ? atoi(argv[1]) : 8;
	int rounds = argc > 2 ? atoi(argv[2]) : 40;
	int i, failed = 0, status;

	if (procs < 1 || procs > 256 || rounds < 1) {
		fprintf(stderr, "usage: fpstress [processes (1-256) [rounds]]\n");
		return 2;
	}
	printf("fpstress: %d processes, %d rounds each\n", procs, rounds);
	fflush(stdout);
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			printf("FAIL fpstress: fork: process %d\n", i);
			return 1;
		}
		if (pid == 0) {
			status = child(i, rounds);
			fflush(stdout);
			_exit(status);
		}
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	if (failed) {
		printf("FAIL fpstress: %d of %d processes found their FP registers changed\n",
		       failed, procs);
		return 1;
	}
	printf("fpstress: %d processes x %d rounds ok\n", procs, rounds);
	return 0;
}
