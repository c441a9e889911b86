// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench rdma: what RDMA pays for DMA mapping, where perftest does not
 * look: memory registration, on-demand paging, and a loopback data path
 * with registration per message as an option.
 *
 * This file holds the command's steps in the workload frame (frame.h):
 * the device, the points, how one runs.  What every timed
 * phase shares (when it ends, the profile around it) is in rdma_run.c,
 * the options in rdma_opts.c, the rows and files of a point in
 * rdma_out.c, the measurements in rdma_reg.c and rdma_loop.c, the device
 * in rdma_dev.c.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "frame.h"
#include "rdma.h"
#include "util.h"
#include "workload.h"

static void point_label(const struct rdma_point *p, char *buf,
			size_t size)
{
	char sz[24];

	rdma_fmt_size(sz, sizeof(sz), p->size);
	snprintf(buf, size, "%s %s %s%s", p->workload,
		 p->huge ? "huge" : "normal", sz, p->size < 1024 ? " B" : "");
	if (p->test == RDMA_T_WRITE || p->test == RDMA_T_SEND) {
		size_t len = strlen(buf);

		snprintf(buf + len, size - len, " qd %u%s", p->qd,
			 p->reg_per_io ? " reg-per-io" : "");
	}
}

static void label(struct wl_run *w, unsigned int i, char *buf, size_t size)
{
	struct rdma_ctx *c = container_of(w, struct rdma_ctx, wl);

	point_label(&c->pts[i], buf, size);
}

static void run_point(struct wl_run *w, unsigned int i, unsigned int n,
		      struct wl_result *r)
{
	struct rdma_ctx *c = container_of(w, struct rdma_ctx, wl);
	const struct rdma_point *p = &c->pts[i];
	struct rdma_result *res = &c->res;

	c->run.n = n;
	memset(res, 0, sizeof(*res));
	res->status = STATUS_FAILED;
	res->baseline_ns = NAN;
	lathist_reset(&c->run.lat);
	lathist_reset(&c->run.lat2);
	switch (p->test) {
	case RDMA_T_REG:
		rdma_reg_run(&c->run, p, res);
		break;
	case RDMA_T_ODP:
		if (p->odp == RDMA_ODP_FAULT)
			rdma_fault_run(&c->run, p, res);
		else
			rdma_odp_run(&c->run, p, res);
		break;
	case RDMA_T_WRITE:
	case RDMA_T_SEND:
		rdma_msg_run(&c->run, p, res);
		break;
	case RDMA_T_COUNT:
		break;
	}
	rdma_prof_stop(&c->run, res);	/* if a path out forgot */
	r->status = rdma_stop ? STATUS_NONE : res->status;
	r->note = res->note;
}

static int write_point(struct wl_run *w, unsigned int i, unsigned int n)
{
	struct rdma_ctx *c = container_of(w, struct rdma_ctx, wl);

	return rdma_write_point(c, &c->pts[i], &c->res, n);
}

static void announce(struct wl_run *w)
{
	const struct rdma_ctx *c = container_of(w, struct rdma_ctx, wl);
	const struct rdma_dev *d = &c->dev;
	char took[32];

	fprintf(stderr, "dmabench: %s: %s (%s)\n", d->name, d->path, d->why);
	if (d->soft)
		fprintf(stderr, "dmabench: warning: %s\n", RDMA_SOFT_NOTE);
	fmt_duration(took, sizeof(took), w->npoints * (c->o.count ? 1.0 :
			c->o.seconds * 1.25));
	fprintf(stderr, "dmabench: %u points, RLIMIT_MEMLOCK %s%s%s\n",
		w->npoints, d->memlock, c->o.count ? "" : ", at most about ",
		c->o.count ? "" : took);
}

/* The device, opened; the points.  Nothing is written yet. */
static int prepare(struct wl_run *w)
{
	struct rdma_ctx *c = container_of(w, struct rdma_ctx, wl);

	if (rdma_dev_open(&c->dev, &c->o))
		return -1;
	rdma_raise_memlock(c->dev.memlock, sizeof(c->dev.memlock));
	c->run.dev = &c->dev;
	c->run.o = &c->o;
	c->run.out = &w->out;
	w->npoints = rdma_plan(&c->o, NULL);
	c->pts = calloc(w->npoints, sizeof(*c->pts));
	if (!c->pts) {
		warnx("no memory for %u points", w->npoints);
		return -1;
	}
	rdma_plan(&c->o, c->pts);
	return 0;
}

/* The options; --list lists the devices and is done. */
static enum wl_parsed parse(struct wl_run *w, int argc, char **argv)
{
	struct rdma_ctx *c = container_of(w, struct rdma_ctx, wl);
	int ret;

	w->opts = &c->o.wl;
	ret = rdma_parse(argc, argv, &c->o);
	if (ret)
		return ret > 0 ? WL_DONE : WL_USAGE;
	if (c->o.list)
		return rdma_dev_list(stdout) ? WL_FAILED : WL_DONE;
	return WL_MEASURE;
}

static void cleanup(struct wl_run *w)
{
	struct rdma_ctx *c = container_of(w, struct rdma_ctx, wl);

	rdma_dev_close(&c->dev);
	free(c->pts);
}

static const struct wl_command rdma_command = {
	.tool = "rdma",
	.size = sizeof(struct rdma_ctx),
	.offset = offsetof(struct rdma_ctx, wl),
	.stop = &rdma_stop,
	.stop_max = 1,
	.stopping = "\ndmabench: stopping this point, then cleaning up\n",
	.parse = parse,
	.prepare = prepare,
	.announce = announce,
	.label = label,
	.run = run_point,
	.write = write_point,
	.cleanup = cleanup,
};

int cmd_rdma(int argc, char **argv)
{
	return wl_main(&rdma_command, argc, argv);
}
