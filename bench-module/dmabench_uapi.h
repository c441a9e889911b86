/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dmabench: the interface between dmabench.ko and userspace.
 *
 * The module exposes /dev/dmabench (root only).  Userspace fills a struct,
 * whose first two fields carry the interface version and the struct's size,
 * and issues one ioctl.  The kernel refuses any other version or size with
 * -EINVAL, so a stale binary never misreads a newer module.
 *
 * DMABENCH_IOC_INFO  reports what the module found: its features (settled
 *                    by compile tests when it was built), the devices it
 *                    can map for, and the DMA path each one takes.
 * DMABENCH_IOC_RUN   times one point: one API, one device, one size, one
 *                    direction, on one or more CPUs at once.  Per operation
 *                    it stores three TSC deltas (map, unmap, and their sum)
 *                    into the user's sample array, and optionally the PMU
 *                    counts of its interrupts-off windows.  All statistics
 *                    are computed in userspace.  One run at a time: while
 *                    one is under way, another fails at once with -EBUSY
 *                    (DMABENCH_IOC_INFO still answers).  A run whose PCI
 *                    device is unbound meanwhile stops with -ENODEV.
 *
 * Every value below is this interface's own: the module translates the
 * directions, attributes and node to the kernel's in one place
 * (dmabench_run.c) and refuses, with -EINVAL, any value not defined here.
 */
#ifndef _UAPI_DMABENCH_H
#define _UAPI_DMABENCH_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define DMABENCH_UAPI_VERSION	3
#define DMABENCH_DEV_PATH	"/dev/dmabench"

/* The DMA APIs a run can time.  DMABENCH_API_NONE times an empty slot. */
enum dmabench_api {
	DMABENCH_API_NONE = 0,	/* no DMA call: the harness's own cost */
	DMABENCH_API_PAGE,	/* dma_map_page_attrs / dma_unmap_page_attrs */
	DMABENCH_API_PHYS,	/* dma_map_phys / dma_unmap_phys */
	DMABENCH_API_SINGLE,	/* dma_map_single_attrs of kmalloc memory */
	DMABENCH_API_RESOURCE,	/* dma_map_resource of an MMIO address */
	DMABENCH_API_SG,	/* dma_map_sgtable of nents entries */
	DMABENCH_API_IOVA,	/* dma_iova_try_alloc+link+sync / destroy */
	DMABENCH_API_PHYS_PAGE,	/* page_to_phys + dma_map_phys / dma_unmap_phys */
	DMABENCH_API_COUNT,
};

/* Which device the module maps for. */
enum dmabench_target {
	DMABENCH_TARGET_OWN = 0,	/* the module's own platform device */
	DMABENCH_TARGET_PCI,		/* the PCI device bound to the module */
	DMABENCH_TARGET_COUNT,
};

/* What one untimed mapping showed about the path it took. */
enum dmabench_observed {
	DMABENCH_OBS_NONE = 0,		/* no mapping made (API_NONE) */
	DMABENCH_OBS_DIRECT,		/* DMA address == phys_to_dma(phys) */
	DMABENCH_OBS_BOUNCED,		/* other address, no IOMMU: swiotlb */
	DMABENCH_OBS_IOVA,		/* other address through an IOMMU */
};

/* Kernel features the module was built with (dmabench_info.features). */
#define DMABENCH_FEAT_PHYS	_BITUL(0)	/* dma_map_phys() exists */
#define DMABENCH_FEAT_IOVA	_BITUL(1)	/* dma_iova_try_alloc() exists */
#define DMABENCH_FEAT_MMIO_ATTR	_BITUL(2)	/* DMA_ATTR_MMIO exists */

/* Domain types, as the IOMMU core names them. */
enum dmabench_domain {
	DMABENCH_DOMAIN_NONE = 0,	/* the device has no IOMMU domain */
	DMABENCH_DOMAIN_BLOCKED,
	DMABENCH_DOMAIN_IDENTITY,
	DMABENCH_DOMAIN_DMA,		/* strict */
	DMABENCH_DOMAIN_DMA_FQ,		/* lazy: flush queue */
	DMABENCH_DOMAIN_OTHER,
};

struct dmabench_target_info {
	__u32 present;		/* 1 if this target exists now */
	__u32 domain;		/* enum dmabench_domain */
	__u64 dma_mask;
	__u32 uses_dma_ops;	/* 1 if the device has its own dma_map_ops */
	__u32 swiotlb_force;	/* 1 if swiotlb bounces everything for it */
	__u64 mmio_phys;	/* MMIO address for API_RESOURCE, 0 if none */
	char name[32];		/* dev_name() */
	__u32 coherent;		/* 1: dev_is_dma_coherent(), no cache upkeep */
	__u32 pad;		/* 0 */
};

/* What the timed loop reads (dmabench_info.clock). */
enum dmabench_clock {
	DMABENCH_CLOCK_TSC = 0,		/* x86: rdtsc_ordered() */
	DMABENCH_CLOCK_CNTVCT,		/* arm64: CNTVCT_EL0, isb-ordered */
	DMABENCH_CLOCK_KTIME,		/* elsewhere: ktime_get_ns() */
};

struct dmabench_info {
	__u32 version;		/* in: DMABENCH_UAPI_VERSION */
	__u32 size;		/* in: sizeof(struct dmabench_info) */
	__u32 features;		/* out: DMABENCH_FEAT_* */
	__u32 max_samples;	/* out: the largest dmabench_run.samples */
	__u32 max_bytes;	/* out: the largest offset + bytes */
	__u32 max_nents;	/* out: the most entries for DMABENCH_API_SG */
	__u32 max_threads;	/* out: the largest dmabench_run.threads */
	__u32 max_buffers;	/* out: the largest working_set (x nents for SG) */
	__u64 tsc_khz;		/* out: clock ticks per millisecond */
	struct dmabench_target_info target[DMABENCH_TARGET_COUNT];
	__u32 clock;		/* out: enum dmabench_clock */
	__u32 pad;		/* out: 0 */
};

/* dmabench_run.dir */
enum dmabench_dir {
	DMABENCH_DIR_BIDIRECTIONAL = 0,
	DMABENCH_DIR_TO_DEVICE,
	DMABENCH_DIR_FROM_DEVICE,
	DMABENCH_DIR_COUNT,
};

/* dmabench_run.node: the buffers of each thread on its CPU's node. */
#define DMABENCH_NODE_CPU	(-1)

/* Why a run did not happen (dmabench_run.unsupported). */
enum dmabench_unsupported {
	DMABENCH_UNSUP_NONE = 0,
	DMABENCH_UNSUP_NO_PHYS,		/* kernel has no dma_map_phys() */
	DMABENCH_UNSUP_NO_IOVA,		/* kernel has no two-step IOVA API */
	DMABENCH_UNSUP_IOVA_PATH,	/* dma_iova_try_alloc() said no */
	DMABENCH_UNSUP_NO_MMIO,		/* no MMIO region to map */
	DMABENCH_UNSUP_NO_TARGET,	/* no device bound for this target */
	DMABENCH_UNSUP_TOO_BIG,		/* over dma_max_mapping_size() */
	DMABENCH_UNSUP_MMIO_SMALL,	/* larger than the MMIO region */
	DMABENCH_UNSUP_MAP_ERROR,	/* the kernel refused the first mapping */
	DMABENCH_UNSUP_SEG_TOO_BIG,	/* sg entry over the max segment size */
};

/*
 * dmabench_run.attrs: the DMA_ATTR_* a run may pass, one bit each.  Bit 5
 * is the kernel's DMA_ATTR_SKIP_CPU_SYNC today, but that is history (the
 * uapi once copied it), not a promise: the module translates each bit.
 */
#define DMABENCH_ATTR_SKIP_CPU_SYNC	_BITUL(5)	/* DMA_ATTR_SKIP_CPU_SYNC */

/* PMU events counted per thread with DMABENCH_RUN_COUNTERS (kernel only). */
enum dmabench_counter {
	DMABENCH_CNT_CYCLES = 0,
	DMABENCH_CNT_INSTRUCTIONS,
	DMABENCH_CNT_BRANCH_MISSES,
	DMABENCH_CNT_CACHE_MISSES,
	DMABENCH_NR_COUNTERS,
};

/* dmabench_run.flags */
#define DMABENCH_RUN_COUNTERS	_BITUL(0)	/* fill counters_ptr */
/*
 * After the timed loop, one more map and unmap of the next buffer, with
 * interrupts off, through the global functions dmabench_traced_map_<api>()
 * and dmabench_traced_unmap_<api>(), whose first argument is trace_tag: a
 * debugger that breaks on them knows which point it is in.  One thread only.
 */
#define DMABENCH_RUN_TRACE	_BITUL(1)

/*
 * One point.  Each of the `threads` threads is bound to its CPU, allocates
 * nothing while timed, and waits at a barrier until all are ready.  A thread
 * cycles through `working_set` buffers of its own; it maps `batch` of them,
 * then unmaps those, and so on (batch 1: map, unmap, repeat).
 */
struct dmabench_run {
	__u32 version;		/* in: DMABENCH_UAPI_VERSION */
	__u32 size;		/* in: sizeof(struct dmabench_run) */
	__u32 api;		/* in: enum dmabench_api */
	__u32 target;		/* in: enum dmabench_target */
	__u32 dir;		/* in: enum dmabench_dir */
	__u32 nents;		/* in: API_SG: entries; others: 1 */
	__u64 bytes;		/* in: bytes per mapping (per entry for SG) */
	__u32 offset;		/* in: offset into the buffer's first page */
	__u32 attrs;		/* in: DMABENCH_ATTR_* */
	__u32 samples;		/* in: timed operations */
	__u32 warmup;		/* in: untimed operations first */
	__u64 samples_ptr;	/* in: __u64[threads][samples][3] */
	__u32 batch;		/* in: mappings held at once, 1 and up */
	__u32 working_set;	/* in: distinct buffers per thread, >= batch */
	__u32 threads;		/* in: timing threads, one per CPU */
	__s32 node;		/* in: a NUMA node, or DMABENCH_NODE_CPU */
	__u64 cpus_ptr;		/* in: __u32[threads], or 0: the caller's CPU */
	__u32 flags;		/* in: DMABENCH_RUN_* */
	__u32 trace_tag;	/* in: DMABENCH_RUN_TRACE: the call's tag, else 0 */
	__u64 counters_ptr;	/* in: __u64[threads][DMABENCH_NR_COUNTERS] */
	__u32 unsupported;	/* out: enum dmabench_unsupported */
	__u32 observed;		/* out: enum dmabench_observed */
	__u32 domain;		/* out: enum dmabench_domain during the run */
	__u32 cpu;		/* out: CPU of thread 0 */
	__u64 tsc_khz;		/* out: TSC ticks per millisecond */
	__u64 windows;		/* out: IRQ-off windows, all threads */
	__u64 max_window_ticks;	/* out: longest IRQ-off window, TSC ticks */
	__u64 wall_ticks;	/* out: first thread's start to last one's end */
	__s32 counter_err[DMABENCH_NR_COUNTERS]; /* out: 0 or why not, -errno */
};

#define DMABENCH_IOC_MAGIC	0xdb
#define DMABENCH_IOC_INFO	_IOWR(DMABENCH_IOC_MAGIC, 1, struct dmabench_info)
#define DMABENCH_IOC_RUN	_IOWR(DMABENCH_IOC_MAGIC, 2, struct dmabench_run)

#endif /* _UAPI_DMABENCH_H */
