// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench verdict on the runs of tests/unit/data/trace/: the four
 * terms of the attribution by hand for one point, the sum
 * W + Sd + So + C = T(DB) - T(DA) read back from the text for every
 * path and op, the CPU-model lines, and the command's refusals.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compare_tests.h"
#include "tap.h"
#include "util.h"
#include "verdict.h"

static const char *const names[VD_RUNS] = {
	"20261204-101500-6.12.117+deb13-amd64-d6a001",
	"20261204-102000-7.3.4+deb13-amd64-d73002",
	"20261204-103000-6.12.117-dmabench-5a6003",
	"20261204-104000-7.3.4-dmabench-5b7004",
	"20261204-105000-7.3.4+deb13-amd64-c73005",
};

static char dirs[VD_RUNS][PATH_MAX];

static void fixtures(struct verdict *v, bool cpu)
{
	const char *slash = strrchr(__FILE__, '/');

	memset(v, 0, sizeof(*v));
	v->size = 4096;
	v->dir = "to_device";
	for (int i = 0; i < VD_RUNS; i++) {
		snprintf(dirs[i], sizeof(dirs[i]), "%.*sdata/trace/%s",
			 slash ? (int)(slash - __FILE__ + 1) : 0, __FILE__,
			 names[i]);
		if (i != VD_CPU || cpu)
			v->r[i].dir = dirs[i];
	}
}

/* By hand from make-fixtures.py: direct, map. */
static void by_hand(const struct verdict *v)
{
	struct vd_attr a;

	if (!ok(!vd_attribute(v, "direct", "map", &a) && a.ok,
		"direct map attributed"))
		return;
	is_int(a.change, 80, "T(DB) - T(DA) = 170 - 90");
	is_int(a.w, 20, "W = T(SB,page) - T(SB,phys) = 150 - 130");
	is_int(a.sd, 18, "Sd = DMA deltas SA -> SB (+38) - W");
	is_int(a.so, 32, "So = cc_platform_has +14, amd_cc_platform_has +16, srso +2");
	is_int(a.c, 10, "C = (170 - 90) - (150 - 80)");
	ok(a.nnamed == 3 && !strcmp(a.named[0], "amd_cc_platform_has") &&
	   a.named_delta[0] == 16, "So names the largest first");
	ok(!vd_attribute(v, "iommu-strict", "pair", &a) && a.ok &&
	   a.w == 46 && a.c == 0 && a.w + a.sd + a.so + a.c == 104,
	   "iommu-strict pair: W 46, C 0, sum 104");
	ok(!vd_attribute(v, "swiotlb", "map", &a) && !a.ok &&
	   strstr(a.why, "DA has no traced page map at swiotlb"),
	   "a path no kernel traced: not attributed, and why");
}

/*
 * Every "W + Sd + So + C = X" line of the text: the four terms printed
 * above it add up to X, and X is the change printed in its heading.
 */
static int sums(const char *text, int *bad)
{
	const char *p = text;
	int n = 0;

	*bad = 0;
	while ((p = strstr(p, "  page, DA -> DB, ")) != NULL) {
		long long ta, tb, chg, w = 0, sd = 0, so = 0, c = 0, x;
		const char *q = strstr(p, ": ");

		if (!q || sscanf(q, ": %lld -> %lld, %lld", &ta, &tb, &chg) != 3) {
			p++;
			continue;
		}
		q = strstr(p, "\n    W ");
		if (q)
			sscanf(q, "\n    W %lld", &w);	/* '-' leaves 0 */
		q = strstr(p, "\n    Sd ");
		if (q)
			sscanf(q, "\n    Sd %lld", &sd);
		q = strstr(p, "\n    So ");
		if (q)
			sscanf(q, "\n    So %lld", &so);
		q = strstr(p, "\n    C ");
		if (q)
			sscanf(q, "\n    C %lld", &c);
		q = strstr(p, "W + Sd + So + C = ");
		if (!q || sscanf(q, "W + Sd + So + C = %lld", &x) != 1)
			break;
		n++;
		if (w + sd + so + c != x || x != chg || chg != tb - ta) {
			(*bad)++;
			tap_diag("%.60s: %lld + %lld + %lld + %lld vs %lld",
				 p, w, sd, so, c, x);
		}
		p = q;
	}
	return n;
}

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

static void text(const struct verdict *v)
{
	char *buf = NULL;
	size_t len;
	int bad, worst = 0, n;
	FILE *f = open_memstream(&buf, &len);

	is_int(vd_print(v, f), 0, "VERDICT.md printed");
	fclose(f);
	if (!buf)
		return;
	for (int i = 0; i < VD_RUNS; i++)
		ok(strstr(buf, names[i]), "the header names run %s", names[i]);
	ok(strstr(buf, "  page           90    74    170   114     80    64    150    98\n") &&
	   strstr(buf, "  phys            -     -    150    96      -     -    130    80\n") &&
	   strstr(buf, "  phys_page       -     -    150    96      -     -    130    80\n"),
	   "direct: a line per api, '-' where a kernel lacks it");
	ok(strstr(buf, "traced call totals") && strstr(buf, "make test"),
	   "says the figures are traced totals, checked by make test");
	ok(strstr(buf, "So    +32  other code, SA -> SB: amd_cc_platform_has +16, cc_platform_has\n"),
	   "So names its functions");
	n = sums(buf, &bad);
	is_int(n, 6, "six attributions: 2 paths x map, unmap, pair");
	is_int(bad, 0, "each: W + Sd + So + C = T(DB) - T(DA), as printed");
	ok(strstr(buf, "  direct: 164 -> 284 (+120): the wrapper +38, the rest of the dispatch +32,"),
	   "in short: the answer per path leads");
	ok(strstr(buf, "  direct: changed: page map 170 -> 135 (-35)") &&
	   strstr(buf, "  iommu-strict: unchanged: all 4 totals equal"),
	   "CPU model: a line per path, changed or not");
	ok(!strstr(buf, "WARNING"), "no warning: one model for DA..SB, another for CPU");
	ok(mail_safe(buf, &worst), "ASCII, under 80 columns (longest %d)", worst);
	free(buf);
}

static void no_phys(char *tmp)
{
	struct verdict v;
	char cmd[8 * PATH_MAX], sb[PATH_MAX + 8], *buf = NULL;
	size_t len;
	FILE *f;

	fixtures(&v, false);
	snprintf(sb, sizeof(sb), "%s/sb", tmp);
	snprintf(cmd, sizeof(cmd),
		 "cp -r '%s' '%s' && grep -v '^phys,' '%s/trace.csv' > '%s/t' && mv '%s/t' '%s/trace.csv' && rm '%s/summary.csv'",
		 dirs[VD_SB], sb, dirs[VD_SB], sb, sb, sb, sb);
	/* and without summary.csv: a run of traces only */
	if (!ok(system(cmd) == 0, "SB without phys traces, nor summary.csv"))
		return;
	v.r[VD_SB].dir = sb;
	if (!ok(!vd_load(&v), "loaded")) {
		vd_free(&v);
		return;
	}
	f = open_memstream(&buf, &len);
	is_int(vd_print(&v, f), 0, "printed without W");
	fclose(f);
	ok(buf && strstr(buf, "    W       -  unavailable: SB has no phys trace here\n"),
	   "W unavailable, said so");
	/* wrapped lines joined again */
	for (char *q = buf; q && (q = strstr(q, "\n    ")) != NULL; )
		memmove(q, q + 4, strlen(q + 4) + 1);	/* "\n    x" -> " x" */
	ok(buf && strstr(buf, "(SB has no phys: the wrapper not separated)"),
	   "in short says so too");
	free(buf);
	vd_free(&v);
}

/* The CPU run in the place of SB: models differ, and the kernels. */
static void warnings(void)
{
	struct verdict v;
	char *buf = NULL;
	size_t len;
	FILE *f;

	fixtures(&v, false);
	v.r[VD_SB].dir = dirs[VD_CPU];
	v.r[VD_CPU].dir = dirs[VD_DA];
	if (!ok(!vd_load(&v), "loaded, CPU run as SB, DA as CPU")) {
		vd_free(&v);
		return;
	}
	f = open_memstream(&buf, &len);
	vd_print(&v, f);
	fclose(f);
	for (char *q = buf; q && (q = strstr(q, "\n  ")) != NULL; )
		memmove(q, q + 2, strlen(q + 2) + 1);	/* joined again */
	ok(buf && strstr(buf, "WARNING: DA and SB ran on different CPU models"),
	   "a model that differs among DA..SB is a warning");
	ok(buf && strstr(buf, "WARNING: their kernels differ (7.3.4+deb13-amd64, 6.12.117+deb13-amd64)"),
	   "a CPU run of another kernel is a warning");
	free(buf);
	vd_free(&v);
}

static void command(char *tmp)
{
	char out[PATH_MAX + 16], *text;
	char *argv[16] = { "verdict", "--da", dirs[0], "--db", dirs[1], "--sa",
			   dirs[2], "--sb", dirs[3], "--out", out, NULL };

	snprintf(out, sizeof(out), "%s/VERDICT.md", tmp);
	is_int(cmd_verdict(11, argv), 0, "dmabench verdict --out FILE");
	text = read_all(out, NULL);
	ok(text && strstr(text, "dmabench verdict:") && !strstr(text, "CPU model"),
	   "VERDICT.md written, no CPU part without --cpu");
	free(text);
	tap_diag("refusals follow on stderr");
	argv[7] = "--out";
	argv[8] = out;
	is_int(cmd_verdict(9, argv), 2, "without --sb: refused");
	argv[7] = "--sb";
	argv[8] = tmp;		/* no run there */
	is_int(cmd_verdict(11, argv), 1, "a directory that is no run: refused");
}

void test_verdict(void)
{
	char tmp[] = "/tmp/dmabench-verdict-XXXXXX";
	struct verdict v;

	fixtures(&v, true);
	if (!ok(!vd_load(&v), "the five fixture runs load")) {
		vd_free(&v);
		return;
	}
	by_hand(&v);
	text(&v);
	vd_free(&v);
	if (!ok(mkdtemp(tmp), "temporary directory"))
		return;
	no_phys(tmp);
	warnings();
	command(tmp);
	remove_tree(tmp);
}
