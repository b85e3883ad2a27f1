// SPDX-License-Identifier: BSD-2-Clause
/*
 * echo: an interactive guest for the console tests. Prints
 * "echo ready", then reads input with the legacy getchar call (as Linux's
 * hvc0 does: polling, -1 when nothing waits) and answers each line with
 * "echo got <line>". The line "quit" shuts it down; "reboot" asks for an
 * SRST warm reboot. Waits with WFI between polls (the hypervisor wakes it
 * on its timer), so an idle echo does not burn its hart.
 */
#include "rt.h"
#include "csr.h"

#define LINE_MAX	80
#define SBI_SRST	0x53525354
#define POLL_TICKS	100000	/* 10 ms at QEMU virt's 10 MHz timebase */

static long getchar_legacy(void)
{
	return sbi_ecall(0x02, 0, 0, 0, 0, 0, 0, 0).error;
}

/* Sleep a little: a timer a few ms out, then WFI until it fires. */
static void nap(void)
{
	uint64_t when = rdtime64() + POLL_TICKS;

	sbi_ecall(0x54494D45, 0, (unsigned long)when,
		  sizeof(long) == 4 ? (unsigned long)(when >> 32) : 0, 0, 0, 0, 0);
	__asm__ volatile("csrs sie, %0" : : "r"(1UL << 5));
	__asm__ volatile("wfi");
	__asm__ volatile("csrc sie, %0" : : "r"(1UL << 5));
}

static void answer(const char *line)
{
	if (!strcmp(line, "quit")) {
		puts("echo bye");
		shutdown();
	}
	if (!strcmp(line, "reboot")) {
		puts("echo rebooting");
		sbi_ecall(SBI_SRST, 0, 2, 0, 0, 0, 0, 0);
		puts("FAIL echo: reboot returned");
	}
	printf("echo got %s\n", line);
}

int main(unsigned long hartid, const void *dtb)
{
	char line[LINE_MAX + 1];
	size_t len = 0;
	long ch;

	(void)hartid;
	(void)dtb;
	puts("echo ready");
	for (;;) {
		ch = getchar_legacy();
		if (ch < 0) {
			nap();
			continue;
		}
		if (ch == '\r' || ch == '\n') {
			line[len] = '\0';
			if (len)
				answer(line);
			len = 0;
		} else if (len < LINE_MAX) {
			line[len++] = (char)ch;
		}
	}
}
