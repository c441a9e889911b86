// SPDX-License-Identifier: GPL-2.0
/*
 * Progress of a matrix on stderr:
 *
 *	[ 12/84] phys iommu-lazy 4096 B to_device ... 3.1 s, about 2m40s left
 *
 * The time left is the operations still to run (warmup + samples, of
 * every thread and repeat), at the time per operation measured so far.
 * Under QEMU -icount the guest's clock counts instructions: a point's
 * time is said as guest time, and no time left at all.
 */
#include <stdio.h>
#include <string.h>

#include "progress.h"
#include "util.h"

/* 42s, 2m40s, 1h05m */
int fmt_duration(char *buf, size_t size, double secs)
{
	unsigned long s = secs < 0 ? 0 : (unsigned long)(secs + 0.5);

	if (s < 60)
		return fmt_buf(buf, size, "%lus", s);
	if (s < 3600)
		return fmt_buf(buf, size, "%lum%02lus", s / 60, s % 60);
	return fmt_buf(buf, size, "%luh%02lum", s / 3600, (s % 3600) / 60);
}

void progress_init(struct progress *p, unsigned int total,
		   uint64_t total_ops)
{
	memset(p, 0, sizeof(*p));
	p->total = total;
	p->total_ops = total_ops;
	p->point_ops = total ? total_ops / total : 0;
}

void progress_begin(struct progress *p, const char *label)
{
	char total[16];

	snprintf(total, sizeof(total), "%u", p->total);
	fprintf(stderr, "[%*u/%s] %s ... ", (int)strlen(total) + 1,
		p->done + 1, total, label);
	fflush(stderr);
}

static double seconds_left(const struct progress *p)
{
	if (!p->ops_done)
		return 0;
	if (p->ops_done + p->ops_skipped >= p->total_ops)
		return 0;
	return p->busy / p->ops_done *
	       (p->total_ops - p->ops_done - p->ops_skipped);
}

/* msg NULL: the point ran for secs.  Otherwise msg says why it did not. */
void progress_end(struct progress *p, double secs, const char *msg)
{
	char left[32];

	p->done++;
	if (msg) {
		p->ops_skipped += p->point_ops;
		fprintf(stderr, "%s\n", msg);
		return;
	}
	p->busy += secs;
	p->ops_done += p->point_ops;
	if (p->guest_clock) {
		fprintf(stderr, "%.1f s of guest time\n", secs);
		return;
	}
	fmt_duration(left, sizeof(left), seconds_left(p));
	if (p->done < p->total)
		fprintf(stderr, "%.1f s, about %s left\n", secs, left);
	else
		fprintf(stderr, "%.1f s\n", secs);
	if (!p->estimated && p->done < p->total) {
		p->estimated = true;
		fmt_duration(left, sizeof(left),
			     seconds_left(p) + p->busy);
		fprintf(stderr, "dmabench: the whole matrix should take about %s\n",
			left);
	}
}
