// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: reading a run directory.
 *
 * From meta.json: the unit, the clock source and tsc_khz, whether the
 * machine was emulated, and per boot the kernel release, the CPU model
 * and the module's tsc_khz.  From summary.csv: every row, its columns
 * found by the names in the header, so that runs written before a column
 * was added (max_irqoff; pattern, batch and working_set, which then take
 * the values every older run had) still read.  From samples/: the raw
 * ticks of a row's op (its column found by name too: files may lead with
 * repeat and thread), converted to the row's unit the way 'dmabench
 * micro' does: instructions are the ticks themselves, ns = ticks *
 * 1000000 / tsc_khz with the tsc_khz of the row's boot.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "json.h"
#include "meta_read.h"
#include "names.h"
#include "util.h"

enum col {
	C_API, C_PATH, C_SIZE, C_DIR, C_THREADS, C_OP, C_UNIT, C_MEDIAN,
	C_NENTS, C_OFFSET, C_ATTRS, C_STATUS, C_NOTE, C_BOOT, C_SAMPLES,
	C_REQUIRED,
	/* columns added later: absent from older runs, given defaults */
	C_PATTERN = C_REQUIRED, C_BATCH, C_WORKING_SET,
	C_COUNT,
};

static const char *const col_names[C_COUNT] = {
	"api", "path", "size", "dir", "threads", "op", "unit", "median",
	"nents", "offset", "attrs", "status", "note", "boot", "samples",
	"pattern", "batch", "working_set",
};

/* What an older run without the column measured. */
static const char *const col_default[C_COUNT] = {
	[C_PATTERN] = "pair", [C_BATCH] = "1", [C_WORKING_SET] = "1",
};

/* An unsigned JSON integer at obj.key, or 0. */
static uint64_t u64_at(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) && json_integer_value(v) >= 0 ?
	       json_integer_value(v) : 0;
}

static int load_boots(struct cmp_run *run, const json_t *boots)
{
	size_t n = json_array_size(boots);

	run->boots = calloc(n ? n : 1, sizeof(*run->boots));
	if (!run->boots)
		return -ENOMEM;
	run->nboots = n;
	for (size_t i = 0; i < n; i++) {
		struct cmp_boot *cb = &run->boots[i];
		json_t *b = json_array_get(boots, i);

		json_str_at(b, "kernel.release", cb->release, sizeof(cb->release));
		json_str_at(b, "kernel.version", cb->version, sizeof(cb->version));
		json_str_at(b, "cpu.model", cb->cpu, sizeof(cb->cpu));
		json_str_at(b, "cpu_model", cb->qemu_cpu, sizeof(cb->qemu_cpu));
		json_str_at(b, "host.name", cb->host, sizeof(cb->host));
		cb->tsc_khz = u64_at(json_object_get(b, "module"), "tsc_khz");
	}
	return 0;
}

static int load_meta(struct cmp_run *run)
{
	json_t *doc, *boots;
	int err;

	err = meta_read(run->dir, &doc, &boots);
	if (err)
		return err;
	json_str_at(doc, "unit", run->unit, sizeof(run->unit));
	json_str_at(doc, "clock.source", run->clock, sizeof(run->clock));
	/* Runs from before meta.json named it were all x86_64. */
	json_str_at(doc, "arch", run->arch, sizeof(run->arch));
	if (!run->arch[0])
		snprintf(run->arch, sizeof(run->arch), "x86_64");
	run->emulated = json_is_true(json_object_get(doc, "emulated"));
	run->tsc_khz = u64_at(json_object_get(doc, "clock"), "tsc_khz");
	err = load_boots(run, boots);
	json_decref(doc);
	return err;
}

/* Where each column is, from the header; -EINVAL if one is missing. */
static int find_columns(const struct csv_record *hdr, int *col,
			const char *path)
{
	for (int c = 0; c < C_COUNT; c++) {
		col[c] = -1;
		for (int i = 0; i < hdr->n; i++)
			if (!strcmp(hdr->field[i], col_names[c]))
				col[c] = i;
		if (col[c] < 0 && c < C_REQUIRED) {
			warnx("%s: no column '%s': not a dmabench summary",
			      path, col_names[c]);
			return -EINVAL;
		}
	}
	return 0;
}

static const char *field_or_default(char **f, const int *col, int c)
{
	return col[c] < 0 ? col_default[c] : f[col[c]];
}

static int parse_row(struct cmp_row *r, const int *col, int ncols,
		     const char *path, size_t line)
{
	char **f = r->rec.field;
	char *end;

	if (r->rec.n != ncols) {
		warnx("%s:%zu: %d fields, the header has %d", path, line,
		      r->rec.n, ncols);
		return -EINVAL;
	}
	r->pattern = field_or_default(f, col, C_PATTERN);
	r->batch = field_or_default(f, col, C_BATCH);
	r->working_set = field_or_default(f, col, C_WORKING_SET);
	r->api = f[col[C_API]];
	r->path = f[col[C_PATH]];
	r->dir = f[col[C_DIR]];
	r->threads = f[col[C_THREADS]];
	r->op = f[col[C_OP]];
	r->unit = f[col[C_UNIT]];
	r->nents = f[col[C_NENTS]];
	r->offset = f[col[C_OFFSET]];
	r->attrs = f[col[C_ATTRS]];
	r->status = f[col[C_STATUS]];
	r->note = f[col[C_NOTE]];
	r->samples = f[col[C_SAMPLES]];
	r->size = strtoull(f[col[C_SIZE]], &end, 10);
	if (*end || end == f[col[C_SIZE]]) {
		warnx("%s:%zu: size '%s' is not a number", path, line,
		      f[col[C_SIZE]]);
		return -EINVAL;
	}
	r->boot = strtoul(f[col[C_BOOT]], &end, 10);
	if (*end || end == f[col[C_BOOT]]) {
		warnx("%s:%zu: boot '%s' is not a number", path, line,
		      f[col[C_BOOT]]);
		return -EINVAL;
	}
	r->median = f[col[C_MEDIAN]][0] ? strtod(f[col[C_MEDIAN]], NULL) : NAN;
	/* a mean-only row (a counter) has neither median nor samples */
	r->usable = status_parse(r->status) == STATUS_OK && r->samples[0] &&
		    !isnan(r->median);
	return 0;
}

static int grow_rows(struct cmp_run *run, size_t *cap)
{
	struct cmp_row *rows;

	if (run->nrows < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 256;
	rows = realloc(run->rows, *cap * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	run->rows = rows;
	return 0;
}

static int load_summary(struct cmp_run *run)
{
	struct csv_record hdr;
	int col[C_COUNT], got, err;
	struct csv_file f;
	size_t cap = 0;

	err = csv_file_open(&f, run->dir, "summary.csv", true);
	if (err)
		return err;
	got = csv_file_next(&f, &hdr);
	err = got == 1 ? find_columns(&hdr, col, f.path) : -EINVAL;
	if (got == 0)
		warnx("%s: empty or malformed", f.path);
	while (!err) {
		err = grow_rows(run, &cap);
		if (err)
			break;
		got = csv_file_next(&f, &run->rows[run->nrows].rec);
		if (got <= 0) {
			err = got;
			break;
		}
		run->nrows++;
		err = parse_row(&run->rows[run->nrows - 1], col, hdr.n, f.path,
				f.line);
	}
	csv_record_free(&hdr);
	csv_file_close(&f);
	return err;
}

int cmp_load_run(struct cmp_run *run, const char *dir)
{
	return cmp_load_run_opt(run, dir, true);
}

/*
 * A run directory; without need_summary, one whose summary.csv is
 * missing (a run that holds only traces) has no rows.
 */
int cmp_load_run_opt(struct cmp_run *run, const char *dir, bool need_summary)
{
	char path[PATH_MAX];
	const char *slash;
	size_t len;
	int err;

	memset(run, 0, sizeof(*run));
	err = fmt_buf(run->dir, sizeof(run->dir), "%s", dir);
	if (err) {
		warnx("%s: path too long", dir);
		return err;
	}
	len = strlen(run->dir);
	while (len > 1 && run->dir[len - 1] == '/')
		run->dir[--len] = '\0';
	slash = strrchr(run->dir, '/');
	run->name = slash && slash[1] ? slash + 1 : run->dir;
	err = load_meta(run);
	if (!err && !need_summary &&
	    !fmt_buf(path, sizeof(path), "%s/summary.csv", run->dir) &&
	    !path_exists(path))
		return 0;
	if (!err)
		err = load_summary(run);
	return err;
}

void cmp_free_run(struct cmp_run *run)
{
	for (size_t i = 0; i < run->nrows; i++)
		csv_record_free(&run->rows[i].rec);
	free(run->rows);
	free(run->boots);
	run->rows = NULL;
	run->boots = NULL;
	run->nrows = run->nboots = 0;
}

/* ticks to the row's unit: a factor, or 0 if there is none. */
static double tick_scale(const struct cmp_run *run, const struct cmp_row *row)
{
	uint64_t khz = 0;

	if (!strcmp(row->unit, "instructions"))
		return 1;
	if (strcmp(row->unit, "ns"))
		return 0;
	if (row->boot < run->nboots)
		khz = run->boots[row->boot].tsc_khz;
	if (!khz)
		khz = run->tsc_khz;
	return khz ? 1e6 / (double)khz : 0;
}

/* Which field of the samples header is op; -1 if none. */
static int op_column(const char *line, const char *op)
{
	size_t len = strlen(op);
	int i = 0;

	for (const char *p = line; *p && *p != '\n'; i++) {
		if (!strncmp(p, op, len) && (p[len] == ',' || p[len] == '\n' ||
					     p[len] == '\r' || !p[len]))
			return i;
		p = strpbrk(p, ",\n");
		if (!p || *p == '\n')
			break;
		p++;
	}
	return -1;
}

/* Field i of the line at *p as a number; *p moves to the next line. */
static int line_field(const char **p, int i, double *v)
{
	const char *s = *p, *nl = strchr(s, '\n');
	const char *eol = nl ? nl : s + strlen(s);
	char *end;

	*p = nl ? nl + 1 : eol;
	for (int k = 0; k < i; k++) {
		s = memchr(s, ',', eol - s);
		if (!s)
			return -EINVAL;
		s++;
	}
	*v = strtod(s, &end);
	if (end == s || end > eol)
		return -EINVAL;
	return *end == ',' || *end == '\r' || end == eol ? 0 : -EINVAL;
}

static int parse_samples(const char *text, const char *op, double scale,
			 double **out, size_t *n, const char *path)
{
	const char *p = strchr(text, '\n');
	size_t cap = 1024, line = 2;
	int col = op_column(text, op);
	double *v, *tmp;

	if (col < 0 || !p) {
		warnx("%s: no column '%s' in its header", path, op);
		return -EINVAL;
	}
	v = malloc(cap * sizeof(*v));
	*n = 0;
	for (p++; v && *p; line++) {
		if (*n == cap) {
			tmp = realloc(v, (cap *= 2) * sizeof(*v));
			if (!tmp)
				break;
			v = tmp;
		}
		if (line_field(&p, col, &v[*n])) {
			warnx("%s:%zu: not a number in column '%s'", path, line, op);
			free(v);
			return -EINVAL;
		}
		v[(*n)++] *= scale;
	}
	if (!v || *p) {
		free(v);
		return -ENOMEM;
	}
	*out = v;
	return 0;
}

/* The samples of row's op in row's unit, malloc'ed into *v. */
int cmp_read_samples(const struct cmp_run *run, const struct cmp_row *row,
		     double **v, size_t *n)
{
	double scale = tick_scale(run, row);
	char path[PATH_MAX], *text;
	int err;

	if (!scale) {
		warnx("%s: unit '%s' and no tsc_khz to convert ticks with",
		      run->dir, row->unit);
		return -EINVAL;
	}
	if (!row->samples[0]) {
		warnx("%s: %s %s %llu %s %s: status ok but no samples file",
		      run->dir, row->api, row->path,
		      (unsigned long long)row->size, row->dir, row->op);
		return -EINVAL;
	}
	err = fmt_buf(path, sizeof(path), "%s/%s", run->dir, row->samples);
	if (err)
		return err;
	text = read_all(path, NULL);
	if (!text) {
		err = -errno;
		warn("%s", path);
		return err;
	}
	err = parse_samples(text, row->op, scale, v, n, path);
	free(text);
	if (!err && !*n) {
		warnx("%s: no samples", path);
		free(*v);
		err = -EINVAL;
	}
	return err;
}
