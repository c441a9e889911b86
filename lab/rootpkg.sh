#!/usr/bin/env bash
# Install Debian packages into the lab root when they are missing, under the
# root's lock, and say so.  For what only some lab commands need (gdb for
# make vm-trace, the kernel build tools for make vm-kernel), so that the root
# itself, keyed by lab/mkroot.sh, need not be rebuilt for them.
#
# Usage: lab/rootpkg.sh ROOT PACKAGE...
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$1
shift

missing() {
	local p
	for p in "$@"; do
		# shellcheck disable=SC2016 # dpkg-query's format, not ours
		dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}\n' \
			"$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
	done
}

[ -n "$(missing "$@")" ] || exit 0
exec 9>"$root/.kernel-lock"
flock 9
mapfile -t need < <(missing "$@")
[ ${#need[@]} -gt 0 ] || exit 0
echo "lab: installing ${need[*]} into the lab root" >&2
stamp=$root/var/lib/apt/lists/.dmabench-stamp
if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
	"$here/chroot.sh" "$root" apt-get update -qq >&2
	touch "$stamp"
fi
"$here/chroot.sh" "$root" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends "${need[@]}" \
	>"$root.pkg.log" 2>&1 || {
	tail -n 20 "$root.pkg.log" >&2
	echo "lab: installing ${need[*]} failed; see $root.pkg.log" >&2
	exit 1
}
"$here/chroot.sh" "$root" apt-get clean >&2
