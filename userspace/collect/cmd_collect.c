// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench collect: merge parts from several boots into one run.
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "collect.h"
#include "meta.h"
#include "parse.h"

static const char usage[] =
"usage: dmabench collect [--out DIR] PARTDIR...\n"
"\n"
"Merge parts written by 'dmabench micro --part' (one per boot: e.g. the\n"
"direct, swiotlb and iommu boots of one kernel) into one run directory\n"
"<out>/<date>-<release>-<random>/, named after the first part's kernel.\n"
"Boots keep the order of the parts; rows get their boot renumbered, and\n"
"samples go to samples/boot<N>/.  Parts in different units are refused.\n"
"Prints the run directory's path as the last line.\n"
"\n"
"  --out DIR     parent of run directories (default: results)\n"
"  -h, --help    this text\n";

static const struct option options[] = {
	{ "out",	required_argument, NULL, 'o' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_collect(int argc, char **argv)
{
	const char *out = "results";
	char final[PATH_MAX];
	int c, err;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":ho:", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'o':
			out = optarg;
			break;
		default:
			opt_complain(c, argv, options, "collect");
			return EXIT_USAGE;
		}
	}
	if (optind == argc) {
		warnx("collect: name at least one part directory (see dmabench collect --help)");
		return EXIT_USAGE;
	}
	err = collect_merge(out, argv + optind, argc - optind,
			    dmabench_command ? dmabench_command : "dmabench collect",
			    final, sizeof(final));
	if (err) {
		warnx("collect: nothing written (%s)", strerror(-err));
		return 1;
	}
	printf("%s\n", final);
	return 0;
}
