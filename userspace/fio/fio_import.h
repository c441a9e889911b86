/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench fio: what it reads from fio.
 *
 *  - fio's JSON report (--output-format=json) of one job, turned into the
 *    figures of a workload row;
 *  - the options of a job file as `fio --showcmd` prints them, to know
 *    before running it whether it writes and which engine it uses.
 *
 * Both are pure functions of text, for the unit tests.  The device, its
 * DMA path and whether it may be written are dmabench nvme's business
 * (nvme_dev.c), which dmabench fio shares.
 */
#ifndef DMABENCH_FIO_IMPORT_H
#define DMABENCH_FIO_IMPORT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "workload.h"

/* One job's figures.  A double that fio did not report is NAN. */
struct fio_result {
	char version[32];	/* "fio-3.33" */
	char jobname[64];
	int error;		/* the job's errno: 0 if it ran to the end */
	const char *dir;	/* "read", "write", or "" if it did no I/O */
	double seconds;		/* measured: ramp_time excluded */
	uint64_t ops;		/* I/Os completed in them */
	uint64_t lat_n;	/* latencies behind the percentiles (lat_ns N) */
	double iops;
	double bw_bytes;	/* bytes per second */
	/* Submission to completion (fio's "lat", not "clat"), in ns. */
	double lat_min, lat_p50, lat_p90, lat_p99, lat_p999, lat_max, lat_mean;
	bool percentiles;	/* lat_p* came from fio (lat_percentiles=1) */
	double usr_cpu, sys_cpu;	/* % of one CPU, the job's process only */
	double elapsed;		/* seconds the job existed, whole seconds */
};

/*
 * Read fio's report from text (anything fio logged before the JSON is
 * skipped).  0, or -EINVAL with why[] naming what is missing.  A job that
 * failed is not an error here: r->error says so.
 */
int fio_import(const char *text, size_t len, struct fio_result *r,
	       char *why, size_t whysz);
/* The measured figures of r into a row: seconds, ops, rate, mib_s, lat_*. */
void fio_fill_row(const struct fio_result *r, struct workload_row *row);

/* A job file's options, from the output of `fio --showcmd FILE`. */
struct fio_job {
	unsigned int njobs;	/* jobs in the file */
	unsigned int numjobs;	/* copies of the job: 1 unless numjobs= */
	char rw[32];		/* "" if not set: fio reads sequentially */
	char ioengine[32];
	char filename[PATH_MAX];
};

int fio_showcmd(const char *text, struct fio_job *j);
/* dmabench nvme's name of a workload: "nvme-randread"; NULL if none. */
const char *fio_workload(const char *rw);
/* Does fio's rw= value write (or trim)? */
bool fio_rw_writes(const char *rw);

#endif
