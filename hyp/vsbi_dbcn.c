// SPDX-License-Identifier: BSD-2-Clause
/*
 * DBCN: the container's own console. Buffers are guest physical
 * addresses; each must lie wholly inside the caller's RAM, or the call
 * fails with VSBI_ERR_INVALID_PARAM and nothing is read or written.
 */
#include <hyp/console.h>
#include <hyp/container.h>
#include <hyp/hal.h>
#include <hyp/vsbi.h>
#include <hyp/vcpu.h>

#define DBCN_WRITE		0
#define DBCN_READ		1
#define DBCN_WRITE_BYTE		2
/* Longest write handled in one call, so no guest holds the UART long. */
#define DBCN_CHUNK		4096

static bool dbcn_buffer(struct vcpu *v, const ulong *a, u64 *addr, u64 *len)
{
	*len = a[0];
	*addr = a[1];
	if (HYP_XLEN == 32)
		*addr |= (u64)a[2] << 32;
	else if (a[2])
		return false;
	/* The whole buffer the guest names must be its own, not just the
	 * part one call handles. */
	if (!container_owns(v->ctr, *addr, *len))
		return false;
	if (*len > DBCN_CHUNK)
		*len = DBCN_CHUNK;
	return true;
}

static void dbcn_handle(struct vcpu *v, u32 eid, u32 fid, const ulong *a,
			struct vsbi_ret *ret)
{
	u64 addr, len, i;
	char *buf;
	int ch;

	(void)eid;
	ret->error = VSBI_SUCCESS;
	if (fid == DBCN_WRITE_BYTE) {
		vcons_putc(&v->ctr->cons, (char)(a[0] & 0xff));
		return;
	}
	if (fid != DBCN_WRITE && fid != DBCN_READ) {
		ret->error = VSBI_ERR_NOT_SUPPORTED;
		return;
	}
	if (!dbcn_buffer(v, a, &addr, &len)) {
		ret->error = VSBI_ERR_INVALID_PARAM;
		return;
	}
	buf = hal_phys(addr);
	if (fid == DBCN_WRITE) {
		vcons_write(&v->ctr->cons, buf, (size_t)len);
		ret->value = (ulong)len;
		return;
	}
	for (i = 0; i < len; i++) {
		ch = console_getc_for(v->ctr);
		if (ch < 0)
			break;
		buf[i] = (char)ch;
	}
	ret->value = (ulong)i;
}

const struct vsbi_ext vsbi_ext_dbcn = {
	.name = "DBCN",
	.eid_first = VSBI_EXT_DBCN,
	.eid_last = VSBI_EXT_DBCN,
	.handle = dbcn_handle,
};
