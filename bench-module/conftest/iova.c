// SPDX-License-Identifier: GPL-2.0
/* Compiles if the kernel has the two-step IOVA API (Linux 6.16 and later). */
#include <linux/dma-mapping.h>

int dmabench_conftest(struct device *dev, struct dma_iova_state *state);
int dmabench_conftest(struct device *dev, struct dma_iova_state *state)
{
	if (!dma_iova_try_alloc(dev, state, 0, 1))
		return -1;
	if (dma_iova_link(dev, state, 0, 0, 1, DMA_TO_DEVICE, 0))
		return -1;
	dma_iova_destroy(dev, state, 1, DMA_TO_DEVICE, 0);
	return 0;
}
