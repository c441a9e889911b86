// SPDX-License-Identifier: GPL-2.0
/*
 * workload.csv: its rows, the directory a workload writes into, collect's
 * merge of it and compare's workload table.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect.h"
#include "compare.h"
#include "csv.h"
#include "tap.h"
#include "util.h"
#include "workload.h"

static char top[256];

static int nfields(const char *line)
{
	struct csv_record rec;
	const char *pos = line;
	int n = -1;

	if (csv_read(&pos, line + strlen(line), &rec) == 1) {
		n = rec.n;
		csv_record_free(&rec);
	}
	return n;
}

static void test_row(void)
{
	struct workload_row r;
	char *buf = NULL;
	size_t len;
	FILE *f;

	workload_row_init(&r);
	r.tool = "dmabench";
	r.workload = "nvme-randread";
	r.path = "iommu-strict";
	r.size = 4096;
	r.qd = 32;
	r.batch = 8;
	r.rate = 12345.5;
	r.dma_share = 0.25;
	r.status = STATUS_OK;
	r.note = "a, b";
	f = open_memstream(&buf, &len);
	workload_header(f);
	workload_row(f, &r);
	fclose(f);
	is_int(nfields(WORKLOAD_HEADER), WORKLOAD_FIELDS, "header has WORKLOAD_FIELDS fields");
	is_int(nfields(strchr(buf, '\n') + 1), WORKLOAD_FIELDS, "a row has as many");
	ok(strstr(buf, "dmabench,nvme-randread,iommu-strict,,4096,32,8,,,,1,,0,12345.5,,ns,"),
	   "unmeasured figures are empty fields, measured ones printed");
	ok(strstr(buf, ",0.25,unavailable,0,ok,\"a, b\",0,,\n"), "share, status, quoted note, boot");
	free(buf);
}

static int count_lines(const char *path)
{
	size_t len;
	char *t = read_all(path, &len);
	int n = 0;

	for (size_t i = 0; t && i < len; i++)
		n += t[i] == '\n';
	free(t);
	return t ? n : -1;
}

static void test_out(void)
{
	char *argv[] = { "nvme", "--out", top };
	struct workload_row r;
	char path[PATH_MAX + 32], rel[64];
	struct wl_out w;
	FILE *f;
	int saved, ret;

	is_int(wl_out_open(&w, NULL, NULL, 3, argv), -EINVAL, "--into or --out needed");
	is_int(wl_out_open(&w, top, NULL, 3, argv), -ENOENT, "--into a directory that is not a run: refused");
	ok(!wl_out_open(&w, NULL, top, 3, argv), "--out makes a run");
	workload_row_init(&r);
	r.tool = "dmabench";
	r.status = STATUS_OK;
	f = wl_out_file(&w, "hist-1.csv", rel, sizeof(rel));
	ok(f && !strcmp(rel, "workload/hist-1.csv"), "a per-point file under workload/");
	if (f)
		fclose(f);
	r.histogram = rel;
	ok(!wl_out_row(&w, &r), "a row written");
	/* wl_out_close() prints the run's path: not into the TAP stream. */
	fflush(stdout);
	saved = dup(1);
	if (!freopen("/dev/null", "w", stdout))
		ok(0, "freopen");
	ret = wl_out_close(&w, true);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	ok(!ret, "the run committed");
	snprintf(path, sizeof(path), "%s/workload.csv", w.dir);
	is_int(count_lines(path), 2, "workload.csv: header and row");
	snprintf(path, sizeof(path), "%s/meta.json", w.dir);
	ok(path_exists(path), "meta.json written");
	snprintf(path, sizeof(path), "%s/summary.csv", w.dir);
	is_int(count_lines(path), 1, "an empty summary.csv beside it");
	snprintf(path, sizeof(path), "%s/workload/hist-1.csv", w.dir);
	ok(path_exists(path), "the histogram file is in the run");
}

static void make_part(const char *name, const char *path, double iops)
{
	char dir[512], json[1024], csv[2048];

	snprintf(dir, sizeof(dir), "%s/%s", top, name);
	mkdir(dir, 0777);
	snprintf(json, sizeof(json),
		 "{\"format\": 1, \"suite\": {\"name\": \"dmabench\", \"rev\": \"abc\"},"
		 " \"date\": \"2025-01-01T00:00:00Z\", \"command\": \"x\","
		 " \"unit\": \"ns\", \"clock\": {\"source\": \"tsc\", \"tsc_khz\": 1000000},"
		 " \"emulated\": true, \"hypervisor\": true,"
		 " \"statistics\": {\"quantiles\": \"q\", \"harness\": \"h\"},"
		 " \"boot\": {\"kernel\": {\"release\": \"7.3.4\"}, \"paths\": [\"%s\"]}}\n",
		 path);
	tap_put_file(dir, "part.json", json);
	tap_put_file(dir, "summary.csv", SUMMARY_HEADER "\n");
	snprintf(csv, sizeof(csv), WORKLOAD_HEADER "\n"
		 "dmabench,nvme-randread,%s,/dev/nvme0n1,4096,32,8,poll,fixed,,1,5,100,%g,,ns,"
		 "1,100,,200,,,,,3000,,,0.1,cpu-clock,50,ok,,0,workload/h.csv,\n",
		 path, iops);
	tap_put_file(dir, "workload.csv", csv);
	snprintf(csv, sizeof(csv), "%s/workload", dir);
	mkdir(csv, 0777);
	tap_put_file(csv, "h.csv", "lo_ns,hi_ns,count\n");
}

static char *run_dir(int n)
{
	static char d[2][PATH_MAX];
	char *parts[2];
	char p0[PATH_MAX], p1[PATH_MAX];

	snprintf(p0, sizeof(p0), "%s/a%d", top, n);
	snprintf(p1, sizeof(p1), "%s/b%d", top, n);
	parts[0] = p0;
	parts[1] = p1;
	if (collect_merge(top, parts, 2, "collect", d[n], sizeof(d[n])))
		return NULL;
	return d[n];
}

static void test_collect_compare(void)
{
	char *argv[] = { "compare", NULL, NULL, NULL, NULL, NULL };
	char path[PATH_MAX + 32], *out = NULL;
	char *ra, *rb;
	size_t len;
	FILE *f;

	make_part("a0", "direct", 1000);
	make_part("b0", "iommu-strict", 800);
	make_part("a1", "direct", 1100);
	make_part("b1", "iommu-strict", 600);
	ra = run_dir(0);
	rb = run_dir(1);
	ok(ra && rb, "collect merges parts with workload.csv");
	if (!ra || !rb)
		return;
	snprintf(path, sizeof(path), "%s/workload.csv", ra);
	is_int(count_lines(path), 3, "both parts' rows in the run");
	snprintf(path, sizeof(path), "%s/workload/boot1/h.csv", ra);
	ok(path_exists(path), "files moved to workload/boot<N>/");
	out = read_all(strcat(strcpy(path, ra), "/workload.csv"), &len);
	ok(out && strstr(out, ",1,workload/boot1/h.csv,"), "the row names its file and boot");
	free(out);

	argv[1] = "--workloads";
	argv[2] = "--format";
	argv[3] = "csv";
	argv[4] = ra;
	argv[5] = rb;
	out = NULL;
	f = open_memstream(&out, &len);
	is_int(compare_main(6, argv, f), 0, "compare --workloads");
	fclose(f);
	ok(out && strstr(out, "\"dmabench nvme-randread 4K qd32 batch8 poll fixed, direct\",ops/s,1000,1100,0.1,1,1"),
	   "ops/s of a point on both sides, with the change");
	ok(out && strstr(out, "DMA share of kernel %,10,10,0,"), "the DMA share in percent");
	free(out);
}

/* A row with every figure, from n operations, ticks and kernel samples. */
static void full_row(struct workload_row *r, uint64_t n, double ticks,
		     uint64_t samples)
{
	workload_row_init(r);
	r->ops = n;
	r->rate = 1000;
	r->lat_n = n;
	r->lat_min = 1;
	r->lat_p50 = 2;
	r->lat_p90 = 3;
	r->lat_p99 = 4;
	r->lat_p999 = 5;
	r->lat_max = 6;
	r->lat_mean = 2.5;
	r->ns_per_page = 7;
	r->cpu_ticks = ticks;
	r->cpu_ns_per_op = 8;
	r->kcycles_per_op = 9;
	r->dma_share = 0.1;
	r->share_source = "cpu-clock";
	r->kernel_samples = samples;
}

static void test_enough(void)
{
	struct workload_row r;
	char note[512];

	is_int(wl_min_ops(500), 20, "p50 needs 20 operations");
	is_int(wl_min_ops(999), 10000, "p99.9 needs 10000");

	full_row(&r, 100000, 5000, 20000);
	snprintf(note, sizeof(note), "kept");
	is_int(workload_row_enough(&r, note, sizeof(note)), 0,
	       "plenty of data: nothing emptied");
	is_str(note, "kept", "plenty of data: the note unchanged");
	ok(!isnan(r.lat_p999) && !isnan(r.cpu_ns_per_op) && !isnan(r.dma_share),
	   "plenty of data: p99.9, CPU and share stay");

	/* What the issue saw under ICOUNT: 0 ticks, 2 to 4 samples. */
	full_row(&r, 640, 0, 3);
	note[0] = '\0';
	is_int(workload_row_enough(&r, note, sizeof(note)), 4,
	       "640 I/Os, 0 ticks, 3 samples: p99, p99.9, CPU and share emptied");
	ok(!isnan(r.lat_p50) && !isnan(r.lat_p90) && isnan(r.lat_p99) &&
	   isnan(r.lat_p999), "640 I/Os: p50 and p90 stay, p99 and p99.9 go");
	ok(!isnan(r.lat_min) && !isnan(r.lat_max) && !isnan(r.lat_mean) &&
	   !isnan(r.rate) && !isnan(r.kcycles_per_op),
	   "min, max, mean, rate and counters stay");
	ok(isnan(r.cpu_ns_per_op) && isnan(r.dma_share), "CPU and share empty");
	is_int(r.kernel_samples, 3, "the sample count itself stays");
	ok(strstr(note, "too few operations for p99, p99.9: 640, needs 1000 for p99, 10000 for p99.9") != NULL,
	   "the note names the quantiles, what they had, what they need: %s", note);
	ok(strstr(note, "cpu_ns_per_op: 0 busy ticks of /proc/stat, needs 100") != NULL,
	   "the note names the ticks");
	ok(strstr(note, "dma_share: 3 non-idle kernel samples, needs 1000") != NULL,
	   "the note names the samples");

	full_row(&r, 10, 99.5, 999);
	note[0] = '\0';
	is_int(workload_row_enough(&r, note, sizeof(note)), 7,
	       "10 operations, 99.5 ticks, 999 samples: all quantiles, ns_per_page, CPU, share");
	ok(isnan(r.ns_per_page) && isnan(r.lat_p50), "no median, no ns_per_page");

	full_row(&r, 50, NAN, 1000);
	r.lat_n = 20000;	/* fio: its latency count, not the window's */
	note[0] = '\0';
	is_int(workload_row_enough(&r, note, sizeof(note)), 1,
	       "lat_n counts for the quantiles; unknown ticks empty the CPU");
	ok(strstr(note, "tick length is unknown") != NULL, "and say so");
}

void test_workload(void)
{
	snprintf(top, sizeof(top), "/tmp/dmabench-wl-XXXXXX");
	if (!mkdtemp(top)) {
		ok(0, "mkdtemp");
		return;
	}
	test_row();
	test_enough();
	test_out();
	test_collect_compare();
	remove_tree(top);
}
