/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench: what the module's files share.  Where things live:
 *
 *	dmabench_main.c		/dev/dmabench and its two ioctls, module init
 *	dmabench_targets.c	the devices mapped for; PCI probe and remove
 *	dmabench_run.c		one run: checks, set-up, threads, results
 *	dmabench_time.c		the timed loops and the traced calls
 *	dmabench_buf.c		the buffers a thread maps
 *	dmabench_pmu.c		the hardware counters
 *	dmabench_uapi.h		the interface with userspace
 */
#ifndef _DMABENCH_H
#define _DMABENCH_H

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/ratelimit.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include "dmabench_uapi.h"
#include "conftest.h"

/* The largest mapping a run may ask for: an order-10 allocation. */
#define DMABENCH_MAX_BYTES	SZ_4M
#define DMABENCH_MAX_NENTS	256
#define DMABENCH_MAX_SAMPLES	SZ_1M
#define DMABENCH_MAX_THREADS	64
/* Buffers per thread (scatterlist entries count one each). */
#define DMABENCH_MAX_BUFFERS	4096
/* An IRQ-off window closes once it has lasted this long. */
#define DMABENCH_WINDOW_US	100
/* A run is abandoned once it has lasted this long. */
#define DMABENCH_RUN_LIMIT_S	120

/* A device the module can map for: its own, or a bound PCI device. */
struct dmabench_dev {
	struct device *dev;
	phys_addr_t mmio;	/* start of the largest memory BAR, or 0 */
	resource_size_t mmio_len;
};

/* One buffer of a thread's working set, as its API maps it. */
struct dmabench_buf {
	struct page *page;	/* PAGE, PHYS, IOVA */
	phys_addr_t phys;	/* page_to_phys(page) + offset */
	void *kbuf;		/* SINGLE */
	struct sg_table sgt;	/* SG */
	struct page **sg_pages;
	phys_addr_t mmio;	/* RESOURCE: this buffer's slice of the BAR */
};

/* One mapping in flight. */
struct dmabench_mapping {
	dma_addr_t addr;
#ifdef DMABENCH_HAVE_IOVA
	struct dma_iova_state iova;
#endif
};

/* What every thread of a run reads; written before they start. */
struct dmabench_params {
	struct device *dev;
	u32 api;
	enum dma_data_direction dir;
	unsigned long attrs;
	size_t bytes;
	unsigned int offset;
	unsigned int order;
	unsigned int nents;
	phys_addr_t mmio;	/* RESOURCE: the BAR + offset */
	u64 mmio_stride;	/* RESOURCE: from one slice to the next */
	u32 nsamples;
	u32 warmup;
	u32 batch;
	u32 wset;
	u32 nthreads;
	u64 window_ticks;
	u64 deadline;
	atomic_t ready;		/* threads at the start barrier */
	/* Set on a signal or PCI remove: threads stop between windows. */
	bool stop;
	bool trace;		/* DMABENCH_RUN_TRACE: one traced call after */
	u32 trace_tag;
	bool removed;		/* the device went away: the run fails */
};

/* One timing thread and what it owns. */
struct dmabench_thread {
	const struct dmabench_params *p;
	struct dmabench_params *shared;	/* for the barrier and stop flag */
	u32 index;			/* 0 to nthreads - 1 */
	unsigned int cpu;
	int node;
	struct task_struct *task;
	struct completion done;
	struct dmabench_buf *bufs;	/* wset of them */
	struct dmabench_mapping *maps;	/* batch of them */
	u64 *map_ticks;			/* batch of them */
	u64 *samples;			/* nsamples x 3 */
	struct perf_event *events[DMABENCH_NR_COUNTERS];
	u64 counts[DMABENCH_NR_COUNTERS];
	int read_err[DMABENCH_NR_COUNTERS];
	u64 start;
	u64 end;
	u64 windows;
	u64 max_window;
	int ret;
};

/* The devices and how a run holds one: dmabench_targets.c. */
int dmabench_targets_init(void);
void dmabench_targets_exit(void);
void dmabench_target_info(u32 target, struct dmabench_target_info *ti);
void dmabench_target_get(u32 target, struct dmabench_params *p,
			 struct dmabench_dev *d);
bool dmabench_target_put(struct dmabench_params *p);
u32 dmabench_domain(struct device *dev);
u64 dmabench_tsc_khz(void);
u32 dmabench_clock(void);

int dmabench_bufs_alloc(struct dmabench_thread *t);
void dmabench_bufs_free(struct dmabench_thread *t);

int dmabench_observe(struct dmabench_thread *t, struct dmabench_run *r);
int dmabench_time(struct dmabench_thread *t);
u64 dmabench_now(void);

void dmabench_pmu_open(struct dmabench_thread *t, s32 *err);
void dmabench_pmu_read(struct dmabench_thread *t, bool end);
void dmabench_pmu_close(struct dmabench_thread *t);

long dmabench_run(struct dmabench_run *run);

/*
 * The traced calls (DMABENCH_RUN_TRACE): per API, one map and one unmap
 * function, global and noinline so that gcc neither clones them nor drops
 * an argument, and a debugger finds them by name and reads `tag` from the
 * first argument register.  Each is nothing but the dmabench_map() or
 * dmabench_unmap() of the timed loop with a constant API (dmabench_time.c).
 * Both return what dmabench_map() returns (unmap: 0).  The APIs are listed
 * in dmabench_traced.h.
 */
#define DMABENCH_TRACED(name, ...)					\
	noinline int dmabench_traced_map_##name(u32 tag,		\
		const struct dmabench_params *p, struct dmabench_buf *b,\
		struct dmabench_mapping *m),				\
	dmabench_traced_unmap_##name(u32 tag,				\
		const struct dmabench_params *p, struct dmabench_buf *b,\
		struct dmabench_mapping *m)
#include "dmabench_traced.h"

/*
 * The log lines of refused requests: every one of a few, not one of each
 * of millions (a fuzzer's), which would flood the log and the console.
 */
extern struct ratelimit_state dmabench_refusals;

#endif /* _DMABENCH_H */
