// SPDX-License-Identifier: GPL-2.0
/*
 * Traced calls (attrib.c) and dmabench compare's attribution and
 * summary, on the run directories of tests/unit/data/trace/ (written by
 * its make-fixtures.py): Debian 6.12 and 7.3, same-config source builds
 * of both, and 7.3 on another CPU model.
 *
 * The central check: in every block of the attribution, the deltas
 * printed sum exactly to the difference of the totals printed, read
 * back from the text and from the CSV, not taken from the code.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "compare.h"
#include "compare_tests.h"
#include "csv.h"
#include "tap.h"
#include "util.h"

#define DA	"20261204-101500-6.12.117+deb13-amd64-d6a001"
#define DB	"20261204-102000-7.3.4+deb13-amd64-d73002"
#define SA	"20261204-103000-6.12.117-dmabench-5a6003"

/* tests/unit/data/trace/<name>, found from where this file was compiled. */
static const char *fixture(const char *name)
{
	static char p[4][PATH_MAX];
	static int i;
	const char *slash = strrchr(__FILE__, '/');

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%.*sdata/trace/%s",
		 slash ? (int)(slash - __FILE__ + 1) : 0, __FILE__, name);
	return p[i];
}

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

static bool mail_safe(const char *text, int *worst)
{
	int col = 0;
	bool good = true;

	*worst = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n') {
			if (col && p[-1] == ' ')
				good = false;	/* no trailing blanks */
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

static void base_names(void)
{
	static const char *const cases[][2] = {
		{ "dma_direct_map_page.constprop.0", "dma_direct_map_page" },
		{ "__iommu_map.part.0", "__iommu_map" },
		{ "iommu_dma_map_page.cold", "iommu_dma_map_page" },
		{ "swiotlb_tbl_map_single.isra.0.cold", "swiotlb_tbl_map_single" },
		{ "dma_map_phys", "dma_map_phys" },
		{ "dmabench_map.isra.0 [dmabench]", "dmabench_map [dmabench]" },
		{ "__x86_return_thunk", "__x86_return_thunk" },
	};
	char buf[AT_NAME_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		at_base_name(buf, sizeof(buf), cases[i][0]);
		is_str(buf, cases[i][1], cases[i][0]);
	}
}

static void parse(void)
{
	static const char text[] =
		"api,path,size,dir,op,function,calls,self,total\n"
		"page,swiotlb,4096,to_device,map,dma_map_page_attrs,1,30,300\n"
		"page,swiotlb,4096,to_device,map,swiotlb_tbl_map_single.isra.0,1,200,250\n"
		"page,swiotlb,4096,to_device,map,swiotlb_tbl_map_single.isra.0.cold,1,5,5\n"
		"page,swiotlb,4096,to_device,map,__x86_return_thunk,4,4,4\n"
		"page,swiotlb,4096,to_device,unmap,dma_unmap_page_attrs,1,61,61\n";
	static const char good[] =
		"api,path,size,dir,op,tag,instructions,caller,functions\n"
		"page,swiotlb,4096,to_device,map,t,239,dmabench_run_page,4\n";
	static const char bad[] =
		"api,path,size,dir,op,tag,instructions,caller,functions\n"
		"page,swiotlb,4096,to_device,map,t,240,dmabench_run_page,4\n";
	struct at_call pair;
	const struct at_call *c;
	struct at_trace t;

	if (!ok(!at_parse(&t, "trace.csv", text, good), "trace.csv parsed, trace-points.csv agrees"))
		return;
	is_int(t.n, 2, "two calls: map and unmap");
	c = at_get(&t, "page", "swiotlb", 4096, "to_device", "map", NULL);
	ok(c && c->total == 239 && c->nf == 3,
	   "map: 239 instructions in 3 functions (two clones merged)");
	is_int(t.clones, 2, "two rows were clones");
	c = at_get(&t, "page", "swiotlb", 4096, "to_device", "pair", &pair);
	ok(c && c->total == 300 && c->nf == 4, "pair: map + unmap, 300 in 4");
	if (c)
		at_call_free(&pair);
	ok(!at_get(&t, "phys", "swiotlb", 4096, "to_device", "map", NULL),
	   "a call not traced is NULL");
	at_free(&t);
	tap_diag("a refusal follows on stderr");
	ok(at_parse(&t, "trace.csv", text, bad) == -EINVAL,
	   "trace-points.csv disagreeing with the sum is refused");
	ok(at_parse(&t, "trace.csv", "api,path,size\n", NULL) == -EINVAL,
	   "a trace.csv without its columns is refused");
}

/*
 * Read the text attribution back: for every block header
 * "...: A x, B y, +d (...)", add up the delta column of its function
 * rows and check it against the header and the total row.  Returns the
 * blocks read; *bad counts those that do not add up.
 */
static int all_blocks(const char *out, const char *sa, const char *sb,
		      int *bad)
{
	char head[32];
	const char *p = out;
	int blocks = 0;

	snprintf(head, sizeof(head), ": %s ", sa);
	*bad = 0;
	while ((p = strstr(p, head)) != NULL) {
		long long ta, tb, chg, x, y, d, sum = 0;
		char fmt[64], kind[16];
		const char *nl;

		snprintf(fmt, sizeof(fmt), ": %s %%lld, %s %%lld, %%lld", sa, sb);
		if (sscanf(p, fmt, &ta, &tb, &chg) != 3) {
			p++;
			continue;
		}
		p = strchr(p, '\n');
		p = p ? strchr(p + 1, '\n') : NULL;	/* heading row */
		while (p && *++p && (nl = strchr(p, '\n'))) {
			const char *e = nl;
			int k = 0;

			if (sscanf(p, " %15s", kind) != 1)
				break;
			while (k < 3 && e > p) {
				e--;
				if (*e == ' ' && e[1] != ' ')
					k++;
			}
			if (sscanf(e, " %lld %lld %lld", &x, &y, &d) != 3) {
				p = nl;
				continue;	/* a long name on its own line */
			}
			if (!strcmp(kind, "total")) {
				blocks++;
				if (sum != chg || chg != tb - ta || x != ta ||
				    y != tb || d != chg) {
					(*bad)++;
					tap_diag("block %d: sum %lld, change %lld, %lld -> %lld",
						 blocks, sum, chg, ta, tb);
				}
				break;
			}
			sum += d;
			p = nl;
		}
		if (!p)
			break;
	}
	return blocks;
}

#define LEAD	"dmabench compare: B against A\n\nSummary: median instructions of map+unmap (op pair) at 4K to_dev; last,\n"

static void kernels(void)
{
	char *out;
	int bad, worst, blocks;
	bool safe;

	is_int(run(&out, fixture(DA), fixture(DB), NULL), 0,
	       "compare Debian 6.12 7.3 with traces: exit 0");
	if (!out)
		return;
	ok(!strncmp(out, LEAD, strlen(LEAD)),
	   "the text report begins with the summary");
	ok(strstr(out, "  page on direct                164      284   +73.2% slower  differ 2 of 2\n"),
	   "summary: page on direct 164 -> 284, slower, at both sizes");
	ok(strstr(out, "  single on direct              240      240    +0.0% same    same at all 2\n"),
	   "summary: a group equal everywhere folds into one line");
	ok(strstr(out, "  phys on direct                  -      246        - -       only in B\n"),
	   "summary: a group only B has, with B's median");
	ok(strstr(out, "\npage on direct\n   size dir") &&
	   strstr(out, "\nAttribution:") > strstr(out, "\npage on direct\n   size dir"),
	   "the full table stays, the attribution after it");
	ok(strstr(out, "page on direct, 4K to_dev, map: A 90, B 170, +80 (+88.9%)"),
	   "attribution: page map on direct, 90 -> 170");
	ok(strstr(out, "  appeared  dma_map_phys                                0      48     +48\n"),
	   "dma_map_phys appeared, +48");
	ok(strstr(out, "  vanished  dma_direct_map_page                        30       0     -30\n"),
	   "the clone dma_direct_map_page.constprop.0 is named as its function");
	ok(strstr(out, "  same      6 functions                               406     406      +0\n"),
	   "iommu-strict map: __iommu_map and its .part.0 clone merged: same");
	blocks = all_blocks(out, "A", "B", &bad);
	is_int(blocks, 6, "six blocks: 2 paths x map, unmap, pair");
	is_int(bad, 0, "in every block the deltas sum exactly to B - A");
	ok(strstr(out, "sum exactly to the difference of the") &&
	   strstr(out, "are merged with their function"),
	   "a closing line says the sums are exact and clones merged");
	safe = mail_safe(out, &worst);
	ok(safe, "text: ASCII, no trailing blanks, under 80 columns (longest %d)",
	   worst);
	if (!safe)
		tap_diag("%s", out);
	free(out);
}

/* The attribution CSV: per (api, path, op) the deltas sum to the change. */
static void csv_sums(void)
{
	struct csv_record rec;
	const char *pos, *end;
	char *out, key[160] = "";
	long long sum = 0, change = 0;
	int blocks = 0, bad = 0, rows = 0;

	is_int(run(&out, "--attribution", "--format", "csv", fixture(DA),
		   fixture(DB), NULL), 0, "--attribution --format csv");
	if (!out)
		return;
	pos = out;
	end = out + strlen(out);
	csv_read(&pos, end, &rec);
	ok(rec.n == 15 && !strcmp(rec.field[10], "delta") &&
	   !strcmp(rec.field[14], "total_b"), "attribution csv header");
	csv_record_free(&rec);
	for (;;) {
		int got = csv_read(&pos, end, &rec);
		char k[160];

		if (got == 1)
			snprintf(k, sizeof(k), "%s %s %s %s %s", rec.field[0],
				 rec.field[2], rec.field[3], rec.field[4],
				 rec.field[5]);
		if (got != 1 || strcmp(k, key)) {
			if (key[0]) {
				blocks++;
				bad += sum != change;
			}
			if (got != 1)
				break;
			snprintf(key, sizeof(key), "%s", k);
			sum = 0;
			change = atoll(rec.field[14]) - atoll(rec.field[13]);
		}
		sum += atoll(rec.field[10]);
		rows++;
		csv_record_free(&rec);
	}
	is_int(blocks, 6, "csv: six blocks");
	is_int(bad, 0, "csv: deltas sum to total_b - total_a in every block");
	ok(rows > 40, "csv: every function a row, the unchanged too (%d)", rows);
	ok(strstr(out, "page,page,direct,4096,to_device,map,dma_map_phys,appeared,0,48,48,0,1,90,170\n"),
	   "csv: dma_map_phys appeared, +48, called once");
	free(out);
}

static void within(void)
{
	char *out;
	int bad, worst = 0;

	is_int(run(&out, "--within", fixture(DB), "--a", "page", "--b", "phys",
		   NULL), 0, "--within DB --a page --b phys");
	if (!out)
		return;
	ok(strstr(out, "direct, 4K to_dev, map: page 170, phys 150, -20 (-11.8%)"),
	   "--within: the wrapper costs 20 on map");
	ok(strstr(out, "  vanished  dma_map_page_attrs                         20       0     -20\n"),
	   "--within: dma_map_page_attrs is all of it");
	all_blocks(out, "page", "phys", &bad);
	is_int(bad, 0, "--within: every block sums exactly");
	ok(mail_safe(out, &worst), "--within: mail-safe (longest %d)", worst);
	free(out);
	is_int(run(&out, "--within", fixture(DB), "--a", "phys", "--b",
		   "phys_page", "--attribution", NULL), 0,
	       "--within --a phys --b phys_page: any api name");
	ok(out && strstr(out, "direct, 4K to_dev, pair: phys 246, phys_page 246, +0"),
	   "phys_page against phys, pair");
	free(out);
	is_int(run(&out, "--api", "phys_page,page", "--summary", fixture(DA),
		   fixture(DB), NULL), 0, "--api with phys_page");
	ok(out && strstr(out, "page on direct") && !strstr(out, "single"),
	   "--api filters by name");
	free(out);
}

/* Debian 6.12 against the same-config build: the clone merged. */
static void clones(void)
{
	char *out;

	is_int(run(&out, "--attribution", "--op", "map", "--path", "direct",
		   fixture(DA), fixture(SA), NULL), 0,
	       "--attribution --op map --path direct, Debian against source");
	ok(out && strstr(out, "  shrank    dma_direct_map_page                        30      26      -4\n"),
	   "dma_direct_map_page.constprop.0 (Debian) against dma_direct_map_page (source): shrank");
	ok(out && !strstr(out, "unmap:") && !strstr(out, "iommu"),
	   "--op and --path filter the blocks");
	ok(out && !strstr(out, "Summary"), "--attribution: that part only");
	free(out);
	is_int(run(&out, "--no-attribution", fixture(DA), fixture(SA), NULL),
	       0, "--no-attribution");
	ok(out && strstr(out, "Summary") && !strstr(out, "Attribution"),
	   "--no-attribution: the report without it");
	free(out);
}

static void md(void)
{
	char *out;

	is_int(run(&out, "--format", "md", fixture(DA), fixture(DB), NULL), 0,
	       "--format md with traces");
	ok(out && strstr(out, "### Attribution") &&
	   strstr(out, "| appeared | `dma_map_phys` | 0 | 48 | +48 |") &&
	   strstr(out, "| **total** | 7 functions | 90 | 170 | +80 |"),
	   "md: a table per block with its total");
	free(out);
	is_int(run(&out, "--summary", "--format", "md", fixture(DA),
		   fixture(DB), NULL), 0, "--summary --format md");
	ok(out && strstr(out, "| single on direct | 240 | 240 | +0.0% | same | same at all 2 |"),
	   "md summary: the folded group");
	free(out);
	is_int(run(&out, "--summary", "--format", "csv", fixture(DA),
		   fixture(DB), NULL), 0, "--summary --format csv");
	ok(out && strstr(out, "page on direct,164,284,73.") &&
	   strstr(out, "single on direct,240,240,0,same,2,2,\n") &&
	   strstr(out, "phys on direct,,246,,,0,0,only in B\n"),
	   "csv summary");
	if (out && !strstr(out, "single on direct,240,240,0,same,2,2,\n"))
		tap_diag("%s", out);
	free(out);
}

static void refusals(void)
{
	char *out;
	char tmp[] = "/tmp/dmabench-attrib-XXXXXX";
	char dir[PATH_MAX + 32], cmd[3 * PATH_MAX];

	tap_diag("refusals follow on stderr");
	if (!ok(mkdtemp(tmp), "temporary directory"))
		return;
	/* DB without its trace */
	snprintf(dir, sizeof(dir), "%s/run", tmp);
	snprintf(cmd, sizeof(cmd), "cp -r '%s' '%s' && rm '%s/trace.csv'",
		 fixture(DB), dir, dir);
	ok(system(cmd) == 0, "a copy of a run without trace.csv");
	is_int(run(&out, "--attribution", fixture(DA), dir, NULL), 1,
	       "--attribution without a trace on B: refused");
	free(out);
	is_int(run(&out, fixture(DA), dir, NULL), 0,
	       "without --attribution: the report without it");
	ok(out && !strstr(out, "Attribution"), "no attribution part");
	free(out);
	is_int(run(&out, "--attribution", "--summary", fixture(DA), dir, NULL),
	       2, "--attribution with --summary refused");
	free(out);
	is_int(run(&out, "--within", dir, "--a", "page", "--b", "Phys!", NULL),
	       2, "an api name that is no name refused");
	free(out);
	/* a run that holds traces only (make vm-trace) */
	snprintf(cmd, sizeof(cmd), "cp -r '%s' '%s/traces' && rm '%s/traces/summary.csv'",
		 fixture(DB), tmp, tmp);
	ok(system(cmd) == 0, "a copy of a run without summary.csv");
	snprintf(dir, sizeof(dir), "%s/traces", tmp);
	is_int(run(&out, "--attribution", fixture(DA), dir, NULL), 0,
	       "--attribution needs no summary.csv");
	ok(out && strstr(out, "page on direct, 4K to_dev, map: A 90, B 170"),
	   "and attributes from the traces");
	free(out);
	is_int(run(&out, fixture(DA), dir, NULL), 1,
	       "the tables still need summary.csv");
	free(out);
	/* a batch group: in the tables, counted under the summary */
	snprintf(cmd, sizeof(cmd),
		 "cp -r '%s' '%s/batch' && echo 'page,direct,4096,to_device,1,pair,instructions,25,250,250,250,250,250,250,12,238,1,0,0,direct,ok,,0,samples/boot0/page-direct-4096-to_device.csv,batch,16,16' >> '%s/batch/summary.csv'",
		 fixture(DB), tmp, tmp);
	ok(system(cmd) == 0, "a copy of a run with a batch group");
	snprintf(dir, sizeof(dir), "%s/batch", tmp);
	is_int(run(&out, "--op", "pair", fixture(DB), dir, NULL), 0,
	       "compare with a batch group");
	ok(out && strstr(out, "  and 1 group of batches, threads, offsets: in the tables\n") &&
	   strstr(out, "page on direct, pattern batch, batch 16, working set 16") >
	   strstr(out, "\nA:        kernel"),
	   "summary: plain groups only, the batch group further down");
	free(out);
	remove_tree(tmp);
}

void test_attrib(void)
{
	base_names();
	parse();
	kernels();
	csv_sums();
	within();
	clones();
	md();
	refusals();
}
