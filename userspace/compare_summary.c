// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: the summary that leads a report.  One line per
 * group of points (an api on a path; with --within, a path): both
 * medians of map+unmap (op pair) at the reference point, 4 KiB
 * to_device, their change and verdict, and how the group's sizes and
 * directions went: "same at all 15" when every median is equal on both
 * sides, a group folded into one line, else "differ 12 of 15".  The
 * full tables follow, and the CSV holds every point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "csv.h"

#define REF_ITEM	"4K to_dev pair"

struct line {
	const char *group;
	const struct cmp_point *ref;	/* NULL: not compared there */
	size_t points, equal;		/* pair points compared, equal */
};

static bool is_pair(const struct cmp_point *p)
{
	size_t n = strlen(p->item);

	return n > 5 && !strcmp(p->item + n - 5, " pair");
}

/* The groups in report order, with their reference point and counts. */
static size_t lines(const struct compare *c, struct line *l)
{
	size_t n = 0;

	for (size_t i = 0; i < c->npts; i++) {
		const struct cmp_point *p = &c->pts[i];
		struct line *x;

		if (p->state != CMP_COMPARED || !is_pair(p))
			continue;
		if (!n || strcmp(l[n - 1].group, p->group)) {
			x = &l[n++];
			memset(x, 0, sizeof(*x));
			x->group = p->group;
		}
		x = &l[n - 1];
		x->points++;
		x->equal += p->st.median[0] == p->st.median[1];
		if (!strcmp(p->item, REF_ITEM))
			x->ref = p;
	}
	return n;
}

/* How the group's pair points went, in at most 17 characters. */
static void across(char *buf, size_t size, const struct line *l)
{
	if (l->equal == l->points)
		snprintf(buf, size, "same at all %zu", l->points);
	else
		snprintf(buf, size, "differ %zu of %zu", l->points - l->equal,
			 l->points);
}

static void values(const struct line *l, char (*v)[16])
{
	const struct cmp_stats *st = l->ref ? &l->ref->st : NULL;

	if (!st) {
		for (int i = 0; i < 4; i++)
			snprintf(v[i], 16, "-");
		return;
	}
	cmp_fmt_value(v[0], 16, st->median[0]);
	cmp_fmt_value(v[1], 16, st->median[1]);
	cmp_fmt_change(v[2], 16, st->change);
	snprintf(v[3], 16, "%s", cmp_verdict_names[st->verdict]);
}

/* 2 + 24 + 1 + 8 + 1 + 8 + 1 + 8 + 1 + 7 + 1 + 17 = 79 columns */
#define ROW	"  %-24s %8s %8s %8s %-7s %s"

static void text(const struct compare *c, FILE *f, const struct line *l,
		 size_t n)
{
	char v[4][16], fold[64];
	bool missing = false;

	cmp_line(f, "Summary: median %s of map+unmap (op pair) at 4K to_dev; last,",
		 c->runs[0][0].unit[0] ? c->runs[0][0].unit : "figures");
	cmp_line(f, "at how many of the group's sizes x dirs the medians differ");
	cmp_line(f, ROW, c->o.within ? "path" : "api on path",
		 cmp_side_name(c, 0), cmp_side_name(c, 1), "change", "verdict",
		 "sizes x dirs");
	for (size_t i = 0; i < n; i++) {
		values(&l[i], v);
		across(fold, sizeof(fold), &l[i]);
		missing |= !l[i].ref;
		if (strlen(l[i].group) > 24) {
			cmp_line(f, "  %s", l[i].group);
			cmp_line(f, ROW, "", v[0], v[1], v[2], v[3], fold);
		} else {
			cmp_line(f, ROW, l[i].group, v[0], v[1], v[2], v[3],
				 fold);
		}
	}
	if (missing)
		cmp_line(f, "  (-: the group has no 4K to_dev pair point)");
	if (!n)
		cmp_line(f, "  no map+unmap (pair) point compared");
}

static void md(const struct compare *c, FILE *f, const struct line *l,
	       size_t n)
{
	char v[4][16], fold[64];

	fprintf(f, "**Summary**: median %s of map+unmap (op pair) at 4 KiB "
		"to_device; the full table follows.\n\n",
		c->runs[0][0].unit[0] ? c->runs[0][0].unit : "figures");
	fprintf(f, "| %s | %s | %s | change | verdict | sizes x dirs |\n",
		c->o.within ? "path" : "api on path", cmp_side_name(c, 0),
		cmp_side_name(c, 1));
	fputs("|---|---:|---:|---:|---|---|\n", f);
	for (size_t i = 0; i < n; i++) {
		values(&l[i], v);
		across(fold, sizeof(fold), &l[i]);
		fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", l[i].group,
			v[0], v[1], v[2], v[3], fold);
	}
	if (!n)
		fputs("| no map+unmap (pair) point compared | | | | | |\n", f);
}

static void csv(const struct compare *c, FILE *f, const struct line *l,
		size_t n)
{
	(void)c;
	fputs("group,median_a,median_b,change_pct,verdict,points,points_equal\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		const struct cmp_stats *st = l[i].ref ? &l[i].ref->st : NULL;
		char v[5][32];
		const char *field[7] = {
			l[i].group, v[0], v[1], v[2],
			st ? cmp_verdict_names[st->verdict] : "", v[3], v[4],
		};

		for (int k = 0; k < 3; k++)
			v[k][0] = '\0';
		if (st && csv_fmt_num(v[0], 32, st->median[0]))
			v[0][0] = '\0';
		if (st && csv_fmt_num(v[1], 32, st->median[1]))
			v[1][0] = '\0';
		if (st && csv_fmt_num(v[2], 32, st->change * 100))
			v[2][0] = '\0';
		snprintf(v[3], 32, "%zu", l[i].points);
		snprintf(v[4], 32, "%zu", l[i].equal);
		csv_write_record(f, field, 7);
	}
}

void cmp_print_summary(const struct compare *c, FILE *f)
{
	struct line *l = calloc(c->npts + 1, sizeof(*l));
	size_t n;

	if (!l)
		return;
	n = lines(c, l);
	switch (c->o.format) {
	case CMP_TEXT:
		text(c, f, l, n);
		break;
	case CMP_MD:
		md(c, f, l, n);
		break;
	case CMP_CSV:
		csv(c, f, l, n);
		break;
	}
	free(l);
}
