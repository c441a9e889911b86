// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench rdma: what every timed phase shares, whichever file runs it:
 * when it ends (the count, the seconds or a signal), its status and note,
 * and the profile around it (--perf-record, sysprof).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "perfrec.h"
#include "rdma.h"
#include "workload.h"

volatile sig_atomic_t rdma_stop;

/* 4 KiB pages a size covers, at least one. */
uint64_t rdma_pages(uint64_t size)
{
	uint64_t n = (size + RDMA_PAGE - 1) / RDMA_PAGE;

	return n ? n : 1;
}

double rdma_ns_per_page(double ns, uint64_t size)
{
	return ns / rdma_pages(size);
}

/* Is the timed phase over after ops operations? */
bool rdma_done(const struct rdma_run *r, uint64_t ops, uint64_t t0,
	       uint64_t now)
{
	if (rdma_stop)
		return true;
	if (r->o->count)
		return ops >= r->o->count;
	return ops > 0 && now - t0 >= r->o->seconds * 1e9;
}

void rdma_set(struct rdma_result *res, enum row_status status,
	      const char *fmt, ...)
{
	va_list ap;

	res->status = status;
	va_start(ap, fmt);
	vsnprintf(res->note, sizeof(res->note), fmt, ap);
	va_end(ap);
}

/* The profile of a timed phase: perf record (--perf-record), sysprof. */
void rdma_prof_start(struct rdma_run *r, struct rdma_result *res)
{
	if (r->o->wl.perf_record)
		res->perf = perfrec_point_start(r->out, "rdma", r->n,
						res->perf_why,
						sizeof(res->perf_why));
	res->sp = sysprof_start(&r->o->wl.sysprof);
	if (!res->sp)
		snprintf(res->prof_why, sizeof(res->prof_why),
			 "sysprof_start: %s", strerror(errno));
}

void rdma_prof_stop(struct rdma_run *r, struct rdma_result *res)
{
	int err;

	if (res->sp) {
		err = sysprof_stop(res->sp, &res->prof);
		if (err)
			snprintf(res->prof_why, sizeof(res->prof_why),
				 "sysprof_stop: %s",
				 strerror(err < 0 ? -err : err));
		else
			res->prof_ran = true;
		sysprof_free(res->sp);
		res->sp = NULL;
	}
	if (res->perf)
		perfrec_point_stop(res->perf, r->out, "rdma", r->n,
				   res->profile, res->perf_why,
				   sizeof(res->perf_why));
	res->perf = NULL;
}

void rdma_timed_ok(struct rdma_run *r, struct rdma_result *res,
		   uint64_t start, uint64_t end)
{
	res->seconds = (end - start) / 1e9;
	rdma_prof_stop(r, res);
	rdma_set(res, STATUS_OK, "%s", "");
}
