/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whole-system cost of a workload, shared by every workload command:
 *
 *  - busy CPU time of all CPUs (user, system, irq, softirq, steal), from
 *    /proc/stat, so that interrupts and softirqs on other CPUs count;
 *  - kernel-only cycles and instructions on every CPU, from
 *    perf_event_open() counters (unavailable where there is no PMU);
 *  - the share of non-idle kernel samples whose IP falls in DMA mapping
 *    code (see dmasyms.h), sampling cycles, or the cpu-clock software
 *    event where there is no PMU; IPs resolved through /proc/kallsyms.
 *
 * sysprof_start() before the workload, sysprof_stop() after; a figure
 * that could not be measured is NAN and its reason is in the result.
 */
#ifndef DMABENCH_SYSPROF_H
#define DMABENCH_SYSPROF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sysprof_opts {
	bool counters;		/* kernel cycles and instructions */
	bool sampling;		/* the DMA share */
	unsigned int freq;	/* samples per second per CPU, 0: 1000 */
};

struct sysprof_result {
	double seconds;		/* wall time between start and stop */
	double busy_ns;		/* of all CPUs, from /proc/stat */
	double cpu_tick_ns;	/* resolution of busy_ns per CPU */
	double kcycles;		/* NAN if unavailable */
	double kinstr;		/* NAN if unavailable */
	char counters_reason[128];	/* why unavailable, "" if available */
	double dma_share;	/* dma / (kernel - idle); NAN if unavailable */
	const char *share_source;	/* "cycles", "cpu-clock", "unavailable" */
	char share_reason[128];
	uint64_t samples;	/* kernel samples read */
	uint64_t idle_samples;	/* of which in the idle loop */
	uint64_t dma_samples;
	uint64_t unknown_samples;	/* IP not in kallsyms */
	uint64_t lost;		/* samples the kernel dropped */
	/* Top DMA symbols by samples, for the per-point JSON. */
	struct {
		char name[64];
		uint64_t n;
	} top[8];
	unsigned int ntop;
};

struct sysprof;
struct json;

/* Never fails for want of a PMU: what is missing is reported by stop. */
struct sysprof *sysprof_start(const struct sysprof_opts *o);
int sysprof_stop(struct sysprof *p, struct sysprof_result *r);
void sysprof_free(struct sysprof *p);
/*
 * r's figures into the JSON object being written: each number by num()
 * (json_num(), or one that keeps more digits), the top DMA symbols as an
 * array under top_key.
 */
void sysprof_json(struct json *j, const struct sysprof_result *r,
		  void (*num)(struct json *j, const char *key, double v),
		  const char *top_key);

/*
 * Parts, for the unit tests: the busy ticks (user + nice + system + irq +
 * softirq + steal) of /proc/stat text, from its "cpu" line or else the
 * sum of its "cpuN" lines; and the reason a perf call failed with errno
 * err, with the fix where one is known.
 */
int sysprof_parse_stat(const char *text, uint64_t *busy);
void sysprof_perf_reason(char *buf, size_t size, const char *what, int err);

#endif
