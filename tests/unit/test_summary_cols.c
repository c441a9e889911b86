// SPDX-License-Identifier: GPL-2.0
/*
 * summary.csv and threads.csv rows with the threads, batch, rate,
 * interval and spread columns, read back as collect reads them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "results.h"
#include "tap.h"

/* The fields of the one line fn writes, in rec. */
static int write_read(void (*fn)(FILE *, const void *), const void *arg,
		      struct csv_record *rec, char **text)
{
	const char *pos, *end;
	size_t len;
	FILE *f = open_memstream(text, &len);

	if (!f)
		return -1;
	fn(f, arg);
	fclose(f);
	pos = *text;
	end = *text + len;
	return csv_read(&pos, end, rec) == 1 ? 0 : -1;
}

static void put_summary(FILE *f, const void *r)
{
	summary_row(f, r);
}

static void put_thread(FILE *f, const void *t)
{
	threads_row(f, t);
}

static void header(void)
{
	const char *h = SUMMARY_HEADER, *t = THREADS_HEADER;
	int n = 1;

	for (; *h; h++)
		n += *h == ',';
	is_int(n, SUMMARY_FIELDS, "SUMMARY_FIELDS matches the header");
	ok(strstr(SUMMARY_HEADER, ",max_irqoff,pattern,batch,working_set,rate,ci_low,ci_high,mad,flag,spread") &&
	   !strcmp(SUMMARY_HEADER + strlen(SUMMARY_HEADER) - 6, "spread"),
	   "new columns at the end, in order");
	for (n = 1; *t; t++)
		n += *t == ',';
	is_int(n, THREADS_FIELDS, "THREADS_FIELDS matches its header");
}

static void measured(void)
{
	struct stats st = { .n = 20000, .min = 1, .median = 100, .p90 = 120,
			    .p99 = 150, .max = 900, .mean = 105 };
	struct summary_row r = {
		.api = "page", .path = "direct", .size = 4096,
		.dir = "to_device", .op = "pair", .unit = "ns", .st = &st,
		.observed = "direct", .status = STATUS_OK, .note = "",
		.samples = "samples/x.csv",
		.threads = 2, .batch = 16, .working_set = 32,
		.has_rate = true, .rate = 2500000, .has_ci = true,
		.ci_low = 98, .ci_high = 101, .mad = 4, .has_spread = true,
		.spread = 0.015,
	};
	struct csv_record rec;
	char *text = NULL;

	if (!ok(!write_read(put_summary, &r, &rec, &text), "a row reads back"))
		return;
	is_int(rec.n, SUMMARY_FIELDS, "a row has every column");
	is_str(rec.field[4], "2", "threads");
	is_str(rec.field[25], "batch", "pattern batch for batch 16");
	is_str(rec.field[26], "16", "batch");
	is_str(rec.field[27], "32", "working_set");
	is_str(rec.field[28], "2500000", "rate");
	is_str(rec.field[29], "98", "ci_low");
	is_str(rec.field[30], "101", "ci_high");
	is_str(rec.field[31], "4", "mad");
	is_str(rec.field[32], "wide-ci", "3 % wide: flagged");
	is_str(rec.field[33], "0.015", "spread");
	csv_record_free(&rec);
	free(text);
}

static void counter_row(void)
{
	struct stats st = { .n = 2200, .mean = 812.5 };
	struct summary_row r = {
		.api = "page", .path = "direct", .size = 64, .dir = "to_device",
		.op = "pair", .unit = "cycles", .st = &st, .mean_only = true,
		.has_harness = true, .harness = 90, .observed = "direct",
		.status = STATUS_OK,
		.note = "window totals / operations", .samples = "",
	};
	struct csv_record rec;
	char *text = NULL;

	if (!ok(!write_read(put_summary, &r, &rec, &text), "a counter row reads back"))
		return;
	is_str(rec.field[7], "2200", "counter row: n = operations");
	ok(!rec.field[8][0] && !rec.field[9][0] && !rec.field[12][0],
	   "counter row: no min, median, max");
	is_str(rec.field[13], "812.5", "counter row: mean");
	is_str(rec.field[14], "90", "counter row: harness");
	is_str(rec.field[15], "", "counter row: no net_median");
	is_str(rec.field[4], "1", "threads 0 written as 1");
	is_str(rec.field[25], "pair", "pattern pair for batch 1");
	ok(!rec.field[28][0] && !rec.field[32][0] && !rec.field[33][0],
	   "counter row: no rate, flag or spread");
	csv_record_free(&rec);
	free(text);
}

/* Too few samples: the quantiles and the interval they lack are empty. */
static void few_samples(void)
{
	struct stats st = { .n = 200, .min = 1, .median = 100, .p90 = 120,
			    .p99 = 150, .max = 900, .mean = 105 };
	struct summary_row r = {
		.api = "page", .path = "direct", .size = 4096,
		.dir = "to_device", .op = "map", .unit = "ns", .st = &st,
		.observed = "direct", .status = STATUS_OK, .note = "as asked",
		.samples = "samples/x.csv", .has_harness = true, .harness = 10,
		.has_ci = true, .ci_low = 98, .ci_high = 101, .mad = 4,
	};
	struct summary_enough e;
	struct csv_record rec;
	char *text = NULL;

	is_int(stats_min_n(500), 20, "the median needs 20 samples");
	is_int(stats_min_n(900), 100, "p90 needs 100");
	is_int(stats_min_n(990), 1000, "p99 needs 1000");
	is_int(stats_min_n(999), 10000, "p99.9 needs 10000");
	if (!ok(!write_read(put_summary, &r, &rec, &text), "a 200-sample row reads back"))
		return;
	is_str(rec.field[9], "100", "200 samples: median");
	is_str(rec.field[10], "120", "200 samples: p90");
	is_str(rec.field[11], "", "200 samples: no p99");
	is_str(rec.field[15], "90", "200 samples: net_median");
	is_str(rec.field[29], "98", "200 samples: ci_low");
	is_str(rec.field[32], "wide-ci", "200 samples: the flag from the interval");
	ok(strstr(rec.field[21], "as asked; too few samples: 200") &&
	   strstr(rec.field[21], "p99 1000"), "note says which, had, needs: %s",
	   rec.field[21]);
	csv_record_free(&rec);
	free(text);

	st.n = 50;
	if (!ok(!write_read(put_summary, &r, &rec, &text), "a 50-sample row reads back"))
		return;
	ok(rec.field[9][0] && !rec.field[10][0] && !rec.field[11][0],
	   "50 samples: a median, no p90 or p99");
	ok(!rec.field[29][0] && !rec.field[30][0], "50 samples: no interval");
	is_str(rec.field[32], "few-samples", "50 samples: flag few-samples, not wide-ci");
	is_str(rec.field[31], "4", "50 samples: MAD");
	csv_record_free(&rec);
	free(text);

	st.n = 10;
	summary_enough(&r, &e);
	ok(!e.median && !e.p90 && !e.p99 && !e.ci, "10 samples: nothing but min, max, mean");
	ok(strstr(e.note, "median 20, p90 100, p99 1000, ci 100") != NULL,
	   "10 samples: the note lists every need: %s", e.note);
	if (!ok(!write_read(put_summary, &r, &rec, &text), "a 10-sample row reads back"))
		return;
	ok(!rec.field[9][0] && !rec.field[14][0] && !rec.field[15][0] &&
	   !rec.field[31][0], "10 samples: no median, harness, net_median, MAD");
	ok(rec.field[8][0] && rec.field[12][0] && rec.field[13][0],
	   "10 samples: min, max and mean stay");
	csv_record_free(&rec);
	free(text);
}

static void thread_row(void)
{
	struct summary_row r = {
		.api = "sg", .path = "iommu-lazy", .size = 512,
		.dir = "bidirectional", .unit = "ns", .nents = 16, .boot = 0,
		.threads = 2, .batch = 1, .working_set = 1,
	};
	struct thread_row t = { .point = &r, .thread = 1, .cpu = 7,
				.op = "map", .n = 1000, .median = 50,
				.mean = 51.5, .rate = 1e6 };
	struct csv_record rec;
	char *text = NULL;

	if (!ok(!write_read(put_thread, &t, &rec, &text), "a threads.csv row reads back"))
		return;
	is_int(rec.n, THREADS_FIELDS, "threads.csv row has every column");
	is_str(rec.field[THREADS_BOOT], "0", "boot where collect expects it");
	is_str(rec.field[12], "1", "thread");
	is_str(rec.field[13], "7", "cpu");
	is_str(rec.field[8], "pair", "pattern");
	is_str(rec.field[19], "1000000", "rate");
	csv_record_free(&rec);
	free(text);
}

void test_summary_cols(void)
{
	header();
	measured();
	counter_row();
	few_samples();
	thread_row();
}
