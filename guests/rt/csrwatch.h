/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Supervisor CSRs that are a vCPU's own state: the victim writes known
 * values and checks they stay (csrwatch_set, csrwatch_check), a hostile
 * guest writes random ones (csrwatch_scribble). On a hart with the H
 * extension S-mode is HS-mode and the h* and vs* CSRs are reachable
 * whatever the device tree says, so they are watched too.
 *
 * The values are chosen so that neither side changes how it runs:
 * stvec is only ever rewritten with itself, hstatus.SPV is never set
 * (an sret would enter VS-mode), and the interrupt bits written to sie,
 * hie and hvip never make one both pending and enabled in S-mode for a
 * guest that keeps sstatus.SIE clear.
 */
#ifndef GUEST_CSRWATCH_H
#define GUEST_CSRWATCH_H

#include <stdbool.h>
#include <stdint.h>

/* Watch the H CSRs too (the hart has H). Returns the number watched. */
int csrwatch_init(bool with_h);

/* Write this round's values and remember what reads back (WARL). */
void csrwatch_set(unsigned long round);

/*
 * Index of the first CSR that no longer holds what csrwatch_set left,
 * or -1; *got and *want are its values.
 */
int csrwatch_check(unsigned long *got, unsigned long *want);

const char *csrwatch_name(int i);

/* Random values into every CSR a guest may scribble on (see above). */
void csrwatch_scribble(uint64_t (*rand64)(void *ctx), void *ctx);

#endif
