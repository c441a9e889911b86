// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench rdma: what a point leaves behind, whether it ran or not: its
 * rows of workload.csv (rdma-reg has rdma-dereg beside it), its
 * provenance (workload/rdma-N.json) and its latency histograms
 * (rdma-N-lat.csv, rdma-N-dereg-lat.csv).
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "perfrec.h"
#include "rdma.h"
#include "util.h"
#include "workload.h"

#define MIB			1048576.0

/* 64, 4K, 2M, 1G, or bytes when not a whole multiple. */
void rdma_fmt_size(char *buf, size_t size, uint64_t v)
{
	if (v >= 1ULL << 30 && !(v & ((1ULL << 30) - 1)))
		snprintf(buf, size, "%" PRIu64 "G", v >> 30);
	else if (v >= 1ULL << 20 && !(v & ((1ULL << 20) - 1)))
		snprintf(buf, size, "%" PRIu64 "M", v >> 20);
	else if (v >= 1ULL << 10 && !(v & ((1ULL << 10) - 1)))
		snprintf(buf, size, "%" PRIu64 "K", v >> 10);
	else
		snprintf(buf, size, "%" PRIu64, v);
}

static void jnum(struct json *j, const char *key, double v)
{
	char buf[40];

	if (!isfinite(v)) {
		json_none(j, key);
		return;
	}
	snprintf(buf, sizeof(buf), "%.9g", v);
	json_raw(j, key, buf);
}

static const char *method(const struct rdma_point *p)
{
	switch (p->test) {
	case RDMA_T_REG:
		return "ibv_reg_mr (LOCAL_WRITE|REMOTE_WRITE|REMOTE_READ) then ibv_dereg_mr of one buffer, every page written beforehand; each call timed with CLOCK_MONOTONIC; one untimed pair first";
	case RDMA_T_ODP:
		if (p->odp == RDMA_ODP_FAULT)
			return "an ODP MR over the region; per operation: mprotect to read-only and back (the MMU notifier drops the device mapping, the pages stay resident; timed apart), then RDMA WRITEs of chunk bytes from a pinned MR, qd in flight, cover the region and the device faults its pages in; timed from the first post to the last completion; baseline: the same into a pinned MR of the region";
		return "an ODP MR over the region; per operation: mprotect to read-only and back (the MMU notifier drops the device mapping, the pages stay resident; timed apart), then ibv_advise_mr(advice, IBV_ADVISE_MR_FLAG_FLUSH) of the whole region, timed";
	case RDMA_T_WRITE:
	case RDMA_T_SEND:
	case RDMA_T_COUNT:
		break;
	}
	return "two RC queue pairs of one port connected to each other by hand; qd signalled messages in flight, each posted on its own; completions busy-polled; latency from the clock read of the round of posts that sent a message to that of the poll that reaped it";
}

static void prof_json(struct json *j, const struct rdma_result *res)
{
	json_obj_begin(j, "sysprof");
	json_bool(j, "ran", res->prof_ran);
	if (res->prof_ran)
		sysprof_json(j, &res->prof, jnum, "top");
	else
		json_str(j, "why", res->prof_why);
	json_obj_end(j);
}

/* workload/rdma-<n>.json: where the point's figures come from. */
static int point_json(struct rdma_ctx *c, const struct rdma_point *p,
		      const struct rdma_result *res, unsigned int n,
		      const char *hist, const char *hist2, char *rel,
		      size_t relsize)
{
	struct json j;
	char name[32];
	FILE *f;

	snprintf(name, sizeof(name), "rdma-%u.json", n);
	f = wl_out_file(&c->wl.out, name, rel, relsize);
	if (!f)
		return -errno;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "tool", "dmabench rdma");
	json_str(&j, "workload", p->workload);
	json_int(&j, "point", p->index);
	json_str(&j, "command", c->wl.out.command ? c->wl.out.command : "");
	json_u64(&j, "size", p->size);
	json_int(&j, "qd", p->qd);
	json_str(&j, "buffers", p->huge ? "huge" : "normal");
	json_bool(&j, "reg_per_io", p->reg_per_io);
	json_str(&j, "status", status_names[res->status]);
	json_str(&j, "note", res->note);
	json_str(&j, "method", method(p));
	json_u64(&j, "ops", res->ops);
	jnum(&j, "seconds", res->seconds);
	rdma_dev_json(&j, &c->dev);
	if (p->test != RDMA_T_REG && !(p->test == RDMA_T_ODP &&
				      p->odp != RDMA_ODP_FAULT)) {
		json_obj_begin(&j, "connection");
		json_str(&j, "qp_type", "RC");
		json_str(&j, "connected", "by hand: INIT, RTR, RTS");
		json_int(&j, "path_mtu", res->path_mtu ? 128 << res->path_mtu : 0);
		json_int(&j, "send_depth", p->qd);
		json_int(&j, "recv_depth", res->depth);
		json_int(&j, "chunk", res->chunk);
		json_int(&j, "timeout", 14);
		json_int(&j, "retry_cnt", 7);
		json_int(&j, "rnr_retry", 7);
		json_obj_end(&j);
	}
	json_str(&j, "latency_quantiles", lathist_method);
	json_str(&j, "histogram", hist);
	if (p->test == RDMA_T_REG)
		json_str(&j, "dereg_histogram", hist2);
	if (p->test == RDMA_T_ODP)
		jnum(&j, "invalidation_p50_ns", res->lat2 && res->lat2->n ?
		     lathist_quantile(res->lat2, 500) : NAN);
	jnum(&j, "baseline_ns_per_page", res->baseline_ns);
	prof_json(&j, res);
	if (c->o.wl.perf_record)
		perfrec_json(&j, res->profile, res->perf_why);
	return json_close(&j);
}

/* The figures every row of a point that ran shares. */
static void figures(struct workload_row *w, const struct rdma_result *res,
		    const struct lathist *h, bool per_page)
{
	w->seconds = res->seconds;
	w->ops = res->ops;
	if (res->seconds > 0) {
		w->rate = res->ops / res->seconds;
		w->mib_s = res->ops * (double)res->bytes / res->seconds / MIB;
	}
	if (!h || !h->n)
		return;
	workload_row_lat(w, h);
	if (per_page)
		w->ns_per_page = rdma_ns_per_page(w->lat_p50, w->size);
}

/* Whole-system cost per operation, and why what is missing is missing. */
static void prof_figures(struct workload_row *w, const struct rdma_opts *o,
			 const struct rdma_result *res, char *note,
			 size_t size)
{
	const struct sysprof_result *r = &res->prof;

	w->share_source = "unavailable";
	if (!res->prof_ran) {
		workload_note_add(note, size, "no system profile: %s",
				  res->prof_why);
		return;
	}
	if (!res->ops)
		return;
	workload_row_cost(w, r, res->ops);
	if (!o->wl.sysprof.counters)
		workload_note_add(note, size,
				  "no kernel counters: --no-counters");
	else if (!isfinite(r->kcycles) && r->counters_reason[0])
		workload_note_add(note, size, "no kernel counters: %s",
				  r->counters_reason);
	if (!o->wl.sysprof.sampling)
		workload_note_add(note, size, "no DMA share: --no-sampling");
	else if (!isfinite(r->dma_share) && r->share_reason[0])
		workload_note_add(note, size, "no DMA share: %s",
				  r->share_reason);
}

static void base_row(const struct rdma_ctx *c, const struct rdma_point *p,
		     const struct rdma_result *res, struct workload_row *w)
{
	bool polls = p->test == RDMA_T_WRITE || p->test == RDMA_T_SEND ||
		     (p->test == RDMA_T_ODP && p->odp == RDMA_ODP_FAULT);

	workload_row_init(w);
	w->tool = "dmabench";
	w->workload = p->workload;
	w->path = c->dev.path;
	w->device = c->dev.name;
	w->size = p->size;
	w->qd = p->qd;
	w->batch = 1;
	w->completion = polls ? "poll" : "";
	w->buffers = p->huge ? "huge" : "normal";
	w->variant = p->reg_per_io ? "reg-per-io" :
		     p->test == RDMA_T_ODP ? "odp" : "";
	w->threads = 1;
	w->lat_unit = "ns";
	w->status = res->status;
	w->share_source = "unavailable";
}

/* What the point's rows say beside the figures. */
static void point_note(const struct rdma_ctx *c, const struct rdma_point *p,
		       struct rdma_result *res, char *note, size_t size)
{
	char chunk[24];
	bool ok = res->status == STATUS_OK;

	snprintf(note, size, "%s", res->note);
	if (ok && p->test == RDMA_T_REG)
		workload_note_add(note, size,
				  "rate: register-deregister pairs per second; kernel figures per pair");
	if (ok && p->test == RDMA_T_ODP && res->lat2 && res->lat2->n)
		workload_note_add(note, size,
				  "each after an invalidation (mprotect round trip, median %.0f ns), which the kernel figures include and the latencies do not",
				  lathist_quantile(res->lat2, 500));
	if (ok && p->test == RDMA_T_ODP && p->odp == RDMA_ODP_FAULT) {
		rdma_fmt_size(chunk, sizeof(chunk), res->chunk);
		workload_note_add(note, size,
				  "an operation writes the whole region (RDMA WRITEs of %s, %u in flight); into a pinned MR: %.1f ns per page",
				  chunk, p->qd, res->baseline_ns);
	}
	if (ok && p->reg_per_io)
		workload_note_add(note, size,
				  "each message's buffer registered before its post, deregistered after its completion");
	if (c->dev.soft)
		workload_note_add(note, size, RDMA_SOFT_NOTE);
}

int rdma_write_point(struct rdma_ctx *c, const struct rdma_point *p,
		     struct rdma_result *res, unsigned int n)
{
	char rel[PATH_MAX], hist[PATH_MAX] = "", hist2[PATH_MAX] = "";
	char note[1024], dnote[1024];
	bool ok = res->status == STATUS_OK;
	struct workload_row w, d;
	int err = 0;

	if (ok && res->lat && res->lat->n)
		err = wl_out_hist(&c->wl.out, "rdma", n, "-lat.csv", res->lat, hist);
	if (!err && ok && p->test == RDMA_T_REG && res->lat2->n)
		err = wl_out_hist(&c->wl.out, "rdma", n, "-dereg-lat.csv", res->lat2,
				  hist2);
	if (!err)
		err = point_json(c, p, res, n, hist, hist2, rel, sizeof(rel));
	if (err) {
		warnx("%s/workload: cannot write point %u: %s", c->wl.out.dir, n,
		      strerror(-err));
		return err;
	}
	base_row(c, p, res, &w);
	/* The folded stacks of --perf-record, else the JSON's sysprof. */
	w.profile = res->profile[0] ? res->profile : rel;
	w.histogram = hist;
	point_note(c, p, res, note, sizeof(note));
	if (ok) {
		figures(&w, res, res->lat, p->test != RDMA_T_WRITE &&
			p->test != RDMA_T_SEND);
		prof_figures(&w, &c->o, res, note, sizeof(note));
	}
	if (ok && c->o.wl.perf_record)
		workload_note_add(note, sizeof(note), "%s", res->perf_why[0] ?
				  res->perf_why : PERFREC_NOTE);
	workload_row_enough(&w, note, sizeof(note));
	w.note = note;
	err = wl_out_row(&c->wl.out, &w);
	if (err || p->test != RDMA_T_REG)
		return err;
	/* ibv_dereg_mr: its own row, the profile being the pair's. */
	base_row(c, p, res, &d);
	d.workload = "rdma-dereg";
	d.profile = w.profile;
	d.histogram = hist2;
	snprintf(dnote, sizeof(dnote), "%s", res->note);
	if (ok) {
		figures(&d, res, res->lat2, true);
		workload_note_add(dnote, sizeof(dnote),
				  "rate: register-deregister pairs per second; kernel figures: on the rdma-reg row (one profile covers both calls)");
	}
	if (c->dev.soft)
		workload_note_add(dnote, sizeof(dnote), RDMA_SOFT_NOTE);
	workload_row_enough(&d, dnote, sizeof(dnote));
	d.note = dnote;
	return wl_out_row(&c->wl.out, &d);
}
