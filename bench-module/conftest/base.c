// SPDX-License-Identifier: GPL-2.0
/*
 * Must compile on every kernel: if it does not, the build tree is broken and
 * no other test's failure means anything.
 */
#include <linux/dma-mapping.h>

dma_addr_t dmabench_conftest(struct device *dev, struct page *page);
dma_addr_t dmabench_conftest(struct device *dev, struct page *page)
{
	return dma_map_page_attrs(dev, page, 0, 1, DMA_TO_DEVICE, 0);
}
