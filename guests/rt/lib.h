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

/*
 * "<label>=0x<hex>" with a non-empty label: true, *label_len and *val
 * set. False for anything else.
 */
bool parse_label_hex(const char *tok, size_t len, size_t *label_len,
		     uint64_t *val);

/*
 * The last "<key>=<decimal or 0x-hex>" token of a command line (args
 * may be NULL): 1 and *val set, 0 if there is none, -1 if its value
 * does not parse (*bad and *bad_len then name the token).
 */
int bootarg_number(const char *args, const char *key, uint64_t *val,
		   const char **bad, size_t *bad_len);

/*
 * bootarg_number() for an address or a count: false if there is none,
 * it does not parse, or it does not fit an unsigned long.
 */
bool bootarg_ulong(const char *args, const char *key, unsigned long *out);

/* Is the bare word (NUL-terminated) one of the tokens of args? */
bool bootarg_flag(const char *args, const char *word);

/*
 * An address-dependent pattern over the longs of [start, end): word at
 * p holds p ^ xor. pattern_first_bad() is the lowest address that lost
 * it, or 0.
 */
void pattern_fill(unsigned long start, unsigned long end, unsigned long xor);
unsigned long pattern_first_bad(unsigned long start, unsigned long end,
				unsigned long xor);

/* FNV-1a over the bytes of [start, end), read afresh each time. */
uint32_t mem_checksum(unsigned long start, unsigned long end);

/* n / d without libgcc (no 64-bit divide instruction on rv32); d != 0. */
uint64_t udiv64(uint64_t n, uint64_t d);

#endif
