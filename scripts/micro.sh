#!/usr/bin/env bash
# Load dmabench.ko, run `dmabench micro`, and unload the module again, on
# every path out.  Fails if the kernel logged a warning, oops or BUG while the
# module was loaded, or if the module does not unload.
#
# Usage: scripts/micro.sh MODULE.ko DMABENCH [micro options...]
set -euo pipefail

if [ $# -lt 2 ] || [ "$1" = --help ] || [ "$1" = -h ]; then
	echo "usage: $0 MODULE.ko DMABENCH [dmabench micro options...]"
	exit 2
fi
ko=$1
bin=$2
shift 2

if [ "$(id -u)" != 0 ]; then
	echo "micro: loading a module needs root: run as root (sudo make bench)" >&2
	exit 1
fi
if [ ! -e /proc/modules ]; then
	echo "micro: this kernel cannot load modules (no /proc/modules)" >&2
	exit 1
fi
if grep -q '^dmabench ' /proc/modules; then
	echo "micro: dmabench is already loaded; unload it first (rmmod dmabench)" >&2
	exit 1
fi

marker="dmabench-micro-$$-$RANDOM"
echo "$marker start" >/dev/kmsg
insmod "$ko"
# An interrupt stops dmabench, which cleans up after itself; the module is
# unloaded below all the same.
trap 'echo "micro: interrupted, unloading dmabench" >&2' INT TERM

status=0
"$bin" micro "$@" || status=$?

if ! rmmod dmabench; then
	echo "micro: dmabench did not unload" >&2
	status=1
fi
echo "$marker end" >/dev/kmsg

# What the kernel said between the two markers.
log=$(dmesg | sed -n "/$marker start/,/$marker end/p")
if echo "$log" | grep -E 'WARNING:|BUG:|Oops|Call Trace|general protection'; then
	echo "micro: the kernel logged the above while dmabench was loaded" >&2
	status=1
fi
exit "$status"
