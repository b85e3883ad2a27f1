/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * String helpers for hyp/: OpenSBI's in the firmware, the C library's on
 * the host. Only the few that hyp/ needs.
 */
#ifndef HYP_STRING_H
#define HYP_STRING_H

#include <hyp/types.h>

#ifdef HYP_HOST
#include <string.h>
#define hyp_memcpy	memcpy
#define hyp_memset	memset
#define hyp_memcmp	memcmp
#define hyp_strlen	strlen
#define hyp_strnlen	strnlen
#define hyp_strcmp	strcmp
#define hyp_strncmp	strncmp
#else
#include <sbi/sbi_string.h>
#define hyp_memcpy	sbi_memcpy
#define hyp_memset	sbi_memset
#define hyp_memcmp	sbi_memcmp
#define hyp_strlen	sbi_strlen
#define hyp_strnlen	sbi_strnlen
#define hyp_strcmp	sbi_strcmp
#define hyp_strncmp	sbi_strncmp
#endif

/* Bulk copies (guest images) a word at a time: sbi_memcpy is a byte loop. */
void hyp_copy(void *dst, const void *src, size_t len);
void hyp_zero(void *dst, size_t len);

/* snprintf subset: %s %c %d %u %x %lx %lu %ld %llx %llu %p, width, '0' pad. */
int hyp_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
