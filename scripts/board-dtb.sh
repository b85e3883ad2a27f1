#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# board-dtb.sh UBOOT_BOARD_DIR OUT.dtb
#
# The device tree of a HiFive board: the one in the default configuration
# of Debian's u-boot.itb for it, which SPL hands to the firmware. The SD
# card carries it (mk-sdcard.sh), and the build's manifest check reads
# the containers' devices against it.
set -eu

board=${1:?usage: board-dtb.sh UBOOT_BOARD_DIR OUT.dtb}
out=${2:?usage: board-dtb.sh UBOOT_BOARD_DIR OUT.dtb}

itb=$board/u-boot.itb
conf=$(fdtget "$itb" /configurations default)
fdt=$(fdtget "$itb" "/configurations/$conf" fdt)
fdtget -t bx "$itb" "/images/$fdt" data |
	python3 -c 'import sys; sys.stdout.buffer.write(bytes(int(b, 16) for b in sys.stdin.read().split()))' \
	>"$out.tmp"
mv "$out.tmp" "$out"
