// SPDX-License-Identifier: GPL-2.0
/*
 * workload.csv and the directory a workload command writes into, and
 * the options that every workload command takes.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "csv.h"
#include "json.h"
#include "lathist.h"
#include "meta.h"
#include "parse.h"
#include "stats.h"
#include "sysinfo.h"
#include "sysprof.h"
#include "util.h"
#include "workload.h"

void workload_row_init(struct workload_row *r)
{
	memset(r, 0, sizeof(*r));
	r->tool = r->workload = r->path = r->device = "";
	r->completion = r->buffers = r->variant = "";
	r->lat_unit = "ns";
	r->share_source = "unavailable";
	r->status = STATUS_NONE;
	r->note = r->histogram = r->profile = "";
	r->threads = 1;
	r->seconds = r->rate = r->mib_s = NAN;
	r->lat_min = r->lat_p50 = r->lat_p90 = r->lat_p99 = NAN;
	r->lat_p999 = r->lat_max = r->lat_mean = NAN;
	r->ns_per_page = r->cpu_ns_per_op = NAN;
	r->kcycles_per_op = r->kinstr_per_op = r->dma_share = NAN;
	r->cpu_ticks = NAN;
}

void workload_row_lat(struct workload_row *r, const struct lathist *h)
{
	if (!h || !h->n)
		return;
	r->lat_n = h->n;
	r->lat_min = h->min;
	r->lat_p50 = lathist_quantile(h, 500);
	r->lat_p90 = lathist_quantile(h, 900);
	r->lat_p99 = lathist_quantile(h, 990);
	r->lat_p999 = lathist_quantile(h, 999);
	r->lat_max = h->max;
	r->lat_mean = lathist_mean(h);
}

void workload_row_cost(struct workload_row *r, const struct sysprof_result *p,
		       uint64_t ops)
{
	if (!ops)
		return;
	r->cpu_ns_per_op = p->busy_ns / ops;
	if (p->cpu_tick_ns > 0)
		r->cpu_ticks = p->busy_ns / p->cpu_tick_ns;
	r->kcycles_per_op = p->kcycles / ops;
	r->kinstr_per_op = p->kinstr / ops;
	r->dma_share = p->dma_share;
	r->share_source = p->share_source ? p->share_source : "unavailable";
	r->kernel_samples = p->samples >= p->idle_samples ?
			    p->samples - p->idle_samples : 0;
}

void workload_note_add(char *note, size_t size, const char *fmt, ...)
{
	size_t len = strlen(note);
	va_list ap;

	if (len + 3 >= size)
		return;
	if (len) {
		memcpy(note + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(note + len, size - len, fmt, ap);
	va_end(ap);
}

uint64_t wl_min_ops(unsigned int permille)
{
	return permille >= 1000 ? UINT64_MAX : stats_min_n(permille);
}

unsigned int workload_row_enough(struct workload_row *r, char *note,
				 size_t size)
{
	static const struct {
		const char *name;
		unsigned int q;
		size_t off;
	} quant[] = {
		{ "p50", 500, offsetof(struct workload_row, lat_p50) },
		{ "p90", 900, offsetof(struct workload_row, lat_p90) },
		{ "p99", 990, offsetof(struct workload_row, lat_p99) },
		{ "p99.9", 999, offsetof(struct workload_row, lat_p999) },
	};
	unsigned long long n = r->lat_n ? r->lat_n : r->ops;
	unsigned int emptied = 0;
	char which[64] = "", needs[96] = "";
	double *v;

	for (size_t i = 0; i < ARRAY_SIZE(quant); i++) {
		v = (double *)((char *)r + quant[i].off);
		if (isnan(*v) || n >= wl_min_ops(quant[i].q))
			continue;
		*v = NAN;
		emptied++;
		snprintf(which + strlen(which), sizeof(which) - strlen(which),
			 "%s%s", which[0] ? ", " : "", quant[i].name);
		snprintf(needs + strlen(needs), sizeof(needs) - strlen(needs),
			 "%s%llu for %s", needs[0] ? ", " : "",
			 (unsigned long long)wl_min_ops(quant[i].q),
			 quant[i].name);
	}
	if (!isnan(r->ns_per_page) && n < wl_min_ops(500)) {
		r->ns_per_page = NAN;
		emptied++;
		snprintf(which + strlen(which), sizeof(which) - strlen(which),
			 "%sns_per_page", which[0] ? ", " : "");
		snprintf(needs + strlen(needs), sizeof(needs) - strlen(needs),
			 "%s%llu for its median", needs[0] ? ", " : "",
			 (unsigned long long)wl_min_ops(500));
	}
	if (which[0])
		workload_note_add(note, size,
				  "too few operations for %s: %llu, needs %s (%d beyond the quantile)",
				  which, n, needs, WL_MIN_TAIL);
	if (!isnan(r->cpu_ns_per_op) &&
	    (isnan(r->cpu_ticks) || r->cpu_ticks < WL_MIN_CPU_TICKS)) {
		r->cpu_ns_per_op = NAN;
		emptied++;
		if (isnan(r->cpu_ticks))
			workload_note_add(note, size,
					  "no cpu_ns_per_op: the /proc/stat tick length is unknown");
		else
			workload_note_add(note, size,
					  "too little data for cpu_ns_per_op: %.0f busy ticks of /proc/stat, needs %d (1 %% resolution)",
					  r->cpu_ticks, WL_MIN_CPU_TICKS);
	}
	if (!isnan(r->dma_share) && r->kernel_samples < WL_MIN_KERNEL_SAMPLES) {
		r->dma_share = NAN;
		emptied++;
		workload_note_add(note, size,
				  "too little data for dma_share: %llu non-idle kernel samples, needs %d",
				  (unsigned long long)r->kernel_samples,
				  WL_MIN_KERNEL_SAMPLES);
	}
	return emptied;
}

void workload_header(FILE *f)
{
	fputs(WORKLOAD_HEADER "\n", f);
}

static const char *num(char *buf, size_t size, double v)
{
	if (isnan(v) || csv_fmt_num(buf, size, v))
		return "";
	return buf;
}

static const char *u64(char *buf, size_t size, uint64_t v)
{
	snprintf(buf, size, "%llu", (unsigned long long)v);
	return buf;
}

void workload_row(FILE *f, const struct workload_row *r)
{
	char b[WORKLOAD_FIELDS][48];
	const char *fld[WORKLOAD_FIELDS] = {
		r->tool, r->workload, r->path, r->device,
		u64(b[4], 48, r->size), u64(b[5], 48, r->qd),
		u64(b[6], 48, r->batch), r->completion, r->buffers, r->variant,
		u64(b[10], 48, r->threads ? r->threads : 1),
		num(b[11], 48, r->seconds), u64(b[12], 48, r->ops),
		num(b[13], 48, r->rate), num(b[14], 48, r->mib_s), r->lat_unit,
		num(b[16], 48, r->lat_min), num(b[17], 48, r->lat_p50),
		num(b[18], 48, r->lat_p90), num(b[19], 48, r->lat_p99),
		num(b[20], 48, r->lat_p999), num(b[21], 48, r->lat_max),
		num(b[22], 48, r->lat_mean), num(b[23], 48, r->ns_per_page),
		num(b[24], 48, r->cpu_ns_per_op),
		num(b[25], 48, r->kcycles_per_op),
		num(b[26], 48, r->kinstr_per_op), num(b[27], 48, r->dma_share),
		r->share_source, u64(b[29], 48, r->kernel_samples),
		status_names[r->status], r->note, u64(b[32], 48, r->boot), r->histogram,
		r->profile,
	};

	csv_write_record(f, fld, WORKLOAD_FIELDS);
}

/* The clock of the run in DIR (meta.json or part.json), "" if unknown. */
static int read_run_clock(const char *dir, char *clock, size_t size)
{
	static const char *const names[] = { "meta.json", "part.json" };
	char path[PATH_MAX];
	json_t *doc;
	char *text = NULL;
	size_t len;

	clock[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(names) && !text; i++) {
		if (fmt_buf(path, sizeof(path), "%s/%s", dir, names[i]))
			return -ENAMETOOLONG;
		text = read_all(path, &len);
	}
	if (!text)
		return -ENOENT;
	doc = json_loadb(text, len, JSON_DECODE_ANY, NULL);
	free(text);
	json_str_at(doc, "clock.source", clock, size);
	json_decref(doc);
	return 0;
}

static int open_csv(struct wl_out *w)
{
	char path[PATH_MAX];
	bool fresh;
	int err;

	err = fmt_buf(path, sizeof(path), "%s/workload", w->dir);
	if (err)
		return err;
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		return -errno;
	err = fmt_buf(path, sizeof(path), "%s/workload.csv", w->dir);
	if (err)
		return err;
	fresh = !path_exists(path);
	w->csv = fopen(path, "ae");
	if (!w->csv)
		return -errno;
	if (fresh)
		workload_header(w->csv);
	return fflush(w->csv) ? -errno : 0;
}

/* --out: a run of workloads only, its meta.json describing this boot. */
static int write_meta(struct wl_out *w)
{
	struct run_meta r = {
		.rev = getenv("DMABENCH_REV") ? getenv("DMABENCH_REV") : "unknown",
		.command = w->command,
		.clock = "monotonic",
	};
	struct boot_meta b = { .cpu = -1, .node = -1 };
	struct sys_info si;
	FILE *f;
	int err;

	sysinfo_collect(&si);
	r.hypervisor = si.hypervisor;
	b.si = &si;
	snprintf(w->release, sizeof(w->release), "%s", si.release);
	meta_date(r.date, sizeof(r.date), w->start);
	f = outdir_fopen(&w->od, "meta.json");
	if (!f) {
		err = -errno;
	} else {
		err = meta_write(f, &r, &b, false);
		if (fclose(f) && !err)
			err = -errno;
	}
	sysinfo_free(&si);
	if (err)
		return err;
	/* An empty summary.csv, so that every run has one. */
	f = outdir_fopen(&w->od, "summary.csv");
	if (!f)
		return -errno;
	summary_header(f);
	return fclose(f) ? -errno : 0;
}

void wl_opts_init(struct wl_opts *w)
{
	memset(w, 0, sizeof(*w));
	w->hugepages = -1;
	w->sysprof.counters = true;
	w->sysprof.sampling = true;
}

int wl_hugepages(void *w, int key, char *arg)
{
	uint64_t v;

	(void)key;
	if (opt_uint("hugepages", arg, 0, 1UL << 20, &v))
		return -1;
	((struct wl_opts *)w)->hugepages = v;
	return 0;
}

int wl_out_check(const char *into, const char *out)
{
	if (into && out) {
		warnx("--into and --out exclude each other: give one");
		return -1;
	}
	if (!into && !out) {
		warnx("where should the rows go? give --into DIR (a run or part directory) or --out PARENT (a new run)");
		return -1;
	}
	return 0;
}

int wl_out_open(struct wl_out *w, const char *into, const char *out,
		int argc, char **argv)
{
	char clock[32];
	struct utsname u;
	int err;

	memset(w, 0, sizeof(*w));
	w->start = time(NULL);
	w->command = join_args(argc, argv);
	if (wl_out_check(into, out)) {
		err = -EINVAL;
		goto out_free;
	}
	if (into) {
		err = read_run_clock(into, clock, sizeof(clock));
		if (err) {
			warnx("--into %s: no meta.json or part.json there: not a run or part directory",
			      into);
			goto out_free;
		}
		w->into = true;
		w->icount = !strcmp(clock, "icount");
		err = fmt_buf(w->dir, sizeof(w->dir), "%s", into);
		if (!err && !uname(&u))
			snprintf(w->release, sizeof(w->release), "%s", u.release);
	} else {
		err = outdir_open_run(&w->od, out);
		if (err) {
			warnx("--out %s: %s", out, strerror(-err));
			goto out_free;
		}
		snprintf(w->dir, sizeof(w->dir), "%s", w->od.dir);
		err = write_meta(w);
	}
	if (!err)
		err = open_csv(w);
	if (err) {
		warnx("%s: cannot write there: %s", w->dir, strerror(-err));
		if (!w->into)
			outdir_abort(&w->od);
		goto out_free;
	}
	return 0;

out_free:
	free(w->command);
	w->command = NULL;
	return err;
}

int wl_out_path(struct wl_out *w, const char *name, char *path, size_t size,
		char *rel, size_t relsize)
{
	int err;

	if (strchr(name, '/') || name[0] == '.')
		return -EINVAL;
	err = fmt_buf(rel, relsize, "workload/%s", name);
	if (!err)
		err = fmt_buf(path, size, "%s/%s", w->dir, rel);
	return err;
}

int wl_out_point_path(struct wl_out *w, const char *tool, unsigned int n,
		      const char *suffix, char *path, char *rel)
{
	char name[64];

	if (fmt_buf(name, sizeof(name), "%s-%u%s", tool, n, suffix))
		return -ENAMETOOLONG;
	return wl_out_path(w, name, path, PATH_MAX, rel, PATH_MAX);
}

unsigned int wl_out_next_point(struct wl_out *w, const char *tool,
			       unsigned int *next)
{
	char path[PATH_MAX], rel[PATH_MAX];

	for (;; (*next)++)
		if (wl_out_point_path(w, tool, *next, ".json", path, rel) ||
		    !path_exists(path))
			return (*next)++;
}

void wl_out_unlink(struct wl_out *w, const char *tool, unsigned int n,
		   const char *suffix)
{
	char path[PATH_MAX], rel[PATH_MAX];

	if (!wl_out_point_path(w, tool, n, suffix, path, rel))
		unlink(path);
}

int wl_out_hist(struct wl_out *w, const char *tool, unsigned int n,
		const char *suffix, const struct lathist *h, char *rel)
{
	char path[PATH_MAX];
	FILE *f;
	int err;

	err = wl_out_point_path(w, tool, n, suffix, path, rel);
	if (err)
		return err;
	f = fopen(path, "we");
	if (!f)
		return -errno;
	err = lathist_write_csv(h, f);
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

FILE *wl_out_file(struct wl_out *w, const char *name, char *rel, size_t size)
{
	char path[PATH_MAX];
	int err;

	err = wl_out_path(w, name, path, sizeof(path), rel, size);
	if (err) {
		errno = -err;
		return NULL;
	}
	return fopen(path, "we");
}

int wl_out_row(struct wl_out *w, const struct workload_row *r)
{
	struct workload_row c = *r;

	/*
	 * Under -icount the guest's clock advances one nanosecond per
	 * instruction while a CPU runs, and jumps ahead while all idle:
	 * its nanoseconds are not time, and the unit says so.
	 */
	if (w->icount && !strcmp(c.lat_unit, "ns"))
		c.lat_unit = "icount-ns";
	workload_row(w->csv, &c);
	return fflush(w->csv) ? -errno : 0;
}

int wl_out_close(struct wl_out *w, bool ok)
{
	char final[PATH_MAX];
	int err = 0;

	if (w->csv && (ferror(w->csv) || fclose(w->csv)))
		err = -EIO;
	w->csv = NULL;
	if (err)
		warnx("%s/workload.csv: write error", w->dir);
	if (!w->into) {
		if (ok && !err) {
			err = outdir_commit(&w->od, w->release, w->start, final,
					    sizeof(final));
			if (err)
				warnx("%s: cannot commit it: %s", w->dir,
				      strerror(-err));
			else
				snprintf(w->dir, sizeof(w->dir), "%s", final);
		}
		if (!ok || err)
			outdir_abort(&w->od);
	}
	if (ok && !err)
		printf("%s\n", w->dir);
	free(w->command);
	w->command = NULL;
	return err;
}
