// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fio: fio's JSON report and --showcmd output read into
 * dmabench's terms.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio_import.h"
#include "json.h"
#include "util.h"

/* fio's JSON report */

/*
 * The report proper: fio may log a line or two into its --output file
 * before it, so it starts at the first '{' that opens a line, and ends
 * at the last '}'.  NULL if there is none, or it is not JSON.
 */
static json_t *load_report(const char *text, size_t len)
{
	const char *start = NULL, *end;

	for (const char *p = text; p < text + len; p++) {
		if (*p == '{' && (p == text || p[-1] == '\n')) {
			start = p;
			break;
		}
	}
	if (!start)
		return NULL;
	for (end = text + len; end > start && end[-1] != '}'; end--)
		;
	return json_loadb(start, end - start, 0, NULL);
}

static int get_num(const json_t *obj, const char *key, double *v)
{
	json_t *n = json_object_get(obj, key);

	if (!n)
		return -ENOENT;
	if (!json_is_number(n))
		return -EINVAL;
	*v = json_number_value(n);
	return 0;
}

/* The percentile keys fio writes for percentile_list=50:90:99:99.9. */
static void read_percentiles(const json_t *lat, struct fio_result *r)
{
	static const double want[] = { 50, 90, 99, 99.9 };
	double *out[] = { &r->lat_p50, &r->lat_p90, &r->lat_p99, &r->lat_p999 };
	json_t *pct = json_object_get(lat, "percentile");
	char key[32];
	int found = 0;

	if (!pct)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		snprintf(key, sizeof(key), "%f", want[i]);
		if (!get_num(pct, key, out[i]))
			found++;
	}
	r->percentiles = found == (int)ARRAY_SIZE(want);
}

/* The figures of one direction's section ("read", "write"). */
static int read_dir(const json_t *sec, struct fio_result *r,
		    char *why, size_t whysz)
{
	static const char *const lat_keys[] = { "min", "max", "mean" };
	double *lat_out[] = { &r->lat_min, &r->lat_max, &r->lat_mean };
	double runtime_ms, ops;
	json_t *lat;

	if (get_num(sec, "runtime", &runtime_ms) ||
	    get_num(sec, "total_ios", &ops) || get_num(sec, "iops", &r->iops) ||
	    get_num(sec, "bw_bytes", &r->bw_bytes)) {
		snprintf(why, whysz, "no runtime, total_ios, iops or bw_bytes for %s",
			 r->dir);
		return -EINVAL;
	}
	r->seconds = runtime_ms / 1000;
	r->ops = ops;
	lat = json_object_get(sec, "lat_ns");
	if (!lat) {
		snprintf(why, whysz, "no lat_ns for %s (fio before 2.99?)", r->dir);
		return -EINVAL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(lat_keys); i++)
		get_num(lat, lat_keys[i], lat_out[i]);
	r->lat_n = get_num(lat, "N", &ops) || ops < 0 ? r->ops : (uint64_t)ops;
	read_percentiles(lat, r);
	return 0;
}

/* The one direction that did I/O; "" for none, NULL for more than one. */
static const char *which_dir(const json_t *job, json_t **sec)
{
	static const char *const dirs[] = { "read", "write", "trim" };
	const char *found = "";
	json_t *s;
	double ops;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		s = json_object_get(job, dirs[i]);
		if (get_num(s, "total_ios", &ops) || ops == 0)
			continue;
		if (*found)
			return NULL;
		found = dirs[i];
		*sec = s;
	}
	return found;
}

static void result_init(struct fio_result *r)
{
	memset(r, 0, sizeof(*r));
	r->dir = "";
	r->seconds = r->iops = r->bw_bytes = NAN;
	r->lat_min = r->lat_p50 = r->lat_p90 = r->lat_p99 = NAN;
	r->lat_p999 = r->lat_max = r->lat_mean = NAN;
	r->usr_cpu = r->sys_cpu = r->elapsed = NAN;
}

int fio_import(const char *text, size_t len, struct fio_result *r,
	       char *why, size_t whysz)
{
	json_t *doc, *jobs, *job, *sec = NULL;
	double err = 0;
	int ret = -EINVAL;

	result_init(r);
	doc = load_report(text, len);
	if (!doc) {
		snprintf(why, whysz, "no JSON report in fio's output");
		return -EINVAL;
	}
	json_str_at(doc, "fio version", r->version, sizeof(r->version));
	jobs = json_object_get(doc, "jobs");
	job = json_array_get(jobs, 0);
	if (!job) {
		snprintf(why, whysz, "no job in fio's report");
		goto out;
	}
	if (json_array_size(jobs) > 1) {
		snprintf(why, whysz,
			 "several jobs in fio's report: a row is one job (numjobs=1, one section)");
		goto out;
	}
	json_str_at(job, "jobname", r->jobname, sizeof(r->jobname));
	get_num(job, "error", &err);
	r->error = err;
	get_num(job, "usr_cpu", &r->usr_cpu);
	get_num(job, "sys_cpu", &r->sys_cpu);
	get_num(job, "elapsed", &r->elapsed);
	r->dir = which_dir(job, &sec);
	if (!r->dir) {
		snprintf(why, whysz,
			 "the job both read and wrote: a row holds one direction");
		goto out;
	}
	/* No I/O: r->error, or the log, says why. */
	ret = *r->dir ? read_dir(sec, r, why, whysz) : 0;
out:
	json_decref(doc);
	return ret;
}

void fio_fill_row(const struct fio_result *r, struct workload_row *row)
{
	row->seconds = r->seconds;
	row->ops = r->ops;
	row->rate = r->iops;
	row->mib_s = r->bw_bytes / (1 << 20);
	row->lat_unit = "ns";
	row->lat_min = r->lat_min;
	row->lat_p50 = r->lat_p50;
	row->lat_p90 = r->lat_p90;
	row->lat_p99 = r->lat_p99;
	row->lat_p999 = r->lat_p999;
	row->lat_max = r->lat_max;
	row->lat_mean = r->lat_mean;
	row->lat_n = r->lat_n;
}

/* fio --showcmd */

static bool word_is(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && !strncmp(s, word, len);
}

static void copy_word(char *dst, size_t size, const char *src, size_t len)
{
	snprintf(dst, size, "%.*s", (int)len, src);
}

/* One --key=value of fio --showcmd's output. */
static void showcmd_opt(struct fio_job *j, const char *key, size_t klen,
			const char *val, size_t vlen)
{
	char num[16];

	if (word_is(key, klen, "name")) {
		j->njobs++;
	} else if (word_is(key, klen, "rw") || word_is(key, klen, "readwrite")) {
		copy_word(j->rw, sizeof(j->rw), val, vlen);
	} else if (word_is(key, klen, "ioengine")) {
		copy_word(j->ioengine, sizeof(j->ioengine), val, vlen);
	} else if (word_is(key, klen, "filename")) {
		copy_word(j->filename, sizeof(j->filename), val, vlen);
	} else if (word_is(key, klen, "numjobs")) {
		copy_word(num, sizeof(num), val, vlen);
		j->numjobs = strtoul(num, NULL, 10);
	}
}

/*
 * fio --showcmd prints each job as "fio --opt=value ..." with --name=
 * starting a job; a later value overrides an earlier one.
 */
int fio_showcmd(const char *text, struct fio_job *j)
{
	const char *eq;
	size_t len;

	memset(j, 0, sizeof(*j));
	j->numjobs = 1;
	for (const char *p = text; *p; p += len) {
		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		eq = len > 2 && !strncmp(p, "--", 2) ? memchr(p, '=', len) : NULL;
		if (eq)
			showcmd_opt(j, p + 2, eq - p - 2, eq + 1, p + len - eq - 1);
	}
	return j->njobs ? 0 : -EINVAL;
}

/* rw= is name, give or take its ":N" offset modifier. */
static bool rw_is(const char *rw, const char *name)
{
	return word_is(rw, strcspn(rw, ":"), name);
}

const char *fio_workload(const char *rw)
{
	static const char *const names[][2] = {
		{ "randread", "nvme-randread" },
		{ "read", "nvme-seqread" },
		{ "", "nvme-seqread" },		/* fio's default */
		{ "randwrite", "nvme-randwrite" },
		{ "write", "nvme-seqwrite" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (rw_is(rw, names[i][0]))
			return names[i][1];
	return NULL;
}

bool fio_rw_writes(const char *rw)
{
	return !rw_is(rw, "") && !rw_is(rw, "read") && !rw_is(rw, "randread");
}
