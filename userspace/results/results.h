/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Result directories and the rows of summary.csv.
 *
 * A run directory is written under <out>/.tmp-XXXXXX and renamed to
 * <out>/<yyyymmdd-hhmmss>-<release>-<random> once complete, so that a
 * run directory is either whole or absent.  A part is written into a
 * directory given by the caller, which must be empty; its part.json is
 * renamed into place last and marks it complete.
 */
#ifndef DMABENCH_RESULTS_H
#define DMABENCH_RESULTS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "names.h"
#include "stats.h"

#define SUMMARY_HEADER \
	"api,path,size,dir,threads,op,unit,n,min,median,p90,p99,max,mean," \
	"harness,net_median,nents,offset,attrs,observed,status,note,boot,samples," \
	"max_irqoff,pattern,batch,working_set,rate,ci_low,ci_high,mad,flag,spread"
#define SUMMARY_FIELDS	34
#define SUMMARY_BOOT	22	/* index of the boot column */
#define SUMMARY_SAMPLES	23	/* index of the samples column */

struct outdir {
	char dir[PATH_MAX];	/* where files are written */
	char parent[PATH_MAX];	/* run: the directory of run directories */
	bool part;		/* writing a part */
	bool created;		/* part: the directory was made here */
	bool open;		/* ours to write to, and to clean up */
};

int outdir_open_run(struct outdir *o, const char *parent);
int outdir_open_part(struct outdir *o, const char *dir);
FILE *outdir_fopen(struct outdir *o, const char *rel);
int outdir_path(const struct outdir *o, const char *rel, char *buf, size_t size);
const char *outdir_meta_name(const struct outdir *o);
int outdir_commit(struct outdir *o, const char *release, time_t when,
		  char *final, size_t size);
void outdir_abort(struct outdir *o);
int rundir_name(char *buf, size_t size, time_t when, const char *release,
		unsigned int rnd);

struct summary_row {
	const char *api;
	const char *path;
	uint64_t size;
	const char *dir;
	const char *op;
	const char *unit;
	const struct stats *st;	/* NULL when nothing was measured */
	bool has_harness;
	double harness;
	unsigned int nents;
	unsigned int offset;
	unsigned int attrs;
	const char *observed;
	enum row_status status;
	const char *note;
	unsigned int boot;
	const char *samples;	/* relative path, "" if none */
	double max_irqoff;	/* longest IRQ-off window, in unit */
	unsigned int threads;	/* 0 counts as 1 */
	unsigned int batch;	/* 0 counts as 1 */
	unsigned int working_set;	/* 0 counts as 1 */
	bool mean_only;		/* a counter row: n and mean, no quantiles */
	bool has_rate;
	double rate;		/* operations per second (or 1e9 instructions) */
	bool has_ci;
	double ci_low, ci_high, mad;
	bool has_spread;
	double spread;		/* of the per-repeat medians, over the median */
};

/* threads.csv: per-thread figures of points with more than one thread. */
#define THREADS_HEADER \
	"api,path,size,dir,threads,nents,offset,attrs,pattern,batch," \
	"working_set,boot,thread,cpu,op,unit,n,median,mean,rate"
#define THREADS_FIELDS	20
#define THREADS_BOOT	11	/* index of the boot column */

struct thread_row {
	const struct summary_row *point;	/* the key columns */
	unsigned int thread;
	unsigned int cpu;
	const char *op;
	size_t n;
	double median, mean, rate;
};

void threads_header(FILE *f);
void threads_row(FILE *f, const struct thread_row *t);
const char *summary_pattern(unsigned int batch);

void summary_header(FILE *f);
/* What of a summary row has samples enough under it (results.c). */
struct summary_enough {
	bool median, p90, p99, ci;
	char note[160];		/* "" when all do */
};
void summary_enough(const struct summary_row *r, struct summary_enough *e);
void summary_row(FILE *f, const struct summary_row *r);

#endif
