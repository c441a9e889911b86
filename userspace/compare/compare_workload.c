// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: the workload points (workload.csv) of both sides.
 *
 * A workload point is (tool, workload, path, size, qd, batch, completion,
 * buffers, variant, threads).  A workload run gives one figure per point
 * and metric, not a distribution, so there is no interval and no test
 * here: each side's figure is the median over its runs and boots (their
 * number is shown), and the change is B / A - 1.  Repeat runs and give
 * them as A1,A2 B1,B2 to see how much a figure moves by itself.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "csv.h"
#include "names.h"
#include "stats.h"
#include "util.h"
#include "workload.h"

#define WL_KEYS		11	/* tool .. threads, device excluded */

static const int key_cols[WL_KEYS] = { 0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 15 };

static const struct metric {
	int col;
	const char *name;	/* in the report */
	double scale;
} metrics[] = {
	{ 13, "ops/s", 1 },
	{ 14, "MiB/s", 1 },
	{ 17, "p50 latency", 1 },
	{ 19, "p99 latency", 1 },
	{ 23, "ns per page", 1 },
	{ 24, "CPU ns/op (all CPUs)", 1 },
	{ 25, "kernel cycles/op", 1 },
	{ 26, "kernel instr/op", 1 },
	{ 27, "DMA share of kernel %", 100 },
};
#define NR_METRICS	ARRAY_SIZE(metrics)

struct wl_point {
	char key[256];
	char label[160];
	double *val[2][NR_METRICS];
	size_t n[2][NR_METRICS];
	size_t cap[2];
	size_t rows[2];
};

struct wl_set {
	struct wl_point *pt;
	size_t n, cap;
};

static void label_of(char *buf, size_t size, char **f)
{
	char sz[32];
	uint64_t s = strtoull(f[4], NULL, 10);

	if (s >= 1024 * 1024 && !(s % (1024 * 1024)))
		snprintf(sz, sizeof(sz), "%lluM", (unsigned long long)(s >> 20));
	else if (s >= 1024 && !(s % 1024))
		snprintf(sz, sizeof(sz), "%lluK", (unsigned long long)(s >> 10));
	else
		snprintf(sz, sizeof(sz), "%llu", (unsigned long long)s);
	snprintf(buf, size, "%s %s %s qd%s batch%s%s%s%s%s%s%s, %s", f[0],
		 f[1], sz, f[5], f[6], *f[7] ? " " : "", f[7],
		 *f[8] ? " " : "", f[8], *f[9] ? " " : "", f[9], f[2]);
}

static struct wl_point *point(struct wl_set *s, char **f)
{
	char key[256] = "";
	size_t len = 0;

	for (int k = 0; k < WL_KEYS; k++)
		len += snprintf(key + len, len < sizeof(key) ? sizeof(key) - len : 0,
				"%s|", f[key_cols[k]]);
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->pt[i].key, key))
			return &s->pt[i];
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct wl_point *p = realloc(s->pt, cap * sizeof(*p));

		if (!p)
			return NULL;
		s->pt = p;
		s->cap = cap;
	}
	memset(&s->pt[s->n], 0, sizeof(s->pt[0]));
	snprintf(s->pt[s->n].key, sizeof(s->pt[0].key), "%s", key);
	label_of(s->pt[s->n].label, sizeof(s->pt[0].label), f);
	return &s->pt[s->n++];
}

static int add(struct wl_point *p, int side, char **f)
{
	if (p->rows[side] == p->cap[side]) {
		size_t cap = p->cap[side] ? 2 * p->cap[side] : 4;

		for (size_t m = 0; m < NR_METRICS; m++) {
			double *v = realloc(p->val[side][m], cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			p->val[side][m] = v;
		}
		p->cap[side] = cap;
	}
	for (size_t m = 0; m < NR_METRICS; m++) {
		const char *s = f[metrics[m].col];

		if (*s)
			p->val[side][m][p->n[side][m]++] =
				strtod(s, NULL) * metrics[m].scale;
	}
	p->rows[side]++;
	return 0;
}

/* The ok rows of dir/workload.csv into the set; none is not an error. */
static int load(struct wl_set *s, int side, const char *dir)
{
	struct csv_record rec;
	struct csv_file f;
	int err, got = 0;

	err = csv_file_open(&f, dir, "workload.csv", false);
	if (err)
		return err < 0 ? err : 0;
	if (!csv_file_header_is(&f, WORKLOAD_HEADER)) {
		warnx("%s: not dmabench's workload header", f.path);
		csv_file_close(&f);
		return -EINVAL;
	}
	while (!err && (got = csv_file_next(&f, &rec)) == 1) {
		if (rec.n == WORKLOAD_FIELDS &&
		    status_parse(rec.field[WORKLOAD_STATUS]) == STATUS_OK) {
			struct wl_point *p = point(s, rec.field);

			err = p ? add(p, side, rec.field) : -ENOMEM;
		}
		csv_record_free(&rec);
	}
	if (!err && got < 0)
		err = got;
	csv_file_close(&f);
	return err;
}

static double median(double *v, size_t n)
{
	if (!n)
		return NAN;
	stats_sort(v, n);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void print_text(const struct compare *c, const struct wl_set *s,
		       FILE *f)
{
	char a[24], b[24], ch[24];

	cmp_line(f, "Workloads (workload.csv): one figure per run and point,");
	cmp_line(f, "the median over runs and boots where there are several;");
	cmp_line(f, "no interval: compare repeated runs to see the spread.");
	for (size_t i = 0; i < s->n; i++) {
		const struct wl_point *p = &s->pt[i];

		if (!p->rows[0] || !p->rows[1])
			continue;
		fputc('\n', f);
		cmp_line(f, "%s (runs %zu / %zu)", p->label, p->rows[0],
			 p->rows[1]);
		cmp_line(f, "  %-24s %13s %13s %9s", "", cmp_side_name(c, 0),
			 cmp_side_name(c, 1), "change");
		for (size_t m = 0; m < NR_METRICS; m++) {
			double va = median(p->val[0][m], p->n[0][m]);
			double vb = median(p->val[1][m], p->n[1][m]);

			if (isnan(va) && isnan(vb))
				continue;
			cmp_fmt_value(a, sizeof(a), va);
			cmp_fmt_value(b, sizeof(b), vb);
			cmp_fmt_change(ch, sizeof(ch), isnan(va) || isnan(vb) ||
				       va == 0 ? NAN : vb / va - 1);
			cmp_line(f, "  %-24s %13s %13s %9s", metrics[m].name,
				 isnan(va) ? "-" : a, isnan(vb) ? "-" : b, ch);
		}
	}
}

static void print_rows(const struct compare *c, const struct wl_set *s,
		       FILE *f, bool md)
{
	if (md)
		fprintf(f, "\n| workload point | metric | %s | %s | change |\n"
			"|---|---|---:|---:|---:|\n", cmp_side_name(c, 0),
			cmp_side_name(c, 1));
	else
		fputs("point,metric,a,b,change,runs_a,runs_b\n", f);
	for (size_t i = 0; i < s->n; i++) {
		const struct wl_point *p = &s->pt[i];

		if (!p->rows[0] || !p->rows[1])
			continue;
		for (size_t m = 0; m < NR_METRICS; m++) {
			double va = median(p->val[0][m], p->n[0][m]);
			double vb = median(p->val[1][m], p->n[1][m]);
			double ch = isnan(va) || isnan(vb) || va == 0 ? NAN :
				    vb / va - 1;

			if (isnan(va) && isnan(vb))
				continue;
			if (md) {
				fprintf(f, "| %s | %s | %.6g | %.6g | ", p->label,
					metrics[m].name, va, vb);
				if (isnan(ch))
					fputs("- |\n", f);
				else
					fprintf(f, "%+.1f %% |\n", 100 * ch);
				continue;
			}
			csv_write_field(f, p->label);
			fputc(',', f);
			csv_write_field(f, metrics[m].name);
			fprintf(f, ",%.6g,%.6g,", va, vb);
			if (!isnan(ch))
				fprintf(f, "%.6g", ch);
			fprintf(f, ",%zu,%zu\n", p->rows[0], p->rows[1]);
		}
	}
}

/* Workload points of both sides; nothing if neither side has any. */
int cmp_print_workloads(const struct compare *c, FILE *f)
{
	struct wl_set s = { 0 };
	size_t both = 0;
	int err = 0;

	for (int side = 0; side < 2 && !err; side++)
		for (size_t i = 0; i < c->nruns[side] && !err; i++)
			err = load(&s, side, c->runs[side][i].dir);
	for (size_t i = 0; i < s.n; i++)
		both += s.pt[i].rows[0] && s.pt[i].rows[1];
	if (!err && (both || c->o.workloads)) {
		switch (c->o.format) {
		case CMP_TEXT:
			fputc('\n', f);
			if (both)
				print_text(c, &s, f);
			else
				cmp_line(f, "No workload point on both sides.");
			break;
		case CMP_MD:
			fputs("\n**Workloads** (one figure per run and point; the median over runs where there are several; no interval)\n", f);
			print_rows(c, &s, f, true);
			break;
		case CMP_CSV:
			print_rows(c, &s, f, false);
			break;
		}
	}
	for (size_t i = 0; i < s.n; i++)
		for (int side = 0; side < 2; side++)
			for (size_t m = 0; m < NR_METRICS; m++)
				free(s.pt[i].val[side][m]);
	free(s.pt);
	return err;
}
