// SPDX-License-Identifier: BSD-2-Clause
/*
 * manifest-check: the firmware's own manifest validation and memory
 * placement, run on the host at build time against a target's RAM model,
 * so a broken manifest is caught before it is ever flashed. Messages are
 * word for word those the firmware prints at boot.
 *
 *   manifest-check --xlen 64|32 --ram BASE:MIB [--reserve BASE:BYTES]... \
 *                  [--pmp-regions N] [--board BOARD.dtb] manifest.dtb
 *
 * --board is the board's device tree (for QEMU, what -machine dumpdtb=
 * writes): with it the containers' devices are checked as at boot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hyp/config.h>
#include <hyp/devices.h>
#include <hyp/manifest.h>
#include <hyp/place.h>

static void usage(void)
{
	fprintf(stderr, "usage: manifest-check --xlen 64|32 --ram BASE:MIB "
		"[--reserve BASE:BYTES]... [--pmp-regions N] [--board BOARD.dtb] manifest.dtb\n");
	exit(2);
}

static void parse_pair(const char *s, unsigned long long *a, unsigned long long *b)
{
	char *end;

	errno = 0;
	*a = strtoull(s, &end, 0);
	if (*end != ':' || errno)
		usage();
	*b = strtoull(end + 1, &end, 0);
	if (*end || errno)
		usage();
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(2);
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	static struct manifest man;
	struct mem_range *placed;
	unsigned long long a, b;
	unsigned int xlen = 0, pmp = HYP_MAX_REGIONS, i, bad, vcpus;
	struct mem_map free;
	const char *path = NULL, *board_path = NULL;
	static struct board board;
	size_t size, board_size;
	void *blob;

	mem_map_init(&free);
	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--xlen") && i + 1 < (unsigned int)argc) {
			xlen = (unsigned int)atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--ram") && i + 1 < (unsigned int)argc) {
			parse_pair(argv[++i], &a, &b);
			mem_map_add(&free, a, b << 20);
		} else if (!strcmp(argv[i], "--reserve") && i + 1 < (unsigned int)argc) {
			parse_pair(argv[++i], &a, &b);
			mem_map_reserve(&free, a, b);
		} else if (!strcmp(argv[i], "--pmp-regions") && i + 1 < (unsigned int)argc) {
			pmp = (unsigned int)atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--board") && i + 1 < (unsigned int)argc) {
			board_path = argv[++i];
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			usage();
		}
	}
	if (!path || (xlen != 32 && xlen != 64) || !free.count)
		usage();

	blob = read_file(path, &size);
	/* Sized as the firmware sizes them (boot.c), so both see the same. */
	manifest_count(blob, size, &man.cap, &vcpus);
	man.ctr = calloc(man.cap + 1, sizeof(*man.ctr));
	placed = calloc(man.cap + 1, sizeof(*placed));
	if (!man.ctr || !placed) {
		perror("manifest-check");
		return 2;
	}
	if (manifest_parse(blob, size, xlen, &man))
		return 1;
	if (board_path) {
		board_init(&board, read_file(board_path, &board_size), pmp);
		board.clocks_at_boot = true;
		devices_check(&man, &board);
	}
	place_containers(&man, &free, pmp, placed);
	/* Those past HYP_MAX_CONTAINERS too: the boot drops them. */
	bad = manifest_refused_count(&man);
	if (bad || !man.count) {
		printf("manifest-check: %s: %u of %u containers fail the check\n",
		       path, bad, man.count + man.dropped);
		return 1;
	}
	return 0;
}
