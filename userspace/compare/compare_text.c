// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: the text report, plain ASCII in 79 columns, to paste
 * into a mail: what was compared with what and how, one table per group
 * of points, then what was left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

/*
 * The table's columns, 79 with the heading "verdict":
 * 1 + 6+1 + 8+1 + 5 + 9 + 9 + 1+7 + 1+15 + 1+6 + 1+7
 */
#define ROW_FMT	" %6s %-8s %-5s%9s%9s %7s %15s %6s %s"

/* "key:     text", wrapped under the text. */
static void field(FILE *f, const char *key, const char *text)
{
	char first[16];
	struct cmp_wrap w;

	snprintf(first, sizeof(first), "%-10.15s", key);
	cmp_wrap_begin(&w, f, first, "          ");
	cmp_wrap_text(&w, text);
	cmp_wrap_end(&w);
}

static void header(const struct compare *c, FILE *f)
{
	struct cmp_fact facts[CMP_MAX_FACTS];
	struct cmp_wrap w;
	char text[300];
	int n;

	if (c->mismatch[0]) {
		snprintf(text, sizeof(text),
			 "WARNING: --cross: %s. These figures are NOT comparable.",
			 c->mismatch);
		cmp_wrap_begin(&w, f, "", "         ");
		cmp_wrap_text(&w, text);
		cmp_wrap_end(&w);
		fputc('\n', f);
	}
	if (c->o.within)
		cmp_line(f, "dmabench compare: %s (B) against %s (A)",
			 c->o.api[1], c->o.api[0]);
	else
		cmp_line(f, "dmabench compare: B against A");
	fputc('\n', f);
	if (c->ncompared) {
		cmp_print_summary(c, f);
		fputc('\n', f);
	}
	n = cmp_facts(c, facts);
	for (int i = 0; i < n; i++)
		field(f, facts[i].key, facts[i].text);
}

static void spread(const struct compare *c, FILE *f, const struct cmp_stats *st)
{
	char v[4][16];

	cmp_fmt_value(v[0], sizeof(v[0]), st->run_min[0]);
	cmp_fmt_value(v[1], sizeof(v[1]), st->run_max[0]);
	cmp_fmt_value(v[2], sizeof(v[2]), st->run_min[1]);
	cmp_fmt_value(v[3], sizeof(v[3]), st->run_max[1]);
	cmp_line(f, "        runs: %s %s..%s (%zu), %s %s..%s (%zu)",
		 cmp_side_name(c, 0), v[0], v[1], st->runs[0],
		 cmp_side_name(c, 1), v[2], v[3], st->runs[1]);
}

/* The size as the table has room for: 6 characters. */
static void table_size(char *buf, size_t size, const char *item)
{
	double k;

	sscanf(item, "%15s", buf);
	if (strlen(buf) <= 6)
		return;
	k = strtod(buf, NULL) / 1024;
	if (k < 9999.5)
		snprintf(buf, size, "~%.0fK", k);
	else
		snprintf(buf, size, "~%.0fM", k / 1024);
}

static void row(const struct compare *c, FILE *f, const struct cmp_point *p,
		bool pooled)
{
	const struct cmp_stats *st = &p->st;
	char size[16], dir[16], op[16], a[16], b[16], chg[16], lo[16], hi[16];
	char ci[40], pv[16];

	table_size(size, sizeof(size), p->item);
	sscanf(p->item, "%*s %15s %15s", dir, op);
	cmp_fmt_value(a, sizeof(a), st->median[0]);
	cmp_fmt_value(b, sizeof(b), st->median[1]);
	cmp_fmt_change(chg, sizeof(chg), st->change);
	cmp_fmt_bound(lo, sizeof(lo), st->lo);
	cmp_fmt_bound(hi, sizeof(hi), st->hi);
	snprintf(ci, sizeof(ci), "[%6s,%6s]", lo, hi);
	cmp_fmt_p(pv, sizeof(pv), st->p_holm);
	cmp_line(f, ROW_FMT, size, dir, op, a, b, chg, ci, pv,
		 cmp_verdict_names[st->verdict]);
	if (pooled)
		spread(c, f, st);
}

static void table(const struct compare *c, FILE *f)
{
	bool pooled = cmp_pooled(c);
	const char *group = NULL;

	if (!c->ncompared) {
		fputc('\n', f);
		cmp_line(f, "No point to compare.");
		return;
	}
	for (size_t i = 0; i < c->npts; i++) {
		const struct cmp_point *p = &c->pts[i];

		if (p->state != CMP_COMPARED)
			continue;
		if (!group || strcmp(group, p->group)) {
			group = p->group;
			fputc('\n', f);
			cmp_line(f, "%s", group);
			cmp_line(f, ROW_FMT, "size", "dir", "op",
				 cmp_side_name(c, 0), cmp_side_name(c, 1),
				 "change", "95% CI", "p Holm", "verdict");
		}
		row(c, f, p, pooled);
	}
}

/* Under one reason: "    group: phrase, phrase" wrapped, a line per group. */
static void reason_points(const struct compare *c, FILE *f,
			  const struct cmp_reason *r)
{
	char first[160], word[80];
	struct cmp_listed *l;
	struct cmp_wrap w;
	size_t n;

	if (cmp_list(c, r, &l, &n))
		return;
	for (size_t g = 0; g < n; g++) {
		snprintf(first, sizeof(first), "    %s: ", l[g].group);
		cmp_wrap_begin(&w, f, first, "      ");
		for (size_t i = 0; i < l[g].n; i++) {
			snprintf(word, sizeof(word), "%s%s", l[g].phrase[i],
				 i + 1 < l[g].n ? "," : "");
			cmp_wrap_word(&w, word);
		}
		cmp_wrap_end(&w);
	}
	cmp_unlist(l, n);
}

static void left_out(const struct compare *c, FILE *f)
{
	struct cmp_reason *r;
	struct cmp_wrap w;
	char title[600];
	size_t n;

	if (cmp_reasons(c, &r, &n) || !n)
		return;
	fputc('\n', f);
	cmp_line(f, "Not compared:");
	for (size_t i = 0; i < n; i++) {
		cmp_reason_title(c, &r[i], title, sizeof(title) - 1);
		strcat(title, ":");
		cmp_wrap_begin(&w, f, "  ", "      ");
		cmp_wrap_text(&w, title);
		cmp_wrap_end(&w);
		reason_points(c, f, &r[i]);
	}
	free(r);
}

void cmp_print_text(const struct compare *c, FILE *f)
{
	header(c, f);
	table(c, f);
	left_out(c, f);
}
