// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fio: fio run on one point (fio_exec.c starts it), and the window of the whole-system figures inside fio's measured
 * I/O: the block device's stat shows when fio's I/O begins, the window
 * opens --ramp seconds later and closes before fio's runtime ends.
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
		*perf = perfrec_point_start(&fr->wl.out, "fio", n, oc->perf_why,
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
	pid = prog_spawn(argv, fio_env_list(oc, env), log, log);
	if (pid < 0) {
		window_fail(&oc->win, "fio did not start");
		return pid;
	}
	if (!take_window(fr, n, oc, pid, &status, &perf))
		err = fio_wait(pid, &status);
	/* After fio: perf's ending and folding would disturb it. */
	if (perf)
		perfrec_point_stop(perf, &fr->wl.out, "fio", n, oc->profile,
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

	fio_point_file(fr, n, ".json", report, rel);
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
	fio_point_file(fr, n, ".log", data, rel);
	judge(pt, data, oc);
	window_ops(pt, oc);
}

void fio_run_point(struct fio_run *fr, const struct point *pt,
		   unsigned int n, struct outcome *oc)
{
	char path[PATH_MAX], rel[PATH_MAX], why[600];
	struct fio_job info;
	int log;

	memset(oc, 0, sizeof(*oc));
	oc->status_fio = -1;
	fio_point_env(fr, pt, oc);
	if (fio_unsupported_here(fr, pt, oc->note, sizeof(oc->note))) {
		oc->status = STATUS_UNSUPPORTED;
		return;
	}
	oc->status = STATUS_FAILED;
	/* For the record, and fio's say on this point's settings. */
	if (fio_run_showcmd(fr, pt->job->file, oc, &info, why, sizeof(why))) {
		snprintf(oc->note, sizeof(oc->note), "%s", why);
		return;
	}
	fio_point_file(fr, n, ".log", path, rel);
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
