#!/usr/bin/env python3
# Write the run directories the unit tests of dmabench compare's
# attribution and dmabench verdict read: four kernels (Debian 6.12 and
# 7.3, same-config source builds of 6.12 and 7.3) and Debian 7.3 on
# another CPU model, each with meta.json, summary.csv, samples/,
# trace.csv and trace-points.csv in the shape the lab writes them.
# The function names are a real kernel's; the counts are made up, chosen
# so that every sum the tests check is known by hand (see the comments).
#
# Usage: tests/unit/data/trace/make-fixtures.py   (rewrites this folder)
import csv
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# (function, self, calls, parent); the first is the traced callee.
DA = {  # Debian 6.12.117, qemu64: no dma_map_phys
    ("page", "direct", "map"): [
        ("dma_map_page_attrs", 52, 1, None),
        ("dma_direct_map_page.constprop.0", 30, 1, "dma_map_page_attrs"),
        ("srso_return_thunk", 8, 4, "dma_map_page_attrs")],          # 90
    ("page", "direct", "unmap"): [
        ("dma_unmap_page_attrs", 40, 1, None),
        ("dma_direct_unmap_page", 26, 1, "dma_unmap_page_attrs"),
        ("srso_return_thunk", 8, 4, "dma_unmap_page_attrs")],        # 74
    ("page", "iommu-strict", "map"): [
        ("dma_map_page_attrs", 30, 1, None),
        ("iommu_dma_map_page", 64, 1, "dma_map_page_attrs"),
        ("__iommu_dma_map", 40, 1, "iommu_dma_map_page"),
        ("alloc_iova_fast", 52, 1, "__iommu_dma_map"),
        ("iommu_map", 30, 1, "__iommu_dma_map"),
        ("__iommu_map", 80, 1, "iommu_map"),
        ("intel_iommu_map_pages", 24, 1, "__iommu_map"),
        ("__domain_mapping", 120, 1, "intel_iommu_map_pages"),
        ("pfn_to_dma_pte", 90, 1, "__domain_mapping"),
        ("srso_return_thunk", 20, 10, "dma_map_page_attrs")],        # 550
    ("page", "iommu-strict", "unmap"): [
        ("dma_unmap_page_attrs", 28, 1, None),
        ("iommu_dma_unmap_page", 40, 1, "dma_unmap_page_attrs"),
        ("__iommu_dma_unmap", 60, 1, "iommu_dma_unmap_page"),
        ("iommu_unmap_fast", 30, 1, "__iommu_dma_unmap"),
        ("intel_iommu_unmap_pages", 70, 1, "iommu_unmap_fast"),
        ("cache_tag_flush_range", 150, 1, "__iommu_dma_unmap"),
        ("free_iova_fast", 48, 1, "__iommu_dma_unmap"),
        ("srso_return_thunk", 14, 7, "dma_unmap_page_attrs")],       # 440
}

# Debian 7.3.4, qemu64: page is a wrapper of dma_map_phys
DB_PHYS_DIRECT_MAP = [
    ("dma_map_phys", 48, 1, None),
    ("dma_direct_map_phys", 52, 1, "dma_map_phys"),
    ("cc_platform_has", 14, 1, "dma_direct_map_phys"),
    ("amd_cc_platform_has", 18, 1, "cc_platform_has"),
    ("srso_return_thunk", 18, 9, "dma_map_phys")]                   # 150
DB_PHYS_DIRECT_UNMAP = [
    ("dma_unmap_phys", 40, 1, None),
    ("dma_direct_unmap_phys", 44, 1, "dma_unmap_phys"),
    ("srso_return_thunk", 12, 6, "dma_unmap_phys")]                 # 96
DB_PHYS_IOMMU_MAP = [
    ("dma_map_phys", 40, 1, None),
    ("iommu_dma_map_phys", 70, 1, "dma_map_phys"),
    ("__iommu_dma_map", 40, 1, "iommu_dma_map_phys"),
    ("alloc_iova_fast", 52, 1, "__iommu_dma_map"),
    ("iommu_map_nosync", 34, 1, "__iommu_dma_map"),
    ("__iommu_map", 70, 1, "iommu_map_nosync"),
    ("__iommu_map.part.0", 10, 1, "__iommu_map"),
    ("intel_iommu_map_pages", 24, 1, "__iommu_map"),
    ("__domain_mapping", 120, 1, "intel_iommu_map_pages"),
    ("pfn_to_dma_pte", 90, 1, "__domain_mapping"),
    ("iommu_sync_map", 20, 1, "__iommu_dma_map"),
    ("srso_return_thunk", 24, 12, "dma_map_phys")]                  # 594
DB_PHYS_IOMMU_UNMAP = [
    ("dma_unmap_phys", 36, 1, None),
    ("iommu_dma_unmap_phys", 44, 1, "dma_unmap_phys"),
    ("__iommu_dma_unmap", 60, 1, "iommu_dma_unmap_phys"),
    ("iommu_unmap_fast", 30, 1, "__iommu_dma_unmap"),
    ("intel_iommu_unmap_pages", 70, 1, "iommu_unmap_fast"),
    ("cache_tag_flush_range", 150, 1, "__iommu_dma_unmap"),
    ("free_iova_fast", 48, 1, "__iommu_dma_unmap"),
    ("srso_return_thunk", 16, 8, "dma_unmap_phys")]                 # 454


def wrap(callee, self, thunk, body):
    """page's call: callee (self) calls body's root; thunk more returns."""
    root = body[0][0]
    out = [(callee, self, 1, None)]
    for f, s, c, p in body:
        if f == "srso_return_thunk":
            s, c = s + thunk, c + thunk // 2
        out.append((f, s, c, p or callee))
    return out


DB = {
    ("page", "direct", "map"):
        wrap("dma_map_page_attrs", 20, 0, DB_PHYS_DIRECT_MAP),      # 170
    ("page", "direct", "unmap"):
        wrap("dma_unmap_page_attrs", 18, 0, DB_PHYS_DIRECT_UNMAP),  # 114
    ("phys", "direct", "map"): DB_PHYS_DIRECT_MAP,
    ("phys", "direct", "unmap"): DB_PHYS_DIRECT_UNMAP,
    ("phys_page", "direct", "map"): DB_PHYS_DIRECT_MAP,
    ("phys_page", "direct", "unmap"): DB_PHYS_DIRECT_UNMAP,
    ("page", "iommu-strict", "map"):
        wrap("dma_map_page_attrs", 22, 2, DB_PHYS_IOMMU_MAP),       # 618
    ("page", "iommu-strict", "unmap"):
        wrap("dma_unmap_page_attrs", 20, 2, DB_PHYS_IOMMU_UNMAP),   # 476
    ("phys", "iommu-strict", "map"): DB_PHYS_IOMMU_MAP,
    ("phys", "iommu-strict", "unmap"): DB_PHYS_IOMMU_UNMAP,
}

SA = {  # source 6.12.117, the shared config, qemu64
    ("page", "direct", "map"): [
        ("dma_map_page_attrs", 50, 1, None),
        ("dma_direct_map_page", 26, 1, "dma_map_page_attrs"),
        ("srso_return_thunk", 4, 2, "dma_map_page_attrs")],          # 80
    ("page", "direct", "unmap"): [
        ("dma_unmap_page_attrs", 38, 1, None),
        ("dma_direct_unmap_page", 22, 1, "dma_unmap_page_attrs"),
        ("srso_return_thunk", 4, 2, "dma_unmap_page_attrs")],        # 64
    ("page", "iommu-strict", "map"): [(f, s, c, p) for f, s, c, p in
                                      DA[("page", "iommu-strict", "map")]],
    ("page", "iommu-strict", "unmap"): [(f, s, c, p) for f, s, c, p in
                                        DA[("page", "iommu-strict", "unmap")]],
}

SB_PHYS_DIRECT_MAP = [
    ("dma_map_phys", 46, 1, None),
    ("dma_direct_map_phys", 48, 1, "dma_map_phys"),
    ("cc_platform_has", 14, 1, "dma_direct_map_phys"),
    ("amd_cc_platform_has", 16, 1, "cc_platform_has"),
    ("srso_return_thunk", 6, 3, "dma_map_phys")]                    # 130
SB_PHYS_DIRECT_UNMAP = [
    ("dma_unmap_phys", 38, 1, None),
    ("dma_direct_unmap_phys", 36, 1, "dma_unmap_phys"),
    ("srso_return_thunk", 6, 3, "dma_unmap_phys")]                  # 80
SB = {  # source 7.3.4, the shared config, qemu64
    ("page", "direct", "map"):
        wrap("dma_map_page_attrs", 20, 0, SB_PHYS_DIRECT_MAP),      # 150
    ("page", "direct", "unmap"):
        wrap("dma_unmap_page_attrs", 18, 0, SB_PHYS_DIRECT_UNMAP),  # 98
    ("phys", "direct", "map"): SB_PHYS_DIRECT_MAP,
    ("phys", "direct", "unmap"): SB_PHYS_DIRECT_UNMAP,
    ("phys_page", "direct", "map"): SB_PHYS_DIRECT_MAP,
    ("phys_page", "direct", "unmap"): SB_PHYS_DIRECT_UNMAP,
    ("page", "iommu-strict", "map"): DB[("page", "iommu-strict", "map")],
    ("page", "iommu-strict", "unmap"): DB[("page", "iommu-strict", "unmap")],
    ("phys", "iommu-strict", "map"): DB_PHYS_IOMMU_MAP,
    ("phys", "iommu-strict", "unmap"): DB_PHYS_IOMMU_UNMAP,
}


def intel(body):
    """Debian 7.3 on an Intel model: no AMD checks, plain return thunks."""
    out = []
    for f, s, c, p in body:
        if f == "amd_cc_platform_has":
            continue
        if f == "cc_platform_has":
            s = 6
        if f == "srso_return_thunk":
            f, s, c = "__x86_return_thunk", c, c
        out.append((f, s, c, p))
    return out


CPU = {k: (intel(v) if k[1] == "direct" else v) for k, v in DB.items()}

RUNS = {
    "da": ("20261204-101500-6.12.117+deb13-amd64-d6a001",
           "6.12.117+deb13-amd64",
           "#1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1 (2026-11-02)",
           "QEMU Virtual CPU version 2.5+", "qemu64", DA),
    "db": ("20261204-102000-7.3.4+deb13-amd64-d73002", "7.3.4+deb13-amd64",
           "#1 SMP PREEMPT_DYNAMIC Debian 7.3.4-1~bpo13+1 (2026-11-20)",
           "QEMU Virtual CPU version 2.5+", "qemu64", DB),
    "sa": ("20261204-103000-6.12.117-dmabench-5a6003", "6.12.117-dmabench",
           "#1 SMP PREEMPT_DYNAMIC (linux-source-6.12 6.12.117-1, configs/lab.config)",
           "QEMU Virtual CPU version 2.5+", "qemu64", SA),
    "sb": ("20261204-104000-7.3.4-dmabench-5b7004", "7.3.4-dmabench",
           "#1 SMP PREEMPT_DYNAMIC (linux-source-7.3 7.3.4-1~bpo13+1, configs/lab.config)",
           "QEMU Virtual CPU version 2.5+", "qemu64", SB),
    "cpu": ("20261204-105000-7.3.4+deb13-amd64-c73005", "7.3.4+deb13-amd64",
            "#1 SMP PREEMPT_DYNAMIC Debian 7.3.4-1~bpo13+1 (2026-11-20)",
            "Intel Core Processor (Skylake, IBRS)", "max,vendor=GenuineIntel",
            CPU),
}

SUMMARY_HEADER = ("api,path,size,dir,threads,op,unit,n,min,median,p90,p99,max,"
                  "mean,harness,net_median,nents,offset,attrs,observed,status,"
                  "note,boot,samples,pattern,batch,working_set")


def inclusive(body):
    total = {f: s for f, s, _, _ in body}
    for f, s, _, p in reversed(body):
        if p:
            total[p] += total[f] if f != p else 0
    return total


def write(key, name, release, version, cpu, qemu_cpu, traces):
    run = os.path.join(HERE, name)
    os.makedirs(os.path.join(run, "samples", "boot0"), exist_ok=True)
    meta = {
        "format": 1, "unit": "instructions",
        "clock": {"source": "icount", "tsc_khz": 1000000},
        "emulated": True,
        "boots": [{"kernel": {"release": release, "version": version},
                   "cpu": {"model": cpu, "count": 1},
                   "cpu_model": qemu_cpu,
                   "module": {"tsc_khz": 1000000}}],
    }
    with open(os.path.join(run, "meta.json"), "w") as f:
        json.dump(meta, f, indent="\t")
        f.write("\n")
    # trace.csv and trace-points.csv
    with open(os.path.join(run, "trace.csv"), "w", newline="") as f, \
            open(os.path.join(run, "trace-points.csv"), "w", newline="") as g:
        w = csv.writer(f, lineterminator="\n")
        p = csv.writer(g, lineterminator="\n")
        w.writerow("api,path,size,dir,op,function,calls,self,total".split(","))
        p.writerow("api,path,size,dir,op,tag,instructions,caller,functions"
                   .split(","))
        for (api, path, op), body in traces.items():
            inc = inclusive(body)
            for fn, s, c, _ in body:
                w.writerow([api, path, 4096, "to_device", op, fn, c, s,
                            inc[fn]])
            p.writerow([api, path, 4096, "to_device", op, "0x1001000",
                        sum(s for _, s, _, _ in body), "dmabench_run_" + api,
                        len(body)])
    # summary.csv: the traced totals as medians (plus a harness of 12,
    # whose median the module subtracts), at 4096 and at 64 bytes;
    # `single` on direct the same on every kernel at both sizes
    rows = []
    points = {}
    for (api, path, op), body in traces.items():
        points.setdefault((api, path), {})[op] = sum(s for _, s, _, _ in body)
    if "direct" in {p for _, p in points}:
        points[("single", "direct")] = {"map": 140, "unmap": 100}
    for (api, path), ops in points.items():
        for size in (64, 4096):
            vals = dict(ops)
            if size == 64:
                vals = {k: v - 2 for k, v in vals.items()}
            vals["pair"] = vals["map"] + vals["unmap"]
            sfile = "samples/boot0/%s-%s-%d-to_device.csv" % (api, path, size)
            with open(os.path.join(run, sfile), "w") as f:
                f.write("map,unmap,pair\n")
                for _ in range(25):
                    f.write("%d,%d,%d\n" % (vals["map"], vals["unmap"],
                                             vals["pair"]))
            for op in ("map", "unmap", "pair"):
                v = vals[op]
                rows.append([api, path, size, "to_device", 1, op,
                             "instructions", 25, v, v, v, v, v, v, 12, v - 12,
                             1, 0, 0, "iova" if "iommu" in path else "direct",
                             "ok", "", 0, sfile, "pair", 1, 1])
    with open(os.path.join(run, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(SUMMARY_HEADER.split(","))
        w.writerows(rows)


for key, (name, release, version, cpu, qemu_cpu, traces) in RUNS.items():
    write(key, name, release, version, cpu, qemu_cpu, traces)
