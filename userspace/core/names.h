/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the things a run is made of (APIs, directions, paths, what the
 * module observed), as they appear on the command line and in results.
 */
#ifndef DMABENCH_NAMES_H
#define DMABENCH_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "dmabench_uapi.h"

/* DMA directions, with the module's values (enum dmabench_dir). */
#define DIR_BIDIRECTIONAL	DMABENCH_DIR_BIDIRECTIONAL
#define DIR_TO_DEVICE		DMABENCH_DIR_TO_DEVICE
#define DIR_FROM_DEVICE		DMABENCH_DIR_FROM_DEVICE
#define DIR_COUNT		DMABENCH_DIR_COUNT

/* The DMA paths a point can take. */
enum path_id {
	PATH_DIRECT,		/* dma-direct, no bouncing */
	PATH_SWIOTLB,		/* dma-direct, bounced through swiotlb */
	PATH_IOMMU_STRICT,	/* iommu-dma, group type DMA */
	PATH_IOMMU_LAZY,	/* iommu-dma, group type DMA-FQ */
	PATH_IOMMU_IDENTITY,	/* IOMMU present, group type identity */
	PATH_DIRECT_COHERENT,	/* dma-direct on --pci's cache-coherent
				 * device, in no IOMMU group (arm64: beside
				 * direct on the non-coherent own device) */
	PATH_COUNT,
};

/*
 * The status of a row of summary.csv or workload.csv; the names are what
 * the rows say.  STATUS_NONE: not set, the point was interrupted (never
 * written as a row).
 */
enum row_status {
	STATUS_NONE,
	STATUS_OK,
	STATUS_UNSUPPORTED,	/* cannot run here, and the note says why */
	STATUS_REFUSED,		/* the kernel refused the mapping: a finding */
	STATUS_FAILED,
	STATUS_COUNT,
};

/* The three timed operations of each sample, in samples_ptr order. */
enum op_id {
	OP_MAP,
	OP_UNMAP,
	OP_PAIR,
	OP_COUNT,
};


extern const char *const api_names[DMABENCH_API_COUNT];
extern const char *const dir_names[DIR_COUNT];
extern const char *const path_names[PATH_COUNT];
extern const char *const op_names[OP_COUNT];
extern const unsigned int dir_order[DIR_COUNT];
extern const char *const status_names[STATUS_COUNT];

/* The status a row's text names, or -1 if none. */
int status_parse(const char *name);

const char *target_name(unsigned int target);
const char *clock_name(unsigned int clock);
const char *observed_name(unsigned int observed);
const char *domain_name(unsigned int domain);
const char *unsupported_reason(unsigned int why);
int feature_list(unsigned int features, const char **names, int max);

bool path_is_iommu(int path);
const char *path_group_type(int path);
unsigned int path_domain(int path);
int path_expected_observed(int path, unsigned int api);

#endif
