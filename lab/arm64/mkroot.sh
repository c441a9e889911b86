#!/usr/bin/env bash
# Build (once) the Debian trixie root of the arm64 lab: an amd64 root with
# arm64 as a foreign architecture, holding the aarch64 cross compilers, the
# arm64 libraries dmabench links against (multiarch), busybox and bash for
# arm64 (the guest's userland), qemu-system-aarch64, and the native tools and
# libraries that build the dmabench which merges and compares runs on this
# machine.  Kept apart from lab/mkroot.sh's root, so that its dpkg state (and
# that of the x86 lab) never depends on the other's.  Cached outside the
# clone, keyed by this script's content, created atomically.
#
# Usage: lab/arm64/mkroot.sh        prints the root's path on stdout
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DMABENCH_CACHE:-/var/cache/dmabench}
mirror=${DMABENCH_MIRROR:-http://deb.debian.org/debian}

packages=(
	make gcc libc6-dev kmod cpio xz-utils zstd gzip file
	liburing-dev libblkid-dev libibverbs-dev librdmacm-dev libjansson-dev
	gcc-aarch64-linux-gnu gcc-14-aarch64-linux-gnu binutils-aarch64-linux-gnu
	libc6-dev-arm64-cross
	libc6-dev:arm64 liburing-dev:arm64 libblkid-dev:arm64
	libibverbs-dev:arm64 librdmacm-dev:arm64 libjansson-dev:arm64
	libtinfo6:arm64
	busybox-static:arm64
	qemu-system-arm ipxe-qemu- qemu-efi-aarch64-
	ca-certificates
)

key=$(sha256sum <"$0" | cut -c1-16)
root=$cache/root-arm64-$key

if [ -e "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

command -v debootstrap >/dev/null || {
	echo "mkroot-arm64: installing debootstrap on the host" >&2
	apt-get install -y -qq debootstrap >&2
}

mkdir -p "$cache"
exec 9>"$cache/.lock-arm64"
flock 9
if [ -e "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

log=$cache/arm64.log
tmp=$root.tmp
rm -rf "$tmp"
echo "mkroot-arm64: debootstrap trixie into $tmp (about a minute)" >&2
if ! debootstrap --variant=minbase trixie "$tmp" "$mirror" >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "mkroot-arm64: debootstrap failed; the whole log is $log" >&2
	exit 1
fi

cat >"$tmp/etc/apt/sources.list" <<SRC
deb $mirror trixie main
deb $mirror trixie-backports main
SRC
printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
	>"$tmp/etc/dpkg/dpkg.cfg.d/01-nodoc"
# Kernel packages must not build initramfs images: the lab makes its own.
# Debian's arm64 7.x kernels pull dracut, whose kernel hook calls dracut.
for f in /usr/sbin/update-initramfs /usr/bin/dracut; do
	"$here/../chroot.sh" "$tmp" dpkg-divert --local --rename \
		--divert "$f.dmabench" --add "$f" >&2
done
"$here/../chroot.sh" "$tmp" dpkg --add-architecture arm64
"$here/../chroot.sh" "$tmp" apt-get update -qq >&2
"$here/../chroot.sh" "$tmp" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends "${packages[@]}" \
	>>"$log" 2>&1 || {
	tail -n 20 "$log" >&2
	echo "mkroot-arm64: installing packages failed; see $log" >&2
	exit 1
}
ln -sf /bin/true "$tmp/usr/sbin/update-initramfs"
ln -sf /bin/true "$tmp/usr/bin/dracut"
# bash for the guest: bash:arm64 cannot be installed beside the root's own
# bash, so its package is unpacked into /opt/arm64/bash instead.
"$here/../chroot.sh" "$tmp" bash -euo pipefail -c '
	mkdir -p /opt/arm64 && cd /opt/arm64
	apt-get download -qq bash:arm64
	dpkg-deb -x bash_*_arm64.deb bash
	rm bash_*_arm64.deb' >>"$log" 2>&1 || {
	tail -n 20 "$log" >&2
	echo "mkroot-arm64: unpacking bash:arm64 failed; see $log" >&2
	exit 1
}
"$here/../chroot.sh" "$tmp" apt-get clean >&2

touch "$tmp/.complete"
mv "$tmp" "$root"
echo "$root"
