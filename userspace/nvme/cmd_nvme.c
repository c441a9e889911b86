// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench nvme: drive an NVMe namespace with io_uring and measure what
 * each I/O costs, point by point.  This file holds the sweep over the
 * points (nvme_opts.c names them, nvme_out.c records each; the checks a
 * device and a point must pass first, which dmabench fio shares, are in
 * nvme_prep.c).
 *
 * Order of business: options; the device (what it is, its DMA path and,
 * for writes, every check that may refuse it) before anything is opened
 * for writing or any output made; the CPU; the output; the points.
 * Whatever happens, the huge page pool gets its old size back, and an
 * --out run is kept only if the sweep was not interrupted.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cpus.h"
#include "hugebuf.h"
#include "nvme.h"
#include "perfrec.h"
#include "progress.h"
#include "sysprof.h"
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
		perf = perfrec_point_start(&nr->out, "nvme", n, oc->perf_why,
					   sizeof(oc->perf_why));
	sp = sysprof_start(&nr->o.wl.sysprof);
	ret = nvme_io_run(io, nr->o.seconds, &nr->hist, &oc->res);
	if (sp) {
		oc->profiled = !sysprof_stop(sp, &oc->prof);
		sysprof_free(sp);
	}
	if (perf)
		perfrec_point_stop(perf, &nr->out, "nvme", n, oc->profile,
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

/* The progress line's end: the time it took, or why it did not run. */
static void report(struct nvme_run *nr, const struct nvme_outcome *oc,
		   double secs)
{
	char msg[600];

	if (oc->status == STATUS_OK) {
		progress_end(&nr->prog, secs, NULL);
		return;
	}
	nr->failed += oc->status == STATUS_FAILED;
	snprintf(msg, sizeof(msg), "%s: %s", status_names[oc->status],
		 oc->note);
	progress_end(&nr->prog, secs, msg);
}

static int sweep(struct nvme_run *nr)
{
	struct nvme_outcome oc;
	char label[128];
	unsigned int n;
	double t0;
	int err;

	progress_init(&nr->prog, nr->npoints, nr->npoints);
	for (unsigned int i = 0; i < nr->npoints; i++) {
		point_label(nr, &nr->points[i], label, sizeof(label));
		progress_begin(&nr->prog, label);
		t0 = now_seconds();
		/* --into may hold earlier runs' nvme-<n>.json. */
		n = wl_out_next_point(&nr->out, "nvme", &nr->next_file);
		run_point(nr, &nr->points[i], i + 1, n, &oc);
		if (oc.status == STATUS_NONE || nvme_stop) {
			if (nr->o.wl.perf_record)
				perfrec_point_drop(&nr->out, "nvme", n);
			fputs("interrupted\n", stderr);
			return -EINTR;
		}
		report(nr, &oc, now_seconds() - t0);
		err = nvme_record(nr, &nr->points[i], &oc, n);
		if (err)
			return err;
	}
	return 0;
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

static void announce(const struct nvme_run *nr)
{
	const struct nvme_dev *d = &nr->dev;
	char took[32];

	fmt_duration(took, sizeof(took),
		     nr->npoints * (nr->o.seconds + nr->o.ramp));
	fprintf(stderr, "dmabench: %s%s%s%s: DMA path %s%s%s\n", d->arg,
		d->ctrl[0] ? " (" : "", d->ctrl, d->ctrl[0] ? ")" : "",
		d->dma.path, d->dma.pci[0] ? ", PCI " : "", d->dma.pci);
	fprintf(stderr, "dmabench: %u point%s, %g s + %g s ramp each: about %s, on CPU %d\n",
		nr->npoints, nr->npoints == 1 ? "" : "s", nr->o.seconds,
		nr->o.ramp, took, nr->cpu);
	for (size_t i = 0; i < nr->o.nqd; i++) {
		if (d->nr_requests && nr->o.qd[i] > d->nr_requests) {
			warnx("warning: qd %u is over %s's nr_requests (%u): submissions will wait for tags",
			      nr->o.qd[i], d->disk, d->nr_requests);
			break;
		}
	}
}

/* Everything before the output exists: no file is made if this fails. */
static int prepare(struct nvme_run *nr)
{
	bool writes = nr->o.rw & NVME_WRITES;

	if (nr->o.wl.perf_record && perfrec_check())
		return -1;
	if (nvme_prepare_device(&nr->o, writes, &nr->dev, &nr->span) ||
	    open_device(nr, writes))
		return -1;
	nr->cpu = pin_cpu(nr->o.cpu);
	if (nr->cpu < 0)
		return -1;
	nr->npoints = nvme_plan(&nr->o, NULL);
	nr->points = calloc(nr->npoints, sizeof(*nr->points));
	if (!nr->points) {
		warnx("out of memory");
		return -1;
	}
	nvme_plan(&nr->o, nr->points);
	return hugebuf_pool_opt(nr->o.wl.hugepages);
}

int cmd_nvme(int argc, char **argv)
{
	struct nvme_run *nr;
	int ret;

	nr = calloc(1, sizeof(*nr));
	if (!nr) {
		warnx("out of memory");
		return 1;
	}
	nr->fd_blk = nr->fd_ng = -1;
	nr->next_file = 1;
	ret = nvme_parse(argc, argv, &nr->o);
	if (ret) {
		free(nr);
		return ret > 0 ? 0 : EXIT_USAGE;
	}
	catch_stop(&nvme_stop, 2,
		   "\ndmabench: stopping this point, then cleaning up (again to stop waiting for the device)\n");
	ret = 1;
	if (!prepare(nr) && !nvme_stop &&
	    !wl_out_open(&nr->out, nr->o.wl.into, nr->o.wl.out, argc, argv)) {
		announce(nr);
		ret = sweep(nr);
		ret = wl_out_finish(&nr->out, ret, nvme_stop, nr->failed,
				    nr->o.wl.into);
	}
	hugebuf_pool_restore();
	if (nr->fd_blk >= 0)
		close(nr->fd_blk);
	if (nr->fd_ng >= 0)
		close(nr->fd_ng);
	free(nr->points);
	free(nr);
	return ret;
}
