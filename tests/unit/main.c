// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench unit tests: run every group, print TAP.
 */
#include "tap.h"

int main(void)
{
	test_stats();
	test_parse();
	test_csv();
	test_json();
	test_misc();
	test_collect();
	return tap_done();
}
