// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench micro --trace: the guest's side of the exact traces (see
 * trace_plan.h and lab/trace.py, the host's side).
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dmabench_uapi.h"
#include "trace_plan.h"
#include "util.h"

bool trace_wanted(const struct trace_plan *tp, unsigned int api,
		  uint64_t size, unsigned int dir, unsigned int threads,
		  unsigned int batch)
{
	bool sized = !tp->nsizes;

	for (size_t i = 0; i < tp->nsizes; i++)
		sized |= tp->sizes[i] == size;
	return tp->dir && (tp->apis & (1U << api)) && threads == 1 &&
	       batch == 1 && sized && (!tp->dirs || (tp->dirs & (1U << dir)));
}

static int trace_file(const struct trace_plan *tp, const char *name,
		      char *buf, size_t size)
{
	return fmt_buf(buf, size, "%s/%s", tp->dir, name);
}

/* kallsyms for the tracer, then trace-ready; wait for trace-go. */
static int trace_start(struct trace_plan *tp)
{
	char path[PATH_MAX], go[PATH_MAX];
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	FILE *ready;
	double t0;
	int err;

	err = mkdir_p(tp->dir);
	if (!err)
		err = trace_file(tp, "kallsyms", path, sizeof(path));
	if (!err)
		err = copy_file("/proc/kallsyms", path);
	if (err) {
		warnx("--trace: copying /proc/kallsyms to %s: %s", path,
		      strerror(-err));
		return err;
	}
	err = trace_file(tp, "trace-plan.csv", path, sizeof(path));
	if (err)
		return err;
	tp->plan = fopen(path, "we");
	if (!tp->plan || fputs("tag,api,path,size,dir\n", tp->plan) < 0 ||
	    fflush(tp->plan)) {
		err = -errno;
		warnx("--trace: writing %s: %s", path, strerror(errno));
		return err;
	}
	err = trace_file(tp, "trace-go", go, sizeof(go));
	if (!err)
		err = trace_file(tp, "trace-ready", path, sizeof(path));
	if (err)
		return err;
	ready = fopen(path, "we");
	if (!ready || fputs("ready\n", ready) < 0 || fclose(ready)) {
		err = -errno;
		warnx("--trace: writing %s: %s", path, strerror(errno));
		return err;
	}
	fprintf(stderr, "dmabench: --trace: waiting for the tracer (%s)\n", go);
	t0 = now_seconds();
	while (!path_exists(go)) {
		if (now_seconds() - t0 > TRACE_WAIT_S) {
			warnx("--trace: no tracer: %s did not appear within %d s of %s; is the host's tracer (lab/trace.py) attached to this machine?",
			      go, TRACE_WAIT_S, path);
			return -ETIMEDOUT;
		}
		nanosleep(&nap, NULL);
	}
	return 0;
}

uint32_t trace_next(struct trace_plan *tp, const char *api, const char *path,
		    uint64_t size, const char *dir, int *err)
{
	*err = 0;
	if (!tp->plan) {
		*err = trace_start(tp);
		if (*err)
			return 0;
	}
	tp->tag++;
	if (fprintf(tp->plan, "%u,%s,%s,%llu,%s\n", tp->tag, api, path,
		    (unsigned long long)size, dir) < 0 || fflush(tp->plan)) {
		*err = -errno;
		warnx("--trace: writing %s/trace-plan.csv: %s", tp->dir,
		      strerror(errno));
		return 0;
	}
	return tp->tag;
}

void trace_close(struct trace_plan *tp)
{
	if (tp->plan)
		fclose(tp->plan);
	tp->plan = NULL;
}
