// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: options.
 */
#include <err.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "names.h"
#include "parse.h"
#include "util.h"

static const char head[] =
"usage: dmabench compare [options] RUN_A RUN_B\n"
"       dmabench compare [options] --within RUN --a API --b API\n"
"\n"
"Compare two sets of results point by point: kernel A against kernel B\n"
"(two run directories), or with --within, api A against api B in one run.\n"
"A side may pool runs given as RUN1,RUN2,... (say, one per boot of the\n"
"same kernel): their samples are pooled per point, and the spread of the\n"
"runs' own medians is shown besides.\n"
"\n"
"At each point both sides have (same api, path, size, dir, threads, op,\n"
"unit, nents, offset, attrs, and pattern, batch, working_set where runs\n"
"have them; with --within, all but the api) it shows the median of each\n"
"side's raw samples, the change B/A - 1 with its 95 %\n"
"interval (percentile bootstrap of the medians), the two-sided\n"
"Mann-Whitney U p-value adjusted by Holm-Bonferroni over all points\n"
"compared, and a verdict on B: 'faster' or 'slower' when the adjusted p\n"
"is below --alpha, |change| is over --threshold and the interval excludes\n"
"0; 'same' otherwise.  Points one side lacks, rows whose status is not\n"
"ok and rows without samples (a counter's mean) are listed after the\n"
"table.  Runs that differ in unit, emulation or clock source are refused.\n"
"\n"
"The text report begins with a summary: a line per api and path (with\n"
"--within, per path) with both medians of map+unmap (op pair) at the\n"
"reference point, 4 KiB to_device, their change and verdict, and how\n"
"many of the group's sizes x dirs differ (\"differ 12 of 15\"; a group\n"
"that does not change folds into \"same at all 15\").\n"
"\n"
"Where both sides carry a trace.csv (one traced call per point and op:\n"
"the instructions executed in each function), the text and md reports\n"
"end with the attribution: per traced point and op (map, unmap, and\n"
"pair, their sum) both totals, their difference, and the functions that\n"
"appeared, vanished, grew or shrank, with deltas that sum exactly to the\n"
"difference of the totals (checked).  Compiler clones (.isra.N,\n"
".constprop.N, .part.N, .cold) are merged with their function.\n"
"\n"
"The workload points of the runs (workload.csv: dmabench nvme, fio, rdma)\n"
"follow in the text and md reports: per point and metric both sides'\n"
"figures and the change, without interval (a workload run gives one\n"
"figure per point).\n"
"\n";

static const char tail[] =
"\n"
"Runs of several machines (host name and CPU model in meta.json) on a\n"
"side are compared machine by machine, each its A runs against its B\n"
"runs, and reported as one line per machine and path (op pair unless\n"
"--op says otherwise).\n";

enum {
	OPT_WITHIN, OPT_A, OPT_B, OPT_OP, OPT_PATH, OPT_API, OPT_FORMAT,
	OPT_BOOTSTRAP, OPT_SEED, OPT_THRESHOLD, OPT_ALPHA,
};

/*
 * An api name: any the runs may hold (page, phys, phys_page, ...): a
 * lower-case letter, then letters, digits, '_' or '-'.
 */
static bool api_name_ok(const char *s, size_t n)
{
	if (!n || n > 31 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static int api_opt(const char *name, const char *arg, const char **api)
{
	if (!api_name_ok(arg, strlen(arg))) {
		warnx("--%s %s: one api, a name such as page, phys or phys_page",
		      name, arg);
		return -1;
	}
	*api = arg;
	return 0;
}

static int api_list_opt(const char *arg, const char **apis)
{
	for (const char *p = arg;; p++) {
		size_t n = strcspn(p, ",");

		if (!api_name_ok(p, n)) {
			warnx("--api %s: a comma list of api names (page,phys,...)",
			      arg);
			return -1;
		}
		p += n;
		if (!*p)
			break;
	}
	*apis = arg;
	return 0;
}

/* Is api in --api's list (or is there none)? */
bool cmp_api_wanted(const struct cmp_opts *o, const char *api)
{
	size_t n = strlen(api);

	if (!o->apis)
		return true;
	for (const char *p = o->apis; *p; ) {
		size_t len = strcspn(p, ",");

		if (len == n && !strncmp(p, api, n))
			return true;
		p += len;
		if (*p)
			p++;
	}
	return false;
}

/* A decimal number in [min, max]. */
static int real_opt(const char *name, const char *arg, double min, double max,
		    double *out)
{
	char *end;
	double v;

	v = strtod(arg, &end);
	if (end == arg || *end || !isfinite(v) || v < min || v > max) {
		warnx("--%s %s: want a number from %g to %g", name, arg, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int format_opt(const char *arg, enum cmp_format *f)
{
	static const char *const names[] = { "text", "csv", "md" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(arg, names[i])) {
			*f = (enum cmp_format)i;
			return 0;
		}
	}
	warnx("--format %s: choose text, csv or md", arg);
	return -1;
}

static int one_opt(void *ctx, int c, char *arg)
{
	struct cmp_opts *o = ctx;
	uint64_t v;
	double pct;

	switch (c) {
	case OPT_WITHIN:
		o->within = true;
		o->run[0] = o->run[1] = arg;
		return 0;
	case OPT_A:
		return api_opt("a", arg, &o->api[0]);
	case OPT_B:
		return api_opt("b", arg, &o->api[1]);
	case OPT_OP:
		return opt_names("op", arg, op_names, OP_COUNT, &o->ops);
	case OPT_PATH:
		return opt_names("path", arg, path_names, PATH_COUNT, &o->paths);
	case OPT_API:
		return api_list_opt(arg, &o->apis);
	case OPT_FORMAT:
		return format_opt(arg, &o->format);
	case OPT_BOOTSTRAP:
		if (opt_uint("bootstrap", arg, 0, 10000000, &v))
			return -1;
		if (v < 100) {
			warnx("--bootstrap %s: at least 100, for a 2.5th percentile worth printing",
			      arg);
			return -1;
		}
		o->reps = v;
		return 0;
	case OPT_SEED:
		return opt_uint("seed", arg, 0, UINT64_MAX, &o->seed);
	case OPT_THRESHOLD:
		if (real_opt("threshold", arg, 0, 1000, &pct))
			return -1;
		o->threshold = pct / 100;
		return 0;
	case OPT_ALPHA:
		return real_opt("alpha", arg, 0, 1, &o->alpha);
	}
	return -1;
}

/* What the options say together, once all are read. */
static int check_opts(struct cmp_opts *o, int npos)
{
	if (o->workloads + o->attribution + o->summary > 1) {
		warnx("--workloads, --attribution and --summary each print one part: choose one");
		return -1;
	}
	if (o->attribution && o->no_attribution) {
		warnx("--attribution and --no-attribution: choose one");
		return -1;
	}
	if (o->within && o->workloads) {
		warnx("--workloads compares runs, not apis: drop --within");
		return -1;
	}
	if (o->within) {
		if (!o->api[0] || !o->api[1]) {
			warnx("--within needs --a API and --b API (e.g. --a page --b phys)");
			return -1;
		}
		if (!strcmp(o->api[0], o->api[1])) {
			warnx("--a and --b are both %s: name two apis", o->api[0]);
			return -1;
		}
		if (o->apis) {
			warnx("--api: not with --within, where --a and --b choose the apis");
			return -1;
		}
		if (npos) {
			warnx("--within RUN takes no other run (see dmabench compare --help)");
			return -1;
		}
		return 0;
	}
	if (o->api[0] || o->api[1]) {
		warnx("--a and --b go with --within (to compare two runs, filter with --api)");
		return -1;
	}
	if (npos != 2) {
		warnx("name two runs, RUN_A and RUN_B (see dmabench compare --help)");
		return -1;
	}
	return 0;
}

#define CMP_OPT(n, a, k, h)	OPT_FN(n, a, one_opt, o, k, h)

/*
 * Fill o from argv; returns 0 to go on, 1 for --help (printed to help),
 * -1 on an error (already reported).
 */
int cmp_parse(int argc, char **argv, struct cmp_opts *o, FILE *help)
{
	const struct opt opts[] = {
		CMP_OPT("within", "RUN", OPT_WITHIN,
			"compare two apis of RUN (or RUN1,RUN2,...)"),
		CMP_OPT("a", "API", OPT_A, "with --within: the api of A"),
		CMP_OPT("b", "API", OPT_B, "with --within: the api of B"),
		CMP_OPT("op", "LIST", OPT_OP, "map,unmap,pair (default: all)"),
		CMP_OPT("path", "LIST", OPT_PATH, "only these paths"),
		CMP_OPT("api", "LIST", OPT_API,
			"only these apis (comparing runs); any api name a run holds (page, phys, phys_page, ...)"),
		CMP_OPT("format", "FMT", OPT_FORMAT,
			"text (default: plain ASCII, under 80 columns, for a mail), csv or md (a Markdown table)"),
		CMP_OPT("bootstrap", "N", OPT_BOOTSTRAP,
			"resamples for the interval (default 2000, at least 100)"),
		CMP_OPT("seed", "N", OPT_SEED,
			"of the resampling (default 1): same seed, same output"),
		CMP_OPT("threshold", "PCT", OPT_THRESHOLD,
			"smallest change called faster or slower (default 1)"),
		CMP_OPT("alpha", "P", OPT_ALPHA,
			"significance level after correction (default 0.05)"),
		OPT_FLAG("cross", &o->cross,
			 "compare runs that differ in unit, emulation, clock source or architecture (x86_64, aarch64) anyway, points matched whatever their unit, under a warning"),
		OPT_FLAG("workloads", &o->workloads,
			 "only the workload points (the only way to get them as csv)"),
		OPT_FLAG("attribution", &o->attribution,
			 "only the attribution of the traced calls (the only way to get it as csv); both sides need a trace.csv"),
		OPT_FLAG("summary", &o->summary,
			 "only the summary (text, csv or md)"),
		OPT_FLAG("no-attribution", &o->no_attribution,
			 "the text or md report without the attribution"),
		OPT_END
	};
	int ret;

	memset(o, 0, sizeof(*o));
	o->reps = 2000;
	o->seed = 1;
	o->threshold = 0.01;
	o->alpha = 0.05;
	ret = opt_parse(help, argc, argv, "compare", opts, head, tail);
	if (ret)
		return ret;
	if (check_opts(o, argc - optind))
		return -1;
	if (!o->within) {
		o->run[0] = argv[optind];
		o->run[1] = argv[optind + 1];
	}
	return 0;
}
