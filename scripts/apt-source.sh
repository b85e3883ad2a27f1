# shellcheck shell=sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Sourced by the fetch-*.sh scripts: Debian packages, source or binary,
# through a private apt configuration, so that the machine's own apt
# sources are never edited. The configuration has its own sources list,
# state and cache directories; its lines name the archive this machine
# already uses, read from /etc/apt (deb822 .sources files first, then the
# one-line format), never a host name of ours.

# "URI SUITE" lines of the machine's main archive (not -security or
# -backports), one per suite, on stdout.
apt_archive_suites() {
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
	[ -n "$lines" ] || { echo "apt-source: no Debian archive found in /etc/apt" >&2; return 1; }
	echo "$lines" | awk '{ sub(/\/$/, "", $1); print }' | sort -u
}

# apt_private TYPE ARCH DIR SUITE... -- ARGS...: run `apt-get ARGS` in DIR
# with a private configuration whose sources list has a TYPE line ("deb"
# or "deb-src") for each SUITE (main), on the machine's archive. ARCH: the
# architecture of binary packages ("-": the machine's own). Its output
# goes to stderr.
apt_private() {
	type=$1 arch=$2 dir=$3
	shift 3
	uri=$(apt_archive_suites | head -n 1 | cut -d ' ' -f 1) || return 1
	apt_dir=$(mktemp -d)
	# shellcheck disable=SC2064 # expand now: the trap outlives this function
	trap "rm -rf '$apt_dir'" EXIT
	mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" \
		"$apt_dir/etc/preferences.d"
	opts="-o Dir::State::Status=/var/lib/dpkg/status"
	attrs="signed-by=/usr/share/keyrings/debian-archive-keyring.gpg"
	if [ "$arch" != - ]; then
		# A foreign architecture: nothing of it is installed here.
		opts="-o APT::Architecture=$arch -o APT::Architectures=$arch
			-o Dir::State::Status=/dev/null"
		attrs="arch=$arch $attrs"
	fi
	while [ "$1" != -- ]; do
		echo "$type [$attrs] $uri $1 main"
		shift
	done >"$apt_dir/etc/sources.list"
	shift
	echo "apt-source: apt-get $* (private apt config:" \
		"$(awk '{ printf "%s%s", sep, $(NF - 1); sep = " " }' "$apt_dir/etc/sources.list"))" >&2
	opts="$opts -o Dir::Etc::SourceList=$apt_dir/etc/sources.list
		-o Dir::Etc::SourceParts=/dev/null
		-o Dir::Etc::PreferencesParts=$apt_dir/etc/preferences.d
		-o Dir::State=$apt_dir/state
		-o Dir::Cache=$apt_dir/cache
		-o APT::Sandbox::User=root"
	# shellcheck disable=SC2086 # $opts splits on purpose: mktemp paths have no spaces
	apt-get -qq $opts update >&2 &&
		mkdir -p "$dir" &&
		(cd "$dir" && apt-get -qq $opts "$@" >&2)
}
