// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench micro: options.
 */
#include <err.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "micro.h"
#include "parse.h"
#include "util.h"

#define DEFAULT_SIZES	"64,256,1K,4K,16K,64K,256K,1M,2M"
#define QUICK_SIZES	"64,4K,64K,2M"
#define ALL_DIRS	((1U << DIR_COUNT) - 1)

static const char usage[] =
"usage: dmabench micro [options]\n"
"\n"
"Time DMA map and unmap over a matrix: api x path x size x dir, one\n"
"DMABENCH_IOC_RUN per point.  Needs root and the dmabench module.\n"
"Writes <out>/<date>-<release>-<random>/ (meta.json, summary.csv, samples/)\n"
"and prints its path as the last line.\n"
"\n"
"What to time:\n"
"  --api LIST        none,page,phys,single,resource,sg,iova (default: all);\n"
"                    'none' (the harness alone) always runs, for net_median\n"
"  --path LIST       auto (default: every path reachable now), or any of\n"
"                    direct,swiotlb,iommu-strict,iommu-lazy,iommu-identity\n"
"  --size LIST       bytes per mapping (per entry for sg), up to 4M;\n"
"                    K and M suffixes allowed\n"
"                    (default: " DEFAULT_SIZES ")\n"
"  --dir LIST        to_device,from_device,bidirectional (default: all)\n"
"  --nents N         scatterlist entries for api sg, 1-256 (default 16)\n"
"  --offset N        offset into the first page, below the page size\n"
"  --skip-cpu-sync   map with DMA_ATTR_SKIP_CPU_SYNC\n"
"  --samples N       timed operations per point (default 10000)\n"
"  --warmup N        untimed operations first (default 1000)\n"
"  --quick           sizes " QUICK_SIZES ", all dirs, 1000 samples,\n"
"                    100 warmup (options given explicitly still win)\n"
"\n"
"Where:\n"
"  --pci BDF         a spare PCI device to lend to dmabench: the iommu-*\n"
"                    paths run on it if it is in an IOMMU group, else it\n"
"                    replaces the module's own device; it goes back to its\n"
"                    driver at exit\n"
"  --cpu N           CPU to pin to (default: the current one)\n"
"\n"
"How to read the clock:\n"
"  --clock tsc       results in ns, from TSC ticks and tsc_khz (default)\n"
"  --clock icount    results in instructions: raw ticks, for a QEMU guest\n"
"                    run with -icount shift=0\n"
"  --emulated        record that the machine is emulated (the hypervisor\n"
"                    CPU flag is recorded besides)\n"
"\n"
"Output:\n"
"  --out DIR         parent of run directories (default: results)\n"
"  --part DIR        write a part into DIR (new or empty) instead, for\n"
"                    'dmabench collect' to merge with parts of other boots\n"
"  --rev STR         suite revision to record (default: $DMABENCH_REV,\n"
"                    else 'unknown')\n"
"  --note KEY=VALUE  recorded verbatim in the metadata; repeatable\n"
"  -h, --help        this text\n";

enum {
	OPT_API = 256, OPT_PATH, OPT_SIZE, OPT_DIR, OPT_NENTS, OPT_OFFSET,
	OPT_SKIP_SYNC, OPT_SAMPLES, OPT_WARMUP, OPT_QUICK, OPT_PCI, OPT_CLOCK,
	OPT_EMULATED, OPT_NOTE, OPT_OUT, OPT_PART, OPT_REV, OPT_CPU,
};

static const struct option options[] = {
	{ "api",		required_argument, NULL, OPT_API },
	{ "path",		required_argument, NULL, OPT_PATH },
	{ "size",		required_argument, NULL, OPT_SIZE },
	{ "dir",		required_argument, NULL, OPT_DIR },
	{ "nents",		required_argument, NULL, OPT_NENTS },
	{ "offset",		required_argument, NULL, OPT_OFFSET },
	{ "skip-cpu-sync",	no_argument,	   NULL, OPT_SKIP_SYNC },
	{ "samples",		required_argument, NULL, OPT_SAMPLES },
	{ "warmup",		required_argument, NULL, OPT_WARMUP },
	{ "quick",		no_argument,	   NULL, OPT_QUICK },
	{ "pci",		required_argument, NULL, OPT_PCI },
	{ "clock",		required_argument, NULL, OPT_CLOCK },
	{ "emulated",		no_argument,	   NULL, OPT_EMULATED },
	{ "note",		required_argument, NULL, OPT_NOTE },
	{ "out",		required_argument, NULL, OPT_OUT },
	{ "part",		required_argument, NULL, OPT_PART },
	{ "rev",		required_argument, NULL, OPT_REV },
	{ "cpu",		required_argument, NULL, OPT_CPU },
	{ "help",		no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Which options were given, so that --quick only fills in the rest. */
struct given {
	bool sizes, dirs, samples, warmup, quick, out;
};

static int uint_opt(const char *name, const char *arg, uint64_t max,
		    unsigned int *out)
{
	char err[160];
	uint64_t v;

	if (parse_uint(arg, max, &v, err, sizeof(err))) {
		warnx("--%s %s", name, err);
		return -1;
	}
	*out = v;
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

static int one_opt(struct micro_opts *o, struct given *g, int c, char *arg)
{
	char err[200];
	unsigned int v;

	switch (c) {
	case OPT_API:
		if (!parse_name_list(arg, api_names, DMABENCH_API_COUNT,
				     &o->apis, err, sizeof(err)))
			return 0;
		warnx("--api %s", err);
		return -1;
	case OPT_PATH:
		return path_opt(arg, &o->paths);
	case OPT_SIZE:
		g->sizes = true;
		if (!parse_size_list(arg, o->sizes, MAX_SIZES, &o->nsizes,
				     err, sizeof(err)))
			return 0;
		warnx("--size %s", err);
		return -1;
	case OPT_DIR:
		g->dirs = true;
		if (!parse_name_list(arg, dir_names, DIR_COUNT, &o->dirs,
				     err, sizeof(err)))
			return 0;
		warnx("--dir %s", err);
		return -1;
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
	case OPT_QUICK:
		g->quick = true;
		return 0;
	case OPT_PCI:
		if (!parse_bdf(arg, o->pci, sizeof(o->pci), err, sizeof(err)))
			return 0;
		warnx("--pci %s", err);
		return -1;
	case OPT_CLOCK:
		return clock_opt(o, arg);
	case OPT_EMULATED:
		o->emulated = true;
		return 0;
	case OPT_NOTE:
		return note_opt(o, arg);
	case OPT_OUT:
		g->out = true;
		o->out = arg;
		return 0;
	case OPT_PART:
		o->part = arg;
		return 0;
	case OPT_REV:
		o->rev = arg;
		return 0;
	case OPT_CPU:
		if (uint_opt("cpu", arg, CPU_SETSIZE - 1, &v))
			return -1;
		o->cpu = v;
		return 0;
	}
	return -1;
}

static void defaults(struct micro_opts *o, const struct given *g)
{
	char err[160];

	if (!g->sizes)
		parse_size_list(g->quick ? QUICK_SIZES : DEFAULT_SIZES, o->sizes,
				MAX_SIZES, &o->nsizes, err, sizeof(err));
	if (!g->dirs)
		o->dirs = ALL_DIRS;
	if (!g->samples)
		o->samples = g->quick ? 1000 : 10000;
	if (!g->warmup)
		o->warmup = g->quick ? 100 : 1000;
	if (!o->apis)
		o->apis = (1U << DMABENCH_API_COUNT) - 1;
	/* The harness runs everywhere: net_median needs it. */
	o->apis |= 1U << DMABENCH_API_NONE;
	if (!o->rev)
		o->rev = getenv("DMABENCH_REV");
	if (!o->rev || !*o->rev)
		o->rev = "unknown";
}

static void bad_option(char **argv, int c)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		warnx("%s needs a value (see dmabench micro --help)", arg);
	else
		warnx("unknown option '%s' (see dmabench micro --help)", arg);
}

/* 0: run; 1: help shown; -1: bad options, said why. */
int micro_parse(int argc, char **argv, struct micro_opts *o)
{
	struct given g = { 0 };
	int c;

	memset(o, 0, sizeof(*o));
	o->nents = 16;
	o->clock = "tsc";
	o->out = "results";
	o->cpu = -1;
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
		warnx("unexpected argument '%s' (see dmabench micro --help)",
		      argv[optind]);
		return -1;
	}
	defaults(o, &g);
	if (o->offset + o->sizes[o->nsizes - 1] > SIZE_LIMIT) {
		warnx("--offset %u with --size %llu: over the module's limit of 4M for offset + size",
		      o->offset, (unsigned long long)o->sizes[o->nsizes - 1]);
		return -1;
	}
	if (o->part && g.out) {
		warnx("--part and --out exclude each other: a part is one directory, not a run");
		return -1;
	}
	return 0;
}
