// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench rdma: what RDMA pays for DMA mapping, where perftest does not
 * look: memory registration, on-demand paging, and a loopback data path
 * with registration per message as an option.
 *
 * This file holds the options, the sweep of points, the latencies of a
 * point, the profile around its timed phase, and its rows of
 * workload.csv with their provenance files.  The measurements are in
 * rdma_reg.c and rdma_loop.c, the device in rdma_dev.c.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "json.h"
#include "parse.h"
#include "progress.h"
#include "rdma.h"
#include "util.h"
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
#define MIB			1048576.0
#define SOFT_NOTE \
	"soft RDMA maps with virtual addresses, not the DMA API: DMA share not representative of an RDMA NIC"

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

volatile sig_atomic_t rdma_stop;

static const char usage[] =
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
"not representative of an RDMA NIC.\n"
"\n"
"What to time:\n"
"  --test LIST       reg,odp,write,send (default: all)\n"
"                    reg    ibv_reg_mr, then ibv_dereg_mr, of one buffer,\n"
"                           timed apart: rows rdma-reg and rdma-dereg\n"
"                    odp    an on-demand-paging MR over the buffer, its\n"
"                           device mapping dropped before each operation\n"
"                           (mprotect round trip; the pages stay resident):\n"
"                           rdma-odp-prefetch, rdma-odp-prefetch-write:\n"
"                           ibv_advise_mr(PREFETCH or PREFETCH_WRITE, FLUSH)\n"
"                           of the whole region; rdma-odp-fault: RDMA\n"
"                           WRITEs from a pinned MR fill the region and the\n"
"                           device faults its pages in (the note gives the\n"
"                           same into a pinned MR)\n"
"                    write  RDMA WRITE from one queue pair to the other\n"
"                    send   SEND to receives posted by the other\n"
"  --size LIST       bytes per registration and ODP region, with K, M or\n"
"                    G (default " DEFAULT_SIZES ")\n"
"  --msg-size LIST   bytes per message of write and send\n"
"                    (default " DEFAULT_MSG_SIZES ")\n"
"  --qd LIST         messages in flight (default " DEFAULT_QDS ")\n"
"  --buffers LIST    normal (4 KiB pages), huge (hugetlb pages: see\n"
"                    /proc/sys/vm/nr_hugepages) (default normal,huge)\n"
"  --reg-per-io      run each write and send point a second time,\n"
"                    registering each message's buffer before posting it\n"
"                    and deregistering it after its completion (variant\n"
"                    reg-per-io: the pattern of storage targets)\n"
"  --hugepages N     make the huge page pool N pages for the run\n"
"                    (" HUGEBUF_POOL "), put back at exit\n"
"  --time S          seconds per point (default 2)\n"
"  --count N         timed operations per point, instead of --time\n"
"  --quick           sizes " QUICK_SIZES ", msg-size " QUICK_MSG_SIZES ", qd " QUICK_QDS
", 0.5 s per\n"
"                    point (options given explicitly still win)\n"
"  --no-counters     do not count kernel cycles and instructions\n"
"  --no-sampling     do not sample for the DMA share\n"
"\n"
"Where:\n"
"  --dev NAME        the RDMA device (default: the first, by name)\n"
"  --addr IP         the device and port that own this IPv4 address,\n"
"                    found through librdmacm\n"
"  --port N          the device's port (default 1)\n"
"  --gid-index N     the GID the queue pairs use on RoCE (default: the\n"
"                    first RoCE v2 GID with an IPv4 address)\n"
"  --list            list the RDMA devices, what they are and offer; exit\n"
"\n"
"Output:\n"
"  --out DIR         parent of a new run directory (default: results)\n"
"  --into DIR        add the rows to this run or part directory instead\n"
"  -h, --help        this text\n"
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
"data is inline, completions are busy-polled (completion 'poll').\n";

enum {
	OPT_TEST = 256, OPT_SIZE, OPT_MSG_SIZE, OPT_QD, OPT_BUFFERS,
	OPT_REG_PER_IO, OPT_TIME, OPT_COUNT, OPT_QUICK, OPT_NO_COUNTERS,
	OPT_NO_SAMPLING, OPT_DEV, OPT_ADDR, OPT_PORT, OPT_GID_INDEX, OPT_LIST,
	OPT_OUT, OPT_INTO, OPT_HUGEPAGES,
};

static const struct option options[] = {
	{ "test",		required_argument, NULL, OPT_TEST },
	{ "size",		required_argument, NULL, OPT_SIZE },
	{ "msg-size",		required_argument, NULL, OPT_MSG_SIZE },
	{ "qd",			required_argument, NULL, OPT_QD },
	{ "buffers",		required_argument, NULL, OPT_BUFFERS },
	{ "reg-per-io",		no_argument,	   NULL, OPT_REG_PER_IO },
	{ "time",		required_argument, NULL, OPT_TIME },
	{ "count",		required_argument, NULL, OPT_COUNT },
	{ "quick",		no_argument,	   NULL, OPT_QUICK },
	{ "no-counters",	no_argument,	   NULL, OPT_NO_COUNTERS },
	{ "no-sampling",	no_argument,	   NULL, OPT_NO_SAMPLING },
	{ "dev",		required_argument, NULL, OPT_DEV },
	{ "addr",		required_argument, NULL, OPT_ADDR },
	{ "port",		required_argument, NULL, OPT_PORT },
	{ "gid-index",		required_argument, NULL, OPT_GID_INDEX },
	{ "list",		no_argument,	   NULL, OPT_LIST },
	{ "out",		required_argument, NULL, OPT_OUT },
	{ "into",		required_argument, NULL, OPT_INTO },
	{ "hugepages",		required_argument, NULL, OPT_HUGEPAGES },
	{ "help",		no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Which options were given, so that --quick only fills in the rest. */
struct given {
	bool sizes, msg_sizes, qds, time, quick, out;
};

/* Bytes, with an optional K, M or G suffix (powers of 1024). */
int rdma_parse_size(const char *s, uint64_t *out, char *err, size_t errsz)
{
	static const char bad[] =
		"'%s': not a size (bytes, optionally with K, M or G: 64, 4K, 1G)";
	char digits[32];
	size_t len = strlen(s);
	unsigned int shift = 0;
	uint64_t v;
	int ret;

	if (len > 0 && strchr("KkMmGg", s[len - 1])) {
		shift = strchr("Kk", s[len - 1]) ? 10 :
			strchr("Mm", s[len - 1]) ? 20 : 30;
		len--;
	}
	if (len == 0 || len >= sizeof(digits)) {
		snprintf(err, errsz, bad, s);
		return -EINVAL;
	}
	memcpy(digits, s, len);
	digits[len] = '\0';
	ret = parse_uint(digits, RDMA_MAX_SIZE, &v, err, errsz);
	if (ret == -EINVAL) {
		snprintf(err, errsz, bad, s);
		return ret;
	}
	if (ret || v > RDMA_MAX_SIZE >> shift) {
		snprintf(err, errsz, "'%s': over the limit of %lluG", s,
			 RDMA_MAX_SIZE >> 30);
		return -ERANGE;
	}
	if (v == 0) {
		snprintf(err, errsz, "'%s': a size must be at least 1 byte", s);
		return -EINVAL;
	}
	*out = v << shift;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* A comma list of sizes: duplicates dropped, sorted ascending. */
int rdma_parse_sizes(const char *s, uint64_t *sizes, size_t max, size_t *n,
		     char *err, size_t errsz)
{
	char item[40];
	size_t len, count = 0;
	const char *p = s;
	uint64_t v;
	bool dup;
	int ret;

	for (;;) {
		len = strcspn(p, ",");
		if (len == 0) {
			snprintf(err, errsz, "'%s': empty item in the list", s);
			return -EINVAL;
		}
		if (len >= sizeof(item)) {
			snprintf(err, errsz, "'%.*s': not a size", (int)len, p);
			return -EINVAL;
		}
		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		ret = rdma_parse_size(item, &v, err, errsz);
		if (ret)
			return ret;
		dup = false;
		for (size_t i = 0; i < count; i++)
			dup |= sizes[i] == v;
		if (!dup && count == max) {
			snprintf(err, errsz, "more than %zu sizes", max);
			return -E2BIG;
		}
		if (!dup)
			sizes[count++] = v;
		if (!p[len])
			break;
		p += len + 1;
	}
	qsort(sizes, count, sizeof(*sizes), cmp_u64);
	*n = count;
	return 0;
}

static int uint_opt(const char *name, const char *arg, uint64_t min,
		    uint64_t max, uint64_t *out)
{
	char err[160];

	if (parse_uint(arg, max, out, err, sizeof(err))) {
		warnx("--%s %s", name, err);
		return -1;
	}
	if (*out < min) {
		warnx("--%s %s: the least is %llu", name, arg,
		      (unsigned long long)min);
		return -1;
	}
	return 0;
}

static int sizes_opt(const char *name, const char *arg, uint64_t *sizes,
		     size_t *n)
{
	char err[200];

	if (!rdma_parse_sizes(arg, sizes, RDMA_MAX_SIZES, n, err, sizeof(err)))
		return 0;
	warnx("--%s %s", name, err);
	return -1;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

/* --qd: distinct values from 1 to RDMA_MAX_QD, sorted. */
static int qd_opt(struct rdma_opts *o, const char *arg)
{
	char tok[32];
	size_t len;
	uint64_t v;

	o->nqds = 0;
	for (;;) {
		len = strcspn(arg, ",");
		snprintf(tok, sizeof(tok), "%.*s", (int)len, arg);
		if (uint_opt("qd", tok, 1, RDMA_MAX_QD, &v))
			return -1;
		for (size_t i = 0; i < o->nqds; i++) {
			if (o->qds[i] == v) {
				warnx("--qd: %llu given twice",
				      (unsigned long long)v);
				return -1;
			}
		}
		if (o->nqds == RDMA_MAX_QDS) {
			warnx("--qd: at most %d values", RDMA_MAX_QDS);
			return -1;
		}
		o->qds[o->nqds++] = v;
		if (!arg[len])
			break;
		arg += len + 1;
	}
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

static int names_opt(const char *name, const char *arg,
		     const char *const *names, size_t count,
		     unsigned int *mask)
{
	char err[200];

	if (!parse_name_list(arg, names, count, mask, err, sizeof(err)))
		return 0;
	warnx("--%s %s", name, err);
	return -1;
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
		if (uint_opt("port", arg, 1, 255, &v))
			return -1;
		o->port = v;
		return 0;
	case OPT_GID_INDEX:
		if (uint_opt("gid-index", arg, 0, 255, &v))
			return -1;
		o->gid_index = v;
		return 0;
	case OPT_LIST:
		o->list = true;
		return 0;
	case OPT_HUGEPAGES:
		if (uint_opt("hugepages", arg, 0, 1UL << 20, &v))
			return -1;
		o->hugepages = v;
		return 0;
	}
	return -1;
}

static int one_opt(struct rdma_opts *o, struct given *g, int c, char *arg)
{
	switch (c) {
	case OPT_TEST:
		return names_opt("test", arg, rdma_test_names, RDMA_T_COUNT,
				 &o->tests);
	case OPT_SIZE:
		g->sizes = true;
		return sizes_opt("size", arg, o->sizes, &o->nsizes);
	case OPT_MSG_SIZE:
		g->msg_sizes = true;
		return sizes_opt("msg-size", arg, o->msg_sizes, &o->nmsg_sizes);
	case OPT_QD:
		g->qds = true;
		return qd_opt(o, arg);
	case OPT_BUFFERS:
		return names_opt("buffers", arg, rdma_buffer_names,
				 RDMA_B_COUNT, &o->buffers);
	case OPT_REG_PER_IO:
		o->reg_per_io = true;
		return 0;
	case OPT_TIME:
		g->time = true;
		return time_opt(o, arg);
	case OPT_COUNT:
		return uint_opt("count", arg, 1, MAX_COUNT, &o->count);
	case OPT_QUICK:
		g->quick = true;
		return 0;
	case OPT_NO_COUNTERS:
		o->counters = false;
		return 0;
	case OPT_NO_SAMPLING:
		o->sampling = false;
		return 0;
	case OPT_OUT:
		g->out = true;
		o->out = arg;
		return 0;
	case OPT_INTO:
		o->into = arg;
		return 0;
	}
	return where_opt(o, c, arg);
}

static void defaults(struct rdma_opts *o, const struct given *g)
{
	char err[160];

	if (!g->sizes)
		rdma_parse_sizes(g->quick ? QUICK_SIZES : DEFAULT_SIZES,
				 o->sizes, RDMA_MAX_SIZES, &o->nsizes, err,
				 sizeof(err));
	if (!g->msg_sizes)
		rdma_parse_sizes(g->quick ? QUICK_MSG_SIZES : DEFAULT_MSG_SIZES,
				 o->msg_sizes, RDMA_MAX_SIZES, &o->nmsg_sizes,
				 err, sizeof(err));
	if (!g->qds)
		qd_opt(o, g->quick ? QUICK_QDS : DEFAULT_QDS);
	if (!g->time)
		o->seconds = g->quick ? QUICK_SECONDS : DEFAULT_SECONDS;
	if (!o->tests)
		o->tests = (1U << RDMA_T_COUNT) - 1;
	if (!o->buffers)
		o->buffers = (1U << RDMA_B_COUNT) - 1;
}

static void bad_option(char **argv, int c)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		warnx("%s needs a value (see dmabench rdma --help)", arg);
	else
		warnx("unknown option '%s' (see dmabench rdma --help)", arg);
}

/* 0: run; 1: help shown; -1: bad options, said why. */
int rdma_parse(int argc, char **argv, struct rdma_opts *o)
{
	struct given g = { 0 };
	int c;

	memset(o, 0, sizeof(*o));
	o->port = 1;
	o->gid_index = -1;
	o->hugepages = -1;
	o->counters = true;
	o->sampling = true;
	o->out = "results";
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
	if (optind < argc) {
		warnx("unexpected argument '%s' (see dmabench rdma --help)",
		      argv[optind]);
		return -1;
	}
	if (o->into && g.out) {
		warnx("--into and --out exclude each other: rows go to one directory");
		return -1;
	}
	if (g.time && o->count) {
		warnx("--time and --count exclude each other: a point runs for a time or a count");
		return -1;
	}
	defaults(o, &g);
	return 0;
}

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

void rdma_set(struct rdma_result *res, const char *status, const char *fmt,
	      ...)
{
	va_list ap;

	res->status = status;
	va_start(ap, fmt);
	vsnprintf(res->note, sizeof(res->note), fmt, ap);
	va_end(ap);
}

void rdma_prof_start(struct rdma_run *r, struct rdma_result *res)
{
	res->sp = sysprof_start(&r->so);
	if (!res->sp)
		snprintf(res->prof_why, sizeof(res->prof_why),
			 "sysprof_start: %s", strerror(errno));
}

void rdma_prof_stop(struct rdma_result *res)
{
	int err;

	if (!res->sp)
		return;
	err = sysprof_stop(res->sp, &res->prof);
	if (err)
		snprintf(res->prof_why, sizeof(res->prof_why),
			 "sysprof_stop: %s", strerror(err < 0 ? -err : err));
	else
		res->prof_ran = true;
	sysprof_free(res->sp);
	res->sp = NULL;
}

/* The sweep. */
struct rdma_ctx {
	struct rdma_opts o;
	struct rdma_dev dev;
	struct rdma_run run;
	struct wl_out w;
	struct progress prog;
	struct rdma_point *pts;
	unsigned int npts;
	unsigned int nok, nunsupported, nfailed;
	unsigned int next_file;		/* rdma-<n>.json: n to try next */
};

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

/* 64, 4K, 2M, 1G, or bytes when not a whole multiple. */
static void fmt_size(char *buf, size_t size, uint64_t v)
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

static void append(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 3 >= size)
		return;
	if (len) {
		memcpy(buf + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

static void jnum(struct json *j, const char *key, double v)
{
	char buf[40];
	int n;

	if (!isfinite(v)) {
		json_null(j, key);
		return;
	}
	n = snprintf(buf, sizeof(buf), "%.9g", v);
	json_raw(j, key, json_span_of(buf, n));
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
	const struct sysprof_result *r = &res->prof;

	json_obj_begin(j, "sysprof");
	json_bool(j, "ran", res->prof_ran);
	if (!res->prof_ran) {
		json_str(j, "why", res->prof_why);
		json_obj_end(j);
		return;
	}
	jnum(j, "seconds", r->seconds);
	jnum(j, "busy_ns", r->busy_ns);
	jnum(j, "cpu_tick_ns", r->cpu_tick_ns);
	jnum(j, "kcycles", r->kcycles);
	jnum(j, "kinstr", r->kinstr);
	json_str(j, "counters_reason", r->counters_reason);
	jnum(j, "dma_share", r->dma_share);
	json_str(j, "share_source", r->share_source ? r->share_source : "");
	json_str(j, "share_reason", r->share_reason);
	json_u64(j, "samples", r->samples);
	json_u64(j, "idle_samples", r->idle_samples);
	json_u64(j, "dma_samples", r->dma_samples);
	json_u64(j, "unknown_samples", r->unknown_samples);
	json_u64(j, "lost", r->lost);
	json_arr_begin(j, "top");
	for (unsigned int i = 0; i < r->ntop && i < 8; i++) {
		json_obj_begin(j, NULL);
		json_str(j, "symbol", r->top[i].name);
		json_u64(j, "samples", r->top[i].n);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

/* The first rdma-<n>.json not taken yet: --into may hold earlier runs'. */
static unsigned int free_file_number(struct rdma_ctx *c)
{
	char name[64], path[PATH_MAX], rel[PATH_MAX];

	for (;; c->next_file++) {
		snprintf(name, sizeof(name), "rdma-%u.json", c->next_file);
		if (wl_out_path(&c->w, name, path, sizeof(path), rel,
				sizeof(rel)) || !path_exists(path))
			return c->next_file++;
	}
}

/* workload/<name>: a latency histogram, as CSV. */
static int write_hist(struct rdma_ctx *c, const char *name,
		      const struct lathist *h, char *rel, size_t relsize)
{
	FILE *f = wl_out_file(&c->w, name, rel, relsize);
	int err;

	if (!f)
		return -errno;
	err = lathist_write_csv(h, f);
	if (fclose(f) && !err)
		err = -errno;
	return err;
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
	f = wl_out_file(&c->w, name, rel, relsize);
	if (!f)
		return -errno;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "tool", "dmabench rdma");
	json_str(&j, "workload", p->workload);
	json_int(&j, "point", p->index);
	json_str(&j, "command", c->w.command ? c->w.command : "");
	json_u64(&j, "size", p->size);
	json_int(&j, "qd", p->qd);
	json_str(&j, "buffers", p->huge ? "huge" : "normal");
	json_bool(&j, "reg_per_io", p->reg_per_io);
	json_str(&j, "status", res->status);
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
	json_obj_end(&j);
	if (ferror(f) | fclose(f))
		return -EIO;
	return 0;
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
	w->lat_min = h->min;
	w->lat_p50 = lathist_quantile(h, 500);
	w->lat_p90 = lathist_quantile(h, 900);
	w->lat_p99 = lathist_quantile(h, 990);
	w->lat_p999 = lathist_quantile(h, 999);
	w->lat_max = h->max;
	w->lat_mean = lathist_mean(h);
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
		append(note, size, "no system profile: %s", res->prof_why);
		return;
	}
	if (!res->ops)
		return;
	w->cpu_ns_per_op = r->busy_ns / res->ops;
	w->kcycles_per_op = r->kcycles / res->ops;
	w->kinstr_per_op = r->kinstr / res->ops;
	w->dma_share = r->dma_share;
	if (r->share_source)
		w->share_source = r->share_source;
	w->kernel_samples = r->samples >= r->idle_samples ?
			    r->samples - r->idle_samples : 0;
	if (!o->counters)
		append(note, size, "no kernel counters: --no-counters");
	else if (!isfinite(r->kcycles) && r->counters_reason[0])
		append(note, size, "no kernel counters: %s", r->counters_reason);
	if (!o->sampling)
		append(note, size, "no DMA share: --no-sampling");
	else if (!isfinite(r->dma_share) && r->share_reason[0])
		append(note, size, "no DMA share: %s", r->share_reason);
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
	bool ok = !strcmp(res->status, "ok");

	snprintf(note, size, "%s", res->note);
	if (ok && p->test == RDMA_T_REG)
		append(note, size,
		       "rate: register-deregister pairs per second; kernel figures per pair");
	if (ok && p->test == RDMA_T_ODP && res->lat2 && res->lat2->n)
		append(note, size,
		       "each after an invalidation (mprotect round trip, median %.0f ns), which the kernel figures include and the latencies do not",
		       lathist_quantile(res->lat2, 500));
	if (ok && p->test == RDMA_T_ODP && p->odp == RDMA_ODP_FAULT) {
		fmt_size(chunk, sizeof(chunk), res->chunk);
		append(note, size,
		       "an operation writes the whole region (RDMA WRITEs of %s, %u in flight); into a pinned MR: %.1f ns per page",
		       chunk, p->qd, res->baseline_ns);
	}
	if (ok && p->reg_per_io)
		append(note, size,
		       "each message's buffer registered before its post, deregistered after its completion");
	if (c->dev.soft)
		append(note, size, SOFT_NOTE);
}

/* The histograms, the provenance file and the rows of a point. */
static int write_point(struct rdma_ctx *c, const struct rdma_point *p,
		       struct rdma_result *res)
{
	char rel[PATH_MAX], hist[PATH_MAX] = "", hist2[PATH_MAX] = "";
	char name[64], note[1024], dnote[1024];
	unsigned int n = free_file_number(c);
	bool ok = !strcmp(res->status, "ok");
	struct workload_row w, d;
	int err = 0;

	if (ok && res->lat && res->lat->n) {
		snprintf(name, sizeof(name), "rdma-%u-lat.csv", n);
		err = write_hist(c, name, res->lat, hist, sizeof(hist));
	}
	if (!err && ok && p->test == RDMA_T_REG && res->lat2->n) {
		snprintf(name, sizeof(name), "rdma-%u-dereg-lat.csv", n);
		err = write_hist(c, name, res->lat2, hist2, sizeof(hist2));
	}
	if (!err)
		err = point_json(c, p, res, n, hist, hist2, rel, sizeof(rel));
	if (err) {
		warnx("%s/workload: cannot write point %u: %s", c->w.dir, n,
		      strerror(-err));
		return err;
	}
	base_row(c, p, res, &w);
	w.profile = rel;
	w.histogram = hist;
	point_note(c, p, res, note, sizeof(note));
	if (ok) {
		figures(&w, res, res->lat, p->test != RDMA_T_WRITE &&
			p->test != RDMA_T_SEND);
		prof_figures(&w, &c->o, res, note, sizeof(note));
	}
	w.note = note;
	err = wl_out_row(&c->w, &w);
	if (err || p->test != RDMA_T_REG)
		return err;
	/* ibv_dereg_mr: its own row, the profile being the pair's. */
	base_row(c, p, res, &d);
	d.workload = "rdma-dereg";
	d.profile = rel;
	d.histogram = hist2;
	snprintf(dnote, sizeof(dnote), "%s", res->note);
	if (ok) {
		figures(&d, res, res->lat2, true);
		append(dnote, sizeof(dnote),
		       "rate: register-deregister pairs per second; kernel figures: on the rdma-reg row (one profile covers both calls)");
	}
	if (c->dev.soft)
		append(dnote, sizeof(dnote), SOFT_NOTE);
	d.note = dnote;
	return wl_out_row(&c->w, &d);
}

static void label(const struct rdma_point *p, char *buf, size_t size)
{
	char sz[24];

	fmt_size(sz, sizeof(sz), p->size);
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
	res->status = "failed";
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
	rdma_prof_stop(res);	/* if a path out forgot */
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
		run_point(c, p, res);
		if (rdma_stop) {
			progress_end(&c->prog, 0, "interrupted");
			err = -EINTR;
			break;
		}
		err = write_point(c, p, res);
		if (!strcmp(res->status, "ok")) {
			c->nok++;
			progress_end(&c->prog, now_seconds() - t0, NULL);
			continue;
		}
		if (!strcmp(res->status, "unsupported"))
			c->nunsupported++;
		else
			c->nfailed++;
		snprintf(msg, sizeof(msg), "%s: %s",
			 !strcmp(res->status, "unsupported") ? "unsupported" :
			 "FAILED", res->note);
		progress_end(&c->prog, 0, msg);
	}
	free(res);
	return err;
}

static void on_signal(int sig)
{
	static const char msg[] =
		"\ndmabench: stopping this point, then cleaning up\n";
	ssize_t n;

	(void)sig;
	if (!rdma_stop) {
		n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
		(void)n;
	}
	rdma_stop = 1;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void announce(const struct rdma_ctx *c)
{
	const struct rdma_dev *d = &c->dev;
	char took[32];

	fprintf(stderr, "dmabench: %s: %s (%s)\n", d->name, d->path, d->why);
	if (d->soft)
		fprintf(stderr, "dmabench: warning: %s\n", SOFT_NOTE);
	fmt_duration(took, sizeof(took), c->npts * (c->o.count ? 1.0 :
			c->o.seconds * 1.25));
	fprintf(stderr, "dmabench: %u points, RLIMIT_MEMLOCK %s%s%s\n",
		c->npts, d->memlock, c->o.count ? "" : ", at most about ",
		c->o.count ? "" : took);
}

static int measure(struct rdma_ctx *c, int argc, char **argv)
{
	char why[256];
	int err;

	c->run.dev = &c->dev;
	c->run.o = &c->o;
	c->run.so.counters = c->o.counters;
	c->run.so.sampling = c->o.sampling;
	c->npts = rdma_plan(&c->o, NULL);
	c->pts = calloc(c->npts, sizeof(*c->pts));
	if (!c->pts) {
		warnx("no memory for %u points", c->npts);
		return -ENOMEM;
	}
	rdma_plan(&c->o, c->pts);
	c->next_file = 1;
	err = c->o.hugepages < 0 ? 0 :
	      hugebuf_pool_set(c->o.hugepages, why, sizeof(why));
	if (err)
		warnx("--hugepages %ld: %s", c->o.hugepages, why);
	/* Fewer pages than asked: the points that need more say so. */
	if (err && err != -ENOMEM)
		return err;
	err = wl_out_open(&c->w, c->o.into, c->o.into ? NULL : c->o.out,
			  argc, argv);
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
		return ret > 0 ? 0 : 1;
	}
	if (c->o.list) {
		ret = rdma_dev_list(stdout) ? 1 : 0;
		free(c);
		return ret;
	}
	rdma_stop = 0;
	catch_signals();
	ret = 1;
	if (!rdma_dev_open(&c->dev, &c->o)) {
		rdma_raise_memlock(c->dev.memlock, sizeof(c->dev.memlock));
		ret = measure(c, argc, argv);
		if (ret == -EINTR || rdma_stop) {
			warnx("interrupted: %s", c->o.into ?
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
