/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Provenance: what kernel, configuration and machine a result came from.
 */
#ifndef DMABENCH_SYSINFO_H
#define DMABENCH_SYSINFO_H

#include <stdbool.h>
#include <stddef.h>

struct kconfig_opt {
	char *name;		/* CONFIG_FOO */
	char *value;		/* as in the file; NULL when "is not set" */
};

struct kconfig {
	char file[128];		/* where the options were read, "" if not */
	char reason[160];	/* why not */
	char sha256[65];	/* of the whole file, "" if not read */
	struct kconfig_opt *opt;
	size_t n;
};

struct sys_info {
	char release[65];
	char version[65];
	char host[65];			/* uname: nodename */
	char arch[65];			/* uname: machine */
	char proc_version[512];
	char compiler[160];	/* from /proc/version, "" if not named */
	char linker[160];
	char cmdline[4096];
	char cpu_model[128];
	long cpu_count;
	bool hypervisor;
	char clocksource[64];
	bool pmu;
	char pmu_reason[128];
	bool swiotlb_known;
	unsigned long long io_tlb_nslabs;
	unsigned long long io_tlb_used;
	char swiotlb_reason[128];
	struct kconfig config;
};

void sysinfo_collect(struct sys_info *si);
void sysinfo_free(struct sys_info *si);
bool kconfig_selected(const char *name);
int kconfig_parse_line(char *line, char **name, char **value);
int proc_version_tools(const char *pv, char *cc, size_t cclen, char *ld,
		       size_t ldlen);

#endif
