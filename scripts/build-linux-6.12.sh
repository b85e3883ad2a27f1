#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Build the Linux 6.12 guest (rv64 only):
#   scripts/build-linux-6.12.sh OUTDIR BASE_INITRAMFS
#
# Writes OUTDIR/Image-6.12 and OUTDIR/initramfs-6.12.cpio, plus
# System.map-6.12, linux-6.12.config and the build logs OUTDIR/*-6.12.log.
# See guests/linux/README.md ("Linux 6.12").
#
#   kernel     Debian's linux-source-6.12 (a bookworm security backport),
#              unmodified: `make tinyconfig`, then
#              guests/linux/linux-6.12.config. No debug info: a small,
#              quick build.
#   perf       tools/perf of the same source tree, static against
#              Debian's riscv64 glibc, every optional library left out.
#   initramfs  BASE_INITRAMFS (the 6.1 guest's rv64 initramfs.cpio, from
#              scripts/build-linux.sh: busybox and its /init) followed by
#              a second cpio archive holding /bin/perf and /bin/steal
#              (guests/linux/steal.c). The kernel unpacks concatenated
#              archives one after the other.
#
# Each is cached like the 6.1 guest's, in
#   ${DIOSIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diosix}/linux/
#     image612-rv64-<key>/  perf612-rv64-<key>/  initramfs612-rv64-<key>/
# and built under the same lock (work/ holds the source and object
# trees). This script is separate from build-linux.sh so that the 6.1
# guest's cache keys, which hash that script, stay as they are.
set -eu

usage() {
	echo "usage: scripts/build-linux-6.12.sh OUTDIR BASE_INITRAMFS" >&2
	exit 2
}
[ $# -eq 2 ] || usage

unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS \
	CC LD CFLAGS CPPFLAGS LDFLAGS ARCH CROSS_COMPILE O KBUILD_OUTPUT || true
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
gl=$top/guests/linux
cross=riscv64-linux-gnu-
jobs=2
pkg=linux-source-6.12
tarball=/usr/src/$pkg.tar.xz
cache=${DIOSIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diosix}/linux
work=$cache/work
keep=2 # cache entries kept per kind
frag=$gl/linux-6.12.config

# perf without any optional library: no libelf, libtraceevent, libdw,
# python, perl, ... (none has a static riscv64 build in Debian), and
# pkg-config pointed at an empty directory so that no host library leaks
# in. What is left counts hardware and software events: `perf stat`.
perf_flags="LDFLAGS=-static WERROR=0 NO_LIBELF=1 NO_LIBTRACEEVENT=1 NO_JEVENTS=1
NO_LIBPYTHON=1 NO_LIBPERL=1 NO_SLANG=1 NO_GTK2=1 NO_LIBUNWIND=1
NO_LIBDW_DWARF_UNWIND=1 NO_DWARF=1 NO_LIBNUMA=1 NO_LIBAUDIT=1 NO_LIBCRYPTO=1
NO_LIBBPF=1 NO_LIBCAP=1 NO_LIBBABELTRACE=1 NO_CAPSTONE=1 NO_LZMA=1 NO_ZLIB=1
NO_LIBZSTD=1 NO_LIBPFM4=1 NO_LIBDEBUGINFOD=1 NO_SDT=1 NO_DEMANGLE=1
NO_BACKTRACE=1 NO_JVMTI=1 NO_AUXTRACE=1 NO_LIBLLVM=1 NO_SHELLCHECK=1"

mkdir -p "$1" "$work"
out=$(cd "$1" && pwd)
base=$2

say() { echo "build-linux-6.12: $*"; }
die() {
	echo "build-linux-6.12: $*" >&2
	exit 1
}
case "$cache$out$top" in *[[:space:]]*) die "paths with spaces are not supported: $cache $out $top" ;; esac
[ -f "$base" ] || die "$base missing (the 6.1 guest's rv64 initramfs: scripts/build-linux.sh 64 DIR)"

run() {
	log=$1
	shift
	echo "\$ $*" >>"$log"
	if ! nice -n 19 "$@" >>"$log" 2>&1; then
		echo "build-linux-6.12: FAILED: $*" >&2
		tail -n 30 "$log" >&2
		die "full log: $log"
	fi
}

since() { echo "$(($(date +%s) - $1))s"; }

# --- packages ------------------------------------------------------------------

pkgs="$pkg gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
make gcc libc6-dev flex bison bc xz-utils"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || die "missing Debian packages:$missing (run as root, or install them)"
	say "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
[ -f "$tarball" ] || die "$tarball missing (is $pkg installed?)"

# --- cache keys ------------------------------------------------------------------

lver=$(dpkg-query -W -f='${Version}' $pkg)
tools="$(${cross}gcc --version | head -n 1); $(${cross}ld --version | head -n 1)"
libc="libc6-dev-riscv64-cross $(dpkg-query -W -f='${Version}' libc6-dev-riscv64-cross)"

# key_text NAME FILE...: the key's inputs, each file's name and content.
key_text() {
	echo "$1 rv64"
	echo "$pkg $lver $(stat -c %s "$tarball")"
	echo "$tools"
	shift
	for f in "$@"; do
		echo "--- $(basename "$f")"
		cat "$f"
	done
}
key_of() { sha256sum | cut -c1-16; }

ktext=$(key_text image612 "$0" "$frag")
kdir=$cache/image612-rv64-$(echo "$ktext" | key_of)
ptext=$(key_text perf612 "$0"
	echo "$libc")
pdir=$cache/perf612-rv64-$(echo "$ptext" | key_of)
itext=$(key_text initramfs612 "$0" "$gl/steal.c"
	echo "$libc"
	echo "perf $(echo "$ptext" | key_of)"
	echo "base $(sha256sum <"$base" | cut -c1-16)")
idir=$cache/initramfs612-rv64-$(echo "$itext" | key_of)

# --- shared helpers --------------------------------------------------------------

# One cold build at a time (the same lock as build-linux.sh's).
lock() {
	[ -z "${locked:-}" ] || return 0
	locked=1
	exec 9>"$cache/.lock"
	if ! flock -n 9; then
		say "waiting for another build-linux to finish"
		flock 9
	fi
}

ksrc=$work/${pkg}_$lver
unpack() {
	[ -f "$ksrc/.diosix-unpacked" ] && return 0
	say "unpacking $tarball ($lver)"
	t0=$(date +%s)
	for old in "$work/${pkg}_"*; do
		[ -e "$old" ] && rm -rf "$old"
	done
	mkdir -p "$ksrc.tmp"
	run "$1" tar -xJf "$tarball" -C "$ksrc.tmp" --strip-components=1
	mv "$ksrc.tmp" "$ksrc"
	touch "$ksrc/.diosix-unpacked"
	say "unpacked in $(since "$t0")"
}

# start_build LOG OBJDIR: an empty LOG, the source unpacked, and the
# object tree emptied when it was built from another source version.
start_build() {
	: >"$1"
	unpack "$1"
	if [ "$(cat "$2/.diosix-source" 2>/dev/null)" != "$lver" ]; then
		rm -rf "$2"
		mkdir -p "$2"
		echo "$lver" >"$2/.diosix-source"
	fi
}

# store DIR KEYTEXT FILE...: fill a cache entry atomically, drop the
# oldest ones of its kind.
store() {
	dir=$1
	text=$2
	shift 2
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	cp "$@" "$dir.tmp/"
	echo "$text" >"$dir.tmp/key.txt"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
	# Entry names are ours: no spaces, so ls -t is safe.
	# shellcheck disable=SC2012
	ls -dt "${dir%-*}"-*[0-9a-f] | tail -n +$((keep + 1)) |
		while read -r stale; do rm -rf "$stale"; done
}

# check_config CONFIG FRAGMENT: every setting of the fragment is in CONFIG.
check_config() {
	bad=0
	while read -r line; do
		case $line in
		CONFIG_*) grep -qxF "$line" "$1" || { echo "  wanted $line"; bad=1; } ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -q "^$sym=" "$1"; then
				echo "  wanted $line, got $(grep "^$sym=" "$1")"
				bad=1
			fi
			;;
		esac
	done <"$2"
	return $bad
}

# --- the kernel ------------------------------------------------------------------

build_kernel() {
	kobj=$work/linux612-obj-rv64
	klog=$out/linux-6.12.log
	start_build "$klog" "$kobj"
	kmake="make -C $ksrc O=$kobj ARCH=riscv CROSS_COMPILE=$cross
		KBUILD_BUILD_USER=diosix KBUILD_BUILD_HOST=diosix"
	say "configuring Linux $lver: tinyconfig + linux-6.12.config"
	# shellcheck disable=SC2086
	run "$klog" $kmake tinyconfig
	run "$klog" "$ksrc/scripts/kconfig/merge_config.sh" -m -O "$kobj" "$kobj/.config" "$frag"
	# shellcheck disable=SC2086
	run "$klog" $kmake olddefconfig
	check_config "$kobj/.config" "$frag" >>"$klog" ||
		die "the kernel configuration lost settings of linux-6.12.config (see $klog)"
	say "building Linux Image (make -j$jobs, log: $klog)"
	t0=$(date +%s)
	# shellcheck disable=SC2086
	run "$klog" $kmake -j$jobs Image
	say "built Image in $(since "$t0")"
	cp "$kobj/arch/riscv/boot/Image" "$out/Image-6.12"
	cp "$kobj/System.map" "$out/System.map-6.12"
	cp "$kobj/.config" "$out/linux-6.12.config"
	store "$kdir" "$ktext" "$out/Image-6.12" "$out/System.map-6.12" \
		"$out/linux-6.12.config" "$klog"
}

# --- perf --------------------------------------------------------------------------

build_perf() {
	pobj=$work/perf612-obj-rv64
	plog=$out/perf-6.12.log
	start_build "$plog" "$pobj"
	mkdir -p "$work/no-pkgconfig"
	say "building static perf (make -j$jobs, log: $plog)"
	t0=$(date +%s)
	# shellcheck disable=SC2086
	run "$plog" env PKG_CONFIG_LIBDIR="$work/no-pkgconfig" PKG_CONFIG_PATH= \
		make -C "$ksrc/tools/perf" O="$pobj" ARCH=riscv CROSS_COMPILE=$cross \
		-j$jobs $perf_flags perf
	run "$plog" ${cross}strip -o "$out/perf-6.12" "$pobj/perf"
	say "built perf in $(since "$t0")"
	store "$pdir" "$ptext" "$out/perf-6.12" "$plog"
}

# --- the initramfs -------------------------------------------------------------------

build_initramfs() {
	ilog=$out/initramfs-6.12.log
	: >"$ilog"
	tdir=$work/tools612
	mkdir -p "$tdir"
	say "building /bin/steal"
	run "$ilog" ${cross}gcc -static -O2 -std=gnu11 -Wall -Wextra -Werror \
		-o "$tdir/steal" "$gl/steal.c"
	# The kernel's usr/gen_init_cpio, for the host, from the same tree.
	unpack "$ilog"
	run "$ilog" gcc -O2 -o "$tdir/gen_init_cpio" "$ksrc/usr/gen_init_cpio.c"
	list=$out/initramfs-6.12.list
	{
		echo "file /bin/perf $pdir/perf-6.12 0755 0 0"
		echo "file /bin/steal $tdir/steal 0755 0 0"
	} >"$list"
	say "packing initramfs-6.12.cpio: $(basename "$base") + perf, steal"
	# -t: one fixed mtime, so the archive depends only on its contents.
	echo "\$ gen_init_cpio -t 0 $list" >>"$ilog"
	"$tdir/gen_init_cpio" -t 0 "$list" >"$out/extra-6.12.cpio" 2>>"$ilog" ||
		die "gen_init_cpio failed (see $ilog)"
	cat "$base" "$out/extra-6.12.cpio" >"$out/initramfs-6.12.cpio"
	rm -f "$out/extra-6.12.cpio"
	store "$idir" "$itext" "$out/initramfs-6.12.cpio" "$list" "$ilog"
}

# --- main ------------------------------------------------------------------------------

t_all=$(date +%s)
# copy_out DIR FILE: FILE of a cache entry into $out, replaced atomically;
# left alone (with its mtime, for make) when it is already the same.
copy_out() {
	cmp -s "$1/$2" "$out/$2" && return 0
	cp "$1/$2" "$out/$2.tmp"
	mv "$out/$2.tmp" "$out/$2"
}

# cached DIR FILE BUILDER: run BUILDER (under the lock) unless DIR holds FILE.
cached() {
	if [ -f "$1/$2" ]; then
		say "$2: cached ($(basename "$1"))"
		return 0
	fi
	lock
	[ -f "$1/$2" ] || "$3"
}

cached "$kdir" Image-6.12 build_kernel
for f in Image-6.12 System.map-6.12 linux-6.12.config linux-6.12.log; do copy_out "$kdir" "$f"; done
cached "$pdir" perf-6.12 build_perf
cached "$idir" initramfs-6.12.cpio build_initramfs
copy_out "$idir" initramfs-6.12.cpio

say "done in $(since "$t_all"): $out/Image-6.12 ($(stat -c %s "$out/Image-6.12") bytes)," \
	"$out/initramfs-6.12.cpio ($(stat -c %s "$out/initramfs-6.12.cpio") bytes)"
