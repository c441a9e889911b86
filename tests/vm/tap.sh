# shellcheck shell=bash
# TAP for the checks that run inside a lab guest.  Source it, call check,
# and end with tap_end.
n=0
failed=0

# check "description" command...: one test point.  What the command
# prints is shown under it as TAP comments.
check() {
	local desc=$1 out
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		failed=1
	fi
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
}

tap_end() {
	echo "1..$n"
	exit "$failed"
}
