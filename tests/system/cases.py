# SPDX-License-Identifier: BSD-2-Clause
"""The system tests. Each is a function of a TestRun `t` (see harness.py),
registered once per target as "<name>-<rv64|rv32>". They run in the order
listed, all rv64 tests first; a test fails by raising TestFailure.

Every boot also gets, from t.boot(): no guest FAIL line, QEMU exits 0
before the timeout, only whole "[diosix] …" / "[<running container>] …"
lines, and the banner "diosix <v>: <SMP> harts, <XLEN>-bit" first; and
after the test body every [diosix] line must have been expected by it.
"""
import json
import os
import re
import shutil
from dataclasses import dataclass, replace
from typing import Callable

import shlex

from .harness import (BUILD, HYP, REPO, TARGETS, Console, Target, bundle_def, fail,
                      free_port, run, tail, tool)
from .terminal import BACKSPACE, CTRL_D, ENTER, LEFT, UP, Terminal, cuttable

ESC = b"\x1d"      # Ctrl-]: the operator console
BOTH = ("rv64", "rv32")
ALL = ("rv64", "rv32", "sifive")
# ALL and the HiFive Unleashed booted as the board boots: SPL, then an SD card.
WITH_BOARD = ALL + ("unleashed",)


@dataclass
class SystemTest:
    name: str
    func: Callable
    target: Target


TESTS = []


def system_test(name, targets=BOTH):
    def register(func):
        for short in targets:
            TESTS.append(SystemTest(f"{name}-{short}", func, TARGETS[short]))
        return func
    return register


def hello_lines(base, mib, bootargs):
    """What guests/hello.c prints, in order."""
    return [
        "hello from vhart 0",
        f"memory 0x{base:x} 0x{mib << 20:x}",
        f"bootargs {bootargs}",
        "free memory zero",
        "dbcn ok",
        "legacy ok",
        "goodbye",
    ]


# --- 1. hello ----------------------------------------------------------------

@system_test("hello", targets=WITH_BOARD)
def hello(t):
    t.build("hello")
    con = t.boot("hello", running=["hello-a", "hello-b"])
    bases = con.expect_containers([("hello-a", 4, 1), ("hello-b", 8, 1)])
    con.expect_lines("hello-a", hello_lines(bases["hello-a"], 4, "container a"))
    con.expect_lines("hello-b", hello_lines(bases["hello-b"], 8, "container b"))
    con.expect_stopped("hello-a", "shutdown")
    con.expect_stopped("hello-b", "shutdown")
    con.expect_poweroff()


# --- 2. isolation --------------------------------------------------------------

ATTACKED = ["fw", "bundle", "uart", "clint", "victim"]
MRET_MSG = "system_opcode_insn: Invalid opcode for CSR read/write instruction"
_SPAN = r"0x([0-9a-f]+)-0x([0-9a-f]+)"


def opensbi_info(con, key):
    """A value from OpenSBI's boot information, e.g. 'Firmware Base'."""
    for line in con.lines:
        m = re.fullmatch(rf"{re.escape(key)}\s*: (0x[0-9a-f]+)", line.strip())
        if m:
            return int(m.group(1), 16)
    fail(f"OpenSBI printed no '{key}' line")


@system_test("isolation", targets=WITH_BOARD)
def isolation(t):
    check_isolation(t)


SMEPMP_CPU = "-cpu rv64,x-epmp=true"


def smepmp_dtb(t):
    """QEMU virt's own device tree for this machine with Smepmp added to
    every hart's riscv,isa: QEMU 7.2 implements Smepmp's PMP rules (the
    x-epmp property) but does not list the extension, and OpenSBI goes by
    the tree. Its path."""
    dtb = BUILD / t.target.name / "smepmp.dtb"
    argv = t.qemu_command("isolation", qemu_args=SMEPMP_CPU)
    argv[argv.index("-M") + 1] += f",dumpdtb={dtb}"
    tool(argv, t.log)
    cpus = [n for n in tool(["fdtget", "-l", str(dtb), "/cpus"], t.log).lines
            if n.startswith("cpu@")]
    for cpu in cpus:
        isa = tool(["fdtget", str(dtb), f"/cpus/{cpu}", "riscv,isa"], t.log).lines[0]
        tool(["fdtput", "-t", "s", str(dtb), f"/cpus/{cpu}", "riscv,isa", isa + "_smepmp"],
             t.log)
    return dtb


@system_test("isolation-smepmp", targets=("rv64",))
def isolation_smepmp(t):
    """The isolation test on harts with Smepmp, whose rules would lock the
    hypervisor out of container RAM if OpenSBI turned them on."""
    t.build("isolation")
    check_isolation(t, f"{SMEPMP_CPU} -dtb {smepmp_dtb(t)}")


def check_isolation(t, qemu_args=None):
    t.build("isolation")
    # The targets and the victim's rounds come from the manifest as built.
    args = " ".join(t.fdtget("isolation", "-t", "s", node="/containers/isolation",
                             prop="bootargs"))
    targets = [(label, int(addr, 16)) for label, addr in re.findall(r"(\w+)=(0x[0-9a-f]+)", args)]
    if sorted(label for label, _ in targets) != sorted(ATTACKED):
        fail(f"isolation's bootargs attack {[lb for lb, _ in targets]}, expected {ATTACKED}",
             [args])
    rounds = re.search(r"\brounds=(\d+)", " ".join(t.fdtget(
        "isolation", "-t", "s", node="/containers/victim", prop="bootargs")))
    if not rounds or int(rounds.group(1)) < 1:
        fail("the victim's bootargs give no rounds=<n>")
    rounds = int(rounds.group(1))
    has_initrd = "initrd" in t.fdtget("isolation", "-p", node="/containers/victim")

    con = t.boot("isolation", running=["isolation", "victim"], qemu_args=qemu_args)
    bases = con.expect_containers([("isolation", 4, 1),
                                   ("victim", 4, 1, " + initrd" if has_initrd else "")])

    # fw= and bundle= are where this firmware and its payload really are:
    # as OpenSBI reports them, or on a board (where U-Boot SPL asks OpenSBI
    # not to print) where SPL loads them from the FIT.
    addr = dict(targets)
    for label, key, node in (("fw", "Firmware Base", "/images/diosix"),
                             ("bundle", "Domain0 Next Address", "/images/bundle")):
        if t.target.board:
            fit = BUILD / t.target.name / "isolation" / "diosix.itb"
            where, what = fit_load(fit, node, t.log), f"the FIT's {node} load"
        else:
            where, what = opensbi_info(con, key), f"OpenSBI's {key}"
        if addr[label] != where:
            fail(f"isolation attacks {label}=0x{addr[label]:x}, but {what} is 0x{where:x}")

    # One PASS line per (attempt, target), in the order the guest tries them.
    expected = []
    for label, a in targets:
        expected += [f"PASS read {label} 0x{a:x}: access fault",
                     f"PASS write {label} 0x{a:x}: access fault",
                     f"PASS dbcn {label} 0x{a:x}: error -3",
                     f"PASS legacy-ipi mask {label} 0x{a:x}: error -5"]
    con.expect_lines("isolation", expected + ["PASS mret x20: illegal instruction",
                                              "isolation done: 21 passed, 0 failed"])
    # OpenSBI's complaint about each mret: whole lines naming the
    # container, FWLOG_BURST (5) of them, then how many were held back.
    said = con.hyp_where(lambda text: text == f"container isolation: firmware: {MRET_MSG}")
    if len(said) != 5:
        fail(f"expected OpenSBI's mret message for isolation 5 times, found {len(said)}",
             con._ctx("diosix", 12))
    con.expected_hyp.update(i for i, _ in said)
    con.expect_hyp_once("container isolation: 15 more firmware messages suppressed")

    # The victim: [initrd,] pattern, every round intact, done. The attacked
    # word must be one it checks, or its "intact" proves nothing.
    victim = con.texts("victim")
    spans, head = [], []
    for kind in (["initrd"] if has_initrd else []) + ["pattern"]:
        line = victim[len(head)] if len(victim) > len(head) else ""
        m = re.fullmatch(rf"victim {kind} {_SPAN}", line)
        if not m:
            fail(f"victim line {len(head) + 1}: expected 'victim {kind} 0x<start>-0x<end>', "
                 f"got '{line}'", con._ctx("victim"))
        spans.append((kind, int(m.group(1), 16), int(m.group(2), 16)))
        head.append(line)
    con.expect_lines("victim", head
                     + [f"victim round {k} intact" for k in range(1, rounds + 1)]
                     + ["victim done: intact"])
    hit = [kind for kind, lo, hi in spans if lo <= addr["victim"] < hi]
    if not hit:
        fail(f"the attacked address 0x{addr['victim']:x} is in none of the spans the "
             f"victim checks: the attack proves nothing", head)
    if not bases["victim"] <= addr["victim"] < bases["victim"] + (4 << 20):
        fail(f"the attacked address 0x{addr['victim']:x} is not in the victim's RAM "
             f"(0x{bases['victim']:x}, 4 MiB)")

    # The victim went on checking after the last attack.
    done = next(i for i, text in con.ctr["isolation"] if text.startswith("isolation done"))
    if not any(i > done and text.startswith("victim round") for i, text in con.ctr["victim"]):
        fail("no 'victim round … intact' line after 'isolation done': the victim was not "
             "checked after the attacks", con.lines[done - 2:done + 3])
    write = next(i for i, text in con.ctr["isolation"] if text.startswith("PASS write victim"))
    if hit == ["pattern"] and con.ctr["victim"][len(head) - 1][0] > write:
        # Guests do not synchronise: this attack may come before the fill.
        # The store fault (PASS write victim) still shows it was refused.
        t.log.write("# note: the victim wrote its pattern after the write attack")

    con.expect_stopped("isolation", "shutdown")
    con.expect_stopped("victim", "shutdown")
    con.expect_poweroff()


# --- 2b. devices: a board device and its interrupts through a virtual PLIC ----

def devirq_driver(sifive):
    """What guests/devirq.c prints as the driver of images/devices.dts."""
    other = "0x10020000" if sifive else "0x10001000"
    checks = ["device tree has a riscv,plic0 node",
              "device node's interrupt is its PLIC source"]
    checks += ["its clock is a fixed-clock with a rate"] if sifive else []
    checks += [
        "claim with nothing pending is 0",
        "priority reads back",
        "a masked source shows as pending",
        "a masked source never interrupts",
        "threshold = priority holds it back",
        "threshold 0: the interrupt arrives",
        "claimed and cleared: not pending",
        "alarms delivered from WFI",
        "no spurious claims",
        "no other source or cause",
        "byte load from the PLIC faults",
        f"other container's device {other} read faults",
        f"other container's device {other} write faults",
    ]
    if sifive:
        checks += ["hypervisor's UART 0x10010000 read faults",
                   "hypervisor's UART 0x10010000 write faults"]
    return [f"PASS devirq: {what}" for what in checks] + [
        "devirq: 21 interrupts", f"devirq done: {len(checks)} passed, 0 failed"]


def devirq_watch(sifive):
    dev = "0x10011000" if sifive else "0x101000"
    checks = [
        "device tree has a riscv,plic0 node",
        "own device readable",
        "watch: no interrupt arrived",
        "watch: nothing pending",
        "watch: claim is 0",
        f"driver's device {dev} read faults",
        f"driver's device {dev} write faults",
    ]
    return [f"PASS devirq: {what}" for what in checks] + [
        f"devirq done: {len(checks)} passed, 0 failed"]


@system_test("devices", targets=ALL)
def devices(t):
    """driver owns a device (virt: the RTC; sifive_u: the second UART,
    which it also prints on) and takes its interrupts through its virtual
    PLIC (masking, threshold, claim, complete, WFI wake-ups); watch owns
    another device, opens its virtual PLIC wide and sees none of them;
    each one's loads and stores to the other's device fault."""
    sifive = t.target.name == "qemu-sifive-u"
    uart = BUILD / t.target.name / "devices" / "uart1.txt"
    uart.unlink(missing_ok=True)
    t.build("devices")
    con = t.boot("devices", running=["driver", "watch"],
                 qemu_args=f"-serial mon:stdio -serial file:{uart}" if sifive else None)
    con.expect_containers([("driver", 4, 1), ("watch", 4, 1)])
    con.expect_lines("driver", devirq_driver(sifive))
    con.expect_lines("watch", devirq_watch(sifive))
    con.expect_stopped("driver", "shutdown")
    con.expect_stopped("watch", "shutdown")
    con.expect_poweroff()
    if sifive and uart.read_text(errors="replace") != "devirq: hello on the second UART\n":
        fail(f"the second UART ({uart.relative_to(REPO)}) holds "
             f"{uart.read_text(errors='replace')!r}, expected the driver's line")


# The noisy neighbour (guests/noisy.c). Two vCPUs sharing a hart take
# turns of one slice S each (docs/scheduling.md: a turn is a fixed S).
# The worker starts and ends each window when it reads the clock, so on
# its own turns: a window of L ms holds k whole turns of the hammer and
# the worker's own, cut at both ends, and its share (L - kS) / L is
# least when L is (2k - 1) S: 1/2 - S / 2L. A window follows the one
# before it and ends at a fixed time, so it is at least P - S long, the
# worker being off the hart for at most one turn at its start: the
# share is at least 1/2 - S / 2(P - S), 0.444 for a 100 ms window. One
# more percent covers the two world switches a cycle (about 2 us in
# 20 ms) and the console poll: what is left is less than a tenth of it.
NOISY_SLICE_MS = int(re.search(r"#define HYP_SLICE_US\s+(\d+)",
                               (REPO / "hyp" / "include" / "hyp" / "config.h").read_text()).group(1)) / 1000
NOISY_PERIOD_MS = 100          # guests/noisy.c PERIOD_MS
NOISY_PERIODS = 4
NOISY_MIN_PERMILLE = int(1000 * (0.5 - NOISY_SLICE_MS / (2 * (NOISY_PERIOD_MS - NOISY_SLICE_MS))
                                  - 0.01))
# The hammer holds the hart for about 200 ms of the test; at about 1.2 us
# an interrupt (rv64: the M-mode claim and routing, the guest's handler,
# its trapped claim and complete) it takes some 100000. Far fewer means
# it did not hammer, and the worker's share proves nothing.
NOISY_MIN_INTERRUPTS = 20000
_NOISY_ALONE = re.compile(r"noisy: worker alone: (\d+) chunks in (\d+) ticks")
_NOISY_PERIOD = re.compile(r"noisy: worker period (\d+): (\d+) chunks in (\d+) ticks")
_NOISY_HAMMER = re.compile(r"noisy: hammer: (\d+) interrupts, 0 spurious, 0 other")


@system_test("noisy")
def noisy(t):
    """A container whose device interrupts it as fast as it can take the
    interrupts does not slow a CPU-bound neighbour on the same hart below
    its fair share: in every 100 ms window the worker runs at least
    NOISY_MIN_PERMILLE of its rate alone, and the hammer really took many
    interrupts. One hart, neither pinned; -icount makes the clock count
    instructions, so the host's load cannot move the figures."""
    t.build("noisy")
    con = t.boot("noisy", running=["hammer", "worker"], smp=1,
                 qemu_args="-icount shift=0,sleep=off")
    con.expect_containers([("hammer", 4, 1), ("worker", 4, 1)])
    texts = con.texts("worker")
    alone = [m for m in map(_NOISY_ALONE.fullmatch, texts) if m]
    if not alone or not int(alone[0].group(1)):
        fail("the worker did not measure its rate alone", con._ctx("worker"))
    rate = int(alone[0].group(1)) / int(alone[0].group(2))
    periods = [m for m in map(_NOISY_PERIOD.fullmatch, texts) if m]
    if [int(m.group(1)) for m in periods] != list(range(NOISY_PERIODS)):
        fail(f"the worker did not report its {NOISY_PERIODS} periods", con._ctx("worker"))
    for m in periods:
        # 0 ticks: the worker never ran in that window.
        chunks, ticks = int(m.group(2)), int(m.group(3))
        share = round(1000 * chunks / ticks / rate) if ticks else 0
        t.log.write(f"# worker period {m.group(1)}: {share} permille of its rate alone\n")
        if share < NOISY_MIN_PERMILLE:
            fail(f"worker period {m.group(1)}: {share} permille of its rate alone, "
                 f"less than its fair share ({NOISY_MIN_PERMILLE})", con._ctx("worker"))
    hammer = [m for m in map(_NOISY_HAMMER.fullmatch, con.texts("hammer")) if m]
    if not hammer:
        fail("the hammer did not report its interrupts", con._ctx("hammer"))
    if int(hammer[0].group(1)) < NOISY_MIN_INTERRUPTS:
        fail(f"the hammer took only {hammer[0].group(1)} interrupts "
             f"(fewer than {NOISY_MIN_INTERRUPTS}): it did not hammer", con._ctx("hammer"))
    con.expect_stopped("worker", "shutdown")
    con.expect_stopped("hammer", "shutdown")
    con.expect_poweroff()


VBLK_FIRST = ["a virtio 1.x block device", "the device offers VIRTIO_F_VERSION_1",
              "the device accepts the features", "queue 0 is free and holds a request",
              "the disk has sector 1", "read sector 1: status OK"]
VBLK_LAST = "every request ended by its interrupt, none spurious"


def _vblk_passes(checks):
    return [f"PASS vblk: {c}" for c in checks]


_VBLK_STAMP = re.compile(r"vblk: (wrote sector 1|read sector 1 after the reboot): stamp (0x[0-9a-f]{8})")


@system_test("vblk")
def vblk(t):
    """A custom guest's own virtio-blk driver (guests/vblk.c: the virtio
    1.x MMIO transport, a split virtqueue, each request ended by its
    interrupt through the virtual PLIC) writes a stamped sector of a
    fresh, empty disk, reads it back, reboots, and finds it again; the
    host finds it in the disk image."""
    disk = BUILD / t.target.name / "vblk" / "disk.img"
    disk.parent.mkdir(parents=True, exist_ok=True)
    disk.unlink(missing_ok=True)
    with open(disk, "wb") as f:
        f.truncate(1 << 20)
    t.build("vblk")
    con = t.boot("vblk", running=["vblk"],
                 qemu_args="-global virtio-mmio.force-legacy=false "
                           f"-drive file={disk},if=none,format=raw,id=vd0 "
                           "-device virtio-blk-device,drive=vd0")
    con.expect_containers([("vblk", 4, 1)])
    first = VBLK_FIRST + ["write sector 1: status OK", "read sector 1: status OK",
                          "sector 1 reads back as written"]
    stamps = [m.groups() for m in map(_VBLK_STAMP.fullmatch, con.texts("vblk")) if m]
    if [what for what, _ in stamps] != ["wrote sector 1", "read sector 1 after the reboot"] \
            or stamps[0][1] != stamps[1][1]:
        fail(f"vblk's stamps before and after its reboot: {stamps}", con._ctx("vblk"))
    stamp = stamps[0][1]
    con.expect_lines("vblk", _vblk_passes(first) + [
        f"vblk: wrote sector 1: stamp {stamp}", f"PASS vblk: {VBLK_LAST}",
        f"vblk done: {len(first) + 1} passed, 0 failed"] + _vblk_passes(VBLK_FIRST) + [
        "PASS vblk: sector 1 holds a stamp and its pattern",
        f"vblk: read sector 1 after the reboot: stamp {stamp}", f"PASS vblk: {VBLK_LAST}",
        f"vblk done: {len(VBLK_FIRST) + 2} passed, 0 failed"])
    con.expect_hyp_once("container vblk stopped (reboot): restarting")
    con.expect_hyp_match_once(r"container vblk restart 1: \d+ bytes of firmware heap in use",
                              "vblk's restart")
    con.expect_stopped("vblk", "shutdown")
    con.expect_poweroff()
    sector = disk.read_bytes()[512:1024]
    if not sector.startswith(f"diosix vblk {stamp}".encode()):
        fail(f"{disk.relative_to(REPO)}'s sector 1 begins {sector[:24]!r}, "
             f"not the guest's stamp {stamp}")


# --- 3. poweroff: the `make run` default image ----------------------------------

# --- 3. Linux containers: the demo, consoles, reboots --------------------------

LINUX_INITRD = (" + initrd", "Linux")
_UP = re.compile(r"(\S+) up: (\d+) cpus, (\d+) MiB")


def linux_up(con, name, cpus=2, mib=64):
    """'<name> up: <cpus> cpus, <M> MiB' from the container's init, once
    per boot, with M what the kernel left of the manifest's RAM. A line
    need not come whole: the focused container's bytes go out as they
    come, so another's line may have ended one of its lines early, and
    any container's partial line is written out as a prompt once it is
    CONSOLE_PROMPT_US old (a vCPU held off its hart in the middle of a
    line: docs/console.md). So the 'up' lines and the kernel's banners
    are counted in its output with its lines joined."""
    text = "".join(con.texts(name))
    ups = list(re.finditer(rf"({re.escape(name)}) up: (\d+) cpus, (\d+) MiB", text))
    if not ups:
        fail(f"{name} never reached init's 'up' line", con._ctx(name, 12))
    banners = re.findall("Linux version", text)
    if len(banners) != len(ups):
        fail(f"{name}: expected the kernel's banner once per boot", banners[:4])
    for m in ups:
        if m.group(1) != name or int(m.group(2)) != cpus or not \
                mib * 3 // 4 <= int(m.group(3)) <= mib:
            fail(f"{name}: '{m.group(0)}', expected {cpus} cpus and close to "
                 f"{mib} MiB", con._ctx(name))
    return len(ups)


def prompt(name):
    """The shell's prompt, shown once the shell waits for input."""
    return re.compile(rf"\[{re.escape(name)}\] {re.escape(name)}:/# ?")


def mark_console(con):
    """The operator console's own lines are expected wherever they are."""
    for i, text in con.hyp:
        if text.startswith("console: "):
            con.expected_hyp.add(i)


def check_demo(t, smp=None):
    t.build("demo")
    script = [
        (prompt("linux-a"), b""),
        (prompt("linux-b"), b"echo marker-$((6*7))\r"),
        ("[linux-a] marker-42", ESC + b"list\r"),
        (re.compile(r"\[diosix\] list: hello .*"), b"focus linux-b\r" + ESC),
        ("[diosix] console: input goes to linux-b", b"uname -n\r"),
        ("[linux-b] linux-b", b"poweroff -f\r"),
        ("[diosix] container linux-b stopped (shutdown)",
         ESC + b"focus linux-a\r" + ESC + b"poweroff -f\r"),
    ]
    con = t.boot("demo", running=["linux-a", "linux-b", "hello"], smp=smp, script=script)
    con.expect_containers([("linux-a", 64, 2, *LINUX_INITRD),
                           ("linux-b", 64, 2, *LINUX_INITRD), ("hello", 4, 1)])
    linux_up(con, "linux-a")
    linux_up(con, "linux-b")
    # The shell ran the command (not just echoed it), in the right container.
    if "marker-42" not in con.texts("linux-a") or "marker-42" in con.texts("linux-b"):
        fail("'echo marker-$((6*7))' did not answer under [linux-a] only", con._ctx("linux-a"))
    if "linux-b" not in con.texts("linux-b") or "linux-b" in con.texts("linux-a"):
        fail("'uname -n' did not answer under [linux-b] only", con._ctx("linux-b"))
    listed = {}
    for i, text in con.hyp:
        m = re.fullmatch(r"list: (\S+) (running|stopped), (\d+) vCPUs?, (\d+) MiB, "
                         r"cpu \d+ ms(, focus)?", text)
        if m:
            listed[m.group(1)] = (m.group(3), m.group(4))
            con.expected_hyp.add(i)
    for name, vcpus, mib in (("linux-a", "2", "64"), ("linux-b", "2", "64")):
        if listed.get(name) != (vcpus, mib):
            fail(f"operator list: {name} shown as {listed.get(name)}", con._ctx("diosix", 12))
    mark_console(con)
    con.expect_lines("hello", hello_lines(_announced_base(con, "hello"), 4,
                                          "beside two Linux containers"))
    for name in ("linux-a", "linux-b", "hello"):
        con.expect_stopped(name, "shutdown")
    con.expect_poweroff()


def _announced_base(con, name):
    for _, text in con.hyp:
        m = re.fullmatch(rf"container {re.escape(name)}: \d+ MiB at 0x([0-9a-f]+), .*", text)
        if m:
            return int(m.group(1), 16)
    fail(f"container {name} was never announced", con._ctx("diosix"))


@system_test("demo", targets=("rv64",))
def demo(t):
    """make run's image: two Linux containers and a custom guest."""
    check_demo(t)


@system_test("demo-overcommit", targets=("rv64",))
def demo_overcommit(t):
    """The same five vCPUs on two harts."""
    check_demo(t, smp=2)


class HostServer:
    """An HTTP server on 127.0.0.1 serving /file (the demo's guestfwd
    target), in a thread for the length of a with block."""

    def __init__(self, port, body):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path != "/file":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def talk_to_guest(port, send, expect, attempts=400):
    """Connect to the forwarded port until the guest's listener answers:
    QEMU accepts at once and drops the connection while nothing listens
    in the guest yet, so the drop shows up as a reset, a broken pipe or,
    when it lands before our shutdown, a socket no longer connected.
    Returns what the listener sent."""
    import errno
    import socket
    got = b""
    for _ in range(attempts):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(send)
                s.shutdown(socket.SHUT_WR)
                got = b"".join(iter(lambda: s.recv(4096), b""))
        except (ConnectionResetError, BrokenPipeError):
            continue
        except OSError as e:
            if e.errno != errno.ENOTCONN:
                raise
            continue
        if expect in got:
            return got
    fail(f"no listener answered on 127.0.0.1:{port} after {attempts} connections "
         f"(last reply {got!r})")


@system_test("linux-devices", targets=("rv64", "sifive"))
def linux_devices(t):
    """The demo's devices, driven by Linux through its virtual PLIC.
    linux-a (virt: a virtio network card; sifive_u: the Cadence GEM
    Ethernet) gets a DHCP lease, fetches a file from a server on the
    host's loopback through the guestfwd and answers a host connection
    to the hostfwd. On virt linux-b writes a file to its virtio disk,
    reboots, reads it back, and the host finds the bytes in the disk
    image; on sifive_u it writes a line to its UART, which QEMU puts in
    a file the host reads."""
    sifive = t.target.name == "qemu-sifive-u"
    t.build("demo")
    token = os.urandom(6).hex()
    uart = BUILD / t.target.name / "demo" / "uart1.txt"
    uart.unlink(missing_ok=True)
    t.qemu_vars = {"NET_HOST_PORT": free_port(), "NET_GUEST_PORT": free_port(),
                   "UART1": f"file:{uart}"}
    guest_port = t.qemu_vars["NET_GUEST_PORT"]
    replies = []

    def connect():
        replies.append(talk_to_guest(guest_port, f"ping-{token}\n".encode(), b"pong-a"))
        return b"cat /tmp/in\r"

    to_b = ESC + b"focus linux-b\r" + ESC
    if sifive:
        linux_b = [
            (f"[linux-a] ping-{token}",
             to_b + f"echo uart-{token} >/dev/ttySIF1; poweroff -f\r".encode()),
        ]
    else:
        linux_b = [
            (f"[linux-a] ping-{token}",
             to_b + f"echo disk-{token} >/mnt/diosix-test; sync; reboot -f\r".encode()),
            ("[diosix] container linux-b stopped (reboot): restarting", b""),
            ("[linux-b] linux-b disk: /dev/vda on /mnt", b"cat /mnt/diosix-test\r"),
            (f"[linux-b] disk-{token}", b"poweroff -f\r"),
        ]
    script = [
        ("[linux-a] linux-a net: eth0 10.0.2.15/24", b""),
        (prompt("linux-a"), b"wget -T 0 -q -O - http://10.0.2.100/file\r"),
        # In a subshell: no job notice from the shell later, which could
        # land while the operator console echoes (a console limit).
        (f"[linux-a] http-{token}", b"echo pong-a >/tmp/reply; "
         b"(nc -l -p 5555 </tmp/reply >/tmp/in &); echo nc-started\r"),
        ("[linux-a] nc-started", connect),
        *linux_b,
        ("[diosix] container linux-b stopped (shutdown)",
         ESC + b"focus linux-a\r" + ESC + b"poweroff -f\r"),
    ]
    with HostServer(t.qemu_vars["NET_HOST_PORT"], f"http-{token}\n".encode()):
        con = t.boot("demo", running=["linux-a", "linux-b", "hello"], script=script)
    con.expect_containers([("linux-a", 64, 2, *LINUX_INITRD),
                           ("linux-b", 64, 2, *LINUX_INITRD), ("hello", 4, 1)])
    for text in (f"http-{token}", f"ping-{token}"):
        if text not in con.texts("linux-a"):
            fail(f"linux-a never printed '{text}'", con._ctx("linux-a"))
    if not replies or b"pong-a" not in replies[0]:
        fail(f"the host's connection got {replies!r}, expected the guest's pong-a")
    if not sifive and con.texts("linux-b").count("linux-b disk: /dev/vda on /mnt") != 2:
        fail("linux-b did not mount its disk on both boots", con._ctx("linux-b"))
    for i, text in con.hyp:
        if text == "container linux-b stopped (reboot): restarting" or \
                re.fullmatch(r"container linux-b restart 1: \d+ bytes of firmware heap in use", text):
            con.expected_hyp.add(i)
    mark_console(con)
    for name in ("linux-a", "linux-b", "hello"):
        con.expect_stopped(name, "shutdown")
    con.expect_poweroff()
    if sifive:
        if f"uart-{token}" not in uart.read_text(errors="replace"):
            fail(f"{uart.relative_to(REPO)} does not hold 'uart-{token}' after linux-b "
                 "wrote it to its UART", [uart.read_text(errors="replace")[-200:]])
        return
    disk = BUILD / t.target.name / "disk.img"
    if f"disk-{token}".encode() not in disk.read_bytes():
        fail(f"{disk.relative_to(REPO)} does not hold 'disk-{token}' after linux-b wrote it")


_FP_DONE = "fpstress: 8 processes x 30 rounds ok"


def fp_result(name):
    return re.compile(rf"\[{name}\] ({re.escape(_FP_DONE)}|FAIL .*)")


@system_test("linux-fpstress", targets=("rv64",))
def linux_fpstress(t):
    """Both Linux containers of the demo on one hart, each running eight
    processes that check their FP registers across Linux's task switches
    and the hypervisor's (the demo's five vCPUs time-sliced together)."""
    t.build("demo")
    run_fp = b"fpstress 8 30\r"
    script = [
        (prompt("linux-a"), b""),
        (prompt("linux-b"), run_fp),
        ("[linux-a] fpstress: 8 processes, 30 rounds each",
         ESC + b"focus linux-b\r" + ESC + run_fp),
        (fp_result("linux-a"), b""),
        (fp_result("linux-b"), ESC + b"focus linux-a\r" + ESC + b"poweroff -f\r"),
        ("[diosix] container linux-a stopped (shutdown)",
         ESC + b"focus linux-b\r" + ESC + b"poweroff -f\r"),
    ]
    con = t.boot("demo", running=["linux-a", "linux-b", "hello"], smp=1, script=script)
    con.expect_containers([("linux-a", 64, 2, *LINUX_INITRD),
                           ("linux-b", 64, 2, *LINUX_INITRD), ("hello", 4, 1)])
    for name in ("linux-a", "linux-b"):
        linux_up(con, name)
        if _FP_DONE not in con.texts(name):
            fail(f"{name}: fpstress did not report '{_FP_DONE}'", con._ctx(name))
        con.expect_stopped(name, "shutdown")
    mark_console(con)
    con.expect_stopped("hello", "shutdown")
    con.expect_poweroff()


@system_test("linux-reboot", targets=("rv64",))
def linux_reboot(t):
    """Linux reboots itself five times while the echo guest keeps running;
    every restart leaves the firmware heap exactly as the first did."""
    t.build("linux-reboot")
    script = [(prompt("linux0"), b"reboot -f\r") for _ in range(5)]
    script += [
        (prompt("linux0"), b"poweroff -f\r"),
        ("[diosix] container linux0 stopped (shutdown)",
         ESC + b"focus echo\r" + ESC + b"still here\r"),
        ("[echo] echo got still here", b"quit\r"),
    ]
    con = t.boot("linux-reboot", running=["linux0", "echo"], script=script)
    con.expect_containers([("linux0", 64, 2, *LINUX_INITRD), ("echo", 2, 1)])
    if linux_up(con, "linux0") != 6:
        fail("linux0 did not come up six times (boot and five reboots)", con._ctx("linux0"))
    heap = []
    for i, text in con.hyp:
        m = re.fullmatch(r"container linux0 restart (\d+): (\d+) bytes of firmware heap in use", text)
        if m:
            heap.append((int(m.group(1)), int(m.group(2))))
            con.expected_hyp.add(i)
        elif text == "container linux0 stopped (reboot): restarting":
            con.expected_hyp.add(i)
    if [n for n, _ in heap] != [1, 2, 3, 4, 5]:
        fail(f"restart lines for {[n for n, _ in heap]}, expected 1-5", con._ctx("diosix", 12))
    if len({b for _, b in heap}) != 1:
        fail(f"firmware heap in use changed across restarts: {heap}")
    mark_console(con)
    con.expect_lines("echo", ["echo ready", "echo got still here", "echo bye"])
    con.expect_stopped("linux0", "shutdown")
    con.expect_stopped("echo", "shutdown")
    con.expect_poweroff()


@system_test("linux", targets=("rv32", "sifive", "unleashed"))
def linux_single(t):
    """One Linux container: on rv32 its freestanding init reports and
    powers off; on the Unleashed model its shell is told to."""
    t.build("linux")
    script = [] if t.target.xlen == 32 else [(prompt("linux0"), b"poweroff -f\r")]
    con = t.boot("linux", running=["linux0"], script=script)
    con.expect_containers([("linux0", 64, 2, *LINUX_INITRD)])
    linux_up(con, "linux0")
    con.expect_stopped("linux0", "shutdown")
    con.expect_poweroff()


# Linux 6.12 overcommitted: DBCN, STA and PMU seen from a real kernel.

_KMSG = r"(?:\[ *\d+\.\d+\] )?"
_BANNER_612 = re.compile(_KMSG + r"Linux version 6\.12\.\S* \(.+\) #\d+ .+")
_STEAL = re.compile(r"steal: cpu(\d+) (\d+) ms of (\d+) ms")
# perf stat's counter lines: "<count> [msec] <event> [# ...]".
_PERF = re.compile(r"\s*(<not supported>|<not counted>|[\d,]+(?:\.\d+)?)\s+(?:msec\s+)?"
                   r"(cycles|instructions|task-clock)(?:\s.*)?")
PMU_AVAILABLE = "riscv-pmu-sbi: SBI PMU extension is available"


def kmsg(con, name, text):
    """Whether the kernel of container <name> logged this message."""
    return any(re.fullmatch(_KMSG + re.escape(text), t) for t in con.texts(name))


def check_steal(con, name, vcpus, hogs):
    """Every vCPU was busy for the whole interval on a hart shared, FIFO
    with equal slices, by the guest's vCPUs and the hogs: it ran one slice
    in vcpus + hogs and waited the rest, so /proc/stat's steal should be
    that share of the elapsed time. Returns the shares."""
    texts = con.texts(name)
    first = texts[:texts.index("steal: done")] if "steal: done" in texts else texts
    rows = [m for m in map(_STEAL.fullmatch, first) if m]
    if sorted(int(m.group(1)) for m in rows) != list(range(vcpus)):
        fail(f"{name}: expected one 'steal: cpu<i>' line per vCPU", con._ctx(name, 12))
    fair = 1 - 1 / (vcpus + hogs)
    # Slack: /proc/stat counts in 10 ms ticks; the interval's ends fall
    # mid-slice; the hypervisor's own time is charged to whoever waited.
    # The bounds stay clear of the share without the hogs, 1 - 1/vcpus.
    low, high = fair - 0.08, fair + 0.08
    shares = []
    for m in rows:
        steal, elapsed = int(m.group(2)), int(m.group(3))
        share = steal / elapsed if elapsed else 0
        if elapsed < 1000 or not low <= share <= high:
            fail(f"{name}: cpu{m.group(1)} stole {steal} ms of {elapsed} ms "
                 f"({share:.2f}); {vcpus} busy vCPUs and {hogs} hog(s) on one hart "
                 f"give {fair:.2f}, expected {low:.2f}-{high:.2f}", con._ctx(name, 12))
        shares.append(share)
    return shares


def check_perf(con, name, pmu, busy_ms):
    """perf stat's counters of a command that kept the CPUs busy for
    busy_ms in all: task-clock always counted, close to busy_ms (the time
    the command's processes were on their vCPUs, stolen time included);
    cycles and instructions counted if the kernel found SBI PMU (a million
    at least: even a slow QEMU runs tens of millions in a busy second),
    else not supported."""
    counts = {m.group(2): m.group(1) for m in map(_PERF.fullmatch, con.texts(name)) if m}
    if set(counts) != {"cycles", "instructions", "task-clock"}:
        fail(f"{name}: perf stat printed counters {sorted(counts)}, expected cycles, "
             "instructions and task-clock", con._ctx(name, 12))
    for event, value in counts.items():
        counted = value[0].isdigit()
        if event != "task-clock" and counted != pmu:
            fail(f"{name}: perf stat says {event} {value} although the kernel "
                 f"{'found' if pmu else 'did not find'} SBI PMU", con._ctx(name, 12))
        if not counted:
            continue
        n = float(value.replace(",", ""))
        least = busy_ms * 3 / 4 if event == "task-clock" else 1e6
        if n < least:
            fail(f"{name}: perf stat counted {value} {event}, expected {least:.0f} "
                 "at least", con._ctx(name, 12))
    return counts


@system_test("linux612-steal", targets=("rv64",))
def linux612_steal(t):
    """Linux 6.12 in a container overcommitted on one hart (2 vCPUs and
    the hog): its console is DBCN (the kernel has no legacy SBI console),
    it finds SBI STA, /proc/stat's steal grows by the share the overcommit
    predicts while both vCPUs are busy, and perf stat counts a command:
    cycles and instructions too once the firmware offers SBI PMU."""
    t.build("linux612")
    name = "linux612"
    perf = b"perf stat -e cycles,instructions,task-clock steal 1\r"
    script = [
        (prompt(name), b"steal 3\r"),
        (f"[{name}] steal: done", b""),
        (prompt(name), perf),
        (re.compile(rf"\[{name}\] +\d+\.\d+ seconds time elapsed"), b""),
        (prompt(name), b"poweroff -f\r"),
    ]
    con = t.boot("linux612", running=[name, "hog"], smp=1, script=script, timeout=240,
                 until=[f"container {name} stopped (shutdown)"])
    con.expect_containers([(name, 64, 2, *LINUX_INITRD), ("hog", 2, 1)])
    if not any(_BANNER_612.fullmatch(text) for text in con.texts(name)):
        fail(f"{name}: no 'Linux version 6.12...' banner", con._ctx(name))
    for text in ("SBI DBCN extension detected", "riscv-pv: SBI STA extension detected",
                 "riscv-pv: Computing paravirt steal-time"):
        if not kmsg(con, name, text):
            fail(f"{name}: the kernel did not log '{text}'", con._ctx(name, 12))
    ups = [m for m in map(_UP.fullmatch, con.texts(name)) if m]
    if len(ups) != 1 or ups[0].group(1) != name or ups[0].group(2) != "2":
        fail(f"{name}: expected '{name} up: 2 cpus, ...' once", con._ctx(name))
    check_steal(con, name, vcpus=2, hogs=1)
    check_perf(con, name, kmsg(con, name, PMU_AVAILABLE), busy_ms=2 * 1000)
    con.expect_lines("hog", ["hog spinning"])
    con.expect_stopped(name, "shutdown")


def _announced(con, name):
    """(MiB, vCPUs, extra) of the line announcing container <name>."""
    for _, text in con.hyp:
        m = re.fullmatch(rf"container {re.escape(name)}: (\d+) MiB at 0x[0-9a-f]+, "
                         r"(\d+) vCPUs?, ELF image((?: \+ initrd)?(?:, pinned)?)", text)
        if m:
            return int(m.group(1)), int(m.group(2)), m.group(3)
    fail(f"container {name} is in the manifest but was never announced", con._ctx("diosix"))


# --- 4. bad manifest -------------------------------------------------------------

BAD = [("overlap", "base"), ("huge", "memory-mib"), ("noimage", "image"),
       ("manyharts", "cpus"), ("typo", "memory-mb")]
_ERROR = re.compile(r"error: container ([^:\s]+): ([^:\s]+): \S.*")


def check_refused(t, image="bad", bad=BAD):
    """make IMAGE=<image> fails with one error line per bad container and
    field, and none for 'good'. Returns the error lines."""
    res = t.make(*t.make_vars(image))
    if res.timed_out:
        fail(f"make IMAGE={image} did not finish")
    if res.rc == 0:
        stamp = t.firmware(image).parent / ".manifest-checked"
        fail(f"make IMAGE={image} succeeded: the manifest check did not refuse it",
             res.lines[-6:] + ([f"({stamp.relative_to(REPO)} exists: left by a "
                                "MANIFEST_CHECK=no build?)"] if stamp.exists() else []))
    found = [(m.group(1), m.group(2)) for m in map(_ERROR.search, res.lines) if m]
    if not found:
        fail(f"make IMAGE={image} failed (exit status {res.rc}) without any "
             "'error: container …' line", res.lines[-6:])
    for name, field in bad:
        n = found.count((name, field))
        if n != 1:
            fail(f"make IMAGE={image}: expected one 'error: container {name}: {field}: …' "
                 f"line, found {n}", [line for line in res.lines if "error" in line][:8])
    extra = [pair for pair in found if pair not in bad]
    if extra:
        fail(f"make IMAGE={image}: unexpected error for container {extra[0][0]}, "
             f"field {extra[0][1]}")
    # "good" may be named as what another container overlaps, never as bad.
    good = [line for line in res.lines if re.search(r"container good(:| stopped)", line)]
    if good:
        fail(f"make IMAGE={image} reports the good container", good[:4])
    return [m.group(0) for m in map(_ERROR.search, res.lines) if m]


@system_test("bad-manifest-refused")
def bad_manifest_refused(t):
    # Kept for bad-manifest-boot: the firmware must say the same at boot.
    t.session.notes[("bad-errors", t.target.name)] = check_refused(t)


@system_test("bad-manifest-boot")
def bad_manifest_boot(t):
    t.build("bad", MANIFEST_CHECK="no")
    con = t.boot("bad", running=["good"])
    errors = [con.expect_not_started(name, field) for name, field in BAD]
    host = t.session.notes.get(("bad-errors", t.target.name))
    if host is not None and sorted(errors) != sorted(host):
        diff = sorted(set(errors) ^ set(host))
        fail("the boot-time errors differ from the build's manifest check", diff[:6])
    bases = con.expect_containers([("good", 4, 1)])
    if bases["good"] != 0x88000000:
        fail(f"good placed at 0x{bases['good']:x}, the manifest says 0x88000000")
    con.expect_lines("good", hello_lines(0x88000000, 4, "still running"))
    con.expect_stopped("good", "shutdown")
    con.expect_poweroff()


@system_test("bad-manifest-recheck")
def bad_manifest_recheck(t):
    """After a MANIFEST_CHECK=no build, a plain build must check again."""
    t.build("bad", MANIFEST_CHECK="no")
    check_refused(t)


# images/bad-devices.dts: one device mistake per container, each with the
# reason the build and the boot must both give.
BAD_DEVICES = {
    "unknown": "/soc/nothing@1234: no such node in the board's device tree",
    "twice": "/soc/virtio_mmio@10002000: listed twice",
    "taken": "/soc/rtc@101000: already given to container good",
    "console": "/soc/serial@10000000: is the hypervisor's console UART",
    "plic": "/soc/plic@c000000: belongs to the hypervisor (interrupt controller, "
            "timer, harts or RAM)",
    "clint": "/soc/clint@2000000: belongs to the hypervisor (interrupt controller, "
             "timer, harts or RAM)",
    "nodma": "/soc/virtio_mmio@10008000: can master DMA and reach all memory: "
             "the container needs dma-trusted",
    "pmp": "needs 14 PMP entries (4 for RAM, 10 for device ranges), "
           "a hart has 13 for a container",
}


@system_test("bad-devices")
def bad_devices(t):
    """Every device mistake is refused by the build's check, and again at
    boot in the same words; the container that owns the RTC still runs."""
    pairs = [(name, "devices") for name in BAD_DEVICES]
    host = check_refused(t, "bad-devices", pairs)
    for name, why in BAD_DEVICES.items():
        line = f"error: container {name}: devices: {why}"
        if line not in host:
            fail(f"make IMAGE=bad-devices: expected '{line}'",
                 [h for h in host if f" {name}:" in h])
    t.build("bad-devices", MANIFEST_CHECK="no")
    con = t.boot("bad-devices", running=["good"])
    errors = [con.expect_not_started(name, "devices") for name in BAD_DEVICES]
    if sorted(errors) != sorted(host):
        fail("the boot-time errors differ from the build's manifest check",
             sorted(set(errors) ^ set(host))[:6])
    con.expect_containers([("good", 4, 1)])
    con.expect_lines("good", hello_lines(0x88000000, 4, "still running"))
    con.expect_stopped("good", "shutdown")
    con.expect_poweroff()


# images/too-many.dts and images/scale.dts: c<a><b>, a and b in 0..7.
SIXTY_FOUR = [f"c{a}{b}" for a in range(8) for b in range(8)]
TOO_MANY_ERROR = "error: container c80: (node): more than 64 containers"


@system_test("bad-manifest-too-many")
def bad_manifest_too_many(t):
    """One container more than the firmware holds: the build refuses the
    manifest, naming the one left out in the boot's words; booted anyway,
    the first 64 run and c80 is reported and never announced."""
    res = t.make(*t.make_vars("too-many"))
    if res.timed_out:
        fail("make IMAGE=too-many did not finish")
    errors = [m.group(0) for m in map(_ERROR.search, res.lines) if m]
    if res.rc == 0 or errors != [TOO_MANY_ERROR]:
        fail(f"make IMAGE=too-many: expected it to fail with the one line "
             f"'{TOO_MANY_ERROR}' (exit status {res.rc})", errors[:4] or res.lines[-6:])
    t.build("too-many", MANIFEST_CHECK="no")
    con = t.boot("too-many", running=SIXTY_FOUR)
    con.expect_hyp_match_once(re.escape(TOO_MANY_ERROR), f"'{TOO_MANY_ERROR}'")
    if any(re.match(r"container c80\b", text) for _, text in con.hyp):
        fail("c80 was announced or started", con._ctx("diosix"))
    con.expect_containers([(name, 2, 1) for name in SIXTY_FOUR])
    for name in SIXTY_FOUR:
        con.expect_stopped(name, "shutdown")
    con.expect_poweroff()


_REBUILT = re.compile(r"^ (DTC|BUNDLE|FIRMWARE) ")


@system_test("incbin-rebuild")
def incbin_rebuild(t):
    """A file a manifest /incbin/s is a prerequisite of the firmware:
    changing it rebuilds the bundle and the firmware with its new bytes,
    and a make with nothing changed rebuilds nothing. The manifest and
    the blob (an initrd beside hello) are the test's own, removed after."""
    image = "incbin-test"
    dts = REPO / "images" / f"{image}.dts"
    blob_dir = BUILD / t.target.name / "incbin-test-blob"
    blob = blob_dir / "initrd.bin"
    blob_dir.mkdir(parents=True, exist_ok=True)
    dts.write_text("/dts-v1/;\n/ {\n\tcompatible = \"diosix,manifest\";\n"
                   "\tcontainers {\n\t\thello {\n"
                   "\t\t\timage = /incbin/(\"hello.elf\");\n"
                   f"\t\t\tinitrd = /incbin/(\"{blob}\");\n"
                   "\t\t\tmemory-mib = <4>;\n\t\t};\n\t};\n};\n")
    marks = [f"incbin-test {n} {os.urandom(8).hex()}".encode() for n in (1, 2)]
    try:
        blob.write_bytes(marks[0])
        fw_bin = t.build(image).with_suffix(".bin")
        bundle = fw_bin.parent / "bundle.bin"
        blob.write_bytes(marks[1])
        os.utime(blob)
        t.build(image)
        for path in (bundle, fw_bin):
            data = path.read_bytes()
            if marks[1] not in data or marks[0] in data:
                fail(f"after the /incbin/'d {blob.name} changed, {path.relative_to(REPO)} "
                     f"{'still holds the old bytes' if marks[0] in data else 'lacks the new ones'}")
        before = bundle.stat().st_mtime_ns, fw_bin.stat().st_mtime_ns
        res = t.make(*t.make_vars(image))
        rebuilt = [line for line in res.lines if _REBUILT.match(line)]
        if res.rc != 0 or rebuilt or (bundle.stat().st_mtime_ns, fw_bin.stat().st_mtime_ns) != before:
            fail(f"make IMAGE={image} with nothing changed rebuilt something "
                 f"(exit status {res.rc})", rebuilt or tail(res.lines))
    finally:
        dts.unlink(missing_ok=True)
        shutil.rmtree(blob_dir, ignore_errors=True)
        shutil.rmtree(BUILD / t.target.name / image, ignore_errors=True)
        built = t.session.built.get(t.target.name, [])
        built[:] = [elf for elf in built if elf.parent.name != image]


# --- 6. the commented example manifest -----------------------------------------

@system_test("example", targets=("rv64",))
def example(t):
    t.build("example")
    con = t.boot("example", running=["hello"])
    bases = con.expect_containers([("hello", 4, 1)])
    con.expect_lines("hello", hello_lines(bases["hello"], 4, "greeting=hello"))
    con.expect_stopped("hello", "shutdown")
    con.expect_poweroff()


# --- 7. virtual harts: SMP guests, overcommit, a hog --------------------------

SMP_CONTAINERS = ("smp-a", "smp-b")
SMP_DONE = "smp done: 23 passed, 0 failed"     # guests/smp.c with 4 harts
_STATS = re.compile(r"container (\S+) vcpu (\d+): (\d+) us, (\d+) switches, "
                    r"(\d+) ecalls, (\d+) traps")


def vcpu_switches(con):
    """{(container, vCPU): times it was switched onto a hart}, from the
    counters a container with `stats` prints when it stops."""
    switches = {}
    for i, text in con.hyp:
        m = _STATS.fullmatch(text)
        if m:
            switches[(m.group(1), int(m.group(2)))] = int(m.group(4))
            con.expected_hyp.add(i)
    return switches


def expect_switched(con, names, vcpus, least):
    """Every vCPU of @names was switched onto a hart at least @least times:
    the register checks ran across switches, whatever the timing."""
    switches = vcpu_switches(con)
    few = {f"{n}/{v}": switches.get((n, v)) for n in names for v in range(vcpus)
           if (switches.get((n, v)) or 0) < least}
    if few:
        fail(f"vCPUs switched in fewer than {least} times: {few}: the test did not "
             f"exercise switching", con._ctx(HYP, 12))


def check_smp(t, smp=None):
    """Two 4-vCPU smp containers and a hog that spins with interrupts off
    for ever: both smp containers must finish every check, and each of
    their vCPUs must have run (its counters are printed when it stops).
    The hog never stops, so the machine is stopped once both have."""
    t.build("smp")
    con = t.boot("smp", running=[*SMP_CONTAINERS, "hog"], smp=smp,
                 until=[f"container {n} stopped (shutdown)" for n in SMP_CONTAINERS])
    con.expect_containers([("smp-a", 4, 4), ("smp-b", 4, 4), ("hog", 2, 1)])
    for name in SMP_CONTAINERS:
        texts = con.texts(name)
        if SMP_DONE not in texts:
            fail(f"{name} did not print '{SMP_DONE}'", con._ctx(name))
        passes = [x for x in texts if x.startswith("PASS ")]
        if len(passes) != 23:
            fail(f"{name}: {len(passes)} PASS lines, expected 23", con._ctx(name))
        stats = con.hyp_where(lambda x, n=name: _STATS.fullmatch(x) and
                              _STATS.fullmatch(x).group(1) == n)
        for i, _ in stats:
            con.expected_hyp.add(i)
        vcpus = sorted(int(_STATS.fullmatch(x).group(2)) for _, x in stats)
        if vcpus != [0, 1, 2, 3]:
            fail(f"{name}: counters printed for vCPUs {vcpus}, expected 0-3", con._ctx("diosix"))
        for _, x in stats:
            m = _STATS.fullmatch(x)
            if int(m.group(4)) < 1 or int(m.group(5)) < 1:
                fail(f"{name}: a vCPU that never switched in or never called SBI: '{x}'")
        con.expect_stopped(name, "shutdown")
    if con.texts("hog") != ["hog spinning"]:
        fail("the hog printed something other than 'hog spinning'", con._ctx("hog"))


@system_test("scale", targets=("rv64",))
def scale(t):
    """The firmware at its limits: 64 harts, 64 containers, 256 vCPUs,
    every one running smp.c's checks (HSM, IPI ring, RFENCE, TIME). All
    finish, and the firmware's memory came from a heap sized by the
    manifest: the hypervisor's bss holds no per-container pool."""
    t.build("scale", SMP=64)
    # 64 QEMU harts on a small CI machine: QEMU alone needs about 30 s
    # of it when idle, and the test's timeout is for a hang, not a speed.
    con = t.boot("scale", running=SIXTY_FOUR, smp=64, timeout=300)
    con.expect_containers([(name, 2, 4) for name in SIXTY_FOUR])
    for name in SIXTY_FOUR:
        texts = con.texts(name)
        if SMP_DONE not in texts:
            fail(f"{name} did not print '{SMP_DONE}'", con._ctx(name))
        con.expect_stopped(name, "shutdown")
    con.expect_poweroff()


@system_test("starve", targets=("rv64", "sifive"))
def starve(t):
    """hello and a hog that re-arms its timer in a loop share one guest
    hart: the hog's slices must still end, so hello finishes. (Without
    Sstc every re-arm goes through the hart's M-mode timer.)"""
    t.build("starve")
    smp = t.target.monitor_harts + 1
    # Both, in either order: on a loaded host a slice can end before the
    # hog has printed, and hello may then finish first.
    con = t.boot("starve", running=["hello", "hog"], smp=smp,
                 until=["container hello stopped (shutdown)", "[hog] hog spinning"])
    bases = con.expect_containers([("hog", 2, 1), ("hello", 4, 1)])
    con.expect_lines("hello", hello_lines(bases["hello"], 4, "beside a hog"))
    con.expect_lines("hog", ["hog spinning"])
    con.expect_stopped("hello", "shutdown")


@system_test("pinned", targets=("rv64",))
def pinned(t):
    """A pinned container's vCPUs own their harts: never time-sliced, so
    each is switched in only when it starts (vCPU 1 twice: smp stops and
    restarts it), while a 4-vCPU container and a hog share the rest."""
    t.build("pinned")
    con = t.boot("pinned", running=["fast", "shared", "hog"],
                 until=["container fast stopped (shutdown)",
                        "container shared stopped (shutdown)"])
    con.expect_containers([("fast", 4, 2, ", pinned"), ("shared", 4, 4), ("hog", 2, 1)])
    for name, passes in (("fast", 13), ("shared", 23)):
        done = f"smp done: {passes} passed, 0 failed"
        if done not in con.texts(name):
            fail(f"{name} did not print '{done}'", con._ctx(name))
        con.expect_stopped(name, "shutdown")
    switches = vcpu_switches(con)
    fast = [switches.get(("fast", v)) for v in (0, 1)]
    if fast != [1, 2]:
        fail(f"pinned vCPUs were switched in {fast} times, expected [1, 2]",
             con._ctx("diosix", 12))


@system_test("smp", targets=WITH_BOARD)
def smp(t):
    check_smp(t)


@system_test("smp-overcommit", targets=("rv64",))
def smp_overcommit(t):
    """Nine vCPUs (one of them a hog) on two harts."""
    check_smp(t, smp=2)


# --- 8. guest-side SBI conformance, in containers and on stock OpenSBI ---------

SBI_GUESTS = ("sbi-base", "sbi-time", "sbi-ipi", "sbi-rfence", "sbi-hsm",
              "sbi-srst", "sbi-dbcn", "sbi-fwft", "sbi-dbtr", "sbi-legacy")
SBI_HARTS = 4

# Where stock OpenSBI 1.6 disagrees with the SBI specification (see
# docs/sbi.md): these checks FAIL on stock and must PASS in a container.
STOCK_DEVIATIONS = {
    "ipi: send_ipi with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM",
    "rfence: remote_fence_i with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM",
    "rfence: remote_sfence_vma with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM",
    "rfence: remote_sfence_vma_asid with an invalid hart_mask_base returns SBI_ERR_INVALID_PARAM",
    "legacy: clear_ipi returns a positive value when an IPI was pending",
    # rv64: OpenSBI compares all 64 bits of a7 / a6, and refuses reset_type
    # and reset_reason with bits 32-63 set (sbi_ecall.c, sbi_ecall_srst.c),
    # where the spec says only the low 32 bits of 32-bit data count.
    "base: get_impl_id with bits 32-63 of the EID set answers as without",
    "base: get_impl_id with bits 32-63 of the FID set answers as without",
    "srst: system_reset(shutdown) with bits 32-63 of reset_type and reset_reason set does not return",
    # DBTR (sbi_dbtr.c, sbi_ecall_dbtr.c): OpenSBI 1.6 takes set_shmem's
    # flags as unused; refuses a trigger it will not install (m, dmode)
    # and too many triggers with SBI_ERR_FAILED; lays shared memory out
    # as a draft did (five words an entry, trig_idx in the fifth), so
    # install writes back no trig_idx where the spec says and the checks
    # that use it (read, disable, uninstall, enable of it) fail too;
    # takes update's arguments as (base, mask) and changes only tdata2 of
    # nothing here; answers enable of an unmapped trigger with success and
    # a read out of range with SBI_ERR_INVALID_PARAM. (It also switches a
    # trigger off with tdata1 = 0, which QEMU 7.2 ignores.)
    "dbtr: set_shmem with flags not zero returns SBI_ERR_INVALID_PARAM",
    "dbtr: install with tdata1.m set returns SBI_ERR_INVALID_PARAM",
    "dbtr: install with tdata1.dmode set returns SBI_ERR_INVALID_PARAM",
    "dbtr: install of more than trig_max triggers returns SBI_ERR_BAD_RANGE",
    "dbtr: install writes back a trig_idx below trig_max",
    "dbtr: read gives back trig_state (mapped, s), tdata1's type and tdata2",
    "dbtr: a disabled trigger does not fire",
    "dbtr: after update the trigger matches the new address, not the old",
    "dbtr: an uninstalled trigger does not fire",
    "dbtr: uninstall of a trigger not installed returns SBI_ERR_INVALID_PARAM",
    "dbtr: enable of a trigger not installed returns SBI_ERR_INVALID_PARAM",
    "dbtr: read past trig_max returns SBI_ERR_BAD_RANGE",
    # PMU (sbi_pmu.c): OpenSBI 1.6 neither refuses to stop a stopped
    # firmware counter nor to start a started one.
    "pmu: stop of the stopped firmware counter returns SBI_ERR_ALREADY_STOPPED",
    "pmu: start of the started firmware counter returns SBI_ERR_ALREADY_STARTED",
}
# The same, on one target only. QEMU 7.2's rv64 harts read an inhibited
# mcycle or minstret as the value last written to it, not where it
# stopped: stock OpenSBI stops a counter by mcountinhibit alone, so its
# stopped counter jumps back (to 0 after CLEAR_VALUE); diosix writes the
# value back after inhibiting it (vsbi_pmu_load).
STOCK_DEVIATIONS_ON = {
    "qemu-virt-rv64": {
        "pmu: a stopped CPU_CYCLES counter does not advance",
        "pmu: a stopped INSTRUCTIONS counter does not advance",
    },
}
# Checks that print a line only when they fail (a call that must not
# return): stock OpenSBI may print them where a container prints nothing.
SBI_FAIL_ONLY = {
    "srst: system_reset(shutdown) with bits 32-63 of reset_type and reset_reason set does not return",
}
# Lines a guest writes that must come out whole, in a container and on stock.
SBI_LINES = {
    "sbi-dbcn": ["dbcn: this line came through console_write_byte",
                 "dbcn: this line came through console_write_byte with bits 8 and up set"],
}
_CHECK = re.compile(r"^(PASS|FAIL) ([a-z-]+: .+?)(?:: [^:]*\(expected .*\))?$")


def sbi_checks(lines):
    """{check: PASS|FAIL} from a conformance guest's output lines."""
    found = {}
    for line in lines:
        m = _CHECK.match(line)
        if m:
            found[m.group(2)] = m.group(1)
    return found


def check_sbi(t, smp=None, stock=True, image="sbi", guests=SBI_GUESTS, pinned=False):
    """Every conformance guest passes every check in its container; with
    stock, each also runs on stock OpenSBI and must run the same checks,
    failing only where OpenSBI departs from the specification."""
    t.build(image)
    con = t.boot(image, running=list(guests), smp=smp)
    con.expect_containers([(g, 4, SBI_HARTS, ", pinned" if pinned else "") for g in guests])
    if stock:
        res = t.make("stock-opensbi", f"TARGET={t.target.name}")
        if res.rc != 0:
            fail("make stock-opensbi failed", tail(res.lines))
    for guest in guests:
        ours = sbi_checks(con.texts(guest))
        done = [x for x in con.texts(guest) if x.startswith(f"{guest} done: ")]
        if not ours or done != [f"{guest} done: {len(ours)} passed, 0 failed"]:
            fail(f"{guest} in a container: {done or 'no done line'}", con._ctx(guest))
        con.expect_stopped(guest, "shutdown")
        for line in SBI_LINES.get(guest, ()):
            if line not in con.texts(guest):
                fail(f"{guest} in a container: no line '{line}'", con._ctx(guest))
        if not stock:
            continue
        argv = shlex.split(t.make("stock-qemu-cmd", f"TARGET={t.target.name}",
                                  f"GUEST={guest}",
                                  f"SMP={SBI_HARTS + t.target.monitor_harts}",
                                  silent=True).lines[-1])
        stock_out = run(argv, t.target.boot_timeout, t.log, label=f"stock {guest}",
                        until=None if t.target.poweroff else
                        (lambda out, g=guest: f"{g} done: " in out))
        stock_lines = stock_out.lines
        if stock_out.ended and not stock_out.output.endswith("\n"):
            # Stopped at the done line on a board that cannot power off:
            # a FAIL_ONLY line after it may have been cut short.
            stock_lines = stock_lines[:-1]
        stock = sbi_checks(stock_lines)
        for line in SBI_LINES.get(guest, ()):
            if line not in stock_lines:
                fail(f"{guest} on stock OpenSBI: no line '{line}'", tail(stock_lines))
        if set(stock) - SBI_FAIL_ONLY != set(ours):
            diff = sorted(set(stock) ^ set(ours))
            fail(f"{guest}: stock OpenSBI and the container ran different checks", diff[:6])
        deviations = STOCK_DEVIATIONS | STOCK_DEVIATIONS_ON.get(t.target.name, set())
        for check, verdict in stock.items():
            if verdict == "FAIL" and check not in deviations:
                fail(f"{guest} fails on stock OpenSBI: {check}")
            if verdict == "PASS" and check in deviations:
                fail(f"{guest}: stock OpenSBI now passes '{check}': "
                     "drop it from STOCK_DEVIATIONS")
    con.expect_poweroff()


@system_test("trap-time")
def trap_time(t):
    """The manifest's trap-time clears mcounteren.TM, so every rdtime (and
    rdtimeh on rv32) a guest executes traps, as on harts with no time CSR;
    OpenSBI would refuse it (TM clear), so the guests pass only if the
    hypervisor answers each one. sbi-time checks its timers against the
    times it reads; smp waits on deadlines."""
    t.build("trap-time")
    con = t.boot("trap-time", running=["sbi-time", "smp"])
    con.expect_containers([("sbi-time", 4, 4), ("smp", 4, 4)])
    ours = sbi_checks(con.texts("sbi-time"))
    want = f"sbi-time done: {len(ours)} passed, 0 failed"
    if not ours or want not in con.texts("sbi-time"):
        fail(f"sbi-time did not print '{want}'", con._ctx("sbi-time"))
    if SMP_DONE not in con.texts("smp"):
        fail(f"smp did not print '{SMP_DONE}'", con._ctx("smp"))
    for name in ("sbi-time", "smp"):
        con.expect_stopped(name, "shutdown")
    con.expect_poweroff()


@system_test("sbi-conformance", targets=ALL)
def sbi_conformance(t):
    check_sbi(t)


@system_test("sbi-pmu")
def sbi_pmu(t):
    """The PMU conformance guest, in a container and on stock OpenSBI
    (virt only: the HiFive Unleashed model's harts have no mcountinhibit,
    so there diosix offers no hardware counter and stock cannot stop
    its own)."""
    check_sbi(t, image="pmu", guests=("sbi-pmu",))


PMU_CONTAINERS = ("pmu-first", "pmu-late")


@system_test("pmu-isolation")
def pmu_isolation(t):
    """Performance counters are vCPU state: two containers share one
    hart, each counting cycles, instret and its own set_timer calls;
    neither's counters move while the other runs, each firmware counter
    holds its own calls only, and pmu-late finds none of pmu-first's
    counters configured or stoppable from it."""
    t.build("pmu-iso")
    # -icount: the counters count guest instructions, not host time,
    # so a switch's share is a switch's instructions.
    con = t.boot("pmu-iso", running=list(PMU_CONTAINERS), smp=1,
                 qemu_args="-icount shift=0")
    con.expect_containers([(n, 4, 1) for n in PMU_CONTAINERS])
    want = ["pmu: cycle and instret do not count while the vCPU is off its hart",
            "pmu: the firmware counter holds this vCPU's own set_timer calls only",
            "pmu: the vCPU was off its hart while it counted"]
    for name in PMU_CONTAINERS:
        ours = sbi_checks(con.texts(name))
        done = f"sbi-pmu done: {len(ours)} passed, 0 failed"
        if done not in con.texts(name):
            fail(f"{name} did not print '{done}'", con._ctx(name))
        extra = ["pmu: no counter of the other container is configured or stoppable here"] \
            if name == "pmu-late" else []
        for check in want + extra:
            if ours.get(check) != "PASS":
                fail(f"{name} did not pass '{check}'", con._ctx(name))
        con.expect_stopped(name, "shutdown")
    expect_switched(con, list(PMU_CONTAINERS), 1, 10)
    con.expect_poweroff()


STA_CONTAINERS = ("sta-shared", "sta-pinned")


@system_test("sbi-sta")
def sbi_sta(t):
    """Steal-time accounting, which stock OpenSBI does not have: a vCPU
    sharing its hart with a hog finds in its STA memory the time it was
    held off the hart, as it measured it itself from the jumps of its
    clock; a pinned one finds none. Under -icount the host cannot take
    the guest's time away unseen; the hog never stops, so the machine is
    stopped once both have finished."""
    t.build("sta")
    con = t.boot("sta", running=["sta-shared", "hog", "sta-pinned"], smp=2,
                 qemu_args="-icount shift=0",
                 until=[f"container {n} stopped (shutdown)" for n in STA_CONTAINERS])
    con.expect_containers([("sta-shared", 4, 1), ("hog", 2, 1), ("sta-pinned", 4, 1, ", pinned")])
    for name in STA_CONTAINERS:
        ours = sbi_checks(con.texts(name))
        want = f"sbi-sta done: {len(ours)} passed, 0 failed"
        if len(ours) < 9 or want not in con.texts(name):
            fail(f"{name} did not print '{want}'", con._ctx(name))
        con.expect_stopped(name, "shutdown")
    shared = set(sbi_checks(con.texts("sta-shared")))
    for check in ("sta: steal grew by the time the vCPU was held off its hart",
                  "sta: a shared hart: the vCPU was held off its hart while it spun"):
        if check not in shared:
            fail(f"sta-shared did not check '{check}'", con._ctx("sta-shared"))
    if "sta: a pinned vCPU on its own hart has no steal" not in set(sbi_checks(con.texts("sta-pinned"))):
        fail("sta-pinned did not check its steal", con._ctx("sta-pinned"))


DBTR_CONTAINERS = ("dbtr-watch", "dbtr-run")


@system_test("sbi-dbtr")
def sbi_dbtr(t):
    """Debug triggers are vCPU state: on one hart, dbtr-watch installs a
    trigger on the address of the function dbtr-run (the same image, at a
    base it knows) calls over and over, then naps so the hart runs
    dbtr-run; dbtr-run never takes a breakpoint there, and dbtr-watch's
    own trigger still fires after the many switches."""
    t.build("dbtr")
    con = t.boot("dbtr", running=list(DBTR_CONTAINERS), smp=1)
    con.expect_containers([(n, 4, 1) for n in DBTR_CONTAINERS])
    want = {
        "dbtr-watch": ("dbtr: install a trigger on the other container's target returns 0",
                       "dbtr: after many switches to the other container, this one's trigger still fires"),
        "dbtr-run": ("dbtr: another container's trigger on this code never fires",),
    }
    for name in DBTR_CONTAINERS:
        ours = sbi_checks(con.texts(name))
        done = f"sbi-dbtr done: {len(ours)} passed, 0 failed"
        if done not in con.texts(name):
            fail(f"{name} did not print '{done}'", con._ctx(name))
        for check in want[name]:
            if ours.get(check) != "PASS":
                fail(f"{name} did not pass '{check}'", con._ctx(name))
        con.expect_stopped(name, "shutdown")
    # The one hart went back and forth between them (the watcher naps in
    # 5 ms steps for 600 ms): each vCPU was switched in again and again.
    expect_switched(con, list(DBTR_CONTAINERS), 1, 20)
    con.expect_poweroff()


@system_test("sbi-susp", targets=WITH_BOARD)
def sbi_susp(t):
    """System suspend, which stock OpenSBI offers only with a suspend
    device (QEMU has none): a container suspends itself to RAM and
    resumes on its timer at the address it gave, while another container
    runs on; refusals as the spec lists them."""
    check_susp(t, "susp")


@system_test("sbi-susp-shared", targets=("rv64", "rv32"))
def sbi_susp_shared(t):
    """sbi-susp with its two vCPUs and hello time-sliced on one hart."""
    check_susp(t, "susp", smp=1 + t.target.monitor_harts)


@system_test("sbi-susp-pinned", targets=("rv64", "rv32"))
def sbi_susp_pinned(t):
    """sbi-susp with its two vCPUs pinned, each on a hart of its own, and
    hello on the hart that stays shared."""
    check_susp(t, "susp-pinned", smp=3 + t.target.monitor_harts, pinned=", pinned")


def check_susp(t, image, smp=None, pinned=""):
    t.build(image)
    con = t.boot(image, running=["sbi-susp", "hello"], smp=smp)
    con.expect_containers([("sbi-susp", 4, 2, pinned), ("hello", 4, 1)])
    ours = sbi_checks(con.texts("sbi-susp"))
    want = f"sbi-susp done: {len(ours)} passed, 0 failed"
    if len(ours) < 9 or want not in con.texts("sbi-susp"):
        fail(f"sbi-susp did not print '{want}'", con._ctx("sbi-susp"))
    for check in ("susp: system_suspend resumes at resume_addr with a0 = hart id, a1 = opaque",
                  "susp: the container slept until its wake-up source, the timer"):
        if check not in ours:
            fail(f"sbi-susp did not check '{check}'", con._ctx("sbi-susp"))
    for name in ("sbi-susp", "hello"):
        con.expect_stopped(name, "shutdown")
    con.expect_poweroff()


FWFT_CONTAINERS = ("fwft-deleg", "fwft-emul")


@system_test("fwft-isolation")
def fwft_isolation(t):
    """FWFT settings are a container's own: on one hart, fwft-deleg
    delegates misaligned exceptions to itself (locked) and fwft-emul does
    not; across many switches each reads its own value, each of its
    misaligned AMOs reaches its own handler, the firmware takes none of
    fwft-deleg's traps and all of fwft-emul's (a PMU firmware counter of
    each), and fwft-emul can still set its own while the other's is
    locked."""
    t.build("fwft-iso")
    # -icount: the slices, so the switches between the rounds, come at
    # instruction counts, not at host time.
    con = t.boot("fwft-iso", running=list(FWFT_CONTAINERS), smp=1 + t.target.monitor_harts,
                 qemu_args="-icount shift=0")
    con.expect_containers([(name, 4, 1) for name in FWFT_CONTAINERS])
    want = {"fwft-deleg": 5, "fwft-emul": 5}
    for name in FWFT_CONTAINERS:
        checks = sbi_checks(con.texts(name))
        done = [x for x in con.texts(name) if x.startswith("fwft-iso done: ")]
        if done != [f"fwft-iso done: {want[name]} passed, 0 failed"] or len(checks) != want[name]:
            fail(f"{name}: {done or 'no done line'}", con._ctx(name))
        con.expect_stopped(name, "shutdown")
    # Their rounds interleaved: each was switched back in again and again.
    expect_switched(con, FWFT_CONTAINERS, 1, 8)
    con.expect_poweroff()


SBI_PINNED = ("sbi-fwft", "sbi-dbtr", "sbi-pmu")


@system_test("sbi-pinned", targets=("rv64", "rv32"))
def sbi_pinned(t):
    """The per-vCPU state extensions' guests (FWFT, DBTR, PMU) with every
    vCPU pinned to a hart of its own (12, and the one that always stays
    shared), each container's four never switched out (the other runs
    time-slice them)."""
    check_sbi(t, smp=len(SBI_PINNED) * SBI_HARTS + 1 + t.target.monitor_harts,
              stock=False, image="sbi-pinned", guests=SBI_PINNED, pinned=True)


@system_test("sbi-overcommit", targets=("rv64",))
def sbi_overcommit(t):
    """36 virtual harts in 9 containers on two harts."""
    check_sbi(t, smp=2, stock=False)


# --- 9. the consoles: input focus and the operator console ------------------

_LIST = re.compile(r"list: (echo-[ab]) (running|stopped), 1 vCPU, 2 MiB, cpu \d+ ms(, focus)?")


def check_line_ends(con):
    """The UART's bytes (QEMU's output on a pipe, as the UART sent them):
    every line ends in one CR LF, never a bare LF or CR CR LF."""
    out = con.result.output
    bad = re.compile(r"\r\r|[^\r]\n").search(out, max(0, out.find("[diosix]")))
    if bad:
        i = bad.start()
        fail("a console line did not end in exactly one CR LF",
             [repr(out[max(0, i - 60):i + 10])])


@system_test("console", targets=WITH_BOARD)
def console(t):
    """Typed lines reach only the focused container; the operator console
    lists, refocuses, restarts and stops containers by name."""
    t.build("console")
    script = [
        ("[echo-a] echo ready", b"hello\r"),
        ("[echo-a] echo got hello", ESC + b"list\r"),
        (re.compile(r"\[diosix\] list: echo-b .*"), b"focus echo-b\r" + ESC),
        ("[diosix] console: input goes to echo-b", b"to b\r"),
        ("[echo-b] echo got to b", ESC + b"restart echo-a\r"),
        ("[echo-a] echo ready", b"stop echo-a\r" + ESC),
        ("[diosix] container echo-a stopped (stopped by operator)", b"quit\r"),
    ]
    con = t.boot("console", running=["echo-a", "echo-b"], script=script)
    check_line_ends(con)
    con.expect_containers([("echo-a", 2, 1), ("echo-b", 2, 1)])
    # Where input goes is said once by focus (leaving right after it says
    # nothing more) and once on leaving after stop: twice, never twice
    # in a row.
    said = con.hyp_where(lambda text: text == "console: input goes to echo-b")
    if len(said) != 2 or said[1][0] - said[0][0] < 2:
        fail(f"'console: input goes to echo-b' at lines {[i for i, _ in said]}, "
             "expected once after focus and once after stop", con._ctx(HYP, 12))
    con.expect_lines("echo-a", ["echo ready", "echo got hello", "echo ready"])
    con.expect_lines("echo-b", ["echo ready", "echo got to b", "echo bye"])
    listed = {}
    for i, text in con.hyp:
        m = _LIST.fullmatch(text)
        if m:
            listed[m.group(1)] = (m.group(2), bool(m.group(3)))
            con.expected_hyp.add(i)
        elif text.startswith("console: "):
            con.expected_hyp.add(i)
    if listed != {"echo-a": ("running", True), "echo-b": ("running", False)}:
        fail(f"operator list showed {listed}", con._ctx("diosix", 12))
    con.expect_hyp_once("container echo-a stopped (stopped by operator): restarting")
    con.expect_hyp_match_once(r"container echo-a restart 1: \d+ bytes of firmware heap in use",
                              "logging echo-a's restart")
    con.expect_stopped("echo-a", "stopped by operator")
    con.expect_stopped("echo-b", "shutdown")
    con.expect_poweroff()


# --- the terminal: a Linux shell typed at through a pty, a neighbour printing --

_PROMPT_A = cuttable(b"linux-a:/# ")
# The operator's messages this test causes, each exactly once.
_PTY_MESSAGES = ["console: input goes to chatter", "console: input goes to linux-a",
                 "console: stopping every container, then powering off"]


def _pty_line_editing(term):
    """Type a command slowly, rub out a typo, insert with left-arrow, run
    it; then recall it with up-arrow, extend it and run it again."""
    term.type("echo ac")
    term.type("X")
    term.key(BACKSPACE, rb"\x08", "the backspace's echo")
    term.key(LEFT, rb"\x08|\x1b\[", "the cursor moving left")
    term.type("b")
    term.key(ENTER, rb"\n" + cuttable(b"abc\r\n") + rb"(.|\n)*" + _PROMPT_A,
             "abc and the prompt")
    term.wait_line("linux-a", "abc")
    term.key(UP, cuttable(b"echo abc"), "history recalling 'echo abc'")
    term.type("d")
    term.key(ENTER, rb"\n" + cuttable(b"abcd\r\n") + rb"(.|\n)*" + _PROMPT_A,
             "abcd and the prompt")
    term.wait_line("linux-a", "abcd")


def _pty_vi(term):
    """vi a new file, insert a line, :wq; cat shows the line."""
    term.type("vi /tmp/f")
    term.key(ENTER, cuttable(b"/tmp/f"), "vi's status line")
    term.send(b"i")
    term.type("hello-from-vi")
    term.key(b"\x1b", rb"\x1b\[", "vi leaving insert mode")
    term.type(":wq")
    term.key(ENTER, _PROMPT_A, "the prompt after vi")
    term.type("cat /tmp/f")
    term.key(ENTER, rb"\n" + cuttable(b"hello-from-vi\r\n"), "cat showing the file")
    term.wait_line("linux-a", "hello-from-vi")


def _pty_top(term):
    """top draws its table; q leaves it and the prompt comes back."""
    term.type("top")
    term.key(ENTER, rb"PID", "top's table")
    term.wait_screen(r"PID +PPID +USER", "top's column heads")
    term.key(b"q", _PROMPT_A, "the prompt after top")


def _pty_paste(term, size=4096):
    """A paste of size bytes into cat reaches it whole: wc counts them."""
    lines = [(f"{i:04d}:" + "pasted-text-" * 5)[:63] for i in range(size // 64)]
    # The shell's line editor puts the terminal back in cooked mode with
    # echo only after it has echoed the newline: a paste landing in
    # between reaches cat unechoed. Output of the command line itself
    # comes after that switch.
    term.type("echo paste-ready; cat > /tmp/p")
    term.key(ENTER, rb"\n", "the newline after cat")
    term.wait_line("linux-a", "paste-ready")
    mark = term.mark()
    term.paste("".join(line + "\r" for line in lines).encode())
    term.wait_bytes(mark, cuttable(lines[0].encode() + b"\r\n"),
                    "the echo of the paste's first line")
    # Not after the echo of the last line: the last few hundred bytes of
    # a paste can wait in Linux 6.1's tty layer, past the hypervisor and
    # QEMU, until the next key (docs/console.md, Limits); they come
    # before it, as the count shows.
    term.key(CTRL_D, _PROMPT_A, "the prompt after cat")
    term.type("wc -c /tmp/p")
    term.key(ENTER, cuttable(f"{size} /tmp/p".encode()), f"wc counting {size} bytes")
    term.wait_line("linux-a", f"{size} /tmp/p")


def _pty_focus_messages(term):
    """Each focus says where input goes once, leaving included."""
    for name in ("chatter", "linux-a"):
        term.key(ESC, rb"console> ", "the operator's prompt")
        term.type(f"focus {name}")
        term.key(ENTER, cuttable(f"input goes to {name}\r\n".encode()), "the focus message")
        term.key(ESC, rb"\r\n", "the operator console closing")


@system_test("console-pty", targets=("rv64",))
def console_pty(t):
    """A person at the terminal of linux-a while chatter prints a line
    every 100 ms: line editing, vi, top and a paste work, each line end
    is CR LF once, chatter's lines are whole, all there and in order, and
    each operator message comes once."""
    t.build("console-linux")
    # chatter's lines, and linux-a's prefix, are not the echo of a key.
    # As make run runs it (scripts/qemu-tty.sh: no ONLCR on the terminal).
    argv = [str(REPO / "scripts" / "qemu-tty.sh")] + t.qemu_command("console-linux")
    term = Terminal(argv, t.log, 300, others=[b"[chatter] "], prefixes=[b"[linux-a] "])
    try:
        mark = 0
        term.wait_bytes(mark, rb"linux-a up: ", "linux-a's init")
        term.wait_bytes(mark, _PROMPT_A, "linux-a's prompt")
        _pty_line_editing(term)
        # Up to here only the shell wrote: every line end it sent was CR
        # LF. (top's own lone CR before its line end is its own.)
        shell_end = term.mark()
        _pty_vi(term)
        _pty_top(term)
        _pty_paste(term)
        _pty_focus_messages(term)
        term.type("poweroff -f")
        term.key(ENTER, cuttable(b"container linux-a stopped"), "linux-a stopping")
        term.key(ESC, rb"console> ", "the operator's prompt")
        term.type("poweroff")
        term.send(ENTER)
        rc = term.wait_exit()
    finally:
        res = term.close()
    if rc != 0:
        fail(f"QEMU exited with status {rc}", tail(res.lines))
    doubled = re.search(r"\r\r|[^\r]\n", res.output[:shell_end]) or \
        re.search(r"\[(chatter|diosix)\] [^\r\n]*(\r\r|(?<!\r)\n)", res.output)
    if doubled:
        i = doubled.start()
        fail("a line end that is not exactly one CR LF", [repr(res.output[i - 60:i + 20])])
    con = Console(res, ["linux-a", "chatter"])
    t.consoles.append(con)
    con.check_no_guest_fail()
    con.check_framing()
    con.expect_banner(t.target.smp, t.target.xlen)
    con.expect_containers([("linux-a", 64, 2, *LINUX_INITRD), ("chatter", 2, 1)])
    ticks = con.texts("chatter")
    if len(ticks) < 20 or ticks != [f"chatter {n}" for n in range(len(ticks))]:
        bad = next((k for k, x in enumerate(ticks) if x != f"chatter {k}"), len(ticks))
        fail(f"chatter's lines are not 0..{len(ticks) - 1}, whole and in order "
             f"(first wrong: #{bad})", ticks[max(0, bad - 2):bad + 3])
    for text in _PTY_MESSAGES:
        con.expect_hyp_once(text)
    for i, text in con.hyp:
        if text == "console: operator mode (help for commands, Ctrl-] to leave)":
            con.expected_hyp.add(i)
    con.expect_stopped("linux-a", "shutdown")
    con.expect_stopped("chatter", "stopped by operator")
    con.expect_poweroff()


STAYING_UP = ("all containers have stopped: staying up "
              "(Ctrl-] opens the operator console)")


@system_test("stay-up", targets=WITH_BOARD)
def stay_up(t):
    """A stay-up manifest: when its one container stops the machine stays
    on; the operator lists it, starts it again, then powers off."""
    t.build("stay-up")
    hyp = f"[diosix] {STAYING_UP}"
    script = [
        (hyp, ESC + b"list\r"),
        (re.compile(r"\[diosix\] list: hello stopped, .*"), b"start hello\r"),
        (hyp, b"poweroff\r"),
    ]
    con = t.boot("stay-up", running=["hello"], script=script)
    bases = con.expect_containers([("hello", 4, 1)])
    once = hello_lines(bases["hello"], 4, "stay up")
    con.expect_lines("hello", once + once)
    stops = con.hyp_where(lambda s: s == "container hello stopped (shutdown)")
    stays = con.hyp_where(lambda s: s == STAYING_UP)
    if len(stops) != 2 or len(stays) != 2:
        fail(f"expected hello to stop twice and the machine to stay up twice, "
             f"saw {len(stops)} stops and {len(stays)} stay-ups", con._ctx("diosix", 12))
    for (i, _), (j, _) in zip(stops, stays):
        if j < i:
            fail("the machine said it stays up before hello stopped", con._ctx("diosix", 12))
    con.expected_hyp.update(i for i, _ in stops + stays)
    con.expect_hyp_match_once(r"list: hello stopped, 1 vCPU, 4 MiB, cpu \d+ ms, focus",
                              "listing hello as stopped")
    con.expect_hyp_once("console: stopping every container, then powering off")
    for i, text in con.hyp:
        if text.startswith("console: operator mode"):
            con.expected_hyp.add(i)
    con.expect_poweroff()


# --- 10. vector state: the V registers of each vCPU are its own ----------------

VECTOR_CPU = "-cpu rv{xlen},v=true,vlen=256,vext_spec=v1.0"
VECTORS = ("vec-a", "vec-b", "vec-c")
_ROUNDS = re.compile(r"vector: 2 vcpus x 16 rounds ok, (\d+) preempted")


@system_test("vector")
def vector(t):
    """Three vector guests of two vCPUs each on a CPU with V (VLEN 256):
    on one hart and on two, where they also migrate, each vCPU switched in
    at least once per sleep. Each vCPU starts with zeroed vector state and gets
    back every register, vl, vtype and vcsr it wrote across switches,
    with VS left Dirty, Clean or Off."""
    t.build("vector")
    for smp in (1, 2):
        con = t.boot("vector", running=VECTORS, smp=smp, qemu_args=VECTOR_CPU.format(xlen=t.target.xlen))
        con.expect_containers([(name, 2, 2) for name in VECTORS])
        for name in VECTORS:
            con.expect_lines(name, ["vector: vlenb 32", "vector: fresh state ok", _ROUNDS])
            con.expect_stopped(name, "shutdown")
        # Eight of the sixteen rounds sleep in WFI: each gives the hart away.
        expect_switched(con, VECTORS, 2, 8)
        con.expect_poweroff()


REGSTATE = ("regs-a", "regs-b")
_REG_ROUNDS = re.compile(r"regstate: 2 vcpus x 12 rounds ok, (\d+) preempted")


@system_test("regstate")
def regstate(t):
    """Two containers of two vCPUs that check their own FP registers,
    fcsr and sstatus.FS (left Dirty, Clean and Off with values live) and,
    QEMU's default CPUs having the H extension, every H and VS CSR a
    guest can reach: on one hart and on two, where they also migrate,
    each vCPU switched in at least once per sleep. regs-a keeps VS interrupts
    pending and enabled; regs-b, running with interrupts on, must take
    none of them."""
    t.build("regstate")
    for smp in (1, 2):
        con = t.boot("regstate", running=REGSTATE, smp=smp)
        con.expect_containers([(name, 2, 2) for name in REGSTATE])
        for name in REGSTATE:
            lines = ["regstate: 2 vcpus, h present", "regstate: fresh state ok", _REG_ROUNDS]
            if name == "regs-b":
                lines.append("regstate: foreign interrupts 0")
            con.expect_lines(name, lines)
            con.expect_stopped(name, "shutdown")
        # Six of the twelve rounds sleep in WFI: each gives the hart away.
        expect_switched(con, REGSTATE, 2, 6)
        con.expect_poweroff()
# --- 10b. the SBI fuzzer: random calls, a victim, a guest that stops itself ---

FUZZ_GROUPS = ("base", "time", "ipi", "rfence", "hsm", "srst", "pmu", "dbcn", "susp",
               "cppc", "nacl", "sta", "sse", "fwft", "dbtr", "mpxy", "legacy",
               "experimental", "vendor", "firmware", "random")
FUZZ_SEED = 0x5eed      # images/fuzz.dts's default
# make test's shorter run, per target: about half a minute each under QEMU.
FUZZ_TEST_CALLS = {"rv64": 150000, "rv32": 100000}
FUZZ_TEST_RESTARTS = 20
FUZZ_HARTS = 4
_FUZZ_HEAD = re.compile(r"fuzz: seed 0x([0-9a-f]+), (\d+) calls on 4 vCPUs, "
                        r"SBI (\d+)\.(\d+), H: (yes|no)")
_FUZZ_DONE = re.compile(r"fuzz done: (\d+) calls, 0 bad returns, memory intact")
_FUZZ_RATE = re.compile(r"fuzz rate: (\d+) calls/s \((\d+) calls in (\d+) ms\)")
_FUZZ_ERRORS = re.compile(r"fuzz errors:((?: -?\d+=\d+)+), legacy values (\d+)")
_FUZZ_PROGRESS = re.compile(r"fuzz progress: \d+ calls, memory intact")
_FUZZ_STOP_RUN = re.compile(r"fuzz-stop run: seed 0x[0-9a-f]+, 2 vCPUs")
_FUZZ_RESTART = re.compile(r"container fuzz-stop restart (\d+): (\d+) bytes of firmware heap in use")
_FUZZ_STOPPED = re.compile(r"container fuzz-stop stopped \((shutdown|reboot|crashed)\): restarting")
_VICTIM_ROUND = re.compile(r"victim round (\d+) intact")
_VICTIM_WATCH = re.compile(r"victim watching (\d+) CSRs \(satp, sscratch, sie, stvec(.*); H: (yes|no)\)")


def check_fuzz(t, calls, restarts, seed=FUZZ_SEED, timeout=None):
    """images/fuzz.dts with FUZZ_CALLS=calls: the fuzzer's every call
    answered as the spec allows, every group called, its memory and the
    victim's (RAM, code, device tree, CSRs) intact throughout, and at
    least `restarts` restarts of fuzz-stop, each leaving the firmware
    heap as the first did. Returns a dict of figures for make fuzz."""
    t.build("fuzz", FUZZ_CALLS=calls, FUZZ_SEED=f"0x{seed:x}")
    if timeout:
        t.target = replace(t.target, boot_timeout=timeout)
    script = [
        (re.compile(r"\[fuzz\] (FAIL )?fuzz done: .*"), b""),
        (re.compile(rf"\[{HYP}\] container fuzz-stop restart {restarts}: .*"), b"q"),
    ]
    # Seven vCPUs on four harts on every target: containers share harts,
    # so anything a world switch leaves behind reaches the victim.
    # The machine is stopped once the victim has: fuzz-stop restarts for
    # ever, and the operator's typed echo would land in the middle of its
    # lines (a raw partial line on the UART; issue 11's console).
    con = t.boot("fuzz", running=["victim", "fuzz", "fuzz-stop"], smp=FUZZ_HARTS,
                 script=script, until=["container victim stopped (shutdown)"])
    con.expect_containers([("victim", 4, 1, " + initrd"), ("fuzz", 4, 4), ("fuzz-stop", 2, 2)])
    figures = check_fuzz_calls(con, seed, calls)
    figures.update(check_fuzz_victim(con))
    figures.update(check_fuzz_restarts(con, restarts))
    mark_console(con)
    con.expect_stopped("fuzz", "shutdown")
    con.expect_stopped("victim", "shutdown")
    t.log.write(f"# fuzz figures: {figures}")
    return figures


def check_fuzz_calls(con, seed, calls):
    lines = con.texts("fuzz")
    head = _FUZZ_HEAD.fullmatch(lines[0]) if lines else None
    if not head or int(head.group(1), 16) != seed or int(head.group(2)) != calls:
        fail(f"fuzz's first line is not its seed 0x{seed:x} and {calls} calls", lines[:2])
    counts, body = {}, []
    for text in lines[2:]:
        m = re.fullmatch(r"fuzz calls ([a-z]+): (\d+)", text)
        if m:
            counts[m.group(1)] = int(m.group(2))
        elif not (_FUZZ_PROGRESS.fullmatch(text) or text == "fuzz console ok"):
            body.append(text)
    # Whatever else the fuzz console shows is memory printed for it.
    unknown = [x for x in body if not (_FUZZ_ERRORS.fullmatch(x) or _FUZZ_RATE.fullmatch(x)
                                       or _FUZZ_DONE.fullmatch(x))]
    if unknown:
        fail(f"fuzz's console shows {len(unknown)} lines it never wrote", unknown[:6])
    missing = [g for g in FUZZ_GROUPS if counts.get(g, 0) <= 0]
    if missing or len(counts) != len(FUZZ_GROUPS):
        fail(f"extension groups without calls: {missing or sorted(set(counts) - set(FUZZ_GROUPS))}",
             [f"[fuzz] fuzz calls {g}: {n}" for g, n in counts.items()])
    if not any(_FUZZ_PROGRESS.fullmatch(x) for x in lines):
        fail("fuzz printed no progress line", con._ctx("fuzz"))
    done = [m for m in map(_FUZZ_DONE.fullmatch, lines) if m]
    rate = [m for m in map(_FUZZ_RATE.fullmatch, lines) if m]
    errors = [m for m in map(_FUZZ_ERRORS.fullmatch, lines) if m]
    if len(done) != 1 or len(rate) != 1 or len(errors) != 1:
        fail("fuzz did not end with one errors, rate and done line", con._ctx("fuzz"))
    total = int(done[0].group(1))
    if total < calls or total != sum(counts.values()) or total != int(rate[0].group(2)):
        fail(f"fuzz made {total} calls, counted {sum(counts.values())} by group, "
             f"{rate[0].group(2)} in its rate line; {calls} asked for", con._ctx("fuzz"))
    seen = dict(x.split("=") for x in errors[0].group(1).split())
    if sum(map(int, seen.values())) + int(errors[0].group(2)) != total:
        fail("fuzz's error counts do not add up to its calls", [errors[0].group(0)])
    return {"calls": total, "calls/s": int(rate[0].group(1)), "ms": int(rate[0].group(3)),
            "h": head.group(5), "spec": f"{head.group(3)}.{head.group(4)}", "groups": counts,
            "errors": seen}


def check_fuzz_victim(con):
    """The victim checked everything after the fuzzer was done, and every
    round before and after was intact."""
    # Every victim line starts "victim "; a piece that does not is the
    # rest of the line before it, written out as a prompt while the victim
    # was held off its hart mid-line and read the console (docs/console.md).
    lines = []
    for text in con.texts("victim"):
        if lines and not text.startswith("victim "):
            lines[-1] += text
        else:
            lines.append(text)
    if len(lines) < 4 or not lines[0].startswith("victim initrd ") or \
            not _VICTIM_WATCH.fullmatch(lines[1]) or not lines[2].startswith("victim pattern "):
        fail("victim's first lines are not its initrd, watched CSRs and pattern", lines[:4])
    rounds = [int(m.group(1)) for m in map(_VICTIM_ROUND.fullmatch, lines[3:-1]) if m]
    if len(rounds) != len(lines) - 4 or rounds != sorted(set(rounds)):
        fail("victim printed something other than increasing intact rounds", con._ctx("victim"))
    if lines[-1] != "victim done: intact":
        fail(f"victim's last line is '{lines[-1]}', not 'victim done: intact'", con._ctx("victim"))
    done = next(i for i, text in con.ctr["fuzz"] if _FUZZ_DONE.fullmatch(text))
    if not any(i > done and _VICTIM_ROUND.fullmatch(text) for i, text in con.ctr["victim"]):
        fail("no victim round after the fuzzer was done", con._ctx("victim"))
    watch = _VICTIM_WATCH.fullmatch(lines[1])
    return {"victim rounds": rounds[-1] if rounds else 0, "victim csrs": int(watch.group(1)) + 1,
            "victim h": watch.group(3)}


def _cut_run_line(text):
    """A run line that fuzz-stop's stop cut short: as the first container
    it has the terminal, so its bytes go out as they come and a stop can
    land in the middle of its line (docs/console.md)."""
    head, tail = "fuzz-stop run: seed 0x", ", 2 vCPUs"
    if head.startswith(text):
        return True
    digits = re.match(r"[0-9a-f]+", text[len(head):]) if text.startswith(head) else None
    rest = text[len(head) + len(digits.group(0)):] if digits else None
    return rest is not None and tail.startswith(rest) and rest != tail


def check_fuzz_restarts(con, restarts):
    heap, stops = [], 0
    for i, text in con.hyp:
        m = _FUZZ_RESTART.fullmatch(text)
        if m:
            heap.append((int(m.group(1)), int(m.group(2))))
            con.expected_hyp.add(i)
        elif _FUZZ_STOPPED.fullmatch(text):
            stops += 1
            con.expected_hyp.add(i)
        elif text.startswith("container fuzz-stop stopped ("):
            con.expected_hyp.add(i)
    if [n for n, _ in heap] != list(range(1, len(heap) + 1)) or len(heap) < restarts:
        fail(f"fuzz-stop restarted {len(heap)} times (expected 1, 2, ... at least {restarts})",
             con._ctx(HYP, 12))
    # The run is cut when the victim stops: a last 'restarting' may not
    # have reached its restart line yet.
    if stops not in (len(heap), len(heap) + 1):
        fail(f"{stops} 'restarting' lines for {len(heap)} restarts", con._ctx(HYP, 12))
    if len({b for _, b in heap}) != 1:
        fail(f"firmware heap in use changed across restarts: {sorted({b for _, b in heap})}",
             [f"restart {n}: {b}" for n, b in heap if b != heap[0][1]][:6])
    runs = [x for x in con.texts("fuzz-stop") if _FUZZ_STOP_RUN.fullmatch(x) or _cut_run_line(x)]
    if len(runs) != len(con.texts("fuzz-stop")) or len(runs) < len(heap):
        fail(f"fuzz-stop printed {len(con.texts('fuzz-stop'))} lines, {len(runs)} of them "
             f"run lines, for {len(heap)} restarts", con._ctx("fuzz-stop"))
    return {"restarts": len(heap), "heap": heap[0][1]}


@system_test("fuzz")
def fuzz(t):
    """A shorter run of make fuzz: random SBI calls on four vCPUs beside
    a victim, and a guest that stops itself again and again."""
    check_fuzz(t, FUZZ_TEST_CALLS[t.target.short], FUZZ_TEST_RESTARTS)


# --- 11. the SD card a HiFive board boots from ----------------------------------

SPL_TYPE = "5B193300-FC78-40CD-8002-E86C45580B47"
FIT_TYPE = "2E54B353-1271-4842-806F-E436D6AF6985"
BOARDS = (("hifive-unleashed", "hifive-unleashed-a00"),
          ("hifive-unmatched", "hifive-unmatched-a00"))


def fit_load(fit, node, log):
    """An image's load address in a FIT (two cells)."""
    hi, lo = tool(["fdtget", "-t", "x", str(fit), node, "load"], log).lines[0].split()
    return int(hi, 16) << 32 | int(lo, 16)


def fit_bytes(fit, node, log):
    """An image's data in a FIT built with external data (mkimage -E):
    data-offset counts from the end of the FIT's own tree, 4-aligned."""
    get = lambda prop: int(" ".join(tool(["fdtget", "-t", "u", str(fit), node, prop],
                                         log).lines))
    blob = fit.read_bytes()
    start = (int.from_bytes(blob[4:8], "big") + 3) // 4 * 4 + get("data-offset")
    return blob[start:start + get("data-size")]


def check_sdcard(t, target, dt_name):
    """sdcard.img of IMAGE=hello for @target: the GPT, SPL at sector 34 and
    a FIT at 2082 that holds this build's firmware, bundle and board DT."""
    res = t.make("IMAGE=hello", f"TARGET={target}")
    out = BUILD / target / "hello"
    card = out / "sdcard.img"
    if res.rc != 0 or not card.is_file():
        fail(f"make IMAGE=hello TARGET={target} built no sdcard.img", tail(res.lines))
    table = json.loads("\n".join(tool(["sfdisk", "--json", str(card)], t.log).lines))
    parts = [(p["start"], p["type"].upper()) for p in table["partitiontable"]["partitions"]]
    if table["partitiontable"]["label"] != "gpt" or parts[:2] != [(34, SPL_TYPE), (2082, FIT_TYPE)]:
        fail(f"{target}: sdcard.img partitions {parts}, expected SPL at 34, the FIT at 2082")
    data = card.read_bytes()
    spl = (out / "u-boot-spl.bin").read_bytes()
    if data[34 * 512:34 * 512 + len(spl)] != spl:
        fail(f"{target}: sector 34 does not hold Debian's u-boot-spl.bin")
    fit = out / "sdcard-fit.itb"
    fit.write_bytes(data[2082 * 512:])
    get = lambda *a: " ".join(tool(["fdtget", *a], t.log).lines).strip()
    conf = get(str(fit), "/configurations", "default")
    want = {
        ("/configurations/" + conf, "description"): dt_name,
        ("/configurations/" + conf, "firmware"): "diosix",
        ("/configurations/" + conf, "loadables"): "bundle",
        ("/images/diosix", "os"): "opensbi",
        ("/images/bundle", "os"): "U-Boot",
    }
    for (node, prop), value in want.items():
        if get(str(fit), node, prop) != value:
            fail(f"{target}: FIT {node} {prop} is '{get(str(fit), node, prop)}', not '{value}'")
    fw_addr = 0x80000000
    bundle_addr = fw_addr + bundle_def("BUNDLE_PAYLOAD_OFFSET")
    for node, addr in (("/images/diosix", fw_addr), ("/images/bundle", bundle_addr)):
        if fit_load(fit, node, t.log) != addr:
            fail(f"{target}: FIT {node} loads at 0x{fit_load(fit, node, t.log):x}, "
                 f"not 0x{addr:x}")
    for node, path in (("/images/diosix", "fw_dynamic.bin"), ("/images/bundle", "bundle.bin")):
        if fit_bytes(fit, node, t.log) != (out / path).read_bytes():
            fail(f"{target}: FIT {node} is not this build's {path}")
    bundle, hdr = (out / "bundle.bin").read_bytes(), bundle_def("BUNDLE_HEADER_OFFSET")
    if bundle[hdr:hdr + bundle_def("BUNDLE_MAGIC_LEN")] != bundle_def("BUNDLE_MAGIC").encode():
        fail(f"{target}: bundle.bin has no {bundle_def('BUNDLE_MAGIC')} header at 0x{hdr:x}")
    dtb = out / "board-from-fit.dtb"
    dtb.write_bytes(fit_bytes(fit, "/images/fdt", t.log))
    model = get(str(dtb), "/", "compatible").split()[0]
    if model != f"sifive,{dt_name}":
        fail(f"{target}: the FIT's device tree is for {model}, not sifive,{dt_name}")


@system_test("sdcard", targets=("unleashed",))
def sdcard(t):
    """The SD card images of both HiFive boards: partitions, U-Boot SPL,
    and a FIT with this build's firmware, bundle and the board's DT (the
    Unleashed's is also booted by the tests above; QEMU has no Unmatched)."""
    for target, dt_name in BOARDS:
        check_sdcard(t, target, dt_name)


RESET_LINE = {"hifive-unleashed": "gpio-restart", "hifive-unmatched": "gpio-poweroff"}


@system_test("board-devices", targets=("unleashed",))
def board_devices(t):
    """The HiFive manifests against each board's own device tree (QEMU
    has no Unmatched to boot): hifive-devices (Ethernet, second UART:
    PRCI-clocked on the FU540 and the FU740) passes the build's check on
    both boards, and the GPIO block, which carries the line the firmware
    resets or powers off the board with, is refused by name."""
    for target, _ in BOARDS:
        res = t.make("IMAGE=hifive-devices", f"TARGET={target}")
        if res.rc != 0:
            fail(f"make IMAGE=hifive-devices TARGET={target} failed", tail(res.lines))
        res = t.make("IMAGE=bad-board-devices", f"TARGET={target}")
        want = (f"error: container gpio: devices: /soc/gpio@10060000: carries the "
                f"board's reset line the firmware uses (/{RESET_LINE[target]})")
        errors = [line for line in res.lines if "error:" in line]
        if res.rc == 0 or not any(want in line for line in errors):
            fail(f"make IMAGE=bad-board-devices TARGET={target}: expected '{want}'",
                 errors[:6] or tail(res.lines))
        if any("container good" in line for line in errors):
            fail(f"make IMAGE=bad-board-devices TARGET={target} refused 'good'", errors[:6])


# --- 12. make debug: gdb in a guest (tests/system/debug.py) ----------------------

from . import debug  # noqa: E402,F401  (registers its tests here, before relocations)


# --- 5. relocations (last: it checks every firmware built before it) ----------

_RELOC = re.compile(r"^\s*[0-9a-f]+\s+[0-9a-f]+\s+(R_\S+)")
_SECTION = re.compile(r"^Relocation section '([^']+)'")


@system_test("relocations", targets=WITH_BOARD)
def relocations(t):
    """Every firmware ELF this run built has relocations, all RELATIVE."""
    elfs = sorted(set(t.session.built.get(t.target.name, [])))
    if not elfs:
        elfs = [t.build("hello")]
    problems = []       # (image, message, lines)
    for elf in elfs:
        res = tool(["riscv64-linux-gnu-readelf", "-r", "--wide", str(elf)], t.log)
        sections = [m.group(1) for m in map(_SECTION.match, res.lines) if m]
        relocs = [(line, m.group(1)) for line in res.lines for m in [_RELOC.match(line)] if m]
        image = elf.parent.name
        if not sections or not relocs:
            problems.append((image, f"readelf -r lists no relocation section or entry "
                             f"(sections: {sections})", res.lines[:4]))
            continue
        bad = [line.strip() for line, kind in relocs if kind != "R_RISCV_RELATIVE"]
        if bad:
            kinds = sorted({kind for _, kind in relocs if kind != "R_RISCV_RELATIVE"})
            problems.append((image, f"{len(bad)} of {len(relocs)} relocations are not "
                             f"R_RISCV_RELATIVE ({', '.join(kinds)})", bad[:6]))
    if problems:
        image, message, lines = problems[0]
        others = [p[0] for p in problems[1:]]
        fail(f"{image}/{t.target.firmware}.elf: {message}"
             + (f"; also in {', '.join(others)}" if others else "")
             + f" ({len(problems)} of {len(elfs)} firmware images)", lines)


# All rv64 tests first, then rv32; relocations stays last within a target.
TESTS.sort(key=lambda s: list(TARGETS).index(s.target.short))
