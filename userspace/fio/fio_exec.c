// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fio: running fio.  The environment a job file reads for a
 * point, fio --showcmd to learn what a job does, and waiting for fio
 * (a signal to dmabench asks it to stop; it still reports).
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

volatile sig_atomic_t fio_stop;

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
int fio_wait(pid_t pid, int *status)
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

/* Set NAME=value in oc's environment for fio, replacing an older value. */
void fio_env_set(struct outcome *oc, const char *name, const char *fmt, ...)
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
void fio_point_env(const struct fio_run *fr, const struct point *pt,
		   struct outcome *oc)
{
	const struct nvme_point *nv = &pt->nv;
	bool fixed = nv->buffers == NVME_BUF_FIXED ||
		     nv->buffers == NVME_BUF_FIXED_HUGE;
	bool huge = nv->buffers == NVME_BUF_HUGE ||
		    nv->buffers == NVME_BUF_FIXED_HUGE;
	size_t hp = hugebuf_page_size();

	oc->nenv = 0;
	fio_env_set(oc, "DEV", "%s", !strcmp(pt->job->variant, "passthru") &&
		    fr->dev.ng[0] ? fr->dev.ng : fr->dev.blkdev);
	fio_env_set(oc, "BS", "%llu", (unsigned long long)nv->bs);
	fio_env_set(oc, "QD", "%u", nv->qd);
	fio_env_set(oc, "BATCH", "%u", nv->batch);
	fio_env_set(oc, "FIXED", "%d", fixed);
	fio_env_set(oc, "POLL", "%d", nv->completion == NVME_POLL);
	fio_env_set(oc, "MEM", "%s", huge ? "mmaphuge" : "malloc");
	fio_env_set(oc, "HUGEPAGE", "%zu", hp ? hp : (size_t)2 << 20);
	fio_env_set(oc, "TIME", "%lldms", llround(fr->o.seconds * 1000));
	fio_env_set(oc, "RAMP", "%lldms", llround(fr->o.ramp * 1000));
	fio_env_set(oc, "SPAN", "%llu",
		    (unsigned long long)(fr->span / nv->bs * nv->bs));
	fio_env_set(oc, "CPU", "%d", fr->cpu);
}

/* The value of a variable set by fio_env_set(), "" if none. */
const char *fio_env_get(const struct outcome *oc, const char *name)
{
	size_t len = strlen(name);

	for (unsigned int i = 0; i < oc->nenv; i++)
		if (!strncmp(oc->env[i], name, len) && oc->env[i][len] == '=')
			return oc->env[i] + len + 1;
	return "";
}

char **fio_env_list(struct outcome *oc, char **v)
{
	for (unsigned int i = 0; i < oc->nenv; i++)
		v[i] = oc->env[i];
	v[oc->nenv] = NULL;
	return v;
}

/* fio --showcmd of a job with oc's environment; 0 or -1, said why. */
int fio_run_showcmd(const struct fio_run *fr, const char *file,
		    struct outcome *oc, struct fio_job *info, char *why,
		    size_t whysz)
{
	char *argv[] = { (char *)fr->fio, "--showcmd", (char *)file, NULL };
	char *env[ARRAY_SIZE(oc->env) + 1], line[300];
	int status;

	status = prog_capture(argv, fio_env_list(oc, env), oc->showcmd,
			 sizeof(oc->showcmd));
	if (status || fio_showcmd(oc->showcmd, info)) {
		fio_complaint(oc->showcmd, line, sizeof(line));
		snprintf(why, whysz, "%s: fio does not take it: %s", file, line);
		return -1;
	}
	return 0;
}
