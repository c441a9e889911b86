#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where dmabench and the kernel's dma_map_benchmark differ, to the function.

Usage: lab/peerdiff.py RUN

RUN is a run directory of lab/vm-peer.sh --trace: its trace.csv and
trace-points.csv hold one traced map and unmap of each side (api "single"
for dmabench, "peer" for dma_map_benchmark) in one boot, and peer.csv the
two sides' timed means.  Prints, per op, the traced call of each side, the
timed figures, what the timed figure holds beyond the traced call, and the
functions whose instructions differ between the two calls (self counts:
the instructions in the function's own code), the largest first.
"""

import csv
import os
import sys

SIDES = ("single", "peer")
TOP = 25


def load(run):
    calls = {}
    with open(os.path.join(run, "trace.csv")) as f:
        for row in csv.DictReader(f):
            side = calls.setdefault((row["api"], row["op"]), {})
            side[row["function"]] = (int(row["calls"]), int(row["self"]))
    points = {}
    with open(os.path.join(run, "trace-points.csv")) as f:
        for row in csv.DictReader(f):
            points[(row["api"], row["op"])] = (int(row["instructions"]),
                                               int(row["caller"]))
    timed = {}
    with open(os.path.join(run, "peer.csv")) as f:
        for row in csv.DictReader(f):
            timed[row["op"]] = (float(row["dmabench_mean"]),
                                int(row["peer_mid"]))
    return calls, points, timed


def report(out, op, calls, points, timed):
    for side in SIDES:
        if (side, op) not in points:
            out.write("%s: no traced %s call of %s\n" % (op, op, side))
            return False
    (dn, dc), (pn, pc) = points[("single", op)], points[("peer", op)]
    dm, pm = timed.get(op, (float("nan"), 0))
    out.write("%s\n" % op)
    out.write("  %-36s %10s %10s %8s\n" % ("", "dmabench", "peer", "diff"))
    out.write("  %-36s %10d %10d %+8d\n" % ("traced call", dn, pn, dn - pn))
    out.write("  %-36s %10d %10d\n" % ("caller side of the trace", dc, pc))
    out.write("  %-36s %10.0f %10d %+8.0f\n" % ("timed (mean; the peer's mid)",
                                                dm, pm, dm - pm))
    out.write("  %-36s %10.0f %10d\n" % ("timed less the traced call",
                                         dm - dn, pm - pn))
    d, p = calls[("single", op)], calls[("peer", op)]
    rows = []
    for fn in set(d) | set(p):
        dcalls, dself = d.get(fn, (0, 0))
        pcalls, pself = p.get(fn, (0, 0))
        if dself != pself or dcalls != pcalls:
            rows.append((dself - pself, fn, dself, pself, dcalls, pcalls))
    rows.sort(key=lambda r: (-abs(r[0]), r[1]))
    out.write("  functions that differ, self instructions (calls): %d\n"
              % len(rows))
    for diff, fn, dself, pself, dcalls, pcalls in rows[:TOP]:
        out.write("    %-34s %7d (%3d) %7d (%3d) %+7d\n"
                  % (fn[:34], dself, dcalls, pself, pcalls, diff))
    if len(rows) > TOP:
        rest = sum(r[0] for r in rows[TOP:])
        out.write("    %-34s %27s %+7d\n"
                  % ("the other %d" % (len(rows) - TOP), "", rest))
    return True


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        return 0 if len(sys.argv) == 2 else 2
    try:
        calls, points, timed = load(sys.argv[1])
    except (OSError, KeyError, ValueError) as e:
        sys.stderr.write("peerdiff: %s: %s\n" % (sys.argv[1], e))
        return 1
    out = sys.stdout
    out.write("Where the two differ: one traced call of each side, in the "
              "same boot\n(instructions; which calls: meta.txt)\n\n")
    ok = True
    for op in ("map", "unmap"):
        ok = report(out, op, calls, points, timed) and ok
        out.write("\n")
    return 0 if ok else 1


sys.exit(main())
