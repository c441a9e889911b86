/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which DMA path a device's streaming mappings take (dmapath.c): one
 * answer for block and RDMA devices.
 */
#ifndef DMABENCH_DMAPATH_H
#define DMABENCH_DMAPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A device in an IOMMU group of a type no dmabench path names. */
#define DMA_PATH_OTHER	"iommu-other"

/* What a device is, from facts read elsewhere; see dma_path_classify(). */
struct dma_facts {
	const char *name;		/* RDMA: ibdev name; NULL otherwise */
	const char *node_desc;		/* RDMA: sysfs node_desc; NULL, "" */
	uint32_t vendor_id;		/* RDMA: ibv_query_device */
	bool rxe_parent;		/* RDMA: the rxe-only "parent" exists */
	bool has_device;		/* a parent device in sysfs */
	const char *group_type;		/* its IOMMU group's type, NULL: none */
	const char *cmdline;		/* /proc/cmdline, NULL: unread */
};

/*
 * Pure: the path of a device from its facts ("soft-rdma", a path name,
 * DMA_PATH_OTHER or "unknown"); *soft is "rxe" or "siw" for soft RDMA,
 * else NULL; why says how that was told.
 */
const char *dma_path_classify(const struct dma_facts *f, const char **soft,
			      char *why, size_t size);
/* The path of an IOMMU group's default domain type, NULL if none. */
const char *dma_path_of_group(const char *type);
/*
 * The first word of a kernel command line that sets key ("swiotlb" finds
 * "swiotlb=force"); 1 if found (copied to word), 0 if not ("").
 */
int cmdline_word(const char *cmdline, const char *key, char *word,
		 size_t size);
/* Does "swiotlb=65536,force" (a cmdline_word) force bouncing? */
bool swiotlb_word_forces(const char *word);
/* Does any swiotlb= word of a command line force bouncing? */
bool cmdline_swiotlb_force(const char *cmdline);

#endif
