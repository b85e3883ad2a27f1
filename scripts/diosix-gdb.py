# SPDX-License-Identifier: BSD-2-Clause
"""gdb commands for debugging guests under diosix (docs/debugging.md).

Load with gdb-multiarch's -x after the firmware's symbols, e.g. as
`make debug` prints it:

    gdb-multiarch -q -nx -ex 'symbol-file -o 0x80000000 build/…/fw_payload.elf' \\
        -x scripts/diosix-gdb.py -ex 'target remote 127.0.0.1:<port>' \\
        -ex 'diosix start <container>'

Everything here reads the hypervisor's own state through the firmware's
debug information: which container sits where (hyp_containers[i].ram),
which vCPU each hart runs (hyp_harts[i].current) and which hart a gdb
thread is (its mhartid CSR, found in dx_harts[]). Nothing is computed
on the host, so what it says is what the firmware did.

    diosix start [NAME]       run the firmware to where every container is
                              placed and none has run; then symbols and filter
    diosix symbols [NAME [FILE]]   add a container's symbols where it was placed
    diosix filter [NAME|off]  breakpoints stop only in container NAME
    diosix containers         every container: state, RAM, its vCPUs and their harts
    diosix where              what each hart runs: container, vCPU, mode, pc
    $_diosix_container()      the container the selected hart runs ("" none)
    $_diosix_vcpu()           its virtual hart id (-1 none)
    $_diosix_in("NAME")       1 if the selected hart runs container NAME
"""
import os
import re
import struct
import tarfile

import gdb

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The hypervisor's first arrival from the boot stub: every container is
# placed (hyp_boot ran in OpenSBI's cold boot) and no guest has run yet.
BOOTED_AT = "hyp_enter"
PRIV = {0: "U", 1: "S", 3: "M"}


_fw_objfile = None


def _firmware():
    """The objfile holding the hypervisor (the one that defines hyp_harts)."""
    global _fw_objfile
    if _fw_objfile is not None and _fw_objfile.is_valid():
        return _fw_objfile
    for objfile in gdb.objfiles():
        if _lookup(objfile, "hyp_harts"):
            _fw_objfile = objfile
            return objfile
    raise gdb.GdbError("diosix: no firmware symbols: load fw_payload.elf first "
                       "(symbol-file -o <RAM base> …/fw_payload.elf)")


def _lookup(objfile, name):
    # The platform builds with -fvisibility=hidden, so the ELF symbols are
    # local; the debug information still has the variables.
    return objfile.lookup_global_symbol(name) or objfile.lookup_static_symbol(name)


def _var(name):
    sym = _lookup(_firmware(), name)
    if sym is None:
        raise gdb.GdbError(f"diosix: the firmware has no symbol {name}")
    return sym.value()


def _ulong(value):
    return int(value.cast(gdb.lookup_type("unsigned long long")))


def _present(value):
    """A pointer that is set, or an array (hyp_harts may be either)."""
    return value.type.strip_typedefs().code == gdb.TYPE_CODE_ARRAY or _ulong(value) != 0


# --- the hypervisor's state -----------------------------------------------------

class _Physical:
    """Memory reads in here are physical (QEMU's Qqemu.PhyMemMode): a hart
    stopped in a guest with its MMU on cannot see the firmware's memory
    through its own page tables. Everything read in here is turned into
    Python values before it ends, since gdb.Value reads lazily."""

    depth = 0

    @staticmethod
    def _mode(on):
        # Straight to the stub rather than through the CLI's "maintenance
        # packet": these run in every breakpoint condition.
        reply = gdb.selected_inferior().connection.send_packet(f"Qqemu.PhyMemMode:{on}")
        if reply != b"OK":
            raise gdb.GdbError(f"diosix: QEMU's stub refused physical memory mode: {reply!r}")

    def __enter__(self):
        if _Physical.depth == 0:
            self._mode(1)
        _Physical.depth += 1

    def __exit__(self, *exc):
        _Physical.depth -= 1
        if _Physical.depth == 0:
            self._mode(0)


def _enum_name(value, prefix):
    return str(value).replace(prefix, "").lower()


def _containers():
    """Every container the firmware made, as plain values: [{index, name,
    state, base, size, vcpus: [(state, hart)]}]; empty before the boot
    placed them."""
    with _Physical():
        base, count = _var("hyp_containers"), int(_var("hyp_nr_containers"))
        if not _present(base) or count <= 0:
            return []
        out = []
        for i in range(count):
            ctr = base[i]
            vcpus = ctr["vcpus"]
            out.append({
                "index": i, "name": ctr["spec"]["name"].string(),
                "state": _enum_name(ctr["state"], "CTR_"),
                "base": _ulong(ctr["ram"]["base"]), "size": _ulong(ctr["ram"]["size"]),
                "vcpus": [(_enum_name(vcpus[k]["state"], "VCPU_"), int(vcpus[k]["hart"]))
                          for k in range(int(ctr["nr_vcpus"]))],
            })
        return out


def _find(name):
    ctrs = _containers()
    for ctr in ctrs:
        if ctr["name"] == name:
            return ctr
    names = ", ".join(c["name"] for c in ctrs) or "none yet (diosix start?)"
    raise gdb.GdbError(f"diosix: no container {name!r}; there are: {names}")


_hartid_of_thread = {}


def _thread_reg(thread, reg):
    """Register reg of a thread, selecting it only if it is not selected
    (a breakpoint condition runs with the stopped thread selected)."""
    selected = gdb.selected_thread()
    if thread == selected:
        return _ulong(gdb.parse_and_eval(reg))
    thread.switch()
    try:
        return _ulong(gdb.parse_and_eval(reg))
    finally:
        selected.switch()


def _hartid(thread):
    # QEMU's stub has one thread per hart and gives each hart's CSRs.
    key = (thread.inferior.num, thread.num)
    if key not in _hartid_of_thread:
        _hartid_of_thread[key] = _thread_reg(thread, "$mhartid")
    return _hartid_of_thread[key]


def _running(thread=None):
    """(container name, vCPU id) that a gdb thread's hart runs, or None:
    hyp_harts[i].current, where i is the hypervisor's index of the hart
    (the dx_harts[] entry with the thread's mhartid)."""
    thread = thread or gdb.selected_thread()
    if thread is None:
        return None
    hartid = _hartid(thread)
    with _Physical():
        harts, info = _var("hyp_harts"), _var("dx_harts")
        if not _present(harts):
            return None
        for i in range(int(_var("dx_nr_harts"))):
            if int(info[i]["hartid"]) != hartid:
                continue
            vcpu = harts[i]["current"]
            if not _ulong(vcpu):
                return None
            return vcpu["ctr"]["spec"]["name"].string(), int(vcpu["id"])
    return None


# --- convenience functions ------------------------------------------------------

class ContainerFunction(gdb.Function):
    """$_diosix_container(): the name of the container whose vCPU the
    selected hart runs (the stopped hart in a breakpoint condition), or ""
    when it runs none (booting, idle, or between vCPUs)."""

    def __init__(self):
        super().__init__("_diosix_container")

    def invoke(self):
        run = _running()
        return run[0] if run else ""


class VcpuFunction(gdb.Function):
    """$_diosix_vcpu(): the virtual hart id, within its container, of the
    vCPU the selected hart runs, or -1."""

    def __init__(self):
        super().__init__("_diosix_vcpu")

    def invoke(self):
        run = _running()
        return run[1] if run else -1


class InFunction(gdb.Function):
    """$_diosix_in("NAME"): 1 if the selected hart runs a vCPU of
    container NAME, else 0. The condition `diosix filter` puts on
    breakpoints."""

    def __init__(self):
        super().__init__("_diosix_in")

    def invoke(self, name):
        run = _running()
        return int(run is not None and run[0] == name.string())


# --- symbols --------------------------------------------------------------------

def _build_dirs():
    """The image's build directory (where fw_payload.elf and manifest.dts
    are) and the search path dtc had for /incbin/ (the Makefile's -i)."""
    ibuild = os.path.dirname(os.path.abspath(_firmware().filename))
    tbuild = os.path.dirname(ibuild)
    return ibuild, [ibuild, os.path.join(tbuild, "guests"),
                    os.path.join(tbuild, "linux-guest"), os.path.join(TOP, "images")]


def _manifest_images(path):
    """{container name: the file its image = /incbin/("…") names}, from the
    preprocessed manifest source the build kept beside the firmware."""
    images, stack = {}, []
    text = open(path, encoding="utf-8", errors="replace").read()
    for m in re.finditer(r'([\w,.+-]+)\s*(?:@[\w,.+-]*)?\s*\{|\}|'
                         r'\bimage\s*=\s*/incbin/\(\s*"([^"]+)"', text):
        if m.group(0) == "}":
            if stack:
                stack.pop()
        elif m.group(2):
            if len(stack) >= 2 and stack[-2] == "containers":
                images[stack[-1]] = m.group(2)
        else:
            stack.append(m.group(1))
    return images


def _is_linux_image(path):
    with open(path, "rb") as f:
        head = f.read(64)
    return len(head) == 64 and head[56:60] == b"RSC\x05"


def _elf_lowest_vaddr(path):
    """The lowest PT_LOAD address: the loader puts it at the RAM base."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        raise gdb.GdbError(f"diosix: {path} is not an ELF file")
    is64 = data[4] == 2
    if is64:
        phoff, = struct.unpack_from("<Q", data, 32)
        phentsize, phnum = struct.unpack_from("<HH", data, 54)
    else:
        phoff, = struct.unpack_from("<I", data, 28)
        phentsize, phnum = struct.unpack_from("<HH", data, 42)
    lows = []
    for i in range(phnum):
        off = phoff + i * phentsize
        if is64:
            ptype, = struct.unpack_from("<I", data, off)
            vaddr, = struct.unpack_from("<Q", data, off + 16)
            memsz, = struct.unpack_from("<Q", data, off + 40)
        else:
            ptype, _, vaddr, _, _, memsz = struct.unpack_from("<6I", data, off)
        if ptype == 1 and memsz:
            lows.append(vaddr)
    if not lows:
        raise gdb.GdbError(f"diosix: {path} has no loadable segment")
    return min(lows)


def _symbol_file(name):
    """The file with symbols for container NAME's image, and its kind."""
    ibuild, path = _build_dirs()
    manifest = os.path.join(ibuild, "manifest.dts")
    if not os.path.isfile(manifest):
        raise gdb.GdbError(f"diosix: no {manifest}: name the file "
                           f"(diosix symbols {name} FILE)")
    image = _manifest_images(manifest).get(name)
    if image is None:
        raise gdb.GdbError(f"diosix: {manifest} gives {name} no /incbin/ image")
    found = next((os.path.join(d, image) for d in path
                  if os.path.isfile(os.path.join(d, image))), None)
    if found is None:
        raise gdb.GdbError(f"diosix: {image} ({name}'s image) is not on dtc's path")
    if _is_linux_image(found):
        vmlinux = os.path.join(os.path.dirname(found), "vmlinux")
        if not os.path.isfile(vmlinux):
            raise gdb.GdbError(f"diosix: no vmlinux beside {found}: "
                               f"diosix symbols {name} <your vmlinux>")
        return vmlinux
    debug = re.sub(r"\.elf$", ".debug.elf", found)
    return debug if debug != found and os.path.isfile(debug) else found


_loaded = set()     # (symbol file, offset) pairs added


def _add_symbols(path, offset):
    """Add path's symbols at offset, once. The same file may come twice at
    different offsets: two containers running the same guest."""
    key = (os.path.abspath(path), offset)
    if key in _loaded:
        return False
    sign = "-" if offset < 0 else ""
    gdb.execute(f"add-symbol-file {key[0]} -o {sign}{abs(offset):#x}", to_string=True)
    _loaded.add(key)
    return True


def _linux_scripts(vmlinux):
    """The kernel's own gdb scripts (lx-dmesg, lx-ps, …): linux-gdb.tar,
    which the Linux build leaves beside vmlinux, unpacked once."""
    tar = os.path.join(os.path.dirname(vmlinux), "linux-gdb.tar")
    if not os.path.isfile(tar):
        return None
    dest = os.path.join(os.path.dirname(vmlinux), "linux-gdb")
    script = os.path.join(dest, "vmlinux-gdb.py")
    if not os.path.isfile(script) or os.path.getmtime(script) < os.path.getmtime(tar):
        with tarfile.open(tar) as t:
            t.extractall(dest)
        os.utime(script)
    return script


def symbols(name, path=None):
    """Add container NAME's symbols where the firmware placed it."""
    base = _find(name)["base"]
    path = path or _symbol_file(name)
    if _is_linux_image(path) or os.path.basename(path).startswith("vmlinux"):
        # The kernel runs at its link addresses once its MMU is on, in
        # every container alike: the physical base changes nothing.
        if _add_symbols(path, 0):
            print(f"diosix: {name}: Linux at 0x{base:x}, symbols from {path} "
                  "(kernel virtual addresses, shared by every Linux container)")
            script = _linux_scripts(path)
            if script and not gdb.convenience_variable("_diosix_lx_loaded"):
                gdb.execute(f"source {script}")
                gdb.set_convenience_variable("_diosix_lx_loaded", 1)
        return
    # Signed: gdb adds it to 64-bit addresses, so on rv32 an offset taken
    # modulo 2^32 would land symbols above 4 GiB.
    offset = base - _elf_lowest_vaddr(path)
    if _add_symbols(path, offset):
        print(f"diosix: {name}: ELF at 0x{base:x}, symbols from {path} "
              f"at offset {'-' if offset < 0 else ''}0x{abs(offset):x}")


# --- the container filter -------------------------------------------------------

_filter = None
_MARK = re.compile(r'^\$_diosix_in\("[^"]*"\)(?: && \((.*)\))?$')


def _own_condition(bp):
    """The breakpoint's condition without the filter's part."""
    cond = bp.condition or ""
    m = _MARK.match(cond)
    return (m.group(1) or "") if m else cond


def _apply_filter(bp):
    if bp.number <= 0 or not bp.is_valid():
        return
    own = _own_condition(bp)
    if _filter is None:
        cond = own or None
    else:
        cond = f'$_diosix_in("{_filter}")' + (f" && ({own})" if own else "")
    if (bp.condition or None) != cond:
        bp.condition = cond


def set_filter(name):
    global _filter
    if name is not None:
        _find(name)
    _filter = name
    for bp in gdb.breakpoints():
        _apply_filter(bp)
    print(f"diosix: breakpoints stop only in {name}" if name else
          "diosix: breakpoints stop in every container")


gdb.events.breakpoint_created.connect(_apply_filter)


# --- commands -------------------------------------------------------------------

class Diosix(gdb.Command):
    """Debug guests under diosix: diosix start|symbols|filter|containers|where."""

    def __init__(self):
        super().__init__("diosix", gdb.COMMAND_USER, prefix=True)


def _run_to_placement():
    if _lookup(_firmware(), BOOTED_AT) is None:
        raise gdb.GdbError(f"diosix: the firmware has no {BOOTED_AT}")
    bp = gdb.Breakpoint(BOOTED_AT, internal=True, temporary=True)
    try:
        gdb.execute("continue", to_string=True)
    finally:
        if bp.is_valid():
            bp.delete()


class Start(gdb.Command):
    """diosix start [NAME]: run a machine stopped at reset to where the
    firmware has placed every container and no guest has run. Then add the
    symbols of container NAME (of every container without NAME) and, with
    NAME, stop only in it (diosix filter NAME)."""

    def __init__(self):
        super().__init__("diosix start", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if len(args) > 1:
            raise gdb.GdbError("usage: diosix start [NAME]")
        # A machine fresh from reset has zeroed RAM where the firmware's
        # .bss will be: no containers yet. One that has them is past this.
        ctrs = _containers()
        if not ctrs:
            _run_to_placement()
            ctrs = _containers()
            if not ctrs:
                raise gdb.GdbError("diosix: the firmware placed no container")
            print(f"diosix: {len(ctrs)} containers placed, none started yet")
        names = args or [c["name"] for c in ctrs]
        for name in names:
            try:
                symbols(name)
            except gdb.GdbError as e:
                print(e)
        if args:
            set_filter(args[0])


class Symbols(gdb.Command):
    """diosix symbols [NAME [FILE]]: add the symbols of container NAME (of
    every container without NAME) at the address where the firmware placed
    it. FILE defaults to the image the manifest names: for a guest ELF
    <guest>.debug.elf beside it, for a Linux Image the vmlinux beside it
    (and the kernel's gdb scripts)."""

    def __init__(self):
        super().__init__("diosix symbols", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if len(args) > 2:
            raise gdb.GdbError("usage: diosix symbols [NAME [FILE]]")
        if not args:
            for ctr in _containers():
                symbols(ctr["name"])
        else:
            symbols(*args)


class Filter(gdb.Command):
    """diosix filter [NAME|off]: every breakpoint, now and later, stops
    only when its hart runs a vCPU of container NAME (the condition
    $_diosix_in("NAME") joins its own). "off" lifts it; no argument shows it."""

    def __init__(self):
        super().__init__("diosix filter", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if len(args) > 1:
            raise gdb.GdbError("usage: diosix filter [NAME|off]")
        if not args:
            print(f"diosix: filter {_filter or 'off'}")
        else:
            set_filter(None if args[0] == "off" else args[0])


class Containers(gdb.Command):
    """diosix containers: every container, its state, its RAM, and its
    vCPUs with the harts they run or wait on."""

    def __init__(self):
        super().__init__("diosix containers", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        ctrs = _containers()
        if not ctrs:
            print("diosix: no containers yet (diosix start runs to where they are placed)")
            return
        for c in ctrs:
            vcpus = " ".join(f"{k}:{state}" + (f"@{hart}" if hart >= 0 and state != "stopped" else "")
                             for k, (state, hart) in enumerate(c["vcpus"]))
            print(f"{c['index']:3} {c['name']:15} {c['state']:9} 0x{c['base']:x} "
                  f"{c['size'] >> 20} MiB  vcpus {vcpus}")


class Where(gdb.Command):
    """diosix where: for each gdb thread (a hart), its hart id, privilege
    mode, the container and vCPU it runs, and its pc."""

    def __init__(self):
        super().__init__("diosix where", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        selected = gdb.selected_thread()
        for thread in sorted(gdb.selected_inferior().threads(), key=lambda t: t.num):
            run = _running(thread)
            hartid = _hartid(thread)
            mode = PRIV.get(_thread_reg(thread, "$priv"), "?")
            pc = _thread_reg(thread, "$pc")
            runs = f"{run[0]} vcpu {run[1]}" if run else "no vCPU"
            mark = "*" if thread.num == selected.num else " "
            print(f"{mark} thread {thread.num} hart {hartid} {mode}-mode  {runs:24} "
                  f"pc 0x{pc:x} {_pc_symbol(pc)}")


def _pc_symbol(pc):
    block = gdb.current_progspace().block_for_pc(pc)
    fn = block.function if block is not None else None
    while block is not None and fn is None:
        block = block.superblock
        fn = block.function if block is not None else None
    return f"in {fn.name}" if fn is not None else ""


for _cls in (Diosix, Start, Symbols, Filter, Containers, Where,
             ContainerFunction, VcpuFunction, InFunction):
    _cls()

# gdb-multiarch takes an ELF without an OS note for GNU/Linux, and for
# GNU/Linux on RISC-V it steps in software: a breakpoint at the next
# instruction, then a continue of that one hart while the others stay
# stopped. An interrupt taken on the way leads into code that may wait
# for a stopped hart (the scheduler's lock, a remote fence, a guest's
# IPI), and the step never ends: every continue from a breakpoint, and
# every hit the container filter turns down, steps once. Bare metal has
# no OS ABI; then gdb asks QEMU to step, which it does with interrupts
# and timers masked (qqemu.sstep 0x7).
gdb.execute("set osabi none")
