// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare end to end, on small run directories made here:
 * matching, what is listed as not compared, refusals, pooling, and the
 * shape of the text report.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "compare_tests.h"
#include "csv.h"
#include "results.h"
#include "tap.h"
#include "util.h"

static char top[256];

#define B	"b-run-with-a-name-far-too-long-for-one-line-of-a-mail-that-goes-on-and-on-and-on"

/* n samples whose pair ticks are pair, pair + step, pair + 2 step... */
static void put_samples(const char *dir, const char *name, int n, int pair,
			int step)
{
	char *text = malloc(32 + 40 * n);
	size_t len;

	strcpy(text, "map,unmap,pair\n");
	for (int i = 0; i < n; i++) {
		len = strlen(text);
		sprintf(text + len, "%d,%d,%d\n", pair / 2, pair - pair / 2,
			pair + i * step);
	}
	tap_put_file(dir, name, text);
	free(text);
}

struct row {
	const char *api, *path, *size, *status, *note;
	int pair, step;		/* samples; pair 0: none */
	const char *unit;	/* NULL: the run's */
};

/*
 * summary.csv as runs had it before max_irqoff, and with the point
 * columns added since; compare finds columns by name.
 */
#define HEADER \
	"api,path,size,dir,threads,op,unit,n,min,median,p90,p99,max,mean," \
	"harness,net_median,nents,offset,attrs,observed,status,note,boot," \
	"samples"
#define HEADER_NEWER	HEADER ",pattern,batch,working_set"

/* "arch" of the next make_run's meta.json; NULL: none (an older run). */
static const char *make_arch;

/* A run directory with one boot and rows of op pair. */
static void make_run(const char *name, const char *run_unit, const char *clock,
		     bool emulated, const char *release,
		     const struct row *rows, int n, bool newer)
{
	char dir[512], path[600], json[1024], file[128], line[512], arch[64] = "";
	char *csv = malloc(8192), median[32];

	snprintf(dir, sizeof(dir), "%s/%s", top, name);
	mkdir(dir, 0777);
	snprintf(path, sizeof(path), "%s/samples", dir);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/samples/boot0", dir);
	mkdir(path, 0777);
	if (make_arch)
		snprintf(arch, sizeof(arch), "\t\"arch\": \"%s\",\n", make_arch);
	snprintf(json, sizeof(json),
		 "{\n\t\"format\": 1,\n%s\t\"unit\": \"%s\",\n"
		 "\t\"clock\": {\"source\": \"%s\", \"tsc_khz\": 2000000},\n"
		 "\t\"emulated\": %s,\n"
		 "\t\"boots\": [{\"kernel\": {\"release\": \"%s\"},\n"
		 "\t\t\"cpu\": {\"model\": \"Test CPU \\u00e9 9000\"},\n"
		 "\t\t\"module\": {\"tsc_khz\": 2000000}}]\n}\n",
		 arch, run_unit, clock, emulated ? "true" : "false", release);
	tap_put_file(dir, "meta.json", json);
	strcpy(csv, newer ? HEADER_NEWER "\n" : HEADER "\n");
	for (int i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		const char *unit = r->unit ? r->unit : run_unit;

		file[0] = '\0';
		if (r->pair) {
			snprintf(file, sizeof(file), "samples/boot0/%s-%s-%s-%s.csv",
				 r->api, r->path, r->size, unit);
			put_samples(dir, file, 30, r->pair, r->step);
		}
		median[0] = '\0';
		/* of pair, ..., pair + 29 step; ns at 2 GHz: half */
		if (r->pair)
			snprintf(median, sizeof(median), "%g",
				 (r->pair + 14.5 * r->step) /
				 (strcmp(unit, "ns") ? 1 : 2));
		snprintf(line, sizeof(line),
			 "%s,%s,%s,to_device,1,pair,%s,30,,%s,,,,,,,1,0,0,direct,%s,%s,0,%s%s\n",
			 r->api, r->path, r->size, unit, median, r->status,
			 r->note, file, newer ? ",pair,1,1" : "");
		strcat(csv, line);
	}
	tap_put_file(dir, "summary.csv", csv);
	free(csv);
}

/* Run compare with args (a NULL-terminated list); out gets the report. */
static int run(char **out, ...)
{
	char *argv[32] = { "compare" }, *buf = NULL;
	int argc = 1, ret;
	size_t len;
	va_list ap;
	FILE *f;

	va_start(ap, out);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	f = open_memstream(&buf, &len);
	ret = compare_main(argc, argv, f);
	fclose(f);
	*out = buf;
	return ret;
}

static char *path_of(const char *name)
{
	static char p[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", top, name);
	return p[i];
}

/* Every line under 80 columns and printable ASCII. */
static bool mail_safe(const char *text, int *worst)
{
	int col = 0;
	bool good = true;

	*worst = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n') {
			col = 0;
			continue;
		}
		if (*p < 0x20 || *p > 0x7e)
			good = false;
		if (++col > *worst)
			*worst = col;
	}
	return good && *worst < 80;
}

static void make_runs(void)
{
	static const struct row a[] = {
		{ "page", "direct", "64", "ok", "", 100, 0, NULL },
		{ "phys", "direct", "64", "unsupported",
		  "dma_map_phys not in this kernel", 0, 0, NULL },
		{ "page", "direct", "4096", "ok", "", 120, 0, NULL },
		{ "single", "direct", "64", "ok", "", 200, 1, NULL },
		{ "sg", "direct", "64", "ok", "", 0, 0, NULL },	/* mean only */
	};
	static const struct row a2[] = {
		{ "page", "direct", "64", "ok", "", 102, 0, NULL },
		{ "single", "direct", "64", "ok", "", 204, 1, NULL },
	};
	static const struct row b[] = {
		{ "page", "direct", "64", "ok", "", 90, 0, NULL },
		{ "phys", "direct", "64", "ok", "", 80, 0, NULL },
		{ "page", "swiotlb", "64", "ok", "", 900, 0, NULL },
		{ "single", "direct", "64", "ok", "", 200, 1, NULL },
		{ "sg", "direct", "64", "ok", "", 500, 0, NULL },
	};
	/* one point in two units: two points, never pooled */
	static const struct row u1[] = {
		{ "page", "direct", "64", "ok", "", 100, 0, NULL },
		{ "page", "direct", "64", "ok", "", 100, 0, "ns" },
	};
	static const struct row u2[] = {
		{ "page", "direct", "64", "ok", "", 90, 0, NULL },
		{ "page", "direct", "64", "ok", "", 100, 0, "ns" },
	};

	make_run("a", "instructions", "icount", true, "6.12.0-a", a, 5, false);
	make_run("a2", "instructions", "icount", true, "6.12.0-a", a2, 2, false);
	/* a name too long for a line, to be cut, not to overflow */
	make_run("b-run-with-a-name-far-too-long-for-one-line-of-a-mail-that-goes-on-and-on-and-on",
		 "instructions", "icount", true, "6.18.0-rc7-00123-gabcdef012345",
		 b, 5, true);
	make_run("ns", "ns", "tsc", false, "6.12.0-a", a, 5, false);
	make_run("emu", "instructions", "tsc", true, "6.12.0-a", a, 5, false);
	make_run("u1", "instructions", "icount", true, "6.12.0-a", u1, 2, false);
	make_run("u2", "instructions", "icount", true, "6.12.0-a", u2, 2, false);
	make_arch = "aarch64";
	make_run("arm", "instructions", "icount", true, "7.3.0-arm64", b, 5, false);
	make_arch = "x86_64";
	make_run("x86", "instructions", "icount", true, "6.12.0-a", a, 5, false);
	make_arch = NULL;
}

static void kernels(void)
{
	char *out;
	bool safe;
	int worst;

	is_int(run(&out, path_of("a"), path_of(B), NULL), 0,
	       "compare A B: exit 0");
	if (!out)
		return;
	ok(strstr(out, "6.12.0-a") && strstr(out, "6.18.0-rc7"),
	   "both kernel releases head the report");
	ok(strstr(out, "instructions (clock icount)"), "the unit is stated");
	ok(strstr(out, "Test CPU ? 9000, emulated"),
	   "the machine, emulated, non-ASCII made '?'");
	ok(strstr(out, "Holm-Bonferroni adjusted over the 2 points"),
	   "Holm over the two points both sides have");
	ok(strstr(out, "threshold") || strstr(out, "|change| > 1%"),
	   "the threshold is stated");
	ok(strstr(out, "page on direct\n"), "a group per api and path");
	ok(strstr(out, "64 to_dev   pair       100       90  -10.0% [ -10.0, -10.0]      0 faster"),
	   "page 64: 100 -> 90, -10 %%, faster");
	ok(strstr(out, "pair     214.5    214.5   +0.0%"),
	   "single 64: same samples, no change");
	ok(strstr(out, "only in A:\n    page on direct: 4K to_dev pair\n"),
	   "the point only A has is listed");
	ok(strstr(out, "only in B:\n    page on swiotlb: 64 to_dev pair\n"),
	   "the point only B has is listed");
	ok(strstr(out, "A unsupported: dma_map_phys not in this kernel:\n    phys on direct: 64 to_dev pair\n"),
	   "a row not ok is listed with its note");
	ok(strstr(out, "A without samples:\n    sg on direct: 64 to_dev pair\n"),
	   "a mean-only row is listed as without samples");
	safe = mail_safe(out, &worst);
	ok(safe, "text lines are ASCII and under 80 columns (longest %d)", worst);
	if (!safe)
		tap_diag("%s", out);
	free(out);
}

static void reproducible(void)
{
	char *o1, *o2, *o3;

	run(&o1, "--format", "csv", path_of("a"), path_of(B), NULL);
	run(&o2, "--format", "csv", path_of("a"), path_of(B), NULL);
	run(&o3, "--format", "csv", "--seed", "9", path_of("a"),
	    path_of(B), NULL);
	ok(o1 && o2 && !strcmp(o1, o2), "same seed, same output");
	ok(o1 && o3 && strcmp(o1, o3), "another seed changes an interval");
	free(o1);
	free(o2);
	free(o3);
}

/* Field i of each CSV record whose field 2..4 are path, size, api_a. */
static void check_csv(void)
{
	char *out, *p;
	const char *pos, *end;
	struct csv_record rec;
	int rows = 0, states = 0;

	run(&out, "--format", "csv", path_of("a"), path_of(B), NULL);
	if (!ok(out, "csv report"))
		return;
	pos = out;
	end = out + strlen(out);
	csv_read(&pos, end, &rec);
	ok(rec.n == 31 && !strcmp(rec.field[11], "state"), "csv header");
	csv_record_free(&rec);
	while (csv_read(&pos, end, &rec) == 1) {
		rows++;
		p = rec.field[11];
		if (!strcmp(rec.field[0], "page") && !strcmp(rec.field[3], "4096"))
			states += !strcmp(p, "only_a");
		if (!strcmp(rec.field[2], "swiotlb"))
			states += !strcmp(p, "only_b");
		if (!strcmp(rec.field[0], "phys"))
			states += !strcmp(p, "not_ok") &&
				  strstr(rec.field[30], "A unsupported");
		if (!strcmp(rec.field[0], "page") && !strcmp(rec.field[3], "64") &&
		    !strcmp(rec.field[2], "direct"))
			states += !strcmp(p, "compared") &&
				  !strcmp(rec.field[16], "-10") &&
				  !strcmp(rec.field[23], "faster");
		csv_record_free(&rec);
	}
	is_int(rows, 6, "csv: a row per point, compared or not");
	is_int(states, 4, "csv: each point in its state");
	free(out);
}

/* The unit is part of a point: the same point in two units is two. */
static void units(void)
{
	char *out;

	is_int(run(&out, "--format", "csv", path_of("u1"), path_of("u2"),
		   NULL), 0, "runs with a point in two units");
	ok(out && strstr(out, ",pair,instructions,1,0,0,compared,30,30,100,90,-10,") &&
	   strstr(out, ",pair,ns,1,0,0,compared,30,30,50,50,0,"),
	   "each unit its own point: -10 %% and 0 %%");
	if (out && !strstr(out, ",pair,ns,"))
		tap_diag("%s", out);
	free(out);
}

static void within(void)
{
	char *out;
	bool safe;
	int worst;

	is_int(run(&out, "--within", path_of(B), "--a", "page", "--b", "phys",
		   NULL), 0, "--within b --a page --b phys");
	if (!out)
		return;
	ok(strstr(out, "phys (B) against page (A)"), "--within: title");
	ok(strstr(out, "Holm-Bonferroni adjusted over the 1 point"),
	   "--within: one point shared");
	ok(strstr(out, "64 to_dev   pair        90       80  -11.1%"),
	   "--within: page 90 against phys 80");
	ok(strstr(out, "only in A (page):\n    swiotlb: 64 to_dev pair\n"),
	   "--within: page's swiotlb point is only in A");
	safe = mail_safe(out, &worst);
	ok(safe, "--within: mail-safe (longest %d)", worst);
	free(out);
}

static void pooled(void)
{
	char a[2 * PATH_MAX + 2], *out;
	bool safe;
	int worst;

	snprintf(a, sizeof(a), "%s,%s", path_of("a"), path_of("a2"));
	is_int(run(&out, "--op", "pair", a, path_of(B), NULL), 0,
	       "two runs pooled on side A");
	if (!out)
		return;
	ok(strstr(out, "A runs:   a, a2"), "pooled: both runs named");
	ok(strstr(out, "runs: A 100..102 (2), B 90..90 (1)"),
	   "pooled: the spread of the runs' medians");
	/* pooled: 30 x 100 and 30 x 102, median 101 */
	ok(strstr(out, "pair       101       90"), "pooled: median of the pool");
	safe = mail_safe(out, &worst);
	ok(safe, "pooled: mail-safe (longest %d)", worst);
	free(out);
}

static void refusals(void)
{
	char *out;

	tap_diag("refusals follow on stderr");
	is_int(run(&out, path_of("a"), path_of("ns"), NULL), 1,
	       "instructions against ns refused");
	ok(out && !out[0], "refused: no report");
	free(out);
	is_int(run(&out, path_of("ns"), path_of("emu"), NULL), 1,
	       "emulated against not emulated refused");
	free(out);
	is_int(run(&out, path_of("a"), path_of("emu"), NULL), 1,
	       "clock icount against tsc refused");
	free(out);
	is_int(run(&out, path_of("a"), path_of("arm"), NULL), 1,
	       "x86_64 (no arch: an older run) against aarch64 refused");
	free(out);
	is_int(run(&out, path_of("x86"), path_of("arm"), NULL), 1,
	       "x86_64 against aarch64 refused");
	free(out);
	is_int(run(&out, path_of("a"), path_of("x86"), NULL), 0,
	       "a run without arch is x86_64's");
	free(out);
	is_int(run(&out, "--cross", path_of("x86"), path_of("arm"), NULL), 0,
	       "--cross: x86_64 against aarch64 compared anyway");
	ok(out && strstr(out, "x86 ran on x86_64, arm on aarch64"),
	   "--cross: the warning names both architectures");
	free(out);
	is_int(run(&out, "--cross", path_of("a"), path_of("ns"), NULL), 0,
	       "--cross: compared anyway");
	ok(out && !strncmp(out, "WARNING: --cross: a is in instructions, ns in ns",
			   48), "--cross: the report starts with the warning");
	ok(out && strstr(out, "faster"), "--cross: and has the table");
	free(out);
	is_int(run(&out, path_of("a"), path_of("nowhere"), NULL), 1,
	       "a missing run refused");
	free(out);
	is_int(run(&out, path_of("a"), NULL), 2, "one run is not enough: exit 2");
	free(out);
	is_int(run(&out, "--within", path_of("a"), "--a", "page", NULL), 2,
	       "--within without --b refused");
	free(out);
}

/* A unit after a long first part starts a line of its own, uncut. */
static void wrap_after_long_first(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cmp_wrap w;

	if (!ok(f != NULL, "memory stream for the wrap test"))
		return;
	cmp_wrap_begin(&w, f, "    resource on swiotlb, pattern batch, batch 16, working set 16:",
		       "      ");
	cmp_wrap_word(&w, "64 to_dev pair,");
	cmp_wrap_word(&w, "512 bidir pair");
	cmp_wrap_end(&w);
	fclose(f);
	ok(strstr(buf, "\n      64 to_dev pair, 512 bidir pair") != NULL,
	   "a unit that does not fit after the first part moves to the next line whole");
	free(buf);
}

void test_compare(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(top, sizeof(top), "%s/dmabench-cmp-XXXXXX", tmp ? tmp : "/tmp");
	if (!ok(mkdtemp(top), "temporary directory"))
		return;
	wrap_after_long_first();
	make_runs();
	kernels();
	reproducible();
	check_csv();
	units();
	within();
	pooled();
	refusals();
	if (!getenv("KEEP"))
		remove_tree(top);
}
