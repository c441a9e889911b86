// SPDX-License-Identifier: GPL-2.0
/*
 * Names of APIs, directions, paths, targets, domains and observations.
 */
#include <string.h>

#include "names.h"
#include "util.h"

const char *const api_names[DMABENCH_API_COUNT] = {
	[DMABENCH_API_NONE]	= "none",
	[DMABENCH_API_PAGE]	= "page",
	[DMABENCH_API_PHYS]	= "phys",
	[DMABENCH_API_SINGLE]	= "single",
	[DMABENCH_API_RESOURCE]	= "resource",
	[DMABENCH_API_SG]	= "sg",
	[DMABENCH_API_IOVA]	= "iova",
	[DMABENCH_API_PHYS_PAGE] = "phys_page",
};

const char *const dir_names[DIR_COUNT] = {
	[DIR_BIDIRECTIONAL]	= "bidirectional",
	[DIR_TO_DEVICE]		= "to_device",
	[DIR_FROM_DEVICE]	= "from_device",
};

/* The order a matrix walks the directions in. */
const unsigned int dir_order[DIR_COUNT] = {
	DIR_TO_DEVICE, DIR_FROM_DEVICE, DIR_BIDIRECTIONAL,
};

const char *const path_names[PATH_COUNT] = {
	[PATH_DIRECT]		= "direct",
	[PATH_SWIOTLB]		= "swiotlb",
	[PATH_IOMMU_STRICT]	= "iommu-strict",
	[PATH_IOMMU_LAZY]	= "iommu-lazy",
	[PATH_IOMMU_IDENTITY]	= "iommu-identity",
	[PATH_DIRECT_COHERENT]	= "direct-coherent",
};

const char *const status_names[STATUS_COUNT] = {
	[STATUS_NONE]		= "",
	[STATUS_OK]		= "ok",
	[STATUS_UNSUPPORTED]	= "unsupported",
	[STATUS_REFUSED]	= "refused",
	[STATUS_FAILED]		= "failed",
};

int status_parse(const char *name)
{
	for (int s = 0; s < STATUS_COUNT; s++)
		if (!strcmp(status_names[s], name))
			return s;
	return -1;
}

const char *const op_names[OP_COUNT] = {
	[OP_MAP]	= "map",
	[OP_UNMAP]	= "unmap",
	[OP_PAIR]	= "pair",
};

const char *clock_name(unsigned int clock)
{
	switch (clock) {
	case DMABENCH_CLOCK_TSC:
		return "tsc";
	case DMABENCH_CLOCK_CNTVCT:
		return "cntvct";
	case DMABENCH_CLOCK_KTIME:
		return "ktime";
	}
	return "unknown";
}

const char *target_name(unsigned int target)
{
	switch (target) {
	case DMABENCH_TARGET_OWN:
		return "own";
	case DMABENCH_TARGET_PCI:
		return "pci";
	}
	return "unknown";
}

const char *observed_name(unsigned int observed)
{
	switch (observed) {
	case DMABENCH_OBS_NONE:
		return "none";
	case DMABENCH_OBS_DIRECT:
		return "direct";
	case DMABENCH_OBS_BOUNCED:
		return "bounced";
	case DMABENCH_OBS_IOVA:
		return "iova";
	}
	return "unknown";
}

/* As the IOMMU core spells them in /sys/kernel/iommu_groups/N/type. */
const char *domain_name(unsigned int domain)
{
	switch (domain) {
	case DMABENCH_DOMAIN_NONE:
		return "none";
	case DMABENCH_DOMAIN_BLOCKED:
		return "blocked";
	case DMABENCH_DOMAIN_IDENTITY:
		return "identity";
	case DMABENCH_DOMAIN_DMA:
		return "DMA";
	case DMABENCH_DOMAIN_DMA_FQ:
		return "DMA-FQ";
	case DMABENCH_DOMAIN_OTHER:
		return "other";
	}
	return "unknown";
}

const char *unsupported_reason(unsigned int why)
{
	switch (why) {
	case DMABENCH_UNSUP_NO_PHYS:
		return "dma_map_phys not in this kernel (added in Linux 6.18)";
	case DMABENCH_UNSUP_NO_IOVA:
		return "two-step IOVA API not in this kernel (added in 6.16)";
	case DMABENCH_UNSUP_IOVA_PATH:
		return "dma_iova_try_alloc() declined: device not behind a DMA-API IOMMU";
	case DMABENCH_UNSUP_NO_MMIO:
		return "no MMIO region to map (pass --pci)";
	case DMABENCH_UNSUP_NO_TARGET:
		return "no device bound for this target";
	case DMABENCH_UNSUP_TOO_BIG:
		return "over dma_max_mapping_size()";
	case DMABENCH_UNSUP_MMIO_SMALL:
		return "the slices of the device's MMIO region (offset + size, cache-line aligned, one per buffer of each thread) do not fit in it";
	case DMABENCH_UNSUP_MAP_ERROR:
		return "the kernel refused the mapping (DMA_MAPPING_ERROR or an error return; dmesg has the errno)";
	case DMABENCH_UNSUP_SEG_TOO_BIG:
		return "an sg entry is longer than the device's dma_get_max_seg_size()";
	}
	return "unsupported for a reason this dmabench does not know";
}

/* Fill names[] with the names of the feature bits set; returns the count. */
int feature_list(unsigned int features, const char **names, int max)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} feats[] = {
		{ DMABENCH_FEAT_PHYS, "phys" },
		{ DMABENCH_FEAT_IOVA, "iova" },
		{ DMABENCH_FEAT_MMIO_ATTR, "mmio_attr" },
	};
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(feats) && n < max; i++)
		if (features & feats[i].bit)
			names[n++] = feats[i].name;
	return n;
}

bool path_is_iommu(int path)
{
	return path == PATH_IOMMU_STRICT || path == PATH_IOMMU_LAZY ||
	       path == PATH_IOMMU_IDENTITY;
}

/* What to write to the IOMMU group's type file for a path. */
const char *path_group_type(int path)
{
	switch (path) {
	case PATH_IOMMU_STRICT:
		return "DMA";
	case PATH_IOMMU_LAZY:
		return "DMA-FQ";
	case PATH_IOMMU_IDENTITY:
		return "identity";
	}
	return NULL;
}

/* The domain IOC_INFO must report once an iommu path is set up. */
unsigned int path_domain(int path)
{
	switch (path) {
	case PATH_IOMMU_STRICT:
		return DMABENCH_DOMAIN_DMA;
	case PATH_IOMMU_LAZY:
		return DMABENCH_DOMAIN_DMA_FQ;
	case PATH_IOMMU_IDENTITY:
		return DMABENCH_DOMAIN_IDENTITY;
	}
	return DMABENCH_DOMAIN_NONE;
}

/*
 * What a streaming mapping of memory must show on a path, or -1 where
 * nothing is expected (no mapping, MMIO, the IOVA API).
 */
int path_expected_observed(int path, unsigned int api)
{
	switch (api) {
	case DMABENCH_API_PAGE:
	case DMABENCH_API_PHYS:
	case DMABENCH_API_SINGLE:
	case DMABENCH_API_SG:
		break;
	default:
		return -1;
	}
	switch (path) {
	case PATH_DIRECT:
	case PATH_DIRECT_COHERENT:
	case PATH_IOMMU_IDENTITY:
		return DMABENCH_OBS_DIRECT;
	case PATH_SWIOTLB:
		return DMABENCH_OBS_BOUNCED;
	case PATH_IOMMU_STRICT:
	case PATH_IOMMU_LAZY:
		return DMABENCH_OBS_IOVA;
	}
	return -1;
}
