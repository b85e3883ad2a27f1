// SPDX-License-Identifier: BSD-2-Clause
/*
 * The physical PLIC, for device interrupts given to containers
 * (hyp/devices.c). OpenSBI's PLIC driver has set every context's
 * threshold to 7 and cleared every enable; it never takes an external
 * interrupt itself. Here the boot hart's M-mode context becomes the one
 * every passed-through source is routed to: its threshold goes to 0 and
 * mie.MEIE is set on that hart, and a source is enabled there (priority
 * 1) only while its container runs. The S-mode contexts stay unused:
 * guests see their virtual PLIC instead.
 */
#include <libfdt.h>
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/riscv_io.h>
#include <sbi/riscv_locks.h>
#include <sbi/sbi_scratch.h>
#include <sbi_utils/fdt/fdt_helper.h>
#include <hyp/hal.h>
#include "dx.h"

#define PLIC_PRIORITY		0x0
#define PLIC_ENABLE		0x2000
#define PLIC_ENABLE_STRIDE	0x80
#define PLIC_CONTEXT		0x200000
#define PLIC_CONTEXT_STRIDE	0x1000
#define PLIC_CLAIM		0x4
#define IRQ_M_EXTERNAL		11

static unsigned long plic_base;
static int route_ctx = -1;
static unsigned int route_hart;
static spinlock_t plic_lock = SPIN_LOCK_INITIALIZER;

static int find_plic(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");

	return node >= 0 ? node : fdt_node_offset_by_compatible(fdt, -1, "sifive,plic-1.0.0");
}

/* The context index of this hart's M-mode context in @node's list. */
static int m_context(const void *fdt, int node)
{
	const fdt32_t *ext;
	int len, i, intc, cpu;
	u32 hartid;

	ext = fdt_getprop(fdt, node, "interrupts-extended", &len);
	for (i = 0; ext && i + 1 < len / 4; i += 2) {
		if (fdt32_to_cpu(ext[i + 1]) != IRQ_M_EXTERNAL)
			continue;
		intc = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(ext[i]));
		cpu = intc >= 0 ? fdt_parent_offset(fdt, intc) : -1;
		if (cpu >= 0 && !fdt_parse_hart_id(fdt, cpu, &hartid) &&
		    hartid == current_hartid())
			return i / 2;
	}
	return -1;
}

void dx_plic_init(void)
{
	const void *fdt = fdt_get_address();
	uint64_t addr, size;
	int node = find_plic(fdt);

	if (node < 0 || fdt_get_node_addr_size(fdt, node, 0, &addr, &size))
		return;
	route_ctx = m_context(fdt, node);
	if (route_ctx < 0)
		return;
	plic_base = (unsigned long)addr;
	route_hart = current_hartindex();
	writel(0, (void *)(plic_base + PLIC_CONTEXT +
			   route_ctx * PLIC_CONTEXT_STRIDE));
	csr_set(CSR_MIE, MIP_MEIP);
}

static void *enable_word(unsigned int src)
{
	return (void *)(plic_base + PLIC_ENABLE + route_ctx * PLIC_ENABLE_STRIDE +
			(src / 32) * 4);
}

static void *claim_reg(void)
{
	return (void *)(plic_base + PLIC_CONTEXT + route_ctx * PLIC_CONTEXT_STRIDE +
			PLIC_CLAIM);
}

void hal_irq_enable(unsigned int src, bool on)
{
	u32 bit = 1U << (src % 32), word;

	if (route_ctx < 0)
		return;
	spin_lock(&plic_lock);
	writel(on ? 1 : 0, (void *)(plic_base + PLIC_PRIORITY + src * 4));
	word = readl(enable_word(src));
	writel(on ? word | bit : word & ~bit, enable_word(src));
	spin_unlock(&plic_lock);
}

unsigned int hal_irq_claim(void)
{
	if (route_ctx < 0 || current_hartindex() != route_hart)
		return 0;
	return readl(claim_reg());
}

void hal_irq_complete(unsigned int src)
{
	if (route_ctx >= 0)
		writel(src, claim_reg());
}
