// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: the facts that head a report, the same in text and
 * Markdown: what A and B are, on which machine, in which unit, and how
 * each column was computed.  A reader of a pasted table has nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "compare.h"

static struct cmp_fact *add(struct cmp_fact *f, int *n, const char *key)
{
	struct cmp_fact *x = &f[*n];

	if (*n < CMP_MAX_FACTS - 1)
		(*n)++;
	snprintf(x->key, sizeof(x->key), "%s", key);
	x->text[0] = '\0';
	return x;
}

static void run_names(const struct compare *c, int side, char *buf,
		      size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->nruns[side] && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				c->runs[side][i].name);
}

static void sides(const struct compare *c, struct cmp_fact *f, int *n)
{
	char rel[2][300];

	for (int s = 0; s < 2; s++)
		cmp_releases(c, s, rel[s], sizeof(rel[s]));
	if (c->o.within) {
		snprintf(add(f, n, "A:")->text, sizeof(f->text), "api %s",
			 c->o.api[0]);
		snprintf(add(f, n, "B:")->text, sizeof(f->text),
			 "api %s, in the same run%s", c->o.api[1],
			 c->nruns[0] > 1 ? "s" : "");
		snprintf(add(f, n, "kernel:")->text, sizeof(f->text), "%s",
			 rel[0]);
		run_names(c, 0, add(f, n, c->nruns[0] > 1 ? "runs:" : "run:")->text,
			  sizeof(f->text));
		return;
	}
	snprintf(add(f, n, "A:")->text, sizeof(f->text), "kernel %s", rel[0]);
	snprintf(add(f, n, "B:")->text, sizeof(f->text), "kernel %s", rel[1]);
	run_names(c, 0, add(f, n, "A runs:")->text, sizeof(f->text));
	run_names(c, 1, add(f, n, "B runs:")->text, sizeof(f->text));
}

static const char *emulated(const struct cmp_run *r)
{
	return r->emulated ? "emulated" : "not emulated";
}

static void machine(const struct compare *c, struct cmp_fact *f, int *n)
{
	const struct cmp_run *a = &c->runs[0][0], *b = &c->runs[1][0];
	char cpu[2][300];

	cmp_cpus(c, 0, cpu[0], sizeof(cpu[0]));
	cmp_cpus(c, 1, cpu[1], sizeof(cpu[1]));
	if (!strcmp(cpu[0], cpu[1]) && a->emulated == b->emulated)
		snprintf(add(f, n, "machine:")->text, sizeof(f->text), "%s, %s",
			 cpu[0], emulated(a));
	else
		snprintf(add(f, n, "machine:")->text, sizeof(f->text),
			 "A: %s, %s; B: %s, %s", cpu[0], emulated(a), cpu[1],
			 emulated(b));
	if (!strcmp(a->unit, b->unit) && !strcmp(a->clock, b->clock))
		snprintf(add(f, n, "unit:")->text, sizeof(f->text),
			 "%s (clock %s)", a->unit, a->clock);
	else
		snprintf(add(f, n, "unit:")->text, sizeof(f->text),
			 "A: %s (clock %s); B: %s (clock %s)", a->unit, a->clock,
			 b->unit, b->clock);
}

static const char *points(size_t n)
{
	return n == 1 ? "point" : "points";
}

static void tests(const struct compare *c, struct cmp_fact *f, int *n)
{
	size_t count[3] = { 0, 0, 0 };

	for (size_t i = 0; i < c->npts; i++)
		if (c->pts[i].state == CMP_COMPARED)
			count[c->pts[i].st.mwu.method]++;
	snprintf(add(f, n, "p Holm:")->text, sizeof(f->text),
		 "Mann-Whitney U, two-sided, Holm-Bonferroni adjusted over the %zu %s compared",
		 c->ncompared, points(c->ncompared));
	if (count[MWU_NORMAL])
		snprintf(add(f, n, "")->text, sizeof(f->text),
			 "%zu %s: normal approximation, tie and continuity corrected",
			 count[MWU_NORMAL], points(count[MWU_NORMAL]));
	if (count[MWU_EXACT])
		snprintf(add(f, n, "")->text, sizeof(f->text),
			 "%zu %s: exact (both sides at most %d samples)",
			 count[MWU_EXACT], points(count[MWU_EXACT]),
			 MWU_EXACT_MAX);
	if (count[MWU_CONSTANT])
		snprintf(add(f, n, "")->text, sizeof(f->text),
			 "%zu %s: every sample equal on each side, so p = 0 where the medians differ, else 1",
			 count[MWU_CONSTANT], points(count[MWU_CONSTANT]));
}

static void method(const struct compare *c, struct cmp_fact *f, int *n)
{
	bool pooled = cmp_pooled(c);

	snprintf(add(f, n, "median:")->text, sizeof(f->text),
		 "of each side's raw samples%s; change = B/A - 1, below 0 when B is faster",
		 pooled ? ", pooled over its runs" : "");
	snprintf(add(f, n, "95% CI:")->text, sizeof(f->text),
		 "of the change, in %%: percentile bootstrap of the medians, %u resamples of each side, seed %llu",
		 c->o.reps, (unsigned long long)c->o.seed);
	tests(c, f, n);
	snprintf(add(f, n, "verdict:")->text, sizeof(f->text),
		 "faster or slower (B against A) when p Holm < %g, |change| > %g%% and the CI excludes 0; else same",
		 c->o.alpha, c->o.threshold * 100);
	if (pooled)
		snprintf(add(f, n, "spread:")->text, sizeof(f->text),
			 "the lowest and highest of the medians of the runs pooled on each side, and how many; the pooled p ignores the variation between runs that this shows");
}

/* The facts, in order; returns how many (at most CMP_MAX_FACTS). */
int cmp_facts(const struct compare *c, struct cmp_fact *f)
{
	int n = 0;

	sides(c, f, &n);
	machine(c, f, &n);
	method(c, f, &n);
	return n;
}
