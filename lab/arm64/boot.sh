#!/usr/bin/env bash
# Boot Debian's arm64 kernel built for by lab/arm64/build.sh under
# qemu-system-aarch64 (TCG), with an initramfs holding the guest's whole
# userland (lab/arm64/initramfs.sh), run one script inside, and return its
# exit status.  RWDIR is shared with the guest as /out (virtio-9p over
# virtio-mmio: no PCI device, no IOMMU group).  The console goes to
# SCRIPT.console beside the script (its last lines are shown when the boot
# fails); the guest's own lines, without the kernel's, to our stderr.
#
# Usage: lab/arm64/boot.sh BUILD RWDIR "QEMU OPTIONS" "KERNEL ARGS" SCRIPT FILE...
#   BUILD   the directory lab/arm64/build.sh printed
#   RWDIR   a directory under build/ that the guest may write, as /out
#   SCRIPT  a path under the repository, run in the guest as root
#   FILE    repository paths the script needs, at /dmabench/FILE in the guest
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$1 rwdir=$2 qemu=$3 append=$4 script=$5
shift 5
# shellcheck source=/dev/null
. "$repo/$build/kernel.env"
root=$("$here/mkroot.sh")
name=$(basename "$script" .sh)
console=$repo/${script%.sh}.console
initrd=/dmabench/$rwdir/$name.cpio.gz
files=("/dmabench/$script")
for f in "$@"; do
	files+=("/dmabench/$f")
done

"$repo/lab/chroot.sh" "$root" --bind "$repo" /dmabench \
	/dmabench/lab/arm64/initramfs.sh "$initrd" "$RELEASE" \
	"/dmabench/$script" "$name.status" "${files[@]}"
rm -f "$repo/$rwdir/$name.status"

# A hung guest must not hang the caller; a guest that panics stops.
status=0
# shellcheck disable=SC2086 # QEMU options are words
timeout "${DMABENCH_BOOT_TIMEOUT:-3600}" \
	"$repo/lab/chroot.sh" "$root" --bind "$repo" /dmabench \
	qemu-system-aarch64 $qemu -m 2G -nographic -nic none -no-reboot \
	-kernel "$KIMAGE" -initrd "$initrd" \
	-append "console=ttyAMA0 rdinit=/init panic=-1 $append" \
	-fsdev "local,id=out,path=/dmabench/$rwdir,security_model=none" \
	-device virtio-9p-device,fsdev=out,mount_tag=dmabench \
	</dev/null 2>&1 | tr -d '\r' |
	tee "$console" | grep --line-buffered -v '^\[ *[0-9]*\.[0-9]*\]' >&2 ||
	status=${PIPESTATUS[0]}
rm -f "$repo/$rwdir/$name.cpio.gz"
if [ "$status" = 0 ]; then
	if [ -s "$repo/$rwdir/$name.status" ]; then
		status=$(cat "$repo/$rwdir/$name.status")
	else
		echo "boot-arm64: the guest wrote no exit status" >&2
		status=1
	fi
fi
if [ "$status" != 0 ]; then
	echo "boot-arm64: the guest failed ($status); the end of its console, $console:" >&2
	tail -n 30 "$console" >&2
fi
exit "$status"
