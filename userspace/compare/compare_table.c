// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: the report as CSV (every point a row, compared or
 * not, for scripts) and as Markdown (the text report's facts and table).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "csv.h"

static const char *const state_names[] = {
	[CMP_COMPARED]	= "compared",
	[CMP_ONLY_A]	= "only_a",
	[CMP_ONLY_B]	= "only_b",
	[CMP_NOT_OK]	= "not_ok",
};

static const char csv_header[] =
	"api_a,api_b,path,size,dir,threads,op,unit,nents,offset,attrs,state,"
	"n_a,n_b,median_a,median_b,change_pct,ci_lo_pct,ci_hi_pct,test,u,p,"
	"p_holm,verdict,runs_a,run_min_a,run_max_a,runs_b,run_min_b,run_max_b,"
	"note";

#define CSV_COLS	31

/* A row that represents the point: A's if it has one. */
static const struct cmp_row *label_row(const struct cmp_point *p)
{
	return p->nocc[0] ? p->occ[0][0].row : p->occ[1][0].row;
}

/* "A unsupported: why; B refused: why", each distinct row status once. */
static void point_note(const struct compare *c, const struct cmp_point *p,
		       char *buf, size_t size)
{
	char one[400];
	size_t len = 0;

	buf[0] = '\0';
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < p->nocc[s]; i++) {
			const struct cmp_row *r = p->occ[s][i].row;

			if (r->usable)
				continue;
			snprintf(one, sizeof(one), "%s %s%s%s",
				 cmp_side_name(c, s), cmp_row_status(r),
				 r->note[0] ? ": " : "", r->note);
			if (strstr(buf, one) || len >= size)
				continue;
			len += snprintf(buf + len, size - len, "%s%s",
					len ? "; " : "", one);
		}
	}
}

static void num(char *buf, size_t size, double v, bool have)
{
	if (!have || !isfinite(v) || csv_fmt_num(buf, size, v))
		buf[0] = '\0';
}

/* p-values keep six significant digits: they reach far below 0.001. */
static void pval(char *buf, size_t size, double p, bool have)
{
	if (have && !isnan(p))
		snprintf(buf, size, "%.6g", p);
	else
		buf[0] = '\0';
}

static void count(char *buf, size_t size, size_t n, bool have)
{
	if (have)
		snprintf(buf, size, "%zu", n);
	else
		buf[0] = '\0';
}

static void csv_point(const struct compare *c, FILE *f,
		      const struct cmp_point *p)
{
	const struct cmp_row *r = label_row(p);
	const struct cmp_stats *st = &p->st;
	bool have = p->state == CMP_COMPARED;
	char v[16][32], size[24], note[1024];
	const char *field[CSV_COLS] = {
		c->o.within ? c->o.api[0] : r->api,
		c->o.within ? c->o.api[1] : r->api,
		r->path, size, r->dir, r->threads, r->op, r->unit, r->nents,
		r->offset, r->attrs, state_names[p->state],
		v[0], v[1], v[2], v[3], v[4], v[5], v[6],
		have ? mwu_method_names[st->mwu.method] : "",
		v[7], v[8], v[9], have ? cmp_verdict_names[st->verdict] : "",
		v[10], v[11], v[12], v[13], v[14], v[15], note,
	};

	snprintf(size, sizeof(size), "%llu", (unsigned long long)r->size);
	count(v[0], sizeof(v[0]), st->n[0], have);
	count(v[1], sizeof(v[1]), st->n[1], have);
	num(v[2], sizeof(v[2]), st->median[0], have);
	num(v[3], sizeof(v[3]), st->median[1], have);
	num(v[4], sizeof(v[4]), st->change * 100, have);
	num(v[5], sizeof(v[5]), st->lo * 100, have);
	num(v[6], sizeof(v[6]), st->hi * 100, have);
	num(v[7], sizeof(v[7]), st->mwu.u, have);
	pval(v[8], sizeof(v[8]), st->mwu.p, have);
	pval(v[9], sizeof(v[9]), st->p_holm, have);
	count(v[10], sizeof(v[10]), st->runs[0], have);
	num(v[11], sizeof(v[11]), st->run_min[0], have);
	num(v[12], sizeof(v[12]), st->run_max[0], have);
	count(v[13], sizeof(v[13]), st->runs[1], have);
	num(v[14], sizeof(v[14]), st->run_min[1], have);
	num(v[15], sizeof(v[15]), st->run_max[1], have);
	point_note(c, p, note, sizeof(note));
	csv_write_record(f, field, CSV_COLS);
}

void cmp_print_csv(const struct compare *c, FILE *f)
{
	fprintf(f, "%s\n", csv_header);
	for (size_t i = 0; i < c->npts; i++)
		csv_point(c, f, &c->pts[i]);
}

/* Markdown */

/* Text for a table cell: '|' would end it. */
static void md_cell(FILE *f, const char *s)
{
	fputs("| ", f);
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc(' ', f);
}

static void md_spread(char *buf, size_t size, const struct cmp_stats *st,
		      int s)
{
	char lo[16], hi[16];

	cmp_fmt_value(lo, sizeof(lo), st->run_min[s]);
	cmp_fmt_value(hi, sizeof(hi), st->run_max[s]);
	snprintf(buf, size, "%s..%s (%zu)", lo, hi, st->runs[s]);
}

static void md_row(FILE *f, const struct cmp_point *p)
{
	const struct cmp_stats *st = &p->st;
	char size[16], dir[16], op[16], a[16], b[16], chg[16], lo[16], hi[16];
	char ci[40], pv[16], ra[48], rb[48];

	sscanf(p->item, "%15s %15s %15s", size, dir, op);
	cmp_fmt_value(a, sizeof(a), st->median[0]);
	cmp_fmt_value(b, sizeof(b), st->median[1]);
	cmp_fmt_change(chg, sizeof(chg), st->change);
	cmp_fmt_bound(lo, sizeof(lo), st->lo);
	cmp_fmt_bound(hi, sizeof(hi), st->hi);
	snprintf(ci, sizeof(ci), "[%s, %s]", lo, hi);
	cmp_fmt_p(pv, sizeof(pv), st->p_holm);
	md_spread(ra, sizeof(ra), st, 0);
	md_spread(rb, sizeof(rb), st, 1);
	md_cell(f, p->group);
	md_cell(f, size);
	md_cell(f, dir);
	md_cell(f, op);
	md_cell(f, a);
	md_cell(f, b);
	md_cell(f, chg);
	md_cell(f, ci);
	md_cell(f, pv);
	md_cell(f, cmp_verdict_names[st->verdict]);
	md_cell(f, ra);
	md_cell(f, rb);
	fputs("|\n", f);
}

static void md_table(const struct compare *c, FILE *f)
{
	if (!c->ncompared) {
		fputs("\nNo point to compare.\n", f);
		return;
	}
	fprintf(f, "\n| point | size | dir | op | %s | %s | change | 95%% CI (%%) "
		"| p Holm | verdict | %s runs | %s runs |\n",
		cmp_side_name(c, 0), cmp_side_name(c, 1), cmp_side_name(c, 0),
		cmp_side_name(c, 1));
	fputs("|---|---:|---|---|---:|---:|---:|---:|---:|---|---:|---:|\n", f);
	for (size_t i = 0; i < c->npts; i++)
		if (c->pts[i].state == CMP_COMPARED)
			md_row(f, &c->pts[i]);
}

static void md_reason(const struct compare *c, FILE *f,
		      const struct cmp_reason *r)
{
	struct cmp_listed *l;
	char title[600];
	size_t n;

	cmp_reason_title(c, r, title, sizeof(title));
	fprintf(f, "- %s:\n", title);
	if (cmp_list(c, r, &l, &n))
		return;
	for (size_t g = 0; g < n; g++) {
		fprintf(f, "  - %s:", l[g].group);
		for (size_t i = 0; i < l[g].n; i++)
			fprintf(f, "%s %s", i ? "," : "", l[g].phrase[i]);
		fputc('\n', f);
	}
	cmp_unlist(l, n);
}

static void md_left_out(const struct compare *c, FILE *f)
{
	struct cmp_reason *r;
	size_t n;

	if (cmp_reasons(c, &r, &n) || !n)
		return;
	fputs("\nNot compared:\n\n", f);
	for (size_t i = 0; i < n; i++)
		md_reason(c, f, &r[i]);
	free(r);
}

void cmp_print_md(const struct compare *c, FILE *f)
{
	struct cmp_fact facts[CMP_MAX_FACTS];
	int n;

	if (c->mismatch[0])
		fprintf(f, "**WARNING: --cross: %s. These figures are NOT comparable.**\n\n",
			c->mismatch);
	if (c->o.within)
		fprintf(f, "**dmabench compare**: %s (B) against %s (A)\n\n",
			c->o.api[1], c->o.api[0]);
	else
		fputs("**dmabench compare**: B against A\n\n", f);
	n = cmp_facts(c, facts);
	for (int i = 0; i < n; i++) {
		if (facts[i].key[0])
			fprintf(f, "- **%s** %s\n", facts[i].key, facts[i].text);
		else
			fprintf(f, "  - %s\n", facts[i].text);
	}
	md_table(c, f);
	md_left_out(c, f);
}
