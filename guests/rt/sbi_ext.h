/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SBI v2.0 extension and function IDs, error codes and thin call
 * wrappers for the SBI conformance guests. Every wrapper returns the
 * raw struct sbiret so the tests see exactly what the SBI returned.
 */
#ifndef GUEST_SBI_EXT_H
#define GUEST_SBI_EXT_H

#include <stdint.h>

#include "sbi.h"

/* Standard error codes (spec chapter 3, table 1) */
#define SBI_ERR_FAILED			-1
#define SBI_ERR_NOT_SUPPORTED		-2
#ifndef SBI_ERR_INVALID_PARAM
#define SBI_ERR_INVALID_PARAM		-3
#endif
#define SBI_ERR_DENIED			-4
#define SBI_ERR_INVALID_ADDRESS		-5
#define SBI_ERR_ALREADY_AVAILABLE	-6
#define SBI_ERR_NO_SHMEM		-9
#define SBI_ERR_BAD_RANGE		-11

/* Legacy extensions (v0.1), one EID per function */
#define SBI_LEGACY_SET_TIMER		0x00
#define SBI_LEGACY_CONSOLE_PUTCHAR	0x01
#define SBI_LEGACY_CONSOLE_GETCHAR	0x02
#define SBI_LEGACY_CLEAR_IPI		0x03
#define SBI_LEGACY_SEND_IPI		0x04
#define SBI_LEGACY_REMOTE_FENCE_I	0x05
#define SBI_LEGACY_REMOTE_SFENCE_VMA	0x06
#define SBI_LEGACY_REMOTE_SFENCE_VMA_ASID 0x07

#define SBI_EXT_BASE			0x10
#define SBI_BASE_GET_SPEC_VERSION	0
#define SBI_BASE_GET_IMPL_ID		1
#define SBI_BASE_GET_IMPL_VERSION	2
#define SBI_BASE_PROBE_EXT		3
#define SBI_BASE_GET_MVENDORID		4
#define SBI_BASE_GET_MARCHID		5
#define SBI_BASE_GET_MIMPID		6

#define SBI_EXT_TIME			0x54494D45
#define SBI_TIME_SET_TIMER		0

#define SBI_EXT_IPI			0x735049
#define SBI_IPI_SEND_IPI		0

#define SBI_EXT_RFENCE			0x52464E43
#define SBI_RFENCE_FENCE_I		0
#define SBI_RFENCE_SFENCE_VMA		1
#define SBI_RFENCE_SFENCE_VMA_ASID	2
#define SBI_RFENCE_HFENCE_GVMA_VMID	3
#define SBI_RFENCE_HFENCE_GVMA		4
#define SBI_RFENCE_HFENCE_VVMA_ASID	5
#define SBI_RFENCE_HFENCE_VVMA		6

#define SBI_EXT_STA			0x535441
#define SBI_STA_SET_SHMEM		0

#define SBI_EXT_SUSP			0x53555350
#define SBI_SUSP_SYSTEM_SUSPEND		0

#define SBI_EXT_FWFT			0x46574654
#define SBI_FWFT_SET			0
#define SBI_FWFT_GET			1
#define SBI_FWFT_MISALIGNED_EXC_DELEG	0
#define SBI_FWFT_SET_FLAG_LOCK		1

#define SBI_EXT_PMU			0x504D55
#define SBI_PMU_NUM_COUNTERS		0
#define SBI_PMU_CFG_MATCH		2
#define SBI_PMU_FW_READ			5
#define SBI_PMU_CFG_CLEAR_VALUE		2
#define SBI_PMU_CFG_AUTO_START		4
#define SBI_PMU_EVENT_FW(code)		(0xf0000UL | (code))

#define SBI_EXT_DBTR			0x44425452
#define SBI_DBTR_NUM_TRIGGERS		0
#define SBI_DBTR_SET_SHMEM		1
#define SBI_DBTR_READ			2
#define SBI_DBTR_INSTALL		3
#define SBI_DBTR_UPDATE			4
#define SBI_DBTR_UNINSTALL		5
#define SBI_DBTR_ENABLE			6
#define SBI_DBTR_DISABLE		7

#define SBI_EXT_HSM			0x48534D
#define SBI_HSM_HART_START		0
#define SBI_HSM_HART_STOP		1
#define SBI_HSM_HART_GET_STATUS		2
#define SBI_HSM_HART_SUSPEND		3

/* HSM states (spec table "HSM Hart States") */
#define HSM_STARTED			0
#define HSM_STOPPED			1
#define HSM_START_PENDING		2
#define HSM_STOP_PENDING		3
#define HSM_SUSPENDED			4
#define HSM_SUSPEND_PENDING		5
#define HSM_RESUME_PENDING		6

#define HSM_SUSPEND_RET_DEFAULT		0x00000000UL
#define HSM_SUSPEND_NON_RET_DEFAULT	0x80000000UL

/* SBI_EXT_SRST, SBI_EXT_DBCN come from sbi.h / layout.h */
#define SBI_SRST_RESET			0
#define SBI_DBCN_READ			1
#define SBI_DBCN_WRITE_BYTE		2

/*
 * x with junk in bits 32 and up of its register. The spec's Binary
 * Encoding chapter: EIDs and FIDs are 32-bit, and of an argument "defined
 * as 32bit wide" the SBI implementation "only uses 32 bit data", so the
 * call must behave as with x alone. rv64 only (SBI_HAS_HIGH_HALF).
 */
#define SBI_HAS_HIGH_HALF		(__riscv_xlen == 64)

static inline unsigned long sbi_high_junk(unsigned long x)
{
#if __riscv_xlen == 64
	return x | 0xa5a5a5a500000000UL;
#else
	return x;
#endif
}

/* hart_mask_base value meaning "all available harts" */
#define SBI_HART_MASK_ALL		(-1UL)

static inline struct sbiret sbi_call0(unsigned long ext, unsigned long fid)
{
	return sbi_ecall(ext, fid, 0, 0, 0, 0, 0, 0);
}

static inline struct sbiret sbi_call1(unsigned long ext, unsigned long fid,
				      unsigned long a0)
{
	return sbi_ecall(ext, fid, a0, 0, 0, 0, 0, 0);
}

static inline long sbi_probe(unsigned long ext)
{
	struct sbiret ret = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, ext);

	return ret.error ? 0 : ret.value;
}

/* TIME set_timer: the 64-bit value goes in a0 (rv64) or a0/a1 (rv32). */
static inline struct sbiret sbi_set_timer(uint64_t when)
{
#if __riscv_xlen == 64
	return sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, when, 0, 0, 0, 0, 0);
#else
	return sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, (uint32_t)when,
			 (uint32_t)(when >> 32), 0, 0, 0, 0);
#endif
}

static inline struct sbiret sbi_send_ipi(unsigned long mask, unsigned long base)
{
	return sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, mask, base, 0, 0, 0, 0);
}

static inline struct sbiret sbi_hart_start(unsigned long hartid,
					   unsigned long addr,
					   unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, addr, opaque,
			 0, 0, 0);
}

static inline struct sbiret sbi_hart_stop(void)
{
	return sbi_call0(SBI_EXT_HSM, SBI_HSM_HART_STOP);
}

static inline struct sbiret sbi_hart_get_status(unsigned long hartid)
{
	return sbi_call1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hartid);
}

static inline struct sbiret sbi_hart_suspend(unsigned long type,
					     unsigned long resume_addr,
					     unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, type, resume_addr,
			 opaque, 0, 0, 0);
}

static inline struct sbiret sbi_rfence(unsigned long fid, unsigned long mask,
				       unsigned long base, unsigned long start,
				       unsigned long size, unsigned long id)
{
	return sbi_ecall(SBI_EXT_RFENCE, fid, mask, base, start, size, id, 0);
}

/* Legacy calls return one value, in a0 (our sbiret.error). */
static inline long sbi_legacy(unsigned long eid, unsigned long a0,
			      unsigned long a1, unsigned long a2,
			      unsigned long a3)
{
	return sbi_ecall(eid, 0, a0, a1, a2, a3, 0, 0).error;
}

#endif
