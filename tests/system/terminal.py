# SPDX-License-Identifier: BSD-2-Clause
"""QEMU with its serial console on a pseudo-terminal the test owns, and
what a person would see there: the byte stream rendered by a terminal
emulator (pyte, Debian's python3-pyte). Keys are typed one at a time,
each after the echo of the one before, as a person types; nothing waits
by sleeping, everything waits for what the terminal shows, up to the
boot timeout."""
import os
import re
import signal
import subprocess
import sys
import threading
import time

from .harness import REPO, Result, child_env, fail

COLS, ROWS = 100, 24        # 24 rows, as the guest's programs assume

UP, DOWN, RIGHT, LEFT = b"\x1b[A", b"\x1b[B", b"\x1b[C", b"\x1b[D"


def cuttable(text):
    """A bytes regex for text that another container's line may have cut
    (a CR LF of the hypervisor's between any two of its bytes; the other
    line itself is noise, left out by Terminal.since)."""
    return b"(?:\r\n)?".join(re.escape(bytes([c])) for c in text)
BACKSPACE, ENTER, CTRL_D = b"\x7f", b"\r", b"\x04"


def _pyte():
    """Debian's python3-pyte (scripts/install-deps.sh), also when the tests
    run under a Python of its own (pyenv, a venv) beside Debian's."""
    try:
        import pyte
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        import pyte
    return pyte


class Terminal:
    """One boot of argv on a pty. others: the prefixes of lines another
    container prints meanwhile (b"[chatter] "), left out when looking
    for an echo; prefixes: ones left out of the lines they begin."""

    def __init__(self, argv, log, timeout, others=(), prefixes=()):
        pyte = _pyte()
        self.log = log
        self.timeout = timeout
        self.others = list(others)
        self.prefixes = list(prefixes)
        self.noise = [re.compile(re.escape(o) + rb"[^\n]*\n") for o in self.others]
        self.noise += [re.compile(re.escape(p)) for p in prefixes]
        terminal = self

        class Screen(pyte.Screen):
            # A terminal answers what the programs ask it (vi asks where
            # the cursor is, to learn the screen's size).
            def write_process_input(self, data):
                os.write(terminal.master, data.encode())

        self.screen = Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.eof = False
        self.cond = threading.Condition()
        self.start = time.monotonic()
        log.command(argv, "boot on a pseudo-terminal")
        master, slave = os.openpty()
        self.master = master
        self.proc = subprocess.Popen(argv, cwd=REPO, env=child_env(), stdin=slave,
                                     stdout=slave, stderr=slave, start_new_session=True)
        os.close(slave)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                data = b""
            with self.cond:
                if not data:
                    self.eof = True
                    self.cond.notify_all()
                    return
                self.raw += data
                self.stream.feed(data)
                self.cond.notify_all()
            # As it comes, for the log (and whoever tails it meanwhile).
            self.log.write_raw(data.decode("utf-8", errors="replace").replace("\r\n", "\n"))

    # --- what the terminal shows ------------------------------------------

    def display(self):
        """The screen's rows, trailing blanks cut."""
        return [row.rstrip() for row in self.screen.display]

    def shows(self, regex):
        """The first screen row that regex searches to a match, or None."""
        pat = re.compile(regex)
        return next((row for row in self.display() if pat.search(row)), None)

    def rows_of(self, name):
        """The screen rows of container name, its prefix cut off; other
        containers' and the hypervisor's rows left out."""
        prefix = f"[{name}] "
        rows = []
        for row in self.display():
            if row.startswith(prefix):
                rows.append(row[len(prefix):])
            elif not row.startswith("["):
                rows.append(row)
        return rows

    def has_line(self, name, text):
        """text is a line of name's on the screen: a row of its own, or
        rows in a row if other containers' lines cut it (cuttable)."""
        rows = self.rows_of(name)
        return text in rows or text in "".join(rows)

    def wait_line(self, name, text):
        self.wait(f"the line '[{name}] {text}'", lambda: self.has_line(name, text))

    def since(self, mark):
        """Bytes after offset mark, the noise left out."""
        data = bytes(self.raw[mark:])
        for pat in self.noise:
            data = pat.sub(b"", data)
        # Another's line, or a prefix, that has only begun is noise too.
        tail = data[data.rfind(b"\n") + 1:]
        if tail and (any(p.startswith(tail) for p in self.others + self.prefixes) or
                     any(tail.startswith(o) for o in self.others)):
            data = data[:len(data) - len(tail)]
        return data

    def wait(self, what, pred):
        """Until pred() (called with the lock held) is true; fails with
        the screen if the boot timeout comes first or QEMU exits."""
        with self.cond:
            while not pred():
                left = self.timeout - (time.monotonic() - self.start)
                if self.eof:
                    fail(f"QEMU exited while the test waited for {what}", self.display())
                if left <= 0:
                    fail(f"the terminal did not show {what} within {self.timeout}s",
                         self.display())
                self.cond.wait(left)

    def wait_screen(self, regex, what=None):
        self.wait(what or f"/{regex}/", lambda: self.shows(regex) is not None)

    def wait_bytes(self, mark, pattern, what=None):
        """Until the bytes after mark (noise left out) match pattern."""
        pat = re.compile(pattern)
        self.wait(what or repr(pattern), lambda: pat.search(self.since(mark)))

    # --- typing ---------------------------------------------------------------

    def mark(self):
        with self.cond:
            return len(self.raw)

    def send(self, data):
        self.log.write(f"# typing {data!r}")
        os.write(self.master, data)

    def key(self, data, echo, what=None):
        """Press a key, then wait for its echo: pattern, in the bytes after."""
        mark = self.mark()
        self.send(data)
        self.wait_bytes(mark, echo, what or f"the echo of {data!r}")

    def type(self, text):
        """Printable text, a key at a time, each after the last one's echo."""
        for ch in text.encode():
            self.key(bytes([ch]), re.escape(bytes([ch])))

    def paste(self, data):
        """All at once, as a terminal pastes; the pty takes it as QEMU reads."""
        self.log.write(f"# pasting {len(data)} bytes")
        view = memoryview(data)
        while view:
            view = view[os.write(self.master, view):]

    # --- the end --------------------------------------------------------------

    def wait_exit(self):
        """QEMU powers off: its exit status (the boot timeout bounds it)."""
        self.wait("QEMU to exit (the machine to power off)", lambda: self.eof)
        left = max(1, self.timeout - (time.monotonic() - self.start))
        try:
            return self.proc.wait(timeout=left)
        except subprocess.TimeoutExpired:
            fail("QEMU closed its terminal but did not exit")

    def close(self):
        """Kill QEMU if it still runs; log what it printed; a Result."""
        timed_out = self.proc.poll() is None
        if timed_out:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        rc = self.proc.wait()
        self.thread.join(timeout=10)
        os.close(self.master)
        output = bytes(self.raw).decode("utf-8", errors="replace")
        result = Result(self.proc.args, None if timed_out else rc, output, False,
                        time.monotonic() - self.start, ended=timed_out)
        self.log.write(f"\n# exit status {result.rc} ({result.seconds:.1f}s)")
        self.log.write("# the screen at the end:\n" + "\n".join(self.display()))
        return result
