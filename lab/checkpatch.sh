#!/usr/bin/env bash
# Fetch (once) checkpatch.pl and the files it reads from Debian's
# linux-source package, cache them beside the lab root, and run it on the
# given files.
#
# Usage: lab/checkpatch.sh FILE...
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DMABENCH_CACHE:-/var/cache/dmabench}
series=${CHECKPATCH_SERIES:-7.3}
root=$("$here/mkroot.sh")

exec 9>"$cache/.checkpatch-lock"
flock 9
dir=$(find "$cache" -maxdepth 1 -type d -name "checkpatch-$series.*" | sort | tail -n 1)
if [ -z "$dir" ]; then
	tmp=$(mktemp -d "$cache/.checkpatch-XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	echo "checkpatch: fetching linux-source-$series (once, about 160 MB)" >&2
	"$here/chroot.sh" "$root" --bind "$tmp" /fetch bash -c \
		"cd /fetch && apt-get download -qq linux-source-$series" >&2
	deb=$(ls "$tmp"/linux-source-*.deb)
	version=$(dpkg-deb -f "$deb" Version)
	mkdir -p "$tmp/out"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/linux-source-$series.tar.xz" |
		tar -xJ -C "$tmp/out" --strip-components=2 \
			"linux-source-$series/scripts/checkpatch.pl" \
			"linux-source-$series/scripts/spelling.txt" \
			"linux-source-$series/scripts/const_structs.checkpatch"
	dir=$cache/checkpatch-$series.$version/
	mv "$tmp/out" "$dir"
fi
exec perl "$dir/checkpatch.pl" --no-tree --strict --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "$@"
