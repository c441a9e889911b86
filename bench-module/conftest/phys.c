// SPDX-License-Identifier: GPL-2.0
/* Compiles if the kernel has dma_map_phys() (Linux 6.18 and later). */
#include <linux/dma-mapping.h>

dma_addr_t dmabench_conftest(struct device *dev, phys_addr_t phys);
dma_addr_t dmabench_conftest(struct device *dev, phys_addr_t phys)
{
	dma_addr_t addr = dma_map_phys(dev, phys, 1, DMA_TO_DEVICE, 0);

	dma_unmap_phys(dev, addr, 1, DMA_TO_DEVICE, 0);
	return addr;
}
