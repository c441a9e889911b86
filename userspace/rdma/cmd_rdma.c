// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench rdma: what RDMA pays for DMA mapping, where perftest does not
 * look: memory registration, on-demand paging, and a loopback data path
 * with registration per message as an option.
 *
 * This file holds the sweep of points and the command.  What every timed
 * phase shares (when it ends, the profile around it) is in rdma_run.c,
 * the options in rdma_opts.c, the rows and files of a point in
 * rdma_out.c, the measurements in rdma_reg.c and rdma_loop.c, the device
 * in rdma_dev.c.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "hugebuf.h"
#include "perfrec.h"
#include "progress.h"
#include "rdma.h"
#include "util.h"
#include "workload.h"

static void label(const struct rdma_point *p, char *buf, size_t size)
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

static void run_point(struct rdma_ctx *c, const struct rdma_point *p,
		      struct rdma_result *res)
{
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
}

/* 0: every point has its row; -EINTR: stopped; else an output error. */
static int sweep(struct rdma_ctx *c)
{
	struct rdma_result *res;
	char what[96], msg[600];
	double t0;
	int err = 0;

	res = malloc(sizeof(*res));
	if (!res)
		return -ENOMEM;
	progress_init(&c->prog, c->npts, c->npts);
	for (unsigned int i = 0; i < c->npts && !err; i++) {
		const struct rdma_point *p = &c->pts[i];

		label(p, what, sizeof(what));
		progress_begin(&c->prog, what);
		t0 = now_seconds();
		/* --into may hold earlier runs' rdma-<n>.json. */
		c->run.n = wl_out_next_point(&c->w, "rdma", &c->next_file);
		run_point(c, p, res);
		if (rdma_stop) {
			if (c->o.wl.perf_record)
				perfrec_point_drop(&c->w, "rdma", c->run.n);
			progress_end(&c->prog, 0, "interrupted");
			err = -EINTR;
			break;
		}
		err = rdma_write_point(c, p, res, c->run.n);
		if (res->status == STATUS_OK) {
			c->nok++;
			progress_end(&c->prog, now_seconds() - t0, NULL);
			continue;
		}
		if (res->status == STATUS_UNSUPPORTED)
			c->nunsupported++;
		else
			c->nfailed++;
		snprintf(msg, sizeof(msg), "%s: %s",
			 res->status == STATUS_UNSUPPORTED ? "unsupported" :
			 "FAILED", res->note);
		progress_end(&c->prog, 0, msg);
	}
	free(res);
	return err;
}

static void announce(const struct rdma_ctx *c)
{
	const struct rdma_dev *d = &c->dev;
	char took[32];

	fprintf(stderr, "dmabench: %s: %s (%s)\n", d->name, d->path, d->why);
	if (d->soft)
		fprintf(stderr, "dmabench: warning: %s\n", RDMA_SOFT_NOTE);
	fmt_duration(took, sizeof(took), c->npts * (c->o.count ? 1.0 :
			c->o.seconds * 1.25));
	fprintf(stderr, "dmabench: %u points, RLIMIT_MEMLOCK %s%s%s\n",
		c->npts, d->memlock, c->o.count ? "" : ", at most about ",
		c->o.count ? "" : took);
}

static int measure(struct rdma_ctx *c, int argc, char **argv)
{
	int err;

	c->run.dev = &c->dev;
	c->run.o = &c->o;
	c->run.out = &c->w;
	c->npts = rdma_plan(&c->o, NULL);
	c->pts = calloc(c->npts, sizeof(*c->pts));
	if (!c->pts) {
		warnx("no memory for %u points", c->npts);
		return -ENOMEM;
	}
	rdma_plan(&c->o, c->pts);
	c->next_file = 1;
	if (hugebuf_pool_opt(c->o.wl.hugepages))
		return -EINVAL;
	err = wl_out_open(&c->w, c->o.wl.into, c->o.wl.out, argc, argv);
	if (err)
		return err;	/* it said why */
	announce(c);
	err = sweep(c);
	if (wl_out_close(&c->w, !err) && !err)
		err = -EIO;
	if (!err && (c->nunsupported || c->nfailed))
		fprintf(stderr, "dmabench: %u points measured, %u unsupported, %u failed (see the note column)\n",
			c->nok, c->nunsupported, c->nfailed);
	return err;
}

int cmd_rdma(int argc, char **argv)
{
	struct rdma_ctx *c;
	int ret;

	c = calloc(1, sizeof(*c));
	if (!c) {
		warnx("out of memory");
		return 1;
	}
	ret = rdma_parse(argc, argv, &c->o);
	if (ret) {
		free(c);
		return ret > 0 ? 0 : EXIT_USAGE;
	}
	if (c->o.list) {
		ret = rdma_dev_list(stdout) ? 1 : 0;
		free(c);
		return ret;
	}
	rdma_stop = 0;
	catch_stop(&rdma_stop, 1,
		   "\ndmabench: stopping this point, then cleaning up\n");
	ret = 1;
	if ((!c->o.wl.perf_record || !perfrec_check()) &&
	    !rdma_dev_open(&c->dev, &c->o)) {
		rdma_raise_memlock(c->dev.memlock, sizeof(c->dev.memlock));
		ret = measure(c, argc, argv);
		if (ret == -EINTR || rdma_stop) {
			warnx("interrupted: %s", c->o.wl.into ?
			      "the rows written so far stay" : "nothing written");
			ret = 130;
		} else {
			ret = ret ? 1 : 0;
		}
	}
	rdma_dev_close(&c->dev);
	hugebuf_pool_restore();
	free(c->pts);
	free(c);
	return ret;
}
