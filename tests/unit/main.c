// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench unit tests: run every group, print TAP.
 */
#include "compare_tests.h"
#include "micro_tests.h"
#include "tap.h"

int main(void)
{
	test_stats();
	test_parse();
	test_csv();
	test_json();
	test_misc();
	test_collect();
	test_workload();
	test_micro_opts();
	test_median_ci();
	test_summary_cols();
	test_cmpstats();
	test_compare();
	test_attrib();
	test_verdict();
	test_rdma();
	test_sysprof();
	test_fio();
	test_nvme();
	return tap_done();
}
