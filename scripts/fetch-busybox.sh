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
# `apt-get source` through a private apt configuration, like
# fetch-opensbi.sh: its own sources list, state and cache directories.
# The machine's apt sources are never edited. The deb-src lines name the
# archive and the suites this machine already uses, read from
# /etc/apt/sources.list.d/*.sources (deb822) or sources.list (one-line
# format), leaving out -security.
set -eu

cache=${DIOSIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diosix}/src/busybox

cached_dsc() {
	# shellcheck disable=SC2012 # Debian's file names: no spaces
	ls "$cache"/busybox_*.dsc 2>/dev/null | sort -V | tail -n 1
}

# "URI SUITE" lines for the machine's main archive (not -security).
archive_suites() {
	lines=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
		BEGIN { RS = ""; FS = "\n" }
		{
			uris = ""; suites = ""; types = ""
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^[ \t]*#/) continue
				n = index($i, ":"); if (!n) continue
				k = tolower(substr($i, 1, n - 1)); v = substr($i, n + 1)
				if (k == "uris") uris = v
				else if (k == "suites") suites = v
				else if (k == "types") types = v
			}
			if (types !~ /deb/) next
			nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
			for (a = 1; a <= nu; a++) for (b = 1; b <= ns; b++)
				if (u[a] != "" && s[b] != "" && u[a] !~ /-security/ &&
				    s[b] !~ /-security|-backports/)
					print u[a], s[b]
		}')
	if [ -z "$lines" ]; then
		lines=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '
			$1 == "deb" || $1 == "deb-src" {
				for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) {
					if ($i !~ /-security/ && $(i + 1) !~ /-security|-backports/)
						print $i, $(i + 1)
					break
				}
			}')
	fi
	[ -n "$lines" ] || { echo "fetch-busybox: no Debian archive found in /etc/apt" >&2; exit 1; }
	echo "$lines" | sort -u
}

download() {
	apt_dir=$(mktemp -d)
	trap 'rm -rf "$apt_dir"' EXIT
	mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" \
		"$apt_dir/etc/preferences.d"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	archive_suites | while read -r uri suite; do
		echo "deb-src [signed-by=$keyring] ${uri%/} $suite main"
	done >"$apt_dir/etc/sources.list"
	set -- -o Dir::Etc::SourceList="$apt_dir/etc/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::PreferencesParts="$apt_dir/etc/preferences.d" \
		-o Dir::State="$apt_dir/state" \
		-o Dir::State::Status=/var/lib/dpkg/status \
		-o Dir::Cache="$apt_dir/cache" \
		-o APT::Sandbox::User=root
	echo "fetch-busybox: apt-get source busybox (private apt config:" \
		"$(awk '{ printf "%s%s", sep, $4; sep = " " }' "$apt_dir/etc/sources.list"))" >&2
	apt-get -qq "$@" update >&2
	mkdir -p "$cache.tmp"
	(cd "$cache.tmp" && apt-get -qq "$@" source --download-only busybox >&2)
	mkdir -p "$cache"
	mv "$cache.tmp"/busybox_* "$cache"/
	rm -rf "$cache.tmp"
}

[ -n "$(cached_dsc)" ] || download
dsc=$(cached_dsc)
[ -n "$dsc" ] || { echo "fetch-busybox: no busybox source package in $cache" >&2; exit 1; }
echo "$dsc"
