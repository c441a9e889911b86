// SPDX-License-Identifier: GPL-2.0
/*
 * Merging parts into one run directory.
 *
 * Each part is what one 'dmabench micro --part' wrote in one boot:
 * part.json (the run's fields and one boot), summary.csv with boot 0,
 * and samples/.  The run gets the boots in the order the parts were
 * given, their rows with boot renumbered to match, and their samples
 * under samples/boot<N>/; threads.csv, where parts have one, is merged
 * the same way, and so is workload.csv (collect_workload.c); the exact
 * traces (trace.csv, trace-points.csv, trace.txt) are concatenated; a
 * part's console.log (the guest's kernel console, put there by the lab)
 * becomes console/boot<N>.log.  Parts measured in different units, or
 * whose statistics were computed another way, are refused.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "collect.h"
#include "collect_workload.h"
#include "csv.h"
#include "json.h"
#include "meta.h"
#include "results.h"
#include "util.h"

enum part_key {
	K_FORMAT, K_SUITE, K_DATE, K_COMMAND, K_UNIT, K_CLOCK, K_EMULATED,
	K_HYPERVISOR, K_STATISTICS, K_BOOT, K_COUNT,
};

static const char *const part_keys[K_COUNT] = {
	[K_FORMAT]	= "format",
	[K_SUITE]	= "suite",
	[K_DATE]	= "date",
	[K_COMMAND]	= "command",
	[K_UNIT]	= "unit",
	[K_CLOCK]	= "clock",
	[K_EMULATED]	= "emulated",
	[K_HYPERVISOR]	= "hypervisor",
	[K_STATISTICS]	= "statistics",
	[K_BOOT]	= "boot",
};

struct part {
	const char *dir;
	json_t *doc;			/* part.json */
	json_t *f[K_COUNT];
	json_t *arch;			/* "arch", or NULL in older parts */
	char release[80];
};

/* The JSON text of v, cut to fit buf, for a message ("" for none). */
static const char *text_of(const json_t *v, char *buf, size_t size)
{
	size_t n = v ? json_dumpb(v, buf, size - 1,
				  JSON_ENCODE_ANY | JSON_COMPACT) : 0;

	buf[n < size ? n : 0] = '\0';
	return buf;
}

static int load_part(struct part *p, const char *dir)
{
	char path[PATH_MAX], shown[64];
	int err;

	p->dir = dir;
	err = fmt_buf(path, sizeof(path), "%s/part.json", dir);
	if (err)
		return err;
	err = json_read_file(path, &p->doc);
	if (err == -EBADMSG)
		return err;
	if (err) {
		warnx("%s: %s (a part is complete once it has part.json)",
		      path, strerror(-err));
		return err;
	}
	for (int k = 0; k < K_COUNT; k++) {
		p->f[k] = json_object_get(p->doc, part_keys[k]);
		if (!p->f[k]) {
			warnx("%s: no \"%s\": not a part", path, part_keys[k]);
			return -EINVAL;
		}
	}
	p->arch = json_object_get(p->doc, "arch");
	if (!json_is_integer(p->f[K_FORMAT]) ||
	    json_integer_value(p->f[K_FORMAT]) != 1) {
		warnx("%s: format %s; this dmabench reads format 1", path,
		      text_of(p->f[K_FORMAT], shown, sizeof(shown)));
		return -EINVAL;
	}
	if (json_str_at(p->f[K_BOOT], "kernel.release", p->release,
			sizeof(p->release)))
		snprintf(p->release, sizeof(p->release), "unknown");
	return 0;
}

bool collect_same_clock(json_t *a, json_t *b)
{
	json_t *ca, *cb;
	bool same;

	if (json_equal(a, b))
		return true;
	if (!json_is_object(a) || !json_is_object(b) ||
	    !json_equal(json_object_get(a, "source"),
			json_object_get(b, "source")) ||
	    !json_is_string(json_object_get(a, "source")) ||
	    strcmp(json_string_value(json_object_get(a, "source")), "icount"))
		return false;
	ca = json_deep_copy(a);
	cb = json_deep_copy(b);
	if (!ca || !cb) {
		json_decref(ca);
		json_decref(cb);
		return false;
	}
	json_object_del(ca, "tsc_khz");
	json_object_del(cb, "tsc_khz");
	same = json_equal(ca, cb);
	json_decref(ca);
	json_decref(cb);
	return same;
}

/* Can these parts make one run? */
static int check_parts(const struct part *p, int n)
{
	char a[64], b[64];

	for (int i = 1; i < n; i++) {
		if (!json_equal(p[i].f[K_UNIT], p[0].f[K_UNIT])) {
			warnx("%s is in %s, %s in %s: a run has one unit; collect them separately",
			      p[0].dir, text_of(p[0].f[K_UNIT], a, sizeof(a)),
			      p[i].dir, text_of(p[i].f[K_UNIT], b, sizeof(b)));
			return -EINVAL;
		}
		if ((p[i].arch || p[0].arch) &&
		    !json_equal(p[i].arch, p[0].arch)) {
			warnx("%s measured %s, %s %s: a run has one architecture; collect them separately",
			      p[0].dir, text_of(p[0].arch, a, sizeof(a)),
			      p[i].dir, text_of(p[i].arch, b, sizeof(b)));
			return -EINVAL;
		}
		if (!json_equal(p[i].f[K_STATISTICS], p[0].f[K_STATISTICS])) {
			warnx("%s and %s computed their statistics differently (other dmabench versions?): collect them separately",
			      p[0].dir, p[i].dir);
			return -EINVAL;
		}
		if (!json_equal(p[i].f[K_SUITE], p[0].f[K_SUITE]))
			warnx("warning: %s and %s come from different suite revisions",
			      p[0].dir, p[i].dir);
		if (!collect_same_clock(p[i].f[K_CLOCK], p[0].f[K_CLOCK]))
			warnx("warning: %s and %s differ in clock (tsc_khz?); meta.json keeps the first, each boot's rows used its own",
			      p[0].dir, p[i].dir);
	}
	return 0;
}

static bool any_true(const struct part *p, int n, int key)
{
	for (int i = 0; i < n; i++)
		if (json_is_true(p[i].f[key]))
			return true;
	return false;
}

static int write_meta(struct outdir *o, const struct part *p, int n,
		      const char *command, time_t now)
{
	struct json j;
	char date[32];
	FILE *f;

	f = outdir_fopen(o, "meta.json");
	if (!f)
		return -errno;
	meta_date(date, sizeof(date), now);
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_u64(&j, "format", META_FORMAT);
	json_value(&j, "suite", p[0].f[K_SUITE]);
	json_str(&j, "date", date);
	json_str(&j, "command", command);
	json_value(&j, "unit", p[0].f[K_UNIT]);
	if (p[0].arch)
		json_value(&j, "arch", p[0].arch);
	json_value(&j, "clock", p[0].f[K_CLOCK]);
	json_bool(&j, "emulated", any_true(p, n, K_EMULATED));
	json_bool(&j, "hypervisor", any_true(p, n, K_HYPERVISOR));
	json_value(&j, "statistics", p[0].f[K_STATISTICS]);
	json_arr_begin(&j, "parts");
	for (int i = 0; i < n; i++) {
		json_obj_begin(&j, NULL);
		json_str(&j, "dir", p[i].dir);
		json_value(&j, "date", p[i].f[K_DATE]);
		json_value(&j, "command", p[i].f[K_COMMAND]);
		json_value(&j, "suite", p[i].f[K_SUITE]);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_arr_begin(&j, "boots");
	for (int i = 0; i < n; i++)
		json_value(&j, NULL, p[i].f[K_BOOT]);
	json_arr_end(&j);
	return json_close(&j);
}

static bool is_header(const struct csv_record *rec)
{
	char line[sizeof(SUMMARY_HEADER) + 1] = "";
	size_t len = 0;

	for (int i = 0; i < rec->n; i++) {
		if (fmt_buf(line + len, sizeof(line) - len, "%s%s",
			    i ? "," : "", rec->field[i]))
			return false;
		len += strlen(line + len);
	}
	return !strcmp(line, SUMMARY_HEADER);
}

/* Copy samples/<name> of part p into samples/boot<i>/<name>; rel gets it. */
static int copy_samples(struct outdir *o, const struct part *p, int i,
			const char *src_rel, char *rel, size_t size)
{
	const char *name = src_rel + strlen("samples/");
	char src[PATH_MAX], dst[PATH_MAX];
	int err;

	if (strncmp(src_rel, "samples/", 8) || !*name || strchr(name, '/') ||
	    name[0] == '.') {
		warnx("%s/summary.csv: samples '%s' is not in samples/",
		      p->dir, src_rel);
		return -EINVAL;
	}
	err = fmt_buf(rel, size, "samples/boot%d/%s", i, name);
	if (!err)
		err = fmt_buf(src, sizeof(src), "%s/%s", p->dir, src_rel);
	if (!err)
		err = outdir_path(o, rel, dst, sizeof(dst));
	if (err || path_exists(dst))	/* map, unmap, pair share a file */
		return err;
	err = copy_file(src, dst);
	if (err)
		warnx("copying %s to %s: %s", src, dst, strerror(-err));
	return err;
}

static int copy_row(struct outdir *o, const struct part *p, int i,
		    struct csv_record *rec, FILE *summary)
{
	char boot[16], rel[PATH_MAX];
	int err;

	if (rec->n != SUMMARY_FIELDS) {
		warnx("%s/summary.csv: a row of %d fields, not %d",
		      p->dir, rec->n, SUMMARY_FIELDS);
		return -EINVAL;
	}
	if (strcmp(rec->field[SUMMARY_BOOT], "0")) {
		warnx("%s/summary.csv: boot %s: a part has boot 0 only",
		      p->dir, rec->field[SUMMARY_BOOT]);
		return -EINVAL;
	}
	snprintf(boot, sizeof(boot), "%d", i);
	rec->field[SUMMARY_BOOT] = boot;
	if (rec->field[SUMMARY_SAMPLES][0]) {
		err = copy_samples(o, p, i, rec->field[SUMMARY_SAMPLES],
				   rel, sizeof(rel));
		if (err)
			return err;
		rec->field[SUMMARY_SAMPLES] = rel;
	}
	csv_write_record(summary, (const char *const *)rec->field, rec->n);
	return 0;
}

static int copy_rows(struct outdir *o, const struct part *p, int i,
		     FILE *summary)
{
	char path[PATH_MAX], rel[32];
	struct csv_record rec;
	struct csv_file f;
	int err, got;

	err = fmt_buf(rel, sizeof(rel), "samples/boot%d", i);
	if (!err)
		err = outdir_path(o, rel, path, sizeof(path));
	if (!err && mkdir(path, 0777) < 0)
		err = -errno;
	if (!err)
		err = csv_file_open(&f, p->dir, "summary.csv", true);
	if (err)
		return err;
	got = csv_file_next(&f, &rec);
	if (got == 0 || (got == 1 && !is_header(&rec))) {
		warnx("%s: does not start with dmabench's header", f.path);
		err = -EINVAL;
	} else if (got < 0) {
		err = got;
	}
	csv_record_free(&rec);
	while (!err && (got = csv_file_next(&f, &rec)) == 1) {
		err = copy_row(o, p, i, &rec, summary);
		csv_record_free(&rec);
	}
	if (!err && got < 0)
		err = got;
	csv_file_close(&f);
	return err;
}


static int copy_thread_row(const struct part *p, int i, struct csv_record *rec,
			   FILE *out)
{
	char boot[16];

	if (rec->n != THREADS_FIELDS || strcmp(rec->field[THREADS_BOOT], "0")) {
		warnx("%s/threads.csv: a row of %d fields with boot '%s', not %d fields with boot 0",
		      p->dir, rec->n, rec->n > THREADS_BOOT ?
		      rec->field[THREADS_BOOT] : "", THREADS_FIELDS);
		return -EINVAL;
	}
	snprintf(boot, sizeof(boot), "%d", i);
	rec->field[THREADS_BOOT] = boot;
	csv_write_record(out, (const char *const *)rec->field, rec->n);
	return 0;
}

/* Part i's threads.csv, if it has one, into the run's; *out opened once. */
static int copy_threads(struct outdir *o, const struct part *p, int i,
			FILE **out)
{
	struct csv_record rec;
	struct csv_file f;
	int err, got;

	err = csv_file_open(&f, p->dir, "threads.csv", false);
	if (err)
		return err < 0 ? err : 0;
	if (!csv_file_header_is(&f, THREADS_HEADER)) {
		warnx("%s: does not start with dmabench's header", f.path);
		csv_file_close(&f);
		return -EINVAL;
	}
	if (!*out) {
		*out = outdir_fopen(o, "threads.csv");
		if (*out)
			threads_header(*out);
		else
			err = -errno;
	}
	while (!err && (got = csv_file_next(&f, &rec)) == 1) {
		err = copy_thread_row(p, i, &rec, *out);
		csv_record_free(&rec);
	}
	if (!err && got < 0)
		err = got;
	csv_file_close(&f);
	return err;
}

/*
 * The exact traces of make vm-trace (lab/trace.py): each part's rows of
 * trace.csv and trace-points.csv after one header, and each part's
 * trace.txt, one after the other.  Nothing is added.
 */
static const char *const trace_files[] = {
	"trace.csv", "trace-points.csv", "trace.txt",
};
static const char *const trace_headers[] = {
	TRACE_HEADER, TRACE_POINTS_HEADER, NULL,
};
#define NTRACE (sizeof(trace_files) / sizeof(trace_files[0]))

static int copy_trace(struct outdir *o, const struct part *p, size_t k,
		      FILE **out)
{
	const char *header = trace_headers[k], *body;
	char path[PATH_MAX];
	size_t len, hlen = header ? strlen(header) : 0;
	char *text;
	int err;

	err = fmt_buf(path, sizeof(path), "%s/%s", p->dir, trace_files[k]);
	if (err || !path_exists(path))
		return err;
	text = read_all(path, &len);
	if (!text) {
		err = -errno;
		warn("%s", path);
		return err;
	}
	body = text;
	if (header) {
		if (len < hlen + 1 || strncmp(text, header, hlen) ||
		    text[hlen] != '\n') {
			warnx("%s: does not start with the header %s", path,
			      header);
			free(text);
			return -EINVAL;
		}
		body += hlen + 1;
	}
	if (!*out) {
		*out = outdir_fopen(o, trace_files[k]);
		if (!*out)
			err = -errno;
		else if (header)
			fprintf(*out, "%s\n", header);
	}
	if (!err && fwrite(body, 1, text + len - body, *out) !=
	    (size_t)(text + len - body))
		err = -EIO;
	free(text);
	return err;
}

/* The part's console.log, if it has one, as console/boot<i>.log. */
static int copy_console(struct outdir *o, const struct part *p, int i)
{
	char src[PATH_MAX], dst[PATH_MAX], rel[32];
	int err;

	err = fmt_buf(src, sizeof(src), "%s/console.log", p->dir);
	if (err || !path_exists(src))
		return err;
	err = outdir_path(o, "console", dst, sizeof(dst));
	if (!err && mkdir(dst, 0777) < 0 && errno != EEXIST)
		err = -errno;
	if (!err)
		err = fmt_buf(rel, sizeof(rel), "console/boot%d.log", i);
	if (!err)
		err = outdir_path(o, rel, dst, sizeof(dst));
	if (!err)
		err = copy_file(src, dst);
	if (err)
		warnx("copying %s into the run: %s", src, strerror(-err));
	return err;
}

static int close_out(FILE *f, int err)
{
	if (!f)
		return err;
	if (ferror(f) && !err)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

static int write_run(struct outdir *o, const struct part *p, int n,
		     const char *command, time_t now)
{
	FILE *summary, *threads = NULL, *workload = NULL;
	FILE *trace[NTRACE] = { NULL };
	int err = 0;

	summary = outdir_fopen(o, "summary.csv");
	if (!summary)
		return -errno;
	summary_header(summary);
	for (int i = 0; i < n && !err; i++) {
		err = copy_rows(o, &p[i], i, summary);
		if (!err)
			err = copy_threads(o, &p[i], i, &threads);
		if (!err)
			err = collect_workload(o, p[i].dir, i, &workload);
		for (size_t k = 0; k < NTRACE && !err; k++)
			err = copy_trace(o, &p[i], k, &trace[k]);
		if (!err)
			err = copy_console(o, &p[i], i);
	}
	for (size_t k = 0; k < NTRACE; k++)
		err = close_out(trace[k], err);
	err = close_out(threads, err);
	err = close_out(workload, err);
	if (ferror(summary) && !err)
		err = -EIO;
	if (fclose(summary) && !err)
		err = -errno;
	if (!err)
		err = write_meta(o, p, n, command, now);
	return err;
}

/* Merge parts into a new run directory under parent; final gets its path. */
int collect_merge(const char *parent, char *const *parts, int nparts,
		  const char *command, char *final, size_t size)
{
	struct outdir o;
	struct part *p;
	time_t now = time(NULL);
	int err = 0;

	p = calloc(nparts, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (int i = 0; i < nparts && !err; i++)
		err = load_part(&p[i], parts[i]);
	if (!err)
		err = check_parts(p, nparts);
	if (!err) {
		err = outdir_open_run(&o, parent);
		if (err)
			warnx("%s: %s", parent, strerror(-err));
	}
	if (!err) {
		err = write_run(&o, p, nparts, command, now);
		if (!err)
			err = outdir_commit(&o, p[0].release, now, final, size);
		if (err)
			outdir_abort(&o);
	}
	for (int i = 0; i < nparts; i++)
		json_decref(p[i].doc);
	free(p);
	return err;
}
