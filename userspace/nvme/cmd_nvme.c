// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench nvme: drive an NVMe namespace with io_uring and measure what
 * each I/O costs, point by point.  This file holds the command's steps
 * in the workload frame (frame.h): how a point runs and is judged
 * (nvme_opts.c names the points, nvme_out.c records each; the checks a
 * device and a point must pass first, which dmabench fio shares, are in
 * nvme_prep.c).
 *
 * Order of business: options; the device (what it is, its DMA path and,
 * for writes, every check that may refuse it) before anything is opened
 * for writing or any output made; the CPU; then the frame makes the
 * output and runs the points.  Whatever happens, the huge page pool gets
 * its old size back, and an --out run is kept only if the sweep was not
 * interrupted (both the frame's).
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cpus.h"
#include "frame.h"
#include "nvme.h"
#include "perfrec.h"
#include "util.h"
#include "workload.h"

static void point_label(const struct nvme_run *nr, const struct nvme_point *pt,
			char *buf, size_t size)
{
	char bs[24];

	nvme_fmt_bs(bs, sizeof(bs), pt->bs);
	snprintf(buf, size, "%s %s qd%u batch%u %s %s%s", nvme_rw_names[pt->rw],
		 bs, pt->qd, pt->batch, nvme_completion_names[pt->completion],
		 nvme_buffers_names[pt->buffers], nr->o.passthru ? " passthru" : "");
}

static bool is_write(enum nvme_rw rw)
{
	return NVME_WRITES & (1U << rw);
}

/* The result of a completion the loop did not expect, in words. */
static void bad_result(const struct nvme_run *nr, const struct nvme_job *j,
		       const struct nvme_io_result *r, struct nvme_outcome *oc)
{
	const char *what = j->passthru ? (j->poll ? "polled passthrough I/O" :
					  "passthrough I/O") : "polled I/O";

	if ((j->poll || j->passthru) &&
	    (r->bad_res == -EOPNOTSUPP || r->bad_res == -EINVAL)) {
		oc->status = STATUS_UNSUPPORTED;
		snprintf(oc->note, sizeof(oc->note),
			 "the kernel refused %s on %.200s: %s", what,
			 j->passthru ? nr->dev.ng : nr->dev.arg,
			 strerror(-r->bad_res));
		return;
	}
	oc->status = STATUS_FAILED;
	if (r->bad_res < 0)
		snprintf(oc->note, sizeof(oc->note), "I/O error at byte %llu: %s",
			 (unsigned long long)r->bad_off, strerror(-r->bad_res));
	else if (j->passthru)
		snprintf(oc->note, sizeof(oc->note),
			 "NVMe status 0x%x at byte %llu", r->bad_res,
			 (unsigned long long)r->bad_off);
	else
		snprintf(oc->note, sizeof(oc->note),
			 "short I/O: %d bytes of %llu at byte %llu", r->bad_res,
			 (unsigned long long)j->bs,
			 (unsigned long long)r->bad_off);
}

/* What a point's phases came to: interrupted, failed, unsupported, ok. */
static void judge(const struct nvme_run *nr, const struct nvme_job *j,
		  int ret, const struct nvme_io_result *r,
		  struct nvme_outcome *oc)
{
	if (nvme_stop) {
		oc->status = STATUS_NONE;
	} else if (ret) {
		oc->status = STATUS_FAILED;
		snprintf(oc->note, sizeof(oc->note), "io_uring_enter: %s",
			 strerror(-ret));
	} else if (r->bad_res) {
		bad_result(nr, j, r, oc);
	} else {
		oc->status = STATUS_OK;
	}
}

/*
 * The timed part: ramp, then the measured phase inside the profile, and
 * inside perf record with --perf-record.
 */
static void measure(struct nvme_run *nr, struct nvme_io *io, unsigned int n,
		    struct nvme_outcome *oc)
{
	struct nvme_io_result ramp = { 0 };
	struct perfrec *perf = NULL;
	struct sysprof *sp;
	int ret = 0;

	lathist_reset(&nr->hist);
	if (nr->o.ramp > 0)
		ret = nvme_io_run(io, nr->o.ramp, &nr->hist, &ramp);
	if (ret || nvme_stop || ramp.bad_res) {
		judge(nr, &io->job, ret, &ramp, oc);
		return;
	}
	lathist_reset(&nr->hist);
	if (nr->o.wl.perf_record)
		perf = perfrec_point_start(&nr->wl.out, "nvme", n, oc->perf_why,
					   sizeof(oc->perf_why));
	sp = sysprof_start(&nr->o.wl.sysprof);
	ret = nvme_io_run(io, nr->o.seconds, &nr->hist, &oc->res);
	if (sp) {
		oc->profiled = !sysprof_stop(sp, &oc->prof);
		sysprof_free(sp);
	}
	if (perf)
		perfrec_point_stop(perf, &nr->wl.out, "nvme", n, oc->profile,
				   oc->perf_why, sizeof(oc->perf_why));
	judge(nr, &io->job, ret, &oc->res, oc);
}

/* Point index (from 1) of the sweep, its files numbered n. */
static void run_point(struct nvme_run *nr, const struct nvme_point *pt,
		      unsigned int index, unsigned int n,
		      struct nvme_outcome *oc)
{
	bool huge = pt->buffers == NVME_BUF_HUGE ||
		    pt->buffers == NVME_BUF_FIXED_HUGE;
	struct nvme_job job = {
		.fd = nr->o.passthru ? nr->fd_ng : nr->fd_blk,
		.passthru = nr->o.passthru,
		.poll = pt->completion == NVME_POLL,
		.fixed = pt->buffers == NVME_BUF_FIXED ||
			 pt->buffers == NVME_BUF_FIXED_HUGE,
		.write = is_write(pt->rw),
		.random = pt->rw == NVME_RANDREAD || pt->rw == NVME_RANDWRITE,
		.qd = pt->qd,
		.batch = pt->batch,
		.bs = pt->bs,
		.span = nr->span / pt->bs * pt->bs,
		.nsid = nr->dev.nsid,
		.lba_shift = __builtin_ctz(nr->dev.lbs),
		.seed = index,
	};
	struct hugebuf buf;
	struct nvme_io io;
	int ret;

	memset(oc, 0, sizeof(*oc));
	oc->seed = job.seed;
	if (nvme_point_unsupported(&nr->dev, nr->o.passthru, pt, oc->note,
				   sizeof(oc->note))) {
		oc->status = STATUS_UNSUPPORTED;
		return;
	}
	ret = hugebuf_alloc(&buf, (size_t)pt->qd * pt->bs, huge, oc->note,
			    sizeof(oc->note));
	if (ret) {
		oc->status = huge ? STATUS_UNSUPPORTED : STATUS_FAILED;
		return;
	}
	oc->buf_bytes = buf.maplen;
	job.buf = buf.p;
	ret = nvme_io_setup(&io, &job, oc->note, sizeof(oc->note));
	oc->setup_flags = io.setup_flags;
	oc->sq_entries = io.sq_entries;
	oc->cq_entries = io.cq_entries;
	oc->ring_fd_registered = io.ring_fd_registered;
	if (ret)
		oc->status = ret == -EOPNOTSUPP ? STATUS_UNSUPPORTED :
							 STATUS_FAILED;
	else
		measure(nr, &io, n, oc);
	nvme_io_teardown(&io);
	hugebuf_free(&buf);
}

/* Point i (from 0) in the frame (frame.h): its outcome kept for write. */
static void run(struct wl_run *w, unsigned int i, unsigned int n,
		struct wl_result *r)
{
	struct nvme_run *nr = container_of(w, struct nvme_run, wl);

	run_point(nr, &nr->points[i], i + 1, n, &nr->oc);
	r->status = nr->oc.status;
	r->note = nr->oc.note;
}

static void label(struct wl_run *w, unsigned int i, char *buf, size_t size)
{
	struct nvme_run *nr = container_of(w, struct nvme_run, wl);

	point_label(nr, &nr->points[i], buf, size);
}

static int write_point(struct wl_run *w, unsigned int i, unsigned int n)
{
	struct nvme_run *nr = container_of(w, struct nvme_run, wl);

	return nvme_record(nr, &nr->points[i], &nr->oc, n);
}

/* Open what the points use; writes were checked before. */
static int open_device(struct nvme_run *nr, bool writes)
{
	const struct nvme_dev *d = &nr->dev;
	int flags = O_CLOEXEC | (writes ? O_RDWR : O_RDONLY);

	/* Held O_EXCL for writes, so nothing can mount it meanwhile. */
	if (!nr->o.passthru || writes) {
		nr->fd_blk = open(d->blkdev, flags | O_DIRECT |
				  (writes ? O_EXCL : 0));
		if (nr->fd_blk < 0) {
			warn("%s: cannot open it%s", d->blkdev,
			     writes ? " for writing" : "");
			return -1;
		}
	}
	if (nr->o.passthru && d->ng[0]) {
		nr->fd_ng = open(d->ng, flags);
		if (nr->fd_ng < 0)
			fmt_buf(nr->dev.ng_why, sizeof(nr->dev.ng_why),
				"cannot open %s: %s", d->ng, strerror(errno));
	}
	return 0;
}

static void announce(struct wl_run *w)
{
	const struct nvme_run *nr = container_of(w, struct nvme_run, wl);
	const struct nvme_dev *d = &nr->dev;
	char took[32];

	fmt_duration(took, sizeof(took),
		     w->npoints * (nr->o.seconds + nr->o.ramp));
	fprintf(stderr, "dmabench: %s%s%s%s: DMA path %s%s%s\n", d->arg,
		d->ctrl[0] ? " (" : "", d->ctrl, d->ctrl[0] ? ")" : "",
		d->dma.path, d->dma.pci[0] ? ", PCI " : "", d->dma.pci);
	fprintf(stderr, "dmabench: %u point%s, %g s + %g s ramp each: about %s, on CPU %d\n",
		w->npoints, w->npoints == 1 ? "" : "s", nr->o.seconds,
		nr->o.ramp, took, nr->cpu);
	for (size_t i = 0; i < nr->o.nqd; i++) {
		if (d->nr_requests && nr->o.qd[i] > d->nr_requests) {
			warnx("warning: qd %u is over %s's nr_requests (%u): submissions will wait for tags",
			      nr->o.qd[i], d->disk, d->nr_requests);
			break;
		}
	}
}

/* The device, opened; the CPU; the points.  Nothing is written yet. */
static int prepare(struct wl_run *w)
{
	struct nvme_run *nr = container_of(w, struct nvme_run, wl);
	bool writes = nr->o.rw & NVME_WRITES;

	if (nvme_prepare_device(&nr->o, writes, &nr->dev, &nr->span) ||
	    open_device(nr, writes))
		return -1;
	nr->cpu = pin_cpu(nr->o.cpu);
	if (nr->cpu < 0)
		return -1;
	w->npoints = nvme_plan(&nr->o, NULL);
	nr->points = calloc(w->npoints, sizeof(*nr->points));
	if (!nr->points) {
		warnx("out of memory");
		return -1;
	}
	nvme_plan(&nr->o, nr->points);
	return 0;
}

static enum wl_parsed parse(struct wl_run *w, int argc, char **argv)
{
	struct nvme_run *nr = container_of(w, struct nvme_run, wl);
	int ret;

	nr->fd_blk = nr->fd_ng = -1;
	w->opts = &nr->o.wl;
	ret = nvme_parse(argc, argv, &nr->o);
	return ret > 0 ? WL_DONE : ret < 0 ? WL_USAGE : WL_MEASURE;
}

static void cleanup(struct wl_run *w)
{
	struct nvme_run *nr = container_of(w, struct nvme_run, wl);

	if (nr->fd_blk >= 0)
		close(nr->fd_blk);
	if (nr->fd_ng >= 0)
		close(nr->fd_ng);
	free(nr->points);
}

static const struct wl_command nvme_command = {
	.tool = "nvme",
	.size = sizeof(struct nvme_run),
	.offset = offsetof(struct nvme_run, wl),
	.stop = &nvme_stop,
	.stop_max = 2,
	.stopping = "\ndmabench: stopping this point, then cleaning up (again to stop waiting for the device)\n",
	.parse = parse,
	.prepare = prepare,
	.announce = announce,
	.label = label,
	.run = run,
	.write = write_point,
	.cleanup = cleanup,
};

int cmd_nvme(int argc, char **argv)
{
	return wl_main(&nvme_command, argc, argv);
}
