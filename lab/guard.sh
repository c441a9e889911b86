# shellcheck shell=bash
# Killed is not half-done: what the lab scripts that start guests or build
# in the root share, so that stopping them (Ctrl-C, SIGTERM, SIGHUP, or
# SIGKILL of whoever started them) leaves no QEMU, virtme-ng, chroot or
# build behind.  Source it, then:
#
#   guard_self "$@"   first thing: re-exec this script so that it gets
#                     SIGTERM when its parent dies, even by SIGKILL
#                     (make killed with -9 must not orphan a guest)
#   guard_run CMD...  run CMD in a process group of its own, which dies
#                     with us: on SIGINT, SIGTERM or SIGHUP the group gets
#                     SIGTERM, then SIGKILL after $GUARD_GRACE seconds (20);
#                     then guard_cleanup runs, if defined, and this script
#                     dies by the signal it got.  Returns CMD's status.
#                     CMD gets a grace 5 s shorter (at least 5): a guarded
#                     script inside stops its own group before we give up
#                     on it, so that nothing of it still writes when our
#                     guard_cleanup removes what it wrote.
#
# CMD itself dies with us if we are SIGKILLed: it runs with a parent-death
# signal too.  A CMD that makes process groups of its own (timeout does)
# must take them down when it gets SIGTERM, or get a parent-death signal.

guard_pid=
guard_grace=${GUARD_GRACE:-20}

guard_self() {
	local mark
	mark=GUARD_$(basename "$0" | tr -c 'A-Za-z0-9\n' _)
	if [ -z "${!mark-}" ] && command -v setpriv >/dev/null; then
		export "$mark=$$"
		exec setpriv --pdeathsig TERM -- "$0" "$@"
	fi
}

guard_run() {
	local st=0
	set -m
	GUARD_GRACE=$((guard_grace > 10 ? guard_grace - 5 : 5)) \
		setpriv --pdeathsig TERM -- "$@" &
	guard_pid=$!
	set +m
	wait "$guard_pid" || st=$?
	guard_pid=
	return "$st"
}

# guard_stop: SIGTERM to the running group, SIGKILL if it outlives the grace.
guard_stop() {
	local g=$guard_pid i
	[ -n "$g" ] || return 0
	kill -TERM -- "-$g" 2>/dev/null || return 0
	for ((i = 0; i < guard_grace * 10; i++)); do
		kill -0 -- "-$g" 2>/dev/null || return 0
		sleep 0.1
	done
	echo "$(basename "$0"): process group $g outlived SIGTERM: SIGKILL" >&2
	kill -KILL -- "-$g" 2>/dev/null || true
}

guard_signal() {
	trap '' INT TERM HUP
	echo "$(basename "$0"): stopped by SIG$1; stopping what it started" >&2
	guard_stop
	if declare -F guard_cleanup >/dev/null; then
		guard_cleanup || true
	fi
	trap - "$1"
	kill -"$1" $$
	exit 1
}

trap 'guard_signal INT' INT
trap 'guard_signal TERM' TERM
trap 'guard_signal HUP' HUP
