// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fio: what a point leaves behind, whether it ran or not: its
 * row of workload.csv, fio's report and messages, and its provenance
 * (workload/fio-N-point.json).
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

/* Recording */

static void json_status(struct json *j, const char *key, int status)
{
	if (status < 0)
		json_none(j, key);
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
	fio_point_file(fr, n, ".json", path, rel);
	json_str(j, "report", oc->imported ? rel : "");
	fio_point_file(fr, n, ".log", path, rel);
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
		json_none(j, "io_start_s");
	if (taken) {
		json_num(j, "start_s", w->start - w->launch);
		json_num(j, "start_after_io_s", w->start - w->io_seen);
		json_num(j, "seconds", oc->profiled ? oc->prof.seconds :
			 w->end - w->start);
	} else {
		json_none(j, "start_s");
		json_none(j, "start_after_io_s");
		json_none(j, "seconds");
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
	err = nvme_json_start(&j, &fr->wl.out, name, "fio", row, &fr->dev);
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
int fio_record(struct fio_run *fr, const struct point *pt,
	       struct outcome *oc, unsigned int n)
{
	char note[sizeof(oc->note) + 400];
	struct workload_row row;
	int err;

	workload_row_init(&row);
	row.tool = "fio";
	row.workload = pt->job->workload;
	row.path = fr->dev.dma.path;
	row.device = fio_env_get(oc, "DEV");
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
		err = wl_out_row(&fr->wl.out, &row);
	if (err)
		warnx("%s/workload: cannot write point %u: %s", fr->wl.out.dir, n,
		      strerror(-err));
	return err;
}

/*
 * An interrupted point leaves no files behind, as it leaves no row (its
 * perf record files are the frame's to drop).
 */
void fio_drop_files(struct fio_run *fr, unsigned int n)
{
	wl_out_unlink(&fr->wl.out, "fio", n, ".json");
	wl_out_unlink(&fr->wl.out, "fio", n, ".log");
}
