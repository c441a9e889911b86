#!/usr/bin/env bash
# Boot a kernel built by lab/build.sh under QEMU (TCG) with virtme-ng, run
# one script inside, and return its exit status.  The guest's root is the lab
# root; the repository is /dmabench in it, writable only below RWDIR.  The
# kernel's console goes to SCRIPT.console beside the script, never to the
# terminal (its last lines are shown when the boot fails); the script's own
# output goes to RWDIR/NAME.out, which is followed onto our stderr as the
# guest writes it, so that a caller's stdout carries only what it prints
# itself.
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
name=$(basename "${script%.sh}")
out=$rwdir/$name.out
wrap=$rwdir/$name.run
: >"$repo/$out"
printf '#!/bin/sh\nexec %q >>%q 2>&1\n' "/dmabench/$script" "/dmabench/$out" \
	>"$repo/$wrap"
chmod +x "$repo/$wrap"
tail -n +1 -F "$repo/$out" >&2 2>/dev/null &
follow=$!
trap 'kill "$follow" 2>/dev/null || true' EXIT

# A hung guest must not hang the caller; a guest that panics must stop, not
# reboot and run the script again.  timeout puts the guest in a process
# group of its own and passes SIGTERM on to it (SIGKILL 15 s later); it
# gets SIGTERM when the shell around it dies, and that shell is in the
# group that guard_run stops when we are stopped.
status=0
# shellcheck disable=SC2317 # called by lab/guard.sh on a signal
guard_cleanup() { kill "$follow" 2>/dev/null || true; }
# shellcheck disable=SC2016 # expanded by the inner shell
guard_run bash -c '
	console=$1
	shift
	exec setpriv --pdeathsig TERM -- timeout -k 15 \
		"${DMABENCH_BOOT_TIMEOUT:-3600}" "$@" </dev/null >"$console" 2>&1
' bash "$console" \
	"$repo/lab/chroot.sh" "$root" "${binds[@]}" \
	vng -v -r "$KIMAGE" --disable-kvm --disable-microvm \
	--cpus "$cpus" --memory 4G --qemu-opts="$qemu -no-reboot" \
	--append "$append" --rwdir="/dmabench/$rwdir" \
	--exec "/dmabench/$wrap" || status=$?
sleep 1	# the last lines the guest wrote
kill "$follow" 2>/dev/null || true
wait "$follow" 2>/dev/null || true
if [ "$status" != 0 ]; then
	echo "boot: the guest failed ($status); the end of its console, $console:" >&2
	tail -n 30 "$console" >&2
fi
exit "$status"
