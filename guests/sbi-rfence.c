// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-rfence: SBI v2.0 RFENCE extension (chapter 8) and the hart mask
 * rules of chapter 3 (see sbi-ipi.c), from the boot hart.
 *
 * "The remote fence operation applies to the entire address space if
 * either start_addr and size are both 0, or size is equal to 2^XLEN-1."
 * The HFENCE functions are "only valid for harts implementing
 * hypervisor extension" and return SBI_ERR_NOT_SUPPORTED when "not
 * implemented or one of the target hart doesn't support hypervisor
 * extension". Which harts support H is what the device tree says
 * (riscv,isa / riscv,isa-extensions): without H on this hart the calls
 * must return SBI_ERR_NOT_SUPPORTED; with H the spec allows 0 or
 * SBI_ERR_NOT_SUPPORTED, and either passes.
 *
 * Single hart: nothing here needs a second hart ("all harts" calls
 * include whichever other harts exist, started or not); the lines are
 * the same for every hart count. Output, in order:
 *
 *	PASS rfence: probe_extension(RFENCE) is non-zero
 *	PASS rfence: remote_fence_i to this hart returns 0
 *	PASS rfence: remote_fence_i to all harts returns 0
 *	PASS rfence: remote_sfence_vma whole space to this hart returns 0
 *	PASS rfence: remote_sfence_vma one page to this hart returns 0
 *	PASS rfence: remote_sfence_vma size 2^XLEN-1 to this hart returns 0
 *	PASS rfence: remote_sfence_vma whole space to all harts returns 0
 *	PASS rfence: remote_sfence_vma one page to all harts returns 0
 *	PASS rfence: remote_sfence_vma_asid whole space to this hart returns 0
 *	PASS rfence: remote_sfence_vma_asid one page to this hart returns 0
 *	PASS rfence: remote_sfence_vma_asid whole space to all harts returns 0
 *	PASS rfence: remote_fence_i with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM
 *	PASS rfence: remote_sfence_vma with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM
 *	PASS rfence: remote_sfence_vma_asid with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM
 *	PASS rfence: remote_hfence_gvma_vmid to this hart follows the hart's H extension
 *	PASS rfence: remote_hfence_gvma to this hart follows the hart's H extension
 *	PASS rfence: remote_hfence_vvma_asid to this hart follows the hart's H extension
 *	PASS rfence: remote_hfence_vvma to this hart follows the hart's H extension
 *	sbi-rfence done: 18 passed, 0 failed
 *
 * Known: stock OpenSBI 1.6 drops invalid hart ids from the mask and
 * returns 0 (sbi_ipi_send_many), so the three INVALID_PARAM lines FAIL
 * there.
 */
#include "rt.h"
#include "sbitest.h"

#define EXT	"rfence"
#define PAGE	4096UL

struct fence {
	const char *what;
	unsigned long fid;
	bool all;			/* hart_mask_base -1, else this hart */
	unsigned long start, size;
};

static const struct fence fences[] = {
	{ "remote_fence_i to this hart returns 0",
	  SBI_RFENCE_FENCE_I, false, 0, 0 },
	{ "remote_fence_i to all harts returns 0",
	  SBI_RFENCE_FENCE_I, true, 0, 0 },
	{ "remote_sfence_vma whole space to this hart returns 0",
	  SBI_RFENCE_SFENCE_VMA, false, 0, 0 },
	{ "remote_sfence_vma one page to this hart returns 0",
	  SBI_RFENCE_SFENCE_VMA, false, 0x80200000UL, PAGE },
	{ "remote_sfence_vma size 2^XLEN-1 to this hart returns 0",
	  SBI_RFENCE_SFENCE_VMA, false, 0, ~0UL },
	{ "remote_sfence_vma whole space to all harts returns 0",
	  SBI_RFENCE_SFENCE_VMA, true, 0, 0 },
	{ "remote_sfence_vma one page to all harts returns 0",
	  SBI_RFENCE_SFENCE_VMA, true, 0x80200000UL, PAGE },
	{ "remote_sfence_vma_asid whole space to this hart returns 0",
	  SBI_RFENCE_SFENCE_VMA_ASID, false, 0, 0 },
	{ "remote_sfence_vma_asid one page to this hart returns 0",
	  SBI_RFENCE_SFENCE_VMA_ASID, false, 0x80200000UL, PAGE },
	{ "remote_sfence_vma_asid whole space to all harts returns 0",
	  SBI_RFENCE_SFENCE_VMA_ASID, true, 0, 0 },
};

static const struct {
	const char *what;
	unsigned long fid;
} bad_mask[] = {
	{ "remote_fence_i with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM",
	  SBI_RFENCE_FENCE_I },
	{ "remote_sfence_vma with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM",
	  SBI_RFENCE_SFENCE_VMA },
	{ "remote_sfence_vma_asid with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM",
	  SBI_RFENCE_SFENCE_VMA_ASID },
};

static const struct {
	const char *what;
	unsigned long fid;
} hfences[] = {
	{ "remote_hfence_gvma_vmid to this hart follows the hart's H extension",
	  SBI_RFENCE_HFENCE_GVMA_VMID },
	{ "remote_hfence_gvma to this hart follows the hart's H extension",
	  SBI_RFENCE_HFENCE_GVMA },
	{ "remote_hfence_vvma_asid to this hart follows the hart's H extension",
	  SBI_RFENCE_HFENCE_VVMA_ASID },
	{ "remote_hfence_vvma to this hart follows the hart's H extension",
	  SBI_RFENCE_HFENCE_VVMA },
};

int main(unsigned long hartid, const void *dtb)
{
	struct fdt fdt;
	struct sbiret ret;
	unsigned int i;
	bool ok;

	test_begin("sbi-rfence");
	guest_fdt(&fdt, dtb);
	if (!test_cpus_usable(EXT, smp_init(&fdt, hartid)))
		return 0;

	if (!test_probe(EXT, "RFENCE", SBI_EXT_RFENCE)) {
		test_done();
		return 0;
	}

	/* asid / vmid 0: always a valid value. */
	for (i = 0; i < sizeof(fences) / sizeof(fences[0]); i++) {
		const struct fence *f = &fences[i];

		ret = sbi_rfence(f->fid, f->all ? 0 : 1,
				 f->all ? SBI_HART_MASK_ALL : hartid,
				 f->start, f->size, 0);
		test_err(EXT, f->what, ret, SBI_SUCCESS);
	}

	for (i = 0; i < sizeof(bad_mask) / sizeof(bad_mask[0]); i++) {
		ret = sbi_rfence(bad_mask[i].fid, 1, smp.invalid_id, 0, 0, 0);
		test_err(EXT, bad_mask[i].what, ret, SBI_ERR_INVALID_PARAM);
	}

	/* The target is this hart: its riscv,isa decides. */
	for (i = 0; i < sizeof(hfences) / sizeof(hfences[0]); i++) {
		ret = sbi_rfence(hfences[i].fid, 1, hartid, 0, 0, 0);
		if (smp.has_h[smp.self]) {
			ok = ret.error == SBI_SUCCESS ||
			     ret.error == SBI_ERR_NOT_SUPPORTED;
			test_check(ok, EXT, hfences[i].what,
				   "error %ld (expected 0 or -2: H in riscv,isa)",
				   ret.error);
		} else {
			test_check(ret.error == SBI_ERR_NOT_SUPPORTED, EXT,
				   hfences[i].what,
				   "error %ld (expected -2: no H in riscv,isa)",
				   ret.error);
		}
	}

	test_done();
	return 0;
}
