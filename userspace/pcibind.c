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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Look at the device and remember its state; changes nothing. */
int pcibind_open(struct pcibind *pb, const char *bdf)
{
	char path[128], name[32];
	int err;

	memset(pb, 0, sizeof(*pb));
	pb->group = -1;
	snprintf(pb->bdf, sizeof(pb->bdf), "%s", bdf);
	err = fmt_buf(pb->dir, sizeof(pb->dir), PCI_DEVICES "/%s", bdf);
	if (err || !path_exists(pb->dir)) {
		warnx("--pci %s: no such PCI device (see lspci -D)", bdf);
		return -ENODEV;
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
	return ret;
}
