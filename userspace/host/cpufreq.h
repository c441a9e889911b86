/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What makes wall-clock figures of this machine stable or not: frequency
 * scaling, turbo, and the TSC's properties.
 */
#ifndef DMABENCH_CPUFREQ_H
#define DMABENCH_CPUFREQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPUFREQ_MAX_CPUS	64	/* CPUs whose governor is recorded */
#define CPUFREQ_MAX_WARN	8

struct cpufreq_info {
	unsigned int cpu[CPUFREQ_MAX_CPUS];
	char governor[CPUFREQ_MAX_CPUS][32];	/* or "unavailable" */
	size_t ncpus;
	char boost[16];		/* cpufreq/boost: "0", "1" or "unavailable" */
	char no_turbo[16];	/* intel_pstate/no_turbo, likewise */
	bool flags_known;	/* /proc/cpuinfo had a flags line */
	bool constant_tsc;
	bool nonstop_tsc;
	uint64_t tsc_khz;	/* the module's */
	char warning[CPUFREQ_MAX_WARN][160];
	int nwarnings;
};

void cpufreq_collect(struct cpufreq_info *cf, const unsigned int *cpus,
		     size_t ncpus, uint64_t tsc_khz);
bool cpu_flag(const char *flags, const char *word);
void cpufreq_warnings(struct cpufreq_info *cf, bool emulated, bool icount);

#endif
