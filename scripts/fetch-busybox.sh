#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Make sure Debian's busybox source package (the one of this machine's own
# Debian release) is in the download cache, and print the path of its
# .dsc. Unpack it with `dpkg-source -x <dsc> <dir>` (Debian's patches
# applied).
#
# A source package already in the cache is used as it is (newest version
# first), so a warm build needs no network. Otherwise it is fetched with
# `apt-get source` through apt-source.sh's private apt configuration, with
# deb-src lines for the suites this machine already uses (not -security or
# -backports). The machine's apt sources are never edited.
set -eu

# shellcheck source=scripts/apt-source.sh
. "$(dirname "$0")/apt-source.sh"

cache=${DIOSIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diosix}/src/busybox

cached_dsc() {
	# shellcheck disable=SC2012 # Debian's file names: no spaces
	ls "$cache"/busybox_*.dsc 2>/dev/null | sort -V | tail -n 1
}

download() {
	# shellcheck disable=SC2046 # one word per suite
	apt_private deb-src - "$cache.tmp" $(apt_archive_suites | cut -d ' ' -f 2) -- \
		source --download-only busybox
	mkdir -p "$cache"
	mv "$cache.tmp"/busybox_* "$cache"/
	rm -rf "$cache.tmp"
}

[ -n "$(cached_dsc)" ] || download
dsc=$(cached_dsc)
[ -n "$dsc" ] || { echo "fetch-busybox: no busybox source package in $cache" >&2; exit 1; }
echo "$dsc"
