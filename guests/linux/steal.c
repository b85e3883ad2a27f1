// SPDX-License-Identifier: BSD-2-Clause
/*
 * steal: keeps every online CPU busy for SECONDS (default 3) of wall
 * time, one spinning process pinned to each, and prints how much of that
 * time each CPU's /proc/stat says was stolen (the "steal" column, which
 * Linux fills from SBI STA when the hypervisor offers it):
 *
 *	steal: <n> cpus busy for <ms> ms
 *	steal: cpu<i> <steal ms> ms of <elapsed ms> ms
 *	...
 *	steal: done
 *
 * The two reads of /proc/stat bracket the busy interval; <elapsed ms> is
 * CLOCK_MONOTONIC between them. The test (tests/system/cases.py,
 * linux612-steal) compares the share with what the overcommit predicts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CPUS 32

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* steal[i] = the steal column of line "cpu<i>", in USER_HZ ticks. */
static int read_steal(unsigned long long steal[MAX_CPUS], int ncpus)
{
	unsigned long long v[8];
	char line[256];
	int found = 0, cpu;
	FILE *f = fopen("/proc/stat", "r");

	if (!f) {
		perror("steal: /proc/stat");
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		/* cpu<N> user nice system idle iowait irq softirq steal ... */
		if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu,
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 9)
			continue;
		if (cpu >= 0 && cpu < ncpus) {
			steal[cpu] = v[7];
			found++;
		}
	}
	fclose(f);
	if (found != ncpus) {
		fprintf(stderr, "steal: /proc/stat lists %d of %d cpus\n", found, ncpus);
		return -1;
	}
	return 0;
}

static void spin_on(int cpu, long long until)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "steal: cpu%d: sched_setaffinity: %s\n", cpu, strerror(errno));
		_exit(1);
	}
	while (now_ms() < until)
		;
	_exit(0);
}

/* One busy process per CPU until `until`; 0 if all of them ran. */
static int spin_all(int ncpus, long long until)
{
	int cpu, status, bad = 0;
	pid_t pid;

	for (cpu = 0; cpu < ncpus; cpu++) {
		pid = fork();
		if (pid < 0) {
			perror("steal: fork");
			return -1;
		}
		if (pid == 0)
			spin_on(cpu, until);
	}
	while ((pid = wait(&status)) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad = 1;
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long long before[MAX_CPUS], after[MAX_CPUS];
	long seconds = argc > 1 ? strtol(argv[1], NULL, 10) : 3;
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	long hz = sysconf(_SC_CLK_TCK);
	long long t0, t1;
	int cpu;

	if (seconds < 1 || seconds > 60 || ncpus < 1 || ncpus > MAX_CPUS || hz < 1) {
		fprintf(stderr, "usage: steal [1-60 seconds] (%ld cpus, USER_HZ %ld)\n", ncpus, hz);
		return 2;
	}
	printf("steal: %ld cpus busy for %ld ms\n", ncpus, seconds * 1000);
	fflush(stdout);
	if (read_steal(before, ncpus))
		return 1;
	t0 = now_ms();
	if (spin_all(ncpus, t0 + seconds * 1000))
		return 1;
	t1 = now_ms();
	if (read_steal(after, ncpus))
		return 1;
	for (cpu = 0; cpu < ncpus; cpu++)
		printf("steal: cpu%d %llu ms of %lld ms\n", cpu,
		       (after[cpu] - before[cpu]) * 1000 / hz, t1 - t0);
	printf("steal: done\n");
	return 0;
}
