#!/usr/bin/env bash
# Make the arm64 guest's whole userland, an initramfs: busybox and bash for
# arm64, the shared libraries and ld.so the given programs need, the kernel
# modules that mount the results share (virtio-9p over virtio-mmio) and the
# NVMe driver (the workloads' disk), decompressed under /lib/modules with a
# modules.dep so that busybox's modprobe loads them, the given files at the
# same paths, and /init.  Run inside the arm64 lab root (lab/arm64/boot.sh
# does), where the arm64 libraries are installed.
#
# /init mounts /proc, /sys, /dev, debugfs and tracefs, mounts the 9p share
# tagged "dmabench" at /out, runs SCRIPT with its output on the console,
# writes its exit status to /out/STATUS and powers the guest off.  The NVMe
# driver is left for the script to load (lab/guest-workloads.sh does, with
# its options).
#
# Usage: initramfs.sh OUT.cpio.gz RELEASE SCRIPT STATUS FILE...
set -euo pipefail

out=$1 release=$2 script=$3 status=$4
shift 4
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mods=/usr/lib/modules/$release

mkdir -p "$tree"/{bin,sbin,usr/bin,usr/sbin,lib/aarch64-linux-gnu,proc,sys,dev,tmp,run,out,root}
cp /bin/busybox "$tree/bin/busybox"
ln -s busybox "$tree/bin/sh"
cp /opt/arm64/bash/usr/bin/bash "$tree/bin/bash"
ln -s /bin/bash "$tree/usr/bin/bash"

# The files, at their own paths.
for f in "$@"; do
	mkdir -p "$tree$(dirname "$f")"
	cp -a "$f" "$tree$f"
done

# Shared libraries: NEEDED entries, recursively, from the multiarch dirs.
declare -A seen=()
needed() { aarch64-linux-gnu-readelf -d "$1" 2>/dev/null |
	sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }
queue=("$tree/bin/bash")
for f in "$@"; do
	file -b "$f" | grep -q 'ELF 64-bit.*aarch64.*dynamic' && queue+=("$f")
done
while [ ${#queue[@]} -gt 0 ]; do
	elf=${queue[0]}
	queue=("${queue[@]:1}")
	for lib in $(needed "$elf"); do
		[ -n "${seen[$lib]:-}" ] && continue
		seen[$lib]=1
		src=
		for d in /usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu; do
			[ -e "$d/$lib" ] && { src=$d/$lib; break; }
		done
		[ -n "$src" ] || { echo "initramfs: no arm64 $lib (for $elf)" >&2; exit 1; }
		cp -L "$src" "$tree/lib/aarch64-linux-gnu/$lib"
		queue+=("$src")
	done
done
cp -L /usr/lib/ld-linux-aarch64.so.1 "$tree/lib/ld-linux-aarch64.so.1"

# Modules, with their dependencies, decompressed at their paths with their
# lines of modules.dep (busybox's modprobe reads it); the 9p share's in
# load order for /init.
kmods=$tree/lib/modules/$release
mkdir -p "$kmods"
declare -A loaded=()
order=()
dep_line() { grep -E "(^|/)$1\.ko(\.[a-z]+)?:" "$mods/modules.dep" | head -n 1; }
load() {
	local name=${1//-/_} line path d deps
	[ -n "${loaded[$name]:-}" ] && return 0
	loaded[$name]=1
	line=$(dep_line "$name" || true)
	if [ -z "$line" ]; then
		line=$(dep_line "${name//_/-}" || true)
	fi
	if [ -z "$line" ]; then
		grep -qE "/${name}\.ko$|/${name//_/-}\.ko$" "$mods/modules.builtin" && return 0
		echo "initramfs: $release has no module $1" >&2
		exit 1
	fi
	path=${line%%:*}
	read -r -a deps <<<"${line#*:}"
	for ((d = ${#deps[@]} - 1; d >= 0; d--)); do
		load "$(basename "${deps[d]}" | sed 's/\.ko.*//')"
	done
	mkdir -p "$kmods/$(dirname "$path")"
	case $path in
	*.ko.xz) xz -dc "$mods/$path" ;;
	*.ko.zst) zstd -qdc "$mods/$path" ;;
	*.ko.gz) gzip -dc "$mods/$path" ;;
	*) cat "$mods/$path" ;;
	esac >"$kmods/${path%.ko*}.ko"
	line=${line//.ko.xz/.ko}
	line=${line//.ko.zst/.ko}
	echo "${line//.ko.gz/.ko}" >>"$kmods/modules.dep"
	order+=("$name")
}
for m in virtio_mmio 9pnet_virtio 9p; do
	load "$m"
done
boot=("${order[@]}")
load nvme

cat >"$tree/init" <<INIT
#!/bin/sh
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
for m in ${boot[*]}; do
	modprobe \$m || echo "init: modprobe \$m failed"
done
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 dmabench /out; then
	$script
	echo \$? >/out/$status
	sync
	umount /out
else
	echo "init: cannot mount the results share"
fi
poweroff -f
INIT
chmod 755 "$tree/init"
(cd "$tree" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
