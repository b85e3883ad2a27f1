// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest device tree builder, on libfdt's sequential-write API. The tree
 * holds /cpus (one node per virtual hart, each with its interrupt
 * controller, as Linux expects), one /memory node and /chosen.
 */
#include <hyp/gfdt.h>
#include <hyp/string.h>
#include <libfdt.h>

#define TRY(x)	do { int __rc = (x); if (__rc) return __rc; } while (0)

static int prop_u64_pair(void *fdt, const char *name, u64 a, u64 b)
{
	fdt64_t cells[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

	return fdt_property(fdt, name, cells, sizeof(cells));
}

/* Append @name (@len bytes) to the string list @list unless it is there. */
static size_t list_add(char *list, size_t used, size_t max, const char *name, size_t len)
{
	size_t i = 0;

	while (i < used) {
		size_t n = hyp_strlen(list + i);

		if (n == len && !hyp_memcmp(list + i, name, len))
			return used;
		i += n + 1;
	}
	if (!len || used + len + 1 > max)
		return used;
	hyp_memcpy(list + used, name, len);
	list[used + len] = '\0';
	return used + len + 1;
}

/*
 * The ISA string as the binding that replaced riscv,isa has it: the base
 * ("rv64i") and every extension by name, single letters included, "g"
 * spelt out. Linux 6.6 and later read these first, and without them
 * boot only if built with RISCV_ISA_FALLBACK.
 */
static int add_isa_extensions(void *fdt, const char *isa)
{
	static const char *const g[] = { "i", "m", "a", "f", "d", "zicsr", "zifencei" };
	char base[6], list[512];
	size_t used = 0, i, n;
	const char *p;

	if (hyp_strlen(isa) < 5 || hyp_memcmp(isa, "rv", 2))
		return 0;
	hyp_memcpy(base, isa, 4);
	base[4] = isa[4] == 'e' ? 'e' : 'i';
	base[5] = '\0';
	TRY(fdt_property_string(fdt, "riscv,isa-base", base));
	for (p = isa + 4; *p && *p != '_'; p++) {
		if (*p != 'g') {
			used = list_add(list, used, sizeof(list), p, 1);
			continue;
		}
		for (i = 0; i < HYP_ARRAY_SIZE(g); i++)
			used = list_add(list, used, sizeof(list), g[i], hyp_strlen(g[i]));
	}
	while (*p == '_') {
		for (n = 1; p[n] && p[n] != '_'; n++)
			;
		used = list_add(list, used, sizeof(list), p + 1, n - 1);
		p += n;
	}
	return fdt_property(fdt, "riscv,isa-extensions", list, (int)used);
}

static int add_cpu(void *fdt, const struct gfdt_info *info, unsigned int id)
{
	char name[16];

	hyp_snprintf(name, sizeof(name), "cpu@%u", id);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "device_type", "cpu"));
	TRY(fdt_property_u32(fdt, "reg", id));
	TRY(fdt_property_string(fdt, "compatible", "riscv"));
	TRY(fdt_property_string(fdt, "riscv,isa", info->isa));
	TRY(add_isa_extensions(fdt, info->isa));
	if (info->mmu)
		TRY(fdt_property_string(fdt, "mmu-type", info->mmu));
	TRY(fdt_property_string(fdt, "status", "okay"));
	TRY(fdt_begin_node(fdt, "interrupt-controller"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_string(fdt, "compatible", "riscv,cpu-intc"));
	TRY(fdt_property_u32(fdt, "phandle", id + 1));
	TRY(fdt_end_node(fdt));
	return fdt_end_node(fdt);
}

static int add_cpus(void *fdt, const struct gfdt_info *info)
{
	unsigned int i;

	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	TRY(fdt_property_u32(fdt, "timebase-frequency", info->timebase));
	for (i = 0; i < info->vcpus; i++)
		TRY(add_cpu(fdt, info, i));
	return fdt_end_node(fdt);
}

static int add_memory(void *fdt, const struct gfdt_info *info)
{
	char name[32];

	hyp_snprintf(name, sizeof(name), "memory@%llx",
		     (unsigned long long)info->mem_base);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(prop_u64_pair(fdt, "reg", info->mem_base, info->mem_size));
	return fdt_end_node(fdt);
}

static int add_chosen(void *fdt, const struct gfdt_info *info)
{
	TRY(fdt_begin_node(fdt, "chosen"));
	if (info->bootargs)
		TRY(fdt_property_string(fdt, "bootargs", info->bootargs));
	if (info->initrd_start) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start", info->initrd_start));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", info->initrd_end));
	}
	return fdt_end_node(fdt);
}

int gfdt_build(void *buf, size_t size, const struct gfdt_info *info)
{
	TRY(fdt_create(buf, (int)size));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_u32(buf, "#address-cells", 2));
	TRY(fdt_property_u32(buf, "#size-cells", 2));
	TRY(fdt_property_string(buf, "compatible", "diosix,container"));
	TRY(fdt_property_string(buf, "model", info->model));
	TRY(add_cpus(buf, info));
	TRY(add_memory(buf, info));
	TRY(add_chosen(buf, info));
	if (info->nr_devices)
		TRY(gfdt_add_devices(buf, info));
	TRY(fdt_end_node(buf));
	return fdt_finish(buf);
}
