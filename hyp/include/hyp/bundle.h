/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The bundle, the payload OpenSBI carries: a boot stub, a header, the
 * manifest. This is the one definition of its format and of the
 * hypervisor's private call, shared the way OpenSBI's fw_dynamic.h is:
 * platform/diosix/bundle.S and the C code include it, while the Makefile,
 * platform/diosix/objects.mk, scripts/mk-sdcard.sh and tests/system read
 * the "#define NAME value" lines with a regex. So each value stays a plain
 * literal on its own #define line, with no expression and no macro in it.
 */
#ifndef HYP_BUNDLE_H
#define HYP_BUNDLE_H

/*
 * The boot stub's call, the hypervisor's own EID in the firmware-specific
 * range: "take this hart over" (hyp_enter). Guests never see it: once a
 * vCPU runs, it is an unknown extension like any other.
 */
#define HYP_EXT_DIOSIX			0x0A000005
#define HYP_DIOSIX_ENTER		0

/* The header, at a fixed offset from the bundle's start (after the stub). */
#define BUNDLE_HEADER_OFFSET		0x40
#define BUNDLE_MAGIC			"DIOSIXB1"
#define BUNDLE_MAGIC_LEN		8
/* Byte offsets of the header's two 32-bit words, from the header. */
#define BUNDLE_HDR_MANIFEST_OFF		8
#define BUNDLE_HDR_MANIFEST_SIZE	12
/* The manifest DTB starts on this boundary, from the bundle's start. */
#define BUNDLE_MANIFEST_ALIGN		4096

/*
 * Where the bundle sits from the firmware's start (OpenSBI's
 * FW_PAYLOAD_OFFSET, and where U-Boot SPL loads it on a board): 4 MiB,
 * a boundary a Linux guest's RAM may start on for either XLEN. The
 * firmware, its per-hart stacks and its heap must end below it; at 64
 * harts, 64 containers and 256 vCPUs they take about 2.3 MiB.
 */
#define BUNDLE_PAYLOAD_OFFSET		0x400000

#ifndef __ASSEMBLER__
#include <hyp/types.h>

struct bundle_header {
	char magic[BUNDLE_MAGIC_LEN];
	u32 manifest_off;	/* from the bundle's start */
	u32 manifest_size;
};

_Static_assert(__builtin_offsetof(struct bundle_header, manifest_off) ==
	       BUNDLE_HDR_MANIFEST_OFF, "bundle header layout");
_Static_assert(__builtin_offsetof(struct bundle_header, manifest_size) ==
	       BUNDLE_HDR_MANIFEST_SIZE, "bundle header layout");
#endif

#endif
