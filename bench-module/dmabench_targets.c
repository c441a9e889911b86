// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: the devices it maps for.
 *
 * DMABENCH_TARGET_OWN is a platform device of the module's own with a 64-bit
 * DMA mask.  No IOMMU driver claims it, so it takes dma-direct, or swiotlb
 * when the kernel bounces everything (swiotlb=force).
 *
 * DMABENCH_TARGET_PCI is whatever PCI device the user hands over through
 * driver_override.  The driver has no ID table, so it binds to nothing else.
 * It never enables the device or bus mastering and never gives the device an
 * address: the device performs no DMA, the module only maps and unmaps.
 */
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include "dmabench.h"

/* Held by a run from start to end, and by PCI probe and remove. */
DEFINE_MUTEX(dmabench_lock);
struct dmabench_dev dmabench_devs[DMABENCH_TARGET_COUNT];

static struct platform_device *dmabench_pdev;

u32 dmabench_domain(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (!domain)
		return DMABENCH_DOMAIN_NONE;
	switch (domain->type) {
	case IOMMU_DOMAIN_BLOCKED:
		return DMABENCH_DOMAIN_BLOCKED;
	case IOMMU_DOMAIN_IDENTITY:
		return DMABENCH_DOMAIN_IDENTITY;
	case IOMMU_DOMAIN_DMA:
		return DMABENCH_DOMAIN_DMA;
	case IOMMU_DOMAIN_DMA_FQ:
		return DMABENCH_DOMAIN_DMA_FQ;
	default:
		return DMABENCH_DOMAIN_OTHER;
	}
}

static int dmabench_pci_probe(struct pci_dev *pdev,
			      const struct pci_device_id *id)
{
	struct dmabench_dev *t = &dmabench_devs[DMABENCH_TARGET_PCI];
	resource_size_t best = 0;
	int bar, ret;

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret) {
		pci_err(pdev, "dmabench: no 64-bit DMA mask: %d\n", ret);
		return ret;
	}

	mutex_lock(&dmabench_lock);
	if (t->dev) {
		mutex_unlock(&dmabench_lock);
		pci_err(pdev, "dmabench: already bound to %s; unbind it first\n",
			dev_name(t->dev));
		return -EBUSY;
	}
	t->dev = &pdev->dev;
	t->mmio = 0;
	t->mmio_len = 0;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
			continue;
		if (pci_resource_len(pdev, bar) <= best)
			continue;
		best = pci_resource_len(pdev, bar);
		t->mmio = pci_resource_start(pdev, bar);
		t->mmio_len = best;
	}
	mutex_unlock(&dmabench_lock);
	pci_info(pdev, "dmabench: bound, IOMMU domain type %u\n",
		 dmabench_domain(&pdev->dev));
	return 0;
}

static void dmabench_pci_remove(struct pci_dev *pdev)
{
	struct dmabench_dev *t = &dmabench_devs[DMABENCH_TARGET_PCI];

	/* Waits for a run on this device to end. */
	mutex_lock(&dmabench_lock);
	if (t->dev == &pdev->dev)
		memset(t, 0, sizeof(*t));
	mutex_unlock(&dmabench_lock);
}

static struct pci_driver dmabench_pci_driver = {
	.name = "dmabench",
	.probe = dmabench_pci_probe,
	.remove = dmabench_pci_remove,
};

int dmabench_targets_init(void)
{
	struct platform_device_info info = {
		.name = "dmabench",
		.id = PLATFORM_DEVID_NONE,
		.dma_mask = DMA_BIT_MASK(64),
	};
	int ret;

	dmabench_pdev = platform_device_register_full(&info);
	if (IS_ERR(dmabench_pdev))
		return PTR_ERR(dmabench_pdev);
	dmabench_devs[DMABENCH_TARGET_OWN].dev = &dmabench_pdev->dev;

	ret = pci_register_driver(&dmabench_pci_driver);
	if (ret)
		goto err_pdev;
	return 0;

err_pdev:
	dmabench_devs[DMABENCH_TARGET_OWN].dev = NULL;
	platform_device_unregister(dmabench_pdev);
	return ret;
}

void dmabench_targets_exit(void)
{
	pci_unregister_driver(&dmabench_pci_driver);
	dmabench_devs[DMABENCH_TARGET_OWN].dev = NULL;
	platform_device_unregister(dmabench_pdev);
}
