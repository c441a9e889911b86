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

#include "dmabench_uapi.h"
#include "meta.h"
#include "names.h"
#include "pcibind.h"
#include "progress.h"
#include "results.h"
#include "sysinfo.h"

#define MAX_SIZES	32
#define MAX_NOTES	32
#define MAX_NENTS	256	/* the module's limit (DMABENCH_MAX_NENTS) */

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
	uint64_t *ticks;			/* 3 * samples */
	double *vals;				/* samples */
	struct progress prog;
};

/* Set by SIGINT, SIGTERM, SIGHUP: finish the point, then clean up. */
extern volatile sig_atomic_t micro_stop;

int micro_parse(int argc, char **argv, struct micro_opts *o);
unsigned int path_target(const struct micro *m, int path);
int paths_plan(struct micro *m);
int path_enter(struct micro *m, int path);
unsigned int matrix_points(const struct micro *m);
int matrix_run(struct micro *m);

#endif
