// SPDX-License-Identifier: GPL-2.0
/*
 * Frequency and TSC state, recorded with each boot's results because a
 * figure in ns is only as steady as the clock that made it: a governor
 * other than performance, or turbo, moves the core clock under a fixed
 * TSC; a TSC without constant_tsc moves with the core clock itself.
 */
#include <stdio.h>
#include <string.h>

#include "cpufreq.h"
#include "util.h"

#define CPUFREQ_BOOST	"/sys/devices/system/cpu/cpufreq/boost"
#define NO_TURBO	"/sys/devices/system/cpu/intel_pstate/no_turbo"

static void read_or(const char *path, char *buf, size_t size)
{
	if (read_text(path, buf, size) || !buf[0])
		snprintf(buf, size, "unavailable");
	buf[strcspn(buf, "\n")] = '\0';
}

/* Is word one of the blank-separated words of flags? */
bool cpu_flag(const char *flags, const char *word)
{
	size_t len = strlen(word);
	const char *p = flags;

	while ((p = strstr(p, word))) {
		if ((p == flags || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[len] == '\0' || p[len] == ' ' || p[len] == '\n'))
			return true;
		p += len;
	}
	return false;
}

static void tsc_flags(struct cpufreq_info *cf)
{
	char line[4096];
	FILE *f = fopen("/proc/cpuinfo", "re");

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		cf->flags_known = true;
		cf->constant_tsc = cpu_flag(line, "constant_tsc");
		cf->nonstop_tsc = cpu_flag(line, "nonstop_tsc");
		break;
	}
	if (f)
		fclose(f);
}

void cpufreq_collect(struct cpufreq_info *cf, const unsigned int *cpus,
		     size_t ncpus, uint64_t tsc_khz)
{
	char path[128];

	memset(cf, 0, sizeof(*cf));
	for (size_t i = 0; i < ncpus && cf->ncpus < CPUFREQ_MAX_CPUS; i++) {
		cf->cpu[cf->ncpus] = cpus[i];
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/cpufreq/scaling_governor",
			 cpus[i]);
		read_or(path, cf->governor[cf->ncpus], sizeof(cf->governor[0]));
		cf->ncpus++;
	}
	read_or(CPUFREQ_BOOST, cf->boost, sizeof(cf->boost));
	read_or(NO_TURBO, cf->no_turbo, sizeof(cf->no_turbo));
	tsc_flags(cf);
	cf->tsc_khz = tsc_khz;
}

static void warn_add(struct cpufreq_info *cf, const char *text)
{
	if (cf->nwarnings < CPUFREQ_MAX_WARN)
		snprintf(cf->warning[cf->nwarnings++], sizeof(cf->warning[0]),
			 "%s", text);
}

static void governor_warning(struct cpufreq_info *cf)
{
	char text[160];

	for (size_t i = 0; i < cf->ncpus; i++) {
		if (!strcmp(cf->governor[i], "performance") ||
		    !strcmp(cf->governor[i], "unavailable"))
			continue;
		snprintf(text, sizeof(text),
			 "CPU %u: scaling_governor is %s, not performance: the core clock may change during a run",
			 cf->cpu[i], cf->governor[i]);
		warn_add(cf, text);
		return;		/* one is enough to say it */
	}
}

/* What makes wall-clock figures unstable; icount figures do not care. */
void cpufreq_warnings(struct cpufreq_info *cf, bool emulated, bool icount)
{
	cf->nwarnings = 0;
	if (icount)
		return;
	governor_warning(cf);
	if (!strcmp(cf->boost, "1") || !strcmp(cf->no_turbo, "0"))
		warn_add(cf, "turbo/boost is on: the core clock depends on load and temperature");
	if (cf->flags_known && !cf->constant_tsc)
		warn_add(cf, "no constant_tsc: the TSC rate may follow the core clock");
	if (emulated)
		warn_add(cf, "emulated without --clock icount: times follow the host's load");
}
