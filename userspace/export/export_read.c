// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench export: reading a run directory into named points.
 *
 * meta.json with jansson (per boot: kernel release and version, CPU
 * model, the recorded CONFIG_ options), summary.csv and workload.csv
 * with the CSV reader, columns found by the names in their headers, as
 * compare and collect read them.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "export.h"
#include "json.h"
#include "meta_read.h"
#include "names.h"
#include "util.h"

/* Only [A-Za-z0-9_-] in a name's components: the rest becomes '_'. */
void exp_sanitize(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			*s = '_';
}

uint64_t exp_fnv1a(const char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The recorded CONFIG_ options of boot eb: their hash, if there are any. */
static int hash_config(struct exp_boot *eb, const json_t *b)
{
	json_t *opts = json_object_get(json_object_get(b, "config"), "options");
	char *text;

	if (!opts)
		return 0;
	text = json_dumps(opts, JSON_ENCODE_ANY | JSON_COMPACT);
	if (!text)
		return -ENOMEM;
	eb->has_config = true;
	eb->config_hash = exp_fnv1a(text, strlen(text));
	free(text);
	return 0;
}

static int load_boots(struct exp_run *r, const json_t *boots)
{
	size_t n = json_array_size(boots);
	int err = 0;

	r->boots = calloc(n ? n : 1, sizeof(*r->boots));
	if (!r->boots)
		return -ENOMEM;
	r->nboots = n;
	for (size_t i = 0; i < n && !err; i++) {
		struct exp_boot *eb = &r->boots[i];
		json_t *b = json_array_get(boots, i);

		json_str_at(b, "kernel.release", eb->release, sizeof(eb->release));
		json_str_at(b, "kernel.version", eb->version, sizeof(eb->version));
		json_str_at(b, "cpu.model", eb->cpu, sizeof(eb->cpu));
		json_str_at(b, "host.name", eb->host, sizeof(eb->host));
		json_str_at(b, "host.arch", eb->arch, sizeof(eb->arch));
		json_str_at(b, "config.file", eb->config_file,
			    sizeof(eb->config_file));
		err = hash_config(eb, b);
	}
	return err;
}

static int load_meta(struct exp_run *r, const char *dir)
{
	json_t *doc, *boots;
	int err;

	err = meta_read(dir, &doc, &boots);
	if (err)
		return err;
	json_str_at(doc, "date", r->date, sizeof(r->date));
	json_str_at(doc, "suite.rev", r->rev, sizeof(r->rev));
	json_str_at(doc, "unit", r->unit, sizeof(r->unit));
	r->emulated = json_is_true(json_object_get(doc, "emulated"));
	err = load_boots(r, boots);
	json_decref(doc);
	return err;
}

/* The columns of a CSV header, looked up by name. */
struct cols {
	const struct csv_record *hdr;
	const struct csv_record *rec;
};

static const char *col(const struct cols *c, const char *name)
{
	for (int i = 0; i < c->hdr->n && i < c->rec->n; i++)
		if (!strcmp(c->hdr->field[i], name))
			return c->rec->field[i];
	return "";
}

static bool is_default(const char *v, const char *def)
{
	return !v[0] || !strcmp(v, def);
}

/* Append ".text" (sanitized) to a name. */
static void name_add(char *name, size_t size, const char *fmt, const char *v)
{
	size_t len = strlen(name);
	char part[96];

	snprintf(part, sizeof(part), fmt, v);
	exp_sanitize(part);
	snprintf(name + len, size - len, "%s%s", len ? "." : "", part);
}

static void metric(struct exp_point *p, const char *name, const char *text,
		   const char *unit)
{
	struct exp_metric *m;
	char *end;
	double v;

	if (!text[0] || p->nm == EXP_MAX_METRICS)
		return;
	v = strtod(text, &end);
	if (*end || !isfinite(v))
		return;
	m = &p->m[p->nm++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->value = v;
	snprintf(m->unit, sizeof(m->unit), "%s", unit);
}

static void set_status(struct exp_point *p, const char *status,
		       const char *note)
{
	snprintf(p->status_text, sizeof(p->status_text), "%s", status);
	snprintf(p->note, sizeof(p->note), "%s", note);
	switch (status_parse(status)) {
	case STATUS_OK:
		p->status = EXP_OK;
		break;
	case STATUS_UNSUPPORTED:
	case STATUS_REFUSED:
		p->status = EXP_SKIP;
		break;
	default:
		p->status = EXP_FAIL;
	}
}

/* The unit as a name's suffix: short, and no '/'. */
static const char *unit_suffix(const char *unit)
{
	if (!strcmp(unit, "instructions"))
		return "insn";
	return unit;
}

static void micro_point(struct exp_point *p, const struct cols *c)
{
	const char *unit = col(c, "unit"), *op = col(c, "op");
	const char *api = col(c, "api");
	char mname[32], sfx[16], rate_unit[24];
	bool counter = strcmp(unit, "ns") && strcmp(unit, "instructions");

	memset(p, 0, sizeof(*p));
	name_add(p->name, sizeof(p->name), "micro", "");
	name_add(p->name, sizeof(p->name), "%s", api);
	name_add(p->name, sizeof(p->name), "%s", col(c, "path"));
	name_add(p->name, sizeof(p->name), "%s", col(c, "size"));
	name_add(p->name, sizeof(p->name), "%s", col(c, "dir"));
	if (!is_default(col(c, "threads"), "1"))
		name_add(p->name, sizeof(p->name), "t%s", col(c, "threads"));
	if (!is_default(col(c, "pattern"), "pair"))
		name_add(p->name, sizeof(p->name), "%s", col(c, "pattern"));
	if (!is_default(col(c, "batch"), "1"))
		name_add(p->name, sizeof(p->name), "b%s", col(c, "batch"));
	if (!is_default(col(c, "working_set"), "1"))
		name_add(p->name, sizeof(p->name), "ws%s", col(c, "working_set"));
	if (!strcmp(api, "sg") || !is_default(col(c, "nents"), "1"))
		name_add(p->name, sizeof(p->name), "nents%s", col(c, "nents"));
	if (!is_default(col(c, "offset"), "0"))
		name_add(p->name, sizeof(p->name), "off%s", col(c, "offset"));
	if (!is_default(col(c, "attrs"), "0"))
		name_add(p->name, sizeof(p->name), "attrs%s", col(c, "attrs"));
	name_add(p->name, sizeof(p->name), "%s", op);
	if (counter)	/* a row per counter, beside the op's own */
		name_add(p->name, sizeof(p->name), "%s", unit);
	set_status(p, col(c, "status"), col(c, "note"));
	p->boot = strtoul(col(c, "boot"), NULL, 10);

	snprintf(sfx, sizeof(sfx), "%s", unit_suffix(unit));
	exp_sanitize(sfx);
	if (counter) {
		/* a PMU counter's mean per map+unmap */
		snprintf(mname, sizeof(mname), "%s_per_op", sfx);
		metric(p, mname, col(c, "mean"), unit);
		return;
	}
	static const char *const stats[] = {
		"median", "p90", "p99", "min", "ci_low", "ci_high", "net_median",
	};
	for (size_t i = 0; i < ARRAY_SIZE(stats); i++) {
		snprintf(mname, sizeof(mname), "%s_%s", stats[i], sfx);
		metric(p, mname, col(c, stats[i]), unit);
	}
	if (!strcmp(op, "pair")) {
		/* per second, or per 10^9 instructions under -icount */
		snprintf(rate_unit, sizeof(rate_unit), "%s",
			 strcmp(unit, "ns") ? "ops/Ginsn" : "ops/s");
		metric(p, strcmp(unit, "ns") ? "ops_per_ginsn" : "ops_per_s",
		       col(c, "rate"), rate_unit);
	}
}

static void workload_point(struct exp_point *p, const struct cols *c)
{
	const char *lu = col(c, "lat_unit");
	char mname[32], sfx[16];

	memset(p, 0, sizeof(*p));
	name_add(p->name, sizeof(p->name), "workload", "");
	name_add(p->name, sizeof(p->name), "%s", col(c, "tool"));
	name_add(p->name, sizeof(p->name), "%s", col(c, "workload"));
	name_add(p->name, sizeof(p->name), "%s", col(c, "path"));
	name_add(p->name, sizeof(p->name), "%s", col(c, "size"));
	name_add(p->name, sizeof(p->name), "qd%s", col(c, "qd"));
	name_add(p->name, sizeof(p->name), "b%s", col(c, "batch"));
	if (col(c, "completion")[0])
		name_add(p->name, sizeof(p->name), "%s", col(c, "completion"));
	if (col(c, "buffers")[0])
		name_add(p->name, sizeof(p->name), "%s", col(c, "buffers"));
	if (col(c, "variant")[0])
		name_add(p->name, sizeof(p->name), "%s", col(c, "variant"));
	if (!is_default(col(c, "threads"), "1"))
		name_add(p->name, sizeof(p->name), "t%s", col(c, "threads"));
	set_status(p, col(c, "status"), col(c, "note"));
	p->boot = strtoul(col(c, "boot"), NULL, 10);

	metric(p, "ops_per_s", col(c, "rate"), "ops/s");
	metric(p, "mib_per_s", col(c, "mib_s"), "MiB/s");
	snprintf(sfx, sizeof(sfx), "%s", lu[0] ? lu : "ns");
	exp_sanitize(sfx);
	static const char *const lat[] = { "lat_p50", "lat_p99", "lat_mean" };
	for (size_t i = 0; i < ARRAY_SIZE(lat); i++) {
		snprintf(mname, sizeof(mname), "%s_%s", lat[i], sfx);
		metric(p, mname, col(c, lat[i]), lu[0] ? lu : "ns");
	}
	metric(p, "ns_per_page", col(c, "ns_per_page"), "ns");
	metric(p, "cpu_ns_per_op", col(c, "cpu_ns_per_op"), "ns");
	metric(p, "kcycles_per_op", col(c, "kcycles_per_op"), "kcycles");
	metric(p, "kinstr_per_op", col(c, "kinstr_per_op"), "kinstructions");
	metric(p, "dma_share", col(c, "dma_share"), "fraction");
}

static int grow(struct exp_run *r, size_t *cap)
{
	struct exp_point *p;

	if (r->npts < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 256;
	p = realloc(r->pts, *cap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	r->pts = p;
	return 0;
}

/* Every row of DIR/FILE as a point; a missing file is no rows if !must. */
static int load_csv(struct exp_run *r, const char *dir, const char *file,
		    bool must, size_t *cap,
		    void (*fill)(struct exp_point *, const struct cols *))
{
	struct csv_record hdr, rec;
	struct cols c = { &hdr, &rec };
	struct csv_file f;
	int got, err;

	err = csv_file_open(&f, dir, file, must);
	if (err)
		return err < 0 ? err : 0;
	got = csv_file_next(&f, &hdr);
	if (got != 1) {
		if (got == 0)
			warnx("%s: empty or malformed", f.path);
		csv_file_close(&f);
		return -EINVAL;
	}
	while (!err) {
		got = csv_file_next(&f, &rec);
		if (got <= 0) {
			err = got;
			break;
		}
		if (rec.n != hdr.n) {
			warnx("%s:%zu: %d fields, the header has %d", f.path,
			      f.line, rec.n, hdr.n);
			err = -EINVAL;
		} else {
			err = grow(r, cap);
			if (!err)
				fill(&r->pts[r->npts++], &c);
		}
		csv_record_free(&rec);
	}
	csv_record_free(&hdr);
	csv_file_close(&f);
	return err;
}

int exp_load(struct exp_run *r, const char *dir, bool micro, bool workloads)
{
	const char *slash;
	size_t cap = 0, len;
	int err;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", dir);
	len = strlen(r->name);
	while (len > 1 && r->name[len - 1] == '/')
		r->name[--len] = '\0';
	slash = strrchr(r->name, '/');
	if (slash && slash[1])
		memmove(r->name, slash + 1, strlen(slash + 1) + 1);
	err = load_meta(r, dir);
	if (!err && micro)
		err = load_csv(r, dir, "summary.csv", !workloads, &cap,
			       micro_point);
	if (!err && workloads)
		err = load_csv(r, dir, "workload.csv", !micro, &cap,
			       workload_point);
	if (!err && !r->npts) {
		warnx("%s: no rows to export", dir);
		err = -ENODATA;
	}
	return err;
}

void exp_free(struct exp_run *r)
{
	free(r->pts);
	free(r->boots);
	r->pts = NULL;
	r->boots = NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct exp_point *const *)a)->name,
		      (*(const struct exp_point *const *)b)->name);
}

/* Two points of one name would make their figures ambiguous: refuse. */
int exp_check_names(const struct exp_run *r)
{
	const struct exp_point **v;
	int err = 0;

	v = malloc((r->npts ? r->npts : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < r->npts; i++)
		v[i] = &r->pts[i];
	qsort(v, r->npts, sizeof(*v), by_name);
	for (size_t i = 1; i < r->npts && !err; i++) {
		if (!strcmp(v[i - 1]->name, v[i]->name)) {
			warnx("two rows of the run are both named '%s'",
			      v[i]->name);
			err = -EINVAL;
		}
	}
	free(v);
	return err;
}
