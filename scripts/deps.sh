#!/usr/bin/env bash
# The dependency step every host target runs first (make deps): check that
# the tools and headers dmabench needs on this machine are there; on Debian
# or Ubuntu install what is missing with apt-get (one apt-get update at
# most); elsewhere, or without root, print exactly what to install and
# exit 1.
#
# Usage: scripts/deps.sh [--check] [GROUP...]
#   GROUP   build   the compiler and the userspace tool's libraries
#                   (liburing, libblkid, libibverbs, librdmacm, jansson)
#           lab     build, and what the VM lab runs on the host
#                   (debootstrap, unshare, flock, timeout)
#           plots   gnuplot and python3 (make plots, make report)
#           test    lab and plots, shellcheck and prove
#           all     all of them (the default)
#   --check        install nothing: say what is missing, exit 1 if anything is
#
# Environment: CC (default cc), as in userspace/Makefile.
set -euo pipefail

check_only=0
groups=()
for a in "$@"; do
	case $a in
	--check) check_only=1 ;;
	build|lab|plots|test|all) groups+=("$a") ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "deps: unknown argument '$a' (see --help)" >&2; exit 2 ;;
	esac
done
[ ${#groups[@]} -gt 0 ] || groups=(all)

# What each group needs: "kind:name:debian:fedora", kind tool (a command
# on PATH), header (an #include the compiler must find) or pymod (a module
# python3 imports).
build=(
	tool:cc:gcc:gcc
	tool:make:make:make
	header:stdio.h:libc6-dev:glibc-devel
	header:liburing.h:liburing-dev:liburing-devel
	header:blkid/blkid.h:libblkid-dev:libblkid-devel
	header:infiniband/verbs.h:libibverbs-dev:rdma-core-devel
	header:rdma/rdma_cma.h:librdmacm-dev:rdma-core-devel
	header:jansson.h:libjansson-dev:jansson-devel
)
lab=(
	tool:debootstrap:debootstrap:debootstrap
	tool:unshare:util-linux:util-linux
	tool:flock:util-linux:util-linux
	tool:timeout:coreutils:coreutils
)
plots=(
	tool:gnuplot:gnuplot-nox:gnuplot
	tool:python3:python3:python3
)
test=(
	tool:shellcheck:shellcheck:ShellCheck
	tool:prove:perl:perl-Test-Harness
	pymod:yaml:python3-yaml:python3-pyyaml
)
want=()
for g in "${groups[@]}"; do
	case $g in
	build) want+=("${build[@]}") ;;
	lab) want+=("${build[@]}" "${lab[@]}") ;;
	plots) want+=("${plots[@]}") ;;
	test|all) want+=("${build[@]}" "${lab[@]}" "${plots[@]}" "${test[@]}") ;;
	esac
done

cc=${CC:-cc}
have() {
	local kind=$1 name=$2
	if [ "$kind" = tool ]; then
		[ "$name" = cc ] && name=$cc
		command -v "$name" >/dev/null 2>&1
	elif [ "$kind" = pymod ]; then
		python3 -c "import $name" >/dev/null 2>&1
	else
		command -v "$cc" >/dev/null 2>&1 &&
			echo "#include <$name>" | "$cc" -E -x c - >/dev/null 2>&1
	fi
}

# The missing ones: what, and the Debian and Fedora packages that give it.
missing=() deb=() rpm=()
scan() {
	local w kind name d f
	missing=() deb=() rpm=()
	for w in "${want[@]}"; do
		IFS=: read -r kind name d f <<<"$w"
		have "$kind" "$name" && continue
		case " ${missing[*]} " in *" $name "*) continue ;; esac
		missing+=("$name")
		case " ${deb[*]} " in *" $d "*) ;; *) deb+=("$d") ;; esac
		case " ${rpm[*]} " in *" $f "*) ;; *) rpm+=("$f") ;; esac
	done
}
scan
[ ${#missing[@]} -eq 0 ] && exit 0

debian=0
if [ -r /etc/os-release ]; then
	# shellcheck source=/dev/null
	. /etc/os-release
	case " ${ID:-} ${ID_LIKE:-} " in *" debian "*|*" ubuntu "*) debian=1 ;; esac
fi
command -v apt-get >/dev/null 2>&1 || debian=0

tell() {
	echo "deps: missing: ${missing[*]}" >&2
	if [ "$debian" = 1 ]; then
		echo "deps: install them with: sudo apt-get install ${deb[*]}" >&2
	else
		echo "deps: on Fedora, RHEL or CentOS: sudo dnf install ${rpm[*]}" >&2
		echo "deps: on Debian or Ubuntu: sudo apt-get install ${deb[*]}" >&2
		echo "deps: elsewhere: the commands and headers named above" \
			"(headers found by '${cc} -E')" >&2
	fi
}

if [ "$check_only" = 1 ] || [ "$debian" = 0 ] || [ "$(id -u)" != 0 ]; then
	tell
	[ "$debian" = 1 ] && [ "$check_only" = 0 ] &&
		echo "deps: (as root, make deps installs them itself)" >&2
	exit 1
fi

echo "deps: installing ${deb[*]} (for ${missing[*]})" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Wait for another apt-get (a second make target, unattended upgrades).
apt=(apt-get -o DPkg::Lock::Timeout=300)
if ! "${apt[@]}" install -y -qq --no-install-recommends "${deb[@]}" >"$log" 2>&1; then
	# The package lists may be stale or absent (a fresh container).
	if ! "${apt[@]}" update -qq >>"$log" 2>&1 ||
		! "${apt[@]}" install -y -qq --no-install-recommends "${deb[@]}" \
			>>"$log" 2>&1; then
		tail -n 20 "$log" >&2
		echo "deps: apt-get could not install ${deb[*]}" >&2
		exit 1
	fi
fi
scan
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: still missing after apt-get: ${missing[*]}" >&2
	exit 1
fi
echo "deps: done" >&2
