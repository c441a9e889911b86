// SPDX-License-Identifier: GPL-2.0
/*
 * Lending a spare PCI device to dmabench.ko and giving it back.
 *
 * To bind: remember the device's driver, unbind it, write "dmabench" to
 * driver_override and the address to the dmabench driver's bind file.
 * An IOMMU group's default domain type can only change while no driver
 * is bound, so set_type unbinds, writes the type and binds again.
 * restore undoes whatever was done, in the reverse order.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger.h"
#include "pcibind.h"
#include "util.h"

#define PCI_DEVICES	"/sys/bus/pci/devices"
#define PCI_DRIVERS	"/sys/bus/pci/drivers"
#define DRIVER		"dmabench"
#define DRIVER_DIR	PCI_DRIVERS "/" DRIVER

/* Write text to dir/name (dir may be NULL), saying what failed. */
static int sysfs_write(const char *dir, const char *name, const char *text,
		       const char *hint)
{
	char path[256];
	const char *shown;
	int err;

	err = dir ? fmt_buf(path, sizeof(path), "%s/%s", dir, name) :
		    fmt_buf(path, sizeof(path), "%s", name);
	if (!err)
		err = write_text(path, text);
	if (err) {
		shown = strcmp(text, "\n") ? text : "\\n";
		warnx("writing '%s' to %s: %s%s%s", shown, path, strerror(-err),
		      hint ? ": " : "", hint ? hint : "");
	}
	return err;
}

static int current_driver(struct pcibind *pb, char *buf, size_t size)
{
	char path[128];
	int err;

	err = fmt_buf(path, sizeof(path), "%s/driver", pb->dir);
	if (!err)
		err = read_link_name(path, buf, size);
	if (err == -ENOENT) {
		buf[0] = '\0';
		err = 0;
	}
	return err;
}

static int group_type(struct pcibind *pb, char *buf, size_t size)
{
	char path[128];
	int err;

	err = fmt_buf(path, sizeof(path), "%s/iommu_group/type", pb->dir);
	return err ? err : read_text(path, buf, size);
}

/* Its ledger (ledger.h) is called pci-<bdf>. */
static int ledger_name(const char *bdf, char *name, size_t size)
{
	return fmt_buf(name, size, "pci-%s", bdf);
}

/* Look at the device and remember its state; changes nothing. */
int pcibind_open(struct pcibind *pb, const char *bdf)
{
	char path[PATH_MAX], name[32];
	int err;

	memset(pb, 0, sizeof(*pb));
	pb->group = -1;
	snprintf(pb->bdf, sizeof(pb->bdf), "%s", bdf);
	err = fmt_buf(pb->dir, sizeof(pb->dir), PCI_DEVICES "/%s", bdf);
	if (err || !path_exists(pb->dir)) {
		warnx("--pci %s: no such PCI device (see lspci -D)", bdf);
		return -ENODEV;
	}
	err = ledger_name(bdf, name, sizeof(name));
	if (!err)
		err = ledger_path(name, path, sizeof(path));
	if (!err && path_exists(path)) {
		warnx("%s: %s says a dmabench lent it and did not give it back (killed?): run 'dmabench repair' first",
		      bdf, path);
		return -EBUSY;
	}
	err = current_driver(pb, pb->orig_driver, sizeof(pb->orig_driver));
	if (err) {
		warnx("%s: cannot read its driver: %s", bdf, strerror(-err));
		return err;
	}
	if (!strcmp(pb->orig_driver, DRIVER)) {
		warnx("%s is bound to dmabench already (left over from an earlier run?); it will be left without a driver",
		      bdf);
		pb->orig_driver[0] = '\0';
		pb->override_set = true;
		pb->bound = true;
	}
	err = fmt_buf(path, sizeof(path), "%s/iommu_group", pb->dir);
	if (!err && !read_link_name(path, name, sizeof(name))) {
		pb->group = atoi(name);
		err = group_type(pb, pb->orig_type, sizeof(pb->orig_type));
		if (err) {
			warnx("%s: cannot read the type of IOMMU group %d: %s",
			      bdf, pb->group, strerror(-err));
			return err;
		}
	}
	return 0;
}

int pcibind_ledger_fmt(const struct pcibind *pb, int pid, char *buf,
		       size_t size)
{
	return fmt_buf(buf, size,
		       "bdf=%s\norig_driver=%s\norig_type=%s\ngroup=%d\npid=%d\n",
		       pb->bdf, pb->orig_driver, pb->orig_type, pb->group, pid);
}

/* The value of key in text's "key=value" lines into buf; 0 or -ENOENT. */
int pcibind_ledger_parse(const char *text, struct pcibind *pb, int *pid)
{
	char num[24];
	char *end;
	long v;

	memset(pb, 0, sizeof(*pb));
	if (ledger_get(text, "bdf", pb->bdf, sizeof(pb->bdf)) || !pb->bdf[0] ||
	    strchr(pb->bdf, '/') || pb->bdf[0] == '.' ||
	    ledger_get(text, "orig_driver", pb->orig_driver,
		       sizeof(pb->orig_driver)) ||
	    ledger_get(text, "orig_type", pb->orig_type,
		       sizeof(pb->orig_type)) ||
	    ledger_get(text, "group", num, sizeof(num)))
		return -EINVAL;
	v = strtol(num, &end, 10);
	if (*end || v < -1 || v > 1000000)
		return -EINVAL;
	pb->group = v;
	if (ledger_pid(text, pid))
		return -EINVAL;
	return fmt_buf(pb->dir, sizeof(pb->dir), PCI_DEVICES "/%s", pb->bdf);
}

/* Before the first change: what to give back, should we be killed. */
static void pb_ledger_write(struct pcibind *pb)
{
	char name[32], text[256];
	int err;

	if (pb->ledger)
		return;
	err = ledger_name(pb->bdf, name, sizeof(name));
	if (!err)
		err = pcibind_ledger_fmt(pb, getpid(), text, sizeof(text));
	if (!err)
		err = ledger_write(name, text);
	if (err) {
		warnx("%s/%s: cannot record what to restore should this be killed: %s",
		      ledger_dir(), name, strerror(-err));
		return;
	}
	pb->ledger = true;
}

static void pb_ledger_remove(struct pcibind *pb)
{
	char name[32];

	if (pb->ledger && !ledger_name(pb->bdf, name, sizeof(name)))
		ledger_remove(name);
	pb->ledger = false;
}

/*
 * Take the device from whatever driver has it, and let only dmabench
 * take it from now on.  Its IOMMU group type can change after this.
 */
static int claim(struct pcibind *pb)
{
	char drv[64];
	int err;

	if (!path_exists(DRIVER_DIR)) {
		warnx("no PCI driver 'dmabench' (%s missing): the module is not loaded, or was built without PCI support",
		      DRIVER_DIR);
		return -ENOENT;
	}
	err = current_driver(pb, drv, sizeof(drv));
	if (err)
		return err;
	pb_ledger_write(pb);
	if (drv[0] && strcmp(drv, DRIVER)) {
		err = sysfs_write(pb->dir, "driver/unbind", pb->bdf, NULL);
		if (err)
			return err;
		pb->orig_unbound = true;
	}
	if (!pb->override_set) {
		err = sysfs_write(pb->dir, "driver_override", DRIVER, NULL);
		if (err)
			return err;
		pb->override_set = true;
	}
	return 0;
}

int pcibind_bind(struct pcibind *pb)
{
	int err;

	if (pb->bound)
		return 0;
	err = claim(pb);
	if (err)
		return err;
	err = sysfs_write(NULL, DRIVER_DIR "/bind", pb->bdf,
			  "see dmesg for why dmabench did not take it");
	if (err)
		return err;
	pb->bound = true;
	return 0;
}

int pcibind_unbind(struct pcibind *pb)
{
	int err;

	if (!pb->bound)
		return 0;
	err = sysfs_write(NULL, DRIVER_DIR "/unbind", pb->bdf, NULL);
	if (!err)
		pb->bound = false;
	return err;
}

/* Switch the group's default domain to type and bind to dmabench again. */
int pcibind_set_type(struct pcibind *pb, const char *type)
{
	char now[32];
	int err;

	if (pb->group < 0)
		return -ENODEV;
	err = claim(pb);
	if (!err)
		err = pcibind_unbind(pb);
	if (err)
		return err;
	err = group_type(pb, now, sizeof(now));
	if (err)
		return err;
	if (strcmp(now, type)) {
		err = sysfs_write(pb->dir, "iommu_group/type", type,
				  "every device of the group must be unbound, and the IOMMU driver must offer this type");
		if (err)
			return err;
		pb->type_changed = strcmp(type, pb->orig_type) != 0;
	}
	return pcibind_bind(pb);
}

/* Undo everything, best effort; returns the first error. */
int pcibind_restore(struct pcibind *pb)
{
	char drv[64];
	int err, ret = 0;

	err = pcibind_unbind(pb);
	ret = ret ? ret : err;
	if (pb->type_changed) {
		err = sysfs_write(pb->dir, "iommu_group/type", pb->orig_type, NULL);
		if (!err)
			pb->type_changed = false;
		ret = ret ? ret : err;
	}
	if (pb->override_set) {
		err = sysfs_write(pb->dir, "driver_override", "\n", NULL);
		if (!err)
			pb->override_set = false;
		ret = ret ? ret : err;
	}
	if (pb->orig_unbound) {
		err = sysfs_write(NULL, "/sys/bus/pci/drivers_probe", pb->bdf, NULL);
		if (!err)
			pb->orig_unbound = false;
		ret = ret ? ret : err;
		if (!err && !current_driver(pb, drv, sizeof(drv)) &&
		    strcmp(drv, pb->orig_driver)) {
			warnx("%s: was bound to %s, now to %s after re-probing",
			      pb->bdf, pb->orig_driver, drv[0] ? drv : "no driver");
			ret = ret ? ret : -EIO;
		}
	}
	if (!ret)
		pb_ledger_remove(pb);
	return ret;
}

/* Is pid a live dmabench (not a process that took its number since)? */
int pcibind_repair(const char *path, unsigned int *fixed)
{
	char text[512], drv[64], now[32], over[64], opath[128];
	struct pcibind pb;
	unsigned int n;
	int pid, err;

	err = read_text(path, text, sizeof(text));
	if (!err)
		err = pcibind_ledger_parse(text, &pb, &pid);
	if (err) {
		warnx("%s: not a ledger dmabench wrote (%s): left alone", path,
		      strerror(-err));
		return err;
	}
	if (ledger_owner_alive(pid)) {
		printf("%s: in use by dmabench (pid %d): left alone\n", pb.bdf, pid);
		return 0;
	}
	if (!path_exists(pb.dir)) {
		printf("%s: no longer there; its ledger removed\n", pb.bdf);
		unlink(path);
		return 0;
	}
	pb.ledger = true;
	err = current_driver(&pb, drv, sizeof(drv));
	if (err)
		return err;
	pb.bound = !strcmp(drv, DRIVER);
	pb.orig_unbound = pb.orig_driver[0] && strcmp(drv, pb.orig_driver);
	pb.override_set = !fmt_buf(opath, sizeof(opath), "%s/driver_override",
				   pb.dir) &&
			  !read_text(opath, over, sizeof(over)) &&
			  !strcmp(over, DRIVER);
	pb.type_changed = pb.group >= 0 && !group_type(&pb, now, sizeof(now)) &&
			  strcmp(now, pb.orig_type);
	if (pb.bound)
		printf("%s: bound to dmabench: unbinding it\n", pb.bdf);
	if (pb.type_changed)
		printf("%s: IOMMU group %d is %s: back to %s\n", pb.bdf, pb.group,
		       now, pb.orig_type);
	if (pb.override_set)
		printf("%s: driver_override is dmabench: clearing it\n", pb.bdf);
	if (pb.orig_unbound)
		printf("%s: was bound to %s, now to %s: binding it back\n",
		       pb.bdf, pb.orig_driver, drv[0] ? drv : "no driver");
	n = pb.bound + pb.type_changed + pb.override_set + pb.orig_unbound;
	*fixed += n;
	err = pcibind_restore(&pb);
	if (err)
		warnx("%s: not fully restored (see above); the ledger %s stays",
		      pb.bdf, path);
	else if (!n)
		printf("%s: as it was before dmabench; its ledger removed\n",
		       pb.bdf);
	return err;
}
