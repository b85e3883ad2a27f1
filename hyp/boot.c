// SPDX-License-Identifier: BSD-2-Clause
/*
 * Boot: the manifest is read and the containers placed while OpenSBI
 * initialises (their domains must exist before it finalises them); the
 * guests start when each hart first arrives from the boot stub.
 */
#include <hyp/bundle.h>
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/devices.h>
#include <hyp/error.h>
#include <hyp/hal.h>
#include <hyp/hyp.h>
#include <hyp/loader.h>
#include <hyp/log.h>
#include <hyp/manifest.h>
#include <hyp/sched.h>
#include <hyp/string.h>
#include <hyp/ticks.h>
#include <hyp/vcpu.h>

const struct hyp_machine *hyp_machine;
bool hyp_stay_up;
bool hyp_trap_time;

/*
 * Everything below comes from the firmware heap at boot, as much as this
 * manifest needs (hyp_heap_need() says how much, before the heap exists):
 * nothing hyp/ keeps is sized by the compile-time maxima of config.h.
 */
static struct manifest manifest;
static struct board board;
static struct mem_range *placed;	/* per manifest entry */

/* Room for the manifest's entries and where each is placed. */
static int alloc_manifest(const void *blob, size_t max)
{
	unsigned int n, vcpus;

	manifest_count(blob, max, &n, &vcpus);
	if (!n)
		return 0;	/* manifest_parse says why */
	manifest.ctr = hal_zalloc(n * sizeof(*manifest.ctr));
	placed = hal_zalloc(n * sizeof(*placed));
	if (!manifest.ctr || !placed)
		return HYP_ENOMEM;
	manifest.cap = n;
	return 0;
}

static void log_container(const struct container *c)
{
	const struct manifest_ctr *s = c->spec;
	struct image_info info;
	const char *why;

	loader_inspect(s->image, s->image_size, HYP_XLEN, &info, &why);
	hyp_log("container %s: %llu MiB at 0x%llx, %u vCPU%s, %s image%s%s",
		s->name, (unsigned long long)(c->ram.size / HYP_MIB),
		(unsigned long long)c->ram.base, c->nr_vcpus,
		c->nr_vcpus == 1 ? "" : "s", loader_kind_name(info.kind),
		s->initrd_size ? " + initrd" : "", s->pinned ? ", pinned" : "");
}

/* The containers and their vCPUs: as many as the manifest's valid entries. */
static struct vcpu *alloc_containers(void)
{
	unsigned int i, n = 0, vcpus = 0;

	for (i = 0; i < manifest.count; i++) {
		if (!manifest.ctr[i].valid)
			continue;
		n++;
		vcpus += manifest.ctr[i].vcpus;
	}
	hyp_containers = hal_zalloc(n * sizeof(*hyp_containers));
	if (!n || !hyp_containers)
		return NULL;
	return hal_zalloc(vcpus * sizeof(struct vcpu));
}

/* Turn each valid, placed manifest entry into a container. */
static void create_containers(void)
{
	struct vcpu *vcpu_pool = alloc_containers();
	unsigned int i, used = 0;

	if (!vcpu_pool) {
		if (manifest_valid_count(&manifest))
			hyp_log("error: the firmware heap has no room for the containers");
		return;
	}

	for (i = 0; i < manifest.count; i++) {
		struct manifest_ctr *s = &manifest.ctr[i];
		struct container *c = &hyp_containers[hyp_nr_containers];

		if (!s->valid) {
			hyp_log("container %s: not started", s->name);
			continue;
		}
		hyp_memset(c, 0, sizeof(*c));
		c->spec = s;
		c->index = hyp_nr_containers;
		c->ram = placed[i];
		c->regions = place_pieces(c->ram.size, c->region_size, HYP_MAX_REGIONS);
		c->nr_vcpus = s->vcpus;
		c->vcpus = &vcpu_pool[used];
		c->state = CTR_STOPPED;
		vcons_init(&c->cons, s->name);
		for (unsigned int v = 0; v < c->nr_vcpus; v++) {
			c->vcpus[v].ctr = c;
			c->vcpus[v].id = v;
			c->vcpus[v].hart = -1;
			c->vcpus[v].pin_hart = -1;
			c->vcpus[v].sta_shmem = ~0ULL;
			c->vcpus[v].runnable_since = ~0ULL;
		}
		if (s->pinned && sched_pin(c)) {
			hyp_log_ctr_error(s->name, "pinned", MANIFEST_PIN_REFUSED,
					  c->nr_vcpus);
			hyp_log("container %s: not started", s->name);
			continue;
		}
		if (hal_container_init(c)) {
			for (unsigned int h = 0; h < hal_hart_count(); h++)
				if (hyp_harts[h].pinned == c)
					hyp_harts[h].pinned = NULL;
			console_poll_hart_changed();
			hyp_log_ctr_error(s->name, "(domain)", "cannot create its protection domain");
			hyp_log("container %s: not started", s->name);
			continue;
		}
		used += s->vcpus;
		log_container(c);
		hyp_nr_containers++;
	}
}

int hyp_boot(const void *blob, size_t max, const struct hyp_machine *m)
{
	int rc;

	hyp_machine = m;
	/* First: every hart needs its entry, even to power off. */
	rc = sched_init(hal_hart_count());
	if (rc)
		return rc;
	hyp_ticks_init(hal_time_freq());
	hyp_log("diosix %s: %u harts, %u-bit", HYP_VERSION, hal_hart_count(),
		(unsigned int)HYP_XLEN);
	rc = alloc_manifest(blob, max);
	if (rc) {
		hyp_log("error: the firmware heap has no room for the manifest");
		return rc;
	}
	rc = manifest_parse(blob, max, HYP_XLEN, &manifest);
	if (rc)
		return rc;
	hyp_stay_up = manifest.stay_up;
	hyp_trap_time = manifest.trap_time;
	if (m->fdt) {
		board_init(&board, m->fdt, m->pmp_regions);
		devices_check(&manifest, &board);
	}
	place_containers(&manifest, &m->free, m->pmp_regions, placed);
	create_containers();
	if (!hyp_nr_containers) {
		hyp_log("no container can run");
		return HYP_ENOENT;
	}
	if (m->fdt)
		devices_init(&board);
	console_init(&hyp_containers[0]);
	return 0;
}

size_t hyp_heap_need(const void *blob, size_t max, unsigned int harts,
		     unsigned int *ctrs, unsigned int *vcpus)
{
	manifest_count(blob, max, ctrs, vcpus);
	return harts * sizeof(struct hart) +
	       *ctrs * (sizeof(struct manifest_ctr) + sizeof(struct mem_range) +
			sizeof(struct container)) +
	       *vcpus * sizeof(struct vcpu);
}

/* The boot hart's first arrival starts every container and the others. */
static void start_all(void)
{
	unsigned int i, self = hal_hart_index();

	for (i = 0; i < hyp_nr_containers; i++)
		if (container_start(&hyp_containers[i]))
			hyp_log("container %s: not started", container_name(&hyp_containers[i]));
	for (i = 0; i < hal_hart_count(); i++)
		if (i != self && hal_hart_runs_guests(i))
			hal_hart_start(i);
}

/* A hart arrives from the boot stub: from now on it runs vCPUs. */
struct hyp_frame *hyp_enter(struct hyp_frame *f);
struct hyp_frame *hyp_enter(struct hyp_frame *f)
{
	static int first = 1;
	struct hart *h = this_hart();

	if (f->trap.cause != HYP_EXC_ECALL_S ||
	    f->regs.x[HYP_REG_A7] != HYP_EXT_DIOSIX ||
	    f->regs.x[HYP_REG_A0 + 6] != HYP_DIOSIX_ENTER)
		return hal_trap_forward(f);
	if (!hyp_nr_containers) {
		vcons_drain_all();
		hal_poweroff();
	}
	if (__atomic_exchange_n(&first, 0, __ATOMIC_ACQ_REL))
		start_all();
	__atomic_store_n(&h->started, true, __ATOMIC_RELEASE);
	return sched_next();
}
