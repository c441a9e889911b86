/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bootstrap confidence interval for the ratio of two medians.
 */
#ifndef DMABENCH_BOOTSTRAP_H
#define DMABENCH_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

/* The interval's level, in permille: 95 %. */
#define BOOT_LEVEL_PERMILLE	950

struct boot_ci {
	double lo, hi;		/* of median(b) / median(a) */
};

struct prng;

double bootstrap_resample_median(const double *v, size_t n, struct prng *r);
int bootstrap_median_ratio(const double *a, size_t na, const double *b,
			   size_t nb, unsigned int reps, uint64_t seed,
			   struct boot_ci *ci);

#endif
