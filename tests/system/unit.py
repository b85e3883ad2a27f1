# SPDX-License-Identifier: BSD-2-Clause
"""The host unit tests: `make -s unit-bin` builds build/host/unit-tests,
which prints one line per case, "PASS <suite>.<case>" or "FAIL
<suite>.<case>: <why>", then "unit: N passed, M failed", and exits
non-zero on any failure.

Each case becomes one test named unit.<suite>.<case>. Anything wrong with
the binary itself (it does not build, crashes, times out, its summary or
exit status disagrees with its case lines) is one more failed test named
"unit": never a silent skip.
"""
import re
import time
from dataclasses import dataclass

from .harness import BUILD, Log, run, split_lines, tail

UNIT_BIN = BUILD / "host" / "unit-tests"
UNIT_TIMEOUT = 600      # sanitizers make the host tests slower, not this slow
BUILD_TIMEOUT = 600

_CASE = re.compile(r"^(PASS|FAIL) ([A-Za-z0-9_.:/-]+)(?:: (.*))?$")
_SUMMARY = re.compile(r"^unit: (\d+) passed, (\d+) failed$")


@dataclass
class Outcome:
    name: str
    ok: bool
    why: str = ""
    context: tuple = ()
    seconds: float = None


def run_unit(selected):
    """Build and run the unit tests; [Outcome] for the selected case names.

    selected(name) says whether a test name was asked for."""
    log = Log("unit")
    start = time.monotonic()
    try:
        return _run(log, selected, start)
    finally:
        log.close()


def _binary_failure(why, context, start):
    return Outcome("unit", False, why, tuple(context), time.monotonic() - start)


def _run(log, selected, start):
    res = run(["make", "-s", "unit-bin"], BUILD_TIMEOUT, log, "build the unit tests")
    if res.timed_out or res.rc != 0 or not UNIT_BIN.is_file():
        return [_binary_failure("unit tests did not build"
                                + (f" (make exit status {res.rc})" if res.rc else ""),
                                tail(res.lines), start)]

    # stderr (sanitizer reports) is interleaved; only whole matching lines count.
    res = run([str(UNIT_BIN)], UNIT_TIMEOUT, log, "run the unit tests")
    lines = split_lines(res.output)
    cases, summary, outcomes = [], None, []
    for line in lines:
        m = _CASE.match(line)
        if m:
            cases.append(m)
            continue
        s = _SUMMARY.match(line)
        if s:
            summary = (int(s.group(1)), int(s.group(2)))
    for m in cases:
        name = f"unit.{m.group(2)}"
        if selected(name):
            ok = m.group(1) == "PASS"
            outcomes.append(Outcome(name, ok, "" if ok else (m.group(3) or "failed"),
                                    () if ok else _context_for(lines, m.group(0))))

    passed = sum(1 for m in cases if m.group(1) == "PASS")
    failed = len(cases) - passed
    problem = None
    if res.timed_out:
        problem = f"unit tests did not finish within {UNIT_TIMEOUT}s (killed)"
    elif summary is None:
        problem = f"unit tests printed no 'unit: N passed, M failed' line " \
                  f"(exit status {res.rc}: crashed?)"
    elif summary != (passed, failed):
        problem = f"unit summary says {summary[0]} passed, {summary[1]} failed, " \
                  f"but it printed {passed} PASS and {failed} FAIL lines"
    elif failed and res.rc == 0:
        problem = f"unit tests exited 0 despite {failed} failures"
    elif not failed and res.rc != 0:
        problem = f"unit tests exited with status {res.rc} with no failing case"
    elif not cases:
        problem = "unit tests ran no case"
    if problem and selected("unit"):
        outcomes.append(_binary_failure(problem, tail(lines), start))
    return outcomes


def _context_for(lines, case_line):
    """The lines leading up to a FAIL line (assertion messages, sanitizer)."""
    try:
        i = lines.index(case_line)
    except ValueError:
        return ()
    return tuple(lines[max(0, i - 4):i + 1])

