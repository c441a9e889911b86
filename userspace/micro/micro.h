/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench micro: the state shared by its options, paths and matrix.
 */
#ifndef DMABENCH_MICRO_H
#define DMABENCH_MICRO_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpufreq.h"
#include "cpus.h"
#include "dmabench_uapi.h"
#include "meta.h"
#include "names.h"
#include "pcibind.h"
#include "progress.h"
#include "results.h"
#include "sysinfo.h"
#include "trace_plan.h"

#define MAX_SIZES	32
#define MAX_NOTES	32
#define MAX_NENTS	256	/* the module's limit (DMABENCH_MAX_NENTS) */
#define MAX_LIST	16	/* values of --threads, --batch */
#define MAX_BATCH	65536
#define MAX_REPEAT	1000

struct micro_opts {
	unsigned int apis;		/* bit per enum dmabench_api */
	unsigned int paths;		/* bit per enum path_id; 0: auto */
	uint64_t sizes[MAX_SIZES];	/* ascending */
	size_t nsizes;
	unsigned int dirs;		/* bit per DMA direction */
	unsigned int nents;
	unsigned int offset;
	unsigned int attrs;
	unsigned int samples;
	unsigned int warmup;
	char pci[16];			/* "" without --pci */
	const char *clock;		/* "tsc" or "icount" */
	bool emulated;
	char *notes[MAX_NOTES];		/* KEY=VALUE */
	int nnotes;
	const char *out;
	const char *part;		/* NULL: write a run directory */
	const char *rev;
	int cpu;			/* -1: the current CPU */
	unsigned int threads[MAX_LIST];	/* thread counts, as given */
	size_t nthreads;
	unsigned int cpus[MAX_CPUS];	/* --cpus; none: online from --cpu */
	size_t ncpus;
	unsigned int batches[MAX_LIST];	/* mappings held at once */
	size_t nbatches;
	unsigned int working_set;	/* 0: each point's batch */
	int node;			/* NUMA node of buffers, -1: CPU's */
	bool counters;			/* ask for PMU counters */
	unsigned int repeat;		/* runs per point, pooled */
	unsigned int trace_apis;	/* --trace: bit per enum dmabench_api */
	const char *trace_dir;		/* --trace-dir */
	uint64_t trace_sizes[MAX_SIZES];	/* --trace-size; none: all */
	size_t ntrace_sizes;
	unsigned int trace_dirs;	/* --trace-dirs: bit per dir; 0: all */
};

struct micro {
	struct micro_opts o;
	int fd;
	struct dmabench_info info;
	struct sys_info si;
	int cpu;				/* pinned to */

	bool have_pci;
	struct pcibind pb;
	struct dmabench_target_info pci_seen;	/* as first bound */
	bool pci_was_seen;

	unsigned int want;			/* bit per path to run */
	unsigned int plain_target;		/* of direct or swiotlb */
	struct path_record rec[PATH_COUNT];	/* last verification */
	struct path_record ran[PATH_COUNT];	/* paths run, in order */
	int nran;

	struct outdir out;
	FILE *summary;
	FILE *threads_csv;			/* opened at the first threads > 1 */
	uint64_t *ticks;			/* repeat x threads x samples x 3 */
	double *vals;				/* repeat x threads x samples */
	double *scratch;			/* as many */
	uint64_t *counters;			/* repeat x threads x counters */
	unsigned int online[MAX_CPUS];		/* online CPUs, ascending */
	size_t nonline;
	unsigned int pick[MAX_CPUS];		/* threads' CPUs, in order */
	size_t npick;
	bool cnt_probed;			/* cnt_err is the probe's */
	int cnt_err[DMABENCH_NR_COUNTERS];	/* 0 or -errno, from the probe */
	struct cpufreq_info cf;
	struct progress prog;
	struct trace_plan tp;			/* --trace */
	/* Set by SIGINT, SIGTERM, SIGHUP: finish the point, then clean up. */
	volatile sig_atomic_t *stop;
};

int micro_parse(int argc, char **argv, struct micro_opts *o);
unsigned int path_target(const struct micro *m, int path);
int paths_plan(struct micro *m);
int path_enter(struct micro *m, int path);
unsigned int matrix_points(const struct micro *m);
uint64_t matrix_ops(const struct micro *m);
void matrix_pick_cpus(struct micro *m);
unsigned int max_threads(const struct micro_opts *o);
unsigned int point_working_set(const struct micro_opts *o, unsigned int batch);
int matrix_run(struct micro *m);

#endif
