#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Fetch upstream OpenSBI 1.6 from Debian's source archive and unpack it
# into $1 (normally opensbi/). The tarball is the opensbi_1.6.orig.tar.gz
# of Debian 13's opensbi 1.6-1 source package; we verify its sha256.
#
# The machine's own apt sources are never edited: apt-source.sh fetches
# it through a private apt configuration that points at the archive the
# machine already uses, with a deb-src line for Debian 13 ("trixie"),
# which is where opensbi 1.6 lives.
set -eu

# shellcheck source=scripts/apt-source.sh
. "$(dirname "$0")/apt-source.sh"

dest=${1:?usage: fetch-opensbi.sh DESTDIR}
version=1.6
debver=1.6-1
sha=d11702103f177a2914e94eec57ce5ed820296d874f6b6525c4482e55d71a3667
tarball=opensbi_${version}.orig.tar.gz
cache=${DIOSIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diosix}/src

have_tarball() {
	[ -f "$cache/$tarball" ] &&
		echo "$sha  $cache/$tarball" | sha256sum -c --status
}

download() {
	apt_private deb-src - "$cache" trixie -- source --tar-only --download-only "opensbi=$debver"
}

have_tarball || download
if ! have_tarball; then
	echo "fetch-opensbi: $tarball missing or its sha256 is not $sha" >&2
	exit 1
fi

rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xzf "$cache/$tarball" -C "$dest.tmp" --strip-components=1
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "$version" >"$dest/.diosix-fetched"
