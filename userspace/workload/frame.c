// SPDX-License-Identifier: GPL-2.0
/*
 * The frame of the workload commands (frame.h): parse, prepare, open the
 * output, announce, the points one by one, commit or discard, clean up.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "frame.h"
#include "hugebuf.h"
#include "names.h"
#include "perfrec.h"
#include "util.h"

/* The end of the progress line: the time it took, or why it did not run. */
static void report(struct wl_run *w, const struct wl_result *r, double secs)
{
	char msg[800];

	switch (r->status) {
	case STATUS_OK:
		w->nok++;
		progress_end(&w->prog, secs, NULL);
		return;
	case STATUS_UNSUPPORTED:
		w->nunsupported++;
		break;
	default:
		w->nfailed++;
		break;
	}
	snprintf(msg, sizeof(msg), "%s: %s", status_names[r->status],
		 r->note ? r->note : "");
	progress_end(&w->prog, secs, msg);
}

/* 0: every point has its row; -EINTR: stopped; else an output error. */
static int sweep(struct wl_run *w)
{
	const struct wl_command *c = w->cmd;
	struct wl_result r;
	char label[160];
	unsigned int n;
	double t0;
	int err = 0;

	progress_init(&w->prog, w->npoints, w->npoints);
	for (unsigned int i = 0; i < w->npoints && !err; i++) {
		c->label(w, i, label, sizeof(label));
		progress_begin(&w->prog, label);
		t0 = now_seconds();
		/* --into may hold earlier runs' <tool>-<n>.json. */
		n = wl_out_next_point(&w->out, c->tool, &w->next_file);
		r = (struct wl_result){ .status = STATUS_NONE };
		c->run(w, i, n, &r);
		if (r.status == STATUS_NONE || *c->stop) {
			if (w->opts->perf_record)
				perfrec_point_drop(&w->out, c->tool, n);
			if (c->drop)
				c->drop(w, n);
			progress_end(&w->prog, 0, "interrupted");
			return -EINTR;
		}
		report(w, &r, now_seconds() - t0);
		err = c->write(w, i, n);
	}
	return err;
}

/* The exit status of a sweep that ended with err, the output closed. */
static int finish(struct wl_run *w, int err)
{
	bool stopped = err == -EINTR || *w->cmd->stop;
	const char *into = w->opts->into;
	int ret = 0;

	if (wl_out_close(&w->out, !err) || err)
		ret = stopped ? 130 : 1;
	if (w->nunsupported || w->nfailed)
		warnx("%u point%s measured, %u unsupported, %u failed: see the notes of their rows",
		      w->nok, w->nok == 1 ? "" : "s", w->nunsupported,
		      w->nfailed);
	if (stopped && into)
		warnx("interrupted: the rows of the points that finished stay in %s",
		      into);
	else if (stopped)
		warnx("interrupted: nothing written");
	return ret;
}

/* Everything before the output exists: no file is made if this fails. */
static int prepare(struct wl_run *w)
{
	if (w->opts->perf_record && perfrec_check())
		return -1;
	if (w->cmd->prepare(w) || *w->cmd->stop)
		return -1;
	return hugebuf_pool_opt(w->opts->hugepages) ? -1 : 0;
}

int wl_main(const struct wl_command *c, int argc, char **argv)
{
	struct wl_run *w;
	enum wl_parsed parsed;
	char *ctx;
	int ret = 1;

	ctx = calloc(1, c->size);
	if (!ctx) {
		warnx("out of memory");
		return 1;
	}
	w = (struct wl_run *)(ctx + c->offset);
	w->cmd = c;
	w->next_file = 1;
	parsed = c->parse(w, argc, argv);
	if (parsed != WL_MEASURE) {
		if (c->cleanup)
			c->cleanup(w);
		free(ctx);
		return parsed == WL_DONE ? 0 : parsed == WL_USAGE ?
		       EXIT_USAGE : 1;
	}
	*c->stop = 0;
	catch_stop(c->stop, c->stop_max, c->stopping);
	if (!prepare(w) &&
	    !wl_out_open(&w->out, w->opts->into, w->opts->out, argc, argv)) {
		c->announce(w);
		ret = finish(w, sweep(w));
	}
	hugebuf_pool_restore();
	if (c->cleanup)
		c->cleanup(w);
	free(ctx);
	return ret;
}
