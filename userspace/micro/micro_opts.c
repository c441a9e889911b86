// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench micro: options.
 */
#include <err.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "micro.h"
#include "parse.h"
#include "util.h"

#define DEFAULT_SIZES	"64,256,1K,4K,16K,64K,256K,1M,2M"
#define QUICK_SIZES	"64,512,4K,64K,2M"
#define QUICK_THREADS	"1,2"
#define QUICK_BATCHES	"1,16"
#define ALL_DIRS	((1U << DIR_COUNT) - 1)

static const char head[] =
"usage: dmabench micro [options]\n"
"\n"
"Time DMA map and unmap over a matrix: api x path x size x dir x threads\n"
"x batch, one DMABENCH_IOC_RUN per point (per repeat).  Needs root and the\n"
"dmabench module.  Writes <out>/<date>-<release>-<random>/ (meta.json,\n"
"summary.csv, samples/, and threads.csv when a point has several threads)\n"
"and prints its path as the last line.  A samples/ file has the columns\n"
"map,unmap,pair, preceded by thread when the point has more than one\n"
"thread and by repeat when --repeat is over 1.  A quantile needs 10\n"
"samples beyond it (median 20, p90 100, p99 1000) and the interval of the\n"
"median 100 (else flag few-samples): below, the field is empty and the\n"
"note says why.\n";

enum {
	OPT_API, OPT_PATH, OPT_SIZE, OPT_DIR, OPT_NENTS, OPT_OFFSET,
	OPT_SKIP_SYNC, OPT_SAMPLES, OPT_WARMUP, OPT_PCI, OPT_CLOCK, OPT_NOTE,
	OPT_OUT, OPT_CPU, OPT_THREADS, OPT_CPUS, OPT_BATCH, OPT_WORKING_SET,
	OPT_NODE, OPT_REPEAT, OPT_TRACE, OPT_TRACE_SIZE, OPT_TRACE_DIRS,
};

/* Which options were given, so that --quick only fills in the rest. */
struct given {
	bool sizes, dirs, samples, warmup, out, threads, batches;
};

struct parsing {
	struct micro_opts *o;
	struct given g;
};

static int uint_opt(const char *name, const char *arg, uint64_t max,
		    unsigned int *out)
{
	uint64_t v;

	if (opt_uint(name, arg, 0, max, &v))
		return -1;
	*out = v;
	return 0;
}

static int cpus_opt(struct micro_opts *o, const char *arg)
{
	char err[160];

	if (!parse_cpu_list(arg, o->cpus, MAX_CPUS, &o->ncpus, err, sizeof(err)))
		return 0;
	warnx("--cpus %s", err);
	return -1;
}

/* -1, or a node number. */
static int node_opt(struct micro_opts *o, const char *arg)
{
	unsigned int v;

	if (!strcmp(arg, "-1")) {
		o->node = -1;
		return 0;
	}
	if (uint_opt("node", arg, 1023, &v))
		return -1;
	o->node = v;
	return 0;
}

static int path_opt(const char *arg, unsigned int *paths)
{
	char err[200];

	if (!strcmp(arg, "auto")) {
		*paths = 0;
		return 0;
	}
	if (parse_name_list(arg, path_names, PATH_COUNT, paths, err,
			    sizeof(err))) {
		warnx("--path %s (or auto, alone)", err);
		return -1;
	}
	return 0;
}

static int note_opt(struct micro_opts *o, char *arg)
{
	size_t klen = strcspn(arg, "=");
	char err[160];

	if (parse_note(arg, err, sizeof(err))) {
		warnx("--note %s", err);
		return -1;
	}
	for (int i = 0; i < o->nnotes; i++) {
		if (!strncmp(o->notes[i], arg, klen + 1)) {
			warnx("--note %.*s: given twice", (int)klen, arg);
			return -1;
		}
	}
	if (o->nnotes == MAX_NOTES) {
		warnx("--note: at most %d notes", MAX_NOTES);
		return -1;
	}
	o->notes[o->nnotes++] = arg;
	return 0;
}

static int clock_opt(struct micro_opts *o, const char *arg)
{
	if (strcmp(arg, "tsc") && strcmp(arg, "icount")) {
		warnx("--clock '%s': choose tsc (ns) or icount (instructions, under QEMU -icount)",
		      arg);
		return -1;
	}
	o->clock = arg;
	return 0;
}

/* The options of the threads, batch and repeat dimensions. */
static int more_opt(struct micro_opts *o, struct given *g, int c, char *arg)
{
	switch (c) {
	case OPT_THREADS:
		g->threads = true;
		return opt_uint_list("threads", arg, MAX_CPUS, o->threads,
				     MAX_LIST, &o->nthreads);
	case OPT_CPUS:
		return cpus_opt(o, arg);
	case OPT_BATCH:
		g->batches = true;
		return opt_uint_list("batch", arg, MAX_BATCH, o->batches,
				     MAX_LIST, &o->nbatches);
	case OPT_WORKING_SET:
		if (uint_opt("working-set", arg, MAX_BATCH, &o->working_set))
			return -1;
		if (o->working_set)
			return 0;
		warnx("--working-set 0: a thread needs at least one buffer");
		return -1;
	case OPT_NODE:
		return node_opt(o, arg);
	case OPT_TRACE:
		return opt_names("trace", arg, api_names, DMABENCH_API_COUNT,
				 &o->trace_apis);
	case OPT_TRACE_SIZE:
		return opt_sizes("trace-size", arg, SIZE_LIMIT, o->trace_sizes,
				 MAX_SIZES, &o->ntrace_sizes);
	case OPT_TRACE_DIRS:
		return opt_names("trace-dirs", arg, dir_names, DIR_COUNT,
				 &o->trace_dirs);
	case OPT_REPEAT:
		if (uint_opt("repeat", arg, MAX_REPEAT, &o->repeat))
			return -1;
		if (o->repeat)
			return 0;
		warnx("--repeat 0: run each point at least once");
		return -1;
	}
	return -1;
}

static int one_opt(void *ctx, int c, char *arg)
{
	struct micro_opts *o = ((struct parsing *)ctx)->o;
	struct given *g = &((struct parsing *)ctx)->g;
	char err[200];
	unsigned int v;

	switch (c) {
	case OPT_API:
		return opt_names("api", arg, api_names, DMABENCH_API_COUNT,
				 &o->apis);
	case OPT_PATH:
		return path_opt(arg, &o->paths);
	case OPT_SIZE:
		g->sizes = true;
		return opt_sizes("size", arg, SIZE_LIMIT, o->sizes, MAX_SIZES,
				 &o->nsizes);
	case OPT_DIR:
		g->dirs = true;
		return opt_names("dir", arg, dir_names, DIR_COUNT, &o->dirs);
	case OPT_NENTS:
		if (uint_opt("nents", arg, MAX_NENTS, &o->nents))
			return -1;
		if (o->nents)
			return 0;
		warnx("--nents 0: a scatterlist needs at least one entry");
		return -1;
	case OPT_OFFSET:
		if (uint_opt("offset", arg, sysconf(_SC_PAGESIZE) - 1, &o->offset))
			return -1;
		return 0;
	case OPT_SKIP_SYNC:
		o->attrs |= DMABENCH_ATTR_SKIP_CPU_SYNC;
		return 0;
	case OPT_SAMPLES:
		g->samples = true;
		if (uint_opt("samples", arg, UINT32_MAX, &o->samples))
			return -1;
		if (o->samples)
			return 0;
		warnx("--samples 0: time at least one operation");
		return -1;
	case OPT_WARMUP:
		g->warmup = true;
		return uint_opt("warmup", arg, UINT32_MAX, &o->warmup);
	case OPT_PCI:
		if (!parse_bdf(arg, o->pci, sizeof(o->pci), err, sizeof(err)))
			return 0;
		warnx("--pci %s", err);
		return -1;
	case OPT_CLOCK:
		return clock_opt(o, arg);
	case OPT_NOTE:
		return note_opt(o, arg);
	case OPT_OUT:
		g->out = true;
		o->out = arg;
		return 0;
	case OPT_CPU:
		if (uint_opt("cpu", arg, CPU_SETSIZE - 1, &v))
			return -1;
		o->cpu = v;
		return 0;
	}
	return more_opt(o, g, c, arg);
}

static void defaults(struct micro_opts *o, const struct given *g, bool quick)
{
	char err[160];

	if (!g->sizes)
		parse_size_list(quick ? QUICK_SIZES : DEFAULT_SIZES,
				SIZE_LIMIT, o->sizes, MAX_SIZES, &o->nsizes,
				err, sizeof(err));
	if (!g->dirs)
		o->dirs = ALL_DIRS;
	if (!g->samples)
		o->samples = quick ? 1000 : 10000;
	if (!g->warmup)
		o->warmup = quick ? 100 : 1000;
	if (!g->threads)
		opt_uint_list("threads", quick ? QUICK_THREADS : "1",
			      MAX_CPUS, o->threads, MAX_LIST, &o->nthreads);
	if (!g->batches)
		opt_uint_list("batch", quick ? QUICK_BATCHES : "1",
			      MAX_BATCH, o->batches, MAX_LIST, &o->nbatches);
	if (!o->apis)
		o->apis = (1U << DMABENCH_API_COUNT) - 1;
	/* The harness runs everywhere: net_median needs it. */
	o->apis |= 1U << DMABENCH_API_NONE;
	if (!o->rev)
		o->rev = getenv("DMABENCH_REV");
	if (!o->rev || !*o->rev)
		o->rev = "unknown";
}

static unsigned int list_max(const unsigned int *v, size_t n)
{
	unsigned int max = 0;

	for (size_t i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	return max;
}

unsigned int max_threads(const struct micro_opts *o)
{
	return list_max(o->threads, o->nthreads);
}

/* Buffers a thread cycles through at a point with this batch. */
unsigned int point_working_set(const struct micro_opts *o, unsigned int batch)
{
	return o->working_set ? o->working_set : batch;
}

/* What only the options together can say is wrong. */
static int check_dims(const struct micro_opts *o)
{
	unsigned int batch = list_max(o->batches, o->nbatches);

	if (o->working_set && o->working_set < batch) {
		warnx("--working-set %u with --batch %u: a batch needs as many distinct buffers",
		      o->working_set, batch);
		return -1;
	}
	if (o->ncpus && o->ncpus < max_threads(o))
		warnx("warning: --cpus names %zu CPUs: points with more threads will be unsupported rows",
		      o->ncpus);
	return 0;
}

static int check_trace(const struct micro_opts *o)
{
	if (!o->trace_apis != !o->trace_dir) {
		warnx("--trace and --trace-dir go together: which APIs, and where the tracer finds their tags");
		return -1;
	}
	if ((o->ntrace_sizes || o->trace_dirs) && !o->trace_apis) {
		warnx("--trace-size and --trace-dirs choose among the points of --trace: name its APIs");
		return -1;
	}
	if (o->trace_apis & ~o->apis) {
		warnx("--trace names an API that --api leaves out");
		return -1;
	}
	return 0;
}

static int check_part(const struct micro_opts *o, const struct given *g)
{
	if (o->part && g->out) {
		warnx("--part and --out exclude each other: a part is one directory, not a run");
		return -1;
	}
	return 0;
}

/* An option of micro's table that one_opt() stores. */
#define MICRO_OPT(n, a, k, h)	OPT_FN(n, a, one_opt, &p, k, h)

/* 0: run; 1: help shown; -1: bad options, said why. */
int micro_parse(int argc, char **argv, struct micro_opts *o)
{
	struct parsing p = { .o = o };
	bool quick = false;
	const struct opt opts[] = {
		OPT_HEAD("What to time:"),
		MICRO_OPT("api", "LIST", OPT_API,
			  "none,page,phys,single,resource,sg,iova,phys_page (default: all); 'none' (the harness alone) always runs, for net_median"),
		MICRO_OPT("path", "LIST", OPT_PATH,
			  "auto (default: every path reachable now), or any of direct,swiotlb,iommu-strict,iommu-lazy,iommu-identity, direct-coherent (by name only: --pci's device in no IOMMU group, which must be cache-coherent; direct then stays on the module's own device)"),
		MICRO_OPT("size", "LIST", OPT_SIZE,
			  "bytes per mapping (per entry for sg), up to 4M; K and M suffixes allowed (default: " DEFAULT_SIZES ")"),
		MICRO_OPT("dir", "LIST", OPT_DIR,
			  "to_device,from_device,bidirectional (default: all)"),
		MICRO_OPT("nents", "N", OPT_NENTS,
			  "scatterlist entries for api sg, 1-256 (default 16)"),
		MICRO_OPT("offset", "N", OPT_OFFSET,
			  "offset into the first page, below the page size"),
		MICRO_OPT("skip-cpu-sync", NULL, OPT_SKIP_SYNC,
			  "map with DMA_ATTR_SKIP_CPU_SYNC"),
		MICRO_OPT("samples", "N", OPT_SAMPLES,
			  "timed operations per point (default 10000)"),
		MICRO_OPT("warmup", "N", OPT_WARMUP,
			  "untimed operations first (default 1000)"),
		MICRO_OPT("threads", "LIST", OPT_THREADS,
			  "threads timing at once, one per CPU (default 1)"),
		MICRO_OPT("cpus", "LIST", OPT_CPUS,
			  "CPUs for them, e.g. 0-3,8 (default: the online CPUs from --cpu up); N threads take the first N"),
		MICRO_OPT("batch", "LIST", OPT_BATCH,
			  "mappings held at once (default 1: map, unmap, repeat; K > 1: map K buffers, then unmap all K)"),
		MICRO_OPT("working-set", "N", OPT_WORKING_SET,
			  "distinct buffers each thread cycles through, at least the largest batch (default: the point's batch)"),
		MICRO_OPT("node", "N", OPT_NODE,
			  "NUMA node of the buffers (default -1: each CPU's own)"),
		OPT_FLAG("counters", &o->counters, NULL),
		OPT_UNFLAG("no-counters", &o->counters,
			   "do not read the PMU counters (read by default where the kernel has them)"),
		MICRO_OPT("repeat", "R", OPT_REPEAT,
			  "run each point R times; rows pool the repeats and spread compares their medians (default 1)"),
		MICRO_OPT("trace", "LIST", OPT_TRACE,
			  "APIs whose points (of 1 thread, batch 1) end with one traced map and unmap, for a debugger attached to the machine (make vm-trace: lab/trace.py); tags 1, 2, ..."),
		OPT_STRING("trace-dir", "DIR", &o->trace_dir,
			   "where the tracer and dmabench meet: DIR/kallsyms and DIR/trace-ready are written before the first traced run, which waits up to 600 s for DIR/trace-go; each traced run is a row of DIR/trace-plan.csv"),
		MICRO_OPT("trace-size", "LIST", OPT_TRACE_SIZE,
			  "only the traced points of these sizes (default: all)"),
		MICRO_OPT("trace-dirs", "LIST", OPT_TRACE_DIRS,
			  "only the traced points of these dirs (default: all)"),
		OPT_FLAG("quick", &quick,
			 "sizes " QUICK_SIZES ", all dirs, threads " QUICK_THREADS ", batch " QUICK_BATCHES ", 1000 samples, 100 warmup (options given explicitly still win)"),
		OPT_HEAD("Where:"),
		MICRO_OPT("pci", "BDF", OPT_PCI,
			  "a spare PCI device to lend to dmabench: the iommu-* paths run on it if it is in an IOMMU group, else it replaces the module's own device; it goes back to its driver at exit"),
		MICRO_OPT("cpu", "N", OPT_CPU,
			  "CPU to pin to (default: the current one)"),
		OPT_HEAD("How to read the clock:"),
		MICRO_OPT("clock", "CLOCK", OPT_CLOCK,
			  "tsc: results in ns, from TSC ticks and tsc_khz (default); icount: results in instructions: raw ticks, for a QEMU guest run with -icount shift=0 (arm64: CNTVCT_EL0, which must run at 1 GHz)"),
		OPT_FLAG("emulated", &o->emulated,
			 "record that the machine is emulated (the hypervisor CPU flag is recorded besides)"),
		OPT_HEAD("Output:"),
		MICRO_OPT("out", "DIR", OPT_OUT,
			  "parent of run directories (default: results)"),
		OPT_STRING("part", "DIR", &o->part,
			   "write a part into DIR (new or empty) instead, for 'dmabench collect' to merge with parts of other boots"),
		OPT_STRING("rev", "STR", &o->rev,
			   "suite revision to record (default: $DMABENCH_REV, else 'unknown')"),
		MICRO_OPT("note", "KEY=VALUE", OPT_NOTE,
			  "recorded verbatim in the metadata; repeatable"),
		OPT_END
	};
	int ret;

	memset(o, 0, sizeof(*o));
	o->nents = 16;
	o->clock = "tsc";
	o->out = "results";
	o->cpu = -1;
	o->node = -1;
	o->counters = true;
	o->repeat = 1;
	ret = opt_parse(stdout, argc, argv, "micro", opts, head, "");
	if (ret)
		return ret;
	if (optind < argc) {
		warnx("unexpected argument '%s' (see dmabench micro --help)",
		      argv[optind]);
		return -1;
	}
	defaults(o, &p.g, quick);
	if (o->offset + o->sizes[o->nsizes - 1] > SIZE_LIMIT) {
		warnx("--offset %u with --size %llu: over the module's limit of 4M for offset + size",
		      o->offset, (unsigned long long)o->sizes[o->nsizes - 1]);
		return -1;
	}
	if (check_part(o, &p.g) || check_trace(o))
		return -1;
	return check_dims(o);
}
