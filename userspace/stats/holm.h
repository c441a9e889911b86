/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Holm-Bonferroni adjustment of p-values for multiple comparisons.
 */
#ifndef DMABENCH_HOLM_H
#define DMABENCH_HOLM_H

#include <stddef.h>

int holm_adjust(const double *p, size_t n, double *adj);

#endif
