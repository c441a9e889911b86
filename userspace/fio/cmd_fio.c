// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fio: the points of dmabench nvme run by fio, with the job
 * files of configs/fio/, and fio's figures imported as rows of
 * workload.csv (tool fio) beside dmabench's own, under the same keys.
 *
 * The options are dmabench nvme's (nvme_parse()), --perf-record among
 * them, plus --job and --dev; the points are dmabench nvme's, and the
 * device is probed and checked as dmabench nvme does it (cmd_nvme.c,
 * nvme_dev.c).  Each point runs fio once, with ramp_time=--ramp and
 * runtime=--time.  sysprof's window lies inside fio's measured I/O, as
 * dmabench nvme's lies inside its own: the block device's stat shows when
 * fio's I/O begins, the window opens --ramp seconds later and closes
 * before fio's runtime ends, and the stat counts the I/Os completed in it
 * (fio_window.h).  fio's JSON report and messages, and the point's
 * provenance, are kept under workload/.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "fio_import.h"
#include "fio_window.h"
#include "hugebuf.h"
#include "json.h"
#include "nvme.h"
#include "perfrec.h"
#include "proc.h"
#include "progress.h"
#include "sysprof.h"
#include "util.h"
#include "workload.h"

#define FIO_PACKAGE	"fio is not installed (Debian: apt install fio)"
#define FIO_MAX_JOBS	NVME_RW_COUNT
/* What DEV is while fio --showcmd reads a job file: it must come back. */
#define JOB_CHECK_DEV	"/dev/null/dmabench-DEV"

static const char usage[] =
"usage: dmabench fio [options] DEVICE\n"
"\n"
"Run the points of dmabench nvme with fio's io_uring engine instead, and\n"
"add fio's figures to workload.csv as rows of tool fio, under the same\n"
"keys as dmabench's (workload, path, size, qd, batch, completion, buffers,\n"
"variant).  Needs fio (Debian: fio).  The options are dmabench nvme's (see\n"
"dmabench nvme --help: --rw, --bs, --qd, --batch, --completion, --buffers,\n"
"--passthru, --time, --ramp, --span, --quick, --allow-write, --cpu, --path,\n"
"--hugepages, --no-counters, --no-sampling, --into, --out), with the same\n"
"defaults and the same checks of the device, and these:\n"
"\n"
"  --job NAME|FILE    one job file instead of those --rw names: NAME is\n"
"                     NAME.fio in configs/fio/, looked for under the\n"
"                     directory above dmabench's (<bindir>/../configs/fio),\n"
"                     then under the current directory (./configs/fio); a\n"
"                     FILE (any name with a '/') is read as it is.  Without\n"
"                     --job, each --rw names one: randread.fio, seqread.fio,\n"
"                     randwrite.fio, seqwrite.fio; with --passthru,\n"
"                     passthru-randread.fio and so on\n"
"  --dev DEVICE       the device, if not given last\n"
"  --perf-record      record call stacks of every CPU with perf record -a -g\n"
"                     during each measured run (Debian: linux-perf), kept as\n"
"                     workload/fio-N.perf.data and folded, one line per\n"
"                     stack, into workload/fio-N.folded (the row's profile)\n"
"  -h, --help         this text\n"
"\n"
"A job file takes everything from the environment: DEV, BS, QD, BATCH,\n"
"FIXED, POLL, MEM, HUGEPAGE, TIME, RAMP, SPAN, CPU (configs/fio/README.md),\n"
"and runs one job on filename=${DEV}.  Each point runs fio once: --ramp\n"
"seconds of ramp (ramp_time), then --time seconds measured (runtime).\n"
"Busy CPU, kernel cycles and instructions and the DMA share are counted\n"
"over a window inside fio's measured I/O, as dmabench nvme counts them\n"
"inside its own: it opens --ramp seconds after the device's I/O counter\n"
"(/sys/block/<disk>/stat) starts to move, and closes 90 % of --time later,\n"
"before fio's runtime ends.  They are divided by the I/Os that counter saw\n"
"complete in the window (sectors / block size).  Where it does not see\n"
"fio's requests (NVMe passthrough, unless the disk's\n"
"queue/iostats_passthrough is 1; a disk with queue/iostats 0), the window\n"
"opens --ramp seconds (at least 0.25) after fio's job process appears and\n"
"the I/Os are fio's IOPS times the window.  The row's note says which.\n"
"fio's start-up and exit stay out.  Rate, I/Os and latency are fio's own:\n"
"lat (submission to completion), its percentiles from fio's histogram.\n"
"\n"
"Each point leaves workload/fio-N.json (fio's report), fio-N.log (its\n"
"messages) and fio-N-point.json (fio's version, the job, its options as\n"
"fio --showcmd expands them, the device, the whole-system figures).\n";

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
	struct nvme_opts o;
	struct own_opts own;
	struct job jobs[FIO_MAX_JOBS];
	unsigned int njobs;
	struct nvme_dev dev;
	char fio[PATH_MAX];
	char version[32];
	int cpu;
	uint64_t span;
	struct point *points;
	unsigned int npoints;
	unsigned int next_file;		/* fio-<n>.json */
	unsigned int failed;
	double prof_start_s;		/* sysprof_start()'s quickest, or NAN */
	struct wl_out out;
	struct progress prog;
};

static volatile sig_atomic_t fio_stop;

/* Options */

/*
 * Is argv[*i] opt, as "--opt VALUE" or "--opt=VALUE"?  Then *val is the
 * value (and *i moves past it), or *bad says that there was none.
 */
static bool own_opt(int argc, char **argv, int *i, const char *opt,
		    const char **val, bool *bad)
{
	size_t len = strlen(opt);

	if (strncmp(argv[*i], opt, len) || (argv[*i][len] && argv[*i][len] != '='))
		return false;
	if (argv[*i][len] == '=')
		*val = argv[*i] + len + 1;
	else if (*i + 1 < argc)
		*val = argv[++*i];
	else
		*bad = true;
	if (*bad) {
		warnx("%s needs a value (see dmabench fio --help)", opt);
	} else if (!**val || **val == '-') {
		/* Handed on as a positional argument: never as an option. */
		warnx("%s '%s': give a path (see dmabench fio --help)", opt,
		      *val);
		*bad = true;
	}
	return true;
}

/*
 * Take dmabench fio's own options out of argv into rest[], which gets
 * dmabench nvme's, and --dev's value last, as its DEVICE.  0: go on;
 * 1: help shown; -1: bad options, said why.
 */
static int take_own(int argc, char **argv, struct own_opts *x, char **rest,
		    int *nrest)
{
	bool bad = false;
	int n = 1;

	memset(x, 0, sizeof(*x));
	rest[0] = argv[0];
	for (int i = 1; i < argc && !bad; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				rest[n++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 1;
		}
		if (!own_opt(argc, argv, &i, "--job", &x->job, &bad) &&
		    !own_opt(argc, argv, &i, "--dev", &x->dev, &bad)) {
			x->rw_given |= !strcmp(argv[i], "--rw") ||
				       !strncmp(argv[i], "--rw=", 5);
			rest[n++] = argv[i];
		}
	}
	if (bad)
		return -1;
	if (x->job && x->rw_given) {
		warnx("--job and --rw exclude each other: a job file says what it does");
		return -1;
	}
	if (x->dev)
		rest[n++] = (char *)x->dev;
	rest[n] = NULL;
	*nrest = n;
	return 0;
}

static int parse(int argc, char **argv, struct fio_run *fr)
{
	char **rest = calloc(argc + 2, sizeof(*rest));
	int n, ret;

	if (!rest) {
		warnx("out of memory");
		return -1;
	}
	ret = take_own(argc, argv, &fr->own, rest, &n);
	if (!ret)
		ret = nvme_parse(n, rest, &fr->o);
	free(rest);
	return ret;
}

/* Running fio */

/* The first line of fio's output that is not the command --showcmd prints. */
static void fio_complaint(const char *out, char *line, size_t size)
{
	size_t len;

	for (const char *p = out; *p; p += len + !!p[len]) {
		len = strcspn(p, "\n");
		if (len && strncmp(p, "fio --", 6)) {
			snprintf(line, size, "%.*s", (int)len, p);
			return;
		}
	}
	snprintf(line, size, "fio said nothing");
}

/* Wait for fio; a signal to us asks it to stop (it still reports). */
static int wait_fio(pid_t pid, int *status)
{
	bool asked = fio_stop;
	int err;

	if (asked)
		kill(pid, SIGINT);
	while ((err = prog_wait(pid, -1, status)) == -EINTR) {
		if (fio_stop && !asked) {
			kill(pid, SIGINT);
			asked = true;
		}
	}
	return err;
}

static void env_set(struct outcome *oc, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set NAME=value in oc's environment for fio, replacing an older value. */
static void env_set(struct outcome *oc, const char *name, const char *fmt, ...)
{
	size_t len = strlen(name), room = sizeof(oc->env[0]) - len - 1;
	unsigned int i = 0;
	va_list ap;

	while (i < oc->nenv && (strncmp(oc->env[i], name, len) ||
				oc->env[i][len] != '='))
		i++;
	if (i == ARRAY_SIZE(oc->env) || len >= sizeof(oc->env[0]) - 1)
		return;
	oc->nenv += i == oc->nenv;
	snprintf(oc->env[i], sizeof(oc->env[i]), "%s=", name);
	va_start(ap, fmt);
	vsnprintf(oc->env[i] + len + 1, room, fmt, ap);
	va_end(ap);
}

/* The variables a job file reads, for one point. */
static void point_env(const struct fio_run *fr, const struct point *pt,
		      struct outcome *oc)
{
	const struct nvme_point *nv = &pt->nv;
	bool fixed = nv->buffers == NVME_BUF_FIXED ||
		     nv->buffers == NVME_BUF_FIXED_HUGE;
	bool huge = nv->buffers == NVME_BUF_HUGE ||
		    nv->buffers == NVME_BUF_FIXED_HUGE;
	size_t hp = hugebuf_page_size();

	oc->nenv = 0;
	env_set(oc, "DEV", "%s", !strcmp(pt->job->variant, "passthru") &&
		fr->dev.ng[0] ? fr->dev.ng : fr->dev.blkdev);
	env_set(oc, "BS", "%llu", (unsigned long long)nv->bs);
	env_set(oc, "QD", "%u", nv->qd);
	env_set(oc, "BATCH", "%u", nv->batch);
	env_set(oc, "FIXED", "%d", fixed);
	env_set(oc, "POLL", "%d", nv->completion == NVME_POLL);
	env_set(oc, "MEM", "%s", huge ? "mmaphuge" : "malloc");
	env_set(oc, "HUGEPAGE", "%zu", hp ? hp : (size_t)2 << 20);
	env_set(oc, "TIME", "%lldms", llround(fr->o.seconds * 1000));
	env_set(oc, "RAMP", "%lldms", llround(fr->o.ramp * 1000));
	env_set(oc, "SPAN", "%llu",
		(unsigned long long)(fr->span / nv->bs * nv->bs));
	env_set(oc, "CPU", "%d", fr->cpu);
}

/* The value of a variable set by env_set(), "" if none. */
static const char *env_get(const struct outcome *oc, const char *name)
{
	size_t len = strlen(name);

	for (unsigned int i = 0; i < oc->nenv; i++)
		if (!strncmp(oc->env[i], name, len) && oc->env[i][len] == '=')
			return oc->env[i] + len + 1;
	return "";
}

static char **env_list(struct outcome *oc, char **v)
{
	for (unsigned int i = 0; i < oc->nenv; i++)
		v[i] = oc->env[i];
	v[oc->nenv] = NULL;
	return v;
}

/* fio --showcmd of a job with oc's environment; 0 or -1, said why. */
static int showcmd(const struct fio_run *fr, const char *file,
		   struct outcome *oc, struct fio_job *info, char *why,
		   size_t whysz)
{
	char *argv[] = { (char *)fr->fio, "--showcmd", (char *)file, NULL };
	char *env[ARRAY_SIZE(oc->env) + 1], line[300];
	int status;

	status = prog_capture(argv, env_list(oc, env), oc->showcmd,
			 sizeof(oc->showcmd));
	if (status || fio_showcmd(oc->showcmd, info)) {
		fio_complaint(oc->showcmd, line, sizeof(line));
		snprintf(why, whysz, "%s: fio does not take it: %s", file, line);
		return -1;
	}
	return 0;
}

/* Jobs */

/* A readable file's absolute path, for the record. */
static int full_path(const char *path, char *file, size_t size)
{
	char real[PATH_MAX];

	if (access(path, R_OK) || !realpath(path, real))
		return -errno;
	return fmt_buf(file, size, "%s", real);
}

/* NAME: configs/fio/NAME.fio beside the binary, then here; or a FILE. */
static int job_path(const char *arg, char *file, size_t size)
{
	size_t len = strlen(arg);
	char exe[PATH_MAX], name[128];
	const char *dirs[2];
	ssize_t n;

	if (strchr(arg, '/'))
		return full_path(arg, file, size);
	if (len > 4 && !strcmp(arg + len - 4, ".fio"))
		len -= 4;
	snprintf(name, sizeof(name), "%.*s", (int)len, arg);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	dirs[0] = n > 0 ? dirname(exe) : NULL;
	dirs[1] = ".";
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (!dirs[i] || fmt_buf(file, size, "%s%s/configs/fio/%s.fio",
					dirs[i], i ? "" : "/..", name))
			continue;
		if (!access(file, R_OK))
			return full_path(file, file, size);
	}
	return -ENOENT;
}

/* What a job does, from fio --showcmd with the first point's settings. */
static int learn_job(struct fio_run *fr, struct job *jb)
{
	struct point pt = {
		.nv = {
			.bs = fr->o.bs[0], .qd = fr->o.qd[0], .batch = 1,
			.completion = NVME_IRQ, .buffers = NVME_BUF_NORMAL,
		},
		.job = jb,
	};
	struct outcome *oc = calloc(1, sizeof(*oc));
	char why[600];
	int err = -1;

	if (!oc) {
		warnx("out of memory");
		return -1;
	}
	point_env(fr, &pt, oc);
	env_set(oc, "DEV", "%s", JOB_CHECK_DEV);
	if (showcmd(fr, jb->file, oc, &jb->info, why, sizeof(why))) {
		warnx("%s", why);
		free(oc);
		return -1;
	}
	jb->workload = fio_workload(jb->info.rw);
	if (jb->info.njobs != 1) {
		warnx("%s: %u jobs: a row is one job, so a job file must hold one",
		      jb->file, jb->info.njobs);
	} else if (jb->info.numjobs != 1) {
		warnx("%s: numjobs=%u: a row is one job, so a job file must run one",
		      jb->file, jb->info.numjobs);
	} else if (strcmp(jb->info.filename, JOB_CHECK_DEV)) {
		warnx("%s: filename=%s: a job file must do its I/O on filename=${DEV}",
		      jb->file, jb->info.filename);
	} else if (!jb->workload) {
		warnx("%s: rw=%s: dmabench's workloads are rw=randread, read, randwrite or write",
		      jb->file, jb->info.rw);
	} else {
		/* workload is "nvme-" and the name of an nvme_rw. */
		for (int rw = 0; rw < NVME_RW_COUNT; rw++)
			if (!strcmp(jb->workload + 5, nvme_rw_names[rw]))
				jb->rw = rw;
		jb->writes = fio_rw_writes(jb->info.rw);
		if (!strcmp(jb->info.ioengine, "io_uring_cmd"))
			snprintf(jb->variant, sizeof(jb->variant), "passthru");
		else if (strcmp(jb->info.ioengine, "io_uring"))
			snprintf(jb->variant, sizeof(jb->variant), "%s",
				 jb->info.ioengine);
		err = 0;
	}
	free(oc);
	return err;
}

static int add_job(struct fio_run *fr, const char *arg)
{
	struct job *jb = &fr->jobs[fr->njobs];

	if (job_path(arg, jb->file, sizeof(jb->file))) {
		if (strchr(arg, '/'))
			warn("--job %s", arg);
		else
			warnx("no job file %s.fio in <dmabench's directory>/../configs/fio or ./configs/fio (see dmabench fio --help)",
			      arg);
		return -1;
	}
	jb->text = read_all(jb->file, NULL);
	if (!jb->text) {
		warn("%s", jb->file);
		return -1;
	}
	fr->njobs++;
	return learn_job(fr, jb);
}

static int find_jobs(struct fio_run *fr)
{
	char name[64];
	bool passthru = fr->o.passthru;

	if (fr->own.job) {
		if (add_job(fr, fr->own.job))
			return -1;
		passthru = !strcmp(fr->jobs[0].variant, "passthru");
		if (fr->o.passthru && !passthru) {
			warnx("--passthru: %s uses ioengine=%s, not io_uring_cmd",
			      fr->jobs[0].file, fr->jobs[0].info.ioengine);
			return -1;
		}
		if (fr->jobs[0].writes && !fr->o.allow_write) {
			warnx("%s writes (rw=%s), which destroys what the device holds; add --allow-write if that is what you want",
			      fr->jobs[0].file, fr->jobs[0].info.rw);
			return -1;
		}
	}
	for (int rw = 0; rw < NVME_RW_COUNT && !fr->own.job; rw++) {
		if (!(fr->o.rw & (1U << rw)))
			continue;
		snprintf(name, sizeof(name), "%s%s", passthru ? "passthru-" : "",
			 nvme_rw_names[rw]);
		if (add_job(fr, name))
			return -1;
	}
	fr->o.passthru = passthru;
	return 0;
}

/* The points */

/* dmabench nvme's points, job by job, into fr->points; 0 or -1 said. */
static int plan(struct fio_run *fr)
{
	unsigned int each = nvme_plan_rw(&fr->o, NVME_RANDREAD, NULL), n = 0;
	struct nvme_point *nv = calloc(each, sizeof(*nv));

	fr->npoints = fr->njobs * each;
	fr->points = calloc(fr->npoints, sizeof(*fr->points));
	if (!nv || !fr->points) {
		free(nv);
		warnx("out of memory");
		return -1;
	}
	for (unsigned int j = 0; j < fr->njobs; j++) {
		nvme_plan_rw(&fr->o, fr->jobs[j].rw, nv);
		for (unsigned int k = 0; k < each; k++) {
			fr->points[n].nv = nv[k];
			fr->points[n++].job = &fr->jobs[j];
		}
	}
	free(nv);
	return 0;
}

static void point_label(const struct point *pt, char *buf, size_t size)
{
	const struct nvme_point *nv = &pt->nv;

	snprintf(buf, size, "fio %s %llu qd%u batch%u %s %s%s%s",
		 pt->job->workload + 5, (unsigned long long)nv->bs, nv->qd,
		 nv->batch, nvme_completion_names[nv->completion],
		 nvme_buffers_names[nv->buffers], *pt->job->variant ? " " : "",
		 pt->job->variant);
}

/* Huge pages fio will ask for: bs * qd and a page, in whole huge pages. */
static bool too_few_huge_pages(const struct point *pt, char *why, size_t whysz)
{
	unsigned long total, free, need;
	size_t hp = hugebuf_page_size();

	if (!hp) {
		snprintf(why, whysz,
			 "no huge pages: this kernel has no hugetlbfs (no Hugepagesize in /proc/meminfo)");
		return true;
	}
	need = (pt->nv.bs * pt->nv.qd + 4096 + hp - 1) / hp;
	if (hugebuf_pool(&total, &free) || free >= need)
		return false;
	snprintf(why, whysz,
		 "no huge pages: fio needs %lu of %zu kB, %lu are free in a pool of %lu; echo %lu > %s, or run with --hugepages %lu",
		 need, hp >> 10, free, total, total + need - free, HUGEBUF_POOL,
		 total + need - free);
	return true;
}

/* Can a point not run here?  dmabench nvme's reasons, and huge pages. */
static bool unsupported_here(const struct fio_run *fr, const struct point *pt,
			     char *why, size_t whysz)
{
	const struct nvme_point *nv = &pt->nv;

	/* fio's --passthru is that of its jobs (find_jobs()). */
	if (nvme_point_unsupported(&fr->dev, fr->o.passthru, nv, why, whysz))
		return true;
	if (nv->buffers == NVME_BUF_HUGE || nv->buffers == NVME_BUF_FIXED_HUGE)
		return too_few_huge_pages(pt, why, whysz);
	return false;
}

/* A point's files: workload/fio-<n><suffix>. */
static int point_file(struct fio_run *fr, unsigned int n, const char *suffix,
		      char *path, char *rel)
{
	return wl_out_point_path(&fr->out, "fio", n, suffix, path, rel);
}

/* The window */

/* The device's stat is read this often while fio starts, for so long. */
#define IO_POLL_S		0.002
#define IO_START_TIMEOUT_S	30.0
/*
 * Where the stat does not see fio's requests, fio's job process appearing
 * (a child of fio's) says that its I/O is near: fio then sets the job up
 * and lets it go within its 100 ms check, so the window opens no sooner
 * than this after, whatever --ramp says.
 */
#define CHILD_POLL_S		0.01
#define JOB_SETTLE_S		0.25

/* Where the window's I/Os will come from, and the stat before fio runs. */
static void window_plan(const struct fio_run *fr, const struct point *pt,
			struct window *w)
{
	const struct nvme_dev *d = &fr->dev;
	char q[PATH_MAX], iostats[16], iostats_pt[16];

	memset(w, 0, sizeof(*w));
	/* The names everyone knows: /sys/block for a whole disk. */
	fmt_buf(w->stat, sizeof(w->stat), d->partition ?
		"/sys/class/block/%s/stat" : "/sys/block/%s/stat", d->name);
	if (fmt_buf(q, sizeof(q), "%s/queue/iostats", d->disk_sysfs) ||
	    read_text(q, iostats, sizeof(iostats)))
		iostats[0] = '\0';
	if (fmt_buf(q, sizeof(q), "%s/queue/iostats_passthrough",
		    d->disk_sysfs) ||
	    read_text(q, iostats_pt, sizeof(iostats_pt)))
		iostats_pt[0] = '\0';
	w->by_stat = fio_stat_counts(iostats, iostats_pt,
				     !strcmp(pt->job->variant, "passthru"),
				     d->npaths > 0, w->counter_why,
				     sizeof(w->counter_why));
	if (w->by_stat && blkstat_read(w->stat, &w->s0)) {
		w->by_stat = false;
		snprintf(w->counter_why, sizeof(w->counter_why),
			 "%.150s cannot be read", w->stat);
	}
}

/* Sleep until now_seconds() is t; -EINTR if a signal asked us to stop. */
static int sleep_until(double t)
{
	struct timespec ts;
	double left;

	while ((left = t - now_seconds()) > 0) {
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		if (nanosleep(&ts, NULL) && fio_stop)
			return -EINTR;
	}
	return fio_stop ? -EINTR : 0;
}

/*
 * Wait for fio's I/O to begin: the device's stat moving or, where that
 * does not see fio's requests, fio's job process appearing.  0: it began
 * at w->io_seen; 1: fio exited first (*status); -ETIMEDOUT; -EINTR: a
 * signal asked us to stop; another -errno from waitpid.
 */
static int await_io(struct window *w, pid_t pid, int *status)
{
	double until = w->launch + IO_START_TIMEOUT_S;
	struct blkstat s;
	bool moved;
	int err;

	for (;;) {
		err = prog_wait(pid, 0, status);
		if (!err)
			return 1;
		if (err != -ETIMEDOUT)
			return err;
		if (w->by_stat)
			moved = !blkstat_read(w->stat, &s) &&
				(s.ios != w->s0.ios || s.sectors != w->s0.sectors);
		else
			moved = proc_has_child(pid);
		if (moved) {
			w->io_seen = now_seconds();
			return 0;
		}
		if (fio_stop)
			return -EINTR;
		if (now_seconds() > until)
			return -ETIMEDOUT;
		sleep_until(now_seconds() + (w->by_stat ? IO_POLL_S :
					     CHILD_POLL_S));
	}
}

static void window_fail(struct window *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void window_fail(struct window *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->why, sizeof(w->why), fmt, ap);
	va_end(ap);
}

/*
 * fio running: wait for its I/O to begin, then --ramp seconds (fio's
 * ramp_time), then take the whole-system figures and the device's stat
 * over fio_window_seconds(--time), which ends before fio's runtime does.
 * perf record (--perf-record) starts as the I/O begins, in fio's ramp.
 * true if fio exited meanwhile, its waitpid status in *status.
 */
static bool take_window(struct fio_run *fr, unsigned int n,
			struct outcome *oc, pid_t pid, int *status,
			struct perfrec **perf)
{
	struct window *w = &oc->win;
	double ramp = fr->o.ramp, start, end, lead, t;
	struct sysprof *sp;
	int ret;

	ret = await_io(w, pid, status);
	if (ret == 1)
		window_fail(w, "fio ended before its I/O was seen to begin");
	else if (ret == -ETIMEDOUT && w->by_stat)
		window_fail(w, "%.150s did not move in %.0f s of fio's run",
			    w->stat, IO_START_TIMEOUT_S);
	else if (ret == -ETIMEDOUT)
		window_fail(w, "fio's job did not start in %.0f s",
			    IO_START_TIMEOUT_S);
	else if (ret && ret != -EINTR)
		window_fail(w, "waiting for fio: %s", strerror(-ret));
	if (ret)
		return ret == 1;

	if (fr->o.wl.perf_record)
		*perf = perfrec_point_start(&fr->out, "fio", n, oc->perf_why,
					    sizeof(oc->perf_why));
	if (!w->by_stat && ramp < JOB_SETTLE_S)
		start = w->io_seen + JOB_SETTLE_S;
	else
		start = w->io_seen + ramp;
	end = w->io_seen + ramp + fio_window_seconds(fr->o.seconds);
	/*
	 * sysprof_start() counts from its return, and loading kallsyms for
	 * the DMA share takes it a while: call it that much earlier (a little
	 * less than the quickest it has been), so that the window begins as
	 * fio's ramp ends rather than that much later.
	 */
	lead = isfinite(fr->prof_start_s) ? 0.9 * fr->prof_start_s : 0;
	if (sleep_until(start - lead))
		return false;
	if (!prog_wait(pid, 0, status)) {
		window_fail(w, "fio ended before the window began");
		return true;
	}
	if (now_seconds() >= end) {
		window_fail(w, "no window: its end had passed when it was to begin (%.2f s after fio's I/O began)",
			    now_seconds() - w->io_seen);
		return false;
	}

	t = now_seconds();
	sp = sysprof_start(&fr->o.wl.sysprof);
	w->stat_ok = !w->by_stat || !blkstat_read(w->stat, &w->s0);
	w->start = now_seconds();
	/* The quickest yet (or the first: NAN compares false). */
	if (!(w->start - t >= fr->prof_start_s))
		fr->prof_start_s = w->start - t;
	sleep_until(end);
	if (w->by_stat && blkstat_read(w->stat, &w->s1))
		w->stat_ok = false;
	w->end = now_seconds();
	if (sp) {
		oc->profiled = !sysprof_stop(sp, &oc->prof);
		sysprof_free(sp);
	}
	if (!prog_wait(pid, 0, status)) {
		window_fail(w, "fio ended inside the window");
		return true;
	}
	return false;
}

/* The I/Os of the window, once fio's report is in. */
static void window_ops(const struct point *pt, struct outcome *oc)
{
	struct window *w = &oc->win;
	double ops;

	if (oc->status != STATUS_OK || w->why[0])
		return;
	if (!oc->profiled) {
		window_fail(w, "the whole-system figures were not taken");
	} else if (w->by_stat) {
		if (w->stat_ok)
			w->ops = blkstat_ops(&w->s0, &w->s1, pt->nv.bs);
		else
			window_fail(w, "%.200s could not be read", w->stat);
	} else {
		/* Passthrough: the disk's stat does not see it, fio does. */
		ops = oc->res.iops * oc->prof.seconds;
		w->ops = isfinite(ops) && ops > 0 ? llround(ops) : 0;
	}
	if (!w->ops && !w->why[0])
		window_fail(w, "no I/O completed in the window");
}

/* Running a point */

/* Run fio on the point, taking the window; its waitpid status or -errno. */
static int run_fio(struct fio_run *fr, const struct point *pt,
		   unsigned int n, struct outcome *oc, const char *report,
		   int log)
{
	char out[PATH_MAX + 16], *env[ARRAY_SIZE(oc->env) + 1];
	char *argv[] = { (char *)fr->fio, "--output-format=json", out,
			 "--eta=never", (char *)pt->job->file, NULL };
	struct perfrec *perf = NULL;
	int status, err = 0;
	pid_t pid;

	snprintf(out, sizeof(out), "--output=%s", report);
	window_plan(fr, pt, &oc->win);
	oc->win.launch = now_seconds();
	pid = prog_spawn(argv, env_list(oc, env), log, log);
	if (pid < 0) {
		window_fail(&oc->win, "fio did not start");
		return pid;
	}
	if (!take_window(fr, n, oc, pid, &status, &perf))
		err = wait_fio(pid, &status);
	/* After fio: perf's ending and folding would disturb it. */
	if (perf)
		perfrec_point_stop(perf, &fr->out, "fio", n, oc->profile,
				   oc->perf_why, sizeof(oc->perf_why));
	return err ?: status;
}

static void judge(const struct point *pt, const char *log, struct outcome *oc)
{
	const struct fio_result *r = &oc->res;
	char line[300];

	prog_log_line(log, line, sizeof(line));
	if (!oc->imported) {
		oc->status = STATUS_FAILED;
		if (oc->status_fio < 0)
			snprintf(oc->note, sizeof(oc->note), "fio did not start: %s",
				 strerror(-oc->status_fio));
		else if (line[0])
			workload_note_add(oc->note, sizeof(oc->note), "fio: %s",
					  line);
	} else if (r->error) {
		oc->status = r->error == EOPNOTSUPP ||
			     (r->error == EINVAL &&
			      pt->nv.completion == NVME_POLL) ?
			     STATUS_UNSUPPORTED : STATUS_FAILED;
		snprintf(oc->note, sizeof(oc->note), "fio error %d (%s)%s%s",
			 r->error, strerror(r->error), line[0] ? ": " : "", line);
	} else if (!WIFEXITED(oc->status_fio) || WEXITSTATUS(oc->status_fio) ||
		   !r->ops) {
		oc->status = STATUS_FAILED;
		snprintf(oc->note, sizeof(oc->note), "fio %s, %llu I/Os%s%s",
			 WIFEXITED(oc->status_fio) ? "exited" : "was killed",
			 (unsigned long long)r->ops, line[0] ? ": " : "", line);
	} else {
		oc->status = STATUS_OK;
	}
}

/* The run: fio, the window inside it; then fio's report read. */
static void measure(struct fio_run *fr, const struct point *pt,
		    unsigned int n, struct outcome *oc, int log)
{
	char report[PATH_MAX], rel[PATH_MAX], data[PATH_MAX];
	size_t len;
	char *text;

	point_file(fr, n, ".json", report, rel);
	oc->status_fio = run_fio(fr, pt, n, oc, report, log);
	if (fio_stop)
		return;
	text = read_all(report, &len);
	if (!text) {
		snprintf(oc->note, sizeof(oc->note), "no report from fio");
	} else {
		oc->imported = !fio_import(text, len, &oc->res, oc->note,
					   sizeof(oc->note));
		free(text);
	}
	point_file(fr, n, ".log", data, rel);
	judge(pt, data, oc);
	window_ops(pt, oc);
}

static void run_point(struct fio_run *fr, const struct point *pt,
		      unsigned int n, struct outcome *oc)
{
	char path[PATH_MAX], rel[PATH_MAX], why[600];
	struct fio_job info;
	int log;

	memset(oc, 0, sizeof(*oc));
	oc->status_fio = -1;
	point_env(fr, pt, oc);
	if (unsupported_here(fr, pt, oc->note, sizeof(oc->note))) {
		oc->status = STATUS_UNSUPPORTED;
		return;
	}
	oc->status = STATUS_FAILED;
	/* For the record, and fio's say on this point's settings. */
	if (showcmd(fr, pt->job->file, oc, &info, why, sizeof(why))) {
		snprintf(oc->note, sizeof(oc->note), "%s", why);
		return;
	}
	point_file(fr, n, ".log", path, rel);
	log = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (log < 0) {
		snprintf(oc->note, sizeof(oc->note), "%.400s: %s", path,
			 strerror(errno));
		return;
	}
	measure(fr, pt, n, oc, log);
	close(log);
	if (fio_stop)
		oc->status = STATUS_NONE;
}

/* Recording */

static void json_status(struct json *j, const char *key, int status)
{
	if (status < 0)
		json_null(j, key);
	else if (WIFEXITED(status))
		json_int(j, key, WEXITSTATUS(status));
	else
		json_int(j, key, 128 + WTERMSIG(status));
}

static void json_fio(struct json *j, struct fio_run *fr,
		     const struct point *pt, const struct outcome *oc,
		     unsigned int n)
{
	char path[PATH_MAX], rel[PATH_MAX];

	json_obj_begin(j, "fio");
	json_str(j, "version", fr->version);
	json_str(j, "job_file", pt->job->file);
	json_str(j, "job_text", pt->job->text);
	json_str(j, "showcmd", oc->showcmd);
	json_obj_begin(j, "environment");
	for (unsigned int i = 0; i < oc->nenv; i++) {
		char name[32];

		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(oc->env[i], "="), oc->env[i]);
		json_str(j, name, oc->env[i] + strlen(name) + 1);
	}
	json_obj_end(j);
	json_num(j, "ramp_s", fr->o.ramp);
	json_num(j, "time_s", fr->o.seconds);
	json_status(j, "exit", oc->status_fio);
	point_file(fr, n, ".json", path, rel);
	json_str(j, "report", oc->imported ? rel : "");
	point_file(fr, n, ".log", path, rel);
	json_str(j, "log", oc->status_fio >= 0 ? rel : "");
	if (oc->imported) {
		json_str(j, "direction", oc->res.dir);
		json_num(j, "job_usr_cpu_pct", oc->res.usr_cpu);
		json_num(j, "job_sys_cpu_pct", oc->res.sys_cpu);
		json_num(j, "elapsed_s", oc->res.elapsed);
		json_bool(j, "lat_percentiles", oc->res.percentiles);
	}
	json_obj_end(j);
}

/* "window": where the whole-system figures were taken, and its I/Os. */
static void json_window(struct json *j, const struct outcome *oc)
{
	const struct window *w = &oc->win;
	bool taken = w->end > 0;

	json_obj_begin(j, "window");
	json_str(j, "io_counter", w->by_stat ? w->stat : "fio_iops");
	json_str(j, "io_counter_why", w->counter_why);
	json_str(j, "io_start_seen_by", w->by_stat ?
		 "the I/O counter moving" : "fio's job process appearing");
	if (w->io_seen > 0)
		json_num(j, "io_start_s", w->io_seen - w->launch);
	else
		json_null(j, "io_start_s");
	if (taken) {
		json_num(j, "start_s", w->start - w->launch);
		json_num(j, "start_after_io_s", w->start - w->io_seen);
		json_num(j, "seconds", oc->profiled ? oc->prof.seconds :
			 w->end - w->start);
	} else {
		json_null(j, "start_s");
		json_null(j, "start_after_io_s");
		json_null(j, "seconds");
	}
	json_u64(j, "ops", w->ops);
	if (taken && w->by_stat && w->stat_ok) {
		json_u64(j, "requests", w->s1.ios - w->s0.ios);
		json_u64(j, "merges", w->s1.merges - w->s0.merges);
		json_u64(j, "sectors", w->s1.sectors - w->s0.sectors);
	}
	json_str(j, "unavailable", w->why);
	json_obj_end(j);
}

static int write_json(struct fio_run *fr, const struct point *pt,
		      const struct outcome *oc, const struct workload_row *row,
		      unsigned int n)
{
	struct json j;
	char name[64];
	int err;

	snprintf(name, sizeof(name), "fio-%u-point.json", n);
	err = nvme_json_start(&j, &fr->out, name, "fio", row, &fr->dev);
	if (err)
		return err;
	json_int(&j, "cpu", fr->cpu);
	json_fio(&j, fr, pt, oc, n);
	json_u64(&j, "ops", row->ops);
	json_num(&j, "seconds", row->seconds);
	json_window(&j, oc);
	nvme_json_sysprof(&j, &oc->prof, oc->profiled,
			  "a window inside fio's measured run (see window)");
	if (fr->o.wl.perf_record)
		perfrec_json(&j, row->profile, oc->perf_why);
	return json_close(&j);
}

static void fill_figures(const struct outcome *oc, struct workload_row *row)
{
	fio_fill_row(&oc->res, row);
	/* The window's cost over the window's I/Os, not fio's. */
	if (oc->profiled && oc->win.ops && !oc->win.why[0])
		workload_row_cost(row, &oc->prof, oc->win.ops);
}

/* What the row's cost figures cover, or why there are none. */
static void window_note(const struct outcome *oc, char *note, size_t size)
{
	const struct window *w = &oc->win;
	double rate;

	if (w->why[0]) {
		workload_note_add(note, size,
				  "no CPU or counters: %s", w->why);
		return;
	}
	if (!w->by_stat) {
		/* Its start is fio's job process's, not its first I/O's. */
		workload_note_add(note, size,
				  "CPU and counters over a %.2f s window of fio's I/O, from %.2f s after its job process appeared, I/Os taken as fio's IOPS times the window: %s",
				  oc->prof.seconds, w->start - w->io_seen,
				  w->counter_why);
		return;
	}
	workload_note_add(note, size,
			  "CPU and counters over a %.2f s window inside fio's measured run, I/Os counted by %s",
			  oc->prof.seconds, w->stat);
	/* Other I/O on the disk, or a window not inside fio's I/O. */
	rate = w->ops / oc->prof.seconds;
	if (oc->res.iops > 0 && (rate < 0.8 * oc->res.iops ||
				 rate > 1.25 * oc->res.iops))
		workload_note_add(note, size,
				  "the disk did %.0f I/Os/s in the window, fio %.0f: other I/O on it?",
				  rate, oc->res.iops);
}

static void ok_note(const struct fio_run *fr, const struct outcome *oc,
		    char *note, size_t size)
{
	snprintf(note, size, "%s", fr->version);
	window_note(oc, note, size);
	if (fr->dev.dma.row_note[0])
		workload_note_add(note, size, "%s", fr->dev.dma.row_note);
	if (!oc->res.percentiles)
		workload_note_add(note, size,
				  "no latency percentiles (the job lacks lat_percentiles=1)");
	if (fr->o.wl.perf_record)
		workload_note_add(note, size, "%s", oc->perf_why[0] ?
				  oc->perf_why : PERFREC_NOTE);
}

/* The row and the files of a point that ran or could not. */
static int record(struct fio_run *fr, const struct point *pt,
		  struct outcome *oc, unsigned int n)
{
	char note[sizeof(oc->note) + 400];
	struct workload_row row;
	int err;

	workload_row_init(&row);
	row.tool = "fio";
	row.workload = pt->job->workload;
	row.path = fr->dev.dma.path;
	row.device = env_get(oc, "DEV");
	row.size = pt->nv.bs;
	row.qd = pt->nv.qd;
	row.batch = pt->nv.batch;
	row.completion = nvme_completion_names[pt->nv.completion];
	row.buffers = nvme_buffers_names[pt->nv.buffers];
	row.variant = pt->job->variant;
	row.threads = 1;
	row.status = oc->status;
	if (oc->status == STATUS_OK)
		ok_note(fr, oc, note, sizeof(note));
	else
		snprintf(note, sizeof(note), "%s", oc->note);
	row.note = note;
	if (oc->status == STATUS_OK) {
		fill_figures(oc, &row);
		workload_row_enough(&row, note, sizeof(note));
	}
	if (oc->status_fio >= 0)
		row.profile = oc->profile;
	err = write_json(fr, pt, oc, &row, n);
	if (!err)
		err = wl_out_row(&fr->out, &row);
	if (err)
		warnx("%s/workload: cannot write point %u: %s", fr->out.dir, n,
		      strerror(-err));
	return err;
}

/* An interrupted point leaves no files behind, as it leaves no row. */
static void drop_files(struct fio_run *fr, unsigned int n)
{
	wl_out_unlink(&fr->out, "fio", n, ".json");
	wl_out_unlink(&fr->out, "fio", n, ".log");
	perfrec_point_drop(&fr->out, "fio", n);
}

/* How long sysprof_start() takes here, before any point needs to know. */
static void time_sysprof(struct fio_run *fr)
{
	struct sysprof_result r;
	struct sysprof *sp;
	double t = now_seconds();

	sp = sysprof_start(&fr->o.wl.sysprof);
	fr->prof_start_s = sp ? now_seconds() - t : NAN;
	if (sp) {
		sysprof_stop(sp, &r);
		sysprof_free(sp);
	}
}

static int sweep(struct fio_run *fr)
{
	struct outcome *oc = malloc(sizeof(*oc));
	char label[160], msg[800];
	unsigned int n;
	double t0;
	int err = 0;

	if (!oc)
		return -ENOMEM;
	time_sysprof(fr);
	progress_init(&fr->prog, fr->npoints, fr->npoints);
	for (unsigned int i = 0; i < fr->npoints && !err; i++) {
		point_label(&fr->points[i], label, sizeof(label));
		progress_begin(&fr->prog, label);
		t0 = now_seconds();
		/* --into may hold earlier runs' fio-<n>.json. */
		n = wl_out_next_point(&fr->out, "fio", &fr->next_file);
		run_point(fr, &fr->points[i], n, oc);
		if (oc->status == STATUS_NONE || fio_stop) {
			drop_files(fr, n);
			fputs("interrupted\n", stderr);
			err = -EINTR;
			break;
		}
		if (oc->status != STATUS_OK) {
			fr->failed += oc->status == STATUS_FAILED;
			snprintf(msg, sizeof(msg), "%s: %s",
				 status_names[oc->status], oc->note);
			progress_end(&fr->prog, now_seconds() - t0, msg);
		} else {
			progress_end(&fr->prog, now_seconds() - t0, NULL);
		}
		err = record(fr, &fr->points[i], oc, n);
	}
	free(oc);
	return err;
}

/* Before anything runs */

static int find_fio(struct fio_run *fr)
{
	char *argv[] = { fr->fio, "--version", NULL };
	char out[128];

	if (prog_find("fio", fr->fio, sizeof(fr->fio))) {
		warnx(FIO_PACKAGE);
		return -1;
	}
	if (prog_capture(argv, NULL, out, sizeof(out)) || strncmp(out, "fio-", 4)) {
		warnx("%s --version: not fio? (%.40s)", fr->fio, out);
		return -1;
	}
	snprintf(fr->version, sizeof(fr->version), "%.*s",
		 (int)strcspn(out, " \n"), out);
	return fr->o.wl.perf_record ? perfrec_check() : 0;
}

static bool any_writes(const struct fio_run *fr)
{
	for (unsigned int i = 0; i < fr->njobs; i++)
		if (fr->jobs[i].writes)
			return true;
	return false;
}

/* Everything before the output exists: no file is made if this fails. */
static int prepare(struct fio_run *fr)
{
	if (find_fio(fr))
		return -1;
	snprintf(fr->dev.arg, sizeof(fr->dev.arg), "%s", fr->o.device);
	fr->cpu = fr->o.cpu >= 0 ? fr->o.cpu : sched_getcpu();
	if (fr->cpu < 0)
		fr->cpu = 0;
	if (find_jobs(fr) ||
	    nvme_prepare_device(&fr->o, any_writes(fr), &fr->dev, &fr->span) ||
	    plan(fr))
		return -1;
	return hugebuf_pool_opt(fr->o.wl.hugepages);
}

static void announce(const struct fio_run *fr)
{
	char took[32];

	/* fio takes a moment to start and to stop. */
	fmt_duration(took, sizeof(took), fr->npoints *
		     (fr->o.seconds + fr->o.ramp + 0.5));
	fprintf(stderr, "dmabench: %s: DMA path %s; %s, %u points, %g s + %g s ramp each: about %s, on CPU %d\n",
		fr->dev.arg, fr->dev.dma.path, fr->version, fr->npoints,
		fr->o.seconds, fr->o.ramp, took, fr->cpu);
}

int cmd_fio(int argc, char **argv)
{
	struct fio_run *fr;
	int ret;

	fr = calloc(1, sizeof(*fr));
	if (!fr) {
		warnx("out of memory");
		return 1;
	}
	fr->next_file = 1;
	ret = parse(argc, argv, fr);
	if (ret) {
		free(fr);
		return ret > 0 ? 0 : EXIT_USAGE;
	}
	catch_stop(&fio_stop, 1,
		   "\ndmabench: stopping fio, then cleaning up\n");
	ret = 1;
	if (!prepare(fr) && !fio_stop &&
	    !wl_out_open(&fr->out, fr->o.wl.into, fr->o.wl.out, argc, argv)) {
		announce(fr);
		ret = sweep(fr);
		ret = wl_out_finish(&fr->out, ret, fio_stop, fr->failed,
				    fr->o.wl.into);
	}
	hugebuf_pool_restore();
	for (unsigned int i = 0; i < fr->njobs; i++)
		free(fr->jobs[i].text);
	free(fr->points);
	free(fr);
	return ret;
}
