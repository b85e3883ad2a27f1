/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hypervisor's own messages: whole lines, prefixed "[diosix] ", never
 * interleaved with a container's line.
 */
#ifndef HYP_LOG_H
#define HYP_LOG_H

void hyp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** A problem with one container's manifest entry or images. */
void hyp_log_ctr_error(const char *ctr, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
