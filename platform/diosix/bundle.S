/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The payload OpenSBI carries in fw_payload: a boot stub, a header, and
 * the manifest (whose images are inside it). OpenSBI enters the stub in
 * S-mode on the boot hart, and the hypervisor starts the other harts in
 * it too; the stub's only act is to ask the hypervisor to take the hart
 * over. The bundle is never mapped into any container.
 *
 * Build: cc -c -DMANIFEST_DTB='"path/manifest.dtb"' bundle.S, then
 * objcopy -O binary.
 */
#define SBI_EXT_DIOSIX		0x0A000005
#define SBI_DIOSIX_ENTER	0
#define BUNDLE_HEADER_OFFSET	0x40

	.section .text
	.option norvc
	.globl _start
_start:
	li	a7, SBI_EXT_DIOSIX
	li	a6, SBI_DIOSIX_ENTER
	ecall
	j	_start

	.org	BUNDLE_HEADER_OFFSET
header:
	.ascii	"DIOSIXB1"
	.word	manifest - _start
	.word	manifest_end - manifest

	.balign	4096
manifest:
	.incbin	MANIFEST_DTB
manifest_end:
