#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""make bench: diosix's SBI paths and a Linux boot, against stock OpenSBI.

Builds images/bench.dts (guests/bench.c in a two-vCPU container), stock
OpenSBI's generic fw_jump from the same opensbi/ tree and the bench guest,
boots each under QEMU -icount shift=0 on one hart, reads the guest's

    bench <name> <instructions>

lines; then boots Linux (images/bench-linux.dts: one vCPU, 128 MiB) to
init in a container, and the same kernel and initramfs on stock OpenSBI
with -m 128M, and reads the kernel's timestamp of "Run /init as init
process"; then, without -icount, times a dd of 64 MiB from a virtio disk
in that container (images/bench-disk.dts) and on stock OpenSBI, the best
of at least five runs each. It prints a table. Under -icount every count is exact and every
run gives the same numbers, so each configuration runs --runs times
(default 2) and differing numbers are an error: the measurement would
not be what docs/bench.md says it is. Nothing here asserts on a value;
the exit status is non-zero only when a build or run fails, a line is
missing, or two runs disagree.

    python3 tests/bench.py [--target qemu-virt-rv64|qemu-virt-rv32]
                           [--runs N] [--timeout SECONDS] [--verbose]

TARGET comes from --target, else the TARGET environment variable (make
exports TARGET to this script when it is given on make's command line),
else qemu-virt-rv64. Standard library only. See docs/bench.md.
"""

import argparse
import contextlib
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import threading

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TARGET = "qemu-virt-rv64"
QEMU_ARGS = "-icount shift=0,sleep=off"

# (name in the results, label in the table); the order of the table.
BENCHMARKS = [
    ("null-call", "null-call (instr)"),
    ("null-call-32", "null-call (32 vCPUs)"),
    ("set-timer", "set-timer (instr)"),
    ("switch", "switch (2 vCPUs)"),
    ("switch-32", "switch (32 vCPUs)"),
    ("timer-switch", "timer switch (instr)"),
    ("wfi-handoff", "wfi handoff (instr)"),
    ("switch-noh", "switch, no H"),
    ("timer-switch-noh", "timer switch, no H"),
    ("wfi-handoff-noh", "wfi handoff, no H"),
    ("rdtime", "rdtime trap (instr)"),
    ("misaligned", "misaligned (instr)"),
    ("irq-delivery", "irq delivery (instr)"),
    ("claim-complete", "claim+complete (instr)"),
    ("linux-boot", "linux-boot (us)"),
    ("disk-read", "disk read (MiB/s)"),
]

# What each firmware runs: (kind, diosix image, the guest's "bench"
# lines wanted, the name each goes by in the results, containers that
# print "bench done", what is computed from the raw lines). Stock
# OpenSBI has no second vCPU or container to switch to, and its harts
# here read the time CSR without a trap. images/bench-trap.dts makes
# every rdtime trap (trap-time), as on the HiFive boards' U54/U74;
# images/bench-32.dts parks 30 vCPUs in WFI beside the two that work;
# images/bench-tswitch.dts and bench-wfi.dts are two containers each,
# whose raw lines tests/bench.py combines (timer_switch, wfi_handoff).
# images/bench-irq.dts owns the goldfish RTC: its alarm interrupt through
# the virtual PLIC (irq-delivery, claim-complete), which stock OpenSBI,
# handing the guest the PLIC itself, has no counterpart of.
# wfi-handoff uses timer-switch, so it comes after it. The "no H" lines
# run the same images on a CPU without the H extension (-cpu rvXX,h=false),
# as the HiFive boards' U54/U74 are: a world switch there has no H and VS
# CSRs to switch (docs/bench.md).
NO_H = {"switch": "switch-noh", "timer-switch": "timer-switch-noh",
        "wfi-handoff": "wfi-handoff-noh"}
CONFIGS = [
    ("diosix", "bench", ["null-call", "set-timer", "switch"], {}, 1, None, None),
    ("diosix", "bench-32", ["null-call", "switch"],
     {"null-call": "null-call-32", "switch": "switch-32"}, 1, None, None),
    ("diosix", "bench-tswitch", [], {}, 2, "timer-switch", None),
    ("diosix", "bench-wfi", [], {}, 2, "wfi-handoff", None),
    ("diosix", "bench", ["switch"], NO_H, 1, None, "h=false"),
    ("diosix", "bench-tswitch", [], NO_H, 2, "timer-switch", "h=false"),
    ("diosix", "bench-wfi", [], NO_H, 2, "wfi-handoff", "h=false"),
    ("diosix", "bench-trap", ["rdtime", "misaligned"], {}, 1, None, None),
    ("diosix", "bench-irq", ["irq-delivery", "claim-complete"], {}, 1, None, None),
    ("stock", None, ["null-call", "set-timer"], {}, 1, None, None),
]

# The kernel's clock when it starts init: microseconds of virtual time,
# which -icount shift=0 advances by one nanosecond per instruction.
INIT_RE = re.compile(r"^(?:\[[\w-]+\] )?\[ *(\d+)\.(\d{6})\] Run /init as init process$")
LINUX_MIB = 128
LINUX_ARGS = "console=hvc0 earlycon=sbi diosix.hostname=linux0"

# The disk read: dd of DISK_MIB MiB from the virtio disk, between two
# kernel log lines the shell writes, whose timestamps time it. Without
# -icount: the disk's work is QEMU's, in host time, which -icount would
# not count (docs/bench.md).
DISK_MIB = 64
DISK_RUNS = 5       # at least, whatever --runs says
DISK_QEMU = "-drive file=%s,if=none,format=raw,id=bd0 -device virtio-blk-device,drive=bd0"
DISK_CMD = ('grep virtio0 /proc/interrupts; echo "<2>dd-start" >/dev/kmsg; '
            'dd if=/dev/vda of=/dev/null bs=1M count=%d; echo "<2>dd-end" >/dev/kmsg; '
            'grep virtio0 /proc/interrupts\n' % DISK_MIB)
DISK_RE = re.compile(r"^(?:\[[\w-]+\] )?\[ *(\d+)\.(\d{6})\] dd-(start|end)$")
# /proc/interrupts' line for the disk: the count before and after dd.
DISK_IRQ_RE = re.compile(r"^(?:\[[\w-]+\] )? *\d+: +(\d+) .*virtio0$")
PROMPT = "linux0:/# "

# A console line, with or without diosix's "[<container>] " prefix.
BENCH_RE = re.compile(r"^(?:\[[\w-]+\] )?bench ([a-z-]+) (\d+(?:\.\d+)?)$")
DONE_RE = re.compile(r"^(?:\[[\w-]+\] )?bench done$")
FAIL_RE = re.compile(r"^(?:\[[\w-]+\] )?FAIL\b")
# The spin and wfi sides' raw counts, by container.
RAW_RE = re.compile(r"^\[([\w-]+)\] (bench-spin|bench-wfi) (gaps|runs)((?: \d+)+)$")
LOOP_RE = re.compile(r"^\[[\w-]+\] bench-spin small n=\d+ sum=\d+ loop=(\d+)$")


class BenchError(Exception):
    pass


def make_env():
    """Our environment, minus a parent make's jobserver.

    Under `make -jN bench` MAKEFLAGS names the parent's jobserver pipes,
    which this process does not pass on: a child make would warn and
    fall back to -j1. Without the reference it runs its own -jN.
    """
    env = dict(os.environ)
    flags = env.get("MAKEFLAGS")
    if flags:
        env["MAKEFLAGS"] = " ".join(
            w for w in flags.split(" ")
            if not w.startswith(("--jobserver-auth=", "--jobserver-fds=")))
    return env


def make(target, *args, capture=False):
    """Run make in the top directory; its stdout if capture."""
    cmd = ["make", "--no-print-directory", "TARGET=" + target] + list(args)
    res = subprocess.run(cmd, cwd=TOP, stdin=subprocess.DEVNULL, env=make_env(),
                         stdout=subprocess.PIPE if capture else None,
                         universal_newlines=True)
    if res.returncode != 0:
        raise BenchError("'%s' failed (exit %d)" % (" ".join(cmd), res.returncode))
    return res.stdout if capture else None


def qemu_command(target, kind, image, cpu=None):
    """The QEMU command line make prints for one configuration; @cpu:
    properties of QEMU's default CPU to change (e.g. "h=false")."""
    args = QEMU_ARGS
    if cpu:
        args += " -cpu %s,%s" % ("rv32" if target.endswith("rv32") else "rv64", cpu)
    if kind == "diosix":
        out = make(target, "-s", "qemu-cmd", "IMAGE=" + image, "SMP=1",
                   "QEMU_ARGS=" + args, capture=True)
    else:
        out = make(target, "-s", "stock-qemu-cmd", "GUEST=bench", "SMP=1",
                   "QEMU_ARGS=%s -append \"null timer\"" % QEMU_ARGS,
                   capture=True)
    lines = [l for l in out.splitlines() if l.startswith("qemu-system-")]
    if len(lines) != 1:
        raise BenchError("no QEMU command from make for %s:\n%s" % (kind, out))
    return shlex.split(lines[0])


def linux_command(target, kind, image="bench-linux", args=QEMU_ARGS):
    """QEMU booting the bench kernel: in a container (@image), or on stock
    OpenSBI; @args for QEMU."""
    guest = os.path.join(TOP, "build", target, "linux-guest")
    if kind == "diosix":
        # Room for a 128 MiB container beside the firmware and QEMU's DT.
        out = make(target, "-s", "qemu-cmd", "IMAGE=" + image, "SMP=1",
                   "MEM_MIB=512", "QEMU_ARGS=" + args, capture=True)
    else:
        out = make(target, "-s", "stock-qemu-cmd", "SMP=1", "MEM_MIB=%d" % LINUX_MIB,
                   "STOCK_KERNEL=" + os.path.join(guest, "Image"),
                   "QEMU_ARGS=%s -initrd %s -append \"%s\"" % (
                       args, os.path.join(guest, "initramfs.cpio"), LINUX_ARGS),
                   capture=True)
    lines = [l for l in out.splitlines() if l.startswith("qemu-system-")]
    if len(lines) != 1:
        raise BenchError("no QEMU command from make for %s Linux:\n%s" % (kind, out))
    return shlex.split(lines[0])


@contextlib.contextmanager
def qemu_session(cmd, timeout, stdin=subprocess.DEVNULL):
    """QEMU in its own process group, its output on a pipe; the group is
    killed after @timeout seconds, or when the caller is done."""
    proc = subprocess.Popen(cmd, cwd=TOP, stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
    timer.start()
    try:
        yield proc
    finally:
        timer.cancel()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def linux_boot(cmd, kind, timeout):
    """Boot until the kernel starts init (it never powers off by itself);
    the kernel's timestamp of that moment in microseconds."""
    seen, found = [], None
    with qemu_session(cmd, timeout) as proc:
        for raw in proc.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            seen.append(line)
            m = INIT_RE.match(line)
            if m:
                found = "%d" % (int(m.group(1)) * 1000000 + int(m.group(2)))
                break
    if found is None:
        tail = "\n".join("    | " + l for l in seen[-25:] if l)
        raise BenchError("%s Linux never started init (within %d s):\n%s"
                         % (kind, timeout, tail))
    return found


def disk_image(target):
    """build/<target>/bench-disk.img: DISK_MIB MiB and one more of a
    fixed pseudo-random pattern (not zeros, which a host may read from a
    hole without touching a disk), made once."""
    path = os.path.join(TOP, "build", target, "bench-disk.img")
    size = (DISK_MIB + 1) << 20
    if not os.path.isfile(path) or os.path.getsize(path) != size:
        block = random.Random(DISK_MIB).randbytes(1 << 20)
        with open(path + ".tmp", "wb") as f:
            for _ in range(DISK_MIB + 1):
                f.write(block)
        os.replace(path + ".tmp", path)
    return path


def disk_read(cmd, kind, timeout):
    """Boot to the shell, run DISK_CMD; (MiB/s from the kernel's
    timestamps of its two lines, with one decimal; the disk's interrupts
    during the read)."""
    text, typed, marks, irqs = "", False, {}, []
    with qemu_session(cmd, timeout, stdin=subprocess.PIPE) as proc:
        for chunk in iter(lambda: proc.stdout.read1(4096), b""):
            text += chunk.decode("utf-8", errors="replace")
            if not typed and PROMPT in text:
                proc.stdin.write(DISK_CMD.encode())
                proc.stdin.flush()
                typed = True
            lines = [l.rstrip("\r") for l in text.split("\n")]
            for line in lines[:-1]:
                m = DISK_RE.match(line)
                if m:
                    marks[m.group(3)] = int(m.group(1)) * 1000000 + int(m.group(2))
            irqs = [int(m.group(1)) for m in map(DISK_IRQ_RE.match, lines[:-1]) if m]
            if "end" in marks and len(irqs) == 2:
                break
    if set(marks) != {"start", "end"} or marks["end"] <= marks["start"] or len(irqs) != 2:
        tail = "\n".join("    | " + l for l in text.split("\n")[-25:] if l.strip())
        raise BenchError("%s Linux did not time its disk read (within %d s):\n%s"
                         % (kind, timeout, tail))
    return "%.1f" % (DISK_MIB * 1e6 / (marks["end"] - marks["start"])), irqs[1] - irqs[0]


def run_qemu(cmd, timeout):
    """Run QEMU in its own process group; (exit status, output lines).

    On timeout the whole group is killed, and the exit status is None.
    """
    proc = subprocess.Popen(cmd, cwd=TOP, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, _ = proc.communicate()
        status = None
    text = out.decode("utf-8", errors="replace")
    return status, [l.rstrip("\r") for l in text.split("\n")]


def parse(kind, wanted, status, lines, timeout, ndone=1):
    """(the guest's counts, the spin and wfi sides' raw lines), or
    BenchError saying what went wrong. raw: a list, in the order the
    containers printed, of (container, tag, {"gaps": [...], "runs": [...]}),
    plus ("loop", n) for the spin loop's length."""
    results = {}
    raw = []
    problems = []
    done = 0
    for line in lines:
        if FAIL_RE.match(line):
            problems.append("guest reported: " + line)
        m = BENCH_RE.match(line)
        r = RAW_RE.match(line)
        l = LOOP_RE.match(line)
        if m:
            if m.group(1) in results:
                problems.append("'%s' printed twice" % m.group(1))
            results[m.group(1)] = m.group(2)
        elif DONE_RE.match(line):
            done += 1
        elif r:
            if not raw or raw[-1][0] != r.group(1):
                raw.append((r.group(1), r.group(2), {}))
            raw[-1][2][r.group(3)] = [int(v) for v in r.group(4).split()]
        elif l:
            results["loop"] = l.group(1)
    if status is None:
        problems.append("no exit within %d s (killed)" % timeout)
    elif status != 0:
        problems.append("QEMU exited with status %d" % status)
    for name in wanted:
        if name not in results:
            problems.append("no 'bench %s' line" % name)
    if done != ndone:
        problems.append("%d 'bench done' lines, not %d" % (done, ndone))
    if problems:
        tail = "\n".join("    | " + l for l in lines[-25:] if l)
        raise BenchError("%s run failed:\n  %s\n  last output:\n%s"
                         % (kind, "\n  ".join(problems), tail))
    out = {name: results[name] for name in wanted}
    if raw:
        out["raw"] = raw
        out["loop"] = int(results.get("loop", 0))
    return out


def sides(raw, tags):
    """The two containers' raw counts, in the order they printed: the one
    that booted first finishes first (docs/bench.md)."""
    if [t for _, t, _ in raw] != tags or any(
            set(c) != {"gaps", "runs"} for _, _, c in raw):
        raise BenchError("expected the raw lines of %s, got %s"
                         % (tags, [(n, t, sorted(c)) for n, t, c in raw]))
    return raw[0][2], raw[1][2]


def two_switches(cycles, loop):
    """The one whole number w of instructions such that each cycle is w
    plus p[k+1] - p[k], with every p in 0 .. loop - 1: p[k] is where in
    its loop iteration the runner was when the timer took the hart, which
    its own reads cannot see. Over consecutive cycles the p telescope, so
    the partial sums of (cycle - w) stay within loop - 1 of each other
    for the true w, and drift out for any other once there are enough
    cycles. None if not exactly one w fits."""
    fits = []
    for w in range(min(cycles) - loop, max(cycles) + loop + 1):
        total, lo, hi = 0, 0, 0
        for c in cycles:
            total += c - w
            lo, hi = min(lo, total), max(hi, total)
        if hi - lo <= loop - 1:
            fits.append(w)
    return fits[0] if len(fits) == 1 else None


def timer_switch(res):
    """Instructions per timer-driven switch between two spinning
    containers A (booted first) and B: A's gap k+1 holds B's run k and
    two switches, and B's gap k holds A's run k and two; A's first gap
    holds B's boot and B's last A's exit, so neither counts. A run is
    known to within the loop iteration the timer split at each end
    (two_switches); each side gives the sum of the two switches, and the
    two sides must agree (docs/bench.md)."""
    a, b = sides(res["raw"], ["bench-spin", "bench-spin"])
    m = len(a["runs"])
    seen_by_a = [a["gaps"][k + 1] - b["runs"][k] for k in range(m)]
    seen_by_b = [b["gaps"][k] - a["runs"][k] for k in range(m)]
    w_a = two_switches(seen_by_a, res["loop"])
    w_b = two_switches(seen_by_b, res["loop"])
    res["detail"] = "timer-switch: gap - run, per cycle: A %s B %s" % (seen_by_a, seen_by_b)
    if w_a is None or w_a != w_b:
        raise BenchError("timer switch: no one figure fits both sides (%s, %s): %s"
                         % (w_a, w_b, res["detail"]))
    res["timer-switch"] = "%.1f" % (w_a / 2.0)


def wfi_handoff(res, timer):
    """Instructions from A's WFI to B's first instruction: B's gap k holds
    the timer switch B -> A, A's run k (exact: A leaves by its own WFI)
    and the handoff; the timer switch is timer-switch's figure."""
    a, b = sides(res["raw"], ["bench-wfi", "bench-spin"])
    trips = [b["gaps"][k] - a["runs"][k] for k in range(len(a["runs"]))]
    # Now and then a cycle also holds the console poll (every 20 ms on
    # this hart): the figure comes from the others, which must be most.
    base = sorted(trips)[len(trips) // 2]
    usual = [t for t in trips if abs(t - base) <= 2 * res["loop"]]
    if 2 * len(usual) <= len(trips):
        raise BenchError("wfi handoff: round trips disagree: %s" % trips)
    trip = sum(usual) / float(len(usual))
    res["wfi-handoff"] = "%.1f" % (trip - float(timer))
    res["detail"] = "wfi-handoff: handoff + timer switch back %s" % trips


def disk_bench(opts, results):
    """The disk read, diosix and stock (rv64 only: the rv32 initramfs has
    no shell or dd). Host time, so it varies from run to run: the best of
    the runs, diosix and stock taking turns so both see the same host
    load."""
    drive = DISK_QEMU % disk_image(opts.target)
    make(opts.target, "-s", "IMAGE=bench-disk", "MEM_MIB=512")
    cmds = {kind: linux_command(opts.target, kind, "bench-disk", drive)
            for kind in ("diosix", "stock")}
    reads = {"diosix": [], "stock": []}
    for i in range(max(opts.runs, DISK_RUNS)):
        for kind in ("diosix", "stock"):
            if opts.verbose and not i:
                print("%s disk: %s" % (kind, " ".join(shlex.quote(a) for a in cmds[kind])))
            rate, irqs = disk_read(cmds[kind], kind, opts.timeout)
            reads[kind].append(rate)
            print("%s disk run %d: disk-read %s MiB/s, %d disk interrupts"
                  % (kind, i + 1, rate, irqs))
    for kind in reads:
        results[kind]["disk-read"] = max(reads[kind], key=float)
    # Each pair ran back to back, under much the same load.
    pairs = sorted(float(d) / float(s) for d, s in zip(reads["diosix"], reads["stock"]))
    print("disk read: diosix / stock, run by run: %s; median %.2f"
          % (" ".join("%.2f" % r for r in pairs), pairs[len(pairs) // 2]))


def ratio(diosix, stock):
    if diosix is None or stock is None or float(stock) == 0:
        return "-"
    return "%.2f" % (float(diosix) / float(stock))


def table(results):
    rows = ["%-22s %7s  %6s  %6s" % ("benchmark", "diosix", "stock", "ratio")]
    for name, label in BENCHMARKS:
        d = results["diosix"].get(name)
        s = results["stock"].get(name)
        rows.append("%-22s %7s  %6s  %6s" % (label, d or "-", s or "-",
                                             ratio(d, s)))
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", default=os.environ.get("TARGET") or DEFAULT_TARGET,
                    help="build target (default: $TARGET or %s)" % DEFAULT_TARGET)
    ap.add_argument("--runs", type=int, default=2,
                    help="runs of each configuration, compared (default 2)")
    ap.add_argument("--timeout", type=int, default=120,
                    help="seconds before a QEMU run is killed (default 120)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="show the QEMU commands and the guests' raw counts")
    opts = ap.parse_args()
    if opts.target not in ("qemu-virt-rv64", "qemu-virt-rv32"):
        ap.error("--target: the benchmarks run on qemu-virt-rv64 or qemu-virt-rv32")
    if opts.runs < 1:
        ap.error("--runs must be at least 1")

    try:
        # The image build also builds every guest, bench.elf included.
        make(opts.target, "-s", "IMAGE=bench")
        for image in ("bench-trap", "bench-32", "bench-tswitch", "bench-wfi", "bench-irq"):
            make(opts.target, "-s", "IMAGE=" + image)
        make(opts.target, "-s", "stock-opensbi")
        if not os.path.isfile(os.path.join(TOP, "build", opts.target,
                                           "guests", "bench.elf")):
            raise BenchError("build/%s/guests/bench.elf was not built" % opts.target)

        results = {"diosix": {}, "stock": {}}
        for kind, image, wanted, names, ndone, derived, cpu in CONFIGS:
            cmd = qemu_command(opts.target, kind, image, cpu)
            if opts.verbose:
                print("%s: %s" % (kind, " ".join(shlex.quote(a) for a in cmd)))
            runs = []
            for i in range(opts.runs):
                status, lines = run_qemu(cmd, opts.timeout)
                res = parse(kind, wanted, status, lines, opts.timeout, ndone)
                if derived == "timer-switch":
                    timer_switch(res)
                elif derived == "wfi-handoff":
                    wfi_handoff(res, results[kind][names.get("timer-switch",
                                                             "timer-switch")])
                got = wanted + ([derived] if derived else [])
                runs.append(res)
                if opts.verbose:
                    for l in lines:
                        if re.search(r"bench-(detail|spin|wfi)", l):
                            print("  run %d: %s" % (i + 1, l))
                    if "detail" in res:
                        print("  run %d: %s" % (i + 1, res["detail"]))
                print("%s %s run %d: %s" % (kind, image or "bench", i + 1, "  ".join(
                    "%s %s" % (names.get(n, n), res[n]) for n in got)))
            # The raw lines need not repeat: the timer's phase against the
            # instruction count moves by a tick between runs (docs/bench.md).
            runs = [{n: r[n] for n in got} for r in runs]
            for i, r in enumerate(runs[1:], 2):
                if r != runs[0]:
                    raise BenchError("%s runs 1 and %d differ under -icount: "
                                     "%s vs %s" % (kind, i, runs[0], r))
            for n in got:
                results[kind][names.get(n, n)] = runs[0][n]

        make(opts.target, "-s", "IMAGE=bench-linux", "MEM_MIB=512")
        for kind in ("diosix", "stock"):
            cmd = linux_command(opts.target, kind)
            if opts.verbose:
                print("%s linux: %s" % (kind, " ".join(shlex.quote(a) for a in cmd)))
            boots = []
            for i in range(opts.runs):
                boots.append(linux_boot(cmd, kind, opts.timeout))
                print("%s linux run %d: linux-boot %s" % (kind, i + 1, boots[-1]))
            if len(set(boots)) != 1:
                raise BenchError("%s Linux boots differ under -icount: %s"
                                 % (kind, ", ".join(boots)))
            results[kind]["linux-boot"] = boots[0]

        if opts.target == "qemu-virt-rv64":
            disk_bench(opts, results)
    except BenchError as e:
        print("bench: FAILED: %s" % e, file=sys.stderr)
        return 1

    print()
    print("%s, QEMU %s, one hart; instructions per operation, and the"
          " kernel's clock when it starts init%s" % (
              opts.target, QEMU_ARGS, "; the disk read without -icount, best of its runs"
              if "disk-read" in results["diosix"] else ""))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
