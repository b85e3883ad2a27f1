#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run every diosix test: the host unit tests, then the system tests
(build an image with make, boot it in QEMU, check its output), one at a
time, since the builds of a target share one OpenSBI tree.

    python3 tests/run.py [-k SUBSTRING]... [-v] [--list]

-k selects the tests whose name contains SUBSTRING (repeatable; any
match selects). Without -k, the environment variable DIOSIX_TESTS (one or
more substrings, separated by spaces or commas) does the same. Unit cases
are named unit.<suite>.<case>: they are run when no filter is given, or
one is "unit" or starts with "unit." (e.g. -k unit.place).

Prints "PASS <name> (<s>s)" or "FAIL <name>: <first failed assertion>"
(with a few output lines) per test, then "N passed, M failed"; exit
status 1 if anything failed. Full build and boot output of each test:
build/test-logs/<name>.log (unit.log for the unit tests); the printed
results again: build/test-logs/summary.txt.
"""
import argparse
import fcntl
import os
import sys
import time
import traceback
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

from system.harness import BUILD, LOG_DIR, REPO, Log, Session, TestFailure, TestRun  # noqa: E402
from system.cases import TESTS  # noqa: E402
from system.unit import run_unit  # noqa: E402

CONTEXT_LINES = 8


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-k", dest="filters", action="append", metavar="SUBSTRING",
                   help="run only tests whose name contains SUBSTRING (repeatable)")
    p.add_argument("-v", "--verbose", action="store_true", help="print QEMU output")
    p.add_argument("--list", action="store_true", help="list the system tests and exit")
    args = p.parse_args(argv)
    if args.filters is None:
        env = os.environ.get("DIOSIX_TESTS", "").replace(",", " ").split()
        args.filters = env or None
    return args


class Report:
    """Prints each result as it comes; keeps them for summary.txt."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.lines = []

    def _print(self, line):
        self.lines.append(line)
        print(line, flush=True)

    def ok(self, name, seconds=None):
        self.passed += 1
        self._print(f"PASS {name}" + (f" ({seconds:.1f}s)" if seconds is not None else ""))

    def bad(self, name, why, context=(), log=None):
        self.failed += 1
        self._print(f"FAIL {name}: {why}")
        for line in list(context)[:CONTEXT_LINES]:
            self._print(f"    {line}")
        if log:
            self._print(f"    (full output: {os.path.relpath(log, REPO)})")

    def finish(self, seconds):
        self._print(f"(took {seconds:.0f}s; logs in {os.path.relpath(LOG_DIR, REPO)}/)")
        self._print(f"{self.passed} passed, {self.failed} failed")
        (LOG_DIR / "summary.txt").write_text("\n".join(self.lines) + "\n")


def run_system_test(test, session, report):
    log = Log(test.name)
    t = TestRun(test.name, test.target, log, session)
    start = time.monotonic()
    try:
        test.func(t)
        t.finish()
    except TestFailure as e:
        log.write(f"\n# FAIL: {e.message}")
        report.bad(test.name, e.message, e.context, log.path)
        return
    except Exception as e:      # a bug in the test itself still fails it
        log.write("\n# FAIL: internal error\n" + traceback.format_exc())
        report.bad(test.name, f"internal error in the test: {e!r}",
                   traceback.format_exc().splitlines()[-4:], log.path)
        return
    finally:
        log.close()
    report.ok(test.name, time.monotonic() - start)


def main(argv):
    args = parse_args(argv)
    if args.list:
        for test in TESTS:
            print(test.name)
        return 0

    def selected(name):
        return not args.filters or any(f in name for f in args.filters)

    want_unit = not args.filters or any(f in "unit" or f.startswith("unit.")
                                        for f in args.filters)
    tests = [test for test in TESTS if selected(test.name)]
    if not tests and not want_unit:
        print(f"no test matches {' '.join(args.filters)} (see --list)", file=sys.stderr)
        return 1

    # Two runs in one tree would rebuild the shared OpenSBI trees under
    # each other: refuse a second one rather than wait for it.
    BUILD.mkdir(exist_ok=True)
    LOG_DIR.mkdir(exist_ok=True)
    lock = open(BUILD / ".test-run.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("another tests/run.py is running in this tree", file=sys.stderr)
        return 1

    start = time.monotonic()
    report = Report()
    if want_unit:
        for o in run_unit(lambda name: not args.filters or
                          any(f in name for f in args.filters)):
            if o.ok:
                report.ok(o.name, o.seconds)
            else:
                report.bad(o.name, o.why, o.context,
                           LOG_DIR / "unit.log")
    session = Session(verbose=args.verbose)
    for test in tests:
        run_system_test(test, session, report)

    report.finish(time.monotonic() - start)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
