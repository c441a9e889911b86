/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench micro --trace: the guest's side of the exact traces.  Before the
 * first traced run it hands /proc/kallsyms to the host's tracer and waits
 * for the tracer to be attached; before each traced run it names the run's
 * tag in DIR/trace-plan.csv.
 */
#ifndef DMABENCH_TRACE_PLAN_H
#define DMABENCH_TRACE_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* How long to wait for the tracer to say go. */
#define TRACE_WAIT_S	600

struct trace_plan {
	const char *dir;	/* NULL: no tracing */
	unsigned int apis;	/* bit per enum dmabench_api */
	const uint64_t *sizes;	/* only these sizes; nsizes 0: all */
	size_t nsizes;
	unsigned int dirs;	/* bit per direction; 0: all */
	unsigned int tag;	/* the last tag handed out; 0: none yet */
	FILE *plan;		/* DIR/trace-plan.csv, open once started */
};

/* Does a point of this api, size, dir, threads and batch get a traced call? */
bool trace_wanted(const struct trace_plan *tp, unsigned int api,
		  uint64_t size, unsigned int dir, unsigned int threads,
		  unsigned int batch);
/*
 * The next tag, for a run of this point: the first call waits for the
 * tracer.  0 and a message on failure (errno-style code in *err).
 */
uint32_t trace_next(struct trace_plan *tp, const char *api, const char *path,
		    uint64_t size, const char *dir, int *err);
void trace_close(struct trace_plan *tp);

#endif
