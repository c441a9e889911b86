// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics of dmabench compare, against values worked out by hand
 * or computed independently (Python 3's math module and brute-force
 * enumeration, the scripts summarised in the comments).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "compare.h"
#include "compare_tests.h"
#include "holm.h"
#include "mwu.h"
#include "prng.h"
#include "tap.h"

/*
 * Reference outputs: splitmix64 from state 0, and xoshiro256** from state
 * {1, 2, 3, 4}, both from a line-by-line Python transcription of the
 * published C code.
 */
static void prng(void)
{
	struct prng r = { { 1, 2, 3, 4 } }, r2;
	uint64_t x = 0;
	bool differ = false, below = true;

	ok(splitmix64(&x) == 0xe220a8397b1dcdafULL, "splitmix64(0), 1st");
	ok(splitmix64(&x) == 0x6e789e6aa1b965f4ULL, "splitmix64(0), 2nd");
	ok(prng_next(&r) == 11520, "xoshiro256** {1,2,3,4}, 1st");
	ok(prng_next(&r) == 0, "xoshiro256** 2nd");
	ok(prng_next(&r) == 1509978240, "xoshiro256** 3rd");
	ok(prng_next(&r) == 1215971899390074240ULL, "xoshiro256** 4th");
	prng_seed(&r, 1);
	prng_seed(&r2, 2);
	for (int i = 0; i < 8; i++)
		differ |= prng_next(&r) != prng_next(&r2);
	ok(differ, "seeds 1 and 2 give different streams");
	for (int i = 0; i < 10000; i++)
		below &= prng_below(&r, 7) < 7;
	ok(below, "prng_below(7) stays below 7");
}

/*
 * a = {3, 5, 8}, b = {1, 2, 4, 6, 7}, no ties.  Pairs with a > b:
 * 3 beats 1, 2 (2); 5 beats 1, 2, 4 (3); 8 beats all five (5): U = 10.
 * Pooled ranks of a: 3, 5, 8, sum 16; of the C(8, 3) = 56 ways to pick
 * three ranks, 16 have a sum >= 16 (and by symmetry 16 a sum <= 11), so
 * the exact two-sided p = 2 * 16 / 56 = 0.571428...
 */
static void mwu_small(void)
{
	double a[] = { 3, 5, 8 }, b[] = { 1, 2, 4, 6, 7 };
	struct mwu r;

	ok(mwu_test(a, 3, b, 5, &r) == 0, "mwu: 3 against 5");
	is_num(r.u, 10, "mwu: U by hand");
	is_int(r.method, MWU_EXACT, "mwu: small samples are exact");
	is_num(r.p, 32.0 / 56, "mwu: exact p = 32/56");
	mwu_test(b, 5, a, 3, &r);
	is_num(r.u, 5, "mwu: swapped, U = 15 - 10");
	is_num(r.p, 32.0 / 56, "mwu: swapped, same p");
}

/*
 * The tortoise and the hare, finishing places as values: tortoises
 * {1, 7, 8, 9, 10, 11}, hares {2, 3, 4, 5, 6, 12}.  Tortoises 7..11 each
 * finish behind hares 2..6: U = 5 * 5 = 25 (rank sum 46 - 6 * 7 / 2).
 * Enumerating the C(12, 6) = 924 rank sets: 143 have a sum >= 46, 813 a
 * sum <= 46; p = 2 * 143 / 924 = 0.309523...
 */
static void mwu_textbook(void)
{
	double t[] = { 1, 7, 8, 9, 10, 11 }, h[] = { 2, 3, 4, 5, 6, 12 };
	struct mwu r;

	mwu_test(t, 6, h, 6, &r);
	is_num(r.u, 25, "mwu: tortoise and hare, U = 25");
	is_num(r.p, 2 * 143.0 / 924, "mwu: tortoise and hare, exact p");
}

/*
 * Ties, small: a = {1, 2, 2, 3}, b = {2, 3, 4, 4}.  Pairs: 1 beats
 * nothing; each 2 ties b's 2 (1/2 each); 3 beats b's 2 and ties its 3
 * (1.5): U = 2.5.  Exact given the ties: midranks 1, 3, 3, 3, 5.5, 5.5,
 * 7.5, 7.5; of the 70 ways to pick four, enumeration gives p = 0.2.
 */
static void mwu_ties(void)
{
	double a[] = { 1, 2, 2, 3 }, b[] = { 2, 3, 4, 4 };
	struct mwu r;

	mwu_test(a, 4, b, 4, &r);
	is_num(r.u, 2.5, "mwu: ties count one half");
	is_num(r.p, 0.2, "mwu: exact p given the ties");
}

/*
 * Normal approximation: a = 1..30, b = 11..45 (n 30 and 35, 20 values
 * in both).  a's 1..10 beat nothing; a's x in 11..30 beat x - 11 of b
 * and tie one: U = sum over k = 0..19 of (k + 1/2) = 200.  Mean
 * 30 * 35 / 2 = 525.  Twenty ties of two: sum(t^3 - t) = 120, variance
 * 30 * 35 / 12 * (66 - 120 / (65 * 64)) = 5772.47596...; z = (325 - 0.5)
 * / sqrt(5772.476) = 4.27104; p = erfc(z / sqrt 2) = 1.94563539e-05
 * (Python: math.erfc).
 */
static void mwu_normal(void)
{
	double a[30], b[35];
	struct mwu r;

	for (int i = 0; i < 30; i++)
		a[i] = i + 1;
	for (int i = 0; i < 35; i++)
		b[i] = i + 11;
	mwu_test(a, 30, b, 35, &r);
	is_int(r.method, MWU_NORMAL, "mwu: over 20 a side, normal");
	is_num(r.u, 200, "mwu: normal example, U = 200");
	ok(fabs(r.z + 4.271039958929473) < 1e-9, "mwu: z = -4.27104 (got %.9f)",
	   r.z);
	ok(fabs(r.p / 1.9456353944142595e-05 - 1) < 1e-9,
	   "mwu: p = 1.9456354e-05 (got %.10g)", r.p);
}

/* Zero variance: what QEMU's instruction counts look like. */
static void mwu_constant(void)
{
	double a[40], b[40], c[40];
	struct mwu r;

	for (int i = 0; i < 40; i++) {
		a[i] = 276;
		b[i] = 257;
		c[i] = 276;
	}
	ok(mwu_test(a, 40, b, 40, &r) == 0, "mwu: constant samples work");
	is_int(r.method, MWU_CONSTANT, "mwu: constant recognised");
	is_num(r.p, 0, "mwu: constants that differ: p = 0");
	is_num(r.u, 1600, "mwu: every a above every b: U = 40 * 40");
	mwu_test(a, 40, c, 40, &r);
	is_num(r.p, 1, "mwu: equal constants: p = 1");
	is_num(r.u, 800, "mwu: all tied: U = 40 * 40 / 2");
	ok(isfinite(r.z), "mwu: no division by zero");
}

/*
 * Holm: p = 0.01, 0.04, 0.03, 0.005.  Ascending 0.005, 0.01, 0.03, 0.04
 * times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04, then the running maximum:
 * 0.02, 0.03, 0.06, 0.06 (R's p.adjust(method = "holm") agrees).
 */
static void holm(void)
{
	double p[] = { 0.01, 0.04, 0.03, 0.005 }, adj[4];
	double q[] = { 0.5, 0.6 }, big[2];

	ok(holm_adjust(p, 4, adj) == 0, "holm: four p-values");
	is_num(adj[0], 0.03, "holm: 0.01 -> 0.03");
	is_num(adj[1], 0.06, "holm: 0.04 -> 0.06 (monotone)");
	is_num(adj[2], 0.06, "holm: 0.03 -> 0.06");
	is_num(adj[3], 0.02, "holm: 0.005 -> 0.02");
	holm_adjust(q, 2, big);
	is_num(big[0], 1, "holm: capped at 1");
	is_num(big[1], 1, "holm: and monotone after the cap");
	holm_adjust(p, 1, adj);
	is_num(adj[0], 0.01, "holm: one test is left alone");
}

/*
 * The resample-median sampler against the exact distribution: with
 * sorted v = 0, 1, ..., 10 (n = 11, median the 6th smallest), the
 * median of a resample is <= j when at least 6 of 11 draws are <= j,
 * P = P(Binomial(11, (j + 1) / 11) >= 6) (Python: math.comb sums).
 */
static void sampler_exact(void)
{
	static const double cdf[11] = {
		0.000174, 0.007207, 0.051247, 0.172747, 0.378631, 0.621369,
		0.827253, 0.948753, 0.992793, 0.999826, 1.0,
	};
	double v[11], seen[11] = { 0 }, worst = 0, m;
	const int draws = 40000;
	struct prng r;

	for (int i = 0; i < 11; i++)
		v[i] = i;
	prng_seed(&r, 42);
	for (int i = 0; i < draws; i++) {
		m = bootstrap_resample_median(v, 11, &r);
		for (int j = (int)m; j < 11; j++)
			seen[j]++;
	}
	for (int j = 0; j < 11; j++)
		if (fabs(seen[j] / draws - cdf[j]) > worst)
			worst = fabs(seen[j] / draws - cdf[j]);
	/* Kolmogorov-Smirnov at 0.1 %: 1.95 / sqrt(40000) = 0.00975 */
	ok(worst < 0.00975, "bootstrap: resample medians follow the exact law (KS %.4f)",
	   worst);
}

static int cmp_dbl(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* Even n: the sampler against literal resampling, drawn here. */
static void sampler_literal(void)
{
	double v[10] = { 1, 2, 3, 5, 8, 13, 21, 34, 55, 89 }, d[10];
	double fast[401] = { 0 }, slow[401] = { 0 }, worst = 0, cf = 0, cs = 0;
	const int draws = 40000;
	struct prng r;
	int m;

	prng_seed(&r, 7);
	for (int i = 0; i < draws; i++) {
		m = (int)(2 * bootstrap_resample_median(v, 10, &r));
		fast[m < 400 ? m : 400]++;
		for (int k = 0; k < 10; k++)
			d[k] = v[prng_below(&r, 10)];
		qsort(d, 10, sizeof(*d), cmp_dbl);
		m = (int)(d[4] + d[5]);
		slow[m < 400 ? m : 400]++;
	}
	for (int j = 0; j <= 400; j++) {
		cf += fast[j] / draws;
		cs += slow[j] / draws;
		if (fabs(cf - cs) > worst)
			worst = fabs(cf - cs);
	}
	/* two-sample KS at 0.1 %: 1.95 * sqrt(2 / 40000) = 0.0138 */
	ok(worst < 0.0138, "bootstrap: even n agrees with literal resampling (KS %.4f)",
	   worst);
}

static void bootstrap(void)
{
	double a[101], b[101], k[50];
	struct boot_ci c1, c2, c3;

	for (int i = 0; i < 101; i++) {
		a[i] = 100 + i;		/* median 150 */
		b[i] = 110 + i;		/* median 160: ratio 1.0667 */
	}
	ok(!bootstrap_median_ratio(a, 101, b, 101, 2000, 1, &c1),
	   "bootstrap: 2000 resamples");
	bootstrap_median_ratio(a, 101, b, 101, 2000, 1, &c2);
	ok(c1.lo == c2.lo && c1.hi == c2.hi, "bootstrap: same seed, same interval");
	bootstrap_median_ratio(a, 101, b, 101, 2000, 2, &c3);
	ok(c3.lo != c1.lo || c3.hi != c1.hi, "bootstrap: another seed, another interval");
	ok(c1.lo < 160.0 / 150 && c1.hi > 160.0 / 150,
	   "bootstrap: interval [%.4f, %.4f] holds the ratio 1.0667", c1.lo,
	   c1.hi);
	ok(c1.lo > 0.95 && c1.hi < 1.2, "bootstrap: and is not absurdly wide");
	for (int i = 0; i < 50; i++)
		k[i] = 257;
	bootstrap_median_ratio(k, 50, k, 50, 2000, 1, &c1);
	is_num(c1.lo - 1, 0, "bootstrap: identical constant samples, CI low 0");
	is_num(c1.hi - 1, 0, "bootstrap: identical constant samples, CI high 0");
	memset(k, 0, sizeof(k));
	ok(bootstrap_median_ratio(k, 50, a, 101, 2000, 1, &c1) == -EDOM &&
	   isnan(c1.lo), "bootstrap: median 0 in A gives no ratio");
}

static void verdicts(void)
{
	/* p Holm, change, lo, hi, alpha 0.05, threshold 1 % */
	is_int(cmp_verdict(0.001, 0.05, 0.03, 0.07, 0.05, 0.01), CMP_SLOWER,
	       "verdict: significant, large, CI above 0: slower");
	is_int(cmp_verdict(0, -0.069, -0.069, -0.069, 0.05, 0.01), CMP_FASTER,
	       "verdict: constant samples, -6.9 %: faster");
	is_int(cmp_verdict(0.2, 0.05, 0.03, 0.07, 0.05, 0.01), CMP_SAME,
	       "verdict: not significant: same");
	is_int(cmp_verdict(0, -0.006, -0.006, -0.006, 0.05, 0.01), CMP_SAME,
	       "verdict: under the threshold: same");
	is_int(cmp_verdict(0.001, 0.05, -0.01, 0.1, 0.05, 0.01), CMP_SAME,
	       "verdict: CI holds 0: same");
	is_int(cmp_verdict(0.001, 0.05, -0.1, -0.02, 0.05, 0.01), CMP_SAME,
	       "verdict: CI on the other side of 0: same");
	is_int(cmp_verdict(0.04999, 0.0101, 0.005, 0.02, 0.05, 0.01),
	       CMP_SLOWER, "verdict: just inside every limit");
	is_int(cmp_verdict(0.05, 0.05, 0.03, 0.07, 0.05, 0.01), CMP_SAME,
	       "verdict: p equal to alpha is not below it");
	is_int(cmp_verdict(0.001, 0.01, 0.005, 0.02, 0.05, 0.01), CMP_SAME,
	       "verdict: change equal to the threshold is not above it");
	is_int(cmp_verdict(0.001, NAN, NAN, NAN, 0.05, 0.01), CMP_NA,
	       "verdict: no change (median A 0): n/a");
	is_int(cmp_verdict(0.001, 0.05, NAN, NAN, 0.05, 0.01), CMP_SAME,
	       "verdict: no interval: same");
}

static void formats(void)
{
	char buf[32];

	cmp_fmt_value(buf, sizeof(buf), 276);
	is_str(buf, "276", "format: integer median");
	cmp_fmt_value(buf, sizeof(buf), 2812.5);
	is_str(buf, "2812.5", "format: half median");
	cmp_fmt_value(buf, sizeof(buf), 123456789);
	ok(strlen(buf) <= 8, "format: huge median in 8 columns (%s)", buf);
	cmp_fmt_change(buf, sizeof(buf), -0.0688);
	is_str(buf, "-6.9%", "format: change");
	cmp_fmt_change(buf, sizeof(buf), 400);
	ok(strlen(buf) <= 7, "format: huge change in 7 columns (%s)", buf);
	cmp_fmt_bound(buf, sizeof(buf), 12);
	ok(strlen(buf) <= 6, "format: huge bound in 6 columns (%s)", buf);
	cmp_fmt_p(buf, sizeof(buf), 1.56e-21);
	is_str(buf, "2e-21", "format: small p");
	cmp_fmt_p(buf, sizeof(buf), 0.92516);
	is_str(buf, "0.925", "format: p");
	ok(cmp_point_seed(1, "a") != cmp_point_seed(1, "b") &&
	   cmp_point_seed(1, "a") == cmp_point_seed(1, "a") &&
	   cmp_point_seed(1, "a") != cmp_point_seed(2, "a"),
	   "seed: per point and per --seed, and stable");
}

void test_cmpstats(void)
{
	prng();
	mwu_small();
	mwu_textbook();
	mwu_ties();
	mwu_normal();
	mwu_constant();
	holm();
	sampler_exact();
	sampler_literal();
	bootstrap();
	verdicts();
	formats();
}
