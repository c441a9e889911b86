/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Merging the workload rows of parts (collect_workload.c).
 */
#ifndef DMABENCH_COLLECT_WORKLOAD_H
#define DMABENCH_COLLECT_WORKLOAD_H

#include <stdio.h>

#include "results.h"

/* Part i's workload.csv and workload/, if any, into the run; *out once. */
int collect_workload(struct outdir *o, const char *partdir, int i, FILE **out);

#endif
