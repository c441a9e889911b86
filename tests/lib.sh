# shellcheck shell=bash
# TAP helpers for the test scripts.  Source it; call check, then finish.
t_n=0
t_failed=0

# check "description" command [args...]: one test point.
check() {
	local desc=$1
	shift
	t_n=$((t_n + 1))
	if "$@"; then
		echo "ok $t_n - $desc"
	else
		echo "not ok $t_n - $desc"
		t_failed=1
	fi
}

# skip "description" "reason": a point that cannot run here, said so.
skip() {
	t_n=$((t_n + 1))
	echo "ok $t_n - $1 # SKIP $2"
}

# todo "description" "reason" command [args...]: a point known to fail, for
# the reason given (TAP's TODO: reported either way, never failing the
# file; prove lists it when it starts to pass).  Only for a failure that is
# understood to be open and said so in the README.
todo() {
	local desc=$1 why=$2
	shift 2
	t_n=$((t_n + 1))
	if "$@"; then
		echo "ok $t_n - $desc # TODO $why"
	else
		echo "not ok $t_n - $desc # TODO $why"
	fi
}

diag() { sed 's/^/# /'; }

# The lab's CPU model of a run: meta.json's cpu_model, or, in runs made
# before it was recorded, QEMU's -cpu option, else QEMU's default, qemu64.
cpu_model() {
	python3 -c 'import json, re, sys
b = json.load(open(sys.argv[1]))["boots"][0]
m = re.search(r"-cpu (\S+)", (b.get("notes") or {}).get("qemu", ""))
print(b.get("cpu_model") or (m.group(1) if m else "qemu64"))' "$1/meta.json"
}

# The kernel release of a run's first boot.
release() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["boots"][0]["kernel"]["release"])' "$1/meta.json"
}

finish() {
	echo "1..$t_n"
	exit "$t_failed"
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export repo
logs=$repo/build/test-logs
mkdir -p "$logs"

# run_logged NAME command...: run, keep the output in build/test-logs, and
# show its tail when it fails.
run_logged() {
	local name=$1
	shift
	if "$@" >"$logs/$name.log" 2>&1; then
		return 0
	fi
	echo "# $name failed; the end of $logs/$name.log:"
	tail -n 40 "$logs/$name.log" | diag
	return 1
}

# relay_checks < lines: a checker's "PASS: x", "FAIL: x", "SKIP: x: why"
# and "# note" lines as test points and comments.
relay_checks() {
	local line
	while IFS= read -r line; do
		case $line in
		"PASS: "*) check "${line#PASS: }" true ;;
		"FAIL: "*) check "${line#FAIL: }" false ;;
		"SKIP: "*": "*) line=${line#SKIP: }
			skip "${line%%: *}" "${line#*: }" ;;
		"#"*) echo "$line" ;;
		esac
	done
}

# relay_tap PREFIX FILE: the TAP a guest wrote, each of its points one of
# ours named "PREFIX: description", its comments passed on.
relay_tap() {
	local prefix=$1 line plan=
	while IFS= read -r line; do
		case $line in
		"ok "*) check "$prefix: ${line#ok * - }" true ;;
		"not ok "*) check "$prefix: ${line#not ok * - }" false ;;
		"Bail out!"*) check "$prefix: ${line#Bail out! }" false ;;
		"#"*) echo "$line" ;;
		1..*) plan=$line ;;
		esac
	done <"$2"
	# A script that died half-way printed no plan: that is a failure,
	# with what it said instead.
	if [ -z "$plan" ]; then
		check "$prefix: its checks ran to their end (a plan printed)" false
		grep -v -E '^(ok|not ok|#)' "$2" | tail -n 5 | sed 's/^/# /'
	fi
}
