/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench fio, file by file: the options (fio_opts.c), the jobs and the
 * points they run (fio_plan.c), fio started and waited for (fio_exec.c),
 * fio run on a point with its window (fio_run.c), what a point leaves behind (fio_out.c), and the command
 * (cmd_fio.c).  fio's report is read by fio_import.c, the window's I/Os
 * by fio_window.c.
 */
#ifndef DMABENCH_FIO_H
#define DMABENCH_FIO_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fio_import.h"
#include "fio_window.h"
#include "nvme.h"
#include "progress.h"
#include "sysprof.h"
#include "workload.h"

#define FIO_PACKAGE	"fio is not installed (Debian: apt install fio)"
#define FIO_MAX_JOBS	NVME_RW_COUNT
/* What DEV is while fio --showcmd reads a job file: it must come back. */
#define JOB_CHECK_DEV	"/dev/null/dmabench-DEV"

/* What dmabench fio adds to dmabench nvme's options. */
struct own_opts {
	const char *job;
	const char *dev;
	bool rw_given;
};

/* One job file, and what fio --showcmd says it does. */
struct job {
	char file[PATH_MAX];
	char *text;
	struct fio_job info;
	const char *workload;
	enum nvme_rw rw;	/* the workload's */
	char variant[32];	/* "", "passthru", or another engine's name */
	bool writes;
};

/* A point of dmabench nvme's, run by a job file. */
struct point {
	struct nvme_point nv;
	const struct job *job;
};

/* The window of the whole-system figures, inside fio's measured I/O. */
struct window {
	char stat[PATH_MAX];	/* the disk's stat file */
	bool by_stat;		/* its I/Os from there, else fio's IOPS */
	char counter_why[200];	/* why not from there */
	double launch;		/* when fio started (now_seconds()) */
	double io_seen;		/* when its I/O was seen to begin; 0: never */
	double start, end;	/* the window; 0: none was taken */
	struct blkstat s0, s1;	/* the stat at its start and end */
	bool stat_ok;		/* both were read */
	uint64_t ops;		/* I/Os completed in it */
	char why[240];		/* why the cost figures are unavailable */
};

/* What running a point gave. */
struct outcome {
	enum row_status status;		/* STATUS_NONE: interrupted */
	char note[700];
	char showcmd[4096];
	int status_fio;			/* waitpid status; -1: did not run */
	bool imported;
	struct fio_result res;
	bool profiled;
	struct sysprof_result prof;
	struct window win;
	char perf_why[240];		/* --perf-record: why none, or "" */
	char profile[PATH_MAX];		/* its folded stacks, or "" */
	char env[12][PATH_MAX + 16];
	unsigned int nenv;
};

struct fio_run {
	struct wl_run wl;		/* the frame's (frame.h) */
	struct nvme_opts o;
	struct own_opts own;
	struct job jobs[FIO_MAX_JOBS];
	unsigned int njobs;
	struct nvme_dev dev;
	char fio[PATH_MAX];
	char version[32];
	int cpu;
	uint64_t span;
	struct point *points;		/* wl.npoints of them */
	struct outcome oc;		/* of the point under way */
	double prof_start_s;		/* sysprof_start()'s quickest, or NAN */
};

/* fio_exec.c: set by SIGINT, SIGTERM, SIGHUP; the point stops, its run too. */
extern volatile sig_atomic_t fio_stop;

/* fio_opts.c: the options, dmabench nvme's and its own. */
int fio_parse(int argc, char **argv, struct fio_run *fr);

/* fio_plan.c: the jobs, and the points they run. */
int fio_find_jobs(struct fio_run *fr);
int fio_plan(struct fio_run *fr);
void fio_point_label(const struct point *pt, char *buf, size_t size);
bool fio_unsupported_here(const struct fio_run *fr, const struct point *pt,
			  char *why, size_t whysz);
int fio_point_file(struct fio_run *fr, unsigned int n, const char *suffix,
		   char *path, char *rel);

/* fio_exec.c: the environment of a point, --showcmd, waiting. */
void fio_env_set(struct outcome *oc, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void fio_point_env(const struct fio_run *fr, const struct point *pt,
		   struct outcome *oc);
const char *fio_env_get(const struct outcome *oc, const char *name);
int fio_run_showcmd(const struct fio_run *fr, const char *file,
		    struct outcome *oc, struct fio_job *info, char *why,
		    size_t whysz);
int fio_wait(pid_t pid, int *status);
char **fio_env_list(struct outcome *oc, char **v);

/* fio_run.c: fio run on a point, and the window of its figures. */
void fio_run_point(struct fio_run *fr, const struct point *pt,
		   unsigned int n, struct outcome *oc);

/* fio_out.c: what a point leaves behind. */
int fio_record(struct fio_run *fr, const struct point *pt,
	       struct outcome *oc, unsigned int n);
void fio_drop_files(struct fio_run *fr, unsigned int n);

#endif
