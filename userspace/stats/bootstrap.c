// SPDX-License-Identifier: GPL-2.0
/*
 * Percentile bootstrap of median(b) / median(a).
 *
 * Each of reps rounds resamples a (na values drawn with replacement) and
 * b (nb values), and takes the ratio of the two resample medians; the
 * interval is the 2.5th and 97.5th percentiles of those ratios
 * (stats_quantile(), as everywhere else in dmabench).  Medians are the
 * type-7 medians of stats.c: the middle value, or the mean of the middle
 * two.  One xoshiro256** stream, seeded with seed, serves every draw, a's
 * before b's in each round, so the same seed gives the same interval.
 *
 * A resample's median is drawn without drawing the resample.  Drawing n
 * indices uniformly from 0..n-1 and taking the k-th smallest is, in
 * distribution, floor(n U(k)) where U(k) is the k-th smallest of n
 * uniforms on (0, 1), because floor(n U) of a uniform U is a uniform
 * index and floor keeps order; and U(k) ~ Beta(k, n - k + 1).  For even
 * n the (k+1)-th smallest is needed too: given U(k) = u, the n - k
 * uniforms above u are uniform on (u, 1), and the least of them is
 * u + (1 - u)(1 - V^(1/(n - k))) for V uniform on (0, 1).  a and b come
 * sorted, so the resample's median is a[floor(n U(k))] (averaged with the
 * next order statistic for even n): the same bootstrap distribution as
 * materialising each resample, at O(1) per round instead of O(n), which
 * is what makes 2000 rounds of 10000 samples at a thousand points take
 * seconds rather than minutes.  The unit tests check the sampler against
 * the exact distribution and against literal resampling.
 *
 * A sample whose values are all equal has that value as the median of
 * every resample; it is not drawn from.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "bootstrap.h"
#include "prng.h"
#include "stats.h"

/* Uniform on (0, 1), from 53 bits; never 0, for log() and pow(). */
static double unit_open(struct prng *r)
{
	return ((double)(prng_next(r) >> 11) + 0.5) * 0x1p-53;
}

/* Standard normal: Marsaglia's polar method, one of the pair kept. */
static double std_normal(struct prng *r)
{
	double u, v, s;

	do {
		u = 2 * unit_open(r) - 1;
		v = 2 * unit_open(r) - 1;
		s = u * u + v * v;
	} while (s >= 1);
	return u * sqrt(-2 * log(s) / s);
}

/* Gamma(a, 1) for a >= 1: Marsaglia and Tsang (2000). */
static double gamma_draw(struct prng *r, double a)
{
	double d = a - 1.0 / 3, c = 1 / sqrt(9 * d), x, v, u;

	for (;;) {
		do {
			x = std_normal(r);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = unit_open(r);
		if (u < 1 - 0.0331 * x * x * x * x ||
		    log(u) < 0.5 * x * x + d * (1 - v + log(v)))
			return d * v;
	}
}

/* Beta(a, b), a and b >= 1, as X / (X + Y) of two gammas. */
static double beta_draw(struct prng *r, double a, double b)
{
	double x = gamma_draw(r, a);

	return x / (x + gamma_draw(r, b));
}

static size_t index_of(double u, size_t n)
{
	size_t i = (size_t)(u * (double)n);

	return i < n ? i : n - 1;
}

/* The median of one resample, with replacement, of sorted v[0..n-1]. */
double bootstrap_resample_median(const double *v, size_t n, struct prng *r)
{
	size_t k = (n + 1) / 2;	/* 1-based; lower middle if even */
	double u, lo;

	if (v[0] == v[n - 1])
		return v[0];
	u = beta_draw(r, (double)k, (double)(n - k + 1));
	lo = v[index_of(u, n)];
	if (n % 2)
		return lo;
	u += (1 - u) * (1 - pow(unit_open(r), 1.0 / (double)(n - k)));
	/* the mean of the two, as stats_quantile() has it */
	return lo + 0.5 * (v[index_of(u, n)] - lo);
}

/*
 * ci receives the interval of median(b) / median(a), a and b sorted;
 * -EDOM (and NaNs) if a resample of a has median 0: no ratio there.
 */
int bootstrap_median_ratio(const double *a, size_t na, const double *b,
			   size_t nb, unsigned int reps, uint64_t seed,
			   struct boot_ci *ci)
{
	unsigned int tail = (1000 - BOOT_LEVEL_PERMILLE) / 2;
	double *ratio, ma, mb;
	struct prng r;
	int err = 0;

	ci->lo = ci->hi = NAN;
	if (!na || !nb || !reps)
		return -EINVAL;
	ratio = malloc(reps * sizeof(*ratio));
	if (!ratio)
		return -ENOMEM;
	prng_seed(&r, seed);
	for (unsigned int i = 0; i < reps && !err; i++) {
		ma = bootstrap_resample_median(a, na, &r);
		mb = bootstrap_resample_median(b, nb, &r);
		if (ma == 0)
			err = -EDOM;
		else
			ratio[i] = mb / ma;
	}
	if (!err) {
		stats_sort(ratio, reps);
		ci->lo = stats_quantile(ratio, reps, tail);
		ci->hi = stats_quantile(ratio, reps, 1000 - tail);
	}
	free(ratio);
	return err;
}
