// SPDX-License-Identifier: BSD-2-Clause
/*
 * vblk: a virtio-blk disk driven from a container, for rv32 as much as
 * rv64 (system test: vblk). A minimal driver of the virtio 1.x
 * ("modern", Version 2) MMIO transport with one split virtqueue, from
 * the virtio specification: device initialisation (3.1.1), the split
 * virtqueue (2.7), the block device's requests (5.2.6). Each request
 * completes by the used-buffer interrupt, through the container's
 * virtual PLIC, taken in WFI.
 *
 * bootargs: dev= the transport's address, irq= its PLIC source, plic=
 * the PLIC's address. On its first boot sector SECTOR holds no stamp:
 * vblk writes one ("diosix vblk <8 hex digits>" and a pattern from the
 * stamp), reads it back, and reboots (SRST). After the restart it finds
 * the stamp, checks the pattern and shuts down. Output, first boot:
 *
 *	PASS vblk: ... (the transport, the write, the read back)
 *	vblk: wrote sector 1: stamp 0x<8 hex digits>
 *	vblk done: <n> passed, 0 failed
 *
 * and after the reboot:
 *
 *	PASS vblk: ...
 *	vblk: read sector 1 after the reboot: stamp 0x<8 hex digits>
 *	vblk done: <n> passed, 0 failed
 */
#include "csr.h"
#include "devio.h"
#include "irq.h"
#include "rt.h"
#include "sbi_ext.h"
#include "sbitest.h"
#include "smp.h"
#include "test.h"

#define EXT		"vblk"
#define SECTOR		1
#define SECTOR_SIZE	512
#define WAIT_MS		2000
#define STAMP_TEXT	"diosix vblk "
#define STAMP_LEN	(sizeof(STAMP_TEXT) - 1 + 10)	/* 0x and 8 digits */

/* The MMIO transport's registers (4.2.2) */
#define VIRTIO_MAGIC		0x000	/* "virt" */
#define VIRTIO_VERSION		0x004
#define VIRTIO_DEVICE_ID	0x008
#define VIRTIO_DEV_FEATURES	0x010
#define VIRTIO_DEV_FEATURES_SEL	0x014
#define VIRTIO_DRV_FEATURES	0x020
#define VIRTIO_DRV_FEATURES_SEL	0x024
#define VIRTIO_QUEUE_SEL	0x030
#define VIRTIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_QUEUE_NUM	0x038
#define VIRTIO_QUEUE_READY	0x044
#define VIRTIO_QUEUE_NOTIFY	0x050
#define VIRTIO_IRQ_STATUS	0x060
#define VIRTIO_IRQ_ACK		0x064
#define VIRTIO_STATUS		0x070
#define VIRTIO_QUEUE_DESC	0x080	/* low word, then high */
#define VIRTIO_QUEUE_DRIVER	0x090
#define VIRTIO_QUEUE_DEVICE	0x0a0
#define VIRTIO_CONFIG		0x100	/* blk: capacity, 64 bits, in sectors */

#define MAGIC_VIRT		0x74726976
#define DEVICE_BLK		2
#define STATUS_ACK		1
#define STATUS_DRIVER		2
#define STATUS_DRIVER_OK	4
#define STATUS_FEATURES_OK	8
#define F_VERSION_1_HI		1U	/* feature bit 32 */
#define IRQ_USED		1U	/* InterruptStatus: used buffer */

/* The split virtqueue (2.7): 3 descriptors a request, one at a time. */
#define VQ_SIZE			4
#define DESC_F_NEXT		1
#define DESC_F_WRITE		2	/* the device writes this buffer */

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[VQ_SIZE];
	uint16_t used_event;
};

struct vq_used {
	uint16_t flags;
	uint16_t idx;
	struct {
		uint32_t id;
		uint32_t len;
	} ring[VQ_SIZE];
	uint16_t avail_event;
};

/* A block request's header (5.2.6) */
#define BLK_T_IN		0
#define BLK_T_OUT		1

struct blk_req {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

static struct vq_desc desc[VQ_SIZE] __attribute__((aligned(16)));
static struct vq_avail avail __attribute__((aligned(2)));
static volatile struct vq_used used __attribute__((aligned(4)));
static struct blk_req req;
static uint8_t data[SECTOR_SIZE];
static volatile uint8_t req_status;
static uint16_t used_seen;

static unsigned long plic, dev;
static unsigned int irq;
static volatile unsigned int irqs, spurious, other;

static void vio_w64(unsigned long reg, const volatile void *p)
{
	uint64_t a = (uintptr_t)p;

	w32(dev + reg, (uint32_t)a);
	w32(dev + reg + 4, (uint32_t)(a >> 32));
}

static void blk_irq(unsigned long code)
{
	uint32_t why;

	if (code == IRQ_S_TIMER) {	/* wait_count's deadline */
		sbi_set_timer(~0ULL);
		return;
	}
	if (!plic_claim_irq(plic, irq, code, &spurious, &other))
		return;
	why = r32(dev + VIRTIO_IRQ_STATUS);
	w32(dev + VIRTIO_IRQ_ACK, why);
	if (why & IRQ_USED)
		irqs++;
	w32(plic + PLIC_CLAIM, irq);
}

/* Reset, negotiate VERSION_1 alone, set up queue 0 (3.1.1, 4.2.3.2). */
static bool blk_init(void)
{
	w32(dev + VIRTIO_STATUS, 0);
	while (r32(dev + VIRTIO_STATUS))
		cpu_relax();
	w32(dev + VIRTIO_STATUS, STATUS_ACK);
	w32(dev + VIRTIO_STATUS, STATUS_ACK | STATUS_DRIVER);
	w32(dev + VIRTIO_DEV_FEATURES_SEL, 1);
	if (!test_check(r32(dev + VIRTIO_DEV_FEATURES) & F_VERSION_1_HI, EXT,
			"the device offers VIRTIO_F_VERSION_1", "not offered"))
		return false;
	w32(dev + VIRTIO_DRV_FEATURES_SEL, 0);
	w32(dev + VIRTIO_DRV_FEATURES, 0);
	w32(dev + VIRTIO_DRV_FEATURES_SEL, 1);
	w32(dev + VIRTIO_DRV_FEATURES, F_VERSION_1_HI);
	w32(dev + VIRTIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_FEATURES_OK);
	if (!test_check(r32(dev + VIRTIO_STATUS) & STATUS_FEATURES_OK, EXT,
			"the device accepts the features", "FEATURES_OK cleared"))
		return false;
	w32(dev + VIRTIO_QUEUE_SEL, 0);
	if (!test_check(!r32(dev + VIRTIO_QUEUE_READY) &&
			r32(dev + VIRTIO_QUEUE_NUM_MAX) >= VQ_SIZE, EXT,
			"queue 0 is free and holds a request", "max %u",
			r32(dev + VIRTIO_QUEUE_NUM_MAX)))
		return false;
	w32(dev + VIRTIO_QUEUE_NUM, VQ_SIZE);
	vio_w64(VIRTIO_QUEUE_DESC, desc);
	vio_w64(VIRTIO_QUEUE_DRIVER, &avail);
	vio_w64(VIRTIO_QUEUE_DEVICE, &used);
	w32(dev + VIRTIO_QUEUE_READY, 1);
	w32(dev + VIRTIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_FEATURES_OK |
				 STATUS_DRIVER_OK);
	return true;
}

static void set_desc(unsigned int i, const volatile void *p, uint32_t len, uint16_t flags)
{
	desc[i].addr = (uintptr_t)p;
	desc[i].len = len;
	desc[i].flags = flags;
	desc[i].next = (uint16_t)(i + 1);
}

/* One request on sector SECTOR, to or from data[]; its status, or -1. */
static int blk_io(uint32_t type)
{
	unsigned int before = irqs;

	req.type = type;
	req.reserved = 0;
	req.sector = SECTOR;
	req_status = 0xff;
	set_desc(0, &req, sizeof(req), DESC_F_NEXT);
	set_desc(1, data, SECTOR_SIZE, DESC_F_NEXT | (type == BLK_T_IN ? DESC_F_WRITE : 0));
	set_desc(2, &req_status, 1, DESC_F_WRITE);
	avail.ring[avail.idx % VQ_SIZE] = 0;
	/* The descriptors before the index, the index before the notify. */
	asm volatile("fence rw, rw" ::: "memory");
	avail.idx++;
	asm volatile("fence rw, rw" ::: "memory");
	w32(dev + VIRTIO_QUEUE_NOTIFY, 0);
	if (!wait_count(&irqs, before, rdtime64() + ms_to_ticks(WAIT_MS)) ||
	    used.idx != (uint16_t)(used_seen + 1))
		return -1;
	asm volatile("fence rw, rw" ::: "memory");
	used_seen++;
	return used.ring[(used_seen - 1) % VQ_SIZE].id == 0 ? req_status : -1;
}

static void fill(uint32_t stamp)
{
	unsigned int i;

	test_snprintf((char *)data, sizeof(data), STAMP_TEXT "0x%08x", stamp);
	for (i = STAMP_LEN; i < SECTOR_SIZE; i++)
		data[i] = (uint8_t)(stamp >> (8 * (i % 4))) ^ (uint8_t)i;
}

/* The stamp data[] holds with its pattern, or 0. */
static uint32_t stamp_of(void)
{
	static uint8_t want[SECTOR_SIZE];
	uint64_t v;

	if (memcmp(data, STAMP_TEXT, sizeof(STAMP_TEXT) - 1) ||
	    !parse_hex((const char *)data + sizeof(STAMP_TEXT) - 1, 10, &v) || !v)
		return 0;
	memcpy(want, data, sizeof(want));
	fill((uint32_t)v);
	return memcmp(want, data, sizeof(want)) ? 0 : (uint32_t)v;
}

static void first_boot(void)
{
	/* Never 0: 0 is "no stamp". */
	uint32_t stamp = (uint32_t)rdtime64() | 1;

	fill(stamp);
	test_eq(EXT, "write sector 1: status OK", blk_io(BLK_T_OUT), 0);
	memset(data, 0, sizeof(data));
	test_eq(EXT, "read sector 1: status OK", blk_io(BLK_T_IN), 0);
	test_check(stamp_of() == stamp, EXT, "sector 1 reads back as written", "other bytes");
	printf("vblk: wrote sector 1: stamp 0x%08x\n", stamp);
}

static void after_reboot(uint32_t stamp)
{
	test_pass(EXT, "sector 1 holds a stamp and its pattern");
	printf("vblk: read sector 1 after the reboot: stamp 0x%08x\n", stamp);
}

int main(unsigned long hartid, const void *dtb)
{
	uint32_t stamp = 0;
	unsigned long n;
	const char *args;
	struct fdt fdt;

	test_begin(EXT);
	guest_fdt(&fdt, dtb);
	args = guest_bootargs(&fdt);
	if (smp_init(&fdt, hartid) || !smp.timebase || !bootarg_ulong(args, "plic", &plic) ||
	    !bootarg_ulong(args, "dev", &dev) || !bootarg_ulong(args, "irq", &n)) {
		puts("FAIL " EXT ": needs a timebase, and plic=, dev= and irq= in bootargs");
		shutdown_failure();
	}
	irq = (unsigned int)n;
	test_check(r32(dev + VIRTIO_MAGIC) == MAGIC_VIRT && r32(dev + VIRTIO_VERSION) == 2 &&
		   r32(dev + VIRTIO_DEVICE_ID) == DEVICE_BLK, EXT,
		   "a virtio 1.x block device", "version %u, device %u",
		   r32(dev + VIRTIO_VERSION), r32(dev + VIRTIO_DEVICE_ID));
	plic_open(plic, irq);
	irq_set_handler(blk_irq);
	csr_set(sie, SIP_SEIP);
	irq_enable();
	if (blk_init()) {
		test_check(r32(dev + VIRTIO_CONFIG) > SECTOR || r32(dev + VIRTIO_CONFIG + 4), EXT,
			   "the disk has sector 1", "capacity %u", r32(dev + VIRTIO_CONFIG));
		test_eq(EXT, "read sector 1: status OK", blk_io(BLK_T_IN), 0);
		stamp = stamp_of();
		if (stamp)
			after_reboot(stamp);
		else
			first_boot();
		test_eq(EXT, "every request ended by its interrupt, none spurious",
			(long)(spurious + other), 0);
	}
	n = test_done();
	if (n || stamp)
		shutdown();
	sbi_ecall(SBI_EXT_SRST, 0, 1, 0, 0, 0, 0, 0);	/* cold reboot */
	shutdown_failure();
}
