/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The manifest: a flattened device tree that says which containers a
 * firmware image holds (see images/example.dts for every field). It is
 * untrusted input, checked field by field; a bad container is reported
 * by name and field and left out, the others still run.
 */
#ifndef HYP_MANIFEST_H
#define HYP_MANIFEST_H

#include <hyp/config.h>
#include <hyp/devices.h>
#include <hyp/types.h>

enum restart_policy {
	RESTART_NEVER,		/* any SRST stops it */
	RESTART_ON_REBOOT,	/* an SRST reboot restarts it (default) */
	RESTART_ALWAYS,		/* restarted after shutdown or reboot */
};

struct manifest_ctr {
	char name[HYP_NAME_MAX];
	const void *image;
	size_t image_size;
	const void *initrd;
	size_t initrd_size;
	u64 memory;		/* bytes */
	u64 base;		/* fixed physical base, 0 = anywhere */
	unsigned int vcpus;
	const char *bootargs;	/* inside the manifest, NUL-terminated */
	enum restart_policy restart;
	bool pinned;
	bool stats;		/* print per-vCPU counters when it stops */
	/* devices: board paths, NUL-separated inside the manifest */
	const char *devices;
	size_t devices_len;
	unsigned int nr_devices;
	bool dma_trusted;	/* may own devices that master DMA */
	struct dev_grant dev[HYP_MAX_DEVICES];	/* resolved by devices_check */
	bool valid;		/* false: reported and left out */
};

/*
 * The parsed manifest. Its entries live where the caller puts them: the
 * firmware takes @cap entries from its heap, as many as manifest_count()
 * finds, so nothing is sized by the compile-time maxima.
 */
struct manifest {
	struct manifest_ctr *ctr;	/* set by the caller, @cap entries */
	unsigned int cap;
	unsigned int count;
	unsigned int dropped;	/* entries past HYP_MAX_CONTAINERS: reported, not kept */
	bool stay_up;		/* keep the machine on when all have stopped */
	bool trap_time;		/* guests' time CSR reads trap and are answered */
};

/**
 * Parse and validate a manifest blob of at most @max bytes for a machine
 * of @xlen bits, into the @m->cap entries at @m->ctr. Per-container problems are logged and mark that entry
 * invalid; a blob that is not a manifest at all returns HYP_EINVAL.
 */
int manifest_parse(const void *blob, size_t max, unsigned int xlen,
		   struct manifest *m);

/** Number of containers in @m that passed validation. */
unsigned int manifest_valid_count(const struct manifest *m);
/**
 * At most how many containers (*@ctrs) and vCPUs (*@vcpus) the manifest
 * can yield, within the firmware's limits; 0 and 0 if it is no manifest.
 * Counts only, before the heap exists: manifest_parse says what is wrong.
 */
void manifest_count(const void *blob, size_t max, unsigned int *ctrs,
		    unsigned int *vcpus);

/** Number of entries in @m's blob that will not run: invalid or dropped. */
unsigned int manifest_refused_count(const struct manifest *m);

/* Why a pinned container cannot have its harts (boot and manifest). */
#define MANIFEST_PIN_REFUSED \
	"%u dedicated harts are not free (one hart always stays shared)"

#endif
