/* SPDX-License-Identifier: GPL-2.0 */
/*
 * meta.json and part.json: what a run measured with, and on what.
 */
#ifndef DMABENCH_META_H
#define DMABENCH_META_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "cpufreq.h"
#include "dmabench_uapi.h"
#include "json.h"
#include "pcibind.h"
#include "sysinfo.h"

#define META_FORMAT	1

/* How a path was checked before results were labelled with it. */
struct path_record {
	int path;		/* enum path_id */
	unsigned int target;	/* DMABENCH_TARGET_* */
	char device[32];
	unsigned int domain;	/* IOC_INFO's domain of the target */
	unsigned int observed;	/* what a probe mapping showed */
	bool coherent;		/* dev_is_dma_coherent() of the device */
	int group;		/* IOMMU group, -1 if none */
	const char *group_type;	/* written to the group, NULL if untouched */
};

/* Fields of the run as a whole. */
struct run_meta {
	const char *rev;
	char date[32];
	const char *command;
	const char *clock;	/* "tsc" or "icount" */
	uint64_t tsc_khz;
	bool emulated;		/* --emulated */
	bool hypervisor;	/* the CPU flag */
};

/* Fields of one boot. */
struct boot_meta {
	const struct sys_info *si;
	const struct dmabench_info *info;
	const struct pcibind *pb;		/* NULL without --pci */
	const struct dmabench_target_info *pci;	/* as first bound, or NULL */
	const struct path_record *paths;
	int npaths;
	char *const *notes;			/* KEY=VALUE */
	int nnotes;
	bool emulated;
	int cpu;
	const struct cpufreq_info *cf;		/* NULL: not recorded */
	int counters;				/* 0 off, 1 probed, -1 unknown */
	const int *cnt_err;			/* DMABENCH_NR_COUNTERS, probed */
	int node;				/* --node */
	unsigned int repeat;			/* --repeat */
	const unsigned int *cpus;		/* the threads' CPUs, in order */
	size_t ncpus;
};

extern const char *const meta_counter_names[DMABENCH_NR_COUNTERS];

/* argv joined, as meta.json and part.json record it (set by main). */
extern const char *dmabench_command;

extern const char meta_harness_method[];

const char *meta_unit(const char *clock);
void meta_date(char *buf, size_t size, time_t when);
void meta_run_fields(struct json *j, const struct run_meta *r);
void meta_statistics(struct json *j);
void meta_boot(struct json *j, const char *key, const struct boot_meta *b);
int meta_write(FILE *f, const struct run_meta *r, const struct boot_meta *b,
	       bool part);

#endif
