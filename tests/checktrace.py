#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks a make vm-trace run: the traces are whole and agree with ICOUNT.

Usage: checktrace.py RUN --apis page,phys --paths direct,...

Prints "PASS: ..." and "FAIL: ..." lines (tests/lib.sh relays them as TAP)
and "# ..." notes.

Two instruments measure one call: the traced call's instructions (the call
side only: from the wrapper's call into the DMA API to its return) and the
ICOUNT median of the timed loop minus the harness (the empty slot).  They
differ by the timed loop's own caller side net of the harness: loading the
arguments, the call instruction itself and, for map, the
dma_mapping_error() check, less what the harness slot has between its two
rdtsc_ordered() reads.  That code is the same whatever path the mapping
takes: the gap is measured on dma-direct (where every call costs the same)
and must be at most the traced wrapper's own caller side (which has those
same instructions plus its prologue and return) plus INDEX: the loop also
finds the buffer, &t->bufs[b], between its two reads, which the wrapper is
handed ready (objdump of dmabench_time on Debian's 7.3, gcc 14: lea, sub,
lea for the 56-byte struct dmabench_buf).  On every path the traced
call plus the gap must then be exactly what the timed loop measured: the
median where all calls cost the same, else one of the raw samples (swiotlb's
slot search and release cost depends on where in its segment the slot is,
so its calls vary; the traced call is one more of them).
"""

import csv
import json
import os
import sys
from collections import defaultdict

# The timed loop's buffer lookup inside its window (see above).
INDEX = 3

TRACE_HEADER = "api,path,size,dir,op,function,calls,self,total"
POINTS_HEADER = "api,path,size,dir,op,tag,instructions,caller,functions"


def say(ok, what):
    print("%s: %s" % ("PASS" if ok else "FAIL", what))
    return ok


def note(what):
    print("# %s" % what)


def header(path):
    with open(path) as f:
        return f.readline().rstrip("\n")


def main():
    run = sys.argv[1]
    args = dict(zip(sys.argv[2::2], sys.argv[3::2]))
    apis = args["--apis"].split(",")
    paths = args["--paths"].split(",")
    files = {n: os.path.join(run, n) for n in
             ("trace.csv", "trace-points.csv", "trace.txt", "summary.csv",
              "meta.json")}
    if not say(all(os.path.exists(p) for p in files.values()),
               "%s has summary.csv, trace.csv, trace-points.csv, trace.txt"
               % run):
        return
    say(header(files["trace.csv"]) == TRACE_HEADER,
        "trace.csv's header is " + TRACE_HEADER)
    say(header(files["trace-points.csv"]) == POINTS_HEADER,
        "trace-points.csv's header is " + POINTS_HEADER)
    with open(files["meta.json"]) as f:
        meta = json.load(f)
    models = {b.get("cpu_model") for b in meta["boots"]}
    say(len(models) == 1 and None not in models,
        "meta.json records the CPU model of every boot (%s)"
        % ", ".join(sorted(str(m) for m in models)))

    rows = list(csv.DictReader(open(files["trace.csv"])))
    points = list(csv.DictReader(open(files["trace-points.csv"])))
    # The traced points are one thread, batch 1 (a quick matrix also has
    # batches and threads at the same api, path, size and dir).
    summary = [r for r in csv.DictReader(open(files["summary.csv"]))
               if r["unit"] == "instructions" and r["status"] == "ok"
               and r.get("threads", "1") == "1" and r.get("batch", "1") == "1"
               and r.get("pattern", "pair") in ("pair", "")]

    def key(r):
        return (r["api"], r["path"], r["size"], r["dir"], r["op"])

    by_point = defaultdict(list)
    for r in rows:
        by_point[key(r)].append(r)
    pts = {key(p): p for p in points}
    say(len(pts) == len(points), "one trace-points row per point and op")

    bad_sum, bad_fn, bad_count, bad_total = [], [], [], []
    for k, p in pts.items():
        fns = by_point.get(k, [])
        if sum(int(r["self"]) for r in fns) != int(p["instructions"]):
            bad_sum.append(k)
        if len(fns) != int(p["functions"]):
            bad_count.append(k)
        for r in fns:
            if r["function"].startswith("0x") or \
                    r["function"].startswith("dmabench_traced_"):
                bad_fn.append((k, r["function"]))
            if not int(r["self"]) <= int(r["total"]) <= \
                    int(p["instructions"]):
                bad_total.append((k, r["function"]))
    say(not bad_sum, "the functions' self counts sum to each call's "
        "instructions %s" % (bad_sum or ""))
    say(not bad_count, "functions counts the rows of each call %s"
        % (bad_count or ""))
    say(not bad_fn, "every instruction is in a known symbol and no wrapper "
        "is on the call side %s" % (bad_fn or ""))
    say(not bad_total, "self <= total <= the call's instructions %s"
        % (bad_total or ""))
    say(set(by_point) <= set(pts), "every trace.csv row has its point")

    with open(files["trace.txt"]) as f:
        wide = [n for n, line in enumerate(f, 1) if len(line.rstrip("\n")) >= 80]
    say(not wide, "trace.txt's lines are under 80 columns %s" % (wide or ""))

    med = {key(r): r for r in summary}
    traced = {}
    for api in apis:
        for path in paths:
            for op in ("map", "unmap"):
                found = [k for k in pts if k[0] == api and k[1] == path
                         and k[4] == op]
                if not say(len(found) == 1, "%s %s %s: one traced call"
                           % (api, path, op)):
                    continue
                s = med.get(found[0])
                if say(s is not None and s["net_median"] != "",
                       "%s %s %s: an ICOUNT net_median of the same point"
                       % (api, path, op)):
                    traced[(api, path, op)] = (pts[found[0]], s)

    # The caller-side gap, from dma-direct, where every call costs the
    # same (no state carries from one call to the next).
    gaps = {}
    for (api, path, op), (p, s) in sorted(traced.items()):
        if path != "direct":
            continue
        n, net = int(p["instructions"]), float(s["net_median"])
        gap = net - n
        say(s["min"] == s["max"],
            "%s direct %s: every timed call costs the same (%s)"
            % (api, op, s["median"]))
        if say(0 <= gap <= int(p["caller"]) + INDEX,
               "%s direct %s: traced %d, ICOUNT net median %g: the gap %g "
               "is within the loop's caller side (the wrapper's is %s, "
               "the buffer lookup up to %d)"
               % (api, op, n, net, gap, p["caller"], INDEX)):
            gaps[(api, op)] = gap

    # Every path: the traced call plus that gap is a cost the timed loop
    # measured, exactly; where all its calls cost the same, the median.
    for (api, path, op), (p, s) in sorted(traced.items()):
        gap = gaps.get((api, op))
        if gap is None:
            say(False, "%s %s %s: no caller-side gap from direct"
                % (api, path, op))
            continue
        n = int(p["instructions"])
        want = n + gap + float(s["harness"])
        if s["min"] == s["max"]:
            say(want == float(s["median"]),
                "%s %s %s: traced %d + gap %g = ICOUNT net median %s"
                % (api, path, op, n, gap, s["net_median"]))
            continue
        with open(os.path.join(run, s["samples"])) as f:
            got = {float(r[op]) for r in csv.DictReader(f)}
        say(want in got,
            "%s %s %s: traced %d + gap %g is one of the timed calls' costs "
            "(%sthey vary from call to call: %s to %s, median %s, net %s)"
            % (api, path, op, n, gap,
               "the median; " if want == float(s["median"]) else "",
               s["min"], s["max"], s["median"], s["net_median"]))


main()
