// SPDX-License-Identifier: BSD-2-Clause
/*
 * diosix as an OpenSBI platform. The board is described by its device
 * tree, like OpenSBI's generic platform; on top, the hypervisor reads its
 * manifest and registers a domain per container while OpenSBI boots,
 * installs its trap vector on every hart, and takes over each hart when
 * it first arrives in S-mode at the boot stub.
 */
#include <libfdt.h>
#include <sbi/riscv_asm.h>
#include <sbi/sbi_hart.h>
#include <sbi/sbi_hartmask.h>
#include <sbi/sbi_platform.h>
#include <sbi/sbi_string.h>
#include <sbi/sbi_tlb.h>
#include <sbi_utils/fdt/fdt_helper.h>
#include <sbi_utils/ipi/fdt_ipi.h>
#include <sbi_utils/irqchip/fdt_irqchip.h>
#include <sbi_utils/reset/fdt_reset.h>
#include <sbi_utils/serial/fdt_serial.h>
#include <sbi_utils/timer/fdt_timer.h>
#include <hyp/hyp.h>
#include "dx.h"

struct dx_hart_info dx_harts[SBI_HARTMASK_MAX_BITS];
unsigned int dx_nr_harts;
static u32 dx_hart_index2id[SBI_HARTMASK_MAX_BITS];

struct sbi_platform platform;

static bool cpu_has_s_mode(const void *fdt, int cpu)
{
	const char *mmu = fdt_getprop(fdt, cpu, "mmu-type", NULL);

	return mmu && sbi_strcmp(mmu, "riscv,none");
}

unsigned long fw_platform_init(unsigned long arg0, unsigned long arg1,
			       unsigned long arg2, unsigned long arg3,
			       unsigned long arg4)
{
	const void *fdt = (void *)arg1;
	int cpus, cpu, len;
	const char *model;
	u32 hartid;

	model = fdt_getprop(fdt, 0, "model", &len);
	if (model)
		sbi_strncpy(platform.name, model, sizeof(platform.name) - 1);
	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		goto fail;
	fdt_for_each_subnode(cpu, fdt, cpus) {
		if (fdt_parse_hart_id(fdt, cpu, &hartid) ||
		    hartid >= SBI_HARTMASK_MAX_BITS ||
		    !fdt_node_is_enabled(fdt, cpu) ||
		    dx_nr_harts == HYP_MAX_HARTS)
			continue;
		dx_harts[dx_nr_harts].hartid = hartid;
		dx_harts[dx_nr_harts].s_mode = cpu_has_s_mode(fdt, cpu);
		dx_hart_index2id[dx_nr_harts++] = hartid;
	}
	platform.hart_count = dx_nr_harts;
	platform.heap_size = dx_heap_size(dx_nr_harts, platform.hart_stack_size, arg1);
	return arg1;
fail:
	while (1)
		wfi();
}

/* The boot hart enters S-mode at the boot stub, so it must have S-mode. */
static bool dx_cold_boot_allowed(u32 hartid)
{
	unsigned int i;

	for (i = 0; i < dx_nr_harts; i++)
		if (dx_harts[i].hartid == hartid)
			return dx_harts[i].s_mode;
	return false;
}

static int dx_early_init(bool cold_boot)
{
	const void *fdt = fdt_get_address();
	int rc;

	if (!cold_boot)
		return 0;
	rc = fdt_serial_init(fdt);
	if (rc)
		return rc;
	fdt_reset_init(fdt);
	return dx_console_init();
}

static int dx_final_init(bool cold_boot)
{
	/* The manifest's trap-time: guests' rdtime traps to the vector. */
	if (hyp_trap_time)
		csr_clear(CSR_MCOUNTEREN, 1UL << (CSR_TIME - CSR_CYCLE));
	if (cold_boot)
		dx_plic_init();
	/* This hart's OpenSBI init has taken what it needs from the heap. */
	dx_heap_hart_ready();
	return dx_trap_init(cold_boot);
}

/*
 * Smepmp is hidden from OpenSBI. Seeing it, OpenSBI would set mseccfg.MML,
 * under which an entry without L is a rule for S/U-mode that M-mode may
 * not use: the entries that give a container its RAM would then keep the
 * hypervisor itself out of it (loading images, console buffers), and the
 * first access faults in M-mode. With mseccfg left at its reset value the
 * PMP has its classic meaning, which is what dx_domain.c programs.
 */
static int dx_extensions_init(struct sbi_hart_features *hfeatures)
{
	int rc = fdt_parse_isa_extensions(fdt_get_address(), current_hartid(),
					  hfeatures->extensions);

	__clear_bit(SBI_HART_EXT_SMEPMP, hfeatures->extensions);
	return rc;
}

/*
 * OpenSBI queues a remote fence in the target hart's TLB FIFO only for
 * its own RFENCE and legacy fence ecalls, and no guest ecall reaches
 * those: hyp/ answers them (vsbi_ipi.c) with its own requests. The
 * FIFO must exist (sbi_tlb_init allocates it on every hart), and one
 * entry is all it ever needs; OpenSBI's default, an entry per hart on
 * every hart, is 160 KiB of heap at 64 harts.
 */
u32 dx_tlb_num_entries(void)
{
	return 1;
}

const struct sbi_platform_operations platform_ops = {
	.cold_boot_allowed	= dx_cold_boot_allowed,
	.early_init		= dx_early_init,
	.final_init		= dx_final_init,
	.extensions_init	= dx_extensions_init,
	.domains_init		= dx_domains_init,
	.irqchip_init		= fdt_irqchip_init,
	.ipi_init		= fdt_ipi_init,
	.timer_init		= fdt_timer_init,
	.get_tlb_num_entries	= dx_tlb_num_entries,
};

struct sbi_platform platform = {
	.opensbi_version	= OPENSBI_VERSION,
	.platform_version	= SBI_PLATFORM_VERSION(0, 1),
	.name			= CONFIG_PLATFORM_DIOSIX_NAME,
	.features		= SBI_PLATFORM_DEFAULT_FEATURES,
	.hart_count		= SBI_HARTMASK_MAX_BITS,
	.hart_index2id		= dx_hart_index2id,
	.hart_stack_size	= SBI_PLATFORM_DEFAULT_HART_STACK_SIZE,
	.heap_size		= SBI_PLATFORM_DEFAULT_HEAP_SIZE(0),
	.platform_ops_addr	= (unsigned long)&platform_ops
};
