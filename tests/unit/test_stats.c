// SPDX-License-Identifier: GPL-2.0
/*
 * Order statistics on arrays whose answers are known.
 */
#include "stats.h"
#include "tap.h"

static void odd(void)
{
	double v[] = { 9, 1, 5, 3, 7 };		/* sorted: 1 3 5 7 9 */
	struct stats st;

	ok(stats_compute(v, 5, &st) == 0, "stats of 5 values");
	is_int(st.n, 5, "odd n: n");
	is_num(st.min, 1, "odd n: min");
	is_num(st.max, 9, "odd n: max");
	is_num(st.median, 5, "odd n: median is the middle value");
	is_num(st.mean, 5, "odd n: mean");
	/* (n-1)p = 3.6: x[3] + 0.6 (x[4] - x[3]) = 7 + 1.2 */
	is_num(st.p90, 8.2, "odd n: p90 interpolates");
	/* (n-1)p = 3.96: 7 + 0.96 * 2 */
	is_num(st.p99, 8.92, "odd n: p99 interpolates");
	is_num(v[0], 1, "values are left sorted");
}

static void even(void)
{
	double v[] = { 40, 10, 30, 20 };
	struct stats st;

	stats_compute(v, 4, &st);
	is_num(st.median, 25, "even n: median halfway between the middle two");
	is_num(st.mean, 25, "even n: mean");
	/* (n-1)p = 2.7: 30 + 0.7 * 10 */
	is_num(st.p90, 37, "even n: p90");
}

static void single(void)
{
	double v[] = { 42.5 };
	struct stats st;

	ok(stats_compute(v, 1, &st) == 0, "n = 1 works");
	is_num(st.min, 42.5, "n = 1: min");
	is_num(st.median, 42.5, "n = 1: median");
	is_num(st.p99, 42.5, "n = 1: p99");
	is_num(st.max, 42.5, "n = 1: max");
	is_num(st.mean, 42.5, "n = 1: mean");
}

static void exact_ranks(void)
{
	double v[1001];
	struct stats st;

	for (int i = 0; i < 1001; i++)
		v[i] = 1000 - i;		/* 0..1000, reversed */
	stats_compute(v, 1001, &st);
	is_num(st.median, 500, "n = 1001: median is x[500]");
	is_num(st.p90, 900, "n = 1001: p90 is x[900] exactly");
	is_num(st.p99, 990, "n = 1001: p99 is x[990] exactly");
	is_num(st.mean, 500, "n = 1001: mean");
	is_num(stats_quantile(v, 1001, 1000), 1000, "q(1) is the max");
	is_num(stats_quantile(v, 1001, 0), 0, "q(0) is the min");
}

static void empty(void)
{
	struct stats st;
	double v[1];

	ok(stats_compute(v, 0, &st) != 0, "n = 0 is refused");
}

void test_stats(void)
{
	odd();
	even();
	single();
	exact_ranks();
	empty();
}
