#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Build the Linux guest: scripts/build-linux.sh <xlen> <outdir>
#
# Writes <outdir>/Image (Linux 6.1, rv<xlen>) and <outdir>/initramfs.cpio
# (uncompressed newc cpio), plus System.map and linux.config, vmlinux
# (with DWARF) and linux-gdb.tar (vmlinux-gdb.py and the kernel's gdb
# scripts, for make debug), and the build logs <outdir>/*.log. See guests/linux/README.md.
#
#   kernel     Debian 12's linux-source-6.1, unmodified: `make tinyconfig`,
#              then guests/linux/linux.config and linux-rv<xlen>.config.
#   initramfs  rv64: static busybox from Debian's busybox source package
#              (guests/linux/busybox.config), guests/linux/init.sh as
#              /init and the test program guests/linux/fpstress.c.
#              rv32 (Debian has no rv32 C library): the freestanding
#              guests/linux/init32.c as /init. Packed by the kernel's own
#              usr/gen_init_cpio, so no root is needed.
#
# Both are cached outside the clone, in
#   ${DIOSIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diosix}/linux/
#     image-rv<xlen>-<key>/       Image, System.map, linux.config, linux.log,
#                                 vmlinux, linux-gdb.tar
#     initramfs-rv<xlen>-<key>/   initramfs.cpio, its file list and logs
#     work/                       the unpacked kernel source and build trees
# where <key> hashes everything that goes into them (key.txt in each entry
# lists it). A cache hit only copies files. Builds run under nice -n 19
# with make -j2. As root, missing Debian packages are installed first.
set -eu

usage() {
	echo "usage: scripts/build-linux.sh 64|32 OUTDIR" >&2
	exit 2
}
[ $# -eq 2 ] || usage
xlen=$1
case $xlen in 32 | 64) ;; *) usage ;; esac

# Run from a make recipe, the parent's flags and command-line variables
# (IMAGE=, TARGET=, -j with its jobserver) must not reach the kernel's or
# busybox's make, nor must compiler settings from the environment.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS \
	CC LD CFLAGS CPPFLAGS LDFLAGS ARCH CROSS_COMPILE O KBUILD_OUTPUT || true
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
gl=$top/guests/linux
cross=riscv64-linux-gnu-
jobs=2
tarball=/usr/src/linux-source-6.1.tar.xz
cache=${DIOSIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/diosix}/linux
work=$cache/work
keep=4 # cache entries kept per kind and xlen

mkdir -p "$2" "$work"
out=$(cd "$2" && pwd)

say() { echo "build-linux: rv$xlen: $*"; }
die() {
	echo "build-linux: rv$xlen: $*" >&2
	exit 1
}
case "$cache$out$top" in *[[:space:]]*) die "paths with spaces are not supported: $cache $out $top" ;; esac

# run LOG CMD...: one build step, niced, all its output to LOG.
run() {
	log=$1
	shift
	echo "\$ $*" >>"$log"
	if ! nice -n 19 "$@" >>"$log" 2>&1; then
		echo "build-linux: rv$xlen: FAILED: $*" >&2
		tail -n 30 "$log" >&2
		die "full log: $log"
	fi
}

since() { echo "$(($(date +%s) - $1))s"; }

# --- packages --------------------------------------------------------------

pkgs="linux-source-6.1 gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu
make gcc libc6-dev flex bison bc xz-utils"
[ "$xlen" = 64 ] && pkgs="$pkgs libc6-dev-riscv64-cross dpkg-dev bzip2 patch"
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
[ -f "$tarball" ] || die "$tarball missing (is linux-source-6.1 installed?)"

# --- cache keys -------------------------------------------------------------

lver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
tools="$(${cross}gcc --version | head -n 1); $(${cross}ld --version | head -n 1)"

# key_text NAME FILE...: the key's inputs, each file's name and content.
key_text() {
	echo "$1 rv$xlen"
	echo "linux-source-6.1 $lver $(stat -c %s "$tarball")"
	echo "$tools"
	shift
	for f in "$@"; do
		echo "--- $(basename "$f")"
		cat "$f"
	done
}
key_of() { sha256sum | cut -c1-16; }

kfrags="$gl/linux.config $gl/linux-rv$xlen.config"
# shellcheck disable=SC2086
ktext=$(key_text image "$0" $kfrags)
kdir=$cache/image-rv$xlen-$(echo "$ktext" | key_of)

if [ "$xlen" = 64 ]; then
	dsc=$("$top/scripts/fetch-busybox.sh")
	bver=$(basename "$dsc" .dsc)
	itext=$(key_text initramfs "$0" "$top/scripts/fetch-busybox.sh" "$dsc" \
		"$gl/busybox.config" "$gl/init.sh" "$gl/fpstress.c"
		echo "libc6-dev-riscv64-cross $(dpkg-query -W -f='${Version}' libc6-dev-riscv64-cross)")
else
	itext=$(key_text initramfs "$0" "$gl/init32.c")
fi
idir=$cache/initramfs-rv$xlen-$(echo "$itext" | key_of)

# --- shared helpers ---------------------------------------------------------

# One cold build at a time (2 cores); cache hits never wait.
lock() {
	[ -z "${locked:-}" ] || return 0
	locked=1
	exec 9>"$cache/.lock"
	if ! flock -n 9; then
		say "waiting for another build-linux to finish"
		flock 9
	fi
}

# check_config CONFIG FRAGMENT...: every setting of the fragments is in
# CONFIG ("# CONFIG_X is not set" also holds when X is absent).
check_config() {
	config=$1
	shift
	bad=0
	for frag in "$@"; do
		while read -r line; do
			case $line in
			CONFIG_*) grep -qxF "$line" "$config" || { echo "  wanted $line"; bad=1; } ;;
			"# CONFIG_"*" is not set")
				sym=${line#\# }
				sym=${sym%% *}
				if grep -q "^$sym=" "$config"; then
					echo "  wanted $line, got $(grep "^$sym=" "$config")"
					bad=1
				fi
				;;
			esac
		done <"$frag"
	done
	return $bad
}

# The unpacked kernel source, shared by both xlens (under the lock).
ksrc=$work/linux-source-6.1_$lver
unpack_kernel() {
	[ -f "$ksrc/.diosix-unpacked" ] && return 0
	say "unpacking $tarball ($lver)"
	t0=$(date +%s)
	for old in "$work"/linux-source-6.1_*; do
		[ -e "$old" ] && rm -rf "$old"
	done
	mkdir -p "$ksrc.tmp"
	run "$out/linux.log" tar -xJf "$tarball" -C "$ksrc.tmp" --strip-components=1
	mv "$ksrc.tmp" "$ksrc"
	touch "$ksrc/.diosix-unpacked"
	say "unpacked in $(since "$t0")"
}

# store DIR FILE...: fill a cache entry atomically, drop the oldest ones.
store() {
	dir=$1
	shift
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	cp "$@" "$dir.tmp/"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
	# Entry names are ours: no spaces, so ls -t is safe.
	# shellcheck disable=SC2012
	ls -dt "${dir%-*}"-*[0-9a-f] | tail -n +$((keep + 1)) |
		while read -r stale; do rm -rf "$stale"; done
}

# --- the kernel -------------------------------------------------------------

build_kernel() {
	kobj=$work/linux-obj-rv$xlen
	klog=$out/linux.log
	: >"$klog"
	unpack_kernel
	# An object tree from another source version starts afresh.
	if [ "$(cat "$kobj/.diosix-source" 2>/dev/null)" != "$lver" ]; then
		rm -rf "$kobj"
		mkdir -p "$kobj"
		echo "$lver" >"$kobj/.diosix-source"
	fi
	kmake="make -C $ksrc O=$kobj ARCH=riscv CROSS_COMPILE=$cross
		KBUILD_BUILD_USER=diosix KBUILD_BUILD_HOST=diosix"
	say "configuring Linux $lver: tinyconfig + linux.config linux-rv$xlen.config"
	# shellcheck disable=SC2086
	run "$klog" $kmake tinyconfig
	# shellcheck disable=SC2086
	run "$klog" "$ksrc/scripts/kconfig/merge_config.sh" -m -O "$kobj" "$kobj/.config" $kfrags
	# shellcheck disable=SC2086
	run "$klog" $kmake olddefconfig
	# shellcheck disable=SC2086
	check_config "$kobj/.config" $kfrags >>"$klog" ||
		die "the kernel configuration lost settings of the fragments (see $klog)"
	say "building Linux Image (make -j$jobs, log: $klog)"
	t0=$(date +%s)
	# shellcheck disable=SC2086
	run "$klog" $kmake -j$jobs Image scripts_gdb
	say "built Image in $(since "$t0")"
	cp "$kobj/.config" "$out/linux.config"
	echo "$ktext" >"$out/linux.key.txt"
	# The gdb scripts are symlinks into the source tree plus a generated
	# constants.py: -h packs what they point at.
	run "$klog" tar -C "$kobj" -chf "$out/linux-gdb.tar" vmlinux-gdb.py scripts/gdb
	store "$kdir" "$kobj/arch/riscv/boot/Image" "$kobj/System.map" "$kobj/vmlinux" \
		"$out/linux.config" "$out/linux-gdb.tar" "$klog"
	cp "$out/linux.key.txt" "$kdir/key.txt"
}

# --- the initramfs -------------------------------------------------------------

# The kernel's usr/gen_init_cpio, built for the host once per version.
gen_init_cpio() {
	tool=$cache/tools/gen_init_cpio-$lver
	if [ ! -x "$tool" ]; then
		mkdir -p "$cache/tools"
		if [ -f "$ksrc/.diosix-unpacked" ]; then
			cp "$ksrc/usr/gen_init_cpio.c" "$tool.c"
		else
			tar -xJf "$tarball" -O linux-source-6.1/usr/gen_init_cpio.c >"$tool.c"
		fi
		run "$ilog" gcc -O2 -o "$tool.tmp" "$tool.c"
		mv "$tool.tmp" "$tool"
		rm -f "$tool.c"
	fi
	echo "$tool"
}

build_busybox() {
	bb=$work/busybox-rv64
	blog=$out/busybox.log
	: >"$blog"
	say "unpacking $bver"
	rm -rf "$bb"
	run "$blog" dpkg-source -x "$dsc" "$bb"
	say "configuring busybox: allnoconfig + busybox.config"
	run "$blog" make -C "$bb" allnoconfig
	# Replace each symbol the fragment names, then let oldconfig settle
	# what depends on them (busybox's allnoconfig ignores KCONFIG_ALLCONFIG).
	awk 'NR == FNR { if (/^CONFIG_/) { k = $0; sub(/=.*/, "", k); want[k] = $0; order[++n] = k } next }
		{ k = $0
		  if (k ~ /^# CONFIG_.* is not set$/) k = $2; else sub(/=.*/, "", k)
		  if (!(k in want)) print }
		END { for (i = 1; i <= n; i++) print want[order[i]] }' \
		"$gl/busybox.config" "$bb/.config" >"$bb/.config.new"
	mv "$bb/.config.new" "$bb/.config"
	run "$blog" sh -c "yes '' | make -C '$bb' oldconfig"
	check_config "$bb/.config" "$gl/busybox.config" >>"$blog" ||
		die "the busybox configuration lost settings of busybox.config (see $blog)"
	say "building busybox (static, make -j$jobs, log: $blog)"
	t0=$(date +%s)
	run "$blog" make -C "$bb" -j$jobs CROSS_COMPILE=$cross busybox busybox.links
	say "built busybox in $(since "$t0")"
}

# Test programs of the rv64 initramfs, static against Debian's riscv64 glibc.
build_tools64() {
	blog=$out/tools.log
	: >"$blog"
	say "building /bin/fpstress"
	mkdir -p "$work/tools64"
	run "$blog" ${cross}gcc -static -O2 -std=gnu11 -Wall -Wextra -Werror \
		-o "$work/tools64/fpstress" "$gl/fpstress.c"
}

build_init32() {
	blog=$out/init32.log
	: >"$blog"
	say "building the freestanding rv32 /init (init32.c)"
	mkdir -p "$work/init32"
	run "$blog" ${cross}gcc -march=rv32imac -mabi=ilp32 -Os -std=gnu11 \
		-Wall -Wextra -Werror -ffreestanding -fno-builtin -fno-stack-protector \
		-fno-pie -no-pie -fno-tree-loop-distribute-patterns \
		-fno-asynchronous-unwind-tables -nostdlib -static -s -Wl,--build-id=none \
		-o "$work/init32/init" "$gl/init32.c"
}

build_initramfs() {
	ilog=$out/initramfs.log
	: >"$ilog"
	list=$out/initramfs.list
	if [ "$xlen" = 64 ]; then
		build_busybox
		build_tools64
		logs="$out/busybox.log $out/tools.log"
	else
		build_init32
		logs="$out/init32.log"
	fi
	say "packing initramfs.cpio (usr/gen_init_cpio)"
	tool=$(gen_init_cpio)
	{
		echo "dir /dev 0755 0 0"
		echo "nod /dev/console 0600 0 0 c 5 1"
		echo "dir /proc 0755 0 0"
		echo "dir /sys 0755 0 0"
		echo "dir /root 0700 0 0"
		echo "dir /tmp 1777 0 0"
		if [ "$xlen" = 64 ]; then
			echo "dir /bin 0755 0 0"
			echo "dir /sbin 0755 0 0"
			echo "file /bin/busybox $bb/busybox 0755 0 0"
			grep -vx /bin/busybox "$bb/busybox.links" | sed 's|.*|slink & /bin/busybox 0777 0 0|'
			echo "file /init $gl/init.sh 0755 0 0"
			echo "file /bin/fpstress $work/tools64/fpstress 0755 0 0"
		else
			echo "file /init $work/init32/init 0755 0 0"
		fi
	} >"$list"
	# -t: one fixed mtime, so the archive depends only on its contents.
	echo "\$ $tool -t 0 $list" >>"$ilog"
	"$tool" -t 0 "$list" >"$out/initramfs.cpio.tmp" 2>>"$ilog" ||
		die "gen_init_cpio failed (see $ilog)"
	mv "$out/initramfs.cpio.tmp" "$out/initramfs.cpio"
	echo "$itext" >"$out/initramfs.key.txt"
	# shellcheck disable=SC2086
	store "$idir" "$out/initramfs.cpio" "$list" "$ilog" $logs
	cp "$out/initramfs.key.txt" "$idir/key.txt"
}

# --- main -------------------------------------------------------------------

t_all=$(date +%s)
# copy_out DIR FILE: FILE of a cache entry into $out, replaced atomically;
# left alone (with its mtime, for make) when it is already the same.
copy_out() {
	cmp -s "$1/$2" "$out/$2" && return 0
	cp "$1/$2" "$out/$2.tmp"
	mv "$out/$2.tmp" "$out/$2"
}

if [ -f "$kdir/Image" ]; then
	say "Image: cached ($(basename "$kdir"))"
else
	lock
	[ -f "$kdir/Image" ] || build_kernel
fi
for f in Image System.map linux.config linux.log vmlinux linux-gdb.tar; do copy_out "$kdir" "$f"; done
cp "$kdir/key.txt" "$out/linux.key.txt"

if [ -f "$idir/initramfs.cpio" ]; then
	say "initramfs.cpio: cached ($(basename "$idir"))"
else
	lock
	[ -f "$idir/initramfs.cpio" ] || build_initramfs
fi
for f in "$idir"/*; do
	case ${f##*/} in key.txt) continue ;; esac
	copy_out "$idir" "${f##*/}"
done
cp "$idir/key.txt" "$out/initramfs.key.txt"

say "done in $(since "$t_all"): $out/Image ($(stat -c %s "$out/Image") bytes)," \
	"$out/initramfs.cpio ($(stat -c %s "$out/initramfs.cpio") bytes)"
