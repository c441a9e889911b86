// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fio: the window of its whole-system figures, and the I/Os in
 * it as the block device counts them (fio_window.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fio_window.h"
#include "util.h"

/*
 * Fields of /sys/class/block/<name>/stat (Documentation/block/stat.rst),
 * counted from 1: reads completed, merged, sectors; writes completed,
 * merged, sectors.
 */
#define STAT_FIELDS	7

int blkstat_parse(const char *text, struct blkstat *s)
{
	uint64_t f[STAT_FIELDS];
	const char *p = text;
	char *end;

	for (int i = 0; i < STAT_FIELDS; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		errno = 0;
		f[i] = strtoull(p, &end, 10);
		if (errno || end == p)
			return -EINVAL;
		p = end;
	}
	s->ios = f[0] + f[4];
	s->merges = f[1] + f[5];
	s->sectors = f[2] + f[6];
	return 0;
}

int blkstat_read(const char *path, struct blkstat *s)
{
	char text[512];
	int err = read_text(path, text, sizeof(text));

	return err ? err : blkstat_parse(text, s);
}

uint64_t blkstat_ops(const struct blkstat *a, const struct blkstat *b,
		     uint64_t bs)
{
	if (!bs || b->sectors < a->sectors)
		return 0;
	return (b->sectors - a->sectors) * 512 / bs;
}

bool fio_stat_counts(const char *iostats, const char *iostats_pt,
		     bool passthru, bool multipath, char *why, size_t whysz)
{
	why[0] = '\0';
	if (!strcmp(iostats, "0")) {
		snprintf(why, whysz,
			 "the disk's stat counts nothing (its queue/iostats is 0)");
		return false;
	}
	if (!passthru)
		return true;
	if (!iostats_pt[0]) {
		snprintf(why, whysz,
			 "passthrough commands are not in the disk's stat (this kernel has no queue/iostats_passthrough)");
		return false;
	}
	if (strcmp(iostats_pt, "1")) {
		snprintf(why, whysz,
			 "passthrough commands are not in the disk's stat (its queue/iostats_passthrough is %s)",
			 iostats_pt);
		return false;
	}
	if (multipath) {
		snprintf(why, whysz,
			 "passthrough commands on a multipath namespace count in its paths' stats, not in its own");
		return false;
	}
	return true;
}

double fio_window_seconds(double t)
{
	double margin = t / 10;

	if (margin < 0.05)
		margin = 0.05;
	if (margin > t / 2)
		margin = t / 2;
	return t - margin;
}

int proc_stat_ppid(const char *text, pid_t *ppid)
{
	/* pid (comm) state ppid ...: comm may hold blanks and parentheses. */
	const char *p = strrchr(text, ')');
	char state;
	int v;

	if (!p || sscanf(p + 1, " %c %d", &state, &v) != 2 || v < 0)
		return -EINVAL;
	*ppid = v;
	return 0;
}

bool proc_has_child(pid_t pid)
{
	char path[64], text[512];
	struct dirent *de;
	bool found = false;
	pid_t ppid;
	DIR *dh;

	dh = opendir("/proc");
	while (dh && !found && (de = readdir(dh))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (fmt_buf(path, sizeof(path), "/proc/%s/stat", de->d_name))
			continue;
		found = !read_text(path, text, sizeof(text)) &&
			!proc_stat_ppid(text, &ppid) && ppid == pid;
	}
	if (dh)
		closedir(dh);
	return found;
}
