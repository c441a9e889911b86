// SPDX-License-Identifier: GPL-2.0
/*
 * Merging the workload rows of parts: workload.csv with boot 0 into the
 * run's workload.csv with the part's boot number, and the files its rows
 * name (histograms, profiles) from workload/<name> into
 * workload/boot<N>/<name>.  Files the rows do not name (per-point JSON,
 * fio's own output, perf.data) are copied along with them.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collect_workload.h"
#include "csv.h"
#include "util.h"
#include "workload.h"

/* workload/<name> of the part, renamed for boot i, or "" kept as it is. */
static int rename_file(const char *partdir, int i, char **field,
		       char *buf, size_t size)
{
	const char *name = *field + strlen("workload/");

	if (!**field)
		return 0;
	if (strncmp(*field, "workload/", 9) || !*name || strchr(name, '/') ||
	    name[0] == '.') {
		warnx("%s/workload.csv: '%s' is not a file in workload/",
		      partdir, *field);
		return -EINVAL;
	}
	*field = buf;
	return fmt_buf(buf, size, "workload/boot%d/%s", i, name);
}

static int copy_dir(struct outdir *o, const char *partdir, int i)
{
	char src[PATH_MAX], dst[PATH_MAX], rel[64];
	struct dirent *d;
	DIR *dir;
	int err;

	err = fmt_buf(src, sizeof(src), "%s/workload", partdir);
	if (err)
		return err;
	dir = opendir(src);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	err = outdir_path(o, "workload", dst, sizeof(dst));
	if (!err && mkdir(dst, 0777) < 0 && errno != EEXIST)
		err = -errno;
	if (!err)
		err = fmt_buf(rel, sizeof(rel), "workload/boot%d", i);
	if (!err)
		err = outdir_path(o, rel, dst, sizeof(dst));
	if (!err && mkdir(dst, 0777) < 0)
		err = -errno;
	while (!err && (d = readdir(dir))) {
		char from[PATH_MAX], to[PATH_MAX];

		if (d->d_name[0] == '.')
			continue;
		err = fmt_buf(from, sizeof(from), "%s/%s", src, d->d_name);
		if (!err)
			err = fmt_buf(to, sizeof(to), "%s/%s", dst, d->d_name);
		if (!err)
			err = copy_file(from, to);
		if (err)
			warnx("copying %s: %s", from, strerror(-err));
	}
	closedir(dir);
	return err;
}

int collect_workload(struct outdir *o, const char *partdir, int i, FILE **out)
{
	char boot[16], hist[PATH_MAX], prof[PATH_MAX];
	struct csv_record rec;
	struct csv_file f;
	int err, got = 0;

	err = csv_file_open(&f, partdir, "workload.csv", false);
	if (err)
		return err < 0 ? err : 0;
	if (!csv_file_header_is(&f, WORKLOAD_HEADER)) {
		warnx("%s: does not start with dmabench's workload header",
		      f.path);
		csv_file_close(&f);
		return -EINVAL;
	}
	if (!*out) {
		*out = outdir_fopen(o, "workload.csv");
		if (*out)
			workload_header(*out);
		else
			err = -errno;
	}
	snprintf(boot, sizeof(boot), "%d", i);
	while (!err && (got = csv_file_next(&f, &rec)) == 1) {
		if (rec.n != WORKLOAD_FIELDS ||
		    strcmp(rec.field[WORKLOAD_BOOT], "0")) {
			warnx("%s: a row of %d fields with boot '%s', not %d fields with boot 0",
			      f.path, rec.n, rec.n > WORKLOAD_BOOT ?
			      rec.field[WORKLOAD_BOOT] : "", WORKLOAD_FIELDS);
			err = -EINVAL;
		}
		if (!err)
			err = rename_file(partdir, i, &rec.field[WORKLOAD_HIST],
					  hist, sizeof(hist));
		if (!err)
			err = rename_file(partdir, i, &rec.field[WORKLOAD_PROF],
					  prof, sizeof(prof));
		if (!err) {
			rec.field[WORKLOAD_BOOT] = boot;
			csv_write_record(*out, (const char *const *)rec.field,
					 rec.n);
		}
		csv_record_free(&rec);
	}
	if (!err && got < 0)
		err = got;
	csv_file_close(&f);
	if (!err)
		err = copy_dir(o, partdir, i);
	return err;
}
