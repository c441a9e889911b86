// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: two kernels, or two apis, point by point.
 *
 * Order of business: options, the runs of each side, whether they may be
 * compared, the points, their statistics, the report.  Nothing is
 * written but the report, on stdout; problems go to stderr.
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compare.h"
#include "names.h"

/* Split a comma list of run directories and load each. */
static int load_side(struct compare *c, int side)
{
	char *copy, *item, *save = NULL;
	int err = 0;

	copy = strdup(c->o.run[side]);
	c->runs[side] = calloc(CMP_MAX_RUNS, sizeof(*c->runs[side]));
	if (!copy || !c->runs[side]) {
		free(copy);
		return -ENOMEM;
	}
	for (item = strtok_r(copy, ",", &save); item && !err;
	     item = strtok_r(NULL, ",", &save)) {
		if (c->nruns[side] == CMP_MAX_RUNS) {
			warnx("more than %d runs on side %c", CMP_MAX_RUNS,
			      side ? 'B' : 'A');
			err = -E2BIG;
			break;
		}
		/* the attribution needs traces, not summaries */
		err = cmp_load_run_opt(&c->runs[side][c->nruns[side]++], item,
				       !c->o.attribution);
	}
	if (!err && !c->nruns[side]) {
		warnx("'%s': name a run directory", c->o.run[side]);
		err = -EINVAL;
	}
	free(copy);
	return err;
}

static int load(struct compare *c)
{
	int err;

	err = load_side(c, 0);
	if (err)
		return err;
	if (c->o.within) {
		c->runs[1] = c->runs[0];
		c->nruns[1] = c->nruns[0];
		return 0;
	}
	err = load_side(c, 1);
	return err;
}

static void cleanup(struct compare *c)
{
	for (int s = 0; s < (c->o.within ? 1 : 2); s++) {
		at_free(&c->trace[s]);
		for (size_t i = 0; c->runs[s] && i < c->nruns[s]; i++)
			cmp_free_run(&c->runs[s][i]);
		free(c->runs[s]);
	}
	for (size_t i = 0; i < c->npts; i++) {
		free(c->pts[i].occ[0]);
		free(c->pts[i].occ[1]);
	}
	free(c->pts);
}

static int report(const struct compare *c, FILE *out)
{
	if (c->mismatch[0])
		warnx("WARNING: --cross: %s: the figures are not comparable",
		      c->mismatch);
	if (c->o.workloads)
		return cmp_print_workloads(c, out);
	if (c->o.attribution)
		return cmp_print_attribution(c, out);
	if (c->o.summary) {
		cmp_print_summary(c, out);
		return 0;
	}
	switch (c->o.format) {
	case CMP_TEXT:
		cmp_print_text(c, out);
		break;
	case CMP_CSV:
		cmp_print_csv(c, out);
		break;
	case CMP_MD:
		cmp_print_md(c, out);
		break;
	}
	/* the csv holds one table: the attribution is --attribution's */
	if (c->o.format != CMP_CSV && !c->o.no_attribution &&
	    cmp_has_traces(c)) {
		int err = cmp_print_attribution(c, out);

		if (err)
			return err;
	}
	if (c->o.within || c->o.format == CMP_CSV)
		return 0;
	return cmp_print_workloads(c, out);
}

/* Across machines the op is pair unless --op says otherwise. */
static void fleet_ops(struct cmp_opts *o)
{
	for (int i = 0; i < OP_COUNT && !o->ops; i++)
		if (!strcmp(op_names[i], "pair"))
			o->ops = 1U << i;
}

/* The command, printing its report to out; returns the exit status. */
int compare_main(int argc, char **argv, FILE *out)
{
	struct compare *c;
	int ret, err;

	c = calloc(1, sizeof(*c));
	if (!c) {
		warnx("out of memory");
		return 1;
	}
	ret = cmp_parse(argc, argv, &c->o, out);
	if (ret) {
		free(c);
		return ret > 0 ? 0 : EXIT_USAGE;
	}
	c->traced[0] = c->traced[1] = -1;
	err = load(c);
	if (!err && cmp_is_fleet(c)) {
		fleet_ops(&c->o);
		err = cmp_print_fleet(c, out);
		goto done;
	}
	if (!err)
		err = cmp_load_traces(c);
	if (!err)
		err = cmp_check_runs(c);
	if (!err)
		err = cmp_match(c);
	if (!err)
		err = cmp_analyse(c);
	if (!err)
		err = report(c, out);
done:
	if (err == -ENOMEM)
		warnx("out of memory");
	if (!err && fflush(out)) {
		warn("writing the report");
		err = -EIO;
	}
	cleanup(c);
	free(c);
	return err ? 1 : 0;
}

int cmd_compare(int argc, char **argv)
{
	return compare_main(argc, argv, stdout);
}
