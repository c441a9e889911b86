/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame every workload command (dmabench nvme, fio, rdma) runs in:
 *
 *	parse      the options; nothing is touched yet
 *	prepare    the device, its checks, the points; no file is made
 *	           before it has passed (--perf-record's check and the huge
 *	           page pool are the frame's)
 *	announce   what will run, and about how long
 *	per point  label, run, write its row and files; an interrupted
 *	           point's files are dropped, never written half
 *	cleanup    whatever prepare took, whether or not it got that far
 *
 * The frame opens and commits the output (struct wl_out), shows the
 * progress, counts what the points came to, catches SIGINT, SIGTERM and
 * SIGHUP, puts the huge page pool back and gives the exit status of
 * cmd.h.  A command keeps its own state in a context that holds a
 * struct wl_run; its callbacks find it with container_of().
 */
#ifndef DMABENCH_FRAME_H
#define DMABENCH_FRAME_H

#include <signal.h>
#include <stddef.h>

#include "names.h"
#include "progress.h"
#include "workload.h"

/* What the frame keeps of a run: one in every command's context. */
struct wl_run {
	const struct wl_command *cmd;
	struct wl_opts *opts;		/* the command's, set by parse */
	struct wl_out out;
	struct progress prog;
	unsigned int npoints;		/* set by prepare */
	unsigned int next_file;		/* <tool>-<n>.json: n to try */
	unsigned int nok, nunsupported, nfailed;
};

/* What a point came to.  STATUS_NONE: stopped before it ended. */
struct wl_result {
	enum row_status status;
	const char *note;		/* why, if not ok */
};

/* parse's answer: measure, or the command is done already. */
enum wl_parsed {
	WL_MEASURE = 0,
	WL_DONE = 1,			/* --help or a listing: exit 0 */
	WL_USAGE = -1,			/* a bad option, said: exit 2 */
	WL_FAILED = -2,			/* said why: exit 1 */
};

struct wl_command {
	const char *tool;	/* names the point files: <tool>-<n>.json */
	size_t size;		/* of the context, allocated zeroed */
	size_t offset;		/* of its struct wl_run */
	/* Set by SIGINT, SIGTERM, SIGHUP; the command's loops look at it. */
	volatile sig_atomic_t *stop;
	int stop_max;		/* signals that only set it (catch_stop()) */
	const char *stopping;	/* said on the first */

	enum wl_parsed (*parse)(struct wl_run *w, int argc, char **argv);
	/* 0, or -1 said.  Sets w->npoints. */
	int (*prepare)(struct wl_run *w);
	void (*announce)(struct wl_run *w);
	void (*label)(struct wl_run *w, unsigned int i, char *buf,
		      size_t size);
	/* Point i (from 0), its files numbered n. */
	void (*run)(struct wl_run *w, unsigned int i, unsigned int n,
		    struct wl_result *r);
	/* Its row and files: 0 or -errno. */
	int (*write)(struct wl_run *w, unsigned int i, unsigned int n);
	/* An interrupted point's files, beyond --perf-record's; may be NULL. */
	void (*drop)(struct wl_run *w, unsigned int n);
	/* Whatever parse and prepare took; may be NULL. */
	void (*cleanup)(struct wl_run *w);
};

/* Run the command: its exit status (cmd.h). */
int wl_main(const struct wl_command *cmd, int argc, char **argv);

#endif
