/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The unit test groups of dmabench micro's threads, batches, counters and
 * spread.
 */
#ifndef DMABENCH_MICRO_TESTS_H
#define DMABENCH_MICRO_TESTS_H

void test_micro_opts(void);
void test_median_ci(void);
void test_summary_cols(void);

#endif
