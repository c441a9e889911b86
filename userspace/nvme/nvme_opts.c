// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench nvme: its options (dmabench fio reads the same), their
 * defaults and checks, and the points they name, in the order they run.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hugebuf.h"
#include "names.h"
#include "nvme.h"
#include "parse.h"
#include "workload.h"

const char *const nvme_rw_names[NVME_RW_COUNT] = {
	[NVME_RANDREAD]		= "randread",
	[NVME_SEQREAD]		= "seqread",
	[NVME_RANDWRITE]	= "randwrite",
	[NVME_SEQWRITE]		= "seqwrite",
};

const char *const nvme_completion_names[NVME_COMPLETION_COUNT] = {
	[NVME_IRQ]	= "irq",
	[NVME_POLL]	= "poll",
};

const char *const nvme_buffers_names[NVME_BUF_COUNT] = {
	[NVME_BUF_NORMAL]	= "normal",
	[NVME_BUF_FIXED]	= "fixed",
	[NVME_BUF_HUGE]		= "huge",
	[NVME_BUF_FIXED_HUGE]	= "fixed-huge",
};

#define DEFAULT_BS	"4K"
#define DEFAULT_QD	"1,32"
#define DEFAULT_BATCH	"1,8"
#define QUICK_BATCH	"8"
#define DEFAULT_TIME	5.0
#define DEFAULT_RAMP	1.0
#define QUICK_TIME	2.0
#define QUICK_RAMP	0.5

static const char head[] =
"usage: dmabench nvme [options] DEVICE\n"
"\n"
"Drive an NVMe namespace with io_uring from one thread pinned to one CPU,\n"
"and measure what each I/O costs: IOPS, latency from submission to reaping\n"
"(per I/O, in a histogram), busy CPU time of all CPUs, kernel cycles and\n"
"instructions, and the share of kernel samples in DMA mapping code.  A\n"
"point is one --rw x --bs x --qd x --batch x --completion x --buffers; it\n"
"runs --ramp seconds unmeasured, then --time seconds measured, on a new\n"
"ring.  Always O_DIRECT, with the file registered to the ring.\n"
"\n"
"DEVICE is a block device (/dev/nvme0n1; other block devices are taken\n"
"too, for testing), or with --passthru its NVMe generic char device\n"
"(/dev/ng0n1).  The DMA path of its buffers is read from sysfs: the IOMMU\n"
"group of the controller's PCI function and its type (DMA: iommu-strict,\n"
"DMA-FQ: iommu-lazy, identity: iommu-identity), else swiotlb=force on the\n"
"command line (swiotlb), else direct; NVMe over fabrics is fabric-TRANSPORT.\n"
"\n"
"Each point adds a row to workload.csv, and writes workload/nvme-N.json\n"
"(the device, controller, queues, DMA path evidence, profile) and, when it\n"
"ran, workload/nvme-N-lat.csv (lo_ns,hi_ns,count: lo <= latency < hi).  A\n"
"point that cannot run here is a row with status unsupported and a note\n"
"saying how to make it run.  The run directory is the last line printed.\n"
"A figure with too little under it is left empty, the note saying why:\n"
"p50 needs 20 I/Os, p90 100, p99 1000, p99.9 10000; cpu_ns_per_op 100\n"
"busy ticks of /proc/stat; dma_share 1000 non-idle kernel samples.\n";

enum {
	OPT_RW, OPT_BS, OPT_QD, OPT_BATCH, OPT_COMPLETION, OPT_BUFFERS,
	OPT_TIME, OPT_RAMP, OPT_SPAN, OPT_CPU, OPT_PATH,
};

/* Which options were given, so that --quick only fills in the rest. */
struct given {
	bool rw, bs, qd, batch, completion, buffers, time, ramp;
};

struct parsing {
	struct nvme_opts *o;
	struct given g;
};

static int bs_opt(struct nvme_opts *o, const char *arg)
{
	char err[200];
	int ret;

	ret = parse_size_list(arg, NVME_MAX_BS, o->bs, NVME_MAX_LIST, &o->nbs,
			      err, sizeof(err));
	if (ret == -ERANGE) {
		warnx("--bs %s: a block size is 512 to 1M", arg);
		return -1;
	}
	if (ret) {
		warnx("--bs %s", err);
		return -1;
	}
	if (o->bs[0] < NVME_MIN_BS || o->bs[o->nbs - 1] > NVME_MAX_BS) {
		warnx("--bs %s: a block size is 512 to 1M", arg);
		return -1;
	}
	return 0;
}

/* Seconds, with a fraction if wanted: 5, 0.5. */
static int seconds_opt(const char *name, const char *arg, double min,
		       double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (!*arg || *end || errno || !isfinite(v) || arg[0] == '-' ||
	    arg[0] == '+' || strchr(arg, 'x') || strchr(arg, 'X')) {
		warnx("--%s '%s': not a number of seconds", name, arg);
		return -1;
	}
	if (v < min || v > max) {
		warnx("--%s %s: from %g to %g seconds", name, arg, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Bytes with an optional K, M, G or T (binary) suffix. */
static int span_opt(struct nvme_opts *o, const char *arg)
{
	char err[160];
	int ret;

	ret = parse_size(arg, UINT64_MAX, &o->span, err, sizeof(err));
	if (ret == -EDOM) {
		warnx("--span 0: use at least one block");
		return -1;
	}
	if (ret) {
		warnx("--span '%s': not a size (bytes, optionally with K, M, G or T)",
		      arg);
		return -1;
	}
	return 0;
}

static int path_opt(struct nvme_opts *o, const char *arg)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		if (!strcmp(arg, path_names[p])) {
			o->path = arg;
			return 0;
		}
	}
	if (!strcmp(arg, "none") || (!strncmp(arg, "fabric-", 7) && arg[7])) {
		o->path = arg;
		return 0;
	}
	warnx("--path '%s': unknown; choose from direct,swiotlb,iommu-strict,iommu-lazy,iommu-identity,fabric-TRANSPORT,none",
	      arg);
	return -1;
}

static int one_opt(void *ctx, int c, char *arg)
{
	struct nvme_opts *o = ((struct parsing *)ctx)->o;
	struct given *g = &((struct parsing *)ctx)->g;
	uint64_t v;

	switch (c) {
	case OPT_RW:
		g->rw = true;
		return opt_names("rw", arg, nvme_rw_names, NVME_RW_COUNT, &o->rw);
	case OPT_BS:
		g->bs = true;
		return bs_opt(o, arg);
	case OPT_QD:
		g->qd = true;
		return opt_uint_list("qd", arg, NVME_MAX_QD, o->qd, NVME_MAX_LIST,
				     &o->nqd);
	case OPT_BATCH:
		g->batch = true;
		return opt_uint_list("batch", arg, NVME_MAX_QD, o->batch,
				     NVME_MAX_LIST, &o->nbatch);
	case OPT_COMPLETION:
		g->completion = true;
		return opt_names("completion", arg, nvme_completion_names,
				 NVME_COMPLETION_COUNT, &o->completion);
	case OPT_BUFFERS:
		g->buffers = true;
		return opt_names("buffers", arg, nvme_buffers_names,
				 NVME_BUF_COUNT, &o->buffers);
	case OPT_TIME:
		g->time = true;
		return seconds_opt("time", arg, 0.1, 3600, &o->seconds);
	case OPT_RAMP:
		g->ramp = true;
		return seconds_opt("ramp", arg, 0, 600, &o->ramp);
	case OPT_SPAN:
		return span_opt(o, arg);
	case OPT_CPU:
		if (opt_uint("cpu", arg, 0, CPU_SETSIZE - 1, &v))
			return -1;
		o->cpu = v;
		return 0;
	case OPT_PATH:
		return path_opt(o, arg);
	}
	return -1;
}

static void defaults(struct nvme_opts *o, const struct given *g, bool quick)
{
	if (!g->rw)
		o->rw = 1U << NVME_RANDREAD;
	if (!g->bs)
		bs_opt(o, DEFAULT_BS);
	if (!g->qd)
		opt_uint_list("qd", DEFAULT_QD, NVME_MAX_QD, o->qd,
			      NVME_MAX_LIST, &o->nqd);
	if (!g->batch)
		opt_uint_list("batch", quick ? QUICK_BATCH : DEFAULT_BATCH,
			      NVME_MAX_QD, o->batch, NVME_MAX_LIST, &o->nbatch);
	if (!g->completion)
		o->completion = (1U << NVME_COMPLETION_COUNT) - 1;
	if (!g->buffers)
		o->buffers = (1U << NVME_BUF_NORMAL) | (1U << NVME_BUF_FIXED);
	if (!g->time)
		o->seconds = quick ? QUICK_TIME : DEFAULT_TIME;
	if (!g->ramp)
		o->ramp = quick ? QUICK_RAMP : DEFAULT_RAMP;
}

/* What only the options together can say is wrong. */
static int check_opts(const struct nvme_opts *o)
{
	if (!o->device) {
		warnx("which device? dmabench nvme [options] DEVICE (see --help)");
		return -1;
	}
	if ((o->rw & NVME_WRITES) && !o->allow_write) {
		warnx("--rw %s: writing destroys what the device holds; add --allow-write if that is what you want",
		      o->rw & (1U << NVME_RANDWRITE) ? "randwrite" : "seqwrite");
		return -1;
	}
	if (wl_out_check(o->wl.into, o->wl.out))
		return -1;
	if (o->span && o->span < o->bs[o->nbs - 1]) {
		warnx("--span %llu: smaller than --bs %llu",
		      (unsigned long long)o->span,
		      (unsigned long long)o->bs[o->nbs - 1]);
		return -1;
	}
	return 0;
}

/* An option of nvme's table that one_opt() stores. */
#define NVME_OPT(n, a, k, h)	OPT_FN(n, a, one_opt, &p, k, h)

int nvme_parse(int argc, char **argv, struct nvme_opts *o)
{
	struct parsing p = { .o = o };
	bool quick = false;
	const struct opt opts[] = {
		OPT_HEAD("What to run:"),
		NVME_OPT("rw", "LIST", OPT_RW,
			 "randread,seqread,randwrite,seqwrite (default randread); writes need --allow-write"),
		NVME_OPT("bs", "LIST", OPT_BS,
			 "bytes per I/O, 512 to 1M, whole logical blocks of the device; K and M suffixes (default " DEFAULT_BS ")"),
		NVME_OPT("qd", "LIST", OPT_QD,
			 "I/Os in flight, 1 to 1024 (default " DEFAULT_QD ")"),
		NVME_OPT("batch", "LIST", OPT_BATCH,
			 "I/Os submitted per io_uring_enter, and completions awaited before the next batch (default " DEFAULT_BATCH "); a batch over the queue depth is cut to it"),
		NVME_OPT("completion", "LIST", OPT_COMPLETION,
			 "irq,poll (default both): poll makes the ring with IORING_SETUP_IOPOLL, and needs the driver's poll queues (nvme poll_queues=N)"),
		NVME_OPT("buffers", "LIST", OPT_BUFFERS,
			 "normal,fixed,huge,fixed-huge (default normal,fixed): fixed are registered with the ring (READ_FIXED, WRITE_FIXED), huge are hugetlbfs pages"),
		OPT_FLAG("passthru", &o->passthru,
			 "NVMe read and write commands through the generic char device (IORING_OP_URING_CMD), not block I/O"),
		NVME_OPT("time", "SECONDS", OPT_TIME,
			 "measured per point (default 5)"),
		NVME_OPT("ramp", "SECONDS", OPT_RAMP,
			 "run before measuring, per point (default 1)"),
		NVME_OPT("span", "BYTES", OPT_SPAN,
			 "use the first BYTES of the device (default: all of it); K, M, G, T suffixes; random offsets are whole blocks of --bs within it, sequential ones wrap at it"),
		OPT_FLAG("quick", &quick,
			 "randread " DEFAULT_BS ", qd " DEFAULT_QD ", batch " QUICK_BATCH ", irq,poll, normal,fixed, 2 s after 0.5 s: 8 points (options given explicitly still win)"),
		OPT_HEAD("Safety:"),
		OPT_FLAG("allow-write", &o->allow_write,
			 "allow randwrite and seqwrite, which destroy what the span holds.  Even then a device is refused, before it is opened for writing, if it is mounted, holds partitions, carries a filesystem, RAID, crypto or partition-table signature (libblkid), or is in use (holders, or an exclusive open fails).  Reads are always allowed: they change nothing."),
		OPT_HEAD("Where:"),
		NVME_OPT("cpu", "N", OPT_CPU,
			 "CPU to pin the thread to (default: the current one)"),
		NVME_OPT("path", "NAME", OPT_PATH,
			 "refuse to run unless the DMA path is NAME (direct, swiotlb, iommu-strict, iommu-lazy, iommu-identity, fabric-TRANSPORT, none); dmabench never changes it"),
		WL_OPT_HUGEPAGES(&o->wl),
		OPT_HEAD("What else to measure:"),
		WL_OPT_MEASURE(&o->wl, "nvme"),
		OPT_HEAD("Output (one of the two):"),
		WL_OPT_OUTPUT(&o->wl),
		OPT_END
	};
	int ret;

	memset(o, 0, sizeof(*o));
	o->cpu = -1;
	wl_opts_init(&o->wl);
	ret = opt_parse(stdout, argc, argv, "nvme", opts, head, "");
	if (ret)
		return ret;
	if (optind < argc)
		o->device = argv[optind++];
	if (optind < argc) {
		warnx("unexpected argument '%s' after the device '%s': one device per run (see dmabench nvme --help)",
		      argv[optind], o->device);
		return -1;
	}
	defaults(o, &p.g, quick);
	return check_opts(o);
}

/* The batches of a queue depth: each cut to it, the repeats dropped. */
static unsigned int batches_of(const struct nvme_opts *o, unsigned int qd,
			       unsigned int *out)
{
	unsigned int n = 0, b;
	bool seen;

	for (size_t i = 0; i < o->nbatch; i++) {
		b = o->batch[i] < qd ? o->batch[i] : qd;
		seen = false;
		for (unsigned int k = 0; k < n; k++)
			seen |= out[k] == b;
		if (!seen)
			out[n++] = b;
	}
	return n;
}

/* The completion x buffers points of one proto; NULL pts: count them. */
static unsigned int plan_modes(const struct nvme_opts *o,
			       struct nvme_point *pts, struct nvme_point proto)
{
	unsigned int n = 0;

	for (int c = 0; c < NVME_COMPLETION_COUNT; c++) {
		for (int f = 0; f < NVME_BUF_COUNT; f++) {
			if (!(o->completion & (1U << c)) ||
			    !(o->buffers & (1U << f)))
				continue;
			proto.completion = c;
			proto.buffers = f;
			if (pts)
				pts[n] = proto;
			n++;
		}
	}
	return n;
}

/* The points of one workload: bs x qd x batch x completion x buffers. */
unsigned int nvme_plan_rw(const struct nvme_opts *o, enum nvme_rw rw,
			  struct nvme_point *pts)
{
	unsigned int n = 0, batches[NVME_MAX_LIST], nb;
	struct nvme_point p = { .rw = rw };

	for (size_t s = 0; s < o->nbs; s++) {
		p.bs = o->bs[s];
		for (size_t q = 0; q < o->nqd; q++) {
			p.qd = o->qd[q];
			nb = batches_of(o, p.qd, batches);
			for (unsigned int b = 0; b < nb; b++) {
				p.batch = batches[b];
				n += plan_modes(o, pts ? pts + n : NULL, p);
			}
		}
	}
	return n;
}

/* The points in the order they run; NULL pts: just count them. */
unsigned int nvme_plan(const struct nvme_opts *o, struct nvme_point *pts)
{
	unsigned int n = 0;

	for (int rw = 0; rw < NVME_RW_COUNT; rw++)
		if (o->rw & (1U << rw))
			n += nvme_plan_rw(o, rw, pts ? pts + n : NULL);
	return n;
}
