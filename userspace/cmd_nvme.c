// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench nvme: drive an NVMe namespace with io_uring and measure what
 * each I/O costs, point by point.  This file holds the options, the
 * sweep over the points, and what each point leaves behind: its row of
 * workload.csv, its provenance (workload/nvme-N.json) and its latency
 * histogram (workload/nvme-N-lat.csv).
 *
 * Order of business: options; the device (what it is, its DMA path and,
 * for writes, every check that may refuse it) before anything is opened
 * for writing or any output made; the CPU; the output; the points.
 * Whatever happens, the huge page pool gets its old size back, and an
 * --out run is kept only if the sweep was not interrupted.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cmd.h"
#include "csv.h"
#include "hugebuf.h"
#include "json.h"
#include "names.h"
#include "nvme.h"
#include "parse.h"
#include "progress.h"
#include "sysprof.h"
#include "util.h"
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

static const char usage[] =
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
"\n"
"What to run:\n"
"  --rw LIST          randread,seqread,randwrite,seqwrite (default\n"
"                     randread); writes need --allow-write\n"
"  --bs LIST          bytes per I/O, 512 to 1M, whole logical blocks of the\n"
"                     device; K and M suffixes (default " DEFAULT_BS ")\n"
"  --qd LIST          I/Os in flight, 1 to 1024 (default " DEFAULT_QD ")\n"
"  --batch LIST       I/Os submitted per io_uring_enter, and completions\n"
"                     awaited before the next batch (default " DEFAULT_BATCH ");\n"
"                     a batch over the queue depth is cut to it\n"
"  --completion LIST  irq,poll (default both): poll makes the ring with\n"
"                     IORING_SETUP_IOPOLL, and needs the driver's poll\n"
"                     queues (nvme poll_queues=N)\n"
"  --buffers LIST     normal,fixed,huge,fixed-huge (default normal,fixed):\n"
"                     fixed are registered with the ring (READ_FIXED,\n"
"                     WRITE_FIXED), huge are hugetlbfs pages\n"
"  --passthru         NVMe read and write commands through the generic char\n"
"                     device (IORING_OP_URING_CMD), not block I/O\n"
"  --time SECONDS     measured per point (default 5)\n"
"  --ramp SECONDS     run before measuring, per point (default 1)\n"
"  --span BYTES       use the first BYTES of the device (default: all of\n"
"                     it); K, M, G, T suffixes; random offsets are whole\n"
"                     blocks of --bs within it, sequential ones wrap at it\n"
"  --quick            randread " DEFAULT_BS ", qd " DEFAULT_QD ", batch " QUICK_BATCH ", irq,poll,\n"
"                     normal,fixed, 2 s after 0.5 s: 8 points (options given\n"
"                     explicitly still win)\n"
"\n"
"Safety:\n"
"  --allow-write      allow randwrite and seqwrite, which destroy what the\n"
"                     span holds.  Even then a device is refused, before it\n"
"                     is opened for writing, if it is mounted, holds\n"
"                     partitions, carries a filesystem, RAID, crypto or\n"
"                     partition-table signature (libblkid), or is in use\n"
"                     (holders, or an exclusive open fails).  Reads are\n"
"                     always allowed: they change nothing.\n"
"\n"
"Where:\n"
"  --cpu N            CPU to pin the thread to (default: the current one)\n"
"  --path NAME        refuse to run unless the DMA path is NAME (direct,\n"
"                     swiotlb, iommu-strict, iommu-lazy, iommu-identity,\n"
"                     fabric-TRANSPORT, none); dmabench never changes it\n"
"  --hugepages N      make the huge page pool N pages for the run\n"
"                     (" HUGEBUF_POOL "), put back at exit\n"
"\n"
"What else to measure:\n"
"  --no-counters      do not count kernel cycles and instructions\n"
"  --no-sampling      do not sample kernel IPs for the DMA share\n"
"\n"
"Output (one of the two):\n"
"  --into DIR         add to a run or part directory (dmabench micro's)\n"
"  --out PARENT       make a new run directory under PARENT\n"
"  -h, --help         this text\n";

enum {
	OPT_RW = 256, OPT_BS, OPT_QD, OPT_BATCH, OPT_COMPLETION, OPT_BUFFERS,
	OPT_PASSTHRU, OPT_TIME, OPT_RAMP, OPT_SPAN, OPT_QUICK, OPT_ALLOW_WRITE,
	OPT_CPU, OPT_PATH, OPT_HUGEPAGES, OPT_NO_COUNTERS, OPT_NO_SAMPLING,
	OPT_INTO, OPT_OUT,
};

static const struct option options[] = {
	{ "rw",			required_argument, NULL, OPT_RW },
	{ "bs",			required_argument, NULL, OPT_BS },
	{ "qd",			required_argument, NULL, OPT_QD },
	{ "batch",		required_argument, NULL, OPT_BATCH },
	{ "completion",		required_argument, NULL, OPT_COMPLETION },
	{ "buffers",		required_argument, NULL, OPT_BUFFERS },
	{ "passthru",		no_argument,	   NULL, OPT_PASSTHRU },
	{ "time",		required_argument, NULL, OPT_TIME },
	{ "ramp",		required_argument, NULL, OPT_RAMP },
	{ "span",		required_argument, NULL, OPT_SPAN },
	{ "quick",		no_argument,	   NULL, OPT_QUICK },
	{ "allow-write",	no_argument,	   NULL, OPT_ALLOW_WRITE },
	{ "cpu",		required_argument, NULL, OPT_CPU },
	{ "path",		required_argument, NULL, OPT_PATH },
	{ "hugepages",		required_argument, NULL, OPT_HUGEPAGES },
	{ "no-counters",	no_argument,	   NULL, OPT_NO_COUNTERS },
	{ "no-sampling",	no_argument,	   NULL, OPT_NO_SAMPLING },
	{ "into",		required_argument, NULL, OPT_INTO },
	{ "out",		required_argument, NULL, OPT_OUT },
	{ "help",		no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Which options were given, so that --quick only fills in the rest. */
struct given {
	bool rw, bs, qd, batch, completion, buffers, time, ramp, quick;
};

/* "1,32,128": distinct numbers from 1 to max, in the order given. */
static int uint_list(const char *name, const char *arg, unsigned int max,
		     unsigned int *vals, size_t *n)
{
	char err[160], tok[32];
	size_t len;
	uint64_t v;

	*n = 0;
	do {
		len = strcspn(arg, ",");
		snprintf(tok, sizeof(tok), "%.*s", (int)len, arg);
		if (parse_uint(tok, max, &v, err, sizeof(err))) {
			warnx("--%s %s", name, err);
			return -1;
		}
		if (!v) {
			warnx("--%s 0: the least is 1", name);
			return -1;
		}
		for (size_t i = 0; i < *n; i++) {
			if (vals[i] == v) {
				warnx("--%s: %llu given twice", name,
				      (unsigned long long)v);
				return -1;
			}
		}
		if (*n == NVME_MAX_LIST) {
			warnx("--%s: at most %d values", name, NVME_MAX_LIST);
			return -1;
		}
		vals[(*n)++] = v;
		arg += len + 1;
	} while (arg[-1] == ',');
	return 0;
}

static int names_opt(const char *name, const char *arg,
		     const char *const *names, size_t count, unsigned int *mask)
{
	char err[200];

	if (!parse_name_list(arg, names, count, mask, err, sizeof(err)))
		return 0;
	warnx("--%s %s", name, err);
	return -1;
}

static int bs_opt(struct nvme_opts *o, const char *arg)
{
	char err[200];
	int ret;

	ret = parse_size_list(arg, o->bs, NVME_MAX_LIST, &o->nbs, err,
			      sizeof(err));
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
	static const char suffixes[] = "KMGT";
	char digits[32], err[160];
	size_t len = strlen(arg);
	unsigned int shift = 0;
	const char *s;
	uint64_t v;

	if (len && (s = strchr(suffixes, arg[len - 1] & ~0x20)) && *s) {
		shift = 10 * (unsigned int)(s - suffixes + 1);
		len--;
	}
	if (!len || len >= sizeof(digits)) {
		warnx("--span '%s': not a size (bytes, optionally with K, M, G or T)",
		      arg);
		return -1;
	}
	snprintf(digits, sizeof(digits), "%.*s", (int)len, arg);
	if (parse_uint(digits, UINT64_MAX >> shift, &v, err, sizeof(err))) {
		warnx("--span '%s': not a size (bytes, optionally with K, M, G or T)",
		      arg);
		return -1;
	}
	if (!v) {
		warnx("--span 0: use at least one block");
		return -1;
	}
	o->span = v << shift;
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

static int one_opt(struct nvme_opts *o, struct given *g, int c, char *arg)
{
	uint64_t v;
	char err[160];

	switch (c) {
	case OPT_RW:
		g->rw = true;
		return names_opt("rw", arg, nvme_rw_names, NVME_RW_COUNT, &o->rw);
	case OPT_BS:
		g->bs = true;
		return bs_opt(o, arg);
	case OPT_QD:
		g->qd = true;
		return uint_list("qd", arg, NVME_MAX_QD, o->qd, &o->nqd);
	case OPT_BATCH:
		g->batch = true;
		return uint_list("batch", arg, NVME_MAX_QD, o->batch, &o->nbatch);
	case OPT_COMPLETION:
		g->completion = true;
		return names_opt("completion", arg, nvme_completion_names,
				 NVME_COMPLETION_COUNT, &o->completion);
	case OPT_BUFFERS:
		g->buffers = true;
		return names_opt("buffers", arg, nvme_buffers_names,
				 NVME_BUF_COUNT, &o->buffers);
	case OPT_PASSTHRU:
		o->passthru = true;
		return 0;
	case OPT_TIME:
		g->time = true;
		return seconds_opt("time", arg, 0.1, 3600, &o->seconds);
	case OPT_RAMP:
		g->ramp = true;
		return seconds_opt("ramp", arg, 0, 600, &o->ramp);
	case OPT_SPAN:
		return span_opt(o, arg);
	case OPT_QUICK:
		g->quick = true;
		return 0;
	case OPT_ALLOW_WRITE:
		o->allow_write = true;
		return 0;
	case OPT_CPU:
		if (!parse_uint(arg, CPU_SETSIZE - 1, &v, err, sizeof(err))) {
			o->cpu = v;
			return 0;
		}
		warnx("--cpu %s", err);
		return -1;
	case OPT_PATH:
		return path_opt(o, arg);
	case OPT_HUGEPAGES:
		if (!parse_uint(arg, 1UL << 20, &v, err, sizeof(err))) {
			o->hugepages = v;
			return 0;
		}
		warnx("--hugepages %s", err);
		return -1;
	case OPT_NO_COUNTERS:
		o->counters = false;
		return 0;
	case OPT_NO_SAMPLING:
		o->sampling = false;
		return 0;
	case OPT_INTO:
		o->into = arg;
		return 0;
	case OPT_OUT:
		o->out = arg;
		return 0;
	}
	return -1;
}

static void defaults(struct nvme_opts *o, const struct given *g)
{
	if (!g->rw)
		o->rw = 1U << NVME_RANDREAD;
	if (!g->bs)
		bs_opt(o, DEFAULT_BS);
	if (!g->qd)
		uint_list("qd", DEFAULT_QD, NVME_MAX_QD, o->qd, &o->nqd);
	if (!g->batch)
		uint_list("batch", g->quick ? QUICK_BATCH : DEFAULT_BATCH,
			  NVME_MAX_QD, o->batch, &o->nbatch);
	if (!g->completion)
		o->completion = (1U << NVME_COMPLETION_COUNT) - 1;
	if (!g->buffers)
		o->buffers = (1U << NVME_BUF_NORMAL) | (1U << NVME_BUF_FIXED);
	if (!g->time)
		o->seconds = g->quick ? QUICK_TIME : DEFAULT_TIME;
	if (!g->ramp)
		o->ramp = g->quick ? QUICK_RAMP : DEFAULT_RAMP;
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
	if (!o->into == !o->out) {
		warnx(o->into ? "--into and --out exclude each other: give one" :
		      "where should the rows go? give --into DIR (a run or part directory) or --out PARENT (a new run)");
		return -1;
	}
	if (o->span && o->span < o->bs[o->nbs - 1]) {
		warnx("--span %llu: smaller than --bs %llu",
		      (unsigned long long)o->span,
		      (unsigned long long)o->bs[o->nbs - 1]);
		return -1;
	}
	return 0;
}

static void bad_option(char **argv, int c)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		warnx("%s needs a value (see dmabench nvme --help)", arg);
	else
		warnx("unknown option '%s' (see dmabench nvme --help)", arg);
}

int nvme_parse(int argc, char **argv, struct nvme_opts *o)
{
	struct given g = { 0 };
	int c;

	memset(o, 0, sizeof(*o));
	o->cpu = -1;
	o->hugepages = -1;
	o->counters = true;
	o->sampling = true;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return 1;
		}
		if (c == '?' || c == ':') {
			bad_option(argv, c);
			return -1;
		}
		if (one_opt(o, &g, c, optarg))
			return -1;
	}
	if (optind < argc)
		o->device = argv[optind++];
	if (optind < argc) {
		warnx("unexpected argument '%s': one device per run (see dmabench nvme --help)",
		      argv[optind]);
		return -1;
	}
	defaults(o, &g);
	return check_opts(o);
}

/* What running a point gave. */
struct outcome {
	const char *status;		/* NULL: interrupted */
	char note[512];
	struct nvme_io_result res;
	bool profiled;
	struct sysprof_result prof;
	unsigned int setup_flags, sq_entries, cq_entries;
	bool ring_fd_registered;
	uint64_t seed;
	size_t buf_bytes;		/* mapped for the buffers */
};

struct nvme_run {
	struct nvme_opts o;
	struct nvme_dev dev;
	struct wl_out out;
	int fd_blk;			/* O_DIRECT block device, or -1 */
	int fd_ng;			/* the generic char device, or -1 */
	int cpu;
	uint64_t span;			/* bytes of the device in use */
	struct nvme_point *points;
	unsigned int npoints;
	unsigned int next_file;		/* nvme-<n>.json */
	unsigned int failed;
	struct progress prog;
	struct lathist hist;
};

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

/* The points in the order they run; NULL pts: just count them. */
unsigned int nvme_plan(const struct nvme_opts *o, struct nvme_point *pts)
{
	unsigned int n = 0, batches[NVME_MAX_LIST], nb;
	struct nvme_point p = { 0 };

	for (int rw = 0; rw < NVME_RW_COUNT; rw++) {
		if (!(o->rw & (1U << rw)))
			continue;
		p.rw = rw;
		for (size_t s = 0; s < o->nbs; s++) {
			p.bs = o->bs[s];
			for (size_t q = 0; q < o->nqd; q++) {
				p.qd = o->qd[q];
				nb = batches_of(o, p.qd, batches);
				for (unsigned int b = 0; b < nb; b++) {
					p.batch = batches[b];
					n += plan_modes(o, pts ? pts + n : NULL,
							p);
				}
			}
		}
	}
	return n;
}

/* 512, 4k, 1m: as the progress lines write a size. */
static void fmt_bs(char *buf, size_t size, uint64_t bs)
{
	if (bs % (1U << 20) == 0)
		snprintf(buf, size, "%llum", (unsigned long long)(bs >> 20));
	else if (bs % 1024 == 0)
		snprintf(buf, size, "%lluk", (unsigned long long)(bs >> 10));
	else
		snprintf(buf, size, "%llu", (unsigned long long)bs);
}

static void point_label(const struct nvme_run *nr, const struct nvme_point *pt,
			char *buf, size_t size)
{
	char bs[24];

	fmt_bs(bs, sizeof(bs), pt->bs);
	snprintf(buf, size, "%s %s qd%u batch%u %s %s%s", nvme_rw_names[pt->rw],
		 bs, pt->qd, pt->batch, nvme_completion_names[pt->completion],
		 nvme_buffers_names[pt->buffers], nr->o.passthru ? " passthru" : "");
}

static bool is_write(enum nvme_rw rw)
{
	return NVME_WRITES & (1U << rw);
}

/* Can a point not run here?  Said before anything is set up. */
static bool unsupported_here(const struct nvme_run *nr,
			     const struct nvme_point *pt, char *why,
			     size_t whysz)
{
	const struct nvme_dev *d = &nr->dev;
	char bs[24];

	if (nr->o.passthru && nr->fd_ng < 0) {
		snprintf(why, whysz, "no passthrough: %s", d->ng_why);
		return true;
	}
	if (nr->o.passthru && !d->nsid) {
		snprintf(why, whysz,
			 "no passthrough: the namespace ID of %s is unknown (neither NVME_IOCTL_ID nor sysfs nsid answered)",
			 d->disk);
		return true;
	}
	if (nr->o.passthru && d->max_hw_kb && pt->bs > d->max_hw_kb * 1024ULL) {
		fmt_bs(bs, sizeof(bs), pt->bs);
		snprintf(why, whysz,
			 "a passthrough command is never split, and %s is over the controller's limit of %u KiB (queue/max_hw_sectors_kb)",
			 bs, d->max_hw_kb);
		return true;
	}
	if (pt->completion == NVME_POLL &&
	    nvme_dev_poll_check(d, why, whysz))
		return true;
	return false;
}

/* The result of a completion the loop did not expect, in words. */
static void bad_result(const struct nvme_run *nr, const struct nvme_job *j,
		       const struct nvme_io_result *r, struct outcome *oc)
{
	const char *what = j->passthru ? (j->poll ? "polled passthrough I/O" :
					  "passthrough I/O") : "polled I/O";

	if ((j->poll || j->passthru) &&
	    (r->bad_res == -EOPNOTSUPP || r->bad_res == -EINVAL)) {
		oc->status = "unsupported";
		snprintf(oc->note, sizeof(oc->note),
			 "the kernel refused %s on %.200s: %s", what,
			 j->passthru ? nr->dev.ng : nr->dev.arg,
			 strerror(-r->bad_res));
		return;
	}
	oc->status = "failed";
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
		  int ret, const struct nvme_io_result *r, struct outcome *oc)
{
	if (nvme_stop) {
		oc->status = NULL;
	} else if (ret) {
		oc->status = "failed";
		snprintf(oc->note, sizeof(oc->note), "io_uring_enter: %s",
			 strerror(-ret));
	} else if (r->bad_res) {
		bad_result(nr, j, r, oc);
	} else {
		oc->status = "ok";
	}
}

/* The timed part: ramp, then the measured phase inside the profile. */
static void measure(struct nvme_run *nr, struct nvme_io *io, struct outcome *oc)
{
	const struct sysprof_opts so = {
		.counters = nr->o.counters,
		.sampling = nr->o.sampling,
	};
	struct nvme_io_result ramp = { 0 };
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
	sp = sysprof_start(&so);
	/* Hook: --perf-record would start perf record on this CPU here. */
	ret = nvme_io_run(io, nr->o.seconds, &nr->hist, &oc->res);
	if (sp) {
		oc->profiled = !sysprof_stop(sp, &oc->prof);
		sysprof_free(sp);
	}
	judge(nr, &io->job, ret, &oc->res, oc);
}

static void run_point(struct nvme_run *nr, const struct nvme_point *pt,
		      unsigned int index, struct outcome *oc)
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
	if (unsupported_here(nr, pt, oc->note, sizeof(oc->note))) {
		oc->status = "unsupported";
		return;
	}
	ret = hugebuf_alloc(&buf, (size_t)pt->qd * pt->bs, huge, oc->note,
			    sizeof(oc->note));
	if (ret) {
		oc->status = huge ? "unsupported" : "failed";
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
		oc->status = ret == -EOPNOTSUPP ? "unsupported" : "failed";
	else
		measure(nr, &io, oc);
	nvme_io_teardown(&io);
	hugebuf_free(&buf);
}

static void json_num(struct json *j, const char *key, double v)
{
	char buf[48];

	if (isnan(v) || isinf(v) || csv_fmt_num(buf, sizeof(buf), v))
		json_null(j, key);
	else
		json_raw(j, key, json_span_of(buf, strlen(buf)));
}

static void json_prof(struct json *j, const struct outcome *oc)
{
	const struct sysprof_result *p = &oc->prof;

	if (!oc->profiled) {
		json_null(j, "sysprof");
		return;
	}
	json_obj_begin(j, "sysprof");
	json_num(j, "seconds", p->seconds);
	json_num(j, "busy_ns", p->busy_ns);
	json_num(j, "cpu_tick_ns", p->cpu_tick_ns);
	json_num(j, "kcycles", p->kcycles);
	json_num(j, "kinstr", p->kinstr);
	json_str(j, "counters_reason", p->counters_reason);
	json_num(j, "dma_share", p->dma_share);
	json_str(j, "share_source", p->share_source ? p->share_source : "");
	json_str(j, "share_reason", p->share_reason);
	json_u64(j, "samples", p->samples);
	json_u64(j, "idle_samples", p->idle_samples);
	json_u64(j, "dma_samples", p->dma_samples);
	json_u64(j, "unknown_samples", p->unknown_samples);
	json_u64(j, "lost", p->lost);
	json_arr_begin(j, "top_dma_symbols");
	for (unsigned int i = 0; i < p->ntop && i < ARRAY_SIZE(p->top); i++) {
		json_obj_begin(j, NULL);
		json_str(j, "symbol", p->top[i].name);
		json_u64(j, "samples", p->top[i].n);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void json_run(struct json *j, const struct nvme_run *nr,
		     const struct nvme_point *pt, const struct outcome *oc)
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
		      const struct outcome *oc, const struct workload_row *row,
		      const char *name)
{
	char rel[PATH_MAX];
	struct json j;
	FILE *f;
	int err;

	f = wl_out_file(&nr->out, name, rel, sizeof(rel));
	if (!f)
		return -errno;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "tool", "dmabench nvme");
	json_str(&j, "command", nr->out.command ? nr->out.command : "");
	json_str(&j, "workload", row->workload);
	json_u64(&j, "size", row->size);
	json_u64(&j, "qd", row->qd);
	json_u64(&j, "batch", row->batch);
	json_str(&j, "completion", row->completion);
	json_str(&j, "buffers", row->buffers);
	json_str(&j, "variant", row->variant);
	json_str(&j, "status", row->status);
	json_str(&j, "note", row->note);
	nvme_dev_json(&j, &nr->dev);
	json_run(&j, nr, pt, oc);
	json_u64(&j, "ops", row->ops);
	json_num(&j, "seconds", row->seconds);
	json_str(&j, "histogram", row->histogram);
	json_prof(&j, oc);
	json_obj_end(&j);
	err = ferror(f) ? -EIO : 0;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

static void fill_figures(struct nvme_run *nr, const struct outcome *oc,
			 struct workload_row *row)
{
	const struct sysprof_result *p = &oc->prof;
	const struct lathist *h = &nr->hist;
	double ops = oc->res.ops;

	row->seconds = oc->res.seconds;
	row->ops = oc->res.ops;
	if (!oc->res.ops || oc->res.seconds <= 0)
		return;
	row->rate = ops / oc->res.seconds;
	row->mib_s = ops * row->size / oc->res.seconds / (1 << 20);
	row->lat_min = h->min;
	row->lat_p50 = lathist_quantile(h, 500);
	row->lat_p90 = lathist_quantile(h, 900);
	row->lat_p99 = lathist_quantile(h, 990);
	row->lat_p999 = lathist_quantile(h, 999);
	row->lat_max = h->max;
	row->lat_mean = lathist_mean(h);
	if (!oc->profiled)
		return;
	row->cpu_ns_per_op = p->busy_ns / ops;
	row->kcycles_per_op = p->kcycles / ops;
	row->kinstr_per_op = p->kinstr / ops;
	row->dma_share = p->dma_share;
	row->share_source = p->share_source ? p->share_source : "unavailable";
	row->kernel_samples = p->samples - p->idle_samples;
}

/* The first nvme-<n>.json not taken yet: --into may hold earlier runs'. */
static unsigned int free_file_number(struct nvme_run *nr)
{
	char name[64], path[PATH_MAX], rel[PATH_MAX];

	for (;; nr->next_file++) {
		snprintf(name, sizeof(name), "nvme-%u.json", nr->next_file);
		if (wl_out_path(&nr->out, name, path, sizeof(path), rel,
				sizeof(rel)) || !path_exists(path))
			return nr->next_file++;
	}
}

static int write_hist(struct nvme_run *nr, const char *name, char *rel,
		      size_t relsize)
{
	FILE *f = wl_out_file(&nr->out, name, rel, relsize);
	int err;

	if (!f)
		return -errno;
	err = lathist_write_csv(&nr->hist, f);
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* The row, the histogram and the JSON of a point that ran or could not. */
static int record(struct nvme_run *nr, const struct nvme_point *pt,
		  struct outcome *oc)
{
	char workload[32], name[64], hist[PATH_MAX] = "", note[700];
	unsigned int n = free_file_number(nr);
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
	if (!strcmp(oc->status, "ok") && nr->dev.nr_requests &&
	    pt->qd > nr->dev.nr_requests)
		snprintf(note, sizeof(note),
			 "qd %u is over the device's nr_requests %u: submissions waited for tags",
			 pt->qd, nr->dev.nr_requests);
	row.note = note;
	if (!strcmp(oc->status, "ok") || oc->res.ops) {
		fill_figures(nr, oc, &row);
		snprintf(name, sizeof(name), "nvme-%u-lat.csv", n);
		err = write_hist(nr, name, hist, sizeof(hist));
		row.histogram = hist;
	}
	snprintf(name, sizeof(name), "nvme-%u.json", n);
	if (!err)
		err = write_json(nr, pt, oc, &row, name);
	if (!err)
		err = wl_out_row(&nr->out, &row);
	if (err)
		warnx("%s/workload: cannot write point %u: %s", nr->out.dir, n,
		      strerror(-err));
	return err;
}

/* The progress line's end: the time it took, or why it did not run. */
static void report(struct nvme_run *nr, const struct outcome *oc, double secs)
{
	char msg[600];

	if (!strcmp(oc->status, "ok")) {
		progress_end(&nr->prog, secs, NULL);
		return;
	}
	nr->failed += !strcmp(oc->status, "failed");
	snprintf(msg, sizeof(msg), "%s: %s", oc->status, oc->note);
	progress_end(&nr->prog, secs, msg);
}

static int sweep(struct nvme_run *nr)
{
	char label[128];
	struct outcome oc;
	double t0;
	int err;

	progress_init(&nr->prog, nr->npoints, nr->npoints);
	for (unsigned int i = 0; i < nr->npoints; i++) {
		point_label(nr, &nr->points[i], label, sizeof(label));
		progress_begin(&nr->prog, label);
		t0 = now_seconds();
		run_point(nr, &nr->points[i], i + 1, &oc);
		if (!oc.status || nvme_stop) {
			fputs("interrupted\n", stderr);
			return -EINTR;
		}
		report(nr, &oc, now_seconds() - t0);
		err = record(nr, &nr->points[i], &oc);
		if (err)
			return err;
	}
	return 0;
}

static void on_signal(int sig)
{
	static const char msg[] =
		"\ndmabench: stopping this point, then cleaning up (again to stop waiting for the device)\n";
	ssize_t n;

	(void)sig;
	if (!nvme_stop) {
		n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
		(void)n;
	}
	if (nvme_stop < 2)
		nvme_stop++;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: a wait sees EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		cpu = sched_getcpu();
	if (cpu < 0) {
		warn("sched_getcpu");
		return -1;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		warn("--cpu %d: cannot pin to it (offline, or not allowed: see taskset -p $$)",
		     cpu);
		return -1;
	}
	return cpu;
}

/* What the device says about the options: sizes, span, the path. */
static int check_device(struct nvme_run *nr)
{
	const struct nvme_dev *d = &nr->dev;
	const struct nvme_opts *o = &nr->o;

	if (!d->size) {
		warnx("%s: the device has no capacity (size 0)", d->arg);
		return -1;
	}
	for (size_t i = 0; i < o->nbs; i++) {
		if (o->bs[i] < d->lbs || o->bs[i] % d->lbs) {
			warnx("--bs %llu: %s has logical blocks of %u bytes; O_DIRECT I/O is whole blocks: give multiples of %u",
			      (unsigned long long)o->bs[i], d->arg, d->lbs,
			      d->lbs);
			return -1;
		}
	}
	if (o->span > d->size) {
		warnx("--span %llu: over the size of %s (%llu bytes)",
		      (unsigned long long)o->span, d->arg,
		      (unsigned long long)d->size);
		return -1;
	}
	nr->span = o->span ? o->span : d->size;
	if (nr->span < o->bs[o->nbs - 1]) {
		warnx("%s: %llu bytes, smaller than --bs %llu", d->arg,
		      (unsigned long long)nr->span,
		      (unsigned long long)o->bs[o->nbs - 1]);
		return -1;
	}
	if (o->path && strcmp(o->path, d->dma.path)) {
		if (d->dma.iommu_group >= 0)
			warnx("--path %s: the DMA path of %s is %s (IOMMU group %d, type %s); switch the group's type first (dmabench does not), or drop --path",
			      o->path, d->arg, d->dma.path, d->dma.iommu_group,
			      d->dma.group_type);
		else
			warnx("--path %s: the DMA path of %s is %s%s%s",
			      o->path, d->arg, d->dma.path,
			      d->dma.note[0] ? ": " : "", d->dma.note);
		return -1;
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
	char err[600];
	int ret;

	if (nvme_dev_probe(nr->o.device, nr->o.passthru, &nr->dev, err,
			   sizeof(err))) {
		warnx("%s", err);
		return -1;
	}
	if (check_device(nr))
		return -1;
	if (writes && nvme_dev_write_check(&nr->dev, err, sizeof(err))) {
		warnx("%s", err);
		return -1;
	}
	if (open_device(nr, writes))
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
	ret = nr->o.hugepages < 0 ? 0 :
	      hugebuf_pool_set(nr->o.hugepages, err, sizeof(err));
	if (ret)
		warnx("--hugepages %ld: %s", nr->o.hugepages, err);
	/* Fewer pages than asked: the points that need more say so. */
	return ret && ret != -ENOMEM ? -1 : 0;
}

int cmd_nvme(int argc, char **argv)
{
	struct nvme_run *nr;
	int ret, err;

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
		return ret > 0 ? 0 : 1;
	}
	catch_signals();
	ret = 1;
	if (!prepare(nr) && !nvme_stop &&
	    !wl_out_open(&nr->out, nr->o.into, nr->o.out, argc, argv)) {
		announce(nr);
		err = sweep(nr);
		if (wl_out_close(&nr->out, !err) || err)
			ret = nvme_stop ? 130 : 1;
		else
			ret = 0;
		if (nr->failed)
			warnx("%u point%s failed: see the notes of their rows",
			      nr->failed, nr->failed == 1 ? "" : "s");
		if (err == -EINTR && nr->o.into)
			warnx("interrupted: the rows of the points that finished stay in %s",
			      nr->o.into);
		else if (err == -EINTR)
			warnx("interrupted: nothing written");
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
