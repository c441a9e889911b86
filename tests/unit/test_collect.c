// SPDX-License-Identifier: GPL-2.0
/*
 * collect: merge two hand-made parts and read the run back.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect.h"
#include "csv.h"
#include "json.h"
#include "results.h"
#include "tap.h"
#include "util.h"

static char top[256];

static void make_part(const char *name, const char *unit, const char *release,
		      const char *path, const char *note, bool emulated)
{
	char dir[512], samples[600], json[2048], csv[1024], file[128];

	snprintf(dir, sizeof(dir), "%s/%s", top, name);
	snprintf(samples, sizeof(samples), "%s/samples", dir);
	mkdir(dir, 0777);
	mkdir(samples, 0777);
	snprintf(json, sizeof(json),
		 "{\n\t\"format\": 1,\n"
		 "\t\"suite\": {\"name\": \"dmabench\", \"rev\": \"abc\"},\n"
		 "\t\"date\": \"2025-01-01T00:00:00Z\",\n"
		 "\t\"command\": \"dmabench micro --part %s\",\n"
		 "\t\"unit\": \"%s\",\n"
		 "\t\"clock\": {\"source\": \"tsc\", \"tsc_khz\": 1000000},\n"
		 "\t\"emulated\": %s,\n\t\"hypervisor\": true,\n"
		 "\t\"statistics\": {\"quantiles\": \"q\", \"harness\": \"h\"},\n"
		 "\t\"boot\": {\n\t\t\"kernel\": {\"release\": \"%s\"},\n"
		 "\t\t\"paths\": [\"%s\"]\n\t}\n}\n",
		 name, unit, emulated ? "true" : "false", release, path);
	tap_put_file(dir, "part.json", json);
	snprintf(file, sizeof(file), "samples/page-%s-4096-to_device.csv", path);
	snprintf(csv, sizeof(csv),
		 SUMMARY_HEADER "\n"
		 "page,%s,4096,to_device,2,map,%s,2,1,1.5,1.9,1.99,2,1.5,0.5,1,1,0,0,direct,ok,%s,0,%s,7,"
		 "batch,16,32,1000,1,2,0.5,wide-ci,0.25\n"
		 "page,%s,4096,to_device,2,unmap,%s,2,1,1,1,1,1,1,0.5,0.5,1,0,0,direct,ok,,0,%s,7,"
		 "batch,16,32,1000,1,1,0,,0.25\n"
		 "phys,%s,4096,to_device,2,map,%s,0,,,,,,,0.5,,1,0,0,none,unsupported,"
		 "\"dma_map_phys not in this kernel (added in Linux 6.18)\",0,,,batch,16,32,,,,,,\n",
		 path, unit, note, file, path, unit, file, path, unit);
	tap_put_file(dir, "summary.csv", csv);
	tap_put_file(dir, file, "map,unmap,pair\n1,1,2\n2,1,3\n");
	/* The exact traces (make vm-trace): concatenated, nothing added. */
	snprintf(csv, sizeof(csv), TRACE_HEADER "\n"
		 "page,%s,4096,to_device,map,dma_map_page_attrs,1,13,159\n", path);
	tap_put_file(dir, "trace.csv", csv);
	snprintf(csv, sizeof(csv), TRACE_POINTS_HEADER "\n"
		 "page,%s,4096,to_device,map,1,159,21,6\n", path);
	tap_put_file(dir, "trace-points.csv", csv);
	snprintf(csv, sizeof(csv), "page %s tree\n\n", path);
	tap_put_file(dir, "trace.txt", csv);
	if (!strcmp(name, "p2"))	/* p1 has no threads.csv: it need not */
		tap_put_file(dir, "threads.csv", THREADS_HEADER "\n"
		    "page,iommu-lazy,4096,to_device,2,1,0,0,batch,16,32,0,0,0,pair,ns,2,2.5,2.5,500\n"
		    "page,iommu-lazy,4096,to_device,2,1,0,0,batch,16,32,0,1,3,pair,ns,2,2.5,2.5,500\n");
}

static char *slurp(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return read_all(path, NULL);
}

static int entries(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.' || strncmp(de->d_name, ".tmp-", 5) == 0;
	if (d)
		closedir(d);
	return n;
}

/* Field i of the data row r (0-based, header excluded) of summary.csv. */
static char *field(const char *csv, int r, int i)
{
	const char *pos = csv, *end = csv + strlen(csv);
	struct csv_record rec;
	char *s = NULL;

	for (int k = 0; k <= r + 1; k++) {
		if (csv_read(&pos, end, &rec) != 1)
			return NULL;
		if (k == r + 1 && i < rec.n)
			s = strdup(rec.field[i]);
		csv_record_free(&rec);
	}
	return s;
}

static void check_field(const char *csv, int r, int i, const char *want,
			const char *name)
{
	char *got = field(csv, r, i);

	is_str(got, want, name);
	free(got);
}

static void check_meta(const char *run)
{
	char *meta = slurp(run, "meta.json");
	json_t *d = meta ? json_loads(meta, 0, NULL) : NULL;
	json_t *boots = json_object_get(d, "boots");
	char rel[64];

	ok(d != NULL, "meta.json is valid JSON");
	ok(json_is_array(boots), "meta.json has boots");
	ok(!json_str_at(json_array_get(boots, 0), "kernel.release", rel,
			sizeof(rel)) && !strcmp(rel, "6.18.0-a"),
	   "boot 0 is the first part's");
	ok(!json_str_at(json_array_get(boots, 1), "kernel.release", rel,
			sizeof(rel)) && !strcmp(rel, "6.18.0-b"),
	   "boot 1 is the second part's");
	is_int(json_array_size(boots), 2, "two boots, no more");
	ok(!json_str_at(d, "unit", rel, sizeof(rel)) && !strcmp(rel, "ns"),
	   "unit kept");
	ok(json_is_true(json_object_get(d, "emulated")),
	   "emulated if any part was");
	ok(!json_str_at(json_array_get(json_object_get(d, "parts"), 1),
			"command", rel, sizeof(rel)) &&
	   !strcmp(rel, "dmabench micro --part p2"), "parts keep their command");
	json_decref(d);
	free(meta);
}

static void check_summary(const char *run)
{
	char *csv = slurp(run, "summary.csv");
	char *copy;

	ok(csv && !strncmp(csv, SUMMARY_HEADER "\n", strlen(SUMMARY_HEADER) + 1),
	   "summary.csv starts with the header");
	if (!csv)
		return;
	check_field(csv, 0, SUMMARY_BOOT, "0", "first part's rows are boot 0");
	check_field(csv, 3, SUMMARY_BOOT, "1", "second part's rows are boot 1");
	check_field(csv, 5, SUMMARY_BOOT, "1", "last row is boot 1");
	ok(!field(csv, 6, 0), "six rows in all");
	check_field(csv, 3, SUMMARY_SAMPLES,
		    "samples/boot1/page-iommu-lazy-4096-to_device.csv",
		    "samples path renumbered");
	check_field(csv, 2, SUMMARY_SAMPLES, "", "no samples stay none");
	check_field(csv, 0, 21, "a, \"quoted\" note", "quoted note survives");
	check_field(csv, 5, 21, "dma_map_phys not in this kernel (added in Linux 6.18)",
		    "unsupported note survives");
	check_field(csv, 3, 9, "1.5", "values untouched");
	check_field(csv, 0, 4, "2", "threads column kept");
	check_field(csv, 3, 25, "batch", "pattern column kept");
	check_field(csv, 3, 32, "wide-ci", "flag column kept");
	check_field(csv, 4, 33, "0.25", "spread column kept");
	copy = slurp(run, "samples/boot1/page-iommu-lazy-4096-to_device.csv");
	is_str(copy, "map,unmap,pair\n1,1,2\n2,1,3\n", "samples copied");
	free(copy);
	copy = slurp(run, "threads.csv");
	ok(copy && !strncmp(copy, THREADS_HEADER "\n", strlen(THREADS_HEADER) + 1),
	   "threads.csv merged, with its header");
	if (copy) {
		check_field(copy, 0, THREADS_BOOT, "1", "threads.csv boot renumbered");
		check_field(copy, 1, 13, "3", "threads.csv cpu kept");
		ok(!field(copy, 2, 0), "threads.csv: two rows, p1 had none");
	}
	free(copy);
	copy = slurp(run, "trace.csv");
	is_str(copy, TRACE_HEADER "\n"
	       "page,direct,4096,to_device,map,dma_map_page_attrs,1,13,159\n"
	       "page,iommu-lazy,4096,to_device,map,dma_map_page_attrs,1,13,159\n",
	       "trace.csv: the parts' rows under one header");
	free(copy);
	copy = slurp(run, "trace-points.csv");
	is_str(copy, TRACE_POINTS_HEADER "\n"
	       "page,direct,4096,to_device,map,1,159,21,6\n"
	       "page,iommu-lazy,4096,to_device,map,1,159,21,6\n",
	       "trace-points.csv: the parts' rows under one header");
	free(copy);
	copy = slurp(run, "trace.txt");
	is_str(copy, "page direct tree\n\npage iommu-lazy tree\n\n",
	       "trace.txt: the parts' trees one after the other");
	free(copy);
	free(csv);
}

static void merge_two(const char *out)
{
	char *parts[2], p1[PATH_MAX], p2[PATH_MAX], run[PATH_MAX];
	const char *base;

	snprintf(p1, sizeof(p1), "%s/p1", top);
	snprintf(p2, sizeof(p2), "%s/p2", top);
	parts[0] = p1;
	parts[1] = p2;
	ok(collect_merge(out, parts, 2, "dmabench collect", run, sizeof(run)) == 0,
	   "two parts merge");
	base = strrchr(run, '/');
	ok(base && strlen(base) > 16 && strstr(base, "-6.18.0-a-"),
	   "run named after the first part's kernel");
	is_int(entries(out), 1, "one run directory, no temporary left");
	check_meta(run);
	check_summary(run);
}

static void refusals(const char *out)
{
	char *parts[2], p1[PATH_MAX], p3[PATH_MAX], none[PATH_MAX];
	char run[PATH_MAX];

	snprintf(p1, sizeof(p1), "%s/p1", top);
	snprintf(p3, sizeof(p3), "%s/p3", top);
	snprintf(none, sizeof(none), "%s/none", top);
	parts[0] = p1;
	parts[1] = p3;
	ok(collect_merge(out, parts, 2, "c", run, sizeof(run)) != 0,
	   "parts with different units refused");
	parts[1] = none;
	ok(collect_merge(out, parts, 2, "c", run, sizeof(run)) != 0,
	   "a directory without part.json refused");
	is_int(entries(out), 1, "nothing written by refused merges");
}

/* A --part directory that is not empty is refused and left alone. */
static void busy_part(void)
{
	char dir[512], keep[600];
	struct outdir o;

	snprintf(dir, sizeof(dir), "%s/busy", top);
	snprintf(keep, sizeof(keep), "%s/keep", dir);
	mkdir(dir, 0777);
	tap_put_file(dir, "keep", "x");
	ok(outdir_open_part(&o, dir) != 0, "non-empty part directory refused");
	outdir_abort(&o);
	ok(path_exists(keep), "and its files are left alone");
}

/* A killed run's staging directory is removed by the next run there. */
static void stale(void)
{
	char parent[512], dead[600], other[600];
	struct outdir o;

	snprintf(parent, sizeof(parent), "%s/stale", top);
	snprintf(dead, sizeof(dead), "%s/.tmp-999999999-abcdef", parent);
	snprintf(other, sizeof(other), "%s/.tmp-notapid", parent);
	mkdir(parent, 0777);
	mkdir(dead, 0777);
	mkdir(other, 0777);
	tap_put_file(dead, "summary.csv", "half\n");
	tap_diag("a removal is said on stderr");
	ok(outdir_open_run(&o, parent) == 0, "stale: a run opened");
	ok(!path_exists(dead), "stale: the gone dmabench's staging directory removed");
	ok(path_exists(other), "stale: what is not one left alone");
	ok(strstr(o.dir, "/.tmp-") != NULL, "stale: the new one is a staging directory");
	outdir_abort(&o);
	ok(!path_exists(o.dir), "stale: and an aborted one goes");
}

static void clocks(void)
{
	json_t *t1 = json_pack("{s:s, s:i}", "source", "tsc", "tsc_khz", 999999);
	json_t *t2 = json_pack("{s:s, s:i}", "source", "tsc", "tsc_khz", 1000000);
	json_t *i1 = json_pack("{s:s, s:i, s:s}", "source", "icount",
			       "tsc_khz", 999999, "conversion", "none");
	json_t *i2 = json_pack("{s:s, s:i, s:s}", "source", "icount",
			       "tsc_khz", 1000000, "conversion", "none");
	json_t *i3 = json_pack("{s:s, s:i, s:s}", "source", "icount",
			       "tsc_khz", 1000000, "conversion", "other");

	ok(collect_same_clock(t1, t1), "clock: the same clock is the same");
	ok(!collect_same_clock(t1, t2),
	   "clock: TSC at 999999 and 1000000 kHz differ (ticks converted)");
	ok(collect_same_clock(i1, i2),
	   "clock: icount's tsc_khz does not matter (nothing converted)");
	ok(!collect_same_clock(i1, i3), "clock: but the rest of it does");
	ok(!collect_same_clock(t1, i1), "clock: tsc is not icount");
	json_decref(t1);
	json_decref(t2);
	json_decref(i1);
	json_decref(i2);
	json_decref(i3);
}

void test_collect(void)
{
	char out[PATH_MAX];
	const char *tmp = getenv("TMPDIR");

	snprintf(top, sizeof(top), "%s/dmabench-test-XXXXXX", tmp ? tmp : "/tmp");
	if (!ok(mkdtemp(top), "temporary directory"))
		return;
	snprintf(out, sizeof(out), "%s/results", top);
	make_part("p1", "ns", "6.18.0-a", "direct", "\"a, \"\"quoted\"\" note\"",
		  false);
	make_part("p2", "ns", "6.18.0-b", "iommu-lazy", "", true);
	make_part("p3", "instructions", "6.18.0-c", "direct", "", false);
	merge_two(out);
	tap_diag("two refusals follow on stderr");
	refusals(out);
	busy_part();
	stale();
	clocks();
	remove_tree(top);
}
