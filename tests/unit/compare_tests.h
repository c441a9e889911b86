/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The unit test groups of dmabench compare.
 */
#ifndef DMABENCH_COMPARE_TESTS_H
#define DMABENCH_COMPARE_TESTS_H

void test_cmpstats(void);
void test_compare(void);
void test_attrib(void);
void test_verdict(void);

#endif
