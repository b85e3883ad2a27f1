/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hardware abstraction layer: everything hyp/ needs from the machine
 * and from OpenSBI. The firmware implements it in platform/diosix/; the
 * host unit tests link a fake that records calls. hyp/ calls nothing else.
 */
#ifndef HYP_HAL_H
#define HYP_HAL_H

#include <hyp/types.h>

struct container;
struct hyp_frame;
struct vcpu;

/*
 * On every trap path, so inline in the firmware (the platform's
 * dx_hal_fast.h); the host builds link plain functions:
 *
 * hal_hart_index   this physical hart's index (0 .. hal_hart_count() - 1)
 * hal_hart_count
 * hal_hart_runs_guests   true if the hart has S-mode and may run vCPUs
 * hal_time_now
 * hal_has_sstc     true if harts have Sstc, so a guest's timer is its own
 *                  stimecmp
 */
#ifdef HYP_HOST
unsigned int hal_hart_index(void);
unsigned int hal_hart_count(void);
bool hal_hart_runs_guests(unsigned int hart);
u64 hal_time_now(void);
bool hal_has_sstc(void);
#else
#include <dx_hal_fast.h>
#endif

/* --- harts ------------------------------------------------------------ */
/** Start a stopped hart so it enters the hypervisor. */
int hal_hart_start(unsigned int hart);
/** Interrupt another hart: it traps into the hypervisor soon. */
void hal_hart_kick(unsigned int hart);
/** Sleep until an interrupt is pending, then service the firmware's own. */
void hal_hart_idle(void);

/* --- time ------------------------------------------------------------- */
u64 hal_time_freq(void);
/** Program this hart's M-mode timer; ~0ULL disarms it. */
void hal_timer_set(u64 when);

/* --- guest state ------------------------------------------------------ */
/** Where the next trap from S/U-mode on this hart saves its registers. */
void hal_set_guest_frame(struct hyp_frame *f);
/** Save the running guest's S-mode CSRs into its vCPU. */
void hal_vcpu_save(struct vcpu *v);
/** Load a vCPU's S-mode CSRs, its container's PMP and OpenSBI domain. */
void hal_vcpu_load(struct vcpu *v);
/** Raise or drop the guest's supervisor timer interrupt (no-Sstc path). */
void hal_guest_stip(bool pending);
/**
 * Set and clear the running guest's pending S-mode interrupts (mip);
 * returns the pending ones from before.
 */
ulong hal_guest_sip(ulong set, ulong clear);
/** The running guest's satp (its page table, for hyp/gpt.c). */
ulong hal_guest_satp(void);
/** The instruction at a guest's @epc (for traps that give no mtval). */
int hal_guest_insn(ulong epc, ulong *insn);
/** Local fences on this hart for the running guest. */
void hal_fence_i(void);
void hal_sfence_vma(void);
/** Set a vCPU-visible stimecmp (Sstc path; running vCPU only). */
void hal_guest_stimecmp(u64 when);
/** The mstatus a guest starts with: MPP = S, read-only fields kept. */
ulong hal_guest_mstatus(void);
/**
 * Let OpenSBI handle a trap the hypervisor does not own. Whatever
 * OpenSBI prints meanwhile is held back for hal_trap_forward_text().
 */
struct hyp_frame *hal_trap_forward(struct hyp_frame *f);
/** What OpenSBI printed during this hart's last forward; then forgotten. */
#define HAL_FORWARD_TEXT_MAX	160
size_t hal_trap_forward_text(char *buf, size_t size);
/** The machine's mvendorid/marchid/mimpid, which guests may see. */
ulong hal_machine_id(int which);

/* --- memory ----------------------------------------------------------- */
/**
 * Zeroed memory from the firmware's heap, at boot, sized by what the
 * manifest holds; never freed. NULL when the heap has no room.
 */
void *hal_zalloc(size_t size);

/* --- vCPUs ------------------------------------------------------------ */
/**
 * Delegate misaligned load and store exceptions to S-mode on this hart,
 * or take them in M-mode (and emulate the access) again: FWFT's
 * MISALIGNED_EXC_DELEG of the vCPU that runs here.
 */
void hal_misaligned_deleg(bool on);
/*
 * Debug triggers (Sdtrig) for DBTR: the same on every hart, probed at
 * boot; a trigger's index is its tselect value.
 */
/** How many triggers S-mode may use (at most HYP_DBTR_MAX). */
unsigned int hal_dbtr_count(void);
/** The types trigger @idx can be (bit n: type n, as tinfo says). */
ulong hal_dbtr_types(unsigned int idx);
/** Program this hart's trigger @idx; a @tdata1 of 0 switches it off. */
void hal_dbtr_write(unsigned int idx, ulong tdata1, ulong tdata2, ulong tdata3);
/*
 * Hardware performance counters for PMU, on this hart: counter 0 is
 * mcycle, 2 is minstret.
 */
/** The ones a vCPU may have (bit i: counter i); 0 where harts cannot stop them. */
ulong hal_pmu_hw_mask(void);
u64 hal_pmu_read(unsigned int idx);
void hal_pmu_write(unsigned int idx, u64 val);
/**
 * Of the counters hal_pmu_hw_mask() names, those in @run count and the
 * others are inhibited; S-mode may read those in @visible.
 */
void hal_pmu_control(ulong run, ulong visible);
/**
 * Give @v's platform state (struct vcpu_arch) its power-on values: no FP,
 * V or H-extension state of its own yet, none held by any hart.
 */
void hal_vcpu_reset(struct vcpu *v);

/* --- containers ------------------------------------------------------- */
/** Create the container's protection domain (PMP image) at boot. */
int hal_container_init(struct container *c);
/** Pointer through which M-mode reaches guest physical memory. */
void *hal_phys(u64 pa);

/* --- the physical PLIC (the hypervisor's alone) ------------------------ */
/** Let device interrupt @src reach the hypervisor, or mask it. */
void hal_irq_enable(unsigned int src, bool on);
/** Claim the next device interrupt pending for this hart; 0 if none. */
unsigned int hal_irq_claim(void);
/** Complete @src: its gateway may forward the next request. */
void hal_irq_complete(unsigned int src);

/**
 * The rate in Hz of output @args[0..@nargs) of clock controller @node of
 * the board's tree @fdt, read from its registers; 0 if unknown.
 */
u32 hal_clock_rate(const void *fdt, int node, const u32 *args, unsigned int nargs);

/* --- console and machine ---------------------------------------------- */
void hal_console_write(const char *s, size_t len);
/** A byte of UART input, or -1 if none is waiting. */
int hal_console_getc(void);
/** Bytes of the firmware's heap in use (leak checks across restarts). */
unsigned long hal_heap_used(void);
void hal_poweroff(void) __attribute__((noreturn));

#endif
