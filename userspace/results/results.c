// SPDX-License-Identifier: GPL-2.0
/*
 * Result directories, created atomically, and the rows of summary.csv.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "ledger.h"
#include "results.h"
#include "util.h"

/* <yyyymmdd-hhmmss>-<release>-<6 hex digits>, the release made path-safe. */
int rundir_name(char *buf, size_t size, time_t when, const char *release,
		unsigned int rnd)
{
	char stamp[32], rel[80];
	struct tm tm;
	size_t i;

	gmtime_r(&when, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (i = 0; release[i] && i < sizeof(rel) - 1; i++) {
		char c = release[i];

		rel[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || strchr("._+-", c) ? c : '_';
	}
	rel[i] = '\0';
	return fmt_buf(buf, size, "%s-%s-%06x", stamp, i ? rel : "unknown",
		       rnd & 0xffffff);
}

static unsigned int random_u32(void)
{
	unsigned int r;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned int)time(NULL) ^ (unsigned int)getpid() << 8;
	return r;
}

static int make_samples_dir(struct outdir *o)
{
	char path[PATH_MAX];
	int err;

	err = outdir_path(o, "samples", path, sizeof(path));
	if (!err && mkdir(path, 0777) < 0)
		err = -errno;
	return err;
}

/*
 * A run is made in .tmp-<pid>-XXXXXX and renamed when complete.  One
 * whose dmabench is gone (killed by SIGKILL) is removed by the next run
 * made under the same parent.
 */
static void remove_stale(const char *parent)
{
	char path[PATH_MAX], c;
	struct dirent *de;
	DIR *d;
	int pid;

	d = opendir(parent);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (sscanf(de->d_name, ".tmp-%d-%c", &pid, &c) != 2 || pid <= 0 ||
		    ledger_owner_alive(pid) ||
		    fmt_buf(path, sizeof(path), "%s/%s", parent, de->d_name))
			continue;
		if (!remove_tree(path))
			warnx("removed %s: what a dmabench that is gone (pid %d, killed?) had begun",
			      path, pid);
	}
	closedir(d);
}

int outdir_open_run(struct outdir *o, const char *parent)
{
	int err;

	memset(o, 0, sizeof(*o));
	err = fmt_buf(o->parent, sizeof(o->parent), "%s", parent);
	if (!err)
		err = mkdir_p(parent);
	if (!err)
		remove_stale(parent);
	if (!err)
		err = fmt_buf(o->dir, sizeof(o->dir), "%s/.tmp-%d-XXXXXX",
			      parent, (int)getpid());
	if (err)
		return err;
	if (!mkdtemp(o->dir))
		return -errno;
	o->open = true;
	err = make_samples_dir(o);
	if (err)
		outdir_abort(o);
	return err;
}

/* dir must be absent or empty. */
int outdir_open_part(struct outdir *o, const char *dir)
{
	struct stat st;
	int err;

	memset(o, 0, sizeof(*o));
	o->part = true;
	err = fmt_buf(o->dir, sizeof(o->dir), "%s", dir);
	if (err)
		return err;
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		if (!dir_is_empty(dir))
			return -ENOTEMPTY;
	} else {
		err = mkdir_p(dir);
		if (err)
			return err;
		o->created = true;
	}
	o->open = true;
	err = make_samples_dir(o);
	if (err)
		outdir_abort(o);
	return err;
}

int outdir_path(const struct outdir *o, const char *rel, char *buf, size_t size)
{
	return fmt_buf(buf, size, "%s/%s", o->dir, rel);
}

FILE *outdir_fopen(struct outdir *o, const char *rel)
{
	char path[PATH_MAX];
	int err;

	err = outdir_path(o, rel, path, sizeof(path));
	if (err) {
		errno = -err;
		return NULL;
	}
	return fopen(path, "wxe");
}

const char *outdir_meta_name(const struct outdir *o)
{
	return o->part ? "part.json.tmp" : "meta.json";
}

/* rename(2) that never replaces an existing file or directory. */
static int rename_noreplace(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* The file system cannot do it atomically: check, then rename. */
	if (path_exists(to))
		return -EEXIST;
	return rename(from, to) < 0 ? -errno : 0;
}

static int commit_part(struct outdir *o, char *final, size_t size)
{
	char from[PATH_MAX], to[PATH_MAX];
	int err;

	err = outdir_path(o, "part.json.tmp", from, sizeof(from));
	if (!err)
		err = outdir_path(o, "part.json", to, sizeof(to));
	if (!err)
		err = rename_noreplace(from, to);
	if (!err) {
		o->open = false;
		err = fmt_buf(final, size, "%s", o->dir);
	}
	return err;
}

/* Give the run its final name; final receives its path. */
int outdir_commit(struct outdir *o, const char *release, time_t when,
		  char *final, size_t size)
{
	char name[192];
	mode_t mask;
	int err = -EEXIST;

	if (o->part)
		return commit_part(o, final, size);
	mask = umask(0);
	umask(mask);
	if (chmod(o->dir, 0777 & ~mask) < 0)
		return -errno;
	for (int try = 0; try < 8 && err == -EEXIST; try++) {
		err = rundir_name(name, sizeof(name), when, release, random_u32());
		if (!err)
			err = fmt_buf(final, size, "%s/%s", o->parent, name);
		if (!err)
			err = rename_noreplace(o->dir, final);
	}
	if (!err) {
		snprintf(o->dir, sizeof(o->dir), "%s", final);
		o->open = false;
	}
	return err;
}

/* Remove what was written; a part directory keeps existing if it did. */
void outdir_abort(struct outdir *o)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (!o->open)
		return;
	o->open = false;
	if (!o->part || o->created) {
		remove_tree(o->dir);
		return;
	}
	d = opendir(o->dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (!outdir_path(o, de->d_name, path, sizeof(path)))
			remove_tree(path);
	}
	closedir(d);
}

void summary_header(FILE *f)
{
	fputs(SUMMARY_HEADER "\n", f);
}

/* A number for a CSV field, or "" when there is none. */
static const char *opt_num(char *buf, size_t size, bool have, double v)
{
	return have && !csv_fmt_num(buf, size, v) ? buf : "";
}

/* batch 1 maps and unmaps in turn; more hold that many mappings at once. */
const char *summary_pattern(unsigned int batch)
{
	return batch > 1 ? "batch" : "pair";
}

static unsigned int at_least_1(unsigned int v)
{
	return v ? v : 1;
}

/*
 * Which of a row's order statistics have enough samples under them
 * (stats_min_n(), STATS_MIN_CI), and a note clause naming those that do
 * not: what they had, what they need.
 */
void summary_enough(const struct summary_row *r, struct summary_enough *e)
{
	size_t n = r->st ? r->st->n : 0;
	bool have = r->st && !r->mean_only;
	char need[96] = "";

	memset(e, 0, sizeof(*e));
	e->median = have && n >= stats_min_n(500);
	e->p90 = have && n >= stats_min_n(900);
	e->p99 = have && n >= stats_min_n(990);
	e->ci = r->has_ci && n >= STATS_MIN_CI;
	if (have && !e->median)
		snprintf(need, sizeof(need), "median %zu, ", stats_min_n(500));
	if (have && !e->p90)
		snprintf(need + strlen(need), sizeof(need) - strlen(need),
			 "p90 %zu, ", stats_min_n(900));
	if (have && !e->p99)
		snprintf(need + strlen(need), sizeof(need) - strlen(need),
			 "p99 %zu, ", stats_min_n(990));
	if (r->has_ci && !e->ci)
		snprintf(need + strlen(need), sizeof(need) - strlen(need),
			 "ci %d, ", STATS_MIN_CI);
	if (!need[0])
		return;
	need[strlen(need) - 2] = '\0';
	snprintf(e->note, sizeof(e->note),
		 "too few samples: %zu; left empty, with the samples each needs: %s",
		 n, need);
}

void summary_row(FILE *f, const struct summary_row *r)
{
	static const struct stats nothing;
	const struct stats *st = r->st ? r->st : &nothing;
	struct summary_enough e;
	bool have, net;
	char v[16][32], size[24], n[24], nents[16], offset[16], attrs[16];
	char boot[16], threads[16], batch[16], ws[16], note[512];

	summary_enough(r, &e);
	have = r->st && !r->mean_only;
	net = e.median && r->has_harness;
	snprintf(note, sizeof(note), "%s%s%s", r->note ? r->note : "",
		 r->note && r->note[0] && e.note[0] ? "; " : "", e.note);
	const char *field[SUMMARY_FIELDS] = {
		r->api, r->path, size, r->dir, threads, r->op, r->unit, n,
		opt_num(v[0], sizeof(v[0]), have, st->min),
		opt_num(v[1], sizeof(v[1]), e.median, st->median),
		opt_num(v[2], sizeof(v[2]), e.p90, st->p90),
		opt_num(v[3], sizeof(v[3]), e.p99, st->p99),
		opt_num(v[4], sizeof(v[4]), have, st->max),
		opt_num(v[5], sizeof(v[5]), r->st, st->mean),
		opt_num(v[6], sizeof(v[6]), r->has_harness &&
			(r->mean_only || e.median), r->harness),
		opt_num(v[7], sizeof(v[7]), net, st->median - r->harness),
		nents, offset, attrs, r->observed, status_names[r->status], note, boot,
		r->samples,
		opt_num(v[8], sizeof(v[8]), have, r->max_irqoff),
		summary_pattern(r->batch), batch, ws,
		opt_num(v[9], sizeof(v[9]), r->has_rate, r->rate),
		opt_num(v[10], sizeof(v[10]), e.ci, r->ci_low),
		opt_num(v[11], sizeof(v[11]), e.ci, r->ci_high),
		opt_num(v[12], sizeof(v[12]), e.median && r->has_ci, r->mad),
		e.ci ? stats_ci_flag(st->median, r->ci_low, r->ci_high) :
		r->has_ci ? "few-samples" : "",
		opt_num(v[13], sizeof(v[13]), r->has_spread, r->spread),
	};
	snprintf(size, sizeof(size), "%llu", (unsigned long long)r->size);
	snprintf(n, sizeof(n), "%zu", st->n);
	snprintf(nents, sizeof(nents), "%u", r->nents);
	snprintf(offset, sizeof(offset), "%u", r->offset);
	snprintf(attrs, sizeof(attrs), "%u", r->attrs);
	snprintf(boot, sizeof(boot), "%u", r->boot);
	snprintf(threads, sizeof(threads), "%u", at_least_1(r->threads));
	snprintf(batch, sizeof(batch), "%u", at_least_1(r->batch));
	snprintf(ws, sizeof(ws), "%u", at_least_1(r->working_set));
	csv_write_record(f, field, SUMMARY_FIELDS);
}

void threads_header(FILE *f)
{
	fputs(THREADS_HEADER "\n", f);
}

void threads_row(FILE *f, const struct thread_row *t)
{
	const struct summary_row *r = t->point;
	char size[24], threads[16], nents[16], offset[16], attrs[16];
	char batch[16], ws[16], boot[16], thread[16], cpu[16], n[24];
	char v[3][32];
	const char *field[THREADS_FIELDS] = {
		r->api, r->path, size, r->dir, threads, nents, offset, attrs,
		summary_pattern(r->batch), batch, ws, boot, thread, cpu, t->op,
		r->unit, n, opt_num(v[0], sizeof(v[0]), true, t->median),
		opt_num(v[1], sizeof(v[1]), true, t->mean),
		opt_num(v[2], sizeof(v[2]), true, t->rate),
	};

	snprintf(size, sizeof(size), "%llu", (unsigned long long)r->size);
	snprintf(threads, sizeof(threads), "%u", at_least_1(r->threads));
	snprintf(nents, sizeof(nents), "%u", r->nents);
	snprintf(offset, sizeof(offset), "%u", r->offset);
	snprintf(attrs, sizeof(attrs), "%u", r->attrs);
	snprintf(batch, sizeof(batch), "%u", at_least_1(r->batch));
	snprintf(ws, sizeof(ws), "%u", at_least_1(r->working_set));
	snprintf(boot, sizeof(boot), "%u", r->boot);
	snprintf(thread, sizeof(thread), "%u", t->thread);
	snprintf(cpu, sizeof(cpu), "%u", t->cpu);
	snprintf(n, sizeof(n), "%zu", t->n);
	csv_write_record(f, field, THREADS_FIELDS);
}
