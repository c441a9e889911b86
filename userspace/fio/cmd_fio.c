// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fio: the points of dmabench nvme run by fio, with the job
 * files of configs/fio/, and fio's figures imported as rows of
 * workload.csv (tool fio) beside dmabench's own, under the same keys.
 *
 * The options are dmabench nvme's (nvme_parse()), --perf-record among
 * them, plus --job and --dev; the points are dmabench nvme's, and the
 * device is probed and checked as dmabench nvme does it (nvme_prep.c,
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
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "fio.h"
#include "frame.h"
#include "nvme.h"
#include "proc.h"
#include "util.h"
#include "workload.h"

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

static void label(struct wl_run *w, unsigned int i, char *buf, size_t size)
{
	struct fio_run *fr = container_of(w, struct fio_run, wl);

	fio_point_label(&fr->points[i], buf, size);
}

static void run_point(struct wl_run *w, unsigned int i, unsigned int n,
		      struct wl_result *r)
{
	struct fio_run *fr = container_of(w, struct fio_run, wl);

	fio_run_point(fr, &fr->points[i], n, &fr->oc);
	r->status = fr->oc.status;
	r->note = fr->oc.note;
}

static int write_point(struct wl_run *w, unsigned int i, unsigned int n)
{
	struct fio_run *fr = container_of(w, struct fio_run, wl);

	return fio_record(fr, &fr->points[i], &fr->oc, n);
}

static void drop(struct wl_run *w, unsigned int n)
{
	fio_drop_files(container_of(w, struct fio_run, wl), n);
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
	return 0;
}

static bool any_writes(const struct fio_run *fr)
{
	for (unsigned int i = 0; i < fr->njobs; i++)
		if (fr->jobs[i].writes)
			return true;
	return false;
}

/* fio, the jobs, the device, the points.  Nothing is written yet. */
static int prepare(struct wl_run *w)
{
	struct fio_run *fr = container_of(w, struct fio_run, wl);

	if (find_fio(fr))
		return -1;
	snprintf(fr->dev.arg, sizeof(fr->dev.arg), "%s", fr->o.device);
	fr->cpu = fr->o.cpu >= 0 ? fr->o.cpu : sched_getcpu();
	if (fr->cpu < 0)
		fr->cpu = 0;
	if (fio_find_jobs(fr) ||
	    nvme_prepare_device(&fr->o, any_writes(fr), &fr->dev, &fr->span) ||
	    fio_plan(fr))
		return -1;
	time_sysprof(fr);
	return 0;
}

static void announce(struct wl_run *w)
{
	const struct fio_run *fr = container_of(w, struct fio_run, wl);
	char took[32];

	/* fio takes a moment to start and to stop. */
	fmt_duration(took, sizeof(took), w->npoints *
		     (fr->o.seconds + fr->o.ramp + 0.5));
	fprintf(stderr, "dmabench: %s: DMA path %s; %s, %u points, %g s + %g s ramp each: about %s, on CPU %d\n",
		fr->dev.arg, fr->dev.dma.path, fr->version, w->npoints,
		fr->o.seconds, fr->o.ramp, took, fr->cpu);
}

static enum wl_parsed parse(struct wl_run *w, int argc, char **argv)
{
	struct fio_run *fr = container_of(w, struct fio_run, wl);
	int ret;

	w->opts = &fr->o.wl;
	ret = fio_parse(argc, argv, fr);
	return ret > 0 ? WL_DONE : ret < 0 ? WL_USAGE : WL_MEASURE;
}

static void cleanup(struct wl_run *w)
{
	struct fio_run *fr = container_of(w, struct fio_run, wl);

	for (unsigned int i = 0; i < fr->njobs; i++)
		free(fr->jobs[i].text);
	free(fr->points);
}

static const struct wl_command fio_command = {
	.tool = "fio",
	.size = sizeof(struct fio_run),
	.offset = offsetof(struct fio_run, wl),
	.stop = &fio_stop,
	.stop_max = 1,
	.stopping = "\ndmabench: stopping fio, then cleaning up\n",
	.parse = parse,
	.prepare = prepare,
	.announce = announce,
	.label = label,
	.run = run_point,
	.write = write_point,
	.drop = drop,
	.cleanup = cleanup,
};

int cmd_fio(int argc, char **argv)
{
	return wl_main(&fio_command, argc, argv);
}
