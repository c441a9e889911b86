/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench: state shared between the module's files.
 */
#ifndef _DMABENCH_H
#define _DMABENCH_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include "dmabench_uapi.h"
#include "conftest.h"

/* The largest mapping a run may ask for: an order-10 allocation. */
#define DMABENCH_MAX_BYTES	SZ_4M
#define DMABENCH_MAX_NENTS	256
#define DMABENCH_MAX_SAMPLES	SZ_1M
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

/* Serialises runs against each other and against PCI probe and remove. */
extern struct mutex dmabench_lock;
extern struct dmabench_dev dmabench_devs[DMABENCH_TARGET_COUNT];

int dmabench_targets_init(void);
void dmabench_targets_exit(void);
u32 dmabench_domain(struct device *dev);
u64 dmabench_tsc_khz(void);

long dmabench_run(struct dmabench_run *run);

#endif /* _DMABENCH_H */
