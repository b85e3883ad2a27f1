# SPDX-License-Identifier: BSD-2-Clause
"""The make debug tests (docs/debugging.md): the QEMU and gdb command
lines `make debug-cmd` prints, QEMU started from the first, stopped at
reset, and gdb-multiarch from the second in batch mode with a script from
tests/system/gdb/. gdb breaks in a guest, reads its variables and which
container the stopped hart runs, and continues; the machine must then
finish as it does without a debugger.
"""
import re
import shlex

from .cases import LINUX_INITRD, linux_up, system_test
from .harness import REPO, TOOL_TIMEOUT, Background, Console, fail, run, tail

GDB_DIR = REPO / "tests" / "system" / "gdb"
# gdb's own limit on a session: its stops cost a round trip each.
GDB_TIMEOUT = 90
DEBUGGEE = {"debuggee-a": 3, "debuggee-b": 5}   # container: seed (images/debug.dts)
STEPS = 3


def debug_commands(t, image, container=None):
    """The QEMU and gdb argv `make debug-cmd` prints, checked for shape:
    QEMU stopped (-S) with its stub on 127.0.0.1, gdb pointed at it."""
    extra = {"CONTAINER": container} if container else {}
    res = t.make("debug-cmd", *t.make_vars(image, **extra), silent=True, timeout=TOOL_TIMEOUT)
    lines = [line for line in res.lines if line.strip()]
    if res.rc != 0 or len(lines) != 2:
        fail(f"make debug-cmd IMAGE={image} printed {len(lines)} lines "
             f"(exit status {res.rc}), expected the QEMU and the gdb command", tail(res.lines))
    qemu, gdb = (shlex.split(line) for line in lines)
    if not qemu[0].startswith("qemu-system-riscv") or "-S" not in qemu or "-gdb" not in qemu:
        fail(f"make debug-cmd's first line is no stopped QEMU with a gdb stub: {lines[0]!r}")
    m = re.fullmatch(r"tcp:127\.0\.0\.1:(\d+)", qemu[qemu.index("-gdb") + 1])
    if not m:
        fail(f"QEMU's gdb stub is not on a 127.0.0.1 port: {lines[0]!r}")
    want = f"diosix start{' ' + container if container else ''}"
    if gdb[0] != "gdb-multiarch" or f"target remote 127.0.0.1:{m.group(1)}" not in gdb \
            or gdb[-1] != want:
        fail(f"make debug-cmd's gdb line does not connect to port {m.group(1)} "
             f"and end with '{want}': {lines[1]!r}")
    return qemu, gdb


def debug_session(t, image, running, script, container=None, gdb_args=(), until=None):
    """Boot image stopped, run gdb's batch session against it, then let
    the machine finish (or run until until(output) holds). Returns gdb's
    output lines and the machine's Console."""
    qemu_argv, gdb_argv = debug_commands(t, image, container)
    machine = Background(qemu_argv, t.log, label=f"boot {image} for gdb")
    try:
        gdb = run(gdb_argv + ["-batch", *gdb_args, "-x", str(GDB_DIR / script)],
                  GDB_TIMEOUT, t.log, label="gdb")
        res = machine.finish(t.target.boot_timeout, until)
    finally:
        machine.kill()
    con = Console(res, running)
    t.consoles.append(con)
    con.check_no_guest_fail()
    if gdb.timed_out:
        fail(f"gdb did not finish its session within {GDB_TIMEOUT}s", tail(gdb.lines, 12))
    if res.timed_out:
        fail(f"QEMU did not finish within {t.target.boot_timeout}s once gdb was done",
             tail(con.lines))
    if not res.ended and res.rc != 0:
        fail(f"QEMU exited with status {res.rc}", tail(con.lines))
    con.check_framing()
    con.expect_banner(t.target.smp, t.target.xlen)
    return gdb.lines, con


def expect_symbols(gdb_lines, name, base, kind, path):
    """gdb's "diosix: <name>: <kind> at 0x<base>, symbols from <path>…"
    line, once, with the base the firmware announced."""
    pat = re.compile(rf"diosix: {re.escape(name)}: {kind} at 0x([0-9a-f]+), "
                     rf"symbols from (\S+)\b.*")
    hits = [m for m in map(pat.fullmatch, gdb_lines) if m]
    if len(hits) != 1:
        fail(f"gdb reported {name}'s symbols {len(hits)} times, expected once",
             [line for line in gdb_lines if line.startswith("diosix:")])
    if int(hits[0].group(1), 16) != base or not hits[0].group(2).endswith(path):
        fail(f"gdb added {name}'s symbols from {hits[0].group(2)} at "
             f"0x{hits[0].group(1)}; the firmware placed it at 0x{base:x} "
             f"and its symbols are in {path}", [hits[0].group(0)])


def expect_debuggee_stops(gdb_lines, name):
    """Exactly STEPS stops, all in container name, at step(1..STEPS) with
    its seed, each reading the running total the calls before it left."""
    seed = DEBUGGEE[name]
    want = [f"STOP {name} 0 n={n} seed={seed} total={seed * n * (n - 1) // 2}"
            for n in range(1, STEPS + 1)]
    got = [line for line in gdb_lines if line.startswith("STOP ")]
    if got != want:
        fail(f"gdb's stops in step(): expected {len(want)}, all in {name}, got {len(got)}",
             ["expected:"] + want + ["got:"] + got[:8])
    ends = [line for line in gdb_lines if line.startswith("END ")]
    if ends != ["END Remote connection closed"]:
        fail("gdb's last continue did not end with the machine powering off",
             ends or tail(gdb_lines))


def expect_debuggee_ran(con):
    """Both debuggees printed their steps and totals, stopped, and the
    machine powered off: a session with breakpoints changes nothing."""
    bases = con.expect_containers([(name, 2, 1) for name in DEBUGGEE])
    for name, seed in DEBUGGEE.items():
        con.expect_lines(name, [f"step {n} total {seed * n * (n + 1) // 2}"
                                for n in range(1, STEPS + 1)]
                         + [f"total {seed * STEPS * (STEPS + 1) // 2}"])
        con.expect_stopped(name, "shutdown")
    con.expect_poweroff()
    return bases


@system_test("debug")
def debug(t):
    """The recipe with CONTAINER=debuggee-b: gdb gets debuggee-b's symbols
    where the firmware placed it, breaks in step() only there, reads its
    arguments and debug_total at each call, and continues to the end."""
    t.build("debug")
    gdb_lines, con = debug_session(t, "debug", list(DEBUGGEE), "debuggee.gdb",
                                   container="debuggee-b")
    bases = expect_debuggee_ran(con)
    expect_symbols(gdb_lines, "debuggee-b", bases["debuggee-b"], "ELF",
                   "guests/debuggee.debug.elf")
    if any(line.startswith("diosix: debuggee-a:") for line in gdb_lines):
        fail("CONTAINER=debuggee-b also loaded debuggee-a's symbols",
             [line for line in gdb_lines if line.startswith("diosix:")])
    expect_debuggee_stops(gdb_lines, "debuggee-b")


@system_test("debug-filter")
def debug_filter(t):
    """Both debuggees' symbols (make debug without CONTAINER): step() has a
    location in each. With `diosix filter debuggee-a` the breakpoint stops
    only when the stopped hart runs debuggee-a: every stop reads a's seed,
    and b's three calls never stop."""
    t.build("debug")
    gdb_lines, con = debug_session(t, "debug", list(DEBUGGEE), "debuggee.gdb",
                                   gdb_args=["-ex", "diosix filter debuggee-a"])
    bases = expect_debuggee_ran(con)
    for name in DEBUGGEE:
        expect_symbols(gdb_lines, name, bases[name], "ELF", "guests/debuggee.debug.elf")
    if not any(re.fullmatch(r"Breakpoint 1 at 0x[0-9a-f]+: step\. \(2 locations\)", line)
               for line in gdb_lines):
        fail("'break step' did not find step() in both containers",
             [line for line in gdb_lines if "reakpoint" in line][:4])
    expect_debuggee_stops(gdb_lines, "debuggee-a")


_DMESG_NODE = re.compile(r"\[ *\d+\.\d+\]   node   0: \[mem 0x([0-9a-f]+)-0x[0-9a-f]+\]")


@system_test("debug-linux", targets=("rv64",))
def debug_linux(t):
    """The README's session: two Linux containers share every kernel
    address; with CONTAINER=linux-b, do_sys_openat2 stops only in linux-b,
    and lx-dmesg (the kernel's own gdb scripts) reads linux-b's log. After
    gdb detaches, both kernels reach init. gdb's OS ABI is none, so its
    steps over breakpoints are QEMU's, with interrupts masked."""
    t.build("demo")
    def both_up(out):
        # Each 'up' line whole, though it may come in pieces (linux_up).
        lines = out.splitlines()
        for name in ("linux-a", "linux-b"):
            head = f"[{name}] "
            text = "".join(line[len(head):] for line in lines if line.startswith(head))
            if not re.search(rf"{name} up: 2 cpus, \d+ MiB", text):
                return False
        return True

    gdb_lines, con = debug_session(t, "demo", ["linux-a", "linux-b", "hello"], "linux.gdb",
                                   container="linux-b", until=both_up)
    bases = con.expect_containers([("linux-a", 64, 2, *LINUX_INITRD),
                                   ("linux-b", 64, 2, *LINUX_INITRD), ("hello", 4, 1)])
    linux_up(con, "linux-a")
    linux_up(con, "linux-b")
    con.expect_stopped("hello", "shutdown")
    expect_symbols(gdb_lines, "linux-b", bases["linux-b"], "Linux", "linux-guest/vmlinux")
    stops = [line for line in gdb_lines if line.startswith("STOP ")]
    bad = [line for line in stops if not re.fullmatch(r"STOP linux-b [01] /\S*", line)]
    if len(stops) != 3 or bad:
        fail(f"expected 3 stops in do_sys_openat2, all in linux-b, got {len(stops)}",
             stops or tail(gdb_lines, 12))
    # GNU/Linux would make gdb step in software, one hart running alone,
    # which hangs now and then (docs/debugging.md: Targets and limits).
    if 'The current OS ABI is "none".' not in gdb_lines:
        fail("scripts/diosix-gdb.py left gdb's OS ABI other than none",
             [line for line in gdb_lines if "OS ABI" in line])
    nodes = [int(m.group(1), 16) for m in map(_DMESG_NODE.fullmatch, gdb_lines) if m]
    if nodes != [bases["linux-b"]]:
        fail(f"lx-dmesg's memory node is not linux-b's RAM at 0x{bases['linux-b']:x}",
             [line for line in gdb_lines if "node   0" in line] or tail(gdb_lines, 12))
