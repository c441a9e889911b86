#!/usr/bin/env bash
# Build (once) a bare Debian root: debootstrap's minbase and nothing more,
# the "fresh machine" on which tests/15-deps.t tries the dependency step.
# Cached like lab/mkroot.sh's root: outside the clone, keyed by this script's
# content and the suite, made atomically, under the cache's lock.
#
# Usage: lab/mkbare.sh SUITE     prints the root's path on stdout
set -euo pipefail

suite=${1:?usage: lab/mkbare.sh SUITE}
cache=${DMABENCH_CACHE:-/var/cache/dmabench}
mirror=${DMABENCH_MIRROR:-http://deb.debian.org/debian}
key=$(sha256sum <"$0" | cut -c1-16)
root=$cache/bare-$suite-$key

[ -e "$root/.complete" ] && { echo "$root"; exit 0; }
command -v debootstrap >/dev/null || {
	echo "mkbare: debootstrap is missing: apt-get install debootstrap" >&2
	exit 1
}
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
[ -e "$root/.complete" ] && { echo "$root"; exit 0; }

tmp=$root.tmp
rm -rf "$tmp"
echo "mkbare: debootstrap $suite into $tmp (about a minute)" >&2
if ! debootstrap --variant=minbase "$suite" "$tmp" "$mirror" \
	>"$cache/bare-$suite.log" 2>&1; then
	tail -n 20 "$cache/bare-$suite.log" >&2
	echo "mkbare: debootstrap failed; see $cache/bare-$suite.log" >&2
	exit 1
fi
echo "deb $mirror $suite main" >"$tmp/etc/apt/sources.list"
printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
	>"$tmp/etc/dpkg/dpkg.cfg.d/01-nodoc"
# Left as debootstrap leaves it: no package lists, nothing built.
find "$tmp/var/lib/apt/lists" "$tmp/var/cache/apt/archives" -maxdepth 1 \
	-type f ! -name lock -delete
touch "$tmp/.complete"
mv "$tmp" "$root"
echo "$root"
