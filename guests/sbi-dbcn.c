// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-dbcn: SBI v2.0 Debug Console extension (chapter 12).
 *
 * Spec points checked: console_write is non-blocking and "may do
 * partial/no writes", returning the number of bytes written (so the
 * first call may write 0..num_bytes, and retrying must get a whole
 * line out); console_read "will not write anything into the output
 * memory if there are no bytes to be read"; console_write_byte is
 * blocking and sets sbiret.value to zero; a buffer that "does not
 * satisfy the requirements" of the shared memory physical address
 * range (S-mode must be allowed to access it) gives
 * SBI_ERR_INVALID_PARAM; an unknown FID gives SBI_ERR_NOT_SUPPORTED.
 * The bad buffer is find_inaccessible()'s address (not RAM per
 * /memory, and an S-mode load there faults): an unmapped address
 * would hang stock OpenSBI, which only checks its own PMP regions and
 * then reads the buffer in M-mode.
 *
 * The run expects no console input (QEMU stdin at EOF / not typed on).
 *
 * Single hart: nothing here needs a second hart; the lines are the same
 * for every hart count. Output, in order (the two unprefixed lines are
 * the bytes the write checks put out):
 *
 *	PASS dbcn: probe_extension(DBCN) is non-zero
 *	dbcn: this line came through console_write_byte
 *	PASS dbcn: console_write_byte returns error 0, value 0
 *	dbcn: this line came through console_write_byte with bits 8 and up set
 *	PASS dbcn: console_write_byte with bits 8 and up set returns error 0, value 0
 *	dbcn: this line came through console_write
 *	PASS dbcn: console_write returns error 0 and at most num_bytes
 *	PASS dbcn: console_write of a whole line completes
 *	PASS dbcn: console_write of 0 bytes returns error 0, value 0
 *	PASS dbcn: console_read with no input returns 0 bytes and leaves the buffer alone
 *	PASS dbcn: console_write from an inaccessible non-RAM address returns SBI_ERR_INVALID_PARAM
 *	PASS dbcn: console_read into an inaccessible non-RAM address returns SBI_ERR_INVALID_PARAM
 *	PASS dbcn: unknown FID returns SBI_ERR_NOT_SUPPORTED
 *	sbi-dbcn done: 10 passed, 0 failed
 */
#include "rt.h"
#include "sbitest.h"

#define EXT		"dbcn"
#define MAX_CALLS	1000	/* console_write calls for one line */

static struct sbiret dbcn(unsigned long fid, unsigned long a0,
			  unsigned long a1, unsigned long a2)
{
	return sbi_ecall(SBI_EXT_DBCN, fid, a0, a1, a2, 0, 0, 0);
}

/*
 * line through console_write_byte, one byte per call, with junk in
 * bits 8 and up of each: the argument is a uint8_t, so only the low 8
 * bits may count (the system test checks the line came out whole).
 */
static void write_byte_check(const char *line, unsigned long junk,
			     const char *what)
{
	struct sbiret ret, bad = { 0, 0 };

	for (; *line; line++) {
		ret = dbcn(SBI_DBCN_WRITE_BYTE, junk | (unsigned char)*line, 0, 0);
		if ((ret.error || ret.value) && !bad.error && !bad.value)
			bad = ret;
	}
	test_check(!bad.error && !bad.value, EXT, what,
		   "error %ld value %ld (expected 0, 0)", bad.error, bad.value);
}

static void write_checks(void)
{
	static const char line[] = "dbcn: this line came through console_write\n";
	unsigned long len = sizeof(line) - 1, done, calls;
	struct sbiret first, ret;

	first = dbcn(SBI_DBCN_WRITE, len, (unsigned long)line, 0);
	done = first.error ? 0 : (unsigned long)first.value;
	ret = first;
	for (calls = 1; !ret.error && done < len && calls < MAX_CALLS; calls++) {
		ret = dbcn(SBI_DBCN_WRITE, len - done,
			   (unsigned long)line + done, 0);
		if (!ret.error)
			done += (unsigned long)ret.value;
	}
	test_check(first.error == 0 && (unsigned long)first.value <= len, EXT,
		   "console_write returns error 0 and at most num_bytes",
		   "error %ld value %ld (expected 0, 0..%lu)", first.error,
		   first.value, len);
	test_check(!ret.error && done == len, EXT,
		   "console_write of a whole line completes",
		   "error %ld, %lu of %lu bytes after %lu calls (expected 0, all)",
		   ret.error, done, len, calls);

	ret = dbcn(SBI_DBCN_WRITE, 0, (unsigned long)line, 0);
	test_ret(EXT, "console_write of 0 bytes returns error 0, value 0", ret, 0);
}

static void read_check(void)
{
	unsigned char buf[32];
	struct sbiret ret;
	bool untouched = true;
	size_t i;

	memset(buf, 0xa5, sizeof(buf));
	ret = dbcn(SBI_DBCN_READ, sizeof(buf), (unsigned long)buf, 0);
	for (i = 0; i < sizeof(buf); i++)
		untouched = untouched && buf[i] == 0xa5;
	test_check(ret.error == 0 && ret.value == 0 && untouched, EXT,
		   "console_read with no input returns 0 bytes and leaves the buffer alone",
		   "error %ld value %ld, buffer %s (expected 0, 0, untouched)",
		   ret.error, ret.value, untouched ? "untouched" : "written");
}

static void bad_buffer_checks(const struct fdt *fdt)
{
	static const char *const what[] = {
		"console_write from an inaccessible non-RAM address returns SBI_ERR_INVALID_PARAM",
		"console_read into an inaccessible non-RAM address returns SBI_ERR_INVALID_PARAM",
	};
	static const unsigned long fid[] = { SBI_DBCN_WRITE, SBI_DBCN_READ };
	unsigned long bad;
	struct sbiret ret;
	int i;

	for (i = 0; i < 2; i++) {
		if (!find_inaccessible(fdt, &bad)) {
			test_fail(EXT, what[i], "no such address found (expected one)");
			continue;
		}
		ret = dbcn(fid[i], 8, bad, 0);
		test_err(EXT, what[i], ret, SBI_ERR_INVALID_PARAM);
	}
}

int main(unsigned long hartid, const void *dtb)
{
	struct fdt fdt;
	struct sbiret ret;

	(void)hartid;
	test_begin("sbi-dbcn");
	guest_fdt(&fdt, dtb);

	if (test_probe(EXT, "DBCN", SBI_EXT_DBCN)) {
		write_byte_check("dbcn: this line came through console_write_byte\n",
				 0, "console_write_byte returns error 0, value 0");
		write_byte_check("dbcn: this line came through console_write_byte with bits 8 and up set\n",
				 ~0xffUL, "console_write_byte with bits 8 and up set returns error 0, value 0");
		write_checks();
		read_check();
		bad_buffer_checks(&fdt);
		ret = dbcn(0x7f, 0, 0, 0);
		test_err(EXT, "unknown FID returns SBI_ERR_NOT_SUPPORTED", ret,
			 SBI_ERR_NOT_SUPPORTED);
	}
	test_done();
	return 0;
}
