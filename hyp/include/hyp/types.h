/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Basic types for hyp/. The firmware build takes them from OpenSBI's
 * freestanding sbi_types.h (libfdt pulls that header in as well, so the
 * two must agree); the host build, which runs the unit tests, uses the C
 * library's.
 */
#ifndef HYP_TYPES_H
#define HYP_TYPES_H

#ifdef HYP_HOST
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef unsigned long ulong;
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
#else
#include <sbi/sbi_types.h>
#endif

#define HYP_XLEN		(sizeof(ulong) * 8)
#define HYP_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define HYP_ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define HYP_IS_POW2(x)		((x) != 0 && ((x) & ((x) - 1)) == 0)

#define HYP_KIB			1024ULL
#define HYP_MIB			(1024ULL * 1024ULL)

#endif
