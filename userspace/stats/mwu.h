/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Mann-Whitney U test (Wilcoxon rank-sum test), two-sided.
 */
#ifndef DMABENCH_MWU_H
#define DMABENCH_MWU_H

#include <stddef.h>

/* Both samples at most this large, the p-value is exact. */
#define MWU_EXACT_MAX	20

enum mwu_method {
	MWU_EXACT,	/* permutation distribution of the rank sum */
	MWU_NORMAL,	/* normal approximation, corrected */
	MWU_CONSTANT,	/* each sample constant: no noise to test */
};

struct mwu {
	double u;	/* U of a: pairs with a > b, plus half the ties */
	double z;	/* MWU_NORMAL: the corrected z; else 0 */
	double p;	/* two-sided */
	enum mwu_method method;
};

extern const char *const mwu_method_names[];

int mwu_test(const double *a, size_t na, const double *b, size_t nb,
	     struct mwu *r);

#endif
