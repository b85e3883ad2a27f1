// SPDX-License-Identifier: BSD-2-Clause
/*
 * /init of the rv32 Linux guest.
 *
 * Debian has no rv32 C library, so this is freestanding: raw Linux
 * syscalls, no libc, no shell. It does what init.sh does on rv64 up to
 * the shell: mounts proc, sysfs and devtmpfs, sets the hostname from
 * diosix.hostname=<name> on the kernel command line (default "linux"),
 * prints "<hostname> up: <N> cpus, <M> MiB" (N = online CPUs from
 * /sys/devices/system/cpu/online, M = MemTotal in MiB rounded down), and
 * then, having no shell to run, powers the guest off with reboot(2)
 * (LINUX_REBOOT_CMD_POWER_OFF, which Linux turns into SBI SRST).
 */

/* The generic syscall numbers (include/uapi/asm-generic/unistd.h). */
#define NR_mount	40
#define NR_openat	56
#define NR_close	57
#define NR_read		63
#define NR_write	64
#define NR_sync		81
#define NR_reboot	142
#define NR_sethostname	161

#define AT_FDCWD	-100
#define O_RDONLY	0

#define REBOOT_MAGIC1	0xfee1deadUL
#define REBOOT_MAGIC2	672274793UL
#define REBOOT_POWER_OFF 0x4321fedcUL

#define HOSTNAME_MAX	64

static long syscall5(long nr, long a, long b, long c, long d, long e)
{
	register long a0 asm("a0") = a;
	register long a1 asm("a1") = b;
	register long a2 asm("a2") = c;
	register long a3 asm("a3") = d;
	register long a4 asm("a4") = e;
	register long a7 asm("a7") = nr;

	asm volatile("ecall"
		     : "+r"(a0)
		     : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a7)
		     : "memory");
	return a0;
}

static unsigned long str_len(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static void put(const char *s)
{
	syscall5(NR_write, 1, (long)s, (long)str_len(s), 0, 0);
}

static void mount_fs(const char *type, const char *dir)
{
	if (syscall5(NR_mount, (long)type, (long)dir, (long)type, 0, 0) < 0) {
		put("init: cannot mount ");
		put(dir);
		put("\n");
	}
}

/* Reads a whole (small) file into buf, NUL-terminated; "" on error. */
static void read_file(const char *path, char *buf, unsigned long size)
{
	unsigned long used = 0;
	long fd, n;

	buf[0] = 0;
	fd = syscall5(NR_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0);
	if (fd < 0)
		return;
	while (used < size - 1) {
		n = syscall5(NR_read, fd, (long)(buf + used), (long)(size - 1 - used), 0, 0);
		if (n <= 0)
			break;
		used += n;
	}
	buf[used] = 0;
	syscall5(NR_close, fd, 0, 0, 0, 0);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static unsigned long parse_num(const char **p)
{
	unsigned long n = 0;

	while (is_digit(**p))
		n = n * 10 + (unsigned long)(*(*p)++ - '0');
	return n;
}

/* Does word w start at s? */
static int starts_with(const char *s, const char *w)
{
	while (*w)
		if (*s++ != *w++)
			return 0;
	return 1;
}

/* diosix.hostname=<name> from the command line, into name. */
static void cmdline_hostname(const char *cmdline, char *name)
{
	static const char key[] = "diosix.hostname=";
	const char *p = cmdline;
	unsigned long n;

	for (; *p; p++) {
		if ((p != cmdline && !is_space(p[-1])) || !starts_with(p, key))
			continue;
		p += sizeof(key) - 1;
		for (n = 0; p[n] && !is_space(p[n]) && n < HOSTNAME_MAX; n++)
			name[n] = p[n];
		if (n) {
			name[n] = 0;
			p += n - 1;
		} else {
			p--;
		}
	}
}

/* The number of CPUs in a list of ranges such as "0-1" or "0,2-3". */
static unsigned long count_cpus(const char *p)
{
	unsigned long count = 0, first, last;

	while (is_digit(*p)) {
		first = last = parse_num(&p);
		if (*p == '-') {
			p++;
			last = parse_num(&p);
		}
		if (last >= first)
			count += last - first + 1;
		if (*p != ',')
			break;
		p++;
	}
	return count;
}

static unsigned long mem_total_kib(const char *meminfo)
{
	const char *p = meminfo;

	for (; *p; p++) {
		if ((p == meminfo || p[-1] == '\n') && starts_with(p, "MemTotal:")) {
			p += 9;
			while (is_space(*p))
				p++;
			return parse_num(&p);
		}
	}
	return 0;
}

static char *append(char *out, const char *s)
{
	while (*s)
		*out++ = *s++;
	return out;
}

static char *append_num(char *out, unsigned long n)
{
	char digits[12];
	int i = 0;

	do {
		digits[i++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (i)
		*out++ = digits[--i];
	return out;
}

static char cmdline[4096], cpus[256], meminfo[4096];
static char name[HOSTNAME_MAX + 1] = "linux";
static char line[HOSTNAME_MAX + 64];

void init_main(void)
{
	char *p;

	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("devtmpfs", "/dev");

	read_file("/proc/cmdline", cmdline, sizeof(cmdline));
	cmdline_hostname(cmdline, name);
	syscall5(NR_sethostname, (long)name, (long)str_len(name), 0, 0, 0);

	read_file("/sys/devices/system/cpu/online", cpus, sizeof(cpus));
	read_file("/proc/meminfo", meminfo, sizeof(meminfo));

	p = append(line, name);
	p = append(p, " up: ");
	p = append_num(p, count_cpus(cpus));
	p = append(p, " cpus, ");
	p = append_num(p, mem_total_kib(meminfo) / 1024);
	p = append(p, " MiB\n");
	*p = 0;
	put(line);

	put("init: rv32 has no shell: powering off\n");
	syscall5(NR_sync, 0, 0, 0, 0, 0);
	syscall5(NR_reboot, (long)REBOOT_MAGIC1, (long)REBOOT_MAGIC2,
		 (long)REBOOT_POWER_OFF, 0, 0);
	/* PID 1 must not return: that would panic the kernel. */
	for (;;)
		;
}

/* The kernel enters with sp at argc; gp is ours to set. */
asm(".section .text._start, \"ax\"\n"
    ".globl _start\n"
    "_start:\n"
    ".option push\n"
    ".option norelax\n"
    "	la gp, __global_pointer$\n"
    ".option pop\n"
    "	andi sp, sp, -16\n"
    "	call init_main\n"
    "1:	j 1b\n");
