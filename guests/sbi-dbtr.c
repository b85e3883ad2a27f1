// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbi-dbtr: SBI v3.0 Debug Triggers extension (DBTR), on the calling
 * hart's Sdtrig triggers.
 *
 * Spec points checked: num_triggers(0) gives trig_max >= 1, and some
 * trigger can be an execute address match (type 2 mcontrol, else type 6
 * mcontrol6); read and install without shared memory return
 * SBI_ERR_NO_SHMEM; set_shmem refuses flags (INVALID_PARAM), an address
 * not XLEN/8 aligned (INVALID_PARAM), one above XLEN bits and one the
 * caller may not access (INVALID_ADDRESS); install refuses tdata1.m or
 * tdata1.dmode set (INVALID_PARAM) and more than trig_max triggers
 * (BAD_RANGE). An execute trigger on a function's address with s = 1 and
 * action 0 installed, calling the function takes a breakpoint exception
 * (delegated to S-mode) with sepc at the function; read gives back
 * trig_state (mapped, s) and tdata2; disable stops the hits, enable
 * brings them back; update moves the trigger to another function;
 * uninstall stops them for good, and a second uninstall, an enable of
 * it and a read past trig_max are refused; shared memory disabled
 * again, read returns SBI_ERR_NO_SHMEM; an unknown FID returns
 * SBI_ERR_NOT_SUPPORTED. With a second hart: a trigger is the calling
 * hart's, so the other calls the function without a breakpoint.
 *
 * Isolation (images/dbtr.dts, two containers sharing one hart, system
 * test sbi-dbtr): bootargs "watch=<base>" installs a trigger on the
 * address where the container at <base>, the same image, has its
 * target function, then naps again and again so the hart runs the
 * other; bootargs "run" calls that function over and over meanwhile and
 * must never take a breakpoint.
 *
 * Output: PASS lines, then "sbi-dbtr done: N passed, 0 failed".
 */
#include "rt.h"
#include "sbitest.h"

#define EXT		"dbtr"
#define CAUSE_BREAKPOINT	3
#define XLEN		__riscv_xlen
#define TDATA1_TYPE(t)	((unsigned long)(t) << (XLEN - 4))
#define TDATA1_DMODE	(1UL << (XLEN - 5))
#define TDATA1_M	(1UL << 6)
#define TDATA1_S	(1UL << 4)
#define TDATA1_U	(1UL << 3)
#define TDATA1_EXECUTE	(1UL << 2)
#define TS_MAPPED	(1UL << 0)
#define TS_S		(1UL << 2)
/* More entries than any hart's trig_max here, so install can overrun it. */
#define SHMEM_ENTRIES	16
#define ISO_MS		600

static unsigned long shm[SHMEM_ENTRIES][4] __attribute__((aligned(64)));
static volatile unsigned long hits, hit_sepc;

/*
 * Called through volatile pointers, so each call is a real jump to the
 * function's first instruction, where the triggers match.
 */
static int __attribute__((noinline)) target(void)
{
	return 1;
}

static int __attribute__((noinline)) target2(void)
{
	return 3;
}

/* Where a hit resumes: at a function's entry, a tail call of this. */
static int __attribute__((noinline)) landing(void)
{
	return 2;
}

static int (*volatile call_target)(void) = target;
static int (*volatile call_target2)(void) = target2;

static unsigned long on_exception(unsigned long cause, unsigned long sepc)
{
	if (cause != CAUSE_BREAKPOINT)
		return 0;
	hits = hits + 1;
	hit_sepc = sepc;
	return (unsigned long)landing;
}

/* Whether calling @fn took exactly one breakpoint, with sepc at @fn. */
static bool hit_once(int (*volatile *fn)(void))
{
	unsigned long before = hits;
	int r = (*fn)();

	return r == 2 && hits == before + 1 && hit_sepc == (unsigned long)*fn;
}

static bool no_hit(int (*volatile *fn)(void))
{
	unsigned long before = hits;

	return (*fn)() != 2 && hits == before;
}

static struct sbiret dbtr(unsigned long fid, unsigned long a0, unsigned long a1,
			  unsigned long a2)
{
	return sbi_ecall(SBI_EXT_DBTR, fid, a0, a1, a2, 0, 0, 0);
}

static struct sbiret set_shmem(unsigned long lo, unsigned long hi)
{
	return dbtr(SBI_DBTR_SET_SHMEM, lo, hi, 0);
}

/* Install one trigger of @tdata1 on @addr; its trig_idx in *@idx. */
static struct sbiret install_one(unsigned long tdata1, unsigned long addr,
				 unsigned long *idx)
{
	struct sbiret ret;

	shm[0][0] = ~0UL;
	shm[0][1] = tdata1;
	shm[0][2] = addr;
	shm[0][3] = 0;
	ret = dbtr(SBI_DBTR_INSTALL, 1, 0, 0);
	*idx = shm[0][0];
	return ret;
}

/* An execute trigger in S-mode (and U-mode): type 2 if a hart has it. */
static unsigned long exec_tdata1(void)
{
	unsigned long t2 = TDATA1_TYPE(2) | TDATA1_S | TDATA1_U | TDATA1_EXECUTE;

	if (dbtr(SBI_DBTR_NUM_TRIGGERS, t2, 0, 0).value)
		return t2;
	return TDATA1_TYPE(6) | TDATA1_S | TDATA1_U | TDATA1_EXECUTE;
}

/*
 * A refused set_shmem must leave the shared memory disabled; disabling
 * it after each one keeps the next check independent of the last.
 */
static bool set_refused(const char *what, struct sbiret ret, long want)
{
	bool ok = test_err(EXT, what, ret, want);

	set_shmem(~0UL, ~0UL);
	return ok;
}

static void shmem_checks(const struct fdt *fdt)
{
	unsigned long bad;

	test_err(EXT, "read without shared memory returns SBI_ERR_NO_SHMEM",
		 dbtr(SBI_DBTR_READ, 0, 1, 0), SBI_ERR_NO_SHMEM);
	test_err(EXT, "install without shared memory returns SBI_ERR_NO_SHMEM",
		 dbtr(SBI_DBTR_INSTALL, 1, 0, 0), SBI_ERR_NO_SHMEM);
	set_refused("set_shmem with flags not zero returns SBI_ERR_INVALID_PARAM",
		    dbtr(SBI_DBTR_SET_SHMEM, (unsigned long)shm, 0, 1),
		    SBI_ERR_INVALID_PARAM);
	set_refused("set_shmem not XLEN/8 aligned returns SBI_ERR_INVALID_PARAM",
		    set_shmem((unsigned long)shm + 1, 0), SBI_ERR_INVALID_PARAM);
	set_refused("set_shmem above XLEN bits returns SBI_ERR_INVALID_ADDRESS",
		    set_shmem((unsigned long)shm, 1), SBI_ERR_INVALID_ADDRESS);
	if (find_inaccessible(fdt, &bad))
		set_refused("set_shmem on memory S-mode may not access returns SBI_ERR_INVALID_ADDRESS",
			    set_shmem(bad, 0), SBI_ERR_INVALID_ADDRESS);
	test_ret(EXT, "set_shmem on the guest's own RAM returns 0",
		 set_shmem((unsigned long)shm, 0), 0);
}

static void install_errors(unsigned long tdata1, unsigned long max)
{
	unsigned long idx, i;

	test_err(EXT, "install with tdata1.m set returns SBI_ERR_INVALID_PARAM",
		 install_one(tdata1 | TDATA1_M, (unsigned long)target, &idx),
		 SBI_ERR_INVALID_PARAM);
	test_err(EXT, "install with tdata1.dmode set returns SBI_ERR_INVALID_PARAM",
		 install_one(tdata1 | TDATA1_DMODE, (unsigned long)target, &idx),
		 SBI_ERR_INVALID_PARAM);
	for (i = 0; i <= max && i < SHMEM_ENTRIES; i++) {
		shm[i][1] = tdata1;
		shm[i][2] = (unsigned long)target;
		shm[i][3] = 0;
	}
	test_err(EXT, "install of more than trig_max triggers returns SBI_ERR_BAD_RANGE",
		 dbtr(SBI_DBTR_INSTALL, max + 1, 0, 0), SBI_ERR_BAD_RANGE);
	test_check(no_hit(&call_target), EXT, "a refused install leaves no trigger",
		   "a breakpoint at sepc 0x%lx (expected none)", hit_sepc);
}

static void read_check(unsigned long idx, unsigned long tdata1)
{
	struct sbiret ret = dbtr(SBI_DBTR_READ, idx, 1, 0);

	test_check(!ret.error && (shm[0][0] & (TS_MAPPED | TS_S)) == (TS_MAPPED | TS_S) &&
		   shm[0][1] >> (XLEN - 4) == tdata1 >> (XLEN - 4) &&
		   shm[0][2] == (unsigned long)target, EXT,
		   "read gives back trig_state (mapped, s), tdata1's type and tdata2",
		   "error %ld state 0x%lx tdata1 0x%lx tdata2 0x%lx (expected 0, mapped and s, tdata2 0x%lx)", ret.error,
		   shm[0][0], shm[0][1], shm[0][2], (unsigned long)target);
}

static void update_check(unsigned long idx, unsigned long tdata1)
{
	shm[0][0] = idx;
	shm[0][1] = tdata1;
	shm[0][2] = (unsigned long)target2;
	shm[0][3] = 0;
	test_ret(EXT, "update to another function's address returns 0",
		 dbtr(SBI_DBTR_UPDATE, 1, 0, 0), 0);
	test_check(hit_once(&call_target2) && no_hit(&call_target), EXT,
		   "after update the trigger matches the new address, not the old",
		   "hits %lu sepc 0x%lx (expected a hit at 0x%lx only)", hits, hit_sepc,
		   (unsigned long)target2);
	shm[0][2] = (unsigned long)target;
	dbtr(SBI_DBTR_UPDATE, 1, 0, 0);
}

static void trigger_checks(unsigned long tdata1, unsigned long max)
{
	unsigned long idx;

	if (!test_ret(EXT, "install an execute trigger on a function returns 0",
		      install_one(tdata1, (unsigned long)target, &idx), 0))
		return;
	test_check(idx < max, EXT, "install writes back a trig_idx below trig_max",
		   "%lu (expected below %lu)", idx, max);
	test_check(hit_once(&call_target), EXT,
		   "calling the function takes a breakpoint with sepc at it",
		   "hits %lu sepc 0x%lx (expected a hit at 0x%lx)", hits, hit_sepc,
		   (unsigned long)target);
	read_check(idx, tdata1);
	test_ret(EXT, "disable returns 0", dbtr(SBI_DBTR_DISABLE, idx, 1, 0), 0);
	test_check(no_hit(&call_target), EXT, "a disabled trigger does not fire",
		   "a breakpoint at 0x%lx (expected none)", hit_sepc);
	test_ret(EXT, "enable returns 0", dbtr(SBI_DBTR_ENABLE, idx, 1, 0), 0);
	test_check(hit_once(&call_target), EXT, "an enabled trigger fires again",
		   "hits %lu (expected one more)", hits);
	update_check(idx, tdata1);
	test_ret(EXT, "uninstall returns 0", dbtr(SBI_DBTR_UNINSTALL, idx, 1, 0), 0);
	test_check(no_hit(&call_target), EXT, "an uninstalled trigger does not fire",
		   "a breakpoint at 0x%lx (expected none)", hit_sepc);
	test_err(EXT, "uninstall of a trigger not installed returns SBI_ERR_INVALID_PARAM",
		 dbtr(SBI_DBTR_UNINSTALL, idx, 1, 0), SBI_ERR_INVALID_PARAM);
	test_err(EXT, "enable of a trigger not installed returns SBI_ERR_INVALID_PARAM",
		 dbtr(SBI_DBTR_ENABLE, idx, 1, 0), SBI_ERR_INVALID_PARAM);
}

static void single_hart_checks(const struct fdt *fdt)
{
	struct sbiret ret = dbtr(SBI_DBTR_NUM_TRIGGERS, 0, 0, 0);
	unsigned long max = ret.value, tdata1;

	if (!test_check(!ret.error && max >= 1, EXT,
			"num_triggers(0) returns 0 and trig_max >= 1",
			"error %ld value %lu (expected 0, >= 1)", ret.error, max))
		return;
	tdata1 = exec_tdata1();
	test_check(dbtr(SBI_DBTR_NUM_TRIGGERS, tdata1, 0, 0).value >= 1, EXT,
		   "some trigger is an execute address match (type 2 or 6)",
		   "none (expected one)");
	shmem_checks(fdt);
	install_errors(tdata1, max);
	trigger_checks(tdata1, max);
	test_err(EXT, "read past trig_max returns SBI_ERR_BAD_RANGE",
		 dbtr(SBI_DBTR_READ, max, 1, 0), SBI_ERR_BAD_RANGE);
	test_ret(EXT, "set_shmem(all ones) disables the shared memory",
		 set_shmem(~0UL, ~0UL), 0);
	test_err(EXT, "then read returns SBI_ERR_NO_SHMEM",
		 dbtr(SBI_DBTR_READ, 0, 1, 0), SBI_ERR_NO_SHMEM);
	test_err(EXT, "an unknown FID returns SBI_ERR_NOT_SUPPORTED",
		 dbtr(8, 0, 0, 0), SBI_ERR_NOT_SUPPORTED);
}

/* What the secondary got from calling target2: its slot's v[]. */
enum { V_RESULT, V_DONE };

static void sec_call(struct smp_slot *s)
{
	s->v[V_RESULT] = (unsigned long)call_target2();
	st_release(&s->v[V_DONE], 1);
}

/* Triggers are per hart: another hart of ours calls the function freely. */
static void local_checks(int other, unsigned long tdata1)
{
	struct smp_slot *s = smp_slot(other);
	unsigned long idx;

	set_shmem((unsigned long)shm, 0);
	if (!test_ret(EXT, "install a trigger on a second function returns 0",
		      install_one(tdata1, (unsigned long)target2, &idx), 0))
		return;
	if (!test_ret(EXT, "hart_start of the secondary returns 0",
		      smp_start(other, 1, sec_call), 0) ||
	    !test_check(wait_eq(&s->v[V_DONE], 1), EXT, "the secondary ran",
			"timeout (expected its call)"))
		return;
	test_check(s->v[V_RESULT] == 3, EXT,
		   "local: another hart calling the function takes no breakpoint",
		   "it returned %lu (expected 3)", s->v[V_RESULT]);
	test_check(hit_once(&call_target2), EXT, "this hart still takes it",
		   "hits %lu (expected one more)", hits);
	hsm_wait_status(smp.id[other], HSM_STOPPED);
}

/*
 * The other container runs this image at @base: trigger on its target
 * (and on our own), then let it run, a nap at a time.
 */
static void watch(unsigned long base)
{
	unsigned long other = base + ((unsigned long)target - (unsigned long)_start);
	unsigned long tdata1 = exec_tdata1(), idx, own;
	uint64_t end;

	set_shmem((unsigned long)shm, 0);
	if (!test_ret(EXT, "install a trigger on the other container's target returns 0",
		      install_one(tdata1, other, &idx), 0) ||
	    !test_ret(EXT, "install one on this container's own target returns 0",
		      install_one(tdata1, (unsigned long)target, &own), 0))
		return;
	end = rdtime64() + ms_to_ticks(ISO_MS);
	while (rdtime64() < end)
		nap_ms(5);
	test_check(hit_once(&call_target), EXT,
		   "after many switches to the other container, this one's trigger still fires",
		   "hits %lu (expected one more)", hits);
	dbtr(SBI_DBTR_READ, idx, 1, 0);
	test_check(shm[0][2] == other, EXT, "the trigger on the other's code stayed installed",
		   "tdata2 0x%lx (expected 0x%lx)", shm[0][2], other);
}

/* Call target for a while, sharing the hart with a watcher. */
static void run(void)
{
	uint64_t end = rdtime64() + ms_to_ticks(ISO_MS);
	unsigned long calls = 0;

	/*
	 * The watcher runs only for moments between its naps, too short to
	 * see in this loop's clock: the system test counts the switches
	 * instead (stats in images/dbtr.dts).
	 */
	while (rdtime64() < end) {
		if (call_target() == 2)
			break;
		calls++;
	}
	test_check(hits == 0, EXT, "another container's trigger on this code never fires",
		   "a breakpoint at sepc 0x%lx after %lu calls (expected none)",
		   hit_sepc, calls);
}

static void all_checks(const struct fdt *fdt)
{
	int other = smp_first_other();

	single_hart_checks(fdt);
	if (other >= 0)
		local_checks(other, exec_tdata1());
}

int main(unsigned long hartid, const void *dtb)
{
	const char *args;
	struct fdt fdt;
	uint64_t base;

	test_begin("sbi-dbtr");
	guest_fdt(&fdt, dtb);
	if (!test_cpus_usable(EXT, smp_init(&fdt, hartid)))
		return 0;
	args = guest_bootargs(&fdt);
	exc_set_handler(on_exception);
	if (test_probe(EXT, "DBTR", SBI_EXT_DBTR)) {
		if (bootarg_number(args, "watch", &base, NULL, NULL) == 1)
			watch((unsigned long)base);
		else if (bootarg_flag(args, "run"))
			run();
		else
			all_checks(&fdt);
	}
	test_done();
	return 0;
}
