// SPDX-License-Identifier: GPL-2.0
/*
 * Run directory names, durations, kernel config lines, path expectations.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "names.h"
#include "pcibind.h"
#include "progress.h"
#include "results.h"
#include "sysinfo.h"
#include "tap.h"
#include "util.h"

static void names(void)
{
	char buf[128];

	rundir_name(buf, sizeof(buf), 1700000000, "6.18.0-rc1+", 0xabc123);
	is_str(buf, "20231114-221320-6.18.0-rc1+-abc123", "run directory name");
	rundir_name(buf, sizeof(buf), 0, "a/b c", 1);
	is_str(buf, "19700101-000000-a_b_c-000001", "release made path-safe");
}

static void durations(void)
{
	char buf[32];

	fmt_duration(buf, sizeof(buf), 42.4);
	is_str(buf, "42s", "seconds");
	fmt_duration(buf, sizeof(buf), 160);
	is_str(buf, "2m40s", "minutes");
	fmt_duration(buf, sizeof(buf), 3900);
	is_str(buf, "1h05m", "hours");
}

static void kconfig(void)
{
	char l1[] = "CONFIG_IOMMU_DEFAULT_DMA_LAZY=y\n";
	char l2[] = "# CONFIG_SWIOTLB_DYNAMIC is not set\n";
	char l3[] = "# a comment\n";
	char *name, *value;

	ok(!kconfig_parse_line(l1, &name, &value) &&
	   !strcmp(name, "CONFIG_IOMMU_DEFAULT_DMA_LAZY") && !strcmp(value, "y"),
	   "set option");
	ok(!kconfig_parse_line(l2, &name, &value) &&
	   !strcmp(name, "CONFIG_SWIOTLB_DYNAMIC") && !value, "unset option");
	ok(kconfig_parse_line(l3, &name, &value) != 0, "comment skipped");
	ok(kconfig_selected("CONFIG_HZ_1000"), "HZ kept");
	ok(kconfig_selected("CONFIG_MITIGATION_RETPOLINE"), "MITIGATION kept");
	ok(kconfig_selected("CONFIG_PREEMPT_DYNAMIC"), "PREEMPT kept");
	ok(!kconfig_selected("CONFIG_EXT4_FS"), "EXT4_FS dropped");
}

static void expectations(void)
{
	is_int(path_expected_observed(PATH_IOMMU_LAZY, DMABENCH_API_PHYS),
	       DMABENCH_OBS_IOVA, "phys on iommu-lazy: iova");
	is_int(path_expected_observed(PATH_IOMMU_IDENTITY, DMABENCH_API_PAGE),
	       DMABENCH_OBS_DIRECT, "page on iommu-identity: direct");
	is_int(path_expected_observed(PATH_SWIOTLB, DMABENCH_API_SG),
	       DMABENCH_OBS_BOUNCED, "sg on swiotlb: bounced");
	is_int(path_expected_observed(PATH_DIRECT, DMABENCH_API_RESOURCE), -1,
	       "resource: no expectation");
	is_str(path_group_type(PATH_IOMMU_STRICT), "DMA", "strict is type DMA");
	is_str(path_group_type(PATH_IOMMU_LAZY), "DMA-FQ", "lazy is type DMA-FQ");
}

static void command_line(void)
{
	char *argv[] = { "dmabench", "micro", "--note", "qemu=-icount shift=0",
			 "--note", "it's", "" };
	char *s = join_args(7, argv);

	is_str(s, "dmabench micro --note 'qemu=-icount shift=0' --note 'it'\\''s' ''",
	       "command line joined, shell-quoted where needed");
	free(s);
}

/* The ledger a lent PCI device leaves for dmabench repair. */
static void ledger(void)
{
	struct pcibind pb = { .bdf = "0000:00:10.0", .orig_driver = "",
			      .orig_type = "DMA-FQ", .group = 7 }, back;
	char text[256], dir[] = "/tmp/dmabench-ledger-XXXXXX", path[PATH_MAX];
	unsigned int fixed = 0;
	int pid = 0;
	FILE *f;

	ok(!pcibind_ledger_fmt(&pb, 4242, text, sizeof(text)), "ledger written");
	ok(!pcibind_ledger_parse(text, &back, &pid), "ledger read back");
	is_str(back.bdf, "0000:00:10.0", "ledger: bdf");
	is_str(back.orig_driver, "", "ledger: no driver");
	is_str(back.orig_type, "DMA-FQ", "ledger: group type");
	is_int(back.group, 7, "ledger: group");
	is_int(pid, 4242, "ledger: pid");
	is_str(back.dir, "/sys/bus/pci/devices/0000:00:10.0", "ledger: sysfs dir");
	ok(pcibind_ledger_parse("bdf=../x\norig_driver=\norig_type=\ngroup=1\npid=2\n",
				&back, &pid), "ledger: a bdf with a slash refused");
	ok(pcibind_ledger_parse("bdf=0000:00:10.0\n", &back, &pid),
	   "ledger: a truncated one refused");
	if (!ok(mkdtemp(dir) != NULL, "ledger dir"))
		return;
	setenv("DMABENCH_STATE_DIR", dir, 1);
	snprintf(path, sizeof(path), "%s/pci-0000:ff:1f.7", dir);
	snprintf(pb.bdf, sizeof(pb.bdf), "0000:ff:1f.7");
	pcibind_ledger_fmt(&pb, 999999999, text, sizeof(text));
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	is_int(pcibind_repair(path, &fixed), 0,
	       "repair: a device no longer there, its writer dead");
	ok(access(path, F_OK) != 0, "repair: its ledger removed");
	is_int(fixed, 0, "repair: nothing changed on the machine");
	unsetenv("DMABENCH_STATE_DIR");
	rmdir(dir);
}

void test_misc(void)
{
	ledger();
	names();
	command_line();
	durations();
	kconfig();
	expectations();
}
