// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench verdict: options, the runs, and VERDICT.md written whole or
 * not at all (verdict.c has the figures and the text).
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "names.h"
#include "parse.h"
#include "util.h"
#include "verdict.h"

static const char head[] =
"usage: dmabench verdict --da RUN --db RUN --sa RUN --sb RUN [--cpu RUN]\n"
"                        [--size N] [--dir DIR] [--out FILE]\n"
"\n"
"Write VERDICT.md: plain text in 79 columns, to quote on a mailing list,\n"
"from four runs that carry traces (trace.csv, from make vm-trace):\n"
"\n";

/* Between the runs and the other options. */
static const char how[] =
"For every path: per api (page, phys, phys_page, then any other traced;\n"
"'-' where a kernel lacks it) the instructions of one traced map and\n"
"unmap call on each kernel, and the attribution of page's change\n"
"DA -> DB per op (map, unmap, pair):\n"
"\n"
"  W   = T(SB,page) - T(SB,phys): the page->phys wrapper, the series\n"
"  Sd  = the deltas SA -> SB of functions in DMA-mapping code (the table\n"
"        of dmasyms.c) minus W: the rest of the dma_map_phys() dispatch\n"
"  So  = the other deltas SA -> SB, the largest functions named\n"
"  C   = (T(DB) - T(DA)) - (T(SB) - T(SA)): Debian's configuration\n"
"        against the shared one\n"
"\n"
"W + Sd + So + C = T(DB) - T(DA) exactly, checked for every figure.\n"
"Runs are named in the header, with labels DA, DB, SA, SB, CPU after.\n";

enum { OPT_SIZE, OPT_DIR };

struct vopts {
	struct verdict *v;
	const char *out;
};

static int one(void *ctx, int c, char *arg)
{
	struct vopts *o = ctx;
	struct verdict *v = o->v;
	uint64_t n;

	switch (c) {
	case OPT_SIZE:
		if (opt_uint("size", arg, 1, UINT64_MAX, &n))
			return -1;
		v->size = n;
		return 0;
	case OPT_DIR:
		for (int i = 0; i < DIR_COUNT; i++) {
			if (!strcmp(arg, dir_names[i])) {
				v->dir = dir_names[i];
				return 0;
			}
		}
		warnx("--dir %s: choose to_device, from_device or bidirectional",
		      arg);
		return -1;
	}
	return -1;
}

/* The text into out (a file written whole, or - for stdout). */
static int write_out(const struct verdict *v, const char *out)
{
	char tmp[4096];
	FILE *f;
	int err;

	if (!strcmp(out, "-")) {
		err = vd_print(v, stdout);
		return err ? err : (fflush(stdout) ? -EIO : 0);
	}
	if (fmt_buf(tmp, sizeof(tmp), "%s.tmp", out))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f) {
		err = -errno;
		warn("%s", tmp);
		return err;
	}
	err = vd_print(v, f);
	if (fclose(f) && !err) {
		warn("%s", tmp);
		err = -EIO;
	}
	if (!err && rename(tmp, out)) {
		err = -errno;
		warn("%s", out);
	}
	if (err)
		remove(tmp);
	else
		fprintf(stderr, "verdict: wrote %s\n", out);
	return err;
}

int cmd_verdict(int argc, char **argv)
{
	struct verdict v = { .size = 4096, .dir = "to_device" };
	struct vopts o = { .v = &v, .out = "VERDICT.md" };
	/* The runs first, in the order of VD_DA to VD_SB. */
	const struct opt opts[] = {
		OPT_STRING("da", "RUN", &v.r[VD_DA].dir,
			   "Debian's 6.12 kernel (before dma_map_phys)"),
		OPT_STRING("db", "RUN", &v.r[VD_DB].dir,
			   "Debian's 7.3 kernel (dma_map_page_attrs wraps dma_map_phys)"),
		OPT_STRING("sa", "RUN", &v.r[VD_SA].dir,
			   "6.12 built from source with the shared configuration"),
		OPT_STRING("sb", "RUN", &v.r[VD_SB].dir,
			   "7.3 built from source with the same configuration"),
		OPT_STRING("cpu", "RUN", &v.r[VD_CPU].dir,
			   "optional: Debian's 7.3 on another CPU model; a line per path says whether the model changed DB's totals"),
		OPT_HEAD(how),
		OPT_FN("size", "N", one, &o, OPT_SIZE,
		       "the traced point's size in bytes (default 4096)"),
		OPT_FN("dir", "DIR", one, &o, OPT_DIR,
		       "its direction (default to_device)"),
		OPT_STRING("out", "FILE", &o.out,
			   "where to write (default VERDICT.md; - for stdout)"),
		OPT_END
	};
	int ret, err;

	ret = opt_parse(stdout, argc, argv, "verdict", opts, head, "");
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	if (optind < argc) {
		warnx("unexpected argument '%s' (see dmabench verdict --help)",
		      argv[optind]);
		return EXIT_USAGE;
	}
	for (int i = VD_DA; i <= VD_SB; i++) {
		if (!v.r[i].dir) {
			warnx("--%s RUN is missing: the verdict needs DA, DB, SA and SB (see --help)",
			      opts[i].name);
			return EXIT_USAGE;
		}
	}
	err = vd_load(&v);
	if (!err)
		err = write_out(&v, o.out);
	vd_free(&v);
	return err ? 1 : 0;
}
