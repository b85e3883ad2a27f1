# SPDX-License-Identifier: BSD-2-Clause
"""make fuzz: the SBI fuzzer at length (docs/fuzz.md).

    python3 tests/fuzz.py [--target T] [--calls N] [--restarts R] [--seed S]

Builds images/fuzz.dts with FUZZ_SEED and FUZZ_CALLS, boots it and makes
the same checks as the system test `fuzz` (tests/system/cases.py), with
more calls and restarts; a random seed unless one is given. Prints the
seed, the calls per extension group, the errors seen, the rate and the
restarts; exit status 1 on any failure. Full output:
build/test-logs/make-fuzz-<target>.log.
"""
import argparse
import os
import random
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

from system.harness import REPO, TARGETS, Log, Session, TestFailure, TestRun  # noqa: E402
from system.cases import check_fuzz  # noqa: E402

# Seconds of QEMU per thousand calls, on top of a minute: generous, since
# two cores may be shared; a hang still ends it (the fuzzer prints every
# second, and the run is killed at this bound).
SECONDS_PER_KCALL = 0.5


def print_run(t):
    """What the fuzzer and the hypervisor said about the run, as printed:
    the figures of a run that failed a check are worth seeing too."""
    if not t.consoles:
        return
    con = t.consoles[-1]
    for text in con.texts("fuzz") if "fuzz" in con.ctr else ():
        if text.startswith(("fuzz calls ", "fuzz errors", "fuzz rate", "fuzz done",
                            "FAIL fuzz done")):
            print(f"  [fuzz] {text}")
    restarts = [text for _, text in con.hyp if text.startswith("container fuzz-stop restart ")]
    if restarts:
        print(f"  {len(restarts)} restarts of fuzz-stop; the last: [diosix] {restarts[-1]}")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    by_name = {t.name: t for t in TARGETS.values() if not t.board}
    p.add_argument("--target", default="qemu-virt-rv64", choices=sorted(by_name))
    p.add_argument("--calls", type=int, default=1000000)
    p.add_argument("--restarts", type=int, default=100)
    p.add_argument("--seed", type=lambda s: int(s, 0), default=None)
    args = p.parse_args(argv)
    seed = args.seed if args.seed is not None else random.getrandbits(32)
    target = by_name[args.target]
    name = f"make-fuzz-{target.short}"     # not the system test's log
    print(f"fuzz: {args.target}, seed 0x{seed:x}, {args.calls} calls, "
          f"at least {args.restarts} restarts (make fuzz FUZZ_SEED=0x{seed:x} repeats it)",
          flush=True)
    log = Log(name)
    t = TestRun(name, target, log, Session())
    try:
        fig = check_fuzz(t, args.calls, args.restarts, seed=seed,
                         timeout=60 + int(args.calls / 1000 * SECONDS_PER_KCALL))
        t.finish()
    except TestFailure as e:
        print_run(t)
        print(f"FAIL {name}: {e.message}")
        for line in e.context[:8]:
            print(f"    {line}")
        print(f"    (full output: {os.path.relpath(log.path, REPO)})")
        return 1
    finally:
        log.close()
    groups = ", ".join(f"{g} {n}" for g, n in fig["groups"].items())
    errors = ", ".join(f"{e}: {n}" for e, n in fig["errors"].items() if n != "0")
    print(f"calls per group: {groups}")
    print(f"errors: {errors}")
    print(f"{fig['calls']} calls in {fig['ms']} ms: {fig['calls/s']} calls/s "
          f"(SBI {fig['spec']}, H: {fig['h']})")
    print(f"victim: {fig['victim rounds']} rounds intact, {fig['victim csrs']} CSRs watched")
    print(f"fuzz-stop: {fig['restarts']} restarts, {fig['heap']} bytes of firmware heap "
          "in use after each")
    print(f"PASS {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
