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
 *
 * Here too: the options every workload command takes, and the output
 * directory they write into.
 */
#ifndef DMABENCH_WORKLOAD_H
#define DMABENCH_WORKLOAD_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hugebuf.h"
#include "parse.h"
#include "results.h"
#include "sysprof.h"

#define WORKLOAD_HEADER \
	"tool,workload,path,device,size,qd,batch,completion,buffers,variant," \
	"threads,seconds,ops,rate,mib_s,lat_unit,lat_min,lat_p50,lat_p90," \
	"lat_p99,lat_p999,lat_max,lat_mean,ns_per_page,cpu_ns_per_op," \
	"kcycles_per_op,kinstr_per_op,dma_share,share_source,kernel_samples," \
	"status,note,boot,histogram,profile"
#define WORKLOAD_FIELDS	35
#define WORKLOAD_STATUS	30	/* index of the status column */
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
	enum row_status status;
	const char *note;
	unsigned int boot;
	const char *histogram;	/* relative path or "" */
	const char *profile;	/* relative path or "" */
	/* Not columns: how much data is under the figures (NAN, 0: unknown). */
	double cpu_ticks;	/* busy /proc/stat ticks behind cpu_ns_per_op */
	uint64_t lat_n;		/* operations behind the latency figures */
};

/*
 * How much data a figure needs (README.md, "How much data a figure
 * needs").  Below it the field is left empty and the note says why.
 *  - cpu_ns_per_op: busy ticks of /proc/stat, one tick of error in 100
 *    is 1 %;
 *  - dma_share: non-idle kernel samples, one in 1000 is 0.1 % of share;
 *  - a latency quantile q: at least WL_MIN_TAIL operations on each side
 *    of it, n * (1 - q) >= 10: p50 20, p90 100, p99 1000, p99.9 10000
 *    (ns_per_page, the median per page, as p50).
 */
#define WL_MIN_CPU_TICKS	100
#define WL_MIN_KERNEL_SAMPLES	1000
#define WL_MIN_TAIL		10	/* = STATS_MIN_TAIL */
/* Operations a quantile of permille q needs: 10 * 1000 / (1000 - q). */
uint64_t wl_min_ops(unsigned int permille);
/*
 * Empty every figure of r that has too little under it, and add to note
 * (r->note's buffer, of size bytes) which, what it had and what it needs.
 * The number of figures emptied.
 */
unsigned int workload_row_enough(struct workload_row *r, char *note,
				 size_t size);

struct lathist;

/* A row with every figure unmeasured and the strings empty. */
void workload_row_init(struct workload_row *r);
/* The latencies of a histogram (none if it is empty). */
void workload_row_lat(struct workload_row *r, const struct lathist *h);
/* Whole-system cost per operation, from sysprof over ops operations. */
void workload_row_cost(struct workload_row *r, const struct sysprof_result *p,
		       uint64_t ops);
/* Add a clause to a note, after "; " if it says something already. */
void workload_note_add(char *note, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void workload_header(FILE *f);
void workload_row(FILE *f, const struct workload_row *r);

/*
 * The options every workload command takes (dmabench nvme, fio, rdma):
 * where the rows go, the huge page pool, and what to measure besides.
 */
struct wl_opts {
	const char *into;		/* --into DIR */
	const char *out;		/* --out PARENT */
	long hugepages;			/* --hugepages N, or -1 */
	struct sysprof_opts sysprof;	/* --no-counters, --no-sampling */
	bool perf_record;		/* --perf-record: perf record -a -g */
};

/*
 * Their entries of a command's option table (parse.h), w the command's
 * struct wl_opts; tool names the point files ("nvme": nvme-N.json).
 */
#define WL_OPT_HUGEPAGES(w) \
	OPT_FN("hugepages", "N", wl_hugepages, (w), 0, \
	       "make the huge page pool N pages for the run (" HUGEBUF_POOL \
	       "), put back at exit")
#define WL_OPT_MEASURE(w, tool) \
	OPT_UNFLAG("no-counters", &(w)->sysprof.counters, \
		   "do not count kernel cycles and instructions"), \
	OPT_UNFLAG("no-sampling", &(w)->sysprof.sampling, \
		   "do not sample kernel IPs for the DMA share"), \
	WL_OPT_PERF_RECORD(w, tool)
#define WL_OPT_PERF_RECORD(w, tool) \
	OPT_FLAG("perf-record", &(w)->perf_record, \
		 "record call stacks of every CPU with perf record -a -g " \
		 "during each measured phase (Debian: linux-perf), kept as " \
		 "workload/" tool "-N.perf.data and folded, one line per " \
		 "stack, into workload/" tool "-N.folded (the row's " \
		 "profile); perf's own CPU time counts in the CPU figures, " \
		 "as the row's note says; perf takes a moment to start " \
		 "(about a minute in an emulated guest)")
#define WL_OPT_OUTPUT(w) \
	OPT_STRING("into", "DIR", &(w)->into, \
		   "add the rows to a run or part directory (dmabench " \
		   "micro's)"), \
	OPT_STRING("out", "PARENT", &(w)->out, \
		   "make a new run directory under PARENT")

/* None given. */
void wl_opts_init(struct wl_opts *w);
/* --hugepages's value into w (a struct wl_opts): 0, or -1 said. */
int wl_hugepages(void *w, int key, char *arg);

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

/* Exactly one of --into and --out?  0, or -1 said. */
int wl_out_check(const char *into, const char *out);
int wl_out_open(struct wl_out *w, const char *into, const char *out,
		int argc, char **argv);
/* Open DIR/workload/<name> for writing; rel gets its relative path. */
FILE *wl_out_file(struct wl_out *w, const char *name, char *rel, size_t size);
/* The absolute path of DIR/workload/<name> (for files others write). */
int wl_out_path(struct wl_out *w, const char *name, char *path, size_t size,
		char *rel, size_t relsize);
/*
 * A point's files are workload/<tool>-<n><suffix>: <tool>-<n>.json and
 * what goes with it.  Their absolute and relative paths (PATH_MAX each).
 */
int wl_out_point_path(struct wl_out *w, const char *tool, unsigned int n,
		      const char *suffix, char *path, char *rel);
/* The first n from *next whose .json is not taken (--into may hold some). */
unsigned int wl_out_next_point(struct wl_out *w, const char *tool,
			       unsigned int *next);
void wl_out_unlink(struct wl_out *w, const char *tool, unsigned int n,
		   const char *suffix);
/* A latency histogram as CSV (lathist_write_csv()); rel as above. */
int wl_out_hist(struct wl_out *w, const char *tool, unsigned int n,
		const char *suffix, const struct lathist *h, char *rel);
int wl_out_row(struct wl_out *w, const struct workload_row *r);
/* ok: keep the run (print its directory on stdout); else discard (--out). */
int wl_out_close(struct wl_out *w, bool ok);

#endif
