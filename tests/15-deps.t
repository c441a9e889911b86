#!/usr/bin/env bash
# The dependency step (scripts/deps.sh, make deps) on a fresh machine: a
# bare Debian root (debootstrap minbase of this host's suite, or trixie;
# cached by lab/mkbare.sh) without compiler or libraries, used through an
# overlay so that the cached root stays bare.  The step must name what is
# missing, install it with apt-get, and then make userspace must build;
# elsewhere (an os-release that is not Debian's) it must print what to
# install and fail.  Needs root and Debian's archive; about 3 minutes.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

if [ "$(id -u)" != 0 ]; then
	skip "dependency step in a bare root" "needs root (unshare, chroot)"
	finish
fi
suite=trixie
if [ -r /etc/os-release ]; then
	# shellcheck source=/dev/null
	codename=$(. /etc/os-release; [ "${ID:-}" = debian ] && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] && suite=$codename
fi
if ! bare=$(lab/mkbare.sh "$suite" 2>"$logs/mkbare.log"); then
	check "a bare $suite root" false
	diag <"$logs/mkbare.log"
	finish
fi
check "a bare $suite root ($bare)" test -d "$bare/etc"

work=$(mktemp -d /var/tmp/dmabench-deps.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/upper" "$work/work" "$work/mnt"
# The sources the build needs, as a fresh clone has them.
git ls-files -co --exclude-standard -- Makefile scripts bench-module userspace |
	tar -cf "$work/src.tar" -T -

# inroot SCRIPT: run SCRIPT (bash) in the overlaid root, /src holding the
# sources, in a mount namespace of its own.
inroot() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout 900 unshare -m --propagation private bash -euo pipefail -c '
	bare=$1 work=$2 repo=$3 script=$4
	mount -t overlay overlay \
		-o "lowerdir=$bare,upperdir=$work/upper,workdir=$work/work" "$work/mnt"
	if [ ! -d "$work/mnt/src" ]; then
		mkdir "$work/mnt/src"
		tar -xf "$work/src.tar" -C "$work/mnt/src"
	fi
	"$repo/lab/chroot.sh" "$work/mnt" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 bash -euo pipefail -c "cd /src; $script"
	' bash "$bare" "$work" "$repo" "$1"
}

out=$logs/deps-check.log
inroot 'scripts/deps.sh --check build' >"$out" 2>&1
rc=$?
check "--check on a bare root fails" test "$rc" = 1
check "--check names liburing-dev and the compiler" \
	grep -q 'apt-get install.*gcc.*liburing-dev' "$out"
check "--check names libjansson-dev" \
	grep -q 'apt-get install.*libjansson-dev' "$out"
check "--check installs nothing" \
	bash -c "! grep -q installing '$out'"

start=$(date +%s)
run_logged deps-install inroot 'scripts/deps.sh build'
rc=$?
check "scripts/deps.sh build installs what is missing (apt-get)" test "$rc" = 0
check "it said what it installed" grep -q 'deps: installing .*liburing-dev' \
	"$logs/deps-install.log"
check "libjansson-dev among it" grep -q 'deps: installing .*libjansson-dev' \
	"$logs/deps-install.log"
echo "# install: $(($(date +%s) - start)) s"

run_logged deps-make inroot 'make userspace'
check "make userspace builds after it" test -x "$work/upper/src/userspace/dmabench"
again=$(inroot 'scripts/deps.sh build' 2>&1)
check "a second deps step has nothing to do" test -z "$again"
echo "# install and build: $(($(date +%s) - start)) s"

# Elsewhere: what to install, and failure.
out=$logs/deps-other.log
inroot 'printf "ID=fedora\nID_LIKE=\"rhel centos\"\n" >/etc/os-release; scripts/deps.sh plots' >"$out" 2>&1
rc=$?
check "on another distribution it fails" test "$rc" = 1
check "and names the packages to install there" grep -q 'dnf install gnuplot' "$out"
finish
