// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: the points left out of the table, and why.
 *
 * Nothing is dropped silently.  A point one side has no row for is
 * "only in" the other; a row whose status is not ok (unsupported,
 * refused), or that has no median and samples to compare (a counter's
 * mean-only row), is listed with its note, whether or not the point
 * could still be compared from other runs.  Each distinct reason (side,
 * only or not, status, note) is a heading, in the order first met; the
 * points under it keep the table's order, a line per group, said
 * briefly: the ops of one size and dir together ("64 to_dev
 * map/unmap/pair"), and a group wholly under one reason as "all N
 * points".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "names.h"

static bool only_on(const struct cmp_point *p, int side)
{
	return p->state == (side ? CMP_ONLY_B : CMP_ONLY_A);
}

/* Does row o of side s, at p, fall under reason r? */
static bool occ_has(const struct cmp_point *p, int s, const struct cmp_occ *o,
		    const struct cmp_reason *r)
{
	bool ok = o->row->usable;

	if (s != r->side || only_on(p, s) != r->only || (ok && !r->only))
		return false;
	if (strcmp(cmp_row_status(o->row), r->status))
		return false;
	return ok || !strcmp(o->row->note, r->note);
}

bool cmp_point_has(const struct compare *c, const struct cmp_point *p,
		   const struct cmp_reason *r)
{
	(void)c;
	for (size_t i = 0; i < p->nocc[r->side]; i++)
		if (occ_has(p, r->side, &p->occ[r->side][i], r))
			return true;
	return false;
}

static bool same_reason(const struct cmp_reason *a, const struct cmp_reason *b)
{
	return a->side == b->side && a->only == b->only &&
	       !strcmp(a->status, b->status) && !strcmp(a->note, b->note);
}

static int add_reason(struct cmp_reason **v, size_t *n, size_t *cap,
		      const struct cmp_reason *r)
{
	struct cmp_reason *tmp;

	for (size_t i = 0; i < *n; i++)
		if (same_reason(&(*v)[i], r))
			return 0;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		tmp = realloc(*v, *cap * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		*v = tmp;
	}
	(*v)[(*n)++] = *r;
	return 0;
}

/* Only-in reasons first, then A's rows, then B's. */
static int rank(const struct cmp_reason *r)
{
	return r->only ? r->side : 2 + r->side;
}

/* Add the reasons of rank pass that point p has. */
static int point_reasons(const struct cmp_point *p, int pass,
			 struct cmp_reason **v, size_t *n, size_t *cap)
{
	struct cmp_reason r;
	int err = 0;

	for (int s = 0; s < 2; s++) {
		for (size_t j = 0; j < p->nocc[s] && !err; j++) {
			const struct cmp_row *row = p->occ[s][j].row;

			r.side = s;
			r.only = only_on(p, s);
			r.status = cmp_row_status(row);
			r.note = row->usable ? "" : row->note;
			if (rank(&r) == pass && (r.only || !row->usable))
				err = add_reason(v, n, cap, &r);
		}
	}
	return err;
}

/* The reasons there are, in order; *out is malloc'ed (NULL if none). */
int cmp_reasons(const struct compare *c, struct cmp_reason **out, size_t *n)
{
	struct cmp_reason *v = NULL;
	size_t cap = 0, k = 0;
	int err = 0;

	*n = 0;
	for (int pass = 0; pass < 4 && !err; pass++) {
		for (size_t i = 0; i < c->npts && !err; i++)
			err = point_reasons(&c->pts[i], pass, &v, &k, &cap);
	}
	if (err) {
		free(v);
		return err;
	}
	*out = v;
	*n = k;
	return 0;
}

void cmp_reason_title(const struct compare *c, const struct cmp_reason *r,
		      char *buf, size_t size)
{
	char side[32], status[64];
	bool ok = status_parse(r->status) == STATUS_OK;

	if (c->o.within)
		snprintf(side, sizeof(side), "%s (%s)", r->side ? "B" : "A",
			 c->o.api[r->side]);
	else
		snprintf(side, sizeof(side), "%s", r->side ? "B" : "A");
	if (!strcmp(r->status, "no samples"))
		snprintf(status, sizeof(status), "without samples");
	else
		snprintf(status, sizeof(status), "%s", r->status);
	if (r->only && ok)
		snprintf(buf, size, "only in %s", side);
	else if (r->only)
		snprintf(buf, size, "only in %s, and %s there%s%s", side,
			 status, r->note[0] ? ": " : "", r->note);
	else
		snprintf(buf, size, "%s %s%s%s", side, status,
			 r->note[0] ? ": " : "", r->note);
}

/* How many points, of any state, are in group g. */
static size_t group_size(const struct compare *c, const char *g)
{
	size_t n = 0;

	for (size_t i = 0; i < c->npts; i++)
		n += !strcmp(c->pts[i].group, g);
	return n;
}

static int add_phrase(struct cmp_listed *l, const char *item)
{
	const char *op = strrchr(item, ' ');
	size_t plen = op ? (size_t)(op - item) : 0, len;
	char (*tmp)[sizeof(*l->phrase)];

	/* the same size and dir as the phrase before: add the op to it */
	if (l->n && op && !strncmp(l->phrase[l->n - 1], item, plen) &&
	    l->phrase[l->n - 1][plen] == ' ' &&
	    !strchr(l->phrase[l->n - 1] + plen + 1, ' ')) {
		len = strlen(l->phrase[l->n - 1]);
		snprintf(l->phrase[l->n - 1] + len,
			 sizeof(*l->phrase) - len, "/%s", op + 1);
		return 0;
	}
	tmp = realloc(l->phrase, (l->n + 1) * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	l->phrase = tmp;
	snprintf(l->phrase[l->n++], sizeof(*l->phrase), "%s", item);
	return 0;
}

/* A group's points under r, from point i on; *next is after the last. */
static int list_group(const struct compare *c, const struct cmp_reason *r,
		      size_t i, struct cmp_listed *l, size_t *next)
{
	size_t count = 0;
	int err = 0;

	memset(l, 0, sizeof(*l));
	l->group = c->pts[i].group;
	for (; i < c->npts && !strcmp(c->pts[i].group, l->group) && !err; i++) {
		if (!cmp_point_has(c, &c->pts[i], r))
			continue;
		err = add_phrase(l, c->pts[i].item);
		count++;
	}
	*next = i;
	if (!err && count > 1 && count == group_size(c, l->group)) {
		l->n = 1;
		snprintf(l->phrase[0], sizeof(*l->phrase), "all %zu points",
			 count);
	}
	return err;
}

/* The groups with points under r, in table order; free with cmp_unlist(). */
int cmp_list(const struct compare *c, const struct cmp_reason *r,
	     struct cmp_listed **out, size_t *n)
{
	struct cmp_listed *v = NULL, *tmp, l;
	size_t i = 0, k = 0;
	int err = 0;

	while (i < c->npts && !err) {
		if (!cmp_point_has(c, &c->pts[i], r)) {
			i++;
			continue;
		}
		err = list_group(c, r, i, &l, &i);
		tmp = err ? NULL : realloc(v, (k + 1) * sizeof(*v));
		if (!tmp) {
			free(l.phrase);
			err = -ENOMEM;
			break;
		}
		v = tmp;
		v[k++] = l;
	}
	*out = v;
	*n = k;
	if (err)
		cmp_unlist(v, k);
	return err;
}

void cmp_unlist(struct cmp_listed *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].phrase);
	free(l);
}
