/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Order statistics of one operation's samples.
 */
#ifndef DMABENCH_STATS_H
#define DMABENCH_STATS_H

#include <stddef.h>

struct stats {
	size_t n;
	double min;
	double median;
	double p90;
	double p99;
	double max;
	double mean;
};

/* How quantiles are computed, for the record (meta.json). */
extern const char stats_quantile_method[];

/* Sort n doubles ascending, in place (no NaN among them). */
void stats_sort(double *v, size_t n);
double stats_quantile(const double *sorted, size_t n, unsigned int permille);
/*
 * How many samples a quantile needs before it is reported: at least
 * STATS_MIN_TAIL on each side of it, n * (1 - q) >= 10 (median 20, p90
 * 100, p99 1000, p99.9 10000).  The confidence interval of the median,
 * and the wide-ci flag drawn from it, need STATS_MIN_CI samples.
 */
#define STATS_MIN_TAIL	10
#define STATS_MIN_CI	100
size_t stats_min_n(unsigned int permille);
int stats_compute(double *v, size_t n, struct stats *st);

/* stats_ci.c: confidence interval of the median, MAD, the wide-ci flag. */
extern const char stats_ci_method[];

double stats_binom_tail(size_t n, double p, size_t m);
int stats_median_ci(const double *sorted, size_t n, double *low, double *high);
double stats_mad(const double *v, size_t n, double median, double *scratch);
const char *stats_ci_flag(double median, double low, double high);

#endif
