# SPDX-License-Identifier: BSD-2-Clause
"""The mechanics of the system tests: running make and QEMU with hard
timeouts, per-test logs, and the Console that parses what the firmware
printed and asserts on it.

A test fails by raising TestFailure(message, context): the message is the
first failed assertion, the context a few output lines that explain it.
"""
import os
import queue
import threading
import re
import shlex
import socket
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build"
LOG_DIR = BUILD / "test-logs"
BUNDLE_H = REPO / "hyp" / "include" / "hyp" / "bundle.h"


def bundle_def(name):
    """The value on the "#define NAME value" line of hyp/include/hyp/bundle.h,
    the one definition of the bundle format: an int, or a str for a
    string literal."""
    m = re.search(rf"^#define {re.escape(name)}\s+(\S+)", BUNDLE_H.read_text(), re.M)
    if not m:
        raise KeyError(f"{name} is not defined in {BUNDLE_H.relative_to(REPO)}")
    value = m.group(1)
    return value.strip('"') if value.startswith('"') else int(value, 0)

# A cold build compiles OpenSBI and the hypervisor for one target; warm
# builds only relink. This bounds a wedged toolchain, not a slow machine.
MAKE_TIMEOUT = 1800
TOOL_TIMEOUT = 120


@dataclass(frozen=True)
class Target:
    short: str          # used in test names: hello-rv64
    name: str           # the make TARGET
    xlen: int
    smp: int
    boot_timeout: int   # seconds QEMU may run before it is killed
    poweroff: bool = True   # False: the board cannot power itself off
    monitor_harts: int = 0  # harts without S-mode (the FU540's E51)
    board: bool = False     # boots U-Boot SPL, then fw_dynamic from an SD card

    @property
    def firmware(self):
        return "fw_dynamic" if self.board else "fw_payload"


# What the firmware prints, last, on a board with no power-off device.
HALTED = "this machine cannot power itself off: halted"
# OpenSBI's report of a trap it cannot handle in M-mode, and its last line.
M_TRAP = "sbi_trap_error:"
M_TRAP_END = re.compile(r"sbi_trap_error: hart\d+: trap0: t6=0x[0-9a-f]+\r?\n")

TARGETS = {
    "rv64": Target("rv64", "qemu-virt-rv64", 64, 4, 60),
    "rv32": Target("rv32", "qemu-virt-rv32", 32, 8, 120),
    "sifive": Target("sifive", "qemu-sifive-u", 64, 5, 120, poweroff=False,
                     monitor_harts=1),
    "unleashed": Target("unleashed", "hifive-unleashed", 64, 5, 180, poweroff=False,
                        monitor_harts=1, board=True),
}


class TestFailure(Exception):
    """The first failed assertion of a test, with output lines that show why."""

    def __init__(self, message, context=()):
        super().__init__(message)
        self.message = message
        self.context = list(context)


def fail(message, context=()):
    raise TestFailure(message, context)


# Variables the Makefile reads from the environment, and make's own
# recursion variables: a `make test SMP=2` or an exported QEMU_ARGS must not
# leak into the builds and boots the tests choose explicitly.
_SCRUBBED = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS",
             "IMAGE", "TARGET", "SMP", "MEM_MIB", "QEMU_ARGS", "MANIFEST_CHECK",
             "CROSS_COMPILE", "O", "BUILD", "FUZZ_SEED", "FUZZ_CALLS", "FUZZ_RESTARTS")


def child_env():
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env["LC_ALL"] = "C"
    return env


@dataclass
class Result:
    argv: list
    rc: int             # None if killed on timeout
    output: str         # stdout and stderr, interleaved as written
    timed_out: bool
    seconds: float
    ended: bool = False     # killed because the test had seen what it waited for

    @property
    def lines(self):
        return split_lines(self.output)


def split_lines(text):
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run(argv, timeout, log, label=None, until=None, script=()):
    """Run argv in its own process group with stdin closed; on timeout (or
    any interruption) kill the whole group. Output is read to the end.

    until: a function of the output so far; once it returns true the
    group is killed and the result marked ended (for machines that never
    power off, e.g. one running a guest that spins forever).

    script: (line, keys) steps, in order: once the output has a line equal
    to `line` (after the previous step's; the partial line at the end
    counts), `keys` are typed on stdin; if `keys` is a function, it runs
    then (a host-side action, e.g. a connection to a forwarded port) and
    what it returns is typed."""
    log.command(argv, label)
    start = time.monotonic()
    steps = list(script)
    typed_at = 0        # output offset after which the next step's line counts
    proc = subprocess.Popen(argv, cwd=REPO, env=child_env(),
                            stdin=subprocess.PIPE if steps else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    chunks = queue.Queue()

    def reader():
        for chunk in iter(lambda: proc.stdout.read1(4096), b""):
            chunks.put(chunk)
        chunks.put(None)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    out = bytearray()
    timed_out = ended = False
    try:
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                timed_out = True
                break
            try:
                chunk = chunks.get(timeout=left)
            except queue.Empty:
                timed_out = True
                break
            if chunk is None:
                break
            out += chunk
            text = out.decode("utf-8", errors="replace")
            while steps:
                want = steps[0][0]
                # The last, partial line counts too: the focused
                # container's prompt waits there, without its newline.
                lines = [x.rstrip("\r") for x in text[typed_at:].split("\n")]
                hits = [k for k, x in enumerate(lines)
                        if (want.fullmatch(x) if isinstance(want, re.Pattern) else x == want)]
                if not hits:
                    break
                keys = steps[0][1]() if callable(steps[0][1]) else steps[0][1]
                log.write(f"# typing {keys!r} after {want!r}\n")
                proc.stdin.write(keys)
                proc.stdin.flush()
                # A step that types nothing only waits: the next step's
                # line may have come before this one's. After typing, the
                # next step's line is one that ends later; a partial line
                # that was this step's (a prompt) never counts again.
                if keys:
                    partial = hits[0] == len(lines) - 1
                    typed_at = len(text) if partial else text.rfind("\n") + 1
                steps.pop(0)
            if until and until(text):
                ended = True
                break
    finally:
        if timed_out or ended or thread.is_alive():
            _kill_group(proc)
        thread.join()
        proc.wait()
        while not chunks.empty():
            chunk = chunks.get()
            if chunk:
                out += chunk
    result = Result(list(argv), None if (timed_out or ended) else proc.returncode,
                    out.decode("utf-8", errors="replace"), timed_out,
                    time.monotonic() - start, ended)
    log.result(result, timeout)
    return result


class Background:
    """A command that runs beside the test's own (QEMU waiting for gdb):
    its output is gathered as it comes, and finish() waits for it to end,
    or for until(output so far) to hold, then kills its process group.
    Call finish() (or kill()) on every path, or the process outlives the
    test."""

    def __init__(self, argv, log, label=None):
        log.command(argv, label)
        self.argv, self.log = list(argv), log
        self.start = time.monotonic()
        self.proc = subprocess.Popen(argv, cwd=REPO, env=child_env(),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.out = bytearray()
        self.eof = False
        self.changed = threading.Condition()
        self.result = None
        self.thread = threading.Thread(target=self._reader, daemon=True)
        self.thread.start()

    def _reader(self):
        for chunk in iter(lambda: self.proc.stdout.read1(4096), b""):
            with self.changed:
                self.out += chunk
                self.changed.notify_all()
        with self.changed:
            self.eof = True
            self.changed.notify_all()

    def _text(self):
        return self.out.decode("utf-8", errors="replace")

    def finish(self, timeout, until=None):
        """Its Result, once it has ended by itself, until() held (ended) or
        timeout seconds passed (timed_out); killed in the last two cases."""
        if self.result:
            return self.result
        deadline = time.monotonic() + timeout
        timed_out = ended = False
        with self.changed:
            while not self.eof:
                if until and until(self._text()):
                    ended = True
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    timed_out = True
                    break
                self.changed.wait(left)
        if not self.eof:
            _kill_group(self.proc)
        self.thread.join()
        self.proc.wait()
        self.result = Result(self.argv, None if (timed_out or ended) else self.proc.returncode,
                             self._text(), timed_out, time.monotonic() - self.start, ended)
        self.log.result(self.result, timeout)
        return self.result

    def kill(self):
        return self.finish(0)


class Log:
    """build/test-logs/<test>.log: every command, its full output and status."""

    def __init__(self, name):
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.path = LOG_DIR / f"{name}.log"
        self.file = open(self.path, "w", encoding="utf-8", errors="replace")
        self.write(f"# test {name}")

    def write(self, text):
        self.file.write(text if text.endswith("\n") else text + "\n")
        self.file.flush()

    def write_raw(self, text):
        """Output as it comes, without a newline of ours."""
        self.file.write(text)
        self.file.flush()

    def command(self, argv, label=None):
        self.write(f"\n$ {shlex.join(argv)}" + (f"    # {label}" if label else ""))

    def result(self, result, timeout):
        if result.output:
            self.write(result.output.replace("\r\n", "\n"))
        if result.timed_out:
            self.write(f"# KILLED after the {timeout}s timeout ({result.seconds:.1f}s)")
        else:
            self.write(f"# exit status {result.rc} ({result.seconds:.1f}s)")

    def close(self):
        self.file.close()


def free_port():
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(lines, n=8):
    return list(lines[-n:])


class TestRun:
    """What a test function gets: make, build, boot, and the session state."""

    def __init__(self, name, target, log, session):
        self.name = name
        self.target = target
        self.log = log
        self.session = session
        self.consoles = []
        self.qemu_vars = None

    def make(self, *args, silent=False, timeout=MAKE_TIMEOUT, label=None):
        argv = ["make"] + (["-s"] if silent else []) + list(args)
        return run(argv, timeout, self.log, label)

    def make_vars(self, image, **extra):
        args = [f"IMAGE={image}", f"TARGET={self.target.name}"]
        args += [f"{k}={v}" for k, v in extra.items()]
        return args

    def firmware(self, image):
        return BUILD / self.target.name / image / f"{self.target.firmware}.elf"

    def build(self, image, **extra):
        """make IMAGE=… TARGET=…; fails the test unless it succeeds."""
        res = self.make(*self.make_vars(image, **extra))
        if res.timed_out:
            fail(f"make IMAGE={image} did not finish within {MAKE_TIMEOUT}s", tail(res.lines))
        if res.rc != 0:
            fail(f"make IMAGE={image} failed (exit status {res.rc})", tail(res.lines))
        elf = self.firmware(image)
        if not elf.is_file() or not elf.with_suffix(".bin").is_file():
            fail(f"make IMAGE={image} succeeded but {elf.relative_to(REPO)} "
                 "or its .bin is missing", tail(res.lines))
        self.session.built.setdefault(self.target.name, []).append(elf)
        return elf

    def qemu_command(self, image, smp=None, qemu_args=None):
        smp = smp or self.target.smp
        extra = {"QEMU_ARGS": qemu_args} if qemu_args else {}
        # The demo's network forwards (Makefile NET_*_PORT): free ports of
        # the loopback, so boots beside other QEMUs never clash. A test
        # that serves or connects picks them first (qemu_vars, which may
        # hold other make variables of the QEMU command, e.g. UART1).
        if not self.qemu_vars:
            self.qemu_vars = {"NET_HOST_PORT": free_port(), "NET_GUEST_PORT": free_port()}
        extra.update(self.qemu_vars)
        res = self.make("qemu-cmd", *self.make_vars(image, SMP=smp, **extra),
                        silent=True, timeout=TOOL_TIMEOUT)
        lines = [line for line in res.lines if line.strip()]
        if res.rc != 0 or not lines:
            fail(f"make qemu-cmd IMAGE={image} failed (exit status {res.rc})", tail(res.lines))
        argv = shlex.split(lines[-1])
        if not argv[0].startswith("qemu-system-riscv"):
            fail(f"make qemu-cmd printed no QEMU command: {lines[-1]!r}")
        if "-smp" not in argv or argv[argv.index("-smp") + 1] != str(smp):
            fail(f"make qemu-cmd SMP={smp} printed {lines[-1]!r}")
        return argv

    def boot(self, image, running, smp=None, until=(), script=(), qemu_args=None,
             timeout=None):
        """Boot the image (already built) and return its Console.

        running: the containers expected to print; a line prefixed with
        any other name is a failure. Fails at once if a guest printed a
        FAIL line, QEMU hit the timeout or exited non-zero, a line is
        malformed, or the hypervisor's banner is wrong.

        until: hypervisor lines ("[diosix] " left off), or whole lines of a
        container ("[name] text"), after all of which the machine is
        stopped, for images that never power off. On a
        board that cannot power off, the firmware's halted line ends it."""
        argv = self.qemu_command(image, smp, qemu_args)
        # A whole line ("[name] text") is waited for as it is; anything
        # else is a hypervisor line.
        wanted = [text if text.startswith("[") else f"[{HYP}] {text}" for text in until]
        halts = not self.target.poweroff and not until
        if halts:
            wanted.append(f"[{HYP}] {HALTED}")

        def seen_all(out):
            # OpenSBI's dump of a trap it could not handle in M-mode ends
            # with the last register line: nothing runs after it.
            if M_TRAP_END.search(out):
                return True
            lines = {line.rstrip("\r") for line in out.splitlines()}
            return bool(wanted) and all(w in lines for w in wanted)

        timeout = timeout or self.target.boot_timeout
        res = run(argv, timeout, self.log, label=f"boot {image}",
                  until=seen_all, script=script)
        if self.session.verbose:
            for line in res.lines:
                print(f"    | {line}", flush=True)
        con = Console(res, running)
        self.consoles.append(con)
        trap = [line for line in con.lines if line.startswith(M_TRAP)]
        if trap:
            fail("the firmware took a trap in M-mode it could not handle", trap[:6])
        con.check_no_guest_fail()
        if res.timed_out:
            fail(f"QEMU did not {'power off' if not wanted else 'print what the test waits for'} "
                 f"within {timeout}s (killed)", tail(con.lines))
        if not res.ended and res.rc != 0:
            fail(f"QEMU exited with status {res.rc}", tail(con.lines))
        con.check_framing()
        con.expect_banner(smp or self.target.smp, self.target.xlen)
        if halts:
            con.expect_hyp_once(HALTED)
        return con

    def fdtget(self, image, *options, node, prop=None):
        """fdtget on the image's compiled manifest (what the firmware got):
        its output lines, e.g. fdtget("isolation", "-t", "s",
        node="/containers/victim", prop="bootargs")."""
        dtb = BUILD / self.target.name / image / "manifest.dtb"
        argv = ["fdtget", *options, str(dtb), node] + ([prop] if prop else [])
        return tool(argv, self.log).lines

    def manifest_containers(self, image):
        """Container names in the built manifest, in manifest order."""
        return self.fdtget(image, "-l", node="/containers")

    def finish(self):
        """Checks that apply to every boot once the test body has passed."""
        for con in self.consoles:
            con.check_all_hyp_lines_expected()


@dataclass
class Session:
    verbose: bool = False
    built: dict = field(default_factory=dict)   # target name -> [firmware ELF]
    notes: dict = field(default_factory=dict)   # what one test leaves for a later one


HYP = "diosix"
# The operator's typing, "[diosix] console> <command>": not a message.
OPERATOR = f"[{HYP}] console> "
_PREFIXED = re.compile(r"^\[([^\]\s]*)\] (.*)$")


def overstrike(line):
    """A line as a terminal leaves it: each CR returns to its start, and
    what follows writes over what was there (the focused container's
    line editing; its prefix comes back after each CR)."""
    shown = ""
    for part in line.split("\r"):
        shown = part + shown[len(part):]
    return shown
_NAME = re.compile(r"^[a-z0-9_-]{1,15}$")


class Console:
    """The serial output of one boot, split by prefix.

    lines: every line as a terminal shows it (overstrike); hyp:
    [(index, text)] of "[diosix] " lines; operator: the operator's typed
    lines ("[diosix] console> ..."), apart; ctr[name]: [(index, text)] of
    "[name] " lines. Assertions mark the hypervisor lines they expect, so
    that check_all_hyp_lines_expected can fail on any line nobody
    expected (a crash, a stray error)."""

    def __init__(self, result, running):
        self.result = result
        self.running = list(running)
        self.lines = [overstrike(line) for line in result.lines]
        self.hyp = []
        self.operator = []
        self.ctr = {name: [] for name in self.running}
        self.stray = []         # lines starting with "[" but not well formed
        self.expected_hyp = set()
        for i, line in enumerate(self.lines):
            if not line.startswith("["):
                continue
            if line.startswith(OPERATOR):
                self.operator.append((i, line[len(OPERATOR):]))
                continue
            m = _PREFIXED.match(line)
            if m and m.group(1) == HYP:
                self.hyp.append((i, m.group(2)))
            elif m and m.group(1) in self.ctr:
                self.ctr[m.group(1)].append((i, m.group(2)))
            else:
                self.stray.append((i, line))

    # --- helpers ------------------------------------------------------------

    def texts(self, name):
        return [text for _, text in self.ctr[name]]

    def _ctx(self, name, n=8):
        if name == HYP:
            return [f"[{HYP}] {t}" for _, t in self.hyp][-n:]
        return [f"[{name}] {t}" for _, t in self.ctr[name]][-n:] or tail(self.lines, n)

    def hyp_where(self, pred):
        return [(i, t) for i, t in self.hyp if pred(t)]

    def expect_hyp_once(self, text):
        """The hypervisor printed exactly this line exactly once; its index."""
        hits = self.hyp_where(lambda t: t == text)
        if len(hits) != 1:
            fail(f"expected the line '[{HYP}] {text}' once, found it {len(hits)} times",
                 self._ctx(HYP))
        self.expected_hyp.add(hits[0][0])
        return hits[0][0]

    def expect_hyp_match_once(self, regex, what):
        pat = re.compile(regex)
        hits = [(i, pat.fullmatch(t)) for i, t in self.hyp if pat.fullmatch(t)]
        if len(hits) != 1:
            fail(f"expected one [{HYP}] line {what}, found {len(hits)}", self._ctx(HYP))
        self.expected_hyp.add(hits[0][0])
        return hits[0]

    # --- checks every boot gets ---------------------------------------------

    def check_no_guest_fail(self):
        for name in self.running:
            for k, (i, text) in enumerate(self.ctr[name]):
                if text.startswith("FAIL"):
                    fail(f"{name} printed: {text}",
                         [f"[{name}] {t}" for _, t in self.ctr[name][max(0, k - 3):k + 5]])

    def check_framing(self):
        """Whole lines only: every "[" line is "[diosix] …" or "[<running
        container>] …", and no line holds a second prefix mid-line."""
        if self.stray:
            i, line = self.stray[0]
            fail(f"malformed or unknown-container line {i + 1}: {line!r}",
                 [line for _, line in self.stray[:8]])
        prefixes = [f"[{n}] " for n in [HYP] + self.running]
        for i, line in enumerate(self.lines):
            for p in prefixes:
                if line.find(p, 1) > 0:
                    fail(f"line {i + 1} holds two console lines: {line!r}",
                         self.lines[max(0, i - 3):i + 4])

    def expect_banner(self, harts, xlen):
        if not self.hyp:
            fail(f"no [{HYP}] line at all", tail(self.lines))
        i, m = self.expect_hyp_match_once(r"diosix [0-9][^ :]*: (\d+) harts, (\d+)-bit",
                                          "'diosix <version>: <N> harts, <XLEN>-bit'")
        if self.hyp[0][0] != i:
            fail(f"the first [{HYP}] line is not the banner: {self.hyp[0][1]!r}",
                 self._ctx(HYP))
        if (int(m.group(1)), int(m.group(2))) != (harts, xlen):
            fail(f"banner says {m.group(1)} harts, {m.group(2)}-bit; "
                 f"expected {harts} harts, {xlen}-bit", [f"[{HYP}] {m.group(0)}"])

    def check_all_hyp_lines_expected(self):
        extra = [(i, t) for i, t in self.hyp if i not in self.expected_hyp]
        if extra:
            fail(f"unexpected hypervisor line: [{HYP}] {extra[0][1]}",
                 [f"[{HYP}] {t}" for _, t in extra[:8]])

    # --- containers -----------------------------------------------------------

    def expect_containers(self, specs):
        """specs: [(name, MiB, vCPUs[, extra])], in manifest order. Each is
        announced exactly once as "container <name>: <M> MiB at 0x<base>,
        <n> vCPU[s], ELF image<extra>" (extra: "" or e.g. " + initrd"), in
        that order, before any of its output. Returns {name: base}."""
        bases, last = {}, -1
        for name, mib, vcpus, *rest in specs:
            extra = rest[:1]
            kind = rest[1] if len(rest) > 1 else "ELF"
            i, m = self.expect_hyp_match_once(
                rf"container {re.escape(name)}: \d+ MiB at 0x([0-9a-f]+), .*",
                f"announcing container {name}")
            base = int(m.group(1), 16)
            want = (f"container {name}: {mib} MiB at 0x{base:x}, {vcpus} "
                    f"vCPU{'' if vcpus == 1 else 's'}, {kind} image{''.join(extra)}")
            if m.group(0) != want:
                fail(f"expected '[{HYP}] {want}', got '[{HYP}] {m.group(0)}'", self._ctx(HYP))
            if i < last:
                fail(f"container {name} is announced out of manifest order", self._ctx(HYP))
            if name in self.ctr and self.ctr[name] and self.ctr[name][0][0] < i:
                fail(f"{name} printed before it was announced", self._ctx(name))
            last = i
            bases[name] = base
        return bases

    def expect_lines(self, name, expected):
        """The container printed exactly these lines, in this order. An
        expected item is a string (exact) or a compiled regex (fullmatch)."""
        got = self.texts(name)
        for k, want in enumerate(expected):
            if k >= len(got):
                fail(f"{name} stopped printing after {len(got)} lines; "
                     f"missing: {_show(want)}", self._ctx(name))
            ok = want.fullmatch(got[k]) if isinstance(want, re.Pattern) else got[k] == want
            if not ok:
                fail(f"{name} line {k + 1}: expected {_show(want)}, got '{got[k]}'",
                     [f"[{name}] {t}" for t in got[max(0, k - 4):k + 3]])
        if len(got) > len(expected):
            fail(f"{name} printed {len(got) - len(expected)} more lines than expected, "
                 f"first: '{got[len(expected)]}'", self._ctx(name))

    def expect_stopped(self, name, how):
        """'container <name> stopped (<how>)' once, after all its output."""
        i = self.expect_hyp_once(f"container {name} stopped ({how})")
        after = [t for j, t in self.ctr.get(name, []) if j > i]
        if after:
            fail(f"{name} printed after it stopped: '{after[0]}'", self._ctx(name))
        return i

    def expect_not_started(self, name, field):
        """The boot-time error for <name>'s <field>, then '…: not started'."""
        i, m = self.expect_hyp_match_once(
            rf"error: container {re.escape(name)}: {re.escape(field)}: (.+)",
            f"'error: container {name}: {field}: …'")
        j = self.expect_hyp_once(f"container {name}: not started")
        if j < i:
            fail(f"'container {name}: not started' comes before its error", self._ctx(HYP))
        return m.group(0)

    def expect_poweroff(self):
        """The powering-off line, once, and nothing printed after it."""
        i = self.expect_hyp_once("all containers have stopped: powering off")
        later = [line for line in self.lines[i + 1:]
                 if line.strip() and line != f"[{HYP}] {HALTED}"]
        if later:
            fail(f"output after powering off: '{later[0]}'", later[:8])
        return i


def _show(want):
    return f"/{want.pattern}/" if isinstance(want, re.Pattern) else f"'{want}'"


def tool(argv, log):
    """A host tool that must succeed (e.g. readelf); its Result."""
    res = run(argv, TOOL_TIMEOUT, log)
    if res.timed_out or res.rc != 0:
        fail(f"{argv[0]} failed (exit status {res.rc})", tail(res.lines))
    return res
