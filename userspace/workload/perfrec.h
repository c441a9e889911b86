/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --perf-record: `perf record -a -g` around a workload, its samples
 * folded into one line per distinct call stack for flame graphs:
 *
 *	comm;outermost;...;innermost count
 *
 * and the few helpers for running programs that this and the workload
 * commands share.
 */
#ifndef DMABENCH_PERFREC_H
#define DMABENCH_PERFREC_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct perfrec;

/*
 * Start recording every CPU's call stacks into data_path, and return once
 * perf has said that its events are enabled.  NULL, with why[] filled,
 * if perf is missing or would not start.
 */
struct perfrec *perfrec_start(const char *data_path, char *why, size_t size);
/*
 * Stop it, and fold its samples into folded_path.  0, or -errno with
 * why[] filled.  Frees p whatever the outcome.
 */
int perfrec_stop(struct perfrec *p, const char *folded_path,
		 char *why, size_t size);
/*
 * Fold the output of `perf script -F comm,pid,tid,ip,sym` (perf's default
 * fields are read too): one sample is a header line and the frames under
 * it, innermost first, each on a line that starts with a tab.  Writes the
 * distinct stacks, sorted, with the number of samples of each.  Returns
 * the number of samples, or -errno.
 */
long perf_fold(FILE *in, FILE *out);

/* A point's recording */

struct json;
struct wl_out;

/* What a row's note says when perf record ran during its measured phase. */
#define PERFREC_NOTE	"perf record ran meanwhile, and its CPU time counts"

/* Is perf there for --perf-record?  0, or -1 said. */
int perfrec_check(void);
/* perfrec_start() into workload/<tool>-<n>.perf.data of w (workload.h). */
struct perfrec *perfrec_point_start(struct wl_out *w, const char *tool,
				    unsigned int n, char *why, size_t size);
/*
 * perfrec_stop() into workload/<tool>-<n>.folded; its relative path, the
 * row's profile, into profile[PATH_MAX] if all went well, else "".
 */
int perfrec_point_stop(struct perfrec *p, struct wl_out *w, const char *tool,
		       unsigned int n, char *profile, char *why, size_t size);
/* The files of a point that was interrupted: it leaves no row. */
void perfrec_point_drop(struct wl_out *w, const char *tool, unsigned int n);
/* "perf_record" of a point's JSON: its profile, and why there is none. */
void perfrec_json(struct json *j, const char *profile, const char *why);


#endif
