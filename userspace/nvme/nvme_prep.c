// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench nvme: what must hold before a point runs, shared by dmabench
 * nvme and dmabench fio: the device probed and checked against the
 * options (sizes, span, --path) and, for writes, for write safety; and
 * whether a point can run on it at all.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "nvme.h"

/* 512, 4k, 1m: as the progress lines write a size. */
void nvme_fmt_bs(char *buf, size_t size, uint64_t bs)
{
	if (bs % (1U << 20) == 0)
		snprintf(buf, size, "%llum", (unsigned long long)(bs >> 20));
	else if (bs % 1024 == 0)
		snprintf(buf, size, "%lluk", (unsigned long long)(bs >> 10));
	else
		snprintf(buf, size, "%llu", (unsigned long long)bs);
}

/*
 * Can a point not run here?  Said before anything is set up.  A char
 * device that would not open has its reason in ng_why too.
 */
bool nvme_point_unsupported(const struct nvme_dev *d, bool passthru,
			    const struct nvme_point *pt, char *why,
			    size_t whysz)
{
	char bs[24];

	if (passthru && (!d->ng[0] || d->ng_why[0])) {
		snprintf(why, whysz, "no passthrough: %s", d->ng_why);
		return true;
	}
	if (passthru && !d->nsid) {
		snprintf(why, whysz,
			 "no passthrough: the namespace ID of %s is unknown (neither NVME_IOCTL_ID nor sysfs nsid answered)",
			 d->disk);
		return true;
	}
	if (passthru && d->max_hw_kb && pt->bs > d->max_hw_kb * 1024ULL) {
		nvme_fmt_bs(bs, sizeof(bs), pt->bs);
		snprintf(why, whysz,
			 "a passthrough command is never split, and %s is over the controller's limit of %u KiB (queue/max_hw_sectors_kb)",
			 bs, d->max_hw_kb);
		return true;
	}
	if (pt->completion == NVME_POLL &&
	    nvme_dev_poll_check(d, why, whysz))
		return true;
	return false;
}

/* What the device says about the options: sizes, span, the path. */
static int check_device(const struct nvme_opts *o, const struct nvme_dev *d,
			uint64_t *span)
{
	if (!d->size) {
		warnx("%s: the device has no capacity (size 0)", d->arg);
		return -1;
	}
	for (size_t i = 0; i < o->nbs; i++) {
		if (o->bs[i] < d->lbs || o->bs[i] % d->lbs) {
			warnx("--bs %llu: %s has logical blocks of %u bytes; O_DIRECT I/O is whole blocks: give multiples of %u",
			      (unsigned long long)o->bs[i], d->arg, d->lbs,
			      d->lbs);
			return -1;
		}
	}
	if (o->span > d->size) {
		warnx("--span %llu: over the size of %s (%llu bytes)",
		      (unsigned long long)o->span, d->arg,
		      (unsigned long long)d->size);
		return -1;
	}
	*span = o->span ? o->span : d->size;
	if (*span < o->bs[o->nbs - 1]) {
		warnx("%s: %llu bytes, smaller than --bs %llu", d->arg,
		      (unsigned long long)*span,
		      (unsigned long long)o->bs[o->nbs - 1]);
		return -1;
	}
	if (o->path && strcmp(o->path, d->dma.path)) {
		if (d->dma.iommu_group >= 0)
			warnx("--path %s: the DMA path of %s is %s (IOMMU group %d, type %s); switch the group's type first (dmabench does not), or drop --path",
			      o->path, d->arg, d->dma.path, d->dma.iommu_group,
			      d->dma.group_type);
		else
			warnx("--path %s: the DMA path of %s is %s%s%s",
			      o->path, d->arg, d->dma.path,
			      d->dma.note[0] ? ": " : "", d->dma.note);
		return -1;
	}
	return 0;
}

int nvme_prepare_device(const struct nvme_opts *o, bool writes,
			struct nvme_dev *d, uint64_t *span)
{
	char err[600];

	if (nvme_dev_probe(o->device, o->passthru, d, err, sizeof(err))) {
		warnx("%s", err);
		return -1;
	}
	if (check_device(o, d, span))
		return -1;
	if (writes && nvme_dev_write_check(d, err, sizeof(err))) {
		warnx("%s", err);
		return -1;
	}
	return 0;
}
