#!/usr/bin/env bash
# Boot a kernel built by lab/build.sh under QEMU (TCG) with virtme-ng, run
# one script inside, and return its exit status.  The guest's root is the lab
# root; the repository is /dmabench in it, writable only below RWDIR.  The
# kernel's console goes to SCRIPT.console beside the script (its last lines
# are shown when the boot fails); the script's own output to our stderr, so
# that a caller's stdout carries only what it prints itself.
#
# Usage: lab/boot.sh BUILD RWDIR CPUS "QEMU OPTIONS" "KERNEL ARGS" SCRIPT
#   BUILD   the directory lab/build.sh printed
#   RWDIR   a directory under build/ that the guest may write
#   SCRIPT  a path under the repository, run in the guest as root
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# Stopped or killed, it stops its guest (lab/guard.sh).
# shellcheck source=lab/guard.sh
. "$repo/lab/guard.sh"
guard_self "$@"
build=$1 rwdir=$2 cpus=$3 qemu=$4 append=$5 script=$6
# shellcheck source=/dev/null
. "$repo/$build/kernel.env"
root=$("$repo/lab/mkroot.sh")
binds=(--bind "$repo" /dmabench)
[ -n "$TREE" ] && binds+=(--bind "$TREE" /kernel)

console=$repo/${script%.sh}.console

# A hung guest must not hang the caller; a guest that panics must stop, not
# reboot and run the script again.  timeout puts the guest in a process
# group of its own and passes SIGTERM on to it (SIGKILL 15 s later); it
# gets SIGTERM when the shell around it dies, and that shell is in the
# group that guard_run stops when we are stopped.
status=0
# shellcheck disable=SC2016 # expanded by the inner shell
guard_run bash -c '
	set -o pipefail
	console=$1
	shift
	setpriv --pdeathsig TERM -- timeout -k 15 "${DMABENCH_BOOT_TIMEOUT:-3600}" "$@" \
		</dev/null 2>&1 | tee "$console" |
		grep --line-buffered -v "^\[ *[0-9]*\.[0-9]*\]" >&2
	exit "${PIPESTATUS[0]}"
' bash "$console" \
	"$repo/lab/chroot.sh" "$root" "${binds[@]}" \
	vng -v -r "$KIMAGE" --disable-kvm --disable-microvm \
	--cpus "$cpus" --memory 4G --qemu-opts="$qemu -no-reboot" \
	--append "$append" --rwdir="/dmabench/$rwdir" \
	--exec "/dmabench/$script" || status=$?
if [ "$status" != 0 ]; then
	echo "boot: the guest failed ($status); the end of its console, $console:" >&2
	tail -n 30 "$console" >&2
fi
exit "$status"
