// SPDX-License-Identifier: GPL-2.0
/* Compiles if the kernel has DMA_ATTR_MMIO (Linux 6.18 and later). */
#include <linux/dma-mapping.h>

unsigned long dmabench_conftest(void);
unsigned long dmabench_conftest(void)
{
	return DMA_ATTR_MMIO;
}
