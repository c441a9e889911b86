#!/usr/bin/env bash
# Resolve a Debian kernel series (6.12, 7.3, ...) to the newest version the
# archive serves, install its image and headers into the lab root (once), and
# print the release string (uname -r) on stdout.
#
# Usage: lab/kernel.sh ROOT SERIES
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$1
series=$2

case $series in
[0-9]*.[0-9]*) ;;
*)
	echo "kernel: '$series' is not a series like 6.12 or 7.3" >&2
	exit 2
	;;
esac

in_root() { "$here/chroot.sh" "$root" "$@"; }

exec 9>"$root/.kernel-lock"
flock 9

# Refresh the package lists at most once an hour.
stamp=$root/var/lib/apt/lists/.dmabench-stamp
if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
	in_root apt-get update -qq >&2
	touch "$stamp"
fi

# Releases with both an image and headers in the archive: an image whose
# headers are not served cannot be measured.
served() {
	in_root apt-cache search --names-only "^linux-$1-[0-9].*-amd64\$" |
		awk '{print $1}' | sed -n "s/^linux-$1-\(.*-amd64\)\$/\1/p" |
		grep -v -e '-cloud-' -e '-rt-' -e '-dbg' | sort -u || true
}
list=$(comm -12 <(served image) <(served headers))
release=$(echo "$list" | grep "^${series//./\\.}\.[0-9]*+" | sort -V | tail -n 1 || true)
if [ -z "$release" ]; then
	echo "kernel: Debian serves no $series kernel now; series served:" \
		"$(echo "$list" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/' | sort -uV | tr '\n' ' ')" >&2
	exit 1
fi

if [ ! -e "$root/boot/vmlinuz-$release" ] ||
	[ ! -d "$root/usr/src/linux-headers-$release" ]; then
	echo "kernel: installing linux-image-$release and its headers" >&2
	in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold \
		--no-install-recommends "linux-image-$release" \
		"linux-headers-$release" linux-base/trixie-backports \
		>"$root.kernel.log" 2>&1 || {
		tail -n 20 "$root.kernel.log" >&2
		echo "kernel: installing $release failed; see $root.kernel.log" >&2
		exit 1
	}
	in_root apt-get clean >&2
fi
echo "$release"
