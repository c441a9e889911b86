#!/usr/bin/env bash
# Boot a kernel built by lab/build.sh under QEMU (TCG) with virtme-ng, run
# one script inside, and return its exit status.  The guest's root is the lab
# root; the repository is /dmabench in it, writable only below RWDIR.
#
# Usage: lab/boot.sh BUILD RWDIR CPUS "QEMU OPTIONS" "KERNEL ARGS" SCRIPT
#   BUILD   the directory lab/build.sh printed
#   RWDIR   a directory under build/ that the guest may write
#   SCRIPT  a path under the repository, run in the guest as root
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$1 rwdir=$2 cpus=$3 qemu=$4 append=$5 script=$6
# shellcheck source=/dev/null
. "$repo/$build/kernel.env"
root=$("$repo/lab/mkroot.sh")
binds=(--bind "$repo" /dmabench)
[ -n "$TREE" ] && binds+=(--bind "$TREE" /kernel)

# A hung guest must not hang the caller.
exec timeout "${DMABENCH_BOOT_TIMEOUT:-3600}" \
	"$repo/lab/chroot.sh" "$root" "${binds[@]}" \
	vng -r "$KIMAGE" --disable-kvm --disable-microvm \
	--cpus "$cpus" --memory 2G --qemu-opts="$qemu" --append "$append" \
	--rwdir="/dmabench/$rwdir" --exec "/dmabench/$script" </dev/null
