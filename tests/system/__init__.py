# SPDX-License-Identifier: BSD-2-Clause
"""diosix system tests: build firmware images with make, boot them in QEMU
and check what they print.

    harness.py  running commands, logs, the Console parser, assertions
    unit.py     the host unit-test binary (build/host/unit-tests)
    cases.py    the system tests themselves
    debug.py    the make debug tests: gdb scripts (gdb/) against QEMU's stub

Everything here is Python 3 standard library only.
"""
