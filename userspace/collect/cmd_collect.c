// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench collect: merge parts from several boots into one run.
 */
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "collect.h"
#include "meta.h"
#include "parse.h"

static const char head[] =
"usage: dmabench collect [--out DIR] PARTDIR...\n"
"\n"
"Merge parts written by 'dmabench micro --part' (one per boot: e.g. the\n"
"direct, swiotlb and iommu boots of one kernel) into one run directory\n"
"<out>/<date>-<release>-<random>/, named after the first part's kernel.\n"
"Boots keep the order of the parts; rows get their boot renumbered, and\n"
"samples go to samples/boot<N>/.  Parts in different units are refused.\n"
"Prints the run directory's path as the last line.\n"
"\n";

int cmd_collect(int argc, char **argv)
{
	const char *out = "results";
	const struct opt opts[] = {
		{ .name = "out", .letter = 'o', .arg = "DIR", .kind = OPT_STR,
		  .store = &out,
		  .help = "parent of run directories (default: results)" },
		OPT_END
	};
	char final[PATH_MAX];
	int ret, err;

	ret = opt_parse(stdout, argc, argv, "collect", opts, head, "");
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
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
