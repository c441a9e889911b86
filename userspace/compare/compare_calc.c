// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: the statistics of each point, and the verdict.
 *
 * A side's samples at a point are the raw samples of all its rows there
 * (one row per run, or per boot if a run measured the point twice),
 * pooled.  The medians, the Mann-Whitney test and the bootstrap all work
 * on the pooled samples; each row's own median is kept for the spread
 * between runs, which pooling hides: boots of one kernel can differ by
 * more than the samples within a boot do, and then the pooled p-value is
 * too small.  The spread is printed so that a reader can see it.
 *
 * Each point's bootstrap stream is seeded from --seed and the point's
 * key, so a point gets the same interval whatever else is in the table.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "compare.h"
#include "holm.h"
#include "prng.h"
#include "stats.h"

/*
 * faster or slower only if all three hold: the adjusted p is below alpha
 * (the difference is unlikely to be sampling noise), |change| is above
 * the threshold (it is large enough to matter), and the interval lies
 * wholly on the side of the change (its size is pinned down).
 */
enum cmp_verdict cmp_verdict(double p_holm, double change, double lo,
			     double hi, double alpha, double threshold)
{
	if (!isfinite(change))
		return CMP_NA;
	if (!(p_holm < alpha) || !(fabs(change) > threshold))
		return CMP_SAME;
	if (change > 0 && lo > 0)
		return CMP_SLOWER;
	if (change < 0 && hi < 0)
		return CMP_FASTER;
	return CMP_SAME;
}

/* FNV-1a of the key, mixed with the seed by splitmix64. */
uint64_t cmp_point_seed(uint64_t seed, const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	h ^= seed;
	return splitmix64(&h);
}

/* A row's median from its samples should be the one summary.csv has. */
static void check_median(const struct cmp_occ *o, double median)
{
	double want = o->row->median;

	if (isnan(want) || fabs(median - want) <= 0.001 + 1e-9 * fabs(want))
		return;
	warnx("warning: %s: %s: the samples' median is %g, summary.csv says %g",
	      o->run->dir, o->row->samples, median, want);
}

/* Pool the usable rows' samples of side s; note each row's median. */
static int pool_side(const struct cmp_point *p, int s, struct cmp_stats *st,
		     double **pool)
{
	size_t n = 0, k;
	double *v, *tmp, med;
	int err;

	*pool = NULL;
	st->runs[s] = 0;
	for (size_t i = 0; i < p->nocc[s]; i++) {
		const struct cmp_occ *o = &p->occ[s][i];

		if (!o->row->usable)
			continue;
		err = cmp_read_samples(o->run, o->row, &v, &k);
		if (err)
			return err;
		stats_sort(v, k);
		med = stats_quantile(v, k, 500);
		check_median(o, med);
		if (!st->runs[s] || med < st->run_min[s])
			st->run_min[s] = med;
		if (!st->runs[s] || med > st->run_max[s])
			st->run_max[s] = med;
		st->runs[s]++;
		tmp = realloc(*pool, (n + k) * sizeof(*tmp));
		if (!tmp) {
			free(v);
			return -ENOMEM;
		}
		memcpy(tmp + n, v, k * sizeof(*v));
		*pool = tmp;
		n += k;
		free(v);
	}
	stats_sort(*pool, n);
	st->n[s] = n;
	st->median[s] = stats_quantile(*pool, n, 500);
	return 0;
}

static int analyse_point(const struct compare *c, struct cmp_point *p)
{
	struct cmp_stats *st = &p->st;
	double *v[2] = { NULL, NULL };
	struct boot_ci ci;
	int err;

	err = pool_side(p, 0, st, &v[0]);
	if (!err)
		err = pool_side(p, 1, st, &v[1]);
	if (!err)
		err = mwu_test(v[0], st->n[0], v[1], st->n[1], &st->mwu);
	st->change = st->lo = st->hi = NAN;
	if (!err && st->median[0] != 0) {
		st->change = st->median[1] / st->median[0] - 1;
		err = bootstrap_median_ratio(v[0], st->n[0], v[1], st->n[1],
					     c->o.reps,
					     cmp_point_seed(c->o.seed, p->key),
					     &ci);
		if (err == -EDOM)	/* a resample of A has median 0 */
			err = 0;
		st->lo = ci.lo - 1;
		st->hi = ci.hi - 1;
	}
	free(v[0]);
	free(v[1]);
	return err;
}

/* Holm over every point compared, then each one's verdict. */
static int adjust(struct compare *c)
{
	double *p;
	size_t k = 0;
	int err;

	p = malloc((c->ncompared ? c->ncompared : 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < c->npts; i++)
		if (c->pts[i].state == CMP_COMPARED)
			p[k++] = c->pts[i].st.mwu.p;
	err = holm_adjust(p, k, p);
	k = 0;
	for (size_t i = 0; i < c->npts && !err; i++) {
		struct cmp_stats *st = &c->pts[i].st;

		if (c->pts[i].state != CMP_COMPARED)
			continue;
		st->p_holm = p[k++];
		st->verdict = cmp_verdict(st->p_holm, st->change, st->lo,
					  st->hi, c->o.alpha, c->o.threshold);
	}
	free(p);
	return err;
}

int cmp_analyse(struct compare *c)
{
	int err = 0;

	c->ncompared = 0;
	for (size_t i = 0; i < c->npts && !err; i++) {
		if (c->pts[i].state != CMP_COMPARED)
			continue;
		err = analyse_point(c, &c->pts[i]);
		c->ncompared++;
	}
	return err ? err : adjust(c);
}
