/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A container's virtual PLIC: the register model of the RISC-V PLIC
 * specification (1.0.0), one S-mode context per vCPU. It knows nothing
 * of harts or devices: a device interrupt arrives through vplic_raise,
 * the guest's 32-bit accesses through vplic_read/vplic_write, and each
 * call says which contexts' external-interrupt line changed and which
 * source the guest completed (so the caller can complete it on the
 * physical PLIC). The caller serialises calls with p->lock.
 */
#ifndef HYP_VPLIC_H
#define HYP_VPLIC_H

#include <hyp/config.h>
#include <hyp/lock.h>
#include <hyp/types.h>

/* Sources 1 .. VPLIC_MAX_SRC - 1 (source 0 means "none"). */
#define VPLIC_MAX_SRC		128
#define VPLIC_SRC_WORDS		(VPLIC_MAX_SRC / 32)
#define VPLIC_CTX_WORDS		((HYP_MAX_CONTAINER_VCPUS + 31) / 32)
/* Priorities are WARL; three bits, as on QEMU's and SiFive's PLICs. */
#define VPLIC_PRIO_MASK		7U

/* The register map (offsets from the PLIC's base). */
#define VPLIC_PRIORITY		0x0
#define VPLIC_PENDING		0x1000
#define VPLIC_ENABLE		0x2000
#define VPLIC_ENABLE_STRIDE	0x80
#define VPLIC_CONTEXT		0x200000
#define VPLIC_CONTEXT_STRIDE	0x1000
#define VPLIC_THRESHOLD		0x0
#define VPLIC_CLAIM		0x4

/* The window the guest's device tree gives a PLIC with @nctx contexts. */
#define VPLIC_SIZE(nctx)	(VPLIC_CONTEXT + (u64)(nctx) * VPLIC_CONTEXT_STRIDE)

struct vplic_ctx {
	u32 enable[VPLIC_SRC_WORDS];
	u32 threshold;
};

struct vplic {
	struct hyp_lock lock;
	unsigned int nsrc;		/* sources 1 .. nsrc - 1 exist */
	unsigned int nctx;		/* contexts 0 .. nctx - 1 = vCPUs */
	u8 priority[VPLIC_MAX_SRC];
	u32 pending[VPLIC_SRC_WORDS];
	/* Raised and not yet completed: the gateway takes no new request. */
	u32 active[VPLIC_SRC_WORDS];
	struct vplic_ctx ctx[HYP_MAX_CONTAINER_VCPUS];
	/* Each context's interrupt line; read without the lock (vplic_eip). */
	u32 eip[VPLIC_CTX_WORDS];
};

/* What a call changed, for the caller to act on outside the model. */
struct vplic_effect {
	u32 changed[VPLIC_CTX_WORDS];	/* contexts whose line moved */
	unsigned int completed;		/* source the guest completed, or 0 */
};

/** Reset to power-on: all priorities, enables, pending bits zero. */
void vplic_reset(struct vplic *p, unsigned int nsrc, unsigned int nctx);

/**
 * A device asserted @src: pending unless its gateway is still waiting
 * for a completion. False if @src is out of range or already active.
 */
bool vplic_raise(struct vplic *p, unsigned int src, struct vplic_effect *e);

/**
 * A guest's 32-bit load at @off (4-byte aligned). A claim changes state.
 * Reserved and absent registers read as zero.
 */
u32 vplic_read(struct vplic *p, u64 off, struct vplic_effect *e);

/** A guest's 32-bit store at @off (4-byte aligned); reserved ones ignored. */
void vplic_write(struct vplic *p, u64 off, u32 val, struct vplic_effect *e);

/** Whether context @ctx's external-interrupt line is up (lock-free). */
static inline bool vplic_eip(const struct vplic *p, unsigned int ctx)
{
	return (__atomic_load_n(&p->eip[ctx / 32], __ATOMIC_ACQUIRE) >> (ctx % 32)) & 1;
}

#endif
