// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench export: a run's figures for LKP, KCIDB or LAVA.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "parse.h"
#include "export.h"

static const char head[] =
"usage: dmabench export --format lkp|kcidb|lava [options] RUN\n"
"\n"
"Write the figures of the run directory RUN (summary.csv, workload.csv)\n"
"on stdout in the format of an engine that runs kernel tests:\n"
"\n"
"  lkp    'name: value' lines, as an LKP stats script prints them\n"
"         (configs/lkp/ has the job file and the parse script)\n"
"  kcidb  a KCIDB v4 JSON document: a checkout per kernel (release and\n"
"         version string), a build per kernel and configuration (a hash\n"
"         of the CONFIG_ options the run recorded), a test per point with\n"
"         its first figure and unit as its number, the rest under misc\n"
"  lava   lava-test-case NAME --result pass --measurement N --units U,\n"
"         one line per point and figure, to run with sh on the board\n"
"         (configs/lava/ has the test definition)\n"
"\n"
"A name is made of the point's own key: micro.API.PATH.SIZE.DIR, then\n"
"the parameters that differ from their defaults (tN threads, pattern,\n"
"bN batch, wsN working set, nentsN, offN, attrsN), then the op; a\n"
"counter row adds its counter; workload.TOOL.WORKLOAD.PATH.SIZE.qdN.bN,\n"
"completion, buffers, variant, tN.  Figures: median, p90, p99, min,\n"
"ci_low, ci_high, net_median with the unit as suffix (_ns, or _insn for\n"
"instruction counts), ops_per_s (ops_per_ginsn under -icount); workloads:\n"
"ops_per_s, mib_per_s, lat_p50/p99/mean, cpu_ns_per_op, kcycles_per_op,\n"
"kinstr_per_op, dma_share.  The same point has the same name in every\n"
"run.  A figure the run lacks is left out, never written as zero; a\n"
"point whose status is not ok has no figures (lava: --result skip for\n"
"unsupported and refused, fail otherwise; kcidb: SKIP or ERROR).\n"
"\n";

enum { OPT_FORMAT, OPT_PREFIX, OPT_ORIGIN, OPT_CHECKOUT, OPT_BUILD,
       OPT_TEST_ID };

/* A name part: 1 to 128 letters, digits, '_', '-' and '.'. */
static bool prefix_ok(const char *s)
{
	if (!*s || strlen(s) > 128)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.'))
			return false;
	return true;
}

/* A name part's option: its value checked against prefix_ok(). */
static int name_part(const char *opt, char *arg, const char **to)
{
	if (!prefix_ok(arg)) {
		warnx("--%s '%.40s': 1 to 128 letters, digits, '_', '-' and '.'",
		      opt, arg);
		return -1;
	}
	*to = arg;
	return 0;
}

/* One option of the table; non-zero refuses it (said why). */
static int one_opt(void *ctx, int c, char *arg)
{
	struct exp_opts *o = ctx;

	switch (c) {
	case OPT_FORMAT:
		o->have_format = true;
		if (!strcmp(arg, "lkp")) {
			o->format = EXP_LKP;
		} else if (!strcmp(arg, "kcidb")) {
			o->format = EXP_KCIDB;
		} else if (!strcmp(arg, "lava")) {
			o->format = EXP_LAVA;
		} else {
			warnx("--format %s: choose lkp, kcidb or lava", arg);
			return -1;
		}
		return 0;
	case OPT_PREFIX:
		return name_part("prefix", arg, &o->prefix);
	case OPT_ORIGIN:
		if (!exp_kcidb_word(arg)) {
			warnx("--origin %s: KCIDB wants [a-z0-9_]+", arg);
			return -1;
		}
		o->origin = arg;
		return 0;
	case OPT_CHECKOUT:
		return name_part("checkout", arg, &o->checkout_id);
	case OPT_BUILD:
		return name_part("build", arg, &o->build_id);
	case OPT_TEST_ID:
		return name_part("test-id", arg, &o->test_id);
	}
	return -1;
}

/* 0 to go on, 1 for --help (printed to help), -1 on an error (reported). */
#define EXP_OPT(n, a, k, h)	OPT_FN(n, a, one_opt, o, k, h)

static int parse(int argc, char **argv, struct exp_opts *o, FILE *help)
{
	const struct opt opts[] = {
		EXP_OPT("format", "FMT", OPT_FORMAT,
			"lkp, kcidb or lava (required)"),
		OPT_FLAG("micro", &o->micro,
			 "only the microbenchmark's points (summary.csv)"),
		OPT_FLAG("workloads", &o->workloads,
			 "only the workload points (workload.csv)"),
		EXP_OPT("prefix", "NAME", OPT_PREFIX,
			"put NAME. before every name (default: none for lkp and lava, whose engines add the suite's name; 'dmabench' for kcidb's test paths)"),
		EXP_OPT("origin", "NAME", OPT_ORIGIN,
			"kcidb: the submitting CI system, [a-z0-9_]+ (default dmabench)"),
		EXP_OPT("checkout", "ID", OPT_CHECKOUT,
			"kcidb: the checkout's id after 'ORIGIN:' (default RELEASE-HASH of the kernel's version string)"),
		EXP_OPT("build", "ID", OPT_BUILD,
			"kcidb: the build's id (default RELEASE-config-HASH)"),
		EXP_OPT("test-id", "ID", OPT_TEST_ID,
			"kcidb: tests are ORIGIN:ID.NAME (default: the run directory's name)"),
		OPT_END
	};
	int ret;

	memset(o, 0, sizeof(*o));
	o->origin = "dmabench";
	ret = opt_parse(help, argc, argv, "export", opts, head, "");
	if (ret)
		return ret;
	if (!o->have_format) {
		warnx("--format lkp, kcidb or lava is required (see dmabench export --help)");
		return -1;
	}
	if (argc - optind != 1) {
		warnx("name one run directory (see dmabench export --help)");
		return -1;
	}
	o->run = argv[optind];
	if (!o->micro && !o->workloads)
		o->micro = o->workloads = true;
	if (!o->prefix)
		o->prefix = o->format == EXP_KCIDB ? "dmabench" : "";
	return 0;
}

int export_main(int argc, char **argv, FILE *out)
{
	struct exp_opts o;
	struct exp_run r;
	int ret, err;

	ret = parse(argc, argv, &o, out);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	err = exp_load(&r, o.run, o.micro, o.workloads);
	if (!err)
		err = exp_check_names(&r);
	if (!err) {
		switch (o.format) {
		case EXP_LKP:
			exp_print_lkp(&r, &o, out);
			break;
		case EXP_LAVA:
			exp_print_lava(&r, &o, out);
			break;
		case EXP_KCIDB:
			err = exp_print_kcidb(&r, &o, out);
			break;
		}
	}
	if (err == -ENOMEM)
		warnx("out of memory");
	if (!err && (fflush(out) || ferror(out))) {
		warn("writing the export");
		err = -EIO;
	}
	exp_free(&r);
	return err ? 1 : 0;
}

int cmd_export(int argc, char **argv)
{
	return export_main(argc, argv, stdout);
}
