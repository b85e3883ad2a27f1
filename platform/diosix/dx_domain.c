// SPDX-License-Identifier: BSD-2-Clause
/*
 * A container's protection domain. Each container is an OpenSBI domain
 * (registered at cold boot, with no harts assigned) holding the
 * firmware's M-only regions and the container's RAM, and nothing else:
 * no catch-all region, so devices and other containers are out of reach.
 *
 * Entering a container writes a PMP image precomputed from that domain
 * straight into the CSRs, and points OpenSBI's idea of this hart's domain
 * at it, so OpenSBI's own checks (e.g. when it emulates an access) apply
 * to the container that runs.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_domain.h>
#include <sbi/sbi_error.h>
#include <sbi/sbi_hart.h>
#include <sbi/sbi_hartmask.h>
#include <sbi/sbi_heap.h>
#include <sbi/sbi_string.h>
#include <hyp/container.h>
#include <hyp/manifest.h>
#include "dx.h"

/* OpenSBI's data: hidden, so references stay PC-relative (no R_RISCV_64). */
extern struct sbi_domain root __attribute__((visibility("hidden")));

#define DX_DEV_REGIONS	(HYP_MAX_DEVICES * DEV_MAX_REGS)
#define DX_DOM_REGIONS	(32 + HYP_MAX_REGIONS + DX_DEV_REGIONS + 1)
#define PMPCFG_PER_REG	(__riscv_xlen / 8)

struct dx_domain {
	struct sbi_domain dom;
	struct sbi_domain_memregion regions[DX_DOM_REGIONS];
	struct sbi_hartmask possible;
	unsigned int pmp_count;
	unsigned int own;			/* entries 0 .. own - 1 are its own */
	unsigned long pmpaddr[DX_MAX_PMP];
	unsigned long pmpcfg[DX_MAX_PMP / PMPCFG_PER_REG];
};

/*
 * Ours, and what OpenSBI allocates for every domain it registers: each
 * piece of registered domain data (in 1.6, sbi_domain_context's table of
 * a context pointer per hart index), each rounded to 64 bytes.
 */
unsigned long dx_domain_size(void)
{
	return ROUNDUP(sizeof(struct dx_domain), 64) +
	       ROUNDUP(SBI_HARTMASK_MAX_BITS * sizeof(void *), 64) + 64;
}

static bool region_m_only(const struct sbi_domain_memregion *r)
{
	return !(r->flags & SBI_DOMAIN_MEMREGION_SU_ACCESS_MASK);
}

/* Root's M-only regions: the firmware and M-mode devices. */
unsigned int dx_root_m_regions(void)
{
	struct sbi_domain_memregion *r;
	unsigned int n = 0;

	sbi_domain_for_each_memregion(&root, r)
		n += region_m_only(r);
	return n;
}

static unsigned long pmp_napot_addr(unsigned long base, unsigned long order)
{
	if (order >= __riscv_xlen)
		return -1UL;
	return (base | ((1UL << (order - 1)) - 1)) >> PMP_SHIFT;
}

static void set_entry(struct dx_domain *d, unsigned int i,
		      const struct sbi_domain_memregion *r)
{
	unsigned long cfg = PMP_A_NAPOT;

	if (r->flags & SBI_DOMAIN_MEMREGION_SU_READABLE)
		cfg |= PMP_R;
	if (r->flags & SBI_DOMAIN_MEMREGION_SU_WRITABLE)
		cfg |= PMP_W;
	if (r->flags & SBI_DOMAIN_MEMREGION_SU_EXECUTABLE)
		cfg |= PMP_X;
	d->pmpaddr[i] = pmp_napot_addr(r->base, r->order);
	d->pmpcfg[i / PMPCFG_PER_REG] |= cfg << (8 * (i % PMPCFG_PER_REG));
}

/*
 * The domain's regions as raw PMP CSRs. The container's own regions
 * (those S-mode may use: its RAM) fill the entries from 0 up, the
 * firmware's M-only regions the top entries down, in the order OpenSBI
 * sorted them, which is the same in every domain; the entries between
 * are off. No two regions overlap, so the order gives no region priority
 * over another, and every domain has the same top entries: a switch
 * between containers rewrites only the low entries either one uses.
 */
static void build_pmp_image(struct dx_domain *d)
{
	struct sbi_domain_memregion *r;
	unsigned int lo = 0, hi;

	d->pmp_count = sbi_hart_pmp_count(sbi_scratch_thishart_ptr());
	if (d->pmp_count > DX_MAX_PMP)
		d->pmp_count = DX_MAX_PMP;
	hi = d->pmp_count;
	sbi_domain_for_each_memregion(&d->dom, r) {
		if (lo == hi)
			break;
		if (region_m_only(r))
			set_entry(d, --hi, r);
		else
			set_entry(d, lo++, r);
	}
	d->own = lo;
}

/*
 * Its devices' MMIO: read and write, never execute (devtree.c checked
 * each range is one naturally aligned power of two).
 */
static unsigned int add_device_regions(struct sbi_domain_memregion *regs,
				       unsigned int n, const struct container *c)
{
	const struct manifest_ctr *s = c->spec;
	unsigned int i, j;

	for (i = 0; i < s->nr_devices; i++)
		for (j = 0; j < s->dev[i].nregs; j++)
			sbi_domain_memregion_init(s->dev[i].base[j], s->dev[i].size[j],
						  SBI_DOMAIN_MEMREGION_SU_READABLE |
						  SBI_DOMAIN_MEMREGION_SU_WRITABLE |
						  SBI_DOMAIN_MEMREGION_MMIO,
						  &regs[n++]);
	return n;
}

static void add_regions(struct dx_domain *d, struct container *c)
{
	struct sbi_domain_memregion *r;
	unsigned int n = 0, i;
	u64 base = c->ram.base;

	sbi_domain_for_each_memregion(&root, r)
		if (region_m_only(r) &&
		    n < DX_DOM_REGIONS - HYP_MAX_REGIONS - DX_DEV_REGIONS - 1)
			d->regions[n++] = *r;
	for (i = 0; i < c->regions; i++) {
		sbi_domain_memregion_init(base, c->region_size[i],
					  SBI_DOMAIN_MEMREGION_SU_READABLE |
					  SBI_DOMAIN_MEMREGION_SU_WRITABLE |
					  SBI_DOMAIN_MEMREGION_SU_EXECUTABLE,
					  &d->regions[n++]);
		base += c->region_size[i];
	}
	n = add_device_regions(d->regions, n, c);
	sbi_memset(&d->regions[n], 0, sizeof(d->regions[n]));
}

int hal_container_init(struct container *c)
{
	struct sbi_hartmask none;
	struct dx_domain *d;
	unsigned int i;
	int rc;

	/*
	 * Once per container, at boot; OpenSBI keeps domains for good. All
	 * of it fits above the heap's reserve, or none is taken: OpenSBI's
	 * own data for the domain is allocated by sbi_domain_register.
	 */
	if (!dx_heap_room(dx_domain_size() + dx_vec_size(c)))
		return SBI_ENOMEM;
	d = dx_zalloc(sizeof(*d));
	if (!d)
		return SBI_ENOMEM;
	rc = dx_vec_alloc(c);
	if (rc) {
		sbi_free(d);
		return rc;
	}
	add_regions(d, c);
	for (i = 0; i < dx_nr_harts; i++)
		if (dx_harts[i].s_mode)
			sbi_hartmask_set_hartindex(i, &d->possible);
	sbi_strncpy(d->dom.name, container_name(c), sizeof(d->dom.name) - 1);
	d->dom.possible_harts = &d->possible;
	d->dom.regions = d->regions;
	d->dom.boot_hartid = -1U;
	/* Never booted by OpenSBI, but its checks want an address inside. */
	d->dom.next_addr = c->ram.base;
	d->dom.next_mode = PRV_S;
	/* Resets are the hypervisor's business, never a guest's. */
	d->dom.system_reset_allowed = false;
	d->dom.system_suspend_allowed = false;
	d->dom.fw_region_inited = true;
	/* No harts: the hypervisor moves harts in and out as it schedules. */
	sbi_hartmask_clear_all(&none);
	rc = sbi_domain_register(&d->dom, &none);
	if (rc)
		return rc;
	build_pmp_image(d);
	c->arch.domain = d;
	return 0;
}

#define PMPADDR(n)	if (n < d->pmp_count) csr_write(CSR_PMPADDR0 + n, d->pmpaddr[n]);
#define PMPADDR8(n)	PMPADDR(n) PMPADDR(n + 1) PMPADDR(n + 2) PMPADDR(n + 3) \
			PMPADDR(n + 4) PMPADDR(n + 5) PMPADDR(n + 6) PMPADDR(n + 7)

/* Every entry: a hart that held OpenSBI's own layout. */
static void write_pmp(const struct dx_domain *d)
{
	PMPADDR8(0)
	PMPADDR8(8)
#if __riscv_xlen == 32
	csr_write(CSR_PMPCFG0, d->pmpcfg[0]);
	csr_write(CSR_PMPCFG1, d->pmpcfg[1]);
	if (d->pmp_count > 8) {
		csr_write(CSR_PMPCFG2, d->pmpcfg[2]);
		csr_write(CSR_PMPCFG3, d->pmpcfg[3]);
	}
#else
	csr_write(CSR_PMPCFG0, d->pmpcfg[0]);
	if (d->pmp_count > 8)
		csr_write(CSR_PMPCFG2, d->pmpcfg[1]);
#endif
}

#define OWN_ADDR(n)	case n + 1: csr_write(CSR_PMPADDR0 + n, d->pmpaddr[n]); \
			__attribute__((fallthrough));

/*
 * Entries 0 .. n - 1 and the pmpcfg registers that hold them: a hart
 * that held another container's domain, whose top entries are the same.
 */
static void write_pmp_low(const struct dx_domain *d, unsigned int n)
{
	switch (n) {
	default:
		write_pmp(d);
		return;
	OWN_ADDR(7) OWN_ADDR(6) OWN_ADDR(5) OWN_ADDR(4)
	OWN_ADDR(3) OWN_ADDR(2) OWN_ADDR(1) OWN_ADDR(0)
	case 0:
		break;
	}
	csr_write(CSR_PMPCFG0, d->pmpcfg[0]);
#if __riscv_xlen == 32
	if (n > 4)
		csr_write(CSR_PMPCFG1, d->pmpcfg[1]);
#endif
}

/*
 * The domain whose PMP image and OpenSBI domain pointer each hart holds:
 * between two vCPUs of one container neither needs writing again. Only
 * dx_domain_enter and dx_domain_leave change either once a hart runs
 * guests (OpenSBI programs the PMP only when a hart boots).
 */
static const struct dx_domain *entered[HYP_MAX_HARTS];

void dx_domain_enter(struct container *c, unsigned int hart)
{
	struct dx_domain *d = c->arch.domain;

	if (entered[hart] != d) {
		if (entered[hart])
			write_pmp_low(d, d->own > entered[hart]->own ?
					 d->own : entered[hart]->own);
		else
			write_pmp(d);
		sbi_update_hartindex_to_domain(hart, &d->dom);
		entered[hart] = d;
	}
	/*
	 * Guests' ASIDs overlap, and some cores cache PMP results in the TLB;
	 * a vCPU that ran elsewhere may have written code this hart has cached.
	 */
	__asm__ volatile("sfence.vma\n\tfence.i" ::: "memory");
}

void dx_domain_leave(void)
{
	unsigned int hart = current_hartindex();

	sbi_update_hartindex_to_domain(hart, &root);
	entered[hart] = NULL;
}
