// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench info: what this machine and the module offer.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "module.h"
#include "names.h"
#include "sysinfo.h"
#include "util.h"

#define IOMMU_GROUPS	"/sys/kernel/iommu_groups"

static const char usage[] =
"usage: dmabench info\n"
"\n"
"Show the kernel, its command line, the CPU, clock source, PMU, swiotlb\n"
"and IOMMU groups, and, if the dmabench module is loaded, its features\n"
"and the devices it maps for.  Reading /dev/dmabench and debugfs needs\n"
"root.\n"
"\n"
"  -h, --help    this text\n";

static void line(const char *label, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void line(const char *label, const char *fmt, ...)
{
	va_list ap;

	printf("%-15s ", label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void show_system(const struct sys_info *si)
{
	line("release:", "%s", si->release);
	line("version:", "%s", si->version);
	line("compiler:", "%s", si->compiler[0] ? si->compiler :
	     "unknown (not named in /proc/version)");
	line("cmdline:", "%s", si->cmdline);
	line("cpu:", "%s, %ld online", si->cpu_model, si->cpu_count);
	line("hypervisor:", "%s", si->hypervisor ?
	     "yes (the CPU has the hypervisor flag)" : "no");
	line("clocksource:", "%s", si->clocksource);
	if (si->pmu)
		line("pmu:", "available (cpu-cycles for this thread)");
	else
		line("pmu:", "unavailable: %s", si->pmu_reason);
	if (si->swiotlb_known)
		line("swiotlb:", "io_tlb_nslabs %llu, io_tlb_used %llu",
		     si->io_tlb_nslabs, si->io_tlb_used);
	else
		line("swiotlb:", "unknown: %s", si->swiotlb_reason);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void show_group(int group)
{
	char path[128], type[32], devs[512] = "";
	struct dirent *de;
	size_t len = 0;
	DIR *d;

	snprintf(path, sizeof(path), IOMMU_GROUPS "/%d/type", group);
	if (read_text(path, type, sizeof(type)))
		snprintf(type, sizeof(type), "unknown");
	snprintf(path, sizeof(path), IOMMU_GROUPS "/%d/devices", group);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || len >= sizeof(devs))
			continue;
		len += snprintf(devs + len, sizeof(devs) - len, " %s", de->d_name);
	}
	if (d)
		closedir(d);
	printf("  group %-7d %s:%s\n", group, type, devs);
}

static void show_iommu_groups(void)
{
	int groups[1024], n = 0;
	struct dirent *de;
	DIR *d;

	d = opendir(IOMMU_GROUPS);
	while (d && (de = readdir(d)) && n < (int)ARRAY_SIZE(groups))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			groups[n++] = atoi(de->d_name);
	if (d)
		closedir(d);
	if (!n) {
		line("iommu groups:", "none (no IOMMU in use)");
		return;
	}
	line("iommu groups:", "%d", n);
	qsort(groups, n, sizeof(groups[0]), cmp_int);
	for (int i = 0; i < n; i++)
		show_group(groups[i]);
}

static void show_target(unsigned int target, const struct dmabench_target_info *t)
{
	char label[32];

	snprintf(label, sizeof(label), "target %s:", target_name(target));
	if (!t->present) {
		line(label, "%s", target == DMABENCH_TARGET_PCI ?
		     "none bound (dmabench micro --pci BDF lends one)" :
		     "absent");
		return;
	}
	line(label, "%.32s", t->name);
	printf("  dma mask      0x%llx\n", (unsigned long long)t->dma_mask);
	printf("  iommu domain  %s\n", domain_name(t->domain));
	printf("  swiotlb force %s\n", t->swiotlb_force ? "yes" : "no");
	printf("  dma_map_ops   %s\n", t->uses_dma_ops ? "its own" : "none");
	if (t->mmio_phys)
		printf("  mmio          0x%llx\n", (unsigned long long)t->mmio_phys);
	else
		printf("  mmio          none\n");
}

static void show_module(void)
{
	struct dmabench_info info;
	const char *feat[8];
	char list[64] = "";
	int fd, err, n;

	fd = module_open();
	if (fd == -ENOENT) {
		line("module:", "not loaded (no %s): %s", DMABENCH_DEV_PATH,
		     MODULE_LOAD_HINT);
		return;
	}
	if (fd < 0) {
		line("module:", "%s%s", fd == -EACCES || fd == -EPERM ?
		     "loaded, but " : "", module_strerror(-fd));
		return;
	}
	err = module_info(fd, &info);
	module_close(fd);
	if (err) {
		line("module:", "loaded, but IOC_INFO failed: %s",
		     module_strerror(-err));
		return;
	}
	n = feature_list(info.features, feat, 8);
	for (int i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? " " : "", feat[i]);
	line("module:", "loaded (uapi %u)", DMABENCH_UAPI_VERSION);
	line("features:", "%s", n ? list : "none");
	line("tsc_khz:", "%llu", (unsigned long long)info.tsc_khz);
	line("max samples:", "%u", info.max_samples);
	for (unsigned int t = 0; t < DMABENCH_TARGET_COUNT; t++)
		show_target(t, &info.target[t]);
}

int cmd_info(int argc, char **argv)
{
	struct sys_info si;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "dmabench: info takes no %s: '%s' (see dmabench info --help)\n",
			argv[1][0] == '-' ? "options but --help" : "arguments",
			argv[1]);
		return EXIT_USAGE;
	}
	sysinfo_collect(&si);
	show_system(&si);
	show_iommu_groups();
	show_module();
	if (si.config.file[0])
		line("config:", "%s (sha256 %s)", si.config.file,
		     si.config.sha256[0] ? si.config.sha256 : "unknown");
	else
		line("config:", "%s", si.config.reason);
	sysinfo_free(&si);
	return 0;
}
