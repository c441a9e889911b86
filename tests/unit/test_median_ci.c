// SPDX-License-Identifier: GPL-2.0
/*
 * The confidence interval of the median, MAD and the wide-ci flag.
 *
 * Expected values were computed independently: binomial tails with
 * Python's math.comb, and the n = 21 interval also by 200000 bootstrap
 * resamples (2.5 % and 97.5 % quantiles of their medians: 7 and 15).
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"
#include "tap.h"
#include "util.h"

/* 1, 2, ..., n */
static double *ramp(size_t n)
{
	double *v = malloc(n * sizeof(*v));

	for (size_t i = 0; v && i < n; i++)
		v[i] = i + 1;
	return v;
}

static void tails(void)
{
	/* n = 5, m = 3: worked by hand in stats_ci.c */
	ok(fabs(stats_binom_tail(5, 0.2, 3) - 0.05792) < 1e-12, "P(B(5,.2) >= 3)");
	ok(fabs(stats_binom_tail(5, 0.8, 3) - 0.94208) < 1e-12, "P(B(5,.8) >= 3)");
	is_num(stats_binom_tail(5, 1, 3), 1, "p = 1: certain");
	is_num(stats_binom_tail(5, 0.5, 0), 1, "m = 0: certain");
	/* math.comb sum: P(B(1000, .5) >= 500) = 0.5126125090891804 */
	ok(fabs(stats_binom_tail(1000, 0.5, 500) - 0.5126125090891804) < 1e-10,
	   "large n in logs");
}

static void intervals(void)
{
	double v5[] = { 10, 20, 30, 40, 50 }, lo, hi;
	double *v;

	ok(!stats_median_ci(v5, 5, &lo, &hi) && lo == 10 && hi == 50,
	   "n = 5: [x(1), x(5)], by hand");
	v = ramp(21);
	ok(v && !stats_median_ci(v, 21, &lo, &hi) && lo == 7 && hi == 15,
	   "n = 21: [7, 15], as resampling gives");
	free(v);
	v = ramp(20);
	ok(v && !stats_median_ci(v, 20, &lo, &hi) && lo == 6 && hi == 14,
	   "n = 20 (lower median): [6, 14]");
	free(v);
	v = ramp(100);
	ok(v && !stats_median_ci(v, 100, &lo, &hi) && lo == 40 && hi == 60,
	   "n = 100: [40, 60]");
	free(v);
	ok(stats_median_ci(v5, 0, &lo, &hi) != 0, "n = 0 refused");
}

/* 30000 values, as three ops of 10000 samples: fast and deterministic. */
static void big(void)
{
	double *v = ramp(30000), lo, hi, lo2, hi2, t0;

	if (!v)
		return;
	t0 = now_seconds();
	stats_median_ci(v, 30000, &lo, &hi);
	stats_median_ci(v, 30000, &lo2, &hi2);
	ok(now_seconds() - t0 < 0.5, "n = 30000 twice well under a second");
	ok(lo == lo2 && hi == hi2 && lo < 15000 && hi > 15001 &&
	   hi - lo < 400, "n = 30000: same answer twice, narrow, around the median");
	free(v);
}

static void mad_and_flag(void)
{
	double v[] = { 1, 2, 3, 4, 100 }, scratch[5];

	/* |x - 3| = 2 1 0 1 97: sorted 0 1 1 2 97, median 1 */
	is_num(stats_mad(v, 5, 3, scratch), 1, "MAD ignores the outlier");
	/* |x - 2.5| of 1 2 3 4 = 1.5 .5 .5 1.5: median 1 */
	is_num(stats_mad(v, 4, 2.5, scratch), 1, "MAD of even n interpolates");
	is_str(stats_ci_flag(100, 99, 101), "", "2 % wide exactly: no flag");
	is_str(stats_ci_flag(100, 99, 101.5), "wide-ci", "2.5 % wide: wide-ci");
	is_str(stats_ci_flag(0, 0, 0), "", "zero median, zero width: no flag");
	is_str(stats_ci_flag(0, 0, 1), "wide-ci", "zero median, some width: wide-ci");
}

void test_median_ci(void)
{
	tails();
	intervals();
	big();
	mad_and_flag();
}
