#!/usr/bin/env python3
"""Turn the workload rows of a dmabench run (workload.csv) into gnuplot data.

Used by scripts/plots.sh after prep.py:  prep_workload.py OUTDIR RUN

Writes into OUTDIR, when the run has such rows (status ok):
  nvme.dat      one row per NVMe workload point of dmabench nvme, one
                column group per DMA path: IOPS, CPU ns per I/O (all
                CPUs), DMA share of non-idle kernel samples (%), and fio's
                IOPS for the same point where fio ran it
  rdma.dat      registration: median ns per 4 KiB page against size, one
                block per path and buffer kind
  wl_vars.gp    gnuplot variables of these plots
and appends "nvme" and "rdma" to OUTDIR/kinds.
"""

import csv
import json
import os
import sys

from prep import PATHS, gp_str, num, size_label


def fmt(v):
    return "?" if v is None else "%.6g" % v


def point_label(r):
    words = [r["workload"].replace("nvme-", ""), size_label(int(r["size"])),
             "qd" + r["qd"], "b" + r["batch"], r["completion"], r["buffers"]]
    if r["variant"]:
        words.append(r["variant"])
    return " ".join(w for w in words if w)


def main():
    outdir, run = sys.argv[1], sys.argv[2]
    path = os.path.join(run, "workload.csv")
    if not os.path.exists(path):
        return
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r.get("status") == "ok"]
    with open(os.path.join(run, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    kinds, v = [], {}

    # --- NVMe: dmabench's points per path, fio's IOPS beside them
    nv = [r for r in rows if r["workload"].startswith("nvme-")]
    mine = [r for r in nv if r["tool"] == "dmabench"]
    if mine:
        labels = []
        for r in mine:
            if point_label(r) not in labels:
                labels.append(point_label(r))
        paths = [p for p in PATHS if any(r["path"] == p for r in mine)]
        paths += sorted({r["path"] for r in mine} - set(paths))

        def get(tool, label, p):
            # the first boot's row where a point ran more than once
            for r in nv:
                if r["tool"] == tool and r["path"] == p and \
                        point_label(r) == label:
                    return r
            return None
        with open(os.path.join(outdir, "nvme.dat"), "w") as f:
            f.write("# point, then per path: iops cpu_ns_per_io "
                    "dma_share_pct fio_iops kinstr_per_io\n")
            for label in labels:
                cells = ['"%s"' % label]
                for p in paths:
                    r, fr = get("dmabench", label, p), get("fio", label, p)
                    share = num(r["dma_share"]) if r else None
                    cells += [fmt(num(r["rate"]) if r else None),
                              fmt(num(r["cpu_ns_per_op"]) if r else None),
                              fmt(share * 100 if share is not None else None),
                              fmt(num(fr["rate"]) if fr else None),
                              fmt(num(r["kinstr_per_op"]) if r else None)]
                f.write(" ".join(cells) + "\n")
        kinds.append("nvme")
        v["nv_paths"] = " ".join(paths)
        v["nv_n"] = len(paths)
        v["nv_unit"] = mine[0]["lat_unit"]
        v["nv_source"] = ", ".join(sorted({r["share_source"] for r in mine}))
        v["nv_fio"] = int(any(r["tool"] == "fio" for r in nv))
        # Panels drawn only where a figure exists (a point too short for
        # one leaves it empty; kernel instructions need a PMU).
        for col, flag in (("cpu_ns_per_op", "nv_cpu"),
                          ("dma_share", "nv_share"),
                          ("kinstr_per_op", "nv_kinstr")):
            v[flag] = int(any(num(r[col]) is not None for r in mine))

    # --- RDMA registration: ns per page against size
    reg = [r for r in rows if r["workload"] == "rdma-reg" and
           num(r["ns_per_page"]) is not None]
    if reg:
        names, blocks = [], []
        for p in sorted({r["path"] for r in reg}):
            for b in sorted({r["buffers"] for r in reg}):
                pts = sorted((int(r["size"]), num(r["ns_per_page"]))
                             for r in reg if r["path"] == p and
                             r["buffers"] == b)
                if pts:
                    names.append("%s/%s" % (p, b))
                    blocks.append("# %s/%s\n" % (p, b) + "\n".join(
                        "%d %s" % (s, fmt(x)) for s, x in pts))
        with open(os.path.join(outdir, "rdma.dat"), "w") as f:
            f.write("\n\n\n".join(blocks) + "\n")
        sizes = sorted({int(r["size"]) for r in reg})
        kinds.append("rdma")
        v["rd_names"] = " ".join(names)
        v["rd_n"] = len(names)
        v["rd_xtics"] = "set xtics (" + ", ".join(
            '"%s" %d' % (size_label(s), s) for s in sizes) + ")"
        v["rd_unit"] = reg[0]["lat_unit"]

    if not kinds:
        return
    v["wl_emu"] = ("emulated (QEMU TCG)" if meta.get("emulated")
                   else "measured on hardware")
    with open(os.path.join(outdir, "wl_vars.gp"), "w") as f:
        for k, val in v.items():
            f.write("%s = %s\n" % (k, val if isinstance(val, int)
                                   else gp_str(val)))
    with open(os.path.join(outdir, "kinds"), "a") as f:
        f.write("\n".join(kinds) + "\n")


if __name__ == "__main__":
    main()
