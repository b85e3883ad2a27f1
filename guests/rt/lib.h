/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* GCC may emit calls to these even in freestanding code. */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/*
 * Split a space-separated command line: on each call store the next
 * token (not NUL-terminated) and advance *cursor. False at the end.
 */
bool next_token(const char **cursor, const char **tok, size_t *len);

/* Parse "0x<hex digits>" / "<decimal digits>" of exactly len chars. */
bool parse_hex(const char *s, size_t len, uint64_t *out);
bool parse_dec(const char *s, size_t len, uint64_t *out);

/* "rv64imafdcv_zicsr...": is @ext among the single-letter extensions? */
bool isa_has_letter(const char *isa, size_t len, char ext);

/* Does the len-char token start with the NUL-terminated prefix? */
bool token_has_prefix(const char *tok, size_t len, const char *prefix);

#endif
