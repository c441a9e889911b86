# shellcheck shell=bash
# TAP for the checks that run inside a lab guest.  Source it, call check,
# and end with tap_end.
n=0
failed=0

# check "description" command...: one test point.  What the command
# prints is shown under it as TAP comments.
check() {
	local desc=$1 printed
	shift
	n=$((n + 1))
	if printed=$("$@" 2>&1); then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		failed=1
	fi
	[ -z "$printed" ] || printf '%s\n' "$printed" | sed 's/^/# /'
}

tap_end() {
	echo "1..$n"
	exit "$failed"
}
