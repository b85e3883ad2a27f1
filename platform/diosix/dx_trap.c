// SPDX-License-Identifier: BSD-2-Clause
/*
 * The trap vector's set-up. Its entry (dx_entry.S) sends traps from M-mode
 * to OpenSBI's sbi_trap_handler and traps from a guest (or the boot stub)
 * to hyp_trap, with the frame both expect.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_error.h>
#include <sbi/sbi_scratch.h>
#include <sbi/sbi_trap.h>
#include <hyp/frame.h>
#include <hyp/hyp.h>
#include "dx.h"

/* The frame the asm entry saves into is OpenSBI's trap context. */
_Static_assert(sizeof(struct hyp_frame) == sizeof(struct sbi_trap_context),
	       "hyp_frame and sbi_trap_context differ in size");
_Static_assert(__builtin_offsetof(struct hyp_frame, regs.mepc) ==
	       SBI_TRAP_REGS_OFFSET(mepc), "mepc offset");
_Static_assert(__builtin_offsetof(struct hyp_frame, regs.mstatus) ==
	       SBI_TRAP_REGS_OFFSET(mstatus), "mstatus offset");
_Static_assert(__builtin_offsetof(struct hyp_frame, trap.cause) ==
	       SBI_TRAP_REGS_SIZE + SBI_TRAP_INFO_OFFSET(cause), "cause offset");
_Static_assert(__builtin_offsetof(struct hyp_frame, prev_context) ==
	       __builtin_offsetof(struct sbi_trap_context, prev_context),
	       "prev_context offset");
_Static_assert(HYP_REG_A7 * sizeof(ulong) == SBI_TRAP_REGS_OFFSET(a7), "a7");

/* Scratch offset of the word holding this hart's current guest frame. */
unsigned long dx_guest_frame_off __attribute__((visibility("hidden")));

extern char dx_trap_vector[];

int dx_trap_init(bool cold_boot)
{
	struct sbi_scratch *scratch = sbi_scratch_thishart_ptr();

	if (cold_boot) {
		dx_guest_frame_off = sbi_scratch_alloc_offset(sizeof(ulong));
		if (!dx_guest_frame_off)
			return SBI_ENOMEM;
	}
	dx_set_guest_frame(scratch, dx_boot_frame());
	csr_write(CSR_MTVEC, (ulong)dx_trap_vector);
	return 0;
}
