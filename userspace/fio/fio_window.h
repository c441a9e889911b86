/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench fio: the window its whole-system figures cover.  It lies inside
 * fio's measured I/O, as dmabench nvme's lies inside its own, and its I/Os
 * are counted apart from fio, by the block device's own counters
 * (/sys/class/block/<name>/stat), where those see the job's requests.
 *
 * The pieces that read text are pure, for the unit tests; cmd_fio.c runs
 * fio and takes the window.
 */
#ifndef DMABENCH_FIO_WINDOW_H
#define DMABENCH_FIO_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What a block device's stat file says it completed, reads and writes. */
struct blkstat {
	uint64_t ios;		/* requests completed: fields 1 and 5 */
	uint64_t merges;	/* I/Os merged into others: fields 2 and 6 */
	uint64_t sectors;	/* 512-byte sectors moved: fields 3 and 7 */
};

int blkstat_parse(const char *text, struct blkstat *s);
int blkstat_read(const char *path, struct blkstat *s);
/*
 * The I/Os of bs bytes between a and b: sectors moved, not requests, so
 * that requests merged (sequential I/O) or split (I/O larger than the
 * device takes at once) count as the I/Os that were asked for.
 */
uint64_t blkstat_ops(const struct blkstat *a, const struct blkstat *b,
		     uint64_t bs);

/*
 * Does the stat of a disk count a job's requests?  iostats and
 * iostats_pt are the disk's queue/iostats and queue/iostats_passthrough
 * ("" if there is none); passthru: the job sends NVMe passthrough
 * commands; multipath: the disk is a multipath head.  If not, why[] says
 * why.
 */
bool fio_stat_counts(const char *iostats, const char *iostats_pt,
		     bool passthru, bool multipath, char *why, size_t whysz);

/*
 * The window's length for fio's runtime of t seconds: t less a margin
 * (10 %, at least 50 ms, at most half of t) so that it ends before fio's
 * runtime does, though it starts a little after fio's ramp ends.
 */
double fio_window_seconds(double t);

/* The parent pid in the text of /proc/<pid>/stat; 0 or -EINVAL. */
int proc_stat_ppid(const char *text, pid_t *ppid);
/* Has pid a child process yet (fio's job, forked by fio)? */
bool proc_has_child(pid_t pid);

#endif
