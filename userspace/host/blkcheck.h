/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block-device safety: may a block device be written (blkcheck.c)?
 */
#ifndef DMABENCH_BLKCHECK_H
#define DMABENCH_BLKCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The block device to be written, as probed by its caller. */
struct blk_target {
	const char *arg;	/* as the user named it, for messages */
	const char *blkdev;	/* /dev/<name> */
	const char *name;	/* the kernel's name: nvme0n1, nvme0n1p2 */
	const char *sysfs;	/* /sys/class/block/<name>, resolved */
	dev_t rdev;		/* its device number */
	bool partition;		/* a partition, not a whole disk */
};

/*
 * May t be written?  0, or -EBUSY / -EEXIST (-errno if a check could not
 * look) and err[] naming the check that refused it and the way out.
 * Nothing is written, nothing is left open.
 */
int blk_write_check(const struct blk_target *t, char *err, size_t errsz);

/* The pieces of the checks, on text or on a directory given. */
struct dev_id {
	dev_t dev;
	char name[64];		/* /dev/<name> */
};

int mountinfo_find(const char *text, const struct dev_id *ids, size_t n,
		   char *where, size_t wsz);
int sysfs_partitions(const char *disk_dir, struct dev_id *ids, size_t max,
		     size_t *n);
int sysfs_holders(const char *dir, char *list, size_t size);
int blkid_signature(const char *path, char *what, size_t size);

#endif
