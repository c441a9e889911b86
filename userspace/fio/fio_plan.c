// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fio: the job files (configs/fio/ or given), what fio
 * --showcmd says each does, and the points of dmabench nvme's they run.
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

#include "fio.h"
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
	fio_point_env(fr, &pt, oc);
	fio_env_set(oc, "DEV", "%s", JOB_CHECK_DEV);
	if (fio_run_showcmd(fr, jb->file, oc, &jb->info, why, sizeof(why))) {
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

int fio_find_jobs(struct fio_run *fr)
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
int fio_plan(struct fio_run *fr)
{
	unsigned int each = nvme_plan_rw(&fr->o, NVME_RANDREAD, NULL), n = 0;
	struct nvme_point *nv = calloc(each, sizeof(*nv));

	fr->wl.npoints = fr->njobs * each;
	fr->points = calloc(fr->wl.npoints, sizeof(*fr->points));
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

void fio_point_label(const struct point *pt, char *buf, size_t size)
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
bool fio_unsupported_here(const struct fio_run *fr, const struct point *pt,
			  char *why, size_t whysz)
{
	const struct nvme_point *nv = &pt->nv;

	/* fio's --passthru is that of its jobs (fio_find_jobs()). */
	if (nvme_point_unsupported(&fr->dev, fr->o.passthru, nv, why, whysz))
		return true;
	if (nv->buffers == NVME_BUF_HUGE || nv->buffers == NVME_BUF_FIXED_HUGE)
		return too_few_huge_pages(pt, why, whysz);
	return false;
}

/* A point's files: workload/fio-<n><suffix>. */
int fio_point_file(struct fio_run *fr, unsigned int n, const char *suffix,
		   char *path, char *rel)
{
	return wl_out_point_path(&fr->wl.out, "fio", n, suffix, path, rel);
}
