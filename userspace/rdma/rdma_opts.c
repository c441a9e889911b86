// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench rdma: its options, their defaults and checks, and the points
 * they name, in the order they run.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "rdma.h"
#include "workload.h"

#define DEFAULT_SIZES		"4K,64K,2M,64M,1G"
#define QUICK_SIZES		"4K,64K,2M"
#define DEFAULT_MSG_SIZES	"64,4K,64K"
#define QUICK_MSG_SIZES		"4K"
#define DEFAULT_QDS		"1,16"
#define QUICK_QDS		"16"
#define DEFAULT_SECONDS		2.0
#define QUICK_SECONDS		0.5
#define MAX_COUNT		1000000000ULL

const char *const rdma_test_names[RDMA_T_COUNT] = {
	[RDMA_T_REG] = "reg",
	[RDMA_T_ODP] = "odp",
	[RDMA_T_WRITE] = "write",
	[RDMA_T_SEND] = "send",
};

const char *const rdma_buffer_names[RDMA_B_COUNT] = {
	[RDMA_B_NORMAL] = "normal",
	[RDMA_B_HUGE] = "huge",
};

static const char *const odp_workloads[RDMA_ODP_COUNT] = {
	[RDMA_ODP_PREFETCH] = "rdma-odp-prefetch",
	[RDMA_ODP_PREFETCH_WRITE] = "rdma-odp-prefetch-write",
	[RDMA_ODP_FAULT] = "rdma-odp-fault",
};

static const char head[] =
"usage: dmabench rdma [options]\n"
"\n"
"Time what RDMA pays for DMA mapping: memory registration, on-demand\n"
"paging (prefetch, and the device's first-touch faults) and a loopback\n"
"data path between two queue pairs of one device.  Each point is a row of\n"
"workload.csv (tool dmabench, workload rdma-*) with the cost to the whole\n"
"system: busy CPU time, kernel cycles and instructions per operation, and\n"
"the share of kernel samples in DMA mapping code; with a provenance file,\n"
"workload/rdma-<n>.json, and its latency histogram, rdma-<n>-lat.csv (and\n"
"rdma-<n>-dereg-lat.csv).  A point that cannot run here is a row with\n"
"status unsupported and the reason, and the sweep goes on.  Registering\n"
"large buffers needs RLIMIT_MEMLOCK (raised when run as root).\n"
"\n"
"Soft RDMA (rxe, siw) copies with the CPU and maps nothing through the\n"
"DMA API: its rows have path soft-rdma and say that their DMA share is\n"
"not representative of an RDMA NIC.\n";

static const char tail[] =
"\n"
"Figures: rate is operations per second over the point (rdma-reg and\n"
"rdma-dereg: register-deregister pairs), mib_s the bytes they cover;\n"
"latencies in ns per operation; for write and send, from the round of\n"
"posts that sent a message (its registration included, with reg-per-io)\n"
"to the poll that reaped its completion, the clock being read once per\n"
"round and once per batch of completions; ns_per_page is the median\n"
"latency over the number of 4 KiB pages.  cpu_ns_per_op, kcycles_per_op\n"
"and kinstr_per_op are of the whole system, per operation (for rdma-reg:\n"
"per pair, on the rdma-reg row only).  Every message is signalled, no\n"
"data is inline, completions are busy-polled (completion 'poll').\n"
"A figure with too little under it is left empty, the note saying why:\n"
"p50 needs 20 operations, p90 100, p99 1000, p99.9 10000; cpu_ns_per_op\n"
"100 busy ticks of /proc/stat; dma_share 1000 non-idle kernel samples.\n";

enum {
	OPT_TEST, OPT_SIZE, OPT_MSG_SIZE, OPT_QD, OPT_BUFFERS, OPT_TIME,
	OPT_COUNT, OPT_DEV, OPT_ADDR, OPT_PORT, OPT_GID_INDEX,
};

/* Which options were given, so that --quick only fills in the rest. */
struct given {
	bool sizes, msg_sizes, qds, time;
};

struct parsing {
	struct rdma_opts *o;
	struct given g;
};

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

/* --qd: distinct values from 1 to RDMA_MAX_QD, sorted. */
static int qd_opt(struct rdma_opts *o, const char *arg)
{
	if (opt_uint_list("qd", arg, RDMA_MAX_QD, o->qds, RDMA_MAX_QDS,
			  &o->nqds))
		return -1;
	qsort(o->qds, o->nqds, sizeof(*o->qds), cmp_uint);
	return 0;
}

static int time_opt(struct rdma_opts *o, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v <= 0 ||
	    v > RDMA_MAX_TIME) {
		warnx("--time '%s': want seconds, above 0 and at most %d",
		      arg, RDMA_MAX_TIME);
		return -1;
	}
	o->seconds = v;
	return 0;
}

static int where_opt(struct rdma_opts *o, int c, const char *arg)
{
	struct in_addr a;
	uint64_t v;

	switch (c) {
	case OPT_DEV:
		if (*arg && strlen(arg) < 64) {
			o->dev = arg;
			return 0;
		}
		warnx("--dev '%s': not a device name (dmabench rdma --list shows them)",
		      arg);
		return -1;
	case OPT_ADDR:
		if (inet_pton(AF_INET, arg, &a) == 1) {
			o->addr = arg;
			return 0;
		}
		warnx("--addr '%s': not an IPv4 address", arg);
		return -1;
	case OPT_PORT:
		if (opt_uint("port", arg, 1, 255, &v))
			return -1;
		o->port = v;
		return 0;
	case OPT_GID_INDEX:
		if (opt_uint("gid-index", arg, 0, 255, &v))
			return -1;
		o->gid_index = v;
		return 0;
	}
	return -1;
}

static int one_opt(void *ctx, int c, char *arg)
{
	struct rdma_opts *o = ((struct parsing *)ctx)->o;
	struct given *g = &((struct parsing *)ctx)->g;

	switch (c) {
	case OPT_TEST:
		return opt_names("test", arg, rdma_test_names, RDMA_T_COUNT,
				 &o->tests);
	case OPT_SIZE:
		g->sizes = true;
		return opt_sizes("size", arg, RDMA_MAX_SIZE, o->sizes,
				 RDMA_MAX_SIZES, &o->nsizes);
	case OPT_MSG_SIZE:
		g->msg_sizes = true;
		return opt_sizes("msg-size", arg, RDMA_MAX_SIZE, o->msg_sizes,
				 RDMA_MAX_SIZES, &o->nmsg_sizes);
	case OPT_QD:
		g->qds = true;
		return qd_opt(o, arg);
	case OPT_BUFFERS:
		return opt_names("buffers", arg, rdma_buffer_names,
				 RDMA_B_COUNT, &o->buffers);
	case OPT_TIME:
		g->time = true;
		return time_opt(o, arg);
	case OPT_COUNT:
		return opt_uint("count", arg, 1, MAX_COUNT, &o->count);
	}
	return where_opt(o, c, arg);
}

static void defaults(struct rdma_opts *o, const struct given *g, bool quick)
{
	char err[160];

	if (!g->sizes)
		parse_size_list(quick ? QUICK_SIZES : DEFAULT_SIZES,
				RDMA_MAX_SIZE, o->sizes, RDMA_MAX_SIZES,
				&o->nsizes, err, sizeof(err));
	if (!g->msg_sizes)
		parse_size_list(quick ? QUICK_MSG_SIZES : DEFAULT_MSG_SIZES,
				RDMA_MAX_SIZE, o->msg_sizes, RDMA_MAX_SIZES,
				&o->nmsg_sizes, err, sizeof(err));
	if (!g->qds)
		qd_opt(o, quick ? QUICK_QDS : DEFAULT_QDS);
	if (!g->time)
		o->seconds = quick ? QUICK_SECONDS : DEFAULT_SECONDS;
	if (!o->tests)
		o->tests = (1U << RDMA_T_COUNT) - 1;
	if (!o->buffers)
		o->buffers = (1U << RDMA_B_COUNT) - 1;
}

/* An option of rdma's table that one_opt() stores. */
#define RDMA_OPT(n, a, k, h)	OPT_FN(n, a, one_opt, &p, k, h)

/* 0: run; 1: help shown; -1: bad options, said why. */
int rdma_parse(int argc, char **argv, struct rdma_opts *o)
{
	struct parsing p = { .o = o };
	bool quick = false;
	const struct opt opts[] = {
		OPT_HEAD("What to time:"),
		RDMA_OPT("test", "LIST", OPT_TEST,
			 "reg,odp,write,send (default: all)\n"
			 "reg    ibv_reg_mr, then ibv_dereg_mr, of one buffer,\n"
			 "       timed apart: rows rdma-reg and rdma-dereg\n"
			 "odp    an on-demand-paging MR over the buffer, its\n"
			 "       device mapping dropped before each operation\n"
			 "       (mprotect round trip; the pages stay resident):\n"
			 "       rdma-odp-prefetch, rdma-odp-prefetch-write:\n"
			 "       ibv_advise_mr(PREFETCH or PREFETCH_WRITE, FLUSH)\n"
			 "       of the whole region; rdma-odp-fault: RDMA\n"
			 "       WRITEs from a pinned MR fill the region and the\n"
			 "       device faults its pages in (the note gives the\n"
			 "       same into a pinned MR)\n"
			 "write  RDMA WRITE from one queue pair to the other\n"
			 "send   SEND to receives posted by the other"),
		RDMA_OPT("size", "LIST", OPT_SIZE,
			 "bytes per registration and ODP region, with K, M or G (default " DEFAULT_SIZES ")"),
		RDMA_OPT("msg-size", "LIST", OPT_MSG_SIZE,
			 "bytes per message of write and send (default " DEFAULT_MSG_SIZES ")"),
		RDMA_OPT("qd", "LIST", OPT_QD,
			 "messages in flight (default " DEFAULT_QDS ")"),
		RDMA_OPT("buffers", "LIST", OPT_BUFFERS,
			 "normal (4 KiB pages), huge (hugetlb pages: see /proc/sys/vm/nr_hugepages) (default normal,huge)"),
		OPT_FLAG("reg-per-io", &o->reg_per_io,
			 "run each write and send point a second time, registering each message's buffer before posting it and deregistering it after its completion (variant reg-per-io: the pattern of storage targets)"),
		WL_OPT_HUGEPAGES(&o->wl),
		RDMA_OPT("time", "S", OPT_TIME,
			 "seconds per point (default 2)"),
		RDMA_OPT("count", "N", OPT_COUNT,
			 "timed operations per point, instead of --time"),
		OPT_FLAG("quick", &quick,
			 "sizes " QUICK_SIZES ", msg-size " QUICK_MSG_SIZES ", qd " QUICK_QDS ", 0.5 s per point (options given explicitly still win)"),
		WL_OPT_MEASURE(&o->wl, "rdma"),
		OPT_HEAD("Where:"),
		RDMA_OPT("dev", "NAME", OPT_DEV,
			 "the RDMA device (default: the first, by name)"),
		RDMA_OPT("addr", "IP", OPT_ADDR,
			 "the device and port that own this IPv4 address, found through librdmacm"),
		RDMA_OPT("port", "N", OPT_PORT,
			 "the device's port (default 1)"),
		RDMA_OPT("gid-index", "N", OPT_GID_INDEX,
			 "the GID the queue pairs use on RoCE (default: the first RoCE v2 GID with an IPv4 address)"),
		OPT_FLAG("list", &o->list,
			 "list the RDMA devices, what they are and offer; exit"),
		OPT_HEAD("Output (one of the two, unless --list):"),
		WL_OPT_OUTPUT(&o->wl),
		OPT_END
	};
	int ret;

	memset(o, 0, sizeof(*o));
	o->port = 1;
	o->gid_index = -1;
	wl_opts_init(&o->wl);
	ret = opt_parse(stdout, argc, argv, "rdma", opts, head, tail);
	if (ret)
		return ret;
	if (optind < argc) {
		warnx("unexpected argument '%s' (see dmabench rdma --help)",
		      argv[optind]);
		return -1;
	}
	/* Rows go to one place; --list writes none. */
	if ((!o->list || o->wl.into) && wl_out_check(o->wl.into, o->wl.out))
		return -1;
	if (p.g.time && o->count) {
		warnx("--time and --count exclude each other: a point runs for a time or a count");
		return -1;
	}
	defaults(o, &p.g, quick);
	return 0;
}

static void add_point(struct rdma_point *pts, unsigned int *n,
		      const struct rdma_point *p)
{
	if (pts) {
		pts[*n] = *p;
		pts[*n].index = *n + 1;
	}
	(*n)++;
}

static bool wants(const struct rdma_opts *o, int test, int buffers)
{
	return (o->tests & 1U << test) && (o->buffers & 1U << buffers);
}

/* Registration, then the three ODP kinds: each buffers x size. */
static void plan_mem(const struct rdma_opts *o, struct rdma_point *pts,
		     unsigned int *n)
{
	struct rdma_point p;

	for (int k = -1; k < RDMA_ODP_COUNT; k++) {
		for (int b = 0; b < RDMA_B_COUNT; b++) {
			if (!wants(o, k < 0 ? RDMA_T_REG : RDMA_T_ODP, b))
				continue;
			for (size_t s = 0; s < o->nsizes; s++) {
				memset(&p, 0, sizeof(p));
				p.workload = k < 0 ? "rdma-reg" : odp_workloads[k];
				p.test = k < 0 ? RDMA_T_REG : RDMA_T_ODP;
				p.odp = k < 0 ? 0 : k;
				p.size = o->sizes[s];
				p.qd = k == RDMA_ODP_FAULT ? RDMA_FAULT_QD : 1;
				p.huge = b == RDMA_B_HUGE;
				add_point(pts, n, &p);
			}
		}
	}
}

/* write, then send: each buffers x message size x qd x variant. */
static void plan_msgs(const struct rdma_opts *o, struct rdma_point *pts,
		      unsigned int *n)
{
	size_t variants = o->reg_per_io ? 2 : 1;
	size_t each = o->nmsg_sizes * o->nqds * variants;
	struct rdma_point p;

	for (int t = RDMA_T_WRITE; t <= RDMA_T_SEND; t++) {
		for (int b = 0; b < RDMA_B_COUNT; b++) {
			if (!wants(o, t, b))
				continue;
			/* i runs over size, then qd, then variant. */
			for (size_t i = 0; i < each; i++) {
				memset(&p, 0, sizeof(p));
				p.workload = t == RDMA_T_WRITE ? "rdma-write" :
					     "rdma-send";
				p.test = t;
				p.size = o->msg_sizes[i / variants / o->nqds];
				p.qd = o->qds[i / variants % o->nqds];
				p.reg_per_io = i % variants == 1;
				p.huge = b == RDMA_B_HUGE;
				add_point(pts, n, &p);
			}
		}
	}
}

/* The points in order (into pts if not NULL); how many. */
unsigned int rdma_plan(const struct rdma_opts *o, struct rdma_point *pts)
{
	unsigned int n = 0;

	plan_mem(o, pts, &n);
	plan_msgs(o, pts, &n);
	return n;
}
