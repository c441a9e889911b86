// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: the summary that leads a report.  One line per
 * group of plain points (an api on a path, one mapping at a time on one
 * thread; with --within, a path; batches and threads stay in the
 * tables): both medians of map+unmap (op pair) at the reference point,
 * 4 KiB to_device, their change and verdict, and how the group's sizes
 * and directions went: "same at all 15" when every median is equal on
 * both sides, a group folded into one line, else "differ 12 of 15".  A
 * group compared nowhere says why ("only in B", "A unsupported"); one
 * that neither side measured is only counted.  The full tables follow,
 * and the CSV holds every point.
 */
#include <math.h>
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
	/* a group no pair point of which was compared: its reference point */
	const struct cmp_point *alone;
};

static bool is_pair(const struct cmp_point *p)
{
	size_t n = strlen(p->item);

	return n > 5 && !strcmp(p->item + n - 5, " pair");
}

/*
 * One mapping at a time, on one thread, no offset or attrs: the groups
 * the summary has a line for, one per api and path.  The others (batches,
 * threads, ...) are in the tables.
 */
static bool plain(const struct cmp_point *p)
{
	const struct cmp_row *r = p->nocc[0] ? p->occ[0][0].row :
				  p->occ[1][0].row;

	return !strcmp(r->threads, "1") && !strcmp(r->pattern, "pair") &&
	       !strcmp(r->batch, "1") && !strcmp(r->working_set, "1") &&
	       !strcmp(r->offset, "0") && !strcmp(r->attrs, "0");
}

/*
 * The groups in report order, with their reference point and counts;
 * *others counts the groups left to the tables.
 */
static size_t lines(const struct compare *c, struct line *l, size_t *others)
{
	const char *last_other = NULL;
	size_t n = 0;

	*others = 0;
	for (size_t i = 0; i < c->npts; i++) {
		const struct cmp_point *p = &c->pts[i];
		struct line *x;

		if (!is_pair(p))
			continue;
		if (!plain(p)) {
			if (!last_other || strcmp(last_other, p->group))
				(*others)++;
			last_other = p->group;
			continue;
		}
		if (!n || strcmp(l[n - 1].group, p->group)) {
			x = &l[n++];
			memset(x, 0, sizeof(*x));
			x->group = p->group;
		}
		x = &l[n - 1];
		if (p->state != CMP_COMPARED) {
			if (!strcmp(p->item, REF_ITEM))
				x->alone = p;
			continue;
		}
		x->points++;
		x->equal += p->st.median[0] == p->st.median[1];
		if (!strcmp(p->item, REF_ITEM))
			x->ref = p;
	}
	return n;
}

/* The median a side's first usable row has, or NAN. */
static double alone_median(const struct cmp_point *p, int s)
{
	for (size_t i = 0; i < p->nocc[s]; i++)
		if (p->occ[s][i].row->usable)
			return p->occ[s][i].row->median;
	return NAN;
}

/* Why a group was not compared: "only in B", "A unsupported", ... */
static void alone_why(const struct compare *c, const struct cmp_point *p,
		      char *buf, size_t size)
{
	const char *st[2] = { NULL, NULL };

	for (int s = 0; s < 2; s++) {
		if (!p->nocc[s]) {
			snprintf(buf, size, "only in %s", cmp_side_name(c, !s));
			return;
		}
		if (isnan(alone_median(p, s)))
			st[s] = cmp_row_status(p->occ[s][0].row);
	}
	if (st[0] && st[1] && !strcmp(st[0], st[1]))
		snprintf(buf, size, "both %s", st[0]);
	else if (st[0] && st[1])
		snprintf(buf, size, "%s %s, %s %s", cmp_side_name(c, 0), st[0],
			 cmp_side_name(c, 1), st[1]);
	else if (st[0] || st[1])
		snprintf(buf, size, "%s %s", cmp_side_name(c, !st[0]),
			 st[0] ? st[0] : st[1]);
	else
		snprintf(buf, size, "not compared");
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

/* A group neither side measured at all (both unsupported, say). */
static bool unmeasured(const struct line *l)
{
	if (l->points)
		return false;
	return !l->alone || (isnan(alone_median(l->alone, 0)) &&
			     isnan(alone_median(l->alone, 1)));
}

/* The four cells, and the last column into fold. */
static void values(const struct compare *c, const struct line *l,
		   char (*v)[16], char *fold, size_t size)
{
	const struct cmp_stats *st = l->ref ? &l->ref->st : NULL;

	for (int i = 0; i < 4; i++)
		snprintf(v[i], 16, "-");
	if (l->points)
		across(fold, size, l);
	if (st) {
		cmp_fmt_value(v[0], 16, st->median[0]);
		cmp_fmt_value(v[1], 16, st->median[1]);
		cmp_fmt_change(v[2], 16, st->change);
		snprintf(v[3], 16, "%s", cmp_verdict_names[st->verdict]);
	} else if (!l->points && l->alone) {
		cmp_fmt_value(v[0], 16, alone_median(l->alone, 0));
		cmp_fmt_value(v[1], 16, alone_median(l->alone, 1));
		alone_why(c, l->alone, fold, size);
	} else if (!l->points) {
		snprintf(fold, size, "not compared");
	}
}

/* 2 + 24 + 1 + 8 + 1 + 8 + 1 + 8 + 1 + 7 + 1 + 17 = 79 columns */
#define ROW	"  %-24s %8s %8s %8s %-7s %s"

static void text(const struct compare *c, FILE *f, const struct line *l,
		 size_t n, size_t others)
{
	char v[4][16], fold[64];
	bool missing = false;
	size_t none = 0;

	cmp_line(f, "Summary: median %s of map+unmap (op pair) at 4K to_dev; last,",
		 c->runs[0][0].unit[0] ? c->runs[0][0].unit : "figures");
	cmp_line(f, "at how many of the group's sizes x dirs the medians differ");
	cmp_line(f, ROW, c->o.within ? "path" : "api on path",
		 cmp_side_name(c, 0), cmp_side_name(c, 1), "change", "verdict",
		 "sizes x dirs");
	for (size_t i = 0; i < n; i++) {
		if (unmeasured(&l[i])) {
			none++;
			continue;
		}
		values(c, &l[i], v, fold, sizeof(fold));
		missing |= !l[i].ref && l[i].points;
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
	if (none)
		cmp_line(f, "  and %zu group%s neither side measured (see \"Not compared\")",
			 none, none == 1 ? "" : "s");
	if (others)
		cmp_line(f, "  and %zu group%s of batches, threads, offsets: in the tables",
			 others, others == 1 ? "" : "s");
	if (!n)
		cmp_line(f, "  no map+unmap (pair) point compared");
}

static void md(const struct compare *c, FILE *f, const struct line *l,
	       size_t n, size_t others)
{
	char v[4][16], fold[64];
	size_t none = 0;

	fprintf(f, "**Summary**: median %s of map+unmap (op pair) at 4 KiB "
		"to_device; the full table follows.\n\n",
		c->runs[0][0].unit[0] ? c->runs[0][0].unit : "figures");
	fprintf(f, "| %s | %s | %s | change | verdict | sizes x dirs |\n",
		c->o.within ? "path" : "api on path", cmp_side_name(c, 0),
		cmp_side_name(c, 1));
	fputs("|---|---:|---:|---:|---|---|\n", f);
	for (size_t i = 0; i < n; i++) {
		if (unmeasured(&l[i])) {
			none++;
			continue;
		}
		values(c, &l[i], v, fold, sizeof(fold));
		fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", l[i].group,
			v[0], v[1], v[2], v[3], fold);
	}
	if (!n)
		fputs("| no map+unmap (pair) point compared | | | | | |\n", f);
	if (none)
		fprintf(f, "\nAnd %zu group%s neither side measured (see *Not compared*).\n",
			none, none == 1 ? "" : "s");
	if (others)
		fprintf(f, "\nAnd %zu group%s of batches, threads or offsets: in the full table.\n",
			others, others == 1 ? "" : "s");
}

static void csv(const struct compare *c, FILE *f, const struct line *l,
		size_t n)
{
	fputs("group,median_a,median_b,change_pct,verdict,points,points_equal,note\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		const struct cmp_stats *st = l[i].ref ? &l[i].ref->st : NULL;
		const struct cmp_point *a = l[i].points ? NULL : l[i].alone;
		double m[2] = { NAN, NAN };
		char v[5][32], note[64] = "";
		const char *field[8] = {
			l[i].group, v[0], v[1], v[2],
			st ? cmp_verdict_names[st->verdict] : "", v[3], v[4],
			note,
		};

		for (int s = 0; s < 2; s++)
			m[s] = st ? st->median[s] : a ? alone_median(a, s) : NAN;
		for (int k = 0; k < 3; k++) {
			double x = k < 2 ? m[k] : st ? st->change * 100 : NAN;

			if (isnan(x) || csv_fmt_num(v[k], 32, x))
				v[k][0] = '\0';
		}
		snprintf(v[3], 32, "%zu", l[i].points);
		snprintf(v[4], 32, "%zu", l[i].equal);
		if (a)
			alone_why(c, a, note, sizeof(note));
		else if (!l[i].points)
			snprintf(note, sizeof(note), "not compared");
		csv_write_record(f, field, 8);
	}
}

void cmp_print_summary(const struct compare *c, FILE *f)
{
	struct line *l = calloc(c->npts + 1, sizeof(*l));
	size_t n, others;

	if (!l)
		return;
	n = lines(c, l, &others);
	switch (c->o.format) {
	case CMP_TEXT:
		text(c, f, l, n, others);
		break;
	case CMP_MD:
		md(c, f, l, n, others);
		break;
	case CMP_CSV:
		csv(c, f, l, n);
		break;
	}
	free(l);
}
