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
		fio_point_label(&fr->points[i], label, sizeof(label));
		progress_begin(&fr->prog, label);
		t0 = now_seconds();
		/* --into may hold earlier runs' fio-<n>.json. */
		n = wl_out_next_point(&fr->out, "fio", &fr->next_file);
		fio_run_point(fr, &fr->points[i], n, oc);
		if (oc->status == STATUS_NONE || fio_stop) {
			fio_drop_files(fr, n);
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
		err = fio_record(fr, &fr->points[i], oc, n);
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
	if (fio_find_jobs(fr) ||
	    nvme_prepare_device(&fr->o, any_writes(fr), &fr->dev, &fr->span) ||
	    fio_plan(fr))
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
	ret = fio_parse(argc, argv, fr);
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
