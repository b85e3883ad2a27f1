// SPDX-License-Identifier: BSD-2-Clause
/*
 * isolation: try to touch memory that is not ours and check that each
 * attempt is refused. Targets come only from bootargs, as
 * "<label>=0x<addr>" tokens, e.g. "fw=0x80000000 uart=0x10000000".
 *
 * Each target gets a word read, a word write, a DBCN console_write of
 * 8 bytes from it and a legacy send_ipi with its address as the hart
 * mask pointer; each attempt prints one PASS or FAIL line. Last,
 * MRET_TRIES machine-mode returns from S-mode, each of which must be an
 * illegal instruction (and must not let the firmware flood the UART:
 * the system test checks what the hypervisor prints about them).
 */
#include "rt.h"
#include "sbi_ext.h"

#define POISON		0xdeadbeef
#define DBCN_PROBE_LEN	8
#define MRET_TRIES	20
#define CAUSE_ILLEGAL	2

struct target {
	const char *label;
	int label_len;
	unsigned long addr;
};

struct tally {
	unsigned int passed;
	unsigned int failed;
};

static void try_read(const struct target *t, struct tally *tally)
{
	uint32_t val = 0;
	unsigned long cause = probe_read(t->addr, &val);

	if (cause == CAUSE_LOAD_ACCESS) {
		printf("PASS read %.*s 0x%lx: access fault\n",
		       t->label_len, t->label, t->addr);
		tally->passed++;
		return;
	}
	if (cause == 0)
		printf("FAIL read %.*s 0x%lx: no fault (read 0x%x)\n",
		       t->label_len, t->label, t->addr, (unsigned int)val);
	else
		printf("FAIL read %.*s 0x%lx: scause %lu\n",
		       t->label_len, t->label, t->addr, cause);
	tally->failed++;
}

static void try_write(const struct target *t, struct tally *tally)
{
	unsigned long cause = probe_write(t->addr, POISON);

	if (cause == CAUSE_STORE_ACCESS) {
		printf("PASS write %.*s 0x%lx: access fault\n",
		       t->label_len, t->label, t->addr);
		tally->passed++;
		return;
	}
	if (cause == 0)
		printf("FAIL write %.*s 0x%lx: no fault\n",
		       t->label_len, t->label, t->addr);
	else
		printf("FAIL write %.*s 0x%lx: scause %lu\n",
		       t->label_len, t->label, t->addr, cause);
	tally->failed++;
}

/* SBI must not read memory for us that we may not read ourselves. */
static void try_dbcn(const struct target *t, struct tally *tally)
{
	struct sbiret ret = sbi_dbcn_write(t->addr, DBCN_PROBE_LEN);

	if (ret.error == SBI_ERR_INVALID_PARAM) {
		printf("PASS dbcn %.*s 0x%lx: error -3\n",
		       t->label_len, t->label, t->addr);
		tally->passed++;
		return;
	}
	printf("FAIL dbcn %.*s 0x%lx: error %ld value %ld\n",
	       t->label_len, t->label, t->addr, ret.error, ret.value);
	tally->failed++;
}

static void try_mret(struct tally *tally)
{
	unsigned long cause = 0;
	int i;

	for (i = 0; i < MRET_TRIES && (cause = probe_mret()) == CAUSE_ILLEGAL; i++)
		;
	if (i == MRET_TRIES) {
		printf("PASS mret x%d: illegal instruction\n", MRET_TRIES);
		tally->passed++;
		return;
	}
	printf("FAIL mret %d: scause %lu\n", i + 1, cause);
	tally->failed++;
}

/*
 * A v0.1 hart mask is a pointer the SBI reads for us: one that points
 * at memory we may not read must be refused (SBI_ERR_INVALID_ADDRESS),
 * not read, whatever a PMP implementation lets M-mode do.
 */
static void try_legacy_mask(const struct target *t, struct tally *tally)
{
	struct sbiret ret = sbi_ecall(SBI_LEGACY_SEND_IPI, 0, t->addr, 0, 0, 0, 0, 0);

	if (ret.error == SBI_ERR_INVALID_ADDRESS) {
		printf("PASS legacy-ipi mask %.*s 0x%lx: error -5\n",
		       t->label_len, t->label, t->addr);
		tally->passed++;
		return;
	}
	printf("FAIL legacy-ipi mask %.*s 0x%lx: error %ld\n",
	       t->label_len, t->label, t->addr, ret.error);
	tally->failed++;
}

/* "<label>=0x<hex>", label non-empty, address within one register. */
static bool parse_target(const char *tok, size_t len, struct target *t)
{
	size_t label_len;
	uint64_t addr;

	if (!parse_label_hex(tok, len, &label_len, &addr) ||
	    addr != (unsigned long)addr)
		return false;
	t->label = tok;
	t->label_len = (int)label_len;
	t->addr = (unsigned long)addr;
	return true;
}

int main(unsigned long hartid, const void *dtb)
{
	struct tally tally = { 0, 0 };
	struct target t;
	struct fdt fdt;
	const char *cursor, *tok;
	size_t len;

	(void)hartid;
	guest_fdt(&fdt, dtb);
	cursor = guest_bootargs(&fdt);
	if (!cursor) {
		puts("FAIL isolation: no targets in bootargs");
		tally.failed++;
		cursor = "";
	}

	while (next_token(&cursor, &tok, &len)) {
		if (!parse_target(tok, len, &t)) {
			printf("FAIL bad target '%.*s'\n", (int)len, tok);
			tally.failed++;
			continue;
		}
		try_read(&t, &tally);
		try_write(&t, &tally);
		try_dbcn(&t, &tally);
		try_legacy_mask(&t, &tally);
	}

	try_mret(&tally);
	printf("isolation done: %u passed, %u failed\n",
	       tally.passed, tally.failed);
	shutdown();
}
