// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: which rows make which point, on which side.
 *
 * Every row that passes the filters becomes an entry keyed by the fields
 * a point is matched on; entries sorted by key then give each point with
 * the rows of both sides together.  Points keep the order in which their
 * rows first appear in A's summary.csv (path, size, dir, api, op),
 * gathered into groups of the same api and path, so that the table reads
 * like the summary it comes from.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "names.h"
#include "util.h"

struct entry {
	char key[sizeof(((struct cmp_point *)0)->key)];
	size_t seq;
	int side;
	struct cmp_occ occ;
};

/* Short forms for the table: 64, 4K, 2M; bytes unless a whole K or M. */
void cmp_size_short(char *buf, size_t size, uint64_t bytes)
{
	unsigned long long b = bytes;

	if (b && !(b & ((1ULL << 30) - 1)))
		snprintf(buf, size, "%lluG", b >> 30);
	else if (b && !(b & ((1ULL << 20) - 1)))
		snprintf(buf, size, "%lluM", b >> 20);
	else if (b >= 1024 && !(b & 1023))
		snprintf(buf, size, "%lluK", b >> 10);
	else
		snprintf(buf, size, "%llu", b);
}

const char *cmp_dir_short(const char *dir)
{
	if (!strcmp(dir, "to_device"))
		return "to_dev";
	if (!strcmp(dir, "from_device"))
		return "from_dev";
	if (!strcmp(dir, "bidirectional"))
		return "bidir";
	return dir;
}

static bool wanted(const char *name, const char *const *names, size_t count,
		   unsigned int mask)
{
	if (!mask)
		return true;
	for (size_t i = 0; i < count; i++)
		if ((mask & (1U << i)) && !strcmp(name, names[i]))
			return true;
	return false;
}

/* The side a row belongs to, or -1 if it is filtered out. */
static int row_side(const struct compare *c, int side,
		    const struct cmp_row *r)
{
	const struct cmp_opts *o = &c->o;

	if (!wanted(r->op, op_names, OP_COUNT, o->ops) ||
	    !wanted(r->path, path_names, PATH_COUNT, o->paths) ||
	    !cmp_api_wanted(o, r->api))
		return -1;
	if (!o->within)
		return side;
	if (!strcmp(r->api, o->api[0]))
		return 0;
	if (!strcmp(r->api, o->api[1]))
		return 1;
	return -1;
}

static int make_key(const struct compare *c, const struct cmp_row *r,
		    char *buf, size_t size)
{
	return fmt_buf(buf, size,
		       "%s\t%s\t%llu\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s",
		       c->o.within ? "" : r->api, r->path,
		       (unsigned long long)r->size, r->dir, r->threads, r->op,
		       c->o.cross ? "" : r->unit, r->nents, r->offset, r->attrs,
		       r->pattern, r->batch, r->working_set);
}

/* Append ", name value" to buf unless value is the usual one. */
static void unusual(char *buf, size_t size, const char *name,
		    const char *value, const char *usual)
{
	size_t len = strlen(buf);

	if (strcmp(value, usual) && len < size)
		snprintf(buf + len, size - len, ", %s %s", name, value);
}

/* "page on direct", or with --within "direct"; then what is unusual. */
static void group_label(const struct compare *c, const struct cmp_row *r,
			char *buf, size_t size)
{
	if (c->o.within)
		snprintf(buf, size, "%s", r->path);
	else
		snprintf(buf, size, "%s on %s", r->api, r->path);
	unusual(buf, size, "threads", r->threads, "1");
	unusual(buf, size, "nents", r->nents, "1");
	unusual(buf, size, "offset", r->offset, "0");
	unusual(buf, size, "attrs", r->attrs, "0");
	unusual(buf, size, "pattern", r->pattern, "pair");
	unusual(buf, size, "batch", r->batch, "1");
	unusual(buf, size, "working set", r->working_set, "1");
}

/*
 * What a row says, for the list of what was not compared: its status,
 * or "no samples" for a row of status ok without a median and samples
 * to compare (a counter's mean-only row).
 */
const char *cmp_row_status(const struct cmp_row *r)
{
	if (status_parse(r->status) != STATUS_OK)
		return r->status;
	return r->usable ? "ok" : "no samples";
}

static void item_label(const struct cmp_row *r, char *buf, size_t size)
{
	char sz[24];

	cmp_size_short(sz, sizeof(sz), r->size);
	snprintf(buf, size, "%s %s %s", sz, cmp_dir_short(r->dir), r->op);
}

static int cmp_entry(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int d = strcmp(a->key, b->key);

	return d ? d : (a->seq > b->seq) - (a->seq < b->seq);
}

static int collect_entries(const struct compare *c, struct entry **out,
			   size_t *n)
{
	size_t cap = 0, seq = 0;
	struct entry *e = NULL;
	int err = 0;

	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < c->nruns[i]; k++)
			cap += c->runs[i][k].nrows;
	e = malloc((cap ? cap : 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	*n = 0;
	for (int s = 0; s < (c->o.within ? 1 : 2); s++) {
		for (size_t k = 0; k < c->nruns[s]; k++) {
			const struct cmp_run *run = &c->runs[s][k];

			for (size_t i = 0; i < run->nrows && !err; i++) {
				const struct cmp_row *r = &run->rows[i];
				struct entry *en = &e[*n];

				en->side = row_side(c, s, r);
				if (en->side < 0)
					continue;
				en->seq = seq++;
				en->occ.run = run;
				en->occ.row = r;
				err = make_key(c, r, en->key, sizeof(en->key));
				if (err)
					warnx("%s: a row with fields too long to match (%s %s)",
					      run->dir, r->api, r->path);
				(*n)++;
			}
		}
	}
	if (err) {
		free(e);
		return err;
	}
	qsort(e, *n, sizeof(*e), cmp_entry);
	*out = e;
	return 0;
}

static bool side_ok(const struct cmp_point *p, int s)
{
	for (size_t i = 0; i < p->nocc[s]; i++)
		if (p->occ[s][i].row->usable)
			return true;
	return false;
}

/* The point made of entries e[0..n-1], all of one key. */
static int make_point(const struct compare *c, struct cmp_point *p,
		      const struct entry *e, size_t n)
{
	const struct cmp_row *first = e[0].occ.row;

	memset(p, 0, sizeof(*p));
	memcpy(p->key, e[0].key, sizeof(p->key));
	p->seq = e[0].seq;
	group_label(c, first, p->group, sizeof(p->group));
	item_label(first, p->item, sizeof(p->item));
	for (int s = 0; s < 2; s++) {
		p->occ[s] = calloc(n, sizeof(*p->occ[s]));
		if (!p->occ[s])
			return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		p->occ[e[i].side][p->nocc[e[i].side]++] = e[i].occ;
	if (!p->nocc[1])
		p->state = CMP_ONLY_A;
	else if (!p->nocc[0])
		p->state = CMP_ONLY_B;
	else if (!side_ok(p, 0) || !side_ok(p, 1))
		p->state = CMP_NOT_OK;
	else
		p->state = CMP_COMPARED;
	return 0;
}

static int cmp_by_group(const void *x, const void *y)
{
	const struct cmp_point *a = x, *b = y;
	int d = strcmp(a->group, b->group);

	return d ? d : (a->seq > b->seq) - (a->seq < b->seq);
}

static int cmp_by_order(const void *x, const void *y)
{
	const struct cmp_point *a = x, *b = y;

	size_t ga = a->group_seq, gb = b->group_seq;

	if (ga != gb)
		return (ga > gb) - (ga < gb);
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Groups in order of their first point, points in order within. */
static void order_points(struct compare *c)
{
	struct cmp_point *p = c->pts;

	qsort(p, c->npts, sizeof(*p), cmp_by_group);
	for (size_t i = 0; i < c->npts; i++)
		p[i].group_seq = i && !strcmp(p[i].group, p[i - 1].group) ?
				 p[i - 1].group_seq : p[i].seq;
	qsort(p, c->npts, sizeof(*p), cmp_by_order);
}

int cmp_match(struct compare *c)
{
	struct entry *e;
	size_t n, i, j;
	int err;

	err = collect_entries(c, &e, &n);
	if (err)
		return err;
	c->pts = calloc(n ? n : 1, sizeof(*c->pts));
	if (!c->pts) {
		free(e);
		return -ENOMEM;
	}
	for (i = 0; i < n && !err; i = j) {
		for (j = i + 1; j < n && !strcmp(e[j].key, e[i].key); j++)
			;
		err = make_point(c, &c->pts[c->npts++], e + i, j - i);
	}
	free(e);
	if (!err)
		order_points(c);
	return err;
}
