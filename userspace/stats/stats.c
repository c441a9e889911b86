// SPDX-License-Identifier: GPL-2.0
/*
 * Order statistics of one operation's samples.
 *
 * Quantiles use linear interpolation between the two closest ranks
 * (Hyndman & Fan type 7, the default of R and numpy): on the sorted
 * values x[0..n-1], q(p) = x[k] + f * (x[k+1] - x[k]) where k + f is
 * (n - 1) * p.  p is given in permille so that k and f are exact.
 */
#include <errno.h>
#include <stdlib.h>

#include "stats.h"

const char stats_quantile_method[] =
	"linear interpolation between closest ranks (Hyndman-Fan type 7, "
	"numpy's default): on the sorted values x[0..n-1], "
	"q(p) = x[k] + f * (x[k+1] - x[k]) with k + f = (n - 1) * p; "
	"median = q(0.5), p90 = q(0.9), p99 = q(0.99); mean is the arithmetic mean";

double stats_quantile(const double *sorted, size_t n, unsigned int permille)
{
	unsigned long long pos = (unsigned long long)(n - 1) * permille;
	size_t k = pos / 1000;
	double f = (double)(pos % 1000) / 1000.0;

	if (k + 1 >= n)
		return sorted[n - 1];
	return sorted[k] + f * (sorted[k + 1] - sorted[k]);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

/* Fill st from the n values in v; sorts v in place. */
int stats_compute(double *v, size_t n, struct stats *st)
{
	long double sum = 0;

	if (n == 0)
		return -EINVAL;
	stats_sort(v, n);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	st->n = n;
	st->min = v[0];
	st->max = v[n - 1];
	st->median = stats_quantile(v, n, 500);
	st->p90 = stats_quantile(v, n, 900);
	st->p99 = stats_quantile(v, n, 990);
	st->mean = (double)(sum / n);
	return 0;
}

size_t stats_min_n(unsigned int permille)
{
	if (permille >= 1000)
		return (size_t)-1;
	return (STATS_MIN_TAIL * 1000 + (1000 - permille) - 1) /
	       (1000 - permille);
}
