#!/usr/bin/env bash
# dmabench export and the engines' files (configs/lkp, configs/lava), on a
# run directory fixture (tests/data/export-run: rows of the published 7.3
# run and two workload rows), in seconds:
# - lkp: every line "name: value" with a numeric value, names unique and
#   the same for the same points in another run; the LKP stats script
#   passes them on and drops the rest of the test's output;
# - kcidb: the document checked against the v4 schema's required fields
#   and types (tests/checkkcidb.py), and the checker rejects a broken one;
# - lava: the test definition's install and run steps run here, with a
#   stand-in lava-test-case that records its calls and a make whose
#   "bench" prints the fixture instead of measuring: the calls are the
#   export's, after one dmabench-bench pass; a failing make bench is one
#   failed case.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$repo" || exit 1

dmabench=$repo/userspace/dmabench
fixture=$repo/tests/data/export-run
if ! run_logged export-build make -s -C userspace; then
	check "userspace builds" false
	finish
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# LKP
"$dmabench" export --format lkp "$fixture" >"$work/lkp" 2>"$work/lkp.err"
check "export --format lkp succeeds" test $? = 0
check "lkp: lines written" test "$(wc -l <"$work/lkp")" -gt 20
check "lkp: every line is 'name: number'" \
	bash -c "! grep -vE '^[A-Za-z0-9_.-]+: -?[0-9]+(\.[0-9]+)?$' '$work/lkp'"
check "lkp: names unique" \
	bash -c "[ -z \"\$(cut -d: -f1 '$work/lkp' | sort | uniq -d)\" ]"
check "lkp: the median of page on direct, 4 KiB, pair, in instructions" \
	grep -q '^micro\.page\.direct\.4096\.to_device\.pair\.median_insn: [0-9]' "$work/lkp"
check "lkp: a workload's rate" \
	grep -q '^workload\.dmabench\.nvme-randread\.direct\.4096\.qd1\.b1\.irq\.normal\.ops_per_s: 10200.5$' "$work/lkp"
check "lkp: a figure the run lacks is not written (no kinstr_per_op)" \
	bash -c "! grep -q 'kinstr_per_op' '$work/lkp'"
check "lkp: a point that is not ok has no line" \
	bash -c "! grep -q '^micro\.iova\.' '$work/lkp'"
# Another run of the same points: another directory, date and figures.
cp -r "$fixture" "$work/other-run"
sed -i 's/"date": "[^"]*"/"date": "2027-01-01T00:00:00Z"/' "$work/other-run/meta.json"
sed -i 's/,10200.5,/,9000,/' "$work/other-run/workload.csv"
"$dmabench" export --format lkp "$work/other-run" >"$work/lkp2"
check "lkp: names stable across runs" \
	cmp -s <(cut -d: -f1 "$work/lkp") <(cut -d: -f1 "$work/lkp2")
check "lkp: values follow the run" \
	grep -q 'ops_per_s: 9000$' "$work/lkp2"
{ echo "make bench progress"; echo "dmabench-run: /x"; cat "$work/lkp"; } |
	configs/lkp/stats/dmabench >"$work/stats"
check "LKP stats script passes the figures on, drops the rest" \
	cmp -s "$work/stats" "$work/lkp"
check "LKP job file names the suite" grep -q '^suite: dmabench$' configs/lkp/dmabench.yaml

# KCIDB
"$dmabench" export --format kcidb --origin lab_one --checkout abc \
	"$fixture" >"$work/kcidb.json"
check "export --format kcidb succeeds" test $? = 0
python3 tests/checkkcidb.py "$work/kcidb.json" >"$work/kcidb.chk"
check "kcidb: the checker ran" test -s "$work/kcidb.chk"
relay_checks <"$work/kcidb.chk"
check "kcidb: origin and checkout id as given" \
	grep -q '"id": "lab_one:abc"' "$work/kcidb.json"
check "kcidb: the kernel release and version string in the checkout" \
	grep -q '"comment": "Linux 7.3.4+deb13-amd64 #1 SMP' "$work/kcidb.json"
check "kcidb: tests have dot-separated paths" \
	grep -q '"path": "dmabench.micro.page.direct.4096.to_device.pair"' "$work/kcidb.json"
python3 - "$work/kcidb.json" "$work/broken.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
del d["builds"][0]["checkout_id"]
d["tests"][0]["status"] = "OK"
json.dump(d, open(sys.argv[2], "w"))
PY
check "kcidb: the checker rejects a broken document" \
	bash -c "! python3 tests/checkkcidb.py '$work/broken.json' >/dev/null"
check "--origin is checked" \
	bash -c "! '$dmabench' export --format kcidb --origin Bad-Name '$fixture' 2>/dev/null"

# LAVA: the definition's steps, with stand-ins.
mkdir -p "$work/bin"
cat >"$work/bin/lava-test-case" <<SH
#!/bin/sh
echo "\$*" >>"$work/calls"
SH
cat >"$work/bin/make" <<SH
#!/bin/sh
echo "make \$*" >>"$work/makes"
for a in "\$@"; do
	case \$a in
	bench) [ -n "\${FAIL_BENCH:-}" ] && exit 2
	       echo "bench: progress"; echo "$fixture"; exit 0 ;;
	deps) exit 0 ;;
	esac
done
exec /usr/bin/make "\$@"
SH
chmod +x "$work/bin/lava-test-case" "$work/bin/make"
python3 - configs/lava/dmabench.yaml >"$work/steps" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["metadata"]["format"] == "Lava-Test Test Definition 1.0"
for k, v in (d.get("params") or {}).items():
    print(f"export {k}='{v}'")
for part in ("install", "run"):
    for s in (d.get(part) or {}).get("steps", []):
        print(s)
PY
check "lava: the definition parses, with steps" test -s "$work/steps"
lava_steps() {
	(
		cd "$repo" && PATH=$work/bin:$PATH bash -euo pipefail "$work/steps"
	) >"$work/lava.out" 2>&1
}
lava_steps
check "lava: the steps succeed" test $? = 0
check "lava: make deps ran (install) before make bench" \
	bash -c "grep -n '' '$work/makes' | grep -E 'deps|bench' | head -1 | grep -q deps"
"$dmabench" export --format lava "$fixture" | sed 's/^lava-test-case //' \
	>"$work/want"
check "lava: the calls are dmabench-bench pass, then the export's" \
	cmp -s "$work/calls" <(echo "dmabench-bench --result pass"; cat "$work/want")
check "lava: a figure is --result pass --measurement N --units U" \
	grep -qE '^micro\.page\.direct\.4096\.to_device\.pair\.median_insn --result pass --measurement [0-9]+ --units instructions$' "$work/calls"
check "lava: a point not ok is a skipped case" \
	grep -q '^micro.iova.direct.4096.to_device.pair --result skip$' "$work/calls"
rm -f "$work/calls"
FAIL_BENCH=1 lava_steps
check "lava: a failing make bench fails the step" test $? != 0
check "lava: ... and is one failed case" \
	cmp -s "$work/calls" <(echo "dmabench-bench --result fail")
finish
