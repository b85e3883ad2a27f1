// SPDX-License-Identifier: BSD-2-Clause
/*
 * Boot-time glue: find the bundle OpenSBI carried as its payload, describe
 * the machine to hyp/ (free RAM, ISA, timebase) from the board's device
 * tree, and let hyp/ read the manifest and create the containers. This
 * runs from OpenSBI's domains_init, the one point where domains can still
 * be registered.
 */
#include <libfdt.h>
#include <sbi/riscv_asm.h>
#include <sbi/sbi_console.h>
#include <sbi/sbi_domain.h>
#include <sbi/sbi_error.h>
#include <sbi/sbi_hart.h>
#include <sbi/sbi_platform.h>
#include <sbi/sbi_scratch.h>
#include <sbi/sbi_string.h>
#include <sbi_utils/fdt/fdt_helper.h>
#include <hyp/bundle.h>
#include <hyp/hyp.h>
#include "dx.h"

extern struct sbi_domain root __attribute__((visibility("hidden")));
extern unsigned long dx_timebase;
unsigned int dx_root_m_regions(void);

static struct hyp_machine machine;
static char guest_isa[128];

/* RAM from every memory node of the board's device tree. */
static int add_ram(const void *fdt, struct mem_map *m)
{
	u64 addr, size;
	int node, i;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (!type || sbi_strcmp(type, "memory") ||
		    !fdt_node_is_enabled(fdt, node))
			continue;
		for (i = 0; !fdt_get_node_addr_size(fdt, node, i, &addr, &size); i++)
			if (mem_map_add(m, addr, size))
				return SBI_ENOMEM;
	}
	return 0;
}

/* Everything in RAM that is not the containers' to have. */
static void reserve_firmware(const void *fdt, struct mem_map *m,
			     unsigned long bundle, unsigned long bundle_size)
{
	struct sbi_domain_memregion *r;
	u64 addr, size;
	int node, sub, i;

	sbi_domain_for_each_memregion(&root, r)
		if (!(r->flags & SBI_DOMAIN_MEMREGION_SU_ACCESS_MASK))
			mem_map_reserve(m, r->base,
					r->order >= 64 ? ~0ULL : 1ULL << r->order);
	mem_map_reserve(m, bundle, bundle_size);
	mem_map_reserve(m, (ulong)fdt, fdt_totalsize(fdt));
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (node < 0)
		return;
	fdt_for_each_subnode(sub, fdt, node)
		for (i = 0; !fdt_get_node_addr_size(fdt, sub, i, &addr, &size); i++)
			mem_map_reserve(m, addr, size);
}

/*
 * The mtime register, for the rdtime fast path on harts without a time
 * CSR: the one CLINT's (base + 0xbff8) or ACLINT MTIMER's (its first reg).
 * 0 when there is none or more than one, which may not agree.
 */
unsigned long dx_mtime_address(void)
{
	static const char *const clint[] = { "riscv,clint0", "sifive,clint0" };
	const void *fdt = fdt_get_address();
	unsigned long found = 0;
	int node, n = 0;
	unsigned int i;
	u64 addr, size;

	for (i = 0; i < array_size(clint); i++)
		for (node = fdt_node_offset_by_compatible(fdt, -1, clint[i]); node >= 0;
		     node = fdt_node_offset_by_compatible(fdt, node, clint[i]))
			if (!fdt_get_node_addr_size(fdt, node, 0, &addr, &size) && ++n)
				found = (unsigned long)addr + 0xbff8;
	for (node = fdt_node_offset_by_compatible(fdt, -1, "riscv,aclint-mtimer"); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "riscv,aclint-mtimer"))
		if (!fdt_get_node_addr_size(fdt, node, 0, &addr, &size) && ++n)
			found = (unsigned long)addr;
	return n == 1 ? found : 0;
}

/* The boot hart's ISA string, less the H extension guests cannot use. */
static void read_cpu(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), cpu, len, i, j = 0;
	const char *isa = NULL, *mmu = NULL;
	u32 hartid;

	fdt_for_each_subnode(cpu, fdt, cpus) {
		if (fdt_parse_hart_id(fdt, cpu, &hartid) ||
		    hartid != current_hartid())
			continue;
		isa = fdt_getprop(fdt, cpu, "riscv,isa", &len);
		mmu = fdt_getprop(fdt, cpu, "mmu-type", NULL);
	}
	if (!isa)
		isa = __riscv_xlen == 64 ? "rv64imac" : "rv32imac";
	for (i = 0; isa[i] && j < (int)sizeof(guest_isa) - 1; i++) {
		bool base = !sbi_strchr(isa, '_') || isa + i < sbi_strchr(isa, '_');

		if (base && i >= 4 && isa[i] == 'h')
			continue;
		guest_isa[j++] = isa[i];
	}
	machine.isa = guest_isa;
	machine.mmu = mmu;
}

int dx_domains_init(void)
{
	struct sbi_scratch *scratch = sbi_scratch_thishart_ptr();
	const void *fdt = fdt_get_address();
	const u8 *bundle = (const u8 *)scratch->next_addr;
	const struct bundle_header *hdr =
		(const struct bundle_header *)(bundle + BUNDLE_HEADER_OFFSET);
	unsigned long freq = 0;
	int rc;

	/* What the inline HAL and the world switch need, before hyp/ runs. */
	dx_facts_init();
	dx_h_init();
	if (sbi_memcmp(hdr->magic, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN)) {
		sbi_printf("[diosix] error: no diosix bundle at 0x%lx\n",
			   scratch->next_addr);
		return SBI_EINVAL;
	}
	dx_stub_addr = scratch->next_addr;
	fdt_parse_timebase_frequency(fdt, &freq);
	dx_timebase = freq ? freq : 10000000;

	machine.model = sbi_platform_name(sbi_platform_thishart_ptr());
	machine.timebase = (u32)dx_timebase;
	read_cpu(fdt);
	mem_map_init(&machine.free);
	rc = add_ram(fdt, &machine.free);
	if (rc)
		return rc;
	reserve_firmware(fdt, &machine.free, dx_stub_addr, hdr->manifest_off + hdr->manifest_size);
	machine.pmp_regions = sbi_hart_pmp_count(scratch) - dx_root_m_regions();
	machine.fdt = fdt;

	/* A bad manifest leaves no container to run; OpenSBI still boots,
	 * and the boot stub's first call powers the machine off. */
	hyp_boot(bundle + hdr->manifest_off, hdr->manifest_size, &machine);
	return 0;
}
