// SPDX-License-Identifier: GPL-2.0
/*
 * Spread of one operation's samples: a 95 % confidence interval of the
 * median, and the median absolute deviation.
 *
 * The interval is the bootstrap percentile interval, computed exactly
 * instead of by resampling.  On the sorted sample x(1) <= ... <= x(n), a
 * resample's median is its m-th smallest value, m = (n + 1) / 2 (for even
 * n the lower median, m = n / 2).  A resample value is <= x(i) with
 * probability i / n, independently for each of its n draws, so
 *
 *	P(median* <= x(i)) = P(Binomial(n, i / n) >= m).
 *
 * The interval is [x(lo), x(hi)] with lo and hi the smallest i for which
 * that probability reaches 0.025 and 0.975: the 2.5 % and 97.5 % quantiles
 * of the bootstrap distribution, with no random numbers and so the same
 * answer every time.  It takes O(n log n): two binary searches over i,
 * each step summing one binomial tail.
 *
 * Worked by hand, n = 5, x = 10 20 30 40 50, m = 3:
 *	i = 1, p = 0.2: P(B >= 3) = 10(.2^3)(.8^2) + 5(.2^4)(.8) + .2^5
 *	               = .0512 + .0064 + .00032 = .05792 >= .025: lo = 1
 *	i = 4, p = 0.8: P(B >= 3) = .2048 + .4096 + .32768 = .94208 < .975
 *	i = 5, p = 1:   1 >= .975: hi = 5
 * so the interval is [10, 50]: five values say little about their median.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "stats.h"

const char stats_ci_method[] =
	"ci_low, ci_high: 95 % bootstrap percentile interval of the median, "
	"computed exactly rather than by resampling: on the sorted values "
	"x(1..n), P(median* <= x(i)) = P(Binomial(n, i/n) >= m) with "
	"m = (n+1)/2, and the interval is [x(lo), x(hi)] for the smallest lo, "
	"hi where that reaches 0.025 and 0.975; for even n the resample's "
	"lower median (m = n/2) stands in for the median; "
	"mad = median of |x - median| (type 7 as above, not scaled to a sigma); "
	"flag = wide-ci when ci_high - ci_low > 2 % of the median";

/* P(Binomial(n, p) >= m), summed in logs so that n may be large. */
double stats_binom_tail(size_t n, double p, size_t m)
{
	double lp, lq, lnf, sum = 0, t;

	if (m == 0 || p >= 1)
		return 1;
	if (m > n || p <= 0)
		return 0;
	lp = log(p);
	lq = log1p(-p);
	lnf = lgamma((double)n + 1);
	for (size_t k = m; k <= n; k++) {
		t = exp(lnf - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) +
			k * lp + (n - k) * lq);
		sum += t;
		/* Past the mode the terms only shrink: stop once negligible. */
		if (k > n * p && t < sum * 1e-17)
			break;
	}
	return sum > 1 ? 1 : sum;
}

/* The smallest i in 1..n with P(Binomial(n, i/n) >= m) >= level. */
static size_t first_rank(size_t n, size_t m, double level)
{
	size_t lo = 1, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (stats_binom_tail(n, (double)mid / n, m) >= level)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

int stats_median_ci(const double *sorted, size_t n, double *low, double *high)
{
	size_t m;

	if (n == 0)
		return -EINVAL;
	m = n % 2 ? (n + 1) / 2 : n / 2;
	*low = sorted[first_rank(n, m, 0.025) - 1];
	*high = sorted[first_rank(n, m, 0.975) - 1];
	return 0;
}

/* Median of |x - median|; scratch holds n doubles. */
double stats_mad(const double *v, size_t n, double median, double *scratch)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		scratch[i] = fabs(v[i] - median);
	stats_sort(scratch, n);
	return stats_quantile(scratch, n, 500);
}

/* A point whose median is not pinned to within 2 %: "wide-ci", else "". */
const char *stats_ci_flag(double median, double low, double high)
{
	return high - low > 0.02 * fabs(median) ? "wide-ci" : "";
}
