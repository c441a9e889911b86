// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench nvme: what a point leaves behind, whether it ran or not: its
 * row of workload.csv, its provenance (workload/nvme-N.json) and, when
 * it ran, its latency histogram (workload/nvme-N-lat.csv).  The start of
 * the JSON and its whole-system figures are dmabench fio's too.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "nvme.h"
#include "perfrec.h"
#include "util.h"
#include "workload.h"

int nvme_json_start(struct json *j, struct wl_out *w, const char *name,
		    const char *tool, const struct workload_row *row,
		    const struct nvme_dev *d)
{
	char rel[PATH_MAX];
	FILE *f;

	f = wl_out_file(w, name, rel, sizeof(rel));
	if (!f)
		return -errno;
	json_init(j, f);
	json_obj_begin(j, NULL);
	json_str(j, "tool", tool);
	json_str(j, "command", w->command ? w->command : "");
	json_str(j, "workload", row->workload);
	json_u64(j, "size", row->size);
	json_u64(j, "qd", row->qd);
	json_u64(j, "batch", row->batch);
	json_str(j, "completion", row->completion);
	json_str(j, "buffers", row->buffers);
	json_str(j, "variant", row->variant);
	json_str(j, "status", status_names[row->status]);
	json_str(j, "note", row->note);
	nvme_dev_json(j, d);
	return 0;
}

void nvme_json_sysprof(struct json *j, const struct sysprof_result *p,
		       bool profiled, const char *window)
{
	if (!profiled) {
		json_none(j, "sysprof");
		return;
	}
	json_obj_begin(j, "sysprof");
	if (window)
		json_str(j, "window", window);
	sysprof_json(j, p, json_num, "top_dma_symbols");
	json_obj_end(j);
}

static void json_run(struct json *j, const struct nvme_run *nr,
		     const struct nvme_point *pt,
		     const struct nvme_outcome *oc)
{
	char flags[16];

	json_obj_begin(j, "run");
	json_int(j, "cpu", nr->cpu);
	json_u64(j, "span", nr->span);
	json_num(j, "ramp_s", nr->o.ramp);
	json_num(j, "time_s", nr->o.seconds);
	json_u64(j, "seed", oc->seed);
	json_str(j, "offsets", pt->rw == NVME_RANDREAD || pt->rw == NVME_RANDWRITE ?
		 "uniform over the span, in whole blocks of size (xoshiro256**)" :
		 "sequential from 0, wrapping at the span");
	json_u64(j, "buffer_bytes", oc->buf_bytes);
	snprintf(flags, sizeof(flags), "0x%x", oc->setup_flags);
	json_str(j, "ring_setup_flags", flags);
	json_u64(j, "sq_entries", oc->sq_entries);
	json_u64(j, "cq_entries", oc->cq_entries);
	json_bool(j, "ring_fd_registered", oc->ring_fd_registered);
	json_bool(j, "file_registered", true);
	json_bool(j, "o_direct", true);
	json_str(j, "timing", nvme_io_timing);
	json_str(j, "latency_quantiles", lathist_method);
	if (oc->res.ops)
		json_num(j, "enters_per_op", (double)oc->res.enters / oc->res.ops);
	json_obj_end(j);
}

static int write_json(struct nvme_run *nr, const struct nvme_point *pt,
		      const struct nvme_outcome *oc,
		      const struct workload_row *row, unsigned int n)
{
	struct json j;
	char name[64];
	int err;

	snprintf(name, sizeof(name), "nvme-%u.json", n);
	err = nvme_json_start(&j, &nr->wl.out, name, "dmabench nvme", row,
			      &nr->dev);
	if (err)
		return err;
	json_run(&j, nr, pt, oc);
	json_u64(&j, "ops", row->ops);
	json_num(&j, "seconds", row->seconds);
	json_str(&j, "histogram", row->histogram);
	nvme_json_sysprof(&j, &oc->prof, oc->profiled, NULL);
	if (nr->o.wl.perf_record)
		perfrec_json(&j, row->profile, oc->perf_why);
	return json_close(&j);
}

static void fill_figures(struct nvme_run *nr, const struct nvme_outcome *oc,
			 struct workload_row *row)
{
	double ops = oc->res.ops;

	row->seconds = oc->res.seconds;
	row->ops = oc->res.ops;
	if (!oc->res.ops || oc->res.seconds <= 0)
		return;
	row->rate = ops / oc->res.seconds;
	row->mib_s = ops * row->size / oc->res.seconds / (1 << 20);
	workload_row_lat(row, &nr->hist);
	if (oc->profiled)
		workload_row_cost(row, &oc->prof, oc->res.ops);
}

int nvme_record(struct nvme_run *nr, const struct nvme_point *pt,
		const struct nvme_outcome *oc, unsigned int n)
{
	char workload[32], hist[PATH_MAX] = "", note[700];
	bool ok = oc->status == STATUS_OK;
	struct workload_row row;
	int err = 0;

	workload_row_init(&row);
	snprintf(workload, sizeof(workload), "nvme-%s", nvme_rw_names[pt->rw]);
	row.tool = "dmabench";
	row.workload = workload;
	row.path = nr->dev.dma.path;
	row.device = nr->o.passthru && nr->dev.ng[0] ? nr->dev.ng : nr->dev.arg;
	row.size = pt->bs;
	row.qd = pt->qd;
	row.batch = pt->batch;
	row.completion = nvme_completion_names[pt->completion];
	row.buffers = nvme_buffers_names[pt->buffers];
	row.variant = nr->o.passthru ? "passthru" : "";
	row.threads = 1;
	row.status = oc->status;
	snprintf(note, sizeof(note), "%s", oc->note);
	if (ok && nr->dev.nr_requests && pt->qd > nr->dev.nr_requests)
		snprintf(note, sizeof(note),
			 "qd %u is over the device's nr_requests %u: submissions waited for tags",
			 pt->qd, nr->dev.nr_requests);
	if (ok && nr->dev.dma.row_note[0])
		workload_note_add(note, sizeof(note), "%s",
				  nr->dev.dma.row_note);
	if (ok && nr->o.wl.perf_record)
		workload_note_add(note, sizeof(note), "%s", oc->perf_why[0] ?
				  oc->perf_why : PERFREC_NOTE);
	row.note = note;
	row.profile = oc->profile;
	if (ok || oc->res.ops) {
		fill_figures(nr, oc, &row);
		err = wl_out_hist(&nr->wl.out, "nvme", n, "-lat.csv", &nr->hist,
				  hist);
		row.histogram = hist;
		workload_row_enough(&row, note, sizeof(note));
	}
	if (!err)
		err = write_json(nr, pt, oc, &row, n);
	if (!err)
		err = wl_out_row(&nr->wl.out, &row);
	if (err)
		warnx("%s/workload: cannot write point %u: %s", nr->wl.out.dir, n,
		      strerror(-err));
	return err;
}
