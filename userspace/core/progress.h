/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Progress of a matrix on stderr, with an estimate of the time left.
 */
#ifndef DMABENCH_PROGRESS_H
#define DMABENCH_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress {
	unsigned int total;	/* points in the matrix */
	unsigned int done;	/* points finished, run or not */
	uint64_t total_ops;	/* warmup + samples, all threads and repeats */
	uint64_t point_ops;	/* of the point under way */
	uint64_t ops_done;	/* by the points that ran */
	uint64_t ops_skipped;	/* by the points that did not */
	double busy;		/* seconds the points that ran took */
	bool estimated;		/* the first whole-matrix estimate is out */
	/*
	 * The clock is an emulated guest's under QEMU -icount: its seconds
	 * count instructions, not the host's time, so no time left is said.
	 */
	bool guest_clock;
};

void progress_init(struct progress *p, unsigned int total,
		   uint64_t total_ops);
void progress_begin(struct progress *p, const char *label);
void progress_end(struct progress *p, double secs, const char *msg);
int fmt_duration(char *buf, size_t size, double secs);

#endif
