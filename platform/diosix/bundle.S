/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The payload OpenSBI carries in fw_payload: a boot stub, a header, and
 * the manifest (whose images are inside it). OpenSBI enters the stub in
 * S-mode on the boot hart, and the hypervisor starts the other harts in
 * it too; the stub's only act is to ask the hypervisor to take the hart
 * over. The bundle is never mapped into any container.
 *
 * Build: cc -c -Ihyp/include -DMANIFEST_DTB='"path/manifest.dtb"' bundle.S,
 * then objcopy -O binary. The format is hyp/include/hyp/bundle.h.
 */
#include <hyp/bundle.h>

	.section .text
	.option norvc
	.globl _start
_start:
	li	a7, HYP_EXT_DIOSIX
	li	a6, HYP_DIOSIX_ENTER
	ecall
	j	_start

	/* struct bundle_header; .org fails the build if a field moved. */
	.org	BUNDLE_HEADER_OFFSET
header:
	.ascii	BUNDLE_MAGIC
	.org	header + BUNDLE_HDR_MANIFEST_OFF
	.word	manifest - _start
	.org	header + BUNDLE_HDR_MANIFEST_SIZE
	.word	manifest_end - manifest

	.balign	BUNDLE_MANIFEST_ALIGN
manifest:
	.incbin	MANIFEST_DTB
manifest_end:
