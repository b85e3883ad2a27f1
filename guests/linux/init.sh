#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# /init of the rv64 Linux guest, run by busybox sh as PID 1.
#
# Mounts proc, sysfs and devtmpfs, sets the hostname from
# diosix.hostname=<name> on the kernel command line (default "linux"),
# prints "<hostname> up: <N> cpus, <M> MiB" (N = online CPUs, M = MemTotal
# in MiB rounded down), then "<hostname> booted in <S> s" (the kernel's
# uptime, which make bench compares with stock OpenSBI's), brings up a
# virtio network card (eth0, by DHCP: "<hostname> net: eth0
# <ip>/<bits>") and mounts a virtio disk on /mnt
# ("<hostname> disk: /dev/vda on /mnt") if the container owns them, and
# runs a shell on hvc0, started again whenever it exits. `poweroff -f` / `reboot -f` in that shell end in SBI SRST;
# plain `poweroff`, `reboot` and `halt` signal PID 1 (busybox's
# convention), which does the same.
export PATH=/sbin:/bin HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

host=linux
for arg in $(cat /proc/cmdline); do
	case $arg in
	diosix.hostname=?*) host=${arg#diosix.hostname=} ;;
	esac
done
hostname "$host"

# /sys/devices/system/cpu/online is a list of ranges, e.g. "0-1" or "0,2-3".
cpus=0
read -r online </sys/devices/system/cpu/online
saved_ifs=$IFS
IFS=,
for range in $online; do
	case $range in
	*-*) cpus=$((cpus + ${range#*-} - ${range%-*} + 1)) ;;
	*) cpus=$((cpus + 1)) ;;
	esac
done
IFS=$saved_ifs

mib=0
while read -r key kib _; do
	if [ "$key" = MemTotal: ]; then
		mib=$((kib / 1024))
		break
	fi
done </proc/meminfo

echo "$host up: $cpus cpus, $mib MiB"
read -r uptime _ </proc/uptime
echo "$host booted in $uptime s"

# From here on the console is the shell's: the kernel's notices (a link
# coming up, say) go to dmesg only, not into the middle of a command
# line; errors and worse still print.
dmesg -n 4

# Devices the container owns (docs/devices.md). A virtio network card:
# up with DHCP from QEMU's user network (udhcpc runs the script below on
# a lease, which says what it got). A virtio disk: mounted on /mnt.
if [ -e /sys/class/net/eth0 ]; then
	mkdir -p /usr/share/udhcpc
	# busybox has no chmod here: a copy of this (executable) file, then
	# new contents, gives an executable script.
	cp /init /usr/share/udhcpc/default.script
	cat >/usr/share/udhcpc/default.script <<'EOS'
#!/bin/sh
case $1 in
deconfig)
	ip addr flush dev "$interface"
	ip link set "$interface" up
	;;
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	if [ -n "$router" ]; then
		ip route add default via "${router%% *}" dev "$interface"
	fi
	echo "$(hostname) net: $interface $ip/${mask:-24}" >/dev/console
	;;
esac
EOS
	ip link set lo up
	udhcpc -i eth0 -n -q -t 5 >/dev/null 2>&1 || echo "$host net: eth0 has no lease"
fi
if [ -b /dev/vda ]; then
	mkdir -p /mnt
	if mount -t ext2 /dev/vda /mnt; then
		echo "$host disk: /dev/vda on /mnt"
	else
		echo "$host disk: /dev/vda does not mount"
	fi
fi

# busybox halt/poweroff/reboot without -f signal PID 1.
trap 'exec halt -f' USR1
trap 'exec poweroff -f' USR2
trap 'exec reboot -f' TERM

# The shell: a session of its own with hvc0 as its controlling terminal
# (opening the tty as session leader makes it so), so job control and ^C
# work. PID 1 only waits, which lets the traps above run at once.
export PS1='\h:\w\$ '
(
	while :; do
		setsid sh -c 'exec sh <>/dev/hvc0 >&0 2>&1'
		sleep 1
	done
) &
while :; do
	wait
done
