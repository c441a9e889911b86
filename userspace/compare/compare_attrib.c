// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: attribution.  Where both sides carry a trace.csv
 * (attrib.h: one traced call per point and op, instructions per
 * function), each traced point both share is shown per op (map, unmap,
 * and pair: their sum): both totals, their difference, and the
 * functions that appeared, vanished, grew or shrank.  The deltas of the
 * functions sum exactly to the difference of the totals; that is
 * checked here for every block, and a block where it would fail is an
 * error, not a figure.
 *
 * A side's trace is that of its first run with a trace.csv (the traces
 * of runs of one kernel are the same call, instruction for instruction).
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "csv.h"
#include "names.h"

static const char *const ops[] = { "map", "unmap", "pair" };

struct block {
	const char *api[2];
	const struct at_call *call[2];
	struct at_call pair[2];		/* op pair: map + unmap */
	const char *op;
	struct at_diff diff;
};

int cmp_load_traces(struct compare *c)
{
	for (int s = 0; s < 2; s++) {
		c->traced[s] = -1;
		if (s && c->o.within) {
			c->traced[1] = c->traced[0];
			break;
		}
		for (size_t i = 0; i < c->nruns[s]; i++) {
			int err = at_load(&c->trace[s], c->runs[s][i].dir);

			if (err == -ENOENT)
				continue;
			if (err)
				return err;
			c->traced[s] = (int)i;
			break;
		}
	}
	return 0;
}

bool cmp_has_traces(const struct compare *c)
{
	return c->traced[0] >= 0 && c->traced[1] >= 0;
}

static const struct at_trace *side_trace(const struct compare *c, int s)
{
	return &c->trace[c->o.within ? 0 : s];
}

static bool op_wanted(const struct compare *c, int op)
{
	return !c->o.ops || (c->o.ops & (1U << op));
}

static bool path_wanted(const struct compare *c, const char *path)
{
	if (!c->o.paths)
		return true;
	for (int i = 0; i < PATH_COUNT; i++)
		if ((c->o.paths & (1U << i)) && !strcmp(path, path_names[i]))
			return true;
	return false;
}

/* Was the point of call k of A's trace seen before, at an earlier k? */
static bool seen(const struct at_trace *t, size_t k)
{
	const struct at_call *c = &t->calls[k];

	for (size_t i = 0; i < k; i++) {
		const struct at_call *o = &t->calls[i];

		if (o->size == c->size && !strcmp(o->api, c->api) &&
		    !strcmp(o->path, c->path) && !strcmp(o->dir, c->dir))
			return true;
	}
	return false;
}

static void free_blocks(struct block *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		at_diff_free(&b[i].diff);
		at_call_free(&b[i].pair[0]);
		at_call_free(&b[i].pair[1]);
	}
	free(b);
}

/* One block per shared traced point and wanted op, in A's order. */
static int make_blocks(const struct compare *c, struct block **out,
		       size_t *n, size_t *one_side)
{
	const struct at_trace *ta = side_trace(c, 0), *tb = side_trace(c, 1);
	struct block *b;
	int err = 0;

	*n = *one_side = 0;
	b = calloc(ta->n * 3 + 1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (size_t k = 0; k < ta->n && !err; k++) {
		const struct at_call *a = &ta->calls[k];
		const char *api_b = c->o.within ? c->o.api[1] : a->api;
		bool shared = false;

		if (seen(ta, k) || !path_wanted(c, a->path))
			continue;
		if (c->o.within ? strcmp(a->api, c->o.api[0]) :
		    !cmp_api_wanted(&c->o, a->api))
			continue;
		for (int op = 0; op < 3 && !err; op++) {
			struct block *x = &b[*n];

			if (!op_wanted(c, op))
				continue;
			x->op = ops[op];
			x->api[0] = a->api;
			x->api[1] = api_b;
			x->call[0] = at_get(ta, a->api, a->path, a->size, a->dir,
					    ops[op], &x->pair[0]);
			x->call[1] = at_get(tb, api_b, a->path, a->size, a->dir,
					    ops[op], &x->pair[1]);
			if (!x->call[0] || !x->call[1]) {
				at_call_free(&x->pair[0]);
				at_call_free(&x->pair[1]);
				continue;
			}
			shared = true;
			err = at_diff(x->call[0], x->call[1], &x->diff);
			if (!err && x->diff.sum != x->diff.change) {
				warnx("attribution of %s %s %" PRIu64 " %s %s: the deltas sum to %" PRId64 ", the totals differ by %" PRId64,
				      a->api, a->path, a->size, a->dir,
				      ops[op], x->diff.sum, x->diff.change);
				err = -EPROTO;
			}
			(*n)++;
		}
		*one_side += !shared;
	}
	if (err) {
		free_blocks(b, *n);
		return err;
	}
	*out = b;
	return 0;
}

/* "page on direct, 4K to_dev, map", or with --within "direct, ...". */
static void block_label(const struct compare *c, const struct block *b,
			char *buf, size_t size)
{
	const struct at_call *a = b->call[0];
	char sz[24];

	cmp_size_short(sz, sizeof(sz), a->size);
	if (c->o.within)
		snprintf(buf, size, "%s, %s %s, %s", a->path, sz,
			 cmp_dir_short(a->dir), b->op);
	else
		snprintf(buf, size, "%s on %s, %s %s, %s", a->api, a->path, sz,
			 cmp_dir_short(a->dir), b->op);
}

static void fmt_delta(char *buf, size_t size, int64_t d)
{
	snprintf(buf, size, "%+" PRId64, d);
}

static void fmt_pct(char *buf, size_t size, const struct at_diff *d)
{
	if (!d->total[0])
		snprintf(buf, size, "-");
	else
		cmp_fmt_change(buf, size, (double)d->change / d->total[0]);
}

static const char *trace_name(const struct compare *c, int s)
{
	int i = c->traced[c->o.within ? 0 : s];

	return c->runs[c->o.within ? 0 : s][i].name;
}

/* Text */

#define ROW	"  %-9s %-37s %7s %7s %7s"

static void text_row(FILE *f, const char *kind, const char *name,
		     uint64_t a, uint64_t b, int64_t d)
{
	char va[24], vb[24], vd[24];

	snprintf(va, sizeof(va), "%" PRIu64, a);
	snprintf(vb, sizeof(vb), "%" PRIu64, b);
	fmt_delta(vd, sizeof(vd), d);
	if (strlen(name) > 37) {
		cmp_line(f, "  %-9s %s", kind, name);
		kind = "";
		name = "";
	}
	cmp_line(f, ROW, kind, name, va, vb, vd);
}

static void text_block(const struct compare *c, FILE *f,
		       const struct block *b)
{
	const struct at_diff *d = &b->diff;
	char label[160], head[300], pct[16], n[32];
	struct cmp_wrap w;

	block_label(c, b, label, sizeof(label));
	fmt_pct(pct, sizeof(pct), d);
	snprintf(head, sizeof(head), "%s: %s %" PRIu64 ", %s %" PRIu64
		 ", %+" PRId64 " (%s)", label, cmp_side_name(c, 0), d->total[0],
		 cmp_side_name(c, 1), d->total[1], d->change, pct);
	fputc('\n', f);
	cmp_wrap_begin(&w, f, "", "    ");
	cmp_wrap_text(&w, head);
	cmp_wrap_end(&w);
	cmp_line(f, ROW, "change", "function", cmp_side_name(c, 0),
		 cmp_side_name(c, 1), "delta");
	for (size_t i = 0; i < d->n; i++) {
		const struct at_delta *x = &d->d[i];

		if (x->kind == AT_SAME)
			break;
		text_row(f, at_kind_names[x->kind], x->name, x->self[0],
			 x->self[1], x->delta);
	}
	if (d->nsame) {
		snprintf(n, sizeof(n), "%zu function%s", d->nsame,
			 d->nsame == 1 ? "" : "s");
		text_row(f, "same", n, d->same_self, d->same_self, 0);
	}
	snprintf(n, sizeof(n), "%zu function%s", d->n, d->n == 1 ? "" : "s");
	text_row(f, "total", n, d->total[0], d->total[1], d->sum);
}

static void text_note(FILE *f, const char *text)
{
	struct cmp_wrap w;

	cmp_wrap_begin(&w, f, "", "");
	cmp_wrap_text(&w, text);
	cmp_wrap_end(&w);
}

static void print_text(const struct compare *c, FILE *f,
		       const struct block *b, size_t n, size_t one_side)
{
	char text[600];

	fputc('\n', f);
	cmp_line(f, "Attribution: the instructions of one traced call, by function");
	if (c->o.within)
		snprintf(text, sizeof(text),
			 "Traced: every instruction of one marked call, from the call to its return, named by the function it ran in (trace.csv of %s).",
			 trace_name(c, 0));
	else
		snprintf(text, sizeof(text),
			 "Traced: every instruction of one marked call, from the call to its return, named by the function it ran in (trace.csv of %s for %s, of %s for %s).",
			 trace_name(c, 0), cmp_side_name(c, 0),
			 trace_name(c, 1), cmp_side_name(c, 1));
	text_note(f, text);
	for (size_t i = 0; i < n; i++)
		text_block(c, f, &b[i]);
	if (!n) {
		fputc('\n', f);
		cmp_line(f, "No traced point on both sides.");
	}
	fputc('\n', f);
	if (one_side) {
		snprintf(text, sizeof(text),
			 "%zu traced point%s of %s %s no counterpart in %s's trace.",
			 one_side, one_side == 1 ? "" : "s", cmp_side_name(c, 0),
			 one_side == 1 ? "has" : "have", cmp_side_name(c, 1));
		text_note(f, text);
	}
	snprintf(text, sizeof(text),
		 "In every block above the functions' deltas sum exactly to the difference of the totals (checked); pair is map and unmap added; %s.",
		 at_clone_note);
	text_note(f, text);
}

/* CSV */

static void print_csv(const struct compare *c, FILE *f,
		      const struct block *b, size_t n)
{
	(void)c;
	fputs("api_a,api_b,path,size,dir,op,function,change,self_a,self_b,"
	      "delta,calls_a,calls_b,total_a,total_b\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct at_diff *d = &b[i].diff;
		const struct at_call *a = b[i].call[0];

		for (size_t k = 0; k < d->n; k++) {
			const struct at_delta *x = &d->d[k];
			char v[8][32];
			const char *field[15] = {
				b[i].api[0], b[i].api[1], a->path, v[0], a->dir,
				b[i].op, x->name, at_kind_names[x->kind], v[1],
				v[2], v[3], v[4], v[5], v[6], v[7],
			};

			snprintf(v[0], 32, "%" PRIu64, a->size);
			snprintf(v[1], 32, "%" PRIu64, x->self[0]);
			snprintf(v[2], 32, "%" PRIu64, x->self[1]);
			snprintf(v[3], 32, "%" PRId64, x->delta);
			snprintf(v[4], 32, "%" PRIu64, x->calls[0]);
			snprintf(v[5], 32, "%" PRIu64, x->calls[1]);
			snprintf(v[6], 32, "%" PRIu64, d->total[0]);
			snprintf(v[7], 32, "%" PRIu64, d->total[1]);
			csv_write_record(f, field, 15);
		}
	}
}

/* Markdown */

static void md_name(FILE *f, const char *s)
{
	fputc('`', f);
	for (; *s; s++)
		fputc(*s == '`' || *s == '|' ? '\'' : *s, f);
	fputc('`', f);
}

static void print_md(const struct compare *c, FILE *f, const struct block *b,
		     size_t n, size_t one_side)
{
	fputs("\n### Attribution: the instructions of one traced call, by function\n\n", f);
	fprintf(f, "Traced: every instruction of one marked call, from the call "
		"to its return, named by the function it ran in (`trace.csv` "
		"of `%s` for %s, of `%s` for %s).\n", trace_name(c, 0),
		cmp_side_name(c, 0), trace_name(c, 1), cmp_side_name(c, 1));
	for (size_t i = 0; i < n; i++) {
		const struct at_diff *d = &b[i].diff;
		char label[160], pct[16];

		block_label(c, &b[i], label, sizeof(label));
		fmt_pct(pct, sizeof(pct), d);
		fprintf(f, "\n**%s**: %s %" PRIu64 ", %s %" PRIu64 ", %+" PRId64
			" (%s)\n\n", label, cmp_side_name(c, 0), d->total[0],
			cmp_side_name(c, 1), d->total[1], d->change, pct);
		fprintf(f, "| change | function | %s | %s | delta |\n",
			cmp_side_name(c, 0), cmp_side_name(c, 1));
		fputs("|---|---|---:|---:|---:|\n", f);
		for (size_t k = 0; k < d->n && d->d[k].kind != AT_SAME; k++) {
			const struct at_delta *x = &d->d[k];

			fprintf(f, "| %s | ", at_kind_names[x->kind]);
			md_name(f, x->name);
			fprintf(f, " | %" PRIu64 " | %" PRIu64 " | %+" PRId64
				" |\n", x->self[0], x->self[1], x->delta);
		}
		if (d->nsame)
			fprintf(f, "| same | %zu functions | %" PRIu64 " | %"
				PRIu64 " | +0 |\n", d->nsame, d->same_self,
				d->same_self);
		fprintf(f, "| **total** | %zu functions | %" PRIu64 " | %" PRIu64
			" | %+" PRId64 " |\n", d->n, d->total[0], d->total[1],
			d->sum);
	}
	if (!n)
		fputs("\nNo traced point on both sides.\n", f);
	if (one_side)
		fprintf(f, "\n%zu traced point%s of %s without a counterpart in %s's trace.\n",
			one_side, one_side == 1 ? "" : "s",
			cmp_side_name(c, 0), cmp_side_name(c, 1));
	fprintf(f, "\nIn every table the functions' deltas sum exactly to the "
		"difference of the totals (checked); pair is map and unmap "
		"added; %s.\n", at_clone_note);
}

int cmp_print_attribution(const struct compare *c, FILE *f)
{
	struct block *b;
	size_t n, one_side;
	int err;

	if (!cmp_has_traces(c)) {
		for (int s = 0; s < (c->o.within ? 1 : 2); s++)
			if (c->traced[s] < 0)
				warnx("%s: no trace.csv in %s", c->o.run[s],
				      c->nruns[s] > 1 ? "any of its runs" :
				      "the run");
		return -ENOENT;
	}
	err = make_blocks(c, &b, &n, &one_side);
	if (err)
		return err;
	switch (c->o.format) {
	case CMP_TEXT:
		print_text(c, f, b, n, one_side);
		break;
	case CMP_CSV:
		print_csv(c, f, b, n);
		break;
	case CMP_MD:
		print_md(c, f, b, n, one_side);
		break;
	}
	free_blocks(b, n);
	return 0;
}
