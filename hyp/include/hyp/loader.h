/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guest image loader: ELF (32- or 64-bit RISC-V, by the target's XLEN)
 * and raw images with a RISC-V Linux "Image" header. Images are untrusted:
 * every header field is checked against the blob and the container's RAM
 * before a byte is copied.
 */
#ifndef HYP_LOADER_H
#define HYP_LOADER_H

#include <hyp/types.h>

enum image_kind { IMAGE_ELF, IMAGE_LINUX };

struct image_info {
	enum image_kind kind;
	u64 span;	/* bytes from the load base the image occupies */
	u64 entry;	/* entry offset from the load base */
};

/**
 * Check @image (@size bytes) is a loadable image for @xlen. On failure
 * returns HYP_EINVAL and points @why at a short reason.
 */
int loader_inspect(const void *image, size_t size, unsigned int xlen,
		   struct image_info *info, const char **why);

/** Copy a checked image to guest physical @base; returns entry address. */
u64 loader_load(const void *image, size_t size, unsigned int xlen, u64 base);

const char *loader_kind_name(enum image_kind kind);

#endif
