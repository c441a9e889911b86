// SPDX-License-Identifier: GPL-2.0
/*
 * Holm-Bonferroni (Holm 1979), as adjusted p-values.
 *
 * With the n p-values in ascending order p(1) <= ... <= p(n), the
 * adjusted value of p(i) is max over k <= i of min(1, (n - k + 1) p(k)).
 * Comparing the adjusted values with alpha rejects exactly what Holm's
 * step-down procedure rejects at family-wise error rate alpha, and is
 * never less powerful than plain Bonferroni (n p).  Equal p-values get
 * equal adjusted values whatever their order.
 */
#include <errno.h>
#include <stdlib.h>

#include "holm.h"

struct ranked {
	double p;
	size_t i;
};

static int cmp_ranked(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;

	if (a->p != b->p)
		return (a->p > b->p) - (a->p < b->p);
	return (a->i > b->i) - (a->i < b->i);
}

/* adj[i] for p[i]; adj may be p. */
int holm_adjust(const double *p, size_t n, double *adj)
{
	struct ranked *r;
	double run = 0, v;

	if (!n)
		return 0;
	r = malloc(n * sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		r[i].p = p[i];
		r[i].i = i;
	}
	qsort(r, n, sizeof(*r), cmp_ranked);
	for (size_t k = 0; k < n; k++) {
		v = (double)(n - k) * r[k].p;
		if (v > 1)
			v = 1;
		if (v > run)
			run = v;
		adj[r[k].i] = run;
	}
	free(r);
	return 0;
}
