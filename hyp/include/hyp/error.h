/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal error codes. Guest-visible results always use the SBI error
 * codes of the specification (see sbi.h); these never reach a guest.
 */
#ifndef HYP_ERROR_H
#define HYP_ERROR_H

#define HYP_OK		0
#define HYP_EINVAL	-1001	/* malformed input: manifest, image, argument */
#define HYP_ENOMEM	-1002	/* does not fit: RAM, PMP entries, tables */
#define HYP_ENOENT	-1003	/* something required is missing */
#define HYP_ERANGE	-1004	/* a value outside its allowed range */
#define HYP_EBUSY	-1005	/* in the wrong state for the request */

#endif
