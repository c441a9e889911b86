// SPDX-License-Identifier: GPL-2.0
/*
 * Latency histogram: bucket bounds, percentiles, mean, the CSV file.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "lathist.h"

const char lathist_method[] =
	"log-linear histogram, 64 buckets per power of two (width <= 1/64 of "
	"the lower bound); nearest rank, read at the bucket's middle, clamped "
	"to the exact min and max";

void lathist_reset(struct lathist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void lathist_bounds(unsigned int i, uint64_t *lo, uint64_t *hi)
{
	unsigned int shift;

	if (i < LATHIST_SUB) {
		*lo = i;
		*hi = i + 1;
		return;
	}
	shift = (i >> LATHIST_SUB_BITS) - 1;
	*lo = (uint64_t)(LATHIST_SUB + (i & (LATHIST_SUB - 1))) << shift;
	*hi = *lo + ((uint64_t)1 << shift);
	if (*hi < *lo)
		*hi = UINT64_MAX;
}

double lathist_quantile(const struct lathist *h, unsigned int permille)
{
	uint64_t rank, seen = 0, lo, hi;
	double v;

	if (!h->n)
		return NAN;
	if (permille >= 1000)
		return h->max;
	rank = (permille * h->n + 999) / 1000;
	if (rank < 1)
		return h->min;
	for (unsigned int i = 0; i < LATHIST_BUCKETS; i++) {
		seen += h->count[i];
		if (seen < rank)
			continue;
		lathist_bounds(i, &lo, &hi);
		v = lo + (double)(hi - 1 - lo) / 2;
		if (v < h->min)
			v = h->min;
		if (v > h->max)
			v = h->max;
		return v;
	}
	return h->max;
}

double lathist_mean(const struct lathist *h)
{
	return h->n ? (double)h->sum / h->n : NAN;
}

int lathist_write_csv(const struct lathist *h, FILE *f)
{
	uint64_t lo, hi;

	fputs("lo_ns,hi_ns,count\n", f);
	for (unsigned int i = 0; i < LATHIST_BUCKETS; i++) {
		if (!h->count[i])
			continue;
		lathist_bounds(i, &lo, &hi);
		fprintf(f, "%llu,%llu,%llu\n", (unsigned long long)lo,
			(unsigned long long)hi,
			(unsigned long long)h->count[i]);
	}
	return ferror(f) ? -EIO : 0;
}
