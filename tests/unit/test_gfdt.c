// SPDX-License-Identifier: BSD-2-Clause
/*
 * The guest device tree (hyp/gfdt.c), read back with libfdt.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <hyp/gfdt.h>
#include "fake_hal.h"
#include "unit.h"

static u8 dt[GFDT_MAX_SIZE];

static const struct gfdt_info full = {
	.model = "riscv-virtio,qemu",
	.vcpus = 3,
	.isa = "rv64imafdc_zicsr_zifencei",
	.mmu = "riscv,sv48",
	.timebase = 10000000,
	.mem_base = 0x80400000,
	.mem_size = 24 << 20,
	.bootargs = "console=hvc0 earlycon=sbi",
	.initrd_start = 0x81600000,
	.initrd_end = 0x81612345,
};

static u32 get_u32(int node, const char *prop)
{
	const fdt32_t *p;
	int len;

	p = fdt_getprop(dt, node, prop, &len);
	if (!p || len != 4) {
		unit_fail(__FILE__, __LINE__, "%s: no u32 property %s",
			  fdt_get_name(dt, node, NULL), prop);
		return ~0U;
	}
	return fdt32_ld(p);
}

static u64 get_u64(int node, const char *prop)
{
	const fdt64_t *p;
	int len;

	p = fdt_getprop(dt, node, prop, &len);
	if (!p || len != 8) {
		unit_fail(__FILE__, __LINE__, "no u64 property %s", prop);
		return ~0ULL;
	}
	return fdt64_ld(p);
}

static const char *get_str(int node, const char *prop)
{
	const char *s;
	int len;

	s = fdt_getprop(dt, node, prop, &len);
	if (!s || len < 1 || s[len - 1] != '\0')
		return NULL;
	return s;
}

static bool has_prop(int node, const char *prop)
{
	return fdt_getprop(dt, node, prop, NULL) != NULL;
}

static int path(const char *p)
{
	int node = fdt_path_offset(dt, p);

	if (node < 0)
		unit_fail(__FILE__, __LINE__, "no node %s", p);
	return node;
}

static void build(const struct gfdt_info *info)
{
	memset(dt, 0xee, sizeof(dt));
	ASSERT_EQ(gfdt_build(dt, sizeof(dt), info), 0);
	ASSERT_EQ(fdt_check_header(dt), 0);
	ASSERT(fdt_totalsize(dt) <= sizeof(dt));
}

static void root_node(void)
{
	build(&full);
	EXPECT_EQ(get_u32(0, "#address-cells"), 2);
	EXPECT_EQ(get_u32(0, "#size-cells"), 2);
	EXPECT_STREQ(get_str(0, "compatible"), "diosix,container");
	EXPECT_STREQ(get_str(0, "model"), "riscv-virtio,qemu");
}

/* @node has exactly the properties @names (NULL-terminated), no others. */
static bool props_are(int node, const char *const *names)
{
	const char *name;
	int off, n = 0, want = 0;

	for (; names[want]; want++)
		if (!has_prop(node, names[want]))
			return false;
	fdt_for_each_property_offset(off, dt, node) {
		if (!fdt_getprop_by_offset(dt, off, &name, NULL))
			return false;
		n++;
	}
	return n == want;
}

/* Every cpu@i with its interrupt controller; phandles unique. */
static void check_cpus(const struct gfdt_info *info)
{
	static const char *const cpu_props[] = {
		"mmu-type", "device_type", "reg", "compatible", "riscv,isa",
		"riscv,isa-base", "riscv,isa-extensions", "status", NULL,
	};
	static const char *const intc_props[] = {
		"#interrupt-cells", "interrupt-controller", "compatible",
		"phandle", NULL,
	};
	int cpus = path("/cpus"), node, intc, n = 0;
	u32 phandles[HYP_MAX_CONTAINER_VCPUS];
	char name[40];
	unsigned int i, j;

	ASSERT(cpus >= 0);
	EXPECT_EQ(get_u32(cpus, "timebase-frequency"), info->timebase);
	EXPECT_EQ(get_u32(cpus, "#address-cells"), 1);
	EXPECT_EQ(get_u32(cpus, "#size-cells"), 0);
	fdt_for_each_subnode(node, dt, cpus)
		n++;
	EXPECT_EQ(n, info->vcpus);
	for (i = 0; i < info->vcpus; i++) {
		snprintf(name, sizeof(name), "/cpus/cpu@%u", i);
		node = path(name);
		ASSERT(node >= 0);
		EXPECT_EQ(get_u32(node, "reg"), i);
		EXPECT_STREQ(get_str(node, "device_type"), "cpu");
		EXPECT_STREQ(get_str(node, "compatible"), "riscv");
		EXPECT_STREQ(get_str(node, "riscv,isa"), info->isa);
		EXPECT_STREQ(get_str(node, "status"), "okay");
		if (info->mmu)
			EXPECT_STREQ(get_str(node, "mmu-type"), info->mmu);
		else
			EXPECT(!has_prop(node, "mmu-type"));
		EXPECT(props_are(node, info->mmu ? cpu_props : cpu_props + 1));
		intc = fdt_subnode_offset(dt, node, "interrupt-controller");
		ASSERT(intc >= 0);
		EXPECT_STREQ(get_str(intc, "compatible"), "riscv,cpu-intc");
		EXPECT(has_prop(intc, "interrupt-controller"));
		EXPECT_EQ(get_u32(intc, "#interrupt-cells"), 1);
		phandles[i] = fdt_get_phandle(dt, intc);
		EXPECT(props_are(intc, intc_props));
		EXPECT_NE(phandles[i], 0);
		for (j = 0; j < i; j++)
			EXPECT_NE(phandles[i], phandles[j]);
	}
}

static void cpus_full(void)
{
	build(&full);
	check_cpus(&full);
}

static void cpus_max_no_mmu(void)
{
	struct gfdt_info info = full;

	info.vcpus = HYP_MAX_CONTAINER_VCPUS;
	info.mmu = NULL;
	info.isa = "rv32imac";
	build(&info);
	check_cpus(&info);
}

static void memory_node(void)
{
	const fdt64_t *reg;
	int node, len, count = 0;

	build(&full);
	fdt_for_each_subnode(node, dt, 0) {
		const char *type = get_str(node, "device_type");

		if (type && !strcmp(type, "memory"))
			count++;
	}
	EXPECT_EQ(count, 1);
	node = path("/memory@80400000");
	ASSERT(node >= 0);
	EXPECT_STREQ(get_str(node, "device_type"), "memory");
	reg = fdt_getprop(dt, node, "reg", &len);
	ASSERT(reg != NULL);
	ASSERT_EQ(len, 16);
	EXPECT_EQ(fdt64_ld(&reg[0]), 0x80400000);
	EXPECT_EQ(fdt64_ld(&reg[1]), 24 << 20);
}

static void memory_above_4gib(void)
{
	struct gfdt_info info = full;
	const fdt64_t *reg;
	int node, len;

	info.mem_base = 0x1234500000ULL;
	info.mem_size = 0x100000000ULL;
	build(&info);
	node = path("/memory@1234500000");
	ASSERT(node >= 0);
	reg = fdt_getprop(dt, node, "reg", &len);
	ASSERT(reg != NULL && len == 16);
	EXPECT_EQ(fdt64_ld(&reg[0]), 0x1234500000ULL);
	EXPECT_EQ(fdt64_ld(&reg[1]), 0x100000000ULL);
}

static void chosen_full(void)
{
	int chosen;

	build(&full);
	chosen = path("/chosen");
	ASSERT(chosen >= 0);
	EXPECT_STREQ(get_str(chosen, "bootargs"), full.bootargs);
	EXPECT_EQ(get_u64(chosen, "linux,initrd-start"), full.initrd_start);
	EXPECT_EQ(get_u64(chosen, "linux,initrd-end"), full.initrd_end);
}

static void chosen_empty(void)
{
	struct gfdt_info info = full;
	int chosen;

	info.bootargs = NULL;
	info.initrd_start = 0;
	info.initrd_end = 0;
	build(&info);
	chosen = path("/chosen");
	ASSERT(chosen >= 0);
	EXPECT(!has_prop(chosen, "bootargs"));
	EXPECT(!has_prop(chosen, "linux,initrd-start"));
	EXPECT(!has_prop(chosen, "linux,initrd-end"));
}

/* Only /cpus, one memory node and /chosen: no devices. */
static void nothing_else(void)
{
	int node, n = 0;

	build(&full);
	fdt_for_each_subnode(node, dt, 0)
		n++;
	EXPECT_EQ(n, 3);
	EXPECT_EQ(fdt_num_mem_rsv(dt), 0);
}

/* Every buffer too small fails cleanly; ASan watches for overflows. */
static void small_buffers_fail(void)
{
	size_t need, size;
	u8 *buf;

	build(&full);
	need = fdt_totalsize(dt);
	for (size = 0; size < need; size++) {
		buf = malloc(size ? size : 1);
		ASSERT(buf != NULL);
		EXPECT_NE(gfdt_build(buf, size, &full), 0);
		free(buf);
	}
	buf = malloc(need);
	ASSERT(buf != NULL);
	EXPECT_EQ(gfdt_build(buf, need, &full), 0);
	EXPECT(!memcmp(buf, dt, need));
	free(buf);
}

/* The largest tree hyp/ builds fits in the space reserved for it. */
static void largest_fits(void)
{
	struct gfdt_info info = full;
	char args[HYP_BOOTARGS_MAX];

	memset(args, 'a', sizeof(args) - 1);
	args[sizeof(args) - 1] = '\0';
	info.vcpus = HYP_MAX_CONTAINER_VCPUS;
	info.bootargs = args;
	info.isa = "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc";
	build(&info);
	EXPECT_STREQ(get_str(path("/chosen"), "bootargs"), args);
}

/* The extension list of cpu@0, as one string with spaces. */
static void isa_list(char *out, size_t size)
{
	int len, i;
	const char *p = fdt_getprop(dt, path("/cpus/cpu@0"), "riscv,isa-extensions", &len);

	ASSERT(p && len > 0 && (size_t)len <= size && p[len - 1] == '\0');
	for (i = 0; i < len - 1; i++)
		out[i] = p[i] ? p[i] : ' ';
	out[len - 1] = '\0';
}

/* riscv,isa-base and riscv,isa-extensions from the ISA string. */
static void isa_extensions(void)
{
	struct gfdt_info info = full;
	char list[512];

	build(&info);
	EXPECT_STREQ(get_str(path("/cpus/cpu@0"), "riscv,isa-base"), "rv64i");
	isa_list(list, sizeof(list));
	EXPECT_STREQ(list, "i m a f d c zicsr zifencei");
	info.isa = "rv32gc_zicsr_sstc";
	build(&info);
	EXPECT_STREQ(get_str(path("/cpus/cpu@1"), "riscv,isa-base"), "rv32i");
	isa_list(list, sizeof(list));
	EXPECT_STREQ(list, "i m a f d zicsr zifencei c sstc");
}

static const struct unit_case gfdt_cases[] = {
	UNIT_CASE(root_node),
	UNIT_CASE(isa_extensions),
	UNIT_CASE(cpus_full),
	UNIT_CASE(cpus_max_no_mmu),
	UNIT_CASE(memory_node),
	UNIT_CASE(memory_above_4gib),
	UNIT_CASE(chosen_full),
	UNIT_CASE(chosen_empty),
	UNIT_CASE(nothing_else),
	UNIT_CASE(small_buffers_fail),
	UNIT_CASE(largest_fits),
};

UNIT_SUITE(gfdt, gfdt_cases);
