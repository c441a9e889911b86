#!/usr/bin/env bash
# Inside the VM: dmabench nvme must refuse to write to a disk that is
# mounted, holds a filesystem signature or holds partitions, leave its data
# unchanged (checksummed before and after), and write to a blank disk only
# with --allow-write.  Prints TAP.
#
# Usage: nvme-refusals.sh DMABENCH OUTDIR
#   The guest has four blank NVMe disks with serials mounted0, signed0,
#   parted0 and blank0; this script makes an ext4 filesystem on mounted0
#   (and mounts it) and on signed0, and an MBR partition table on parted0.
set -euo pipefail

bin=$1
out=$2
# shellcheck source=tests/vm/tap.sh
. "$(dirname "$0")/tap.sh"

[ -d /sys/module/nvme ] || modprobe nvme
ns() {
	local c
	for _ in $(seq 100); do
		for c in /sys/class/nvme/nvme*; do
			if [ "$(tr -d ' ' <"$c/serial")" = "$1" ]; then
				for d in "$c"/nvme*n*; do
					[ -b "/dev/$(basename "$d")" ] &&
						{ echo "/dev/$(basename "$d")"; return 0; }
				done
			fi
		done
		sleep 0.1
	done
	return 1
}
mounted=$(ns mounted0)
signed=$(ns signed0)
parted=$(ns parted0)
blank=$(ns blank0)
echo "$blank" >"$out/blank-device"	# for nvme-perf.sh
mkfs.ext4 -q -F "$mounted"
mkfs.ext4 -q -F "$signed"
# One Linux partition at sector 2048, 2048 sectors long, and the signature.
printf '\000\000\000\000\203\000\000\000\000\010\000\000\000\010\000\000' |
	dd of="$parted" bs=1 seek=446 conv=notrunc status=none
printf '\125\252' | dd of="$parted" bs=1 seek=510 conv=notrunc status=none
blockdev --rereadpt "$parted"
check "the partitioned disk shows its partition" test -e "/sys/block/$(basename "$parted")/$(basename "$parted")p1"
mkdir -p /tmp/mnt
mount -t ext4 "$mounted" /tmp/mnt
check "the mounted disk is mounted" grep -q "^$mounted " /proc/mounts

# write DEVICE [extra options]: a short write workload; its stderr kept.
# shellcheck disable=SC2317  # called through check
write() {
	local dev=$1
	shift
	"$bin" nvme --out "$out/runs" --rw randwrite --bs 4k --qd 1 --batch 1 \
		--completion irq --buffers normal --time 1 --ramp 0 \
		--no-sampling "$@" "$dev" 2>"$out/err.txt"
}
# shellcheck disable=SC2317  # called through check
refused() { ! write "$@"; }

# The mounted filesystem writes to its disk by itself (journal, superblock):
# it is frozen while its disk is checksummed and written to, so that any
# change would be dmabench's.
sync
fsfreeze -f /tmp/mnt
for dev in "$mounted" "$signed" "$parted"; do
	sync
	echo 3 >/proc/sys/vm/drop_caches
	before=$(sha256sum <"$dev")
	check "$dev: a write with --allow-write is refused" refused "$dev" --allow-write
	sed 's/^/# /' "$out/err.txt"
	case $dev in
	"$mounted") why='mounted' ;;
	"$signed") why='ext4' ;;
	*) why='partition' ;;
	esac
	check "$dev: the refusal says why ($why)" grep -qi "$why" "$out/err.txt"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	after=$(sha256sum <"$dev")
	check "$dev: its data is unchanged" test "$before" = "$after"
done
fsfreeze -u /tmp/mnt
check "the mounted filesystem still mounts and reads" ls /tmp/mnt
umount /tmp/mnt

check "a refused write leaves no run directory" test -z "$(ls -A "$out/runs" 2>/dev/null)"

before=$(sha256sum <"$blank")
check "$blank: a write without --allow-write is refused" refused "$blank"
check "$blank: the refusal names --allow-write" grep -q -- --allow-write "$out/err.txt"
check "$blank: still unchanged" test "$before" = "$(sha256sum <"$blank")"
check "$blank: with --allow-write the blank disk is written" write "$blank" --allow-write
check "$blank: and its data changed" test "$before" != "$(sha256sum <"$blank")"
tap_end
