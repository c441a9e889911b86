/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A latency histogram in nanoseconds with log-linear buckets, filled one
 * value at a time from a timed loop.
 *
 * A value below 64 has a bucket of its own.  From 64 up, each power of two
 * [2^k, 2^(k+1)) is cut into 64 buckets of equal width 2^(k-6), so a
 * bucket is never wider than 1/64 of its lower bound.  The count, min, max
 * and mean are exact.  A percentile is the nearest-rank value's bucket,
 * read at the bucket's middle and kept within [min, max]: within 0.8% of
 * the exact nearest-rank value of the same data.
 */
#ifndef DMABENCH_LATHIST_H
#define DMABENCH_LATHIST_H

#include <stdint.h>
#include <stdio.h>

#define LATHIST_SUB_BITS	6
#define LATHIST_SUB		(1U << LATHIST_SUB_BITS)
/* One group of LATHIST_SUB buckets below 64, then one per power of two. */
#define LATHIST_BUCKETS		((64 - LATHIST_SUB_BITS + 1) * LATHIST_SUB)

struct lathist {
	uint64_t n;
	uint64_t sum;
	uint64_t min;		/* UINT64_MAX while empty */
	uint64_t max;
	uint64_t count[LATHIST_BUCKETS];
};

/* How percentiles are read from the buckets, for the record. */
extern const char lathist_method[];

static inline unsigned int lathist_bucket(uint64_t v)
{
	unsigned int shift;

	if (v < LATHIST_SUB)
		return v;
	shift = 63 - __builtin_clzll(v) - LATHIST_SUB_BITS;
	return ((shift + 1) << LATHIST_SUB_BITS) + (unsigned int)(v >> shift) -
	       LATHIST_SUB;
}

/* The timed loop's only call: no division, no allocation, no call. */
static inline void lathist_add(struct lathist *h, uint64_t v)
{
	h->count[lathist_bucket(v)]++;
	h->n++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void lathist_reset(struct lathist *h);
/* The values of bucket i are lo <= v < hi (hi saturates at UINT64_MAX). */
void lathist_bounds(unsigned int i, uint64_t *lo, uint64_t *hi);
/* The nearest-rank quantile, 0 to 1000 per mille; NAN when empty. */
double lathist_quantile(const struct lathist *h, unsigned int permille);
double lathist_mean(const struct lathist *h);
/* CSV lo_ns,hi_ns,count of the buckets that are not empty. */
int lathist_write_csv(const struct lathist *h, FILE *f);

#endif
