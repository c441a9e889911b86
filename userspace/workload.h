/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workload.csv: the rows of the I/O workloads (dmabench nvme, fio, rdma),
 * beside the microbenchmark's summary.csv in the same run directory.
 *
 * A row is one workload point.  Its key is (tool, workload, path, size,
 * qd, batch, completion, buffers, variant, threads); the rest are its
 * figures.  A figure that was not measured is an empty field, and the
 * note says why.  Latencies are per operation (submission to completion
 * of that operation), in lat_unit.  Per-point files (histogram, profile)
 * live under workload/ and are named relative to the run directory.
 */
#ifndef DMABENCH_WORKLOAD_H
#define DMABENCH_WORKLOAD_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "results.h"

#define WORKLOAD_HEADER \
	"tool,workload,path,device,size,qd,batch,completion,buffers,variant," \
	"threads,seconds,ops,rate,mib_s,lat_unit,lat_min,lat_p50,lat_p90," \
	"lat_p99,lat_p999,lat_max,lat_mean,ns_per_page,cpu_ns_per_op," \
	"kcycles_per_op,kinstr_per_op,dma_share,share_source,kernel_samples," \
	"status,note,boot,histogram,profile"
#define WORKLOAD_FIELDS	35
#define WORKLOAD_BOOT	32	/* index of the boot column */
#define WORKLOAD_HIST	33	/* index of the histogram column */
#define WORKLOAD_PROF	34	/* index of the profile column */

/* Every double below is NAN when not measured: an empty field. */
struct workload_row {
	const char *tool;	/* "dmabench" or "fio" */
	const char *workload;	/* e.g. "nvme-randread", "rdma-reg" */
	const char *path;	/* the DMA path observed, never assumed */
	const char *device;	/* /dev/nvme0n1, rxe0, ... */
	uint64_t size;		/* bytes per operation */
	unsigned int qd;	/* operations in flight */
	unsigned int batch;	/* submitted (and reaped) together */
	const char *completion;	/* "irq" or "poll", "" if neither */
	const char *buffers;	/* "normal", "fixed", "huge", "fixed-huge" */
	const char *variant;	/* "passthru", "odp", "reg-per-io", or "" */
	unsigned int threads;
	double seconds;		/* measured duration */
	uint64_t ops;		/* operations completed in it */
	double rate;		/* ops per second */
	double mib_s;
	const char *lat_unit;	/* "ns" */
	double lat_min, lat_p50, lat_p90, lat_p99, lat_p999, lat_max, lat_mean;
	double ns_per_page;	/* registration: latency per 4 KiB page */
	double cpu_ns_per_op;	/* busy CPU time of all CPUs, per op */
	double kcycles_per_op;	/* kernel-only, all CPUs */
	double kinstr_per_op;
	double dma_share;	/* of non-idle kernel samples, 0..1 */
	const char *share_source; /* "cycles", "cpu-clock" or "unavailable" */
	uint64_t kernel_samples;	/* non-idle kernel samples behind it */
	const char *status;	/* ok, unsupported, refused, failed */
	const char *note;
	unsigned int boot;
	const char *histogram;	/* relative path or "" */
	const char *profile;	/* relative path or "" */
};

/* A row with every figure unmeasured and the strings empty. */
void workload_row_init(struct workload_row *r);
void workload_header(FILE *f);
void workload_row(FILE *f, const struct workload_row *r);

/*
 * Where a workload command writes.  --into DIR adds to a run or part
 * directory that exists (made by dmabench micro in the same boot, or by
 * an earlier workload); --out PARENT makes a new run directory under
 * PARENT, with a meta.json of its own, committed by wl_out_close().
 * Rows are appended to DIR/workload.csv, files go to DIR/workload/.
 */
struct wl_out {
	struct outdir od;	/* --out only */
	char dir[PATH_MAX];
	bool into;
	bool icount;		/* the run's clock is QEMU's -icount */
	char *command;		/* argv joined, for meta.json */
	FILE *csv;		/* workload.csv, opened for appending */
	time_t start;
	char release[65];
};

int wl_out_open(struct wl_out *w, const char *into, const char *out,
		int argc, char **argv);
/* Open DIR/workload/<name> for writing; rel gets its relative path. */
FILE *wl_out_file(struct wl_out *w, const char *name, char *rel, size_t size);
/* The absolute path of DIR/workload/<name> (for files others write). */
int wl_out_path(struct wl_out *w, const char *name, char *path, size_t size,
		char *rel, size_t relsize);
int wl_out_row(struct wl_out *w, const struct workload_row *r);
/* ok: keep the run (print its directory on stdout); else discard (--out). */
int wl_out_close(struct wl_out *w, bool ok);

#endif
