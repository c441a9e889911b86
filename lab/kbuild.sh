#!/usr/bin/env bash
# Build Debian's linux-source-SERIES in the lab root with the lab's one
# shared configuration, and cache the build tree outside the clone.  Prints
# the tree's path on stdout: its .config, vmlinux, System.map,
# arch/x86/boot/bzImage and Module.symvers, enough to boot it in the lab and
# to build an external module against it (lab/build.sh does both).
#
# Usage: lab/kbuild.sh [--key] SERIES [FRAGMENT...]
#   SERIES     6.12, 7.2, 7.3...: the newest linux-source-SERIES that trixie
#              or trixie-backports serves (the lab lists those served when a
#              series is not)
#   FRAGMENT   configs/kernel/NAME.config given as NAME (debug), or a path,
#              merged in order after configs/kernel/lab.config, which every
#              build starts from
#   --key      print the cache key and the tree's path, build nothing
#
# The configuration is `make allnoconfig` with the fragments merged by
# scripts/kconfig/merge_config.sh; every option the fragments set must be in
# the final .config, or the build stops naming those that are not (an
# option the series' Kconfig does not define at all is reported, not failed).
# The cache key covers the source package version, the fragments, the base,
# the compiler and this script (its comments aside).  Builds go to a temporary directory renamed
# when complete, under a lock, so that a concurrent identical build waits and
# reuses the result.  The compiler's output goes to build.log in the tree
# (its end is shown when the build fails).  DMABENCH_CACHE moves the cache
# (default /var/cache/dmabench); DMABENCH_KBUILD_JOBS the make -j (nproc).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${DMABENCH_CACHE:-/var/cache/dmabench}
jobs=${DMABENCH_KBUILD_JOBS:-$(nproc)}
base=allnoconfig

say() { echo "kbuild: $*" >&2; }
die() { say "$*"; exit 1; }

keyonly=0
if [ "${1-}" = --key ]; then
	keyonly=1
	shift
fi
case ${1-} in
-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
[0-9]*.[0-9]*) series=$1 ;;
*) echo "usage: lab/kbuild.sh [--key] SERIES [FRAGMENT...] (see --help)" >&2; exit 2 ;;
esac
shift

# The fragments, in merge order: lab.config first, always.
frags=("$repo/configs/kernel/lab.config")
for f in "$@"; do
	case $f in
	*/*) ;;
	*) f=$repo/configs/kernel/$f.config ;;
	esac
	[ -r "$f" ] || { echo "kbuild: no fragment $f" >&2; exit 2; }
	f=$(cd "$(dirname "$f")" && pwd)/$(basename "$f")
	[ "$f" = "${frags[0]}" ] || frags+=("$f")
done

root=$("$here/mkroot.sh")
in_root() { "$here/chroot.sh" "$root" "$@"; }

# The newest version of linux-source-SERIES served; the package lists are
# refreshed at most once an hour, under the root's lock, as lab/kernel.sh.
stamp=$root/var/lib/apt/lists/.dmabench-stamp
if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
	(
		flock 9
		in_root apt-get update -qq >&2
		touch "$stamp"
	) 9>"$root/.kernel-lock"
fi
pkg=linux-source-$series
version=$(in_root apt-cache madison "$pkg" 2>/dev/null |
	awk -F' *[|] *' '{print $2}' | sort -V | tail -n 1)
if [ -z "$version" ]; then
	served=$(in_root apt-cache search --names-only '^linux-source-[0-9]' |
		sed -n 's/^linux-source-\([0-9.]*\) .*/\1/p' | sort -uV | tr '\n' ' ')
	die "Debian serves no $pkg (in trixie or trixie-backports); series served: ${served:-none}"
fi

# What the build needs in the root; gcc is the compiler of the key.
tools=(make gcc bc bison flex libssl-dev libelf-dev cpio kmod xz-utils
	python3 perl libc6-dev)
"$here/rootpkg.sh" "$root" "${tools[@]}"
compiler=$(in_root gcc --version | head -n 1)

key=$(
	{
		echo "source $pkg $version"
		echo "base $base"
		echo "compiler $compiler"
		for f in "${frags[@]}"; do
			echo "fragment $(basename "$f")"
			cat "$f"
		done
		# The builder without its comments: a reworded comment or help
		# text does not rebuild every kernel.
		echo "builder"
		grep -v '^[[:space:]]*#' "$0"
	} | sha256sum | cut -c1-16
)
tree=$cache/kernel/src-$series-$key

if [ "$keyonly" = 1 ]; then
	echo "$key $tree"
	exit 0
fi
if [ -e "$tree/.complete" ]; then
	say "$pkg $version with $(basename -a "${frags[@]}" | tr '\n' ' ')is built: $tree"
	echo "$tree"
	exit 0
fi

mkdir -p "$cache/kernel"
exec 9>"$tree.lock"
if ! flock -n 9; then
	say "another lab/kbuild.sh builds the same tree; waiting for it"
	flock 9
fi
if [ -e "$tree/.complete" ]; then
	echo "$tree"
	exit 0
fi

# The source package: the version resolved above, from whichever suite
# serves it (backports are not installed by default).
have=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Version}' "$pkg" 2>/dev/null || true)
if [ "$have" != "$version" ]; then
	"$here/rootpkg.sh" "$root" "$pkg=$version"
fi
tarball=/usr/src/$pkg.tar.xz
[ -e "$root$tarball" ] || die "$pkg $version installed no $tarball"

tmp=$tree.tmp
rm -rf "$tmp"
mkdir -p "$tmp/dmabench"
i=0
for f in "${frags[@]}"; do
	i=$((i + 1))
	cp "$f" "$tmp/dmabench/$i-$(basename "$f")"
done
log=$tmp/build.log
: >"$log"

# The estimate: the last build of the same fragment names, measured here.
estfile=$cache/kernel/estimate-$(basename -a "${frags[@]}" | tr '\n' '+')
est=$(cat "$estfile" 2>/dev/null || echo "0 0")
read -r est_s est_objs <<<"$est"
if [ "$est_s" -gt 0 ]; then
	say "building $pkg $version ($jobs jobs): about $((est_s / 60)) min" \
		"(the last such build took $((est_s / 60)) min $((est_s % 60)) s, $est_objs objects)"
else
	say "building $pkg $version ($jobs jobs): no earlier build of these" \
		"fragments to estimate the time from"
fi
say "log: $log"

start=$(date +%s)
# shellcheck disable=SC2016 # expanded by the inner shell
in_root --bind "$tmp" /kbuild bash -euo pipefail -c '
	cd /kbuild
	tar -xJf "$1" --strip-components=1
	mapfile -t frags < <(ls dmabench/*.config | sort -V)
	echo "== merge_config.sh -n ${frags[*]}"
	scripts/kconfig/merge_config.sh -n "${frags[@]}"
' bash "$tarball" >>"$log" 2>&1 || {
	tail -n 30 "$log" >&2
	die "unpacking or configuring failed; see $log"
}

# Every option of the fragments (the last setting of each wins) must be in
# the final .config.  An option left unset is met by its absence too.
fail=()
absent=()
declare -A want=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) want[${line%%=*}]=$line ;;
	"# CONFIG_"*" is not set") s=${line#\# }; want[${s%% *}]=$line ;;
	esac
done < <(cat "${frags[@]}")
for sym in "${!want[@]}"; do
	line=${want[$sym]}
	grep -qxF -- "$line" "$tmp/.config" && continue
	if [ "${line:0:1}" = "#" ] && ! grep -q "^$sym=" "$tmp/.config"; then
		continue
	fi
	if ! grep -rqsE "^(menu)?config ${sym#CONFIG_}\$" --include='Kconfig*' "$tmp"; then
		absent+=("$sym")
		continue
	fi
	got=$(grep -E "^(# )?${sym}[= ]" "$tmp/.config" || true)
	fail+=("$line (got: ${got:-absent: dependencies not met})")
done
if [ ${#absent[@]} -gt 0 ]; then
	say "not defined by $series's Kconfig, skipped: $(printf '%s\n' "${absent[@]}" | sort | tr '\n' ' ')"
fi
if [ ${#fail[@]} -gt 0 ]; then
	say "these fragment options did not take effect in $series's .config:"
	printf '  %s\n' "${fail[@]}" | sort >&2
	die "fix the fragment (a dependency is probably missing); nothing was built"
fi

# Progress every minute: objects compiled so far against the estimate.
# chroot.sh execs its way to make, so $! is make itself: killed with us.
"$here/chroot.sh" "$root" --bind "$tmp" /kbuild env KBUILD_BUILD_USER=dmabench \
	KBUILD_BUILD_HOST=kbuild make -C /kbuild -j"$jobs" all >>"$log" 2>&1 &
mk=$!
trap 'kill "$mk" 2>/dev/null || true' EXIT
trap 'kill "$mk" 2>/dev/null; say "interrupted; the partial build is $tmp"; exit 130' INT TERM
while kill -0 "$mk" 2>/dev/null; do
	sleep 60 &
	wait $! || true
	kill -0 "$mk" 2>/dev/null || break
	n=$(grep -c '^  CC ' "$log" || true)
	el=$(($(date +%s) - start))
	if [ "$est_objs" -gt 0 ]; then
		say "$((el / 60)) min: $n of about $est_objs objects compiled"
	else
		say "$((el / 60)) min: $n objects compiled"
	fi
done
status=0
wait "$mk" || status=$?
trap - EXIT INT TERM
if [ "$status" != 0 ]; then
	tail -n 40 "$log" >&2
	die "the build of $pkg $version failed ($status); the log is $log"
fi
for f in .config vmlinux System.map arch/x86/boot/bzImage Module.symvers \
	include/config/kernel.release; do
	[ -s "$tmp/$f" ] || die "the build made no $f; see $log"
done
secs=$(($(date +%s) - start))
objs=$(grep -c '^  CC ' "$log" || true)
echo "$secs $objs" >"$estfile"

release=$(cat "$tmp/include/config/kernel.release")
cat >"$tmp/dmabench/build.env" <<ENV
SERIES=$series
PACKAGE=$pkg
VERSION=$version
RELEASE=$release
KEY=$key
BASE=$base
FRAGMENTS="$(basename -a "${frags[@]}" | tr '\n' ' ' | sed 's/ $//')"
COMPILER="$compiler"
CONFIG_SHA256=$(sha256sum "$tmp/.config" | cut -d' ' -f1)
BUILD_SECONDS=$secs
JOBS=$jobs
ENV
touch "$tmp/.complete"
rm -rf "$tree"
mv "$tmp" "$tree"
say "built $release from $pkg $version in $((secs / 60)) min $((secs % 60)) s: $tree"
echo "$tree"
