// SPDX-License-Identifier: GPL-2.0
/*
 * The Mann-Whitney U test, two-sided.
 *
 * The two samples are ranked together, tied values sharing the mean of
 * the ranks they span (midranks).  With R the rank sum of a,
 * U = R - na (na + 1) / 2: the number of pairs (x from a, y from b) with
 * x > y, ties counting one half.  Under the null hypothesis (both samples
 * drawn from one distribution) U has mean na nb / 2.
 *
 * p-value:
 * - both samples at most MWU_EXACT_MAX: exact, from the distribution of
 *   R over all C(na + nb, na) ways to pick a's ranks among the pooled
 *   midranks (so exact given the ties too); p = 2 min(P(R <= r),
 *   P(R >= r)), at most 1, as R's wilcox.test() does;
 * - else the normal approximation with the tie correction of the
 *   variance, na nb / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))) over tie
 *   groups of size t, and a continuity correction of 1/2:
 *   z = (|U - na nb / 2| - 1/2) / sd, p = 2 (1 - Phi(z)) = erfc(z / sqrt 2);
 * - each sample constant (what QEMU's instruction counting gives): there
 *   is no sampling noise for the test to weigh, so p is 0 if the two
 *   values differ and 1 if they are equal.  This also keeps a zero
 *   variance out of any division.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mwu.h"

const char *const mwu_method_names[] = {
	[MWU_EXACT]	= "exact",
	[MWU_NORMAL]	= "normal",
	[MWU_CONSTANT]	= "constant",
};

struct item {
	double v;
	bool in_a;
};

static int cmp_item(const void *x, const void *y)
{
	double a = ((const struct item *)x)->v, b = ((const struct item *)y)->v;

	return (a > b) - (a < b);
}

static bool constant(const double *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (v[i] != v[0])
			return false;
	return true;
}

/*
 * Exact p from doubled midranks (integers), rank2[k] of pooled item k.
 * ways[j][s] counts the j-subsets of the items seen so far whose doubled
 * ranks sum to s; counts up to C(40, 20) ~ 1.4e11 are exact in a double.
 */
static int exact_p(const unsigned int *rank2, size_t n, size_t na,
		   uint64_t w2, double *p)
{
	size_t smax = n * (n + 1), width = smax + 1;
	double *ways, lower = 0, upper = 0, total = 0;

	ways = calloc((na + 1) * width, sizeof(*ways));
	if (!ways)
		return -ENOMEM;
	ways[0] = 1;
	for (size_t k = 0; k < n; k++) {
		unsigned int r = rank2[k];

		for (size_t j = k + 1 < na ? k + 1 : na; j >= 1; j--) {
			double *to = ways + j * width, *from = to - width;

			for (size_t s = smax; s >= r; s--)
				to[s] += from[s - r];
		}
	}
	for (size_t s = 0; s <= smax; s++) {
		double w = ways[na * width + s];

		total += w;
		if (s <= w2)
			lower += w;
		if (s >= w2)
			upper += w;
	}
	free(ways);
	*p = 2 * (lower < upper ? lower : upper) / total;
	if (*p > 1)
		*p = 1;
	return 0;
}

static void normal_p(struct mwu *r, size_t na, size_t nb, double ties)
{
	double n = (double)(na + nb), mu = (double)na * nb / 2;
	double var = (double)na * nb / 12 * ((n + 1) - ties / (n * (n - 1)));
	double d = fabs(r->u - mu) - 0.5;

	r->method = MWU_NORMAL;
	if (var <= 0 || d <= 0) {	/* var 0: every value equal */
		r->z = 0;
		r->p = 1;
		return;
	}
	r->z = copysign(d / sqrt(var), r->u - mu);
	r->p = erfc(fabs(r->z) / M_SQRT2);
}

/* Test a[0..na-1] against b[0..nb-1]; neither is changed. */
int mwu_test(const double *a, size_t na, const double *b, size_t nb,
	     struct mwu *r)
{
	size_t n = na + nb, i, j;
	bool exact = na <= MWU_EXACT_MAX && nb <= MWU_EXACT_MAX;
	unsigned int *rank2 = NULL;
	double ties = 0;
	uint64_t w2 = 0;
	struct item *it;
	int err = 0;

	memset(r, 0, sizeof(*r));
	if (!na || !nb)
		return -EINVAL;
	if (constant(a, na) && constant(b, nb)) {
		r->method = MWU_CONSTANT;
		r->u = a[0] > b[0] ? (double)na * nb :
		       a[0] == b[0] ? (double)na * nb / 2 : 0;
		r->p = a[0] == b[0];
		return 0;
	}
	it = malloc(n * sizeof(*it));
	if (exact)
		rank2 = malloc(n * sizeof(*rank2));
	if (!it || (exact && !rank2)) {
		free(it);
		free(rank2);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		it[i].in_a = i < na;
		it[i].v = i < na ? a[i] : b[i - na];
	}
	qsort(it, n, sizeof(*it), cmp_item);
	for (i = 0; i < n; i = j) {
		double t;

		for (j = i; j < n && it[j].v == it[i].v; j++)
			;
		/* ranks i+1..j, their mean doubled: i + 1 + j */
		for (size_t k = i; k < j; k++) {
			if (it[k].in_a)
				w2 += i + 1 + j;
			if (exact)
				rank2[k] = i + 1 + j;
		}
		t = (double)(j - i);
		ties += t * t * t - t;
	}
	r->u = (double)w2 / 2 - (double)na * (na + 1) / 2;
	if (exact) {
		r->method = MWU_EXACT;
		err = exact_p(rank2, n, na, w2, &r->p);
	} else {
		normal_p(r, na, nb, ties);
	}
	free(it);
	free(rank2);
	return err;
}
