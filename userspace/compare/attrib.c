// SPDX-License-Identifier: GPL-2.0
/*
 * Traced calls read from trace.csv, and their differences by function
 * (see attrib.h).
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "csv.h"
#include "util.h"

const char at_clone_note[] =
	"compiler clones (.isra.N, .constprop.N, .part.N, .cold, .llvm.N) "
	"are merged with their function";

const char *const at_kind_names[] = {
	[AT_SAME]	= "same",
	[AT_APPEARED]	= "appeared",
	[AT_VANISHED]	= "vanished",
	[AT_GREW]	= "grew",
	[AT_SHRANK]	= "shrank",
};

static const char *const clone_marks[] = {
	".isra.", ".constprop.", ".part.", ".cold", ".llvm.",
};

void at_base_name(char *buf, size_t size, const char *name)
{
	size_t cut = strlen(name);
	const char *tail;

	for (size_t i = 0; i < ARRAY_SIZE(clone_marks); i++) {
		const char *p = strstr(name, clone_marks[i]);

		if (p && (size_t)(p - name) < cut && p != name)
			cut = p - name;
	}
	/* what follows the name itself, such as " [module]", stays */
	tail = strchr(name + cut, ' ');
	snprintf(buf, size, "%.*s%s", (int)cut, name, tail ? tail : "");
}

enum col { C_API, C_PATH, C_SIZE, C_DIR, C_OP, C_FUNCTION, C_SELF,
	   C_CALLS, C_COUNT };

static const char *const col_names[C_COUNT] = {
	"api", "path", "size", "dir", "op", "function", "self", "calls",
};

static int columns(const struct csv_record *hdr, int *col, int count,
		   const char *const *names, int required, const char *file)
{
	for (int c = 0; c < count; c++) {
		col[c] = -1;
		for (int i = 0; i < hdr->n; i++)
			if (!strcmp(hdr->field[i], names[c]))
				col[c] = i;
		if (col[c] < 0 && c < required) {
			warnx("%s: no column '%s'", file, names[c]);
			return -EINVAL;
		}
	}
	return 0;
}

static int number(const char *s, uint64_t *v, const char *file, size_t line,
		  const char *what)
{
	char *end;

	if (s[0] < '0' || s[0] > '9') {
		warnx("%s:%zu: %s '%s' is not a count", file, line, what, s);
		return -EINVAL;
	}
	*v = strtoull(s, &end, 10);
	if (*end) {
		warnx("%s:%zu: %s '%s' is not a count", file, line, what, s);
		return -EINVAL;
	}
	return 0;
}

static struct at_call *find_call(struct at_trace *t, char **f,
				 const int *col, uint64_t size)
{
	for (size_t i = 0; i < t->n; i++) {
		struct at_call *c = &t->calls[i];

		if (c->size == size && !strcmp(c->api, f[col[C_API]]) &&
		    !strcmp(c->path, f[col[C_PATH]]) &&
		    !strcmp(c->dir, f[col[C_DIR]]) &&
		    !strcmp(c->op, f[col[C_OP]]))
			return c;
	}
	return NULL;
}

static struct at_call *new_call(struct at_trace *t, char **f, const int *col,
				uint64_t size)
{
	struct at_call *c, *calls;

	calls = realloc(t->calls, (t->n + 1) * sizeof(*calls));
	if (!calls)
		return NULL;
	t->calls = calls;
	c = &calls[t->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->api, sizeof(c->api), "%s", f[col[C_API]]);
	snprintf(c->path, sizeof(c->path), "%s", f[col[C_PATH]]);
	snprintf(c->dir, sizeof(c->dir), "%s", f[col[C_DIR]]);
	snprintf(c->op, sizeof(c->op), "%s", f[col[C_OP]]);
	c->size = size;
	return c;
}

/* Add self and calls to the function name of c, merging clones. */
static int add_func(struct at_call *c, const char *name, uint64_t self,
		    uint64_t calls, bool *clone)
{
	char base[AT_NAME_MAX];
	struct at_func *f;

	at_base_name(base, sizeof(base), name);
	*clone = strcmp(base, name) != 0;
	for (size_t i = 0; i < c->nf; i++) {
		if (!strcmp(c->f[i].name, base)) {
			c->f[i].self += self;
			c->f[i].calls += calls;
			c->total += self;
			return 0;
		}
	}
	if (c->nf == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;

		f = realloc(c->f, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		c->f = f;
		c->cap = cap;
	}
	f = &c->f[c->nf++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", base);
	f->self = self;
	f->calls = calls;
	c->total += self;
	return 0;
}

static int parse_rows(struct at_trace *t, const char *name, const char *text)
{
	const char *pos = text, *end = text + strlen(text);
	struct csv_record rec, hdr;
	int col[C_COUNT], got, err;
	size_t line = 1;

	got = csv_read(&pos, end, &hdr);
	if (got != 1) {
		warnx("%s: empty or malformed", name);
		return -EINVAL;
	}
	err = columns(&hdr, col, C_COUNT, col_names, C_CALLS, name);
	while (!err && (got = csv_read(&pos, end, &rec)) == 1) {
		uint64_t size, self, calls = 1;
		struct at_call *c;
		bool clone;

		line++;
		if (rec.n != hdr.n) {
			warnx("%s:%zu: %d fields, the header has %d", name, line,
			      rec.n, hdr.n);
			err = -EINVAL;
		}
		if (!err)
			err = number(rec.field[col[C_SIZE]], &size, name, line,
				     "size");
		if (!err)
			err = number(rec.field[col[C_SELF]], &self, name, line,
				     "self");
		if (!err && col[C_CALLS] >= 0)
			err = number(rec.field[col[C_CALLS]], &calls, name,
				     line, "calls");
		if (!err) {
			c = find_call(t, rec.field, col, size);
			if (!c)
				c = new_call(t, rec.field, col, size);
			err = c ? add_func(c, rec.field[col[C_FUNCTION]], self,
					   calls, &clone) : -ENOMEM;
			t->clones += !err && clone;
		}
		csv_record_free(&rec);
	}
	if (!err && got < 0) {
		warnx("%s:%zu: malformed CSV", name, line + 1);
		err = -EINVAL;
	}
	csv_record_free(&hdr);
	return err;
}

/* trace-points.csv: each call's instructions must be trace.csv's sum. */
static int check_points(const struct at_trace *t, const char *name,
			const char *text)
{
	static const char *const names[] = {
		"api", "path", "size", "dir", "op", "instructions",
	};
	const char *pos = text, *end = text + strlen(text);
	struct csv_record rec, hdr;
	int col[6], got, err;
	size_t line = 1;

	if (csv_read(&pos, end, &hdr) != 1) {
		warnx("%s: empty or malformed", name);
		return -EINVAL;
	}
	err = columns(&hdr, col, 6, names, 6, name);
	while (!err && (got = csv_read(&pos, end, &rec)) == 1) {
		const struct at_call *c = NULL;
		uint64_t size, n;

		line++;
		err = rec.n == hdr.n ? 0 : -EINVAL;
		if (err)
			warnx("%s:%zu: %d fields, the header has %d", name,
			      line, rec.n, hdr.n);
		if (!err)
			err = number(rec.field[col[2]], &size, name, line, "size");
		if (!err)
			err = number(rec.field[col[5]], &n, name, line,
				     "instructions");
		for (size_t i = 0; !err && i < t->n && !c; i++)
			if (t->calls[i].size == size &&
			    !strcmp(t->calls[i].api, rec.field[col[0]]) &&
			    !strcmp(t->calls[i].path, rec.field[col[1]]) &&
			    !strcmp(t->calls[i].dir, rec.field[col[3]]) &&
			    !strcmp(t->calls[i].op, rec.field[col[4]]))
				c = &t->calls[i];
		if (!err && c && c->total != n) {
			warnx("%s:%zu: %s %s %" PRIu64 " %s %s: %" PRIu64
			      " instructions, but its functions in %s sum to %"
			      PRIu64, name, line, c->api, c->path, size,
			      c->dir, c->op, n, t->file, c->total);
			err = -EINVAL;
		}
		csv_record_free(&rec);
	}
	csv_record_free(&hdr);
	return err;
}

int at_parse(struct at_trace *t, const char *name, const char *text,
	     const char *points)
{
	int err;

	memset(t, 0, sizeof(*t));
	snprintf(t->file, sizeof(t->file), "%s", name);
	err = parse_rows(t, name, text);
	if (!err && points)
		err = check_points(t, "trace-points.csv", points);
	if (err)
		at_free(t);
	return err;
}

int at_load(struct at_trace *t, const char *dir)
{
	char path[PATH_MAX], ppath[PATH_MAX], *text, *points;
	int err;

	memset(t, 0, sizeof(*t));
	if (fmt_buf(path, sizeof(path), "%s/trace.csv", dir) ||
	    fmt_buf(ppath, sizeof(ppath), "%s/trace-points.csv", dir))
		return -ENAMETOOLONG;
	text = read_all(path, NULL);
	if (!text) {
		err = -errno;
		if (err != -ENOENT)
			warn("%s", path);
		return err;
	}
	points = read_all(ppath, NULL);
	err = at_parse(t, path, text, points);
	free(points);
	free(text);
	return err;
}

void at_call_free(struct at_call *c)
{
	free(c->f);
	c->f = NULL;
	c->nf = c->cap = 0;
}

void at_free(struct at_trace *t)
{
	for (size_t i = 0; i < t->n; i++)
		at_call_free(&t->calls[i]);
	free(t->calls);
	t->calls = NULL;
	t->n = 0;
}

static const struct at_call *lookup(const struct at_trace *t, const char *api,
				    const char *path, uint64_t size,
				    const char *dir, const char *op)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct at_call *c = &t->calls[i];

		if (c->size == size && !strcmp(c->api, api) &&
		    !strcmp(c->path, path) && !strcmp(c->dir, dir) &&
		    !strcmp(c->op, op))
			return c;
	}
	return NULL;
}

const struct at_call *at_get(const struct at_trace *t, const char *api,
			     const char *path, uint64_t size, const char *dir,
			     const char *op, struct at_call *tmp)
{
	const struct at_call *m, *u;
	bool clone;

	if (strcmp(op, "pair"))
		return lookup(t, api, path, size, dir, op);
	m = lookup(t, api, path, size, dir, "map");
	u = lookup(t, api, path, size, dir, "unmap");
	if (!m || !u)
		return NULL;
	memset(tmp, 0, sizeof(*tmp));
	*tmp = *m;
	tmp->f = NULL;
	tmp->nf = tmp->cap = 0;
	tmp->total = 0;
	snprintf(tmp->op, sizeof(tmp->op), "pair");
	for (int k = 0; k < 2; k++) {
		const struct at_call *c = k ? u : m;

		for (size_t i = 0; i < c->nf; i++) {
			if (add_func(tmp, c->f[i].name, c->f[i].self,
				     c->f[i].calls, &clone)) {
				at_call_free(tmp);
				return NULL;
			}
		}
	}
	return tmp;
}

static const struct at_func *func_of(const struct at_call *c,
				     const char *name)
{
	for (size_t i = 0; i < c->nf; i++)
		if (!strcmp(c->f[i].name, name))
			return &c->f[i];
	return NULL;
}

static uint64_t abs64(int64_t v)
{
	return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

/* Changed first, largest |delta| first, then by name; the same last. */
static int by_size(const void *x, const void *y)
{
	const struct at_delta *a = x, *b = y;
	uint64_t da = abs64(a->delta), db = abs64(b->delta);

	if ((a->kind == AT_SAME) != (b->kind == AT_SAME))
		return a->kind == AT_SAME ? 1 : -1;
	if (da != db)
		return da > db ? -1 : 1;
	if (a->delta != b->delta)
		return a->delta > b->delta ? -1 : 1;
	return strcmp(a->name, b->name);
}

int at_diff(const struct at_call *a, const struct at_call *b,
	    struct at_diff *out)
{
	const struct at_call *side[2] = { a, b };

	memset(out, 0, sizeof(*out));
	out->d = calloc(a->nf + b->nf + 1, sizeof(*out->d));
	if (!out->d)
		return -ENOMEM;
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < side[s]->nf; i++) {
			const struct at_func *f = &side[s]->f[i];
			const struct at_func *o = func_of(side[!s], f->name);
			struct at_delta *d;

			if (s && o)
				continue;	/* done from A */
			d = &out->d[out->n++];
			d->name = f->name;
			d->self[s] = f->self;
			d->calls[s] = f->calls;
			d->self[!s] = o ? o->self : 0;
			d->calls[!s] = o ? o->calls : 0;
		}
	}
	for (size_t i = 0; i < out->n; i++) {
		struct at_delta *d = &out->d[i];

		d->delta = (int64_t)d->self[1] - (int64_t)d->self[0];
		if (!d->delta)
			d->kind = AT_SAME;
		else if (!d->self[0] && !d->calls[0])
			d->kind = AT_APPEARED;
		else if (!d->self[1] && !d->calls[1])
			d->kind = AT_VANISHED;
		else
			d->kind = d->delta > 0 ? AT_GREW : AT_SHRANK;
		out->sum += d->delta;
		if (d->kind == AT_SAME) {
			out->nsame++;
			out->same_self += d->self[0];
		}
	}
	qsort(out->d, out->n, sizeof(*out->d), by_size);
	out->total[0] = a->total;
	out->total[1] = b->total;
	out->change = (int64_t)b->total - (int64_t)a->total;
	return 0;
}

void at_diff_free(struct at_diff *d)
{
	free(d->d);
	d->d = NULL;
	d->n = 0;
}
