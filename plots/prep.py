#!/usr/bin/env python3
"""Turn a dmabench run directory into gnuplot data files.

Used by scripts/plots.sh:  prep.py OUTDIR RUN [BASE [COMPARE_CSV]]

Writes into OUTDIR:
  vars.gp       gnuplot variables: titles, key names, tics
  pagephys.dat  median and 95% interval per path and api (op pair)
  size.dat      median against size, one block per path and api
  threads.dat   rate against threads, one block per path and api
  ratio.dat     B/A of medians per path and api (with BASE)
  kinds         the plots that have data, one a line
A run with workload rows only gets vars.gp and an empty kinds; the
workload plots are prep_workload.py's.
Columns are read by name, so runs of an older format (no pattern,
ci_low, ci_high, rate) work too: what they lack is left out.
"""

import csv
import json
import math
import os
import sys

APIS = ["page", "phys", "phys_page", "single", "resource", "iova"]
SIZE_APIS = ["page", "phys", "phys_page"]
PATHS = ["direct", "direct-coherent", "swiotlb", "iommu-strict", "iommu-lazy", "iommu-identity"]
EMULATED = "emulated (QEMU TCG, instruction counts)"
TARGET_SIZE = 4096


def die(msg):
    sys.stderr.write("plots: %s\n" % msg)
    sys.exit(1)


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def load_meta(run):
    try:
        with open(os.path.join(run, "meta.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        die("%s: meta.json: %s" % (run, e))
    return None


def load_rows(run):
    try:
        with open(os.path.join(run, "summary.csv"), newline="",
                  encoding="utf-8") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        die("%s: summary.csv: %s" % (run, e))
    return None


def releases(meta):
    out = []
    for b in meta.get("boots") or []:
        r = ((b.get("kernel") or {}).get("release")) or ""
        if r and r not in out:
            out.append(r)
    return " + ".join(out) or "unknown kernel"


def ascii_only(s):
    return s.encode("ascii", "replace").decode("ascii")


def gp_str(s):
    """A gnuplot single-quoted string."""
    return "'" + ascii_only(str(s)).replace("'", "''") + "'"


def size_label(n):
    n = int(n)
    for div, suf in ((1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")):
        if n >= div and n % div == 0:
            return "%d%s" % (n // div, suf)
    return str(n)


def human_size(n):
    s = size_label(n)
    return s[:-1] + " " + s[-1] + "iB" if s[-1] in "KMG" else s + " B"


def order(values, known):
    first = [v for v in known if v in values]
    return first + sorted(v for v in values if v not in known)


def plain(r, unit):
    """An ok row in the run's unit of the plain case: one mapping at a
    time (pattern pair, batch 1, working set 1), one entry, offset 0, no
    attrs."""
    if r.get("status") != "ok" or r.get("unit") != unit:
        return False
    if num(r.get("median")) is None:
        return False
    for col, want in (("pattern", "pair"), ("batch", "1"),
                      ("working_set", "1"), ("nents", "1"),
                      ("offset", "0"), ("attrs", "0")):
        v = r.get(col)
        if v not in (None, "", want):
            return False
    return True


def closest(sizes, target=TARGET_SIZE):
    return min(sizes, key=lambda s: (abs(math.log(s / target)), s))


def pick(rows):
    """First row per (api, path, size, dir, threads, op)."""
    out = {}
    for r in rows:
        key = (r["api"], r["path"], int(r["size"]), r["dir"],
               int(r.get("threads") or 1), r["op"])
        out.setdefault(key, r)
    return out


def interval(r):
    m = num(r["median"])
    lo, hi = num(r.get("ci_low")), num(r.get("ci_high"))
    if lo is None or hi is None:
        return m, m, m, False
    return m, lo, hi, True


def fmt(v):
    return "?" if v is None else "%.6g" % v


def main():
    if len(sys.argv) < 3:
        die("usage: prep.py OUTDIR RUN [BASE [COMPARE_CSV]]")
    outdir, run = sys.argv[1], sys.argv[2]
    base = sys.argv[3] if len(sys.argv) > 3 else ""
    cmp_csv = sys.argv[4] if len(sys.argv) > 4 else ""

    meta = load_meta(run)
    unit = meta.get("unit") or "ns"
    emu = bool(meta.get("emulated"))
    clock = (meta.get("clock") or {}).get("source", "")
    rel = releases(meta)
    rows = [r for r in load_rows(run) if plain(r, unit)]
    pts = pick(rows)
    kinds = []
    v = {}
    if not rows and os.path.exists(os.path.join(run, "workload.csv")):
        # A run of workloads only: prep_workload.py draws what it has.
        finish(outdir, run, v, kinds, rel, unit, emu)
        return

    def path_list(keys):
        return order({k[1] for k in keys}, PATHS)

    # --- page vs phys (and the others) at 4 KiB, op pair, to_device, 1 thread
    sel = {k: r for k, r in pts.items()
           if k[5] == "pair" and k[3] == "to_device" and k[4] == 1
           and k[0] != "none"}
    if not sel:
        die("%s: no ok rows of op pair, dir to_device, 1 thread" % run)
    size = closest({k[2] for k in sel})
    sel = {k: r for k, r in sel.items() if k[2] == size}
    paths = path_list(sel)
    apis = order({k[0] for k in sel}, APIS)
    have_ci = False
    with open(os.path.join(outdir, "pagephys.dat"), "w") as f:
        f.write("# path " + " ".join("%s %s_lo %s_hi" % (a, a, a)
                                      for a in apis) + "\n")
        for p in paths:
            cells = [p]
            for a in apis:
                r = sel.get((a, p, size, "to_device", 1, "pair"))
                if r is None:
                    cells += ["?", "?", "?"]
                    continue
                m, lo, hi, ci = interval(r)
                have_ci = have_ci or ci
                cells += [fmt(m), fmt(lo), fmt(hi)]
            f.write(" ".join(cells) + "\n")
    kinds.append("pagephys")
    v["pp_apis"] = " ".join(apis)
    v["pp_n"] = len(apis)
    v["pp_npaths"] = len(paths)
    v["pp_size"] = human_size(size)
    v["pp_ci"] = ("error bars: 95% interval of the median" if have_ci
                  else "no interval in this run")

    # --- cost against size, page and phys, per path
    sel = {k: r for k, r in pts.items()
           if k[5] == "pair" and k[3] == "to_device" and k[4] == 1
           and k[0] in SIZE_APIS}
    names, blocks = [], []
    sizes = sorted({k[2] for k in sel})
    sz_apis = [a for a in SIZE_APIS if any(k[0] == a for k in sel)]
    for p in path_list(sel):
        lines = []
        for s in sizes:
            cells = [str(s)]
            for a in sz_apis:
                r = sel.get((a, p, s, "to_device", 1, "pair"))
                cells += [fmt(x) for x in interval(r)[:3]] if r else \
                    ["?", "?", "?"]
            lines.append(" ".join(cells))
        names.append(p)
        blocks.append("# %s: size %s\n" % (p, " ".join(
            "%s %s_lo %s_hi" % (a, a, a) for a in sz_apis))
            + "\n".join(lines))
    if not blocks:
        die("%s: no page or phys rows of op pair to plot against size" % run)
    with open(os.path.join(outdir, "size.dat"), "w") as f:
        f.write("\n\n\n".join(blocks) + "\n")
    kinds.append("size")
    v["sz_names"] = " ".join(names)
    v["sz_n"] = len(names)
    v["sz_apis"] = " ".join(sz_apis)
    v["sz_na"] = len(sz_apis)
    v["sz_xtics"] = "set xtics (" + ", ".join(
        '"%s" %d' % (size_label(s), s) for s in sizes) + ")"

    # --- rate against threads (raw rows: the rate is on every op's row)
    trows = [r for r in load_rows(run)
             if plain(r, unit) and r["op"] == "pair"
             and r["dir"] == "to_device" and r["api"] in SIZE_APIS
             and num(r.get("rate")) is not None]
    tcounts = sorted({int(r.get("threads") or 1) for r in trows})
    if len(tcounts) > 1:
        tsize = closest({int(r["size"]) for r in trows})
        tp = pick([r for r in trows if int(r["size"]) == tsize])
        names, blocks = [], []
        for p in path_list(tp):
            for a in SIZE_APIS:
                lines = ["%d %s" % (t, fmt(num(tp[(a, p, tsize, "to_device",
                                                  t, "pair")]["rate"])))
                         for t in tcounts
                         if (a, p, tsize, "to_device", t, "pair") in tp]
                if lines:
                    names.append("%s/%s" % (p, a))
                    blocks.append("# %s/%s\n" % (p, a) + "\n".join(lines))
        if blocks:
            with open(os.path.join(outdir, "threads.dat"), "w") as f:
                f.write("\n\n\n".join(blocks) + "\n")
            kinds.append("threads")
            v["th_names"] = " ".join(names)
            v["th_n"] = len(names)
            v["th_size"] = human_size(tsize)
            v["th_xtics"] = "set xtics (" + ", ".join(
                '"%d" %d' % (t, t) for t in tcounts) + ")"
            v["th_unit"] = ("operations per 10^9 guest instructions"
                            if clock == "icount" else "operations per second")

    # --- kernel A (BASE) against kernel B (RUN)
    if base:
        bmeta = load_meta(base)
        v["t_base"] = releases(bmeta)
        ratio, how = {}, ""
        if cmp_csv and os.path.getsize(cmp_csv) > 0:
            with open(cmp_csv, newline="", encoding="utf-8") as f:
                crow = [r for r in csv.DictReader(f)
                        if r.get("state") == "compared"
                        and r.get("op") == "pair"
                        and r.get("dir") == "to_device"
                        and r.get("threads", "1") == "1"
                        and r.get("api_a") not in (None, "", "none")
                        and r.get("api_a") == r.get("api_b")
                        and plain(dict(r, status="ok",
                                       median=r.get("median_a")),
                                  r.get("unit"))]
            if crow:
                csize = closest({int(r["size"]) for r in crow})
                for r in crow:
                    if int(r["size"]) != csize:
                        continue
                    ma, mb = num(r["median_a"]), num(r["median_b"])
                    lo, hi = num(r.get("ci_lo_pct")), num(r.get("ci_hi_pct"))
                    if not ma or mb is None:
                        continue
                    rr = mb / ma
                    ratio.setdefault((r["api_a"], r["path"]), (
                        rr, 1 + lo / 100 if lo is not None else rr,
                        1 + hi / 100 if hi is not None else rr))
                how = ("error bars: 95% interval of the change "
                       "(dmabench compare, bootstrap)")
        if not ratio:
            brows = [r for r in load_rows(base) if plain(r, unit)]
            bpts = pick(brows)
            common = [k for k in pts if k in bpts and k[5] == "pair"
                      and k[3] == "to_device" and k[4] == 1
                      and k[0] != "none"]
            if common:
                csize = closest({k[2] for k in common})
                for k in common:
                    if k[2] != csize:
                        continue
                    ma, mb = num(bpts[k]["median"]), num(pts[k]["median"])
                    if ma:
                        ratio[(k[0], k[1])] = (mb / ma, mb / ma, mb / ma)
                how = "ratio of the summary medians; no interval"
        if ratio:
            rpaths = order({k[1] for k in ratio}, PATHS)
            rapis = order({k[0] for k in ratio}, APIS)
            with open(os.path.join(outdir, "ratio.dat"), "w") as f:
                f.write("# path " + " ".join("%s %s_lo %s_hi" % (a, a, a)
                                              for a in rapis) + "\n")
                for p in rpaths:
                    cells = [p]
                    for a in rapis:
                        t = ratio.get((a, p))
                        cells += ([fmt(x) for x in t] if t
                                  else ["?", "?", "?"])
                    f.write(" ".join(cells) + "\n")
            kinds.append("ratio")
            v["ra_apis"] = " ".join(rapis)
            v["ra_n"] = len(rapis)
            v["ra_size"] = human_size(csize)
            v["ra_how"] = how
            v["ra_npaths"] = len(rpaths)
            v["ra_xtics"] = "set xtics (" + ", ".join(
                '"%s" %d' % (p, i) for i, p in enumerate(rpaths)) + ")"
        else:
            sys.stderr.write("plots: %s and %s have no point in common; "
                             "no ratio plot\n" % (base, run))

    kinds.append("overview")
    finish(outdir, run, v, kinds, rel, unit, emu)


def finish(outdir, run, v, kinds, rel, unit, emu):
    v["t_run"] = rel
    v["t_unit"] = unit
    v["t_emu"] = EMULATED if emu else "measured on hardware"
    v["t_runname"] = os.path.basename(os.path.normpath(run))
    v["datadir"] = outdir
    with open(os.path.join(outdir, "vars.gp"), "w") as f:
        for k, val in v.items():
            if isinstance(val, int):
                f.write("%s = %d\n" % (k, val))
            else:
                f.write("%s = %s\n" % (k, gp_str(val)))
    with open(os.path.join(outdir, "kinds"), "w") as f:
        f.write("".join(k + "\n" for k in kinds))

if __name__ == "__main__":
    main()
