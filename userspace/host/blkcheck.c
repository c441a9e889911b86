// SPDX-License-Identifier: GPL-2.0
/*
 * Block-device safety: the checks that must all pass before anything is
 * written to a block device (blkcheck.h).  Not mounted, itself or any of
 * its partitions (mountinfo); no partitions; no holders (device-mapper,
 * RAID); no signature libblkid recognises (filesystem, RAID member,
 * crypto header, partition table); and not held open exclusively.  Each
 * refusal names the check and the way out.
 */
#include <blkid/blkid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "blkcheck.h"
#include "util.h"

#define MAX_PARTS	128

/* "259:3" in dir/dev. */
static int attr_dev(const char *dir, dev_t *dev)
{
	char path[PATH_MAX], buf[32];
	unsigned int maj, min;

	if (fmt_buf(path, sizeof(path), "%s/dev", dir) ||
	    read_text(path, buf, sizeof(buf)) ||
	    sscanf(buf, "%u:%u", &maj, &min) != 2)
		return -ENOENT;
	*dev = makedev(maj, min);
	return 0;
}

/* Does a mount's source name the device, by name or by device number? */
static bool mount_source_is(const char *source, const struct dev_id *id)
{
	struct stat st;
	char dev[80];

	snprintf(dev, sizeof(dev), "/dev/%s", id->name);
	if (!strcmp(source, dev))
		return true;
	return !strncmp(source, "/dev/", 5) && !stat(source, &st) &&
	       S_ISBLK(st.st_mode) && st.st_rdev == id->dev;
}

/*
 * The line of mountinfo text that mounts one of ids, by major:minor or by
 * its source (btrfs shows an anonymous major:minor); the index in ids,
 * with "SOURCE on MOUNTPOINT" in where, or -1.
 */
int mountinfo_find(const char *text, const struct dev_id *ids, size_t n,
		   char *where, size_t wsz)
{
	char mnt[1024], fstype[64], source[1024];
	const char *line, *end, *sep;
	unsigned int maj, min;

	for (line = text; *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		sep = strstr(line, " - ");
		if (!sep || sep > end ||
		    sscanf(line, "%*u %*u %u:%u %*s %1023s", &maj, &min, mnt) != 3 ||
		    sscanf(sep + 3, "%63s %1023s", fstype, source) != 2)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (makedev(maj, min) == ids[i].dev ||
			    mount_source_is(source, &ids[i])) {
				snprintf(where, wsz, "%s (%s) on %s", source,
					 fstype, mnt);
				return i;
			}
		}
	}
	return -1;
}

/* The partitions of the disk whose sysfs directory is disk_dir. */
int sysfs_partitions(const char *disk_dir, struct dev_id *ids, size_t max,
		     size_t *n)
{
	char sub[PATH_MAX], part[PATH_MAX + 16];
	struct dirent *de;
	DIR *dh;

	*n = 0;
	dh = opendir(disk_dir);
	if (!dh)
		return -errno;
	while ((de = readdir(dh)) && *n < max) {
		if (de->d_name[0] == '.' ||
		    fmt_buf(sub, sizeof(sub), "%s/%s", disk_dir, de->d_name))
			continue;
		snprintf(part, sizeof(part), "%s/partition", sub);
		if (!path_exists(part))
			continue;
		if (attr_dev(sub, &ids[*n].dev))
			ids[*n].dev = 0;
		if (fmt_buf(ids[*n].name, sizeof(ids[*n].name), "%s", de->d_name))
			continue;
		(*n)++;
	}
	closedir(dh);
	return 0;
}

/* dir/holders: how many, their names comma-separated in list. */
int sysfs_holders(const char *dir, char *list, size_t size)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t len;
	int n = 0;
	DIR *dh;

	list[0] = '\0';
	if (fmt_buf(path, sizeof(path), "%s/holders", dir))
		return -ENAMETOOLONG;
	dh = opendir(path);
	if (!dh)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dh))) {
		if (de->d_name[0] == '.')
			continue;
		len = strlen(list);
		snprintf(list + len, size - len, "%s%s", n ? "," : "", de->d_name);
		n++;
	}
	closedir(dh);
	return n;
}

/*
 * A filesystem, RAID member, crypto header or partition table on path,
 * by libblkid: 1 with "ext4 filesystem" etc. in what, 0 if none, or
 * -errno if it could not be read.
 */
int blkid_signature(const char *path, char *what, size_t size)
{
	const char *type = NULL, *usage = NULL;
	blkid_probe pr;
	int rc;

	what[0] = '\0';
	pr = blkid_new_probe_from_filename(path);
	if (!pr)
		return errno ? -errno : -EIO;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE |
					  BLKID_SUBLKS_USAGE);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC);
	rc = blkid_do_safeprobe(pr);
	if (rc == 0) {
		if (!blkid_probe_lookup_value(pr, "TYPE", &type, NULL)) {
			blkid_probe_lookup_value(pr, "USAGE", &usage, NULL);
			snprintf(what, size, "%s %s", type,
				 !usage ? "signature" :
				 !strcmp(usage, "filesystem") ? "filesystem" :
				 !strcmp(usage, "raid") ? "RAID member" :
				 !strcmp(usage, "crypto") ? "encrypted volume" :
				 "signature");
		} else if (!blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL)) {
			snprintf(what, size, "%s partition table", type);
		} else {
			snprintf(what, size, "signature");
		}
	} else if (rc == -2) {
		snprintf(what, size, "several signatures at once (blkid: ambivalent)");
		rc = 0;
	}
	blkid_free_probe(pr);
	return rc == 0 ? 1 : rc == 1 ? 0 : -EIO;
}

static int refuse_mounted(const struct blk_target *d, const struct dev_id *ids,
			  size_t n, char *err, size_t errsz)
{
	char where[2200];
	char *text;
	int i;

	text = read_all("/proc/self/mountinfo", NULL);
	if (!text) {
		snprintf(err, errsz,
			 "refusing to write to %s: cannot read /proc/self/mountinfo to check that it is not mounted",
			 d->arg);
		return -EIO;
	}
	i = mountinfo_find(text, ids, n, where, sizeof(where));
	free(text);
	if (i < 0)
		return 0;
	if (i == 0)
		snprintf(err, errsz,
			 "refusing to write to %s: it is mounted, %s; writing would destroy that filesystem: unmount it first",
			 d->arg, where);
	else
		snprintf(err, errsz,
			 "refusing to write to %s: its partition %s is mounted, %s; writing would destroy that filesystem: unmount it first",
			 d->arg, ids[i].name, where);
	return -EBUSY;
}

static int refuse_partitions(const struct blk_target *d, const struct dev_id *ids,
			     size_t n, char *err, size_t errsz)
{
	char list[256] = "";
	size_t len;

	if (n < 2)
		return 0;
	for (size_t i = 1; i < n; i++) {
		len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s", i > 1 ? "," : "",
			 ids[i].name);
	}
	snprintf(err, errsz,
		 "refusing to write to %s: it holds partitions (%s); writing would destroy them: wipe the partition table with wipefs -a %s first if that is what you want",
		 d->arg, list, d->arg);
	return -EEXIST;
}

static int refuse_holders(const struct blk_target *d, char *err, size_t errsz)
{
	char list[256];
	int n;

	n = sysfs_holders(d->sysfs, list, sizeof(list));
	if (n < 0) {
		snprintf(err, errsz, "refusing to write to %s: cannot read %s/holders: %s",
			 d->arg, d->sysfs, strerror(-n));
		return n;
	}
	if (!n)
		return 0;
	snprintf(err, errsz,
		 "refusing to write to %s: it is in use by %s (device-mapper, RAID or similar on top of it, see /sys/class/block/%s/holders): take that down first",
		 d->arg, list, d->name);
	return -EBUSY;
}

static int refuse_signature(const struct blk_target *d, char *err, size_t errsz)
{
	char what[160];
	int ret;

	ret = blkid_signature(d->blkdev, what, sizeof(what));
	if (ret < 0) {
		snprintf(err, errsz,
			 "refusing to write to %s: blkid could not read it to look for a filesystem: %s",
			 d->arg, strerror(-ret));
		return ret;
	}
	if (!ret)
		return 0;
	snprintf(err, errsz,
		 "refusing to write to %s: blkid finds a signature on it (%s); this would destroy the %s on %s: wipe it with wipefs -a %s first if that is what you want",
		 d->arg, what, what, d->blkdev, d->blkdev);
	return -EEXIST;
}

static int refuse_busy(const struct blk_target *d, char *err, size_t errsz)
{
	int fd, ret;

	fd = open(d->blkdev, O_RDWR | O_EXCL | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	ret = -errno;
	snprintf(err, errsz, ret == -EBUSY ?
		 "refusing to write to %s: something holds it open exclusively (a mount, swap, RAID, LVM or another benchmark; see fuser -v %s)" :
		 "refusing to write to %s: cannot open it for writing: %s",
		 d->arg, ret == -EBUSY ? d->blkdev : strerror(-ret));
	return ret;
}

int blk_write_check(const struct blk_target *d, char *err, size_t errsz)
{
	struct dev_id ids[1 + MAX_PARTS];
	size_t n = 0;
	int ret;

	ids[0].dev = d->rdev;
	snprintf(ids[0].name, sizeof(ids[0].name), "%s", d->name);
	if (!d->partition &&
	    sysfs_partitions(d->sysfs, ids + 1, MAX_PARTS, &n)) {
		snprintf(err, errsz,
			 "refusing to write to %s: cannot list its partitions in %s",
			 d->arg, d->sysfs);
		return -EIO;
	}
	ret = refuse_mounted(d, ids, n + 1, err, errsz);
	if (!ret)
		ret = refuse_partitions(d, ids, n + 1, err, errsz);
	if (!ret)
		ret = refuse_holders(d, err, errsz);
	if (!ret)
		ret = refuse_signature(d, err, errsz);
	if (!ret)
		ret = refuse_busy(d, err, errsz);
	return ret;
}
