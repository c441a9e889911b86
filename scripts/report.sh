#!/usr/bin/env bash
# Write RUN/report.md: provenance, comparison tables and plots of a run.
set -euo pipefail

usage() {
	cat <<'EOF'
usage: scripts/report.sh RUN [BASE]

Write RUN/report.md, a Markdown report of the dmabench run directory RUN.
It begins with the answer: the summaries of 'dmabench compare --summary'
(a line per api and path: both medians of map+unmap at 4 KiB to_device,
the change, the verdict, and whether the other sizes and directions
change; with BASE kernel against kernel first, then page against phys
and, where the run has it, page against phys_page in RUN).  Then where
the run comes from (kernel, command line, CPU, unit, clock, emulation,
suite revision, date, from meta.json), the full tables of 'dmabench
compare --within RUN --a page --b phys --op pair' and with BASE of
'dmabench compare BASE RUN --op pair', where both runs carry traces
(trace.csv) the attribution of the traced calls by function ('dmabench
compare --attribution', per op), and the images of RUN/plots/ (drawn
first by scripts/plots.sh when RUN/plots/ is missing, or when BASE is
given and there is no ratio image).
The report links its images relatively, so RUN/report.md and RUN/plots/
can be moved together.

Builds userspace/dmabench with make when it is missing.

Options:
  -h, --help this text
EOF
}

case "${1:-}" in
-h | --help)
	usage
	exit 0
	;;
-*)
	echo "report: unknown option '$1' (see --help)" >&2
	exit 2
	;;
esac
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	usage >&2
	exit 2
fi
run=${1%/}
base=${2:-}
base=${base%/}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dmabench=$top/userspace/dmabench

for d in "$run" ${base:+"$base"}; do
	if [ ! -f "$d/summary.csv" ] || [ ! -f "$d/meta.json" ]; then
		echo "report: $d is not a run directory (no summary.csv or meta.json)" >&2
		exit 1
	fi
done
if [ ! -x "$dmabench" ]; then
	echo "report: building $dmabench" >&2
	make -C "$top/userspace" >&2
fi
if [ ! -d "$run/plots" ] || { [ -n "$base" ] && [ ! -s "$run/plots/ratio.png" ]; }; then
	"$top/scripts/plots.sh" "$run" ${base:+"$base"}
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The provenance of a run as a Markdown list, from its meta.json.
provenance() {
	python3 - "$1" <<'EOF'
import json
import os
import sys

run = sys.argv[1]
with open(os.path.join(run, "meta.json"), encoding="utf-8") as f:
    m = json.load(f)
boots = m.get("boots") or []


def uniq(values):
    out = []
    for v in values:
        if v not in (None, "") and v not in out:
            out.append(v)
    return out


def code(s):
    s = str(s).replace("`", "'")
    return "`" + s + "`"


clock = m.get("clock") or {}
cpus = uniq("%s (%s CPUs)" % ((b.get("cpu") or {}).get("model", "?"),
                              (b.get("cpu") or {}).get("count", "?"))
            for b in boots)
lines = [
    ("run", code(os.path.basename(os.path.normpath(run)))),
    ("kernel release", ", ".join(code(r) for r in uniq(
        (b.get("kernel") or {}).get("release") for b in boots)) or "?"),
    ("kernel version", ", ".join(code(r) for r in uniq(
        (b.get("kernel") or {}).get("version") for b in boots)) or "?"),
    ("CPU", ", ".join(cpus) or "?"),
    ("unit", m.get("unit", "?")),
    ("clock", "%s%s" % (clock.get("source", "?"),
                        " (%s)" % clock["conversion"]
                        if clock.get("conversion") else "")),
    ("emulated", "yes: emulated (QEMU TCG, instruction counts); the "
     "figures count guest instructions, not time" if m.get("emulated")
     else "no" + (" (under a hypervisor)" if m.get("hypervisor") else "")),
    ("suite revision", code((m.get("suite") or {}).get("rev", "?"))),
    ("date", m.get("date", "?")),
    ("command", code(m.get("command", "?"))),
]
for k, v in lines:
    print("- **%s:** %s" % (k, v))
for i, b in enumerate(boots):
    notes = b.get("notes") or {}
    extra = "; ".join("%s=%s" % (k, code(v)) for k, v in notes.items())
    print("- **boot %d** kernel command line: %s%s" % (
        i, code(b.get("cmdline", "?")), ("  \n  notes: " + extra)
        if extra else ""))
EOF
}

release() {
	python3 - "$1" <<'EOF'
import json
import os
import sys
with open(os.path.join(sys.argv[1], "meta.json"), encoding="utf-8") as f:
    m = json.load(f)
rel = []
for b in m.get("boots") or []:
    r = (b.get("kernel") or {}).get("release")
    if r and r not in rel:
        rel.append(r)
print(" + ".join(rel) or "unknown kernel")
EOF
}

# A dmabench compare table, or the reason there is none.
compare_md() {
	if "$dmabench" compare "$@" --format md >"$tmp/cmp.md" 2>"$tmp/cmp.err"; then
		# Demote its headings below the report's own.
		sed 's/^#/###/' "$tmp/cmp.md"
	else
		echo "report: dmabench compare $* failed:" >&2
		cat "$tmp/cmp.err" >&2
		echo "_dmabench compare failed:_"
		echo
		echo '```'
		grep -v 'warning:' "$tmp/cmp.err" || true
		echo '```'
		return 1
	fi
	if grep -q 'warning:' "$tmp/cmp.err"; then
		echo
		echo "Warnings of dmabench compare:"
		echo
		echo '```'
		grep 'warning:' "$tmp/cmp.err" | head -n 20
		echo '```'
	fi
}

image() { # kind caption
	if [ -s "$run/plots/$1.png" ]; then
		printf '### %s\n\n![%s](plots/%s.png)\n\n' "$2" "$2" "$1"
		printf 'Vector version: [plots/%s.svg](plots/%s.svg)\n\n' "$1" "$1"
	fi
}

# The workload rows of a run (workload.csv) as a Markdown table.
workloads_md() {
	python3 - "$1/workload.csv" <<'EOF_PY'
import csv
import sys

def f(v, scale=1, fmt="%.0f"):
    try:
        return fmt % (float(v) * scale)
    except ValueError:
        return "-"

rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
print("| tool | workload | path | size | qd | batch | completion | buffers "
      "| ops/s | p50 | p99 | CPU ns/op | DMA share | status |")
print("|---|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---|")
for r in rows:
    print("| %s |" % " | ".join([
        r["tool"], r["workload"] + (" " + r["variant"] if r["variant"] else ""),
        r["path"], r["size"], r["qd"], r["batch"], r["completion"],
        r["buffers"], f(r["rate"]), f(r["lat_p50"]), f(r["lat_p99"]),
        f(r["cpu_ns_per_op"]), f(r["dma_share"], 100, "%.1f %%"),
        r["status"] if r["status"] == "ok" else
        "%s: %s" % (r["status"], r["note"].replace("|", "/"))]))
EOF_PY
}

# Does the run hold rows of an api?
has_api() {
	grep -q "^$2," "$1/summary.csv"
}

status=0
rel=$(release "$run")
{
	if [ -n "$base" ]; then
		echo "# dmabench report: kernel $rel against $(release "$base")"
	else
		echo "# dmabench report: kernel $rel"
	fi
	echo
	echo "Cost of the Linux DMA mapping API on its hot path, measured by"
	echo "dmabench: one map and unmap (op \`pair\`) of each api"
	echo "(\`page\` = dma_map_page_attrs, \`phys\` = dma_map_phys,"
	echo "\`phys_page\` = page_to_phys then dma_map_phys, \`single\`,"
	echo "\`resource\`, \`iova\`) on each DMA path (direct, swiotlb,"
	echo "iommu-strict, iommu-lazy, iommu-identity)."
	echo
	echo "## The answer first"
	echo
	echo "Made with \`dmabench compare --summary\`; the full tables follow below."
	echo
	if [ -n "$base" ]; then
		echo "### Kernel $rel (B) against $(release "$base") (A)"
		echo
		compare_md --summary "$base" "$run" || status=1
		echo
	fi
	for b in phys phys_page; do
		if ! has_api "$run" page || ! has_api "$run" "$b"; then
			continue
		fi
		echo "### $b (B) against page (A), kernel $rel"
		echo
		compare_md --summary --within "$run" --a page --b "$b" || status=1
		echo
	done
	echo "![overview](plots/overview.png)"
	echo
	echo "## Provenance"
	echo
	if [ -n "$base" ]; then
		echo "### B: this run"
		echo
	fi
	provenance "$run"
	if [ -n "$base" ]; then
		echo
		echo "### A: the base run"
		echo
		provenance "$base"
	fi
	echo
	echo "## page against phys, in this run"
	echo
	echo "Made with \`dmabench compare --within RUN --a page --b phys --format md --op pair\`."
	echo
	compare_md --within "$run" --a page --b phys --op pair --no-attribution ||
		status=1
	echo
	if [ -n "$base" ]; then
		echo "## Kernel against kernel"
		echo
		echo "A is the base run (kernel $(release "$base")), B this run (kernel $rel)."
		echo "Made with \`dmabench compare BASE RUN --format md --op pair\`."
		echo
		compare_md "$base" "$run" --op pair --no-attribution || status=1
		echo
	fi
	if [ -s "$run/trace.csv" ]; then
		echo "## Where the instructions go: traced calls"
		echo
		echo "From \`trace.csv\`: one marked call per point and op, every"
		echo "instruction from the call to its return, by function. Made with"
		echo "\`dmabench compare --attribution --format md\`."
		echo
		if [ -n "$base" ] && [ -s "$base/trace.csv" ]; then
			echo "### Kernel against kernel"
			echo
			compare_md --attribution "$base" "$run" || status=1
			echo
		fi
		for b in phys phys_page; do
			if ! grep -q "^$b," "$run/trace.csv" ||
				! grep -q '^page,' "$run/trace.csv"; then
				continue
			fi
			echo "### $b against page, in this run"
			echo
			compare_md --attribution --within "$run" --a page --b "$b" ||
				status=1
			echo
		done
	fi
	if [ -s "$run/workload.csv" ]; then
		echo "## Workloads: NVMe, fio, RDMA"
		echo
		echo "From \`workload.csv\`: per point, operations per second, latency"
		echo "per operation (\`lat_unit\` $(sed -n '2p' "$run/workload.csv" | cut -d, -f16)),"
		echo "busy CPU of all CPUs per operation, and the DMA share of non-idle"
		echo "kernel samples. The notes and the other columns are in the file."
		echo
		workloads_md "$run"
		echo
	fi
	echo "## Plots"
	echo
	image pagephys "page vs phys (and single, resource, iova) by path"
	image size "Cost against size, by path"
	image threads "Scaling with threads"
	image ratio "Kernel against kernel: B/A of the medians"
	image nvme "NVMe workloads by path (fio's IOPS beside dmabench's)"
	image rdma "RDMA memory registration, cost per page"
	echo "---"
	echo
	echo "Written by \`scripts/report.sh\` of dmabench; the raw figures are"
	echo "in the run directory's \`summary.csv\` and \`samples/\`."
} >"$tmp/report.md"
mv "$tmp/report.md" "$run/report.md"
echo "report: wrote $run/report.md"
exit "$status"
