// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench nvme: the device.  What it is (block device or NVMe generic
 * char device), its namespace, controller and limits; the DMA path its
 * buffers take, read from sysfs and the kernel command line, never
 * assumed; whether it may be polled; the checks that must all pass
 * before anything is written to it; and all of that for the record.
 */
#include <blkid/blkid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/nvme_ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "json.h"
#include "names.h"
#include "nvme.h"
#include "rdma.h"
#include "util.h"

#define MAX_PARTS	128

/* dir/name, read as text; "" when it cannot be read. */
static int attr(const char *dir, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX];
	int err;

	buf[0] = '\0';
	err = fmt_buf(path, sizeof(path), "%s/%s", dir, name);
	if (!err)
		err = read_text(path, buf, size);
	if (err)
		buf[0] = '\0';
	return err;
}

static unsigned long long attr_ull(const char *dir, const char *name,
				   unsigned long long dflt)
{
	char buf[32], *end;
	unsigned long long v;

	if (attr(dir, name, buf, sizeof(buf)) || !buf[0])
		return dflt;
	v = strtoull(buf, &end, 10);
	return *end ? dflt : v;
}

/* "259:3" in dir/dev. */
static int attr_dev(const char *dir, dev_t *dev)
{
	unsigned int maj, min;
	char buf[32];

	if (attr(dir, "dev", buf, sizeof(buf)) ||
	    sscanf(buf, "%u:%u", &maj, &min) != 2)
		return -ENOENT;
	*dev = makedev(maj, min);
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* "nvme3n1" -> "ng3n1"; -EINVAL if disk is not an NVMe namespace name. */
int nvme_ng_name(const char *disk, char *ng, size_t size)
{
	unsigned int c, n;
	char tail;

	if (sscanf(disk, "nvme%un%u%c", &c, &n, &tail) != 2 ||
	    strspn(disk + 4, "0123456789n") != strlen(disk + 4))
		return -EINVAL;
	return fmt_buf(ng, size, "ng%un%u", c, n);
}

/* "ng3n1" -> "nvme3n1". */
int nvme_disk_of_ng(const char *ng, char *disk, size_t size)
{
	unsigned int c, n;
	char tail;

	if (sscanf(ng, "ng%un%u%c", &c, &n, &tail) != 2 ||
	    strspn(ng + 2, "0123456789n") != strlen(ng + 2))
		return -EINVAL;
	return fmt_buf(disk, size, "nvme%un%u", c, n);
}

/*
 * The word of the kernel command line that sets key ("swiotlb" finds
 * "swiotlb=force"); 1 if found (copied to word), 0 if not.
 */
int cmdline_word(const char *cmdline, const char *key, char *word,
		 size_t size)
{
	size_t klen = strlen(key), len;
	const char *p = cmdline;

	while (*p) {
		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(word, size, "%.*s", (int)len, p);
			return 1;
		}
		p += len;
	}
	word[0] = '\0';
	return 0;
}

/* Does "swiotlb=65536,force" (a cmdline_word) force bouncing? */
bool swiotlb_word_forces(const char *word)
{
	const char *v = strchr(word, '=');
	size_t len;

	for (v = v ? v + 1 : word; *v; v += len + (v[len] == ',')) {
		len = strcspn(v, ",");
		if (len == 5 && !strncmp(v, "force", 5))
			return true;
	}
	return false;
}

/* The path of an IOMMU group's default domain type, NULL if none. */
const char *dma_path_of_group(const char *type)
{
	for (int p = 0; p < PATH_COUNT; p++)
		if (path_group_type(p) && !strcmp(path_group_type(p), type))
			return path_names[p];
	return NULL;
}

/* The nearest PCI device at or above dir; "" if none. */
static void pci_ancestor(const char *dir, char *pci, size_t size)
{
	char cur[PATH_MAX], sub[PATH_MAX], name[64];

	pci[0] = '\0';
	snprintf(cur, sizeof(cur), "%s", dir);
	while (strlen(cur) > strlen("/sys/devices")) {
		if (!fmt_buf(sub, sizeof(sub), "%s/subsystem", cur) &&
		    !read_link_name(sub, name, sizeof(name)) &&
		    !strcmp(name, "pci")) {
			snprintf(pci, size, "%s", cur);
			return;
		}
		*strrchr(cur, '/') = '\0';
	}
}

/* The device whose buffers are mapped, and how: the IOMMU or its absence. */
static void dma_of_device(struct nvme_dma *m, const char *dev)
{
	char link[PATH_MAX], cmdline[4096], group[32];
	const char *path;

	snprintf(m->dma_dev, sizeof(m->dma_dev), "%s", dev);
	fmt_buf(link, sizeof(link), "%s/iommu_group", dev);
	if (!read_link_name(link, group, sizeof(group))) {
		m->iommu_group = atoi(group);
		attr(link, "type", m->group_type, sizeof(m->group_type));
		path = dma_path_of_group(m->group_type);
		if (path) {
			snprintf(m->path, sizeof(m->path), "%s", path);
			return;
		}
		snprintf(m->path, sizeof(m->path), "iommu-other");
		snprintf(m->note, sizeof(m->note),
			 "IOMMU group %d has domain type '%s', none of DMA, DMA-FQ, identity",
			 m->iommu_group, m->group_type);
		return;
	}
	if (read_text("/proc/cmdline", cmdline, sizeof(cmdline)))
		cmdline[0] = '\0';
	cmdline_word(cmdline, "swiotlb", m->cmdline_word, sizeof(m->cmdline_word));
	if (swiotlb_word_forces(m->cmdline_word)) {
		snprintf(m->path, sizeof(m->path), "%s", path_names[PATH_SWIOTLB]);
		return;
	}
	snprintf(m->path, sizeof(m->path), "%s", path_names[PATH_DIRECT]);
	snprintf(m->note, sizeof(m->note),
		 "no IOMMU group and no swiotlb=force: dma-direct (buffers beyond the device's DMA mask would still bounce)");
}

void nvme_fabric_note(const char *transport, int soft, const char *rdma_devs,
		      char *buf, size_t size)
{
	const char *map = "the host maps each request through its RDMA device (ib_dma_map_*)";

	buf[0] = '\0';
	if (!strcmp(transport, "rdma") && soft == 1)
		snprintf(buf, size,
			 "%s, here %s: soft RDMA, so that is no DMA mapping at all, and the DMA share says nothing of an RDMA NIC",
			 map, rdma_devs);
	else if (!strcmp(transport, "rdma") && soft == 0 && rdma_devs[0])
		snprintf(buf, size, "%s, here %s", map, rdma_devs);
	else if (!strcmp(transport, "rdma"))
		snprintf(buf, size,
			 "%s: over soft RDMA (rxe, siw) that is no DMA mapping at all, so the DMA share says nothing of an RDMA NIC",
			 map);
	else if (!strcmp(transport, "tcp"))
		snprintf(buf, size,
			 "the host's data goes through the network stack's own DMA mapping (the NIC's driver)");
	else if (!strcmp(transport, "loop"))
		snprintf(buf, size, "nvme-loop does no DMA mapping at all");
}

/*
 * Is the RDMA device under an nvme-rdma controller soft?  Which one it is
 * takes a route lookup to tell; but if every RDMA device here is soft, or
 * none is, so is it.  1, 0, or -1 when they differ or there are none;
 * their names, with what each soft one is, in names.
 */
static int rdma_devs_soft(char *names, size_t size)
{
	char dir[PATH_MAX], desc[72], parent[64], why[256], one[96];
	int n = 0, nsoft = 0;
	const char *kind;
	struct dirent *de;
	DIR *dh;

	names[0] = '\0';
	dh = opendir("/sys/class/infiniband");
	while (dh && (de = readdir(dh))) {
		struct rdma_facts f = { .name = de->d_name };

		if (de->d_name[0] == '.' ||
		    fmt_buf(dir, sizeof(dir), "/sys/class/infiniband/%s",
			    de->d_name))
			continue;
		attr(dir, "node_desc", desc, sizeof(desc));
		f.node_desc = desc;
		f.rxe_parent = !attr(dir, "parent", parent, sizeof(parent));
		rdma_classify(&f, &kind, why, sizeof(why));
		n++;
		nsoft += kind != NULL;
		snprintf(one, sizeof(one), "%.64s%s%s%s", de->d_name,
			 kind ? " (" : "", kind ? kind : "", kind ? ")" : "");
		if (strlen(names) + strlen(one) + 3 < size)
			snprintf(names + strlen(names), size - strlen(names),
				 "%s%s", n > 1 ? ", " : "", one);
	}
	if (dh)
		closedir(dh);
	if (!n || (nsoft && nsoft < n))
		return -1;
	return nsoft == n;
}

/* What the rows' notes say of the DMA share of a fabric's namespace. */
static void fabric_row_note(struct nvme_dev *d)
{
	char names[160] = "";
	int soft = -1;

	if (!strcmp(d->transport, "rdma"))
		soft = rdma_devs_soft(names, sizeof(names));
	nvme_fabric_note(d->transport, soft, names, d->dma.row_note,
			 sizeof(d->dma.row_note));
}

/* A multipath disk's first path: its hidden disk's controller. */
static int first_path_ctrl(struct nvme_dev *d, char ctrl[PATH_MAX])
{
	char dir[PATH_MAX], dev[PATH_MAX];
	struct dirent *de;
	DIR *dh;
	int err = -ENOENT;

	fmt_buf(dir, sizeof(dir), "%s/multipath", d->disk_sysfs);
	dh = opendir(dir);
	if (!dh)
		return -errno;
	while ((de = readdir(dh))) {
		if (de->d_name[0] == '.')
			continue;
		if (d->npaths++)
			continue;
		if (!fmt_buf(dev, sizeof(dev), "%s/%s/device", dir, de->d_name) &&
		    realpath(dev, ctrl))
			err = 0;
	}
	closedir(dh);
	return err;
}

static void dma_probe(struct nvme_dev *d)
{
	char dev[PATH_MAX], real[PATH_MAX], ctrl[PATH_MAX], pci[PATH_MAX];
	struct nvme_dma *m = &d->dma;

	m->iommu_group = -1;
	fmt_buf(dev, sizeof(dev), "%s/device", d->disk_sysfs);
	if (!realpath(dev, real)) {
		snprintf(m->path, sizeof(m->path), "none");
		snprintf(m->note, sizeof(m->note),
			 "%s has no device behind it (a loop, ram or null_blk disk): no DMA mapping is involved",
			 d->disk);
		return;
	}
	snprintf(ctrl, sizeof(ctrl), "%s", real);
	if (d->nvme && !strncmp(base_name(real), "nvme-subsys", 11)) {
		if (first_path_ctrl(d, ctrl)) {
			snprintf(m->path, sizeof(m->path), "unknown");
			snprintf(m->note, sizeof(m->note),
				 "multipath disk %s: no path controller found under multipath/",
				 d->disk);
			return;
		}
	}
	if (d->nvme) {
		fmt_buf(d->ctrl, sizeof(d->ctrl), "%s", base_name(ctrl));
		attr(ctrl, "transport", d->transport, sizeof(d->transport));
		if (d->transport[0] && strcmp(d->transport, "pcie")) {
			snprintf(m->path, sizeof(m->path), "fabric-%s", d->transport);
			snprintf(m->dma_dev, sizeof(m->dma_dev), "%s", ctrl);
			snprintf(m->note, sizeof(m->note), !strcmp(d->transport, "loop") ?
				 "NVMe over the loop transport: the target is in this kernel; no NVMe PCI function maps these buffers" :
				 "NVMe over %s: the host side maps these buffers through the %s transport driver and its adapter, not an NVMe PCI function",
				 d->transport, d->transport);
			fabric_row_note(d);
			return;
		}
		fmt_buf(dev, sizeof(dev), "%s/device", ctrl);
		if (!realpath(dev, real))
			snprintf(real, sizeof(real), "%s", ctrl);
	}
	pci_ancestor(real, pci, sizeof(pci));
	if (pci[0])
		snprintf(m->pci, sizeof(m->pci), "%s", base_name(pci));
	dma_of_device(m, pci[0] ? pci : real);
	if (d->npaths > 1) {
		size_t len = strlen(m->note);

		snprintf(m->note + len, sizeof(m->note) - len,
			 "%smultipath: %d paths, the first (%s) read", len ? "; " : "",
			 d->npaths, d->ctrl);
	}
}

/* The block device behind a char device: only NVMe generic ones. */
static int probe_char(struct nvme_dev *d, const struct stat *st, bool passthru,
		      char *err, size_t errsz)
{
	char link[PATH_MAX], sub[PATH_MAX + 16], class[32], name[64];

	if (!passthru) {
		snprintf(err, errsz,
			 "%s is a character device: give the block device (/dev/nvme0n1), or add --passthru to drive an NVMe generic device (/dev/ng0n1)",
			 d->arg);
		return -EINVAL;
	}
	fmt_buf(link, sizeof(link), "/sys/dev/char/%u:%u", major(st->st_rdev),
		minor(st->st_rdev));
	snprintf(sub, sizeof(sub), "%s/subsystem", link);
	if (read_link_name(sub, class, sizeof(class)) ||
	    strcmp(class, "nvme-generic") ||
	    read_link_name(link, name, sizeof(name)) ||
	    nvme_disk_of_ng(name, d->disk, sizeof(d->disk))) {
		snprintf(err, errsz,
			 "%s is not an NVMe generic char device (/dev/ngXnY)", d->arg);
		return -EINVAL;
	}
	snprintf(d->ng, sizeof(d->ng), "%s", d->arg);
	snprintf(d->name, sizeof(d->name), "%s", d->disk);
	fmt_buf(d->sysfs, sizeof(d->sysfs), "/sys/class/block/%s", d->disk);
	if (attr_dev(d->sysfs, &d->rdev)) {
		snprintf(err, errsz,
			 "%s: no block device %s beside it, which the checks need",
			 d->arg, d->disk);
		return -ENODEV;
	}
	snprintf(d->disk_sysfs, sizeof(d->disk_sysfs), "%s", d->sysfs);
	fmt_buf(d->blkdev, sizeof(d->blkdev), "/dev/%s", d->disk);
	return 0;
}

/* The generic char device of a namespace, for --passthru. */
static void find_ng(struct nvme_dev *d)
{
	char ng[64], sys[PATH_MAX];
	struct stat st;

	if (nvme_ng_name(d->disk, ng, sizeof(ng))) {
		snprintf(d->ng_why, sizeof(d->ng_why),
			 "%s is not an NVMe namespace (it has no generic char device)",
			 d->disk);
		return;
	}
	fmt_buf(sys, sizeof(sys), "/sys/class/nvme-generic/%s", ng);
	fmt_buf(d->ng, sizeof(d->ng), "/dev/%s", ng);
	if (!path_exists(sys)) {
		snprintf(d->ng_why, sizeof(d->ng_why),
			 "no /dev/%s: this kernel has no NVMe generic char devices (5.13 or later has them)",
			 ng);
		d->ng[0] = '\0';
	} else if (stat(d->ng, &st) || !S_ISCHR(st.st_mode)) {
		snprintf(d->ng_why, sizeof(d->ng_why),
			 "%s is in sysfs but /dev/%s is missing (is devtmpfs or udev running?)",
			 ng, ng);
		d->ng[0] = '\0';
	}
}

static int probe_block(struct nvme_dev *d, const struct stat *st, bool passthru,
		       char *err, size_t errsz)
{
	char link[PATH_MAX], real[PATH_MAX];

	fmt_buf(link, sizeof(link), "/sys/dev/block/%u:%u", major(st->st_rdev),
		minor(st->st_rdev));
	if (!realpath(link, real)) {
		snprintf(err, errsz, "%s: not in sysfs (%s)", d->arg, link);
		return -ENODEV;
	}
	d->rdev = st->st_rdev;
	snprintf(d->blkdev, sizeof(d->blkdev), "%s", d->arg);
	if (fmt_buf(d->name, sizeof(d->name), "%s", base_name(real))) {
		snprintf(err, errsz, "%s: its name is too long", d->arg);
		return -ENAMETOOLONG;
	}
	snprintf(d->sysfs, sizeof(d->sysfs), "%s", real);
	d->partition = attr_ull(real, "partition", 0) > 0;
	if (d->partition)
		*strrchr(real, '/') = '\0';
	fmt_buf(d->disk, sizeof(d->disk), "%s", base_name(real));
	snprintf(d->disk_sysfs, sizeof(d->disk_sysfs), "%s", real);
	if (passthru && d->partition) {
		snprintf(err, errsz,
			 "--passthru drives the whole namespace: give /dev/%s, not its partition %s",
			 d->disk, d->arg);
		return -EINVAL;
	}
	if (passthru)
		find_ng(d);
	return 0;
}

/* The namespace ID: the kernel's answer on the char device, else sysfs. */
static void find_nsid(struct nvme_dev *d)
{
	int fd, id;

	d->nsid = attr_ull(d->disk_sysfs, "nsid", 0);
	if (!d->ng[0])
		return;
	fd = open(d->ng, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	id = ioctl(fd, NVME_IOCTL_ID);
	if (id > 0)
		d->nsid = id;
	close(fd);
}

int nvme_dev_probe(const char *arg, bool passthru, struct nvme_dev *d,
		   char *err, size_t errsz)
{
	char q[PATH_MAX], dev[PATH_MAX];
	struct stat st;
	int ret;

	memset(d, 0, sizeof(*d));
	snprintf(d->arg, sizeof(d->arg), "%s", arg);
	if (stat(arg, &st) < 0) {
		ret = -errno;
		snprintf(err, errsz, "%s: %s", arg, strerror(-ret));
		return ret;
	}
	if (S_ISCHR(st.st_mode))
		ret = probe_char(d, &st, passthru, err, errsz);
	else if (S_ISBLK(st.st_mode))
		ret = probe_block(d, &st, passthru, err, errsz);
	else {
		snprintf(err, errsz,
			 "%s is not a block device: dmabench nvme drives block devices (/dev/nvme0n1)%s, not files",
			 arg, passthru ? " or NVMe generic char devices (/dev/ng0n1)" : "");
		ret = -EINVAL;
	}
	if (ret)
		return ret;
	d->nvme = !strncmp(d->disk, "nvme", 4);
	d->size = attr_ull(d->sysfs, "size", 0) * 512;
	fmt_buf(q, sizeof(q), "%s/queue", d->disk_sysfs);
	d->lbs = attr_ull(q, "logical_block_size", 512);
	d->max_hw_kb = attr_ull(q, "max_hw_sectors_kb", 0);
	d->nr_requests = attr_ull(q, "nr_requests", 0);
	d->io_poll = (int)attr_ull(q, "io_poll", (unsigned long long)-1);
	fmt_buf(dev, sizeof(dev), "%s/device", d->disk_sysfs);
	attr(dev, "model", d->model, sizeof(d->model));
	attr(dev, "firmware_rev", d->firmware, sizeof(d->firmware));
	attr(dev, "serial", d->serial, sizeof(d->serial));
	dma_probe(d);
	find_nsid(d);
	return 0;
}

int nvme_dev_poll_check(const struct nvme_dev *d, char *why, size_t whysz)
{
	char pq[32];

	if (d->io_poll == 1)
		return 0;
	if (!d->nvme) {
		snprintf(why, whysz,
			 "%s cannot be polled: its driver offers no poll queues (queue/io_poll is %d)",
			 d->disk, d->io_poll);
		return -EOPNOTSUPP;
	}
	if (d->transport[0] && strcmp(d->transport, "pcie")) {
		snprintf(why, whysz,
			 "%s has no poll queues (queue/io_poll is 0): reconnect it with nvme connect --nr-poll-queues=N",
			 d->disk);
		return -EOPNOTSUPP;
	}
	if (read_text("/sys/module/nvme/parameters/poll_queues", pq, sizeof(pq)))
		snprintf(pq, sizeof(pq), "unknown");
	snprintf(why, whysz,
		 "%s has no poll queues (queue/io_poll is 0, nvme poll_queues=%s): modprobe nvme poll_queues=N (or nvme.poll_queues=N on the kernel command line)",
		 d->disk, pq);
	return -EOPNOTSUPP;
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

static int refuse_mounted(const struct nvme_dev *d, const struct dev_id *ids,
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

static int refuse_partitions(const struct nvme_dev *d, const struct dev_id *ids,
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

static int refuse_holders(const struct nvme_dev *d, char *err, size_t errsz)
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

static int refuse_signature(const struct nvme_dev *d, char *err, size_t errsz)
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

static int refuse_busy(const struct nvme_dev *d, char *err, size_t errsz)
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

int nvme_dev_write_check(const struct nvme_dev *d, char *err, size_t errsz)
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

static void json_attr(struct json *j, const char *key, const char *dir,
		      const char *name)
{
	char buf[256];

	if (attr(dir, name, buf, sizeof(buf)))
		json_null(j, key);
	else
		json_str(j, key, buf);
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

/* The hardware queues of the disk (/sys/block/X/mq/N), in order. */
static void json_mq(struct json *j, const struct nvme_dev *d)
{
	unsigned int q[1024], n = 0;
	char dir[PATH_MAX], sub[PATH_MAX + 16];
	struct dirent *de;
	DIR *dh;

	fmt_buf(dir, sizeof(dir), "%s/mq", d->disk_sysfs);
	dh = opendir(dir);
	while (dh && (de = readdir(dh)) && n < ARRAY_SIZE(q))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			q[n++] = strtoul(de->d_name, NULL, 10);
	if (dh)
		closedir(dh);
	qsort(q, n, sizeof(*q), cmp_uint);
	json_arr_begin(j, "hw_queues");
	for (unsigned int i = 0; i < n; i++) {
		snprintf(sub, sizeof(sub), "%s/%u", dir, q[i]);
		json_obj_begin(j, NULL);
		json_u64(j, "queue", q[i]);
		json_attr(j, "cpu_list", sub, "cpu_list");
		json_attr(j, "nr_tags", sub, "nr_tags");
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void json_dma(struct json *j, const struct nvme_dma *m)
{
	json_obj_begin(j, "dma");
	json_str(j, "path", m->path);
	json_str(j, "note", m->note);
	if (m->row_note[0])
		json_str(j, "row_note", m->row_note);
	json_str(j, "dma_device", m->dma_dev);
	json_str(j, "pci", m->pci);
	if (m->iommu_group >= 0) {
		json_int(j, "iommu_group", m->iommu_group);
		json_str(j, "group_type", m->group_type);
	} else {
		json_null(j, "iommu_group");
		json_str(j, "cmdline", m->cmdline_word);
	}
	json_obj_end(j);
}

/* Where the points ran, for each point's JSON: "device", "nvme_module", "dma". */
void nvme_dev_json(struct json *j, const struct nvme_dev *d)
{
	char buf[32], q[PATH_MAX];

	json_obj_begin(j, "device");
	json_str(j, "given", d->arg);
	json_str(j, "block_device", d->blkdev);
	json_str(j, "name", d->name);
	json_str(j, "disk", d->disk);
	json_bool(j, "partition", d->partition);
	snprintf(buf, sizeof(buf), "%u:%u", major(d->rdev), minor(d->rdev));
	json_str(j, "dev", buf);
	json_u64(j, "size", d->size);
	json_u64(j, "logical_block_size", d->lbs);
	json_u64(j, "max_hw_sectors_kb", d->max_hw_kb);
	json_u64(j, "nr_requests", d->nr_requests);
	json_int(j, "io_poll", d->io_poll);
	json_str(j, "model", d->model);
	json_str(j, "firmware_rev", d->firmware);
	json_str(j, "serial", d->serial);
	json_str(j, "controller", d->ctrl);
	json_str(j, "transport", d->transport);
	json_str(j, "pci", d->dma.pci);
	if (d->npaths)
		json_int(j, "multipath_paths", d->npaths);
	json_u64(j, "nsid", d->nsid);
	json_str(j, "char_device", d->ng);
	if (d->ng_why[0])
		json_str(j, "char_device_missing", d->ng_why);
	fmt_buf(q, sizeof(q), "%s/queue", d->disk_sysfs);
	json_attr(j, "scheduler", q, "scheduler");
	json_attr(j, "rq_affinity", q, "rq_affinity");
	json_attr(j, "nomerges", q, "nomerges");
	json_mq(j, d);
	json_obj_end(j);
	json_obj_begin(j, "nvme_module");
	json_attr(j, "poll_queues", "/sys/module/nvme/parameters", "poll_queues");
	json_attr(j, "write_queues", "/sys/module/nvme/parameters", "write_queues");
	json_attr(j, "io_queue_depth", "/sys/module/nvme/parameters",
		  "io_queue_depth");
	json_obj_end(j);
	json_dma(j, &d->dma);
}
