// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench repair: what a dmabench killed by SIGKILL (or a crash) left
 * behind, put back: each PCI device it had lent to dmabench.ko (from the
 * ledgers pcibind.c keeps), the module itself, unloaded when nothing
 * holds it, and the huge page pool's size (hugebuf.c's ledger).  Says
 * what it fixed.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cmd.h"
#include "hugebuf.h"
#include "ledger.h"
#include "pcibind.h"
#include "util.h"

static const char usage[] =
"usage: dmabench repair\n"
"\n"
"After a dmabench (or scripts/micro.sh) killed by SIGKILL: give every PCI\n"
"device it had lent to the dmabench module back to its driver, with its\n"
"IOMMU group's type as it was (from the ledgers in $DMABENCH_STATE_DIR,\n"
"default /run/dmabench, written before the first change), then unload the\n"
"module if nothing holds it, and put the huge page pool (--hugepages of the\n"
"workloads) back to its size.  A device whose dmabench still runs is left\n"
"alone.  Prints what it fixed, or that there was nothing to fix.  Exit 0\n"
"when everything is as it was, 1 when something could not be restored.\n"
"\n"
"  -h, --help    this text\n";

static int repair_devices(unsigned int *fixed)
{
	const char *dir = ledger_dir();
	char path[PATH_MAX];
	struct dirent *de;
	int ret = 0, err;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "pci-", 4))
			continue;
		if (fmt_buf(path, sizeof(path), "%s/%s", dir, de->d_name))
			continue;
		err = pcibind_repair(path, fixed);
		ret = ret ? ret : err;
	}
	closedir(d);
	return ret;
}

/* Unload dmabench.ko if it is loaded and nothing holds it. */
static int repair_module(unsigned int *fixed)
{
	char refcnt[16];

	if (!path_exists("/sys/module/dmabench"))
		return 0;
	if (!read_text("/sys/module/dmabench/refcnt", refcnt, sizeof(refcnt)) &&
	    strcmp(refcnt, "0")) {
		printf("dmabench module: held (refcnt %s): a dmabench still runs? left loaded\n",
		       refcnt);
		return 0;
	}
	if (syscall(SYS_delete_module, "dmabench", O_NONBLOCK) < 0) {
		warn("dmabench module: cannot unload it");
		return -errno;
	}
	printf("dmabench module: was loaded and unused: unloaded\n");
	(*fixed)++;
	return 0;
}

int cmd_repair(int argc, char **argv)
{
	unsigned int fixed = 0;
	int err, err2;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "dmabench: repair takes no %s: '%s' (see dmabench repair --help)\n",
			argv[1][0] == '-' ? "options but --help" : "arguments",
			argv[1]);
		return EXIT_USAGE;
	}
	err = repair_devices(&fixed);
	if (err && err != -EIO && err != -EINVAL && err != -ENOENT)
		warnx("%s: %s", ledger_dir(), strerror(-err));
	err2 = repair_module(&fixed);
	if (!err2)
		err2 = hugebuf_pool_repair(&fixed);
	if (!err && !err2 && fixed)
		printf("repaired: %u change%s undone\n", fixed,
		       fixed == 1 ? "" : "s");
	else if (!err && !err2)
		printf("nothing to repair\n");
	return err || err2 ? 1 : 0;
}
