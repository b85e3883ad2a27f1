#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Make sure Debian's u-boot-sifive binary package is unpacked in the
# download cache, and print the directory that holds its boards
# (sifive_unleashed/, sifive_unmatched/: u-boot-spl.bin, u-boot.itb).
#
# HiFive boards boot U-Boot SPL from the SD card; SPL loads a FIT image
# (OpenSBI, the next stage, a device tree) from it. diosix keeps Debian's
# SPL as it is and puts its own FIT beside it. The package is riscv64, an
# official architecture from Debian 13 ("trixie") on, so it comes from
# trixie through apt-source.sh's private apt configuration, which checks
# it against the archive's signed index. A package already in the cache
# is used as it is (newest first), so a warm build needs no network.
set -eu

# shellcheck source=scripts/apt-source.sh
. "$(dirname "$0")/apt-source.sh"

cache=${DIOSIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diosix}/src/u-boot-sifive

cached_dir() {
	# shellcheck disable=SC2012 # Debian's file names: no spaces
	ls -d "$cache"/u-boot-sifive_*/usr/lib/u-boot 2>/dev/null | sort -V | tail -n 1
}

download() {
	rm -rf "$cache.tmp"
	apt_private deb riscv64 "$cache.tmp" trixie -- download u-boot-sifive
	for deb in "$cache.tmp"/u-boot-sifive_*.deb; do
		dpkg-deb -x "$deb" "$cache.tmp/$(basename "$deb" .deb)"
	done
	mkdir -p "$cache"
	mv "$cache.tmp"/u-boot-sifive_*/ "$cache"/
	rm -rf "$cache.tmp"
}

[ -n "$(cached_dir)" ] || download
dir=$(cached_dir)
[ -n "$dir" ] || { echo "fetch-uboot-sifive: no u-boot-sifive in $cache" >&2; exit 1; }
echo "$dir"
