#!/usr/bin/env bash
# Run a command inside the lab root, in a private mount namespace so that no
# bind mount outlives the command, even when it is killed.
#
# Usage: lab/chroot.sh ROOT [--bind HOSTDIR GUESTDIR]... COMMAND [ARG]...
set -euo pipefail

root=$1
shift
binds=()
while [ "${1-}" = --bind ]; do
	binds+=("$2" "$3")
	shift 3
done

# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare -m --propagation private bash -euo pipefail -c '
root=$1
shift
mount --bind /proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/tmp"
while [ "$1" != -- ]; do
	mkdir -p "$root/$2"
	mount --bind "$1" "$root/$2"
	shift 2
done
shift
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
exec chroot "$root" "$@"
' bash "$root" "${binds[@]}" -- "$@"
