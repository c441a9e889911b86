#!/usr/bin/env bash
# Build (once) the Debian trixie root that the VM lab builds modules and boots
# kernels from. It is cached outside the clone, keyed by this script's content,
# and created atomically: a half-made root is never used.
#
# Usage: lab/mkroot.sh            prints the root's path on stdout
#        lab/mkroot.sh --path     prints it without building: status 0 if
#                                 it is built, 1 if not yet
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DMABENCH_CACHE:-/var/cache/dmabench}
mirror=${DMABENCH_MIRROR:-http://deb.debian.org/debian}

# Everything the guest and the module builds need, from trixie.
packages=(
	make gcc gcc-14 libc6-dev kmod
	pkg-config liburing-dev libblkid-dev libibverbs-dev librdmacm-dev
	libjansson-dev
	fio nvme-cli linux-perf rdma-core ibverbs-providers ibverbs-utils
	perftest e2fsprogs
	virtme-ng qemu-system-x86 busybox-static
	pciutils iproute2 procps util-linux
	python3 ca-certificates
)

key=$(cat "$0" "$here/udev-stub" | sha256sum | cut -c1-16)
root=$cache/root-trixie-$key

if [ -e "$root/.complete" ]; then
	echo "$root"
	exit 0
fi
if [ "${1-}" = --path ]; then
	echo "$root"
	exit 1
fi

command -v debootstrap >/dev/null || {
	echo "mkroot: installing debootstrap on the host" >&2
	apt-get install -y -qq debootstrap >&2
}

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -e "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

tmp=$root.tmp
rm -rf "$tmp"
echo "mkroot: debootstrap trixie into $tmp (about a minute)" >&2
if ! debootstrap --variant=minbase trixie "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1; then
	tail -n 20 "$cache/debootstrap.log" >&2
	echo "mkroot: debootstrap failed; the whole log is $cache/debootstrap.log" >&2
	exit 1
fi

cat >"$tmp/etc/apt/sources.list" <<SRC
deb $mirror trixie main
deb $mirror trixie-backports main
SRC
printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
	>"$tmp/etc/dpkg/dpkg.cfg.d/01-nodoc"

"$here/chroot.sh" "$tmp" apt-get update -qq >&2
"$here/chroot.sh" "$tmp" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends "${packages[@]}" \
	>"$cache/packages.log" 2>&1 || {
	tail -n 20 "$cache/packages.log" >&2
	echo "mkroot: installing packages failed; see $cache/packages.log" >&2
	exit 1
}
# Kernel packages must not spend minutes building initramfs images that
# virtme-ng never uses: update-initramfs is diverted to true.
"$here/chroot.sh" "$tmp" dpkg-divert --local --rename \
	--divert /usr/sbin/update-initramfs.dmabench \
	--add /usr/sbin/update-initramfs >&2
ln -sf /bin/true "$tmp/usr/sbin/update-initramfs"
# systemd-udevd and udevadm are diverted to lab/udev-stub, which says why.
for f in /usr/lib/systemd/systemd-udevd /usr/bin/udevadm; do
	"$here/chroot.sh" "$tmp" dpkg-divert --local --rename \
		--divert "$f.dmabench" --add "$f" >&2
done
install -m 755 "$here/udev-stub" "$tmp/usr/lib/systemd/systemd-udevd"
install -m 755 "$here/udev-stub" "$tmp/usr/bin/udevadm"
# virtme-ng ends a run with poweroff, which a minbase root lacks.
[ -e "$tmp/sbin/poweroff" ] || ln -s /bin/busybox "$tmp/sbin/poweroff"
"$here/chroot.sh" "$tmp" apt-get clean >&2

touch "$tmp/.complete"
mv "$tmp" "$root"
echo "$root"
