#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Run a command (QEMU, by make run) with this terminal's output as the
# guests write it. QEMU's -nographic console keeps the terminal's output
# processing on, and its ONLCR would turn every CR LF the console sends
# (hyp/vcons.c) into CR CR LF; so ONLCR is off while the command runs,
# and the terminal's settings come back afterwards, however it ends.
if [ -t 0 ] && saved=$(stty -g 2>/dev/null); then
	trap 'stty "$saved"' EXIT
	trap 'exit 130' INT TERM
	stty -onlcr
	"$@"
	exit $?
fi
exec "$@"
