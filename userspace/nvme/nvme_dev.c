// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench nvme: the device.  What it is (block device or NVMe generic
 * char device), its namespace, controller and limits; the DMA path its
 * buffers take, read from sysfs and the kernel command line, never
 * assumed (dmapath.c); whether it may be polled; the checks that must
 * all pass before anything is written to it (blkcheck.c); and all of
 * that for the record.
 */
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

#include "blkcheck.h"
#include "dmapath.h"
#include "json.h"
#include "names.h"
#include "nvme.h"
#include "util.h"

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
	struct dma_facts f = { .has_device = true };
	char link[PATH_MAX], cmdline[4096], group[32];
	const char *soft;

	snprintf(m->dma_dev, sizeof(m->dma_dev), "%s", dev);
	fmt_buf(link, sizeof(link), "%s/iommu_group", dev);
	if (!read_link_name(link, group, sizeof(group))) {
		m->iommu_group = atoi(group);
		attr(link, "type", m->group_type, sizeof(m->group_type));
		f.group_type = m->group_type;
	}
	/* Without a group, swiotlb=force decides; it is recorded then. */
	if (!f.group_type) {
		if (read_text("/proc/cmdline", cmdline, sizeof(cmdline)))
			cmdline[0] = '\0';
		cmdline_word(cmdline, "swiotlb", m->cmdline_word,
			     sizeof(m->cmdline_word));
		f.cmdline = cmdline;
	}
	snprintf(m->path, sizeof(m->path), "%s",
		 dma_path_classify(&f, &soft, m->note, sizeof(m->note)));
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
		struct dma_facts f = { .name = de->d_name };

		if (de->d_name[0] == '.' ||
		    fmt_buf(dir, sizeof(dir), "/sys/class/infiniband/%s",
			    de->d_name))
			continue;
		attr(dir, "node_desc", desc, sizeof(desc));
		f.node_desc = desc;
		f.rxe_parent = !attr(dir, "parent", parent, sizeof(parent));
		dma_path_classify(&f, &kind, why, sizeof(why));
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

int nvme_dev_write_check(const struct nvme_dev *d, char *err, size_t errsz)
{
	const struct blk_target t = {
		.arg = d->arg, .blkdev = d->blkdev, .name = d->name,
		.sysfs = d->sysfs, .rdev = d->rdev, .partition = d->partition,
	};

	return blk_write_check(&t, err, errsz);
}

static void json_attr(struct json *j, const char *key, const char *dir,
		      const char *name)
{
	char buf[256];

	if (attr(dir, name, buf, sizeof(buf)))
		json_none(j, key);
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
		json_none(j, "iommu_group");
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
