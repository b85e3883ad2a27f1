/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Glue between OpenSBI and hyp/, private to this platform.
 */
#ifndef DX_H
#define DX_H

#include <sbi/sbi_scratch.h>
#include <sbi/sbi_types.h>
#include <hyp/config.h>

struct container;
struct hyp_frame;
struct vcpu;

#define DX_MAX_PMP	16

#include <dx_hal_fast.h>

extern unsigned long dx_guest_frame_off;
extern unsigned long dx_stub_addr;

static inline void dx_set_guest_frame(struct sbi_scratch *scratch, void *f)
{
	*(unsigned long *)sbi_scratch_offset_ptr(scratch, dx_guest_frame_off) =
		(unsigned long)f;
}

struct hyp_frame *dx_boot_frame(void);
/* Cold boot, once the UART is known: OpenSBI's console goes through us. */
int dx_console_init(void);
/* hyp/'s terminal bytes, to the board's UART as they are. */
void dx_console_write(const char *s, unsigned long len);
/* Hold this hart's OpenSBI output (while it handles a guest's trap). */
void dx_console_capture(bool on);
int dx_trap_init(bool cold_boot);
int dx_domains_init(void);
/* Platform init, before the heap exists: the heap this firmware needs. */
unsigned long dx_heap_size(unsigned int harts, unsigned long stack_size,
			   unsigned long fdt);
/*
 * The heap's reserve for OpenSBI's per-hart init (dx_heap.c): set for
 * @harts on the boot hart before hyp/ allocates, each hart's share
 * released when its init is done; dx_zalloc keeps out of it.
 */
void dx_heap_reserve(unsigned int harts);
void dx_heap_hart_ready(void);
bool dx_heap_room(unsigned long size);
void *dx_zalloc(unsigned long size);
/* Entries in each hart's TLB FIFO (platform.c). */
u32 dx_tlb_num_entries(void);
/* What one container's protection domain takes from the heap. */
unsigned long dx_domain_size(void);
/* Run @c's domain on this hart, whose index is @hart. */
void dx_domain_enter(struct container *c, unsigned int hart);
/* Back to the root (firmware) domain, as a reset needs. */
void dx_domain_leave(void);

/* Cold boot, on the boot hart: route device interrupts to it (dx_plic.c). */
void dx_plic_init(void);

/* The board's one mtime register, or 0 (dx_boot.c). */
unsigned long dx_mtime_address(void);
/* Boot hart: where each hart's mtimecmp is, if it can be written directly. */
void dx_mtimecmp_init(void);
/* Boot hart, before any guest: the facts of dx_hal_fast.h. */
void dx_facts_init(void);
/* Boot hart, before any guest: the harts' debug triggers (DBTR). */
void dx_dbtr_init(void);
/* Boot hart, before any guest: which counters vCPUs may have (PMU). */
void dx_pmu_init(void);
/* Boot hart, before any guest: whether harts have H, its reset state. */
void dx_h_init(void);
void dx_h_save(struct vcpu *v);
void dx_h_load(const struct vcpu *v);

void dx_fp_save(struct vcpu *v);
void dx_fp_load(struct vcpu *v);

/* Boot hart, before the heap: VLENB; the heap @vcpus' V registers need. */
unsigned long dx_vec_init(unsigned int vcpus);
/* What @c's vCPUs' V registers take from the heap. */
unsigned long dx_vec_size(const struct container *c);
/* Each vCPU's V register area, from the heap (once, at creation). */
int dx_vec_alloc(struct container *c);
void dx_vec_save(struct vcpu *v);
void dx_vec_load(struct vcpu *v);

#endif
