#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Fetch upstream OpenSBI 1.6 from Debian's source archive and unpack it
# into $1 (normally opensbi/). The tarball is the opensbi_1.6.orig.tar.gz
# of Debian 13's opensbi 1.6-1 source package; we verify its sha256.
#
# The machine's own apt sources are never edited: a private apt
# configuration (its own sources list, state and cache directories)
# points at the same archive the machine already uses, with the deb-src
# line for Debian 13 ("trixie"), which is where opensbi 1.6 lives.
set -eu

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

# The archive's URL, from the machine's own apt configuration (deb822
# .sources files first, then the one-line format).
archive_url() {
	url=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' |
		grep -v -- '-security' | head -n 1)
	if [ -z "$url" ]; then
		url=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk '$1 == "deb" || $1 == "deb-src" {
				for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } }' |
			grep -v -- '-security' | head -n 1)
	fi
	[ -n "$url" ] || { echo "fetch-opensbi: no Debian archive found in /etc/apt" >&2; exit 1; }
	echo "${url%/}"
}

download() {
	apt_dir=$(mktemp -d)
	trap 'rm -rf "$apt_dir"' EXIT
	mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc/preferences.d"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	cat >"$apt_dir/etc/sources.list" <<SRC
deb-src [signed-by=$keyring] $(archive_url) trixie main
SRC
	set -- -o Dir::Etc::SourceList="$apt_dir/etc/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::PreferencesParts="$apt_dir/etc/preferences.d" \
		-o Dir::State="$apt_dir/state" \
		-o Dir::State::Status=/var/lib/dpkg/status \
		-o Dir::Cache="$apt_dir/cache" \
		-o APT::Sandbox::User=root
	echo "fetch-opensbi: apt-get source opensbi=$debver (private apt config)"
	apt-get -qq "$@" update
	mkdir -p "$cache"
	(cd "$cache" && apt-get -qq "$@" source --tar-only --download-only "opensbi=$debver")
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
