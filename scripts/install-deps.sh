#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Install the Debian packages the build and the tests need, skipping the
# ones already there. Runs as root on a fresh Debian 12 machine; elsewhere
# it only reports what is missing.
set -eu

pkgs="gcc-riscv64-linux-gnu libc6-dev-riscv64-cross binutils-riscv64-linux-gnu
qemu-system-misc device-tree-compiler libfdt-dev python3 xz-utils e2fsprogs
linux-source-6.1 linux-source-6.12 flex bison bc dpkg-dev util-linux
ca-certificates apt-utils u-boot-tools fdisk gdb-multiarch python3-pyte"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing Debian packages:$missing (run as root, or install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
