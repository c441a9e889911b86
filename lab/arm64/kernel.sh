#!/usr/bin/env bash
# Resolve a Debian kernel series (6.12, 7.3, ...) to the newest arm64 kernel
# the archive serves with its headers, install both into the arm64 lab root
# (once), and print the release string (uname -r) on stdout.
#
# The arm64 headers are made for cross-building (kbuild is the amd64
# linux-kbuild package).  Some (6.12's) also depend on gcc-N:arm64, which apt
# can only satisfy by replacing the root's amd64 binutils; so the headers
# package's other dependencies are installed by apt, and the package itself
# is unpacked (dpkg-deb -x), which leaves the root's dpkg state consistent.
#
# Usage: lab/arm64/kernel.sh ROOT SERIES
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$1
series=$2

case $series in
[0-9]*.[0-9]*) ;;
*)
	echo "kernel-arm64: '$series' is not a series like 6.12 or 7.3" >&2
	exit 2
	;;
esac

in_root() { "$here/../chroot.sh" "$root" "$@"; }

exec 9>"$root/.kernel-lock"
flock 9

stamp=$root/var/lib/apt/lists/.dmabench-stamp
if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
	in_root apt-get update -qq >&2
	touch "$stamp"
fi

served() {
	in_root apt-cache search --names-only "^linux-$1-[0-9].*-arm64\$" |
		awk '{print $1}' | sed -n "s/^linux-$1-\(.*-arm64\)\$/\1/p" |
		grep -v -e '-cloud-' -e '-rt-' -e '-dbg' -e '-16k-' | sort -u || true
}
list=$(comm -12 <(served image) <(served headers))
release=$(echo "$list" | grep "^${series//./\\.}\.[0-9]*+" | sort -V | tail -n 1 || true)
if [ -z "$release" ]; then
	echo "kernel-arm64: Debian serves no arm64 $series kernel now; series served:" \
		"$(echo "$list" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/' | sort -uV | tr '\n' ' ')" >&2
	exit 1
fi

log=$root.kernel-$release.log
if [ ! -e "$root/usr/src/linux-headers-$release/.dmabench-unpacked" ]; then
	echo "kernel-arm64: installing linux-image-$release and its headers" >&2
	# The headers' dependencies, less gcc-N:arm64; gcc-N-for-host:arm64 is
	# the cross compiler (gcc-N-aarch64-linux-gnu); a package of
	# architecture all or Multi-Arch foreign (linux-kbuild: the amd64 kbuild
	# tools) is the native one; anything else is arm64's.
	deps=()
	for d in $(in_root apt-cache depends --no-recommends --no-suggests \
		"linux-headers-$release:arm64" |
		sed -n 's/^ *|\{0,1\}Depends: <\{0,1\}\([^ <>:]*\).*$/\1/p' |
		sort -u); do
		case $d in
		gcc-[0-9]*-for-host) deps+=("$d:arm64") ;;
		# gcc-N:arm64 see above; linux-base and the image (6.12's
		# headers name it or its -unsigned twin) are installed below.
		gcc-[0-9]*|linux-base|linux-image-*) ;;
		*)
			info=$(in_root apt-cache show --no-all-versions "$d" 2>/dev/null || true)
			if grep -qE '^(Architecture: all|Multi-Arch: foreign)$' <<<"$info"; then
				deps+=("$d")
			else
				deps+=("$d:arm64")
			fi ;;
		esac
	done
	in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		-o Dpkg::Options::=--force-confold --no-install-recommends \
		"linux-image-$release:arm64" linux-base/trixie-backports \
		"${deps[@]}" >"$log" 2>&1 || {
		tail -n 20 "$log" >&2
		echo "kernel-arm64: installing $release failed; see $log" >&2
		exit 1
	}
	# shellcheck disable=SC2016 # expanded by the inner shell
	in_root bash -euo pipefail -c '
		d=$(mktemp -d) && cd "$d"
		apt-get download -qq "linux-headers-$1:arm64"
		dpkg-deb -x linux-headers-*.deb /
		rm -rf "$d"
		touch "/usr/src/linux-headers-$1/.dmabench-unpacked"' \
		bash "$release" >>"$log" 2>&1 || {
		tail -n 20 "$log" >&2
		echo "kernel-arm64: unpacking linux-headers-$release failed; see $log" >&2
		exit 1
	}
	in_root apt-get clean >&2
fi
echo "$release"
