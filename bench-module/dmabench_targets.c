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
 *
 * How a run and PCI remove synchronise.  dmabench_lock guards the table of
 * devices and dmabench_active, the parameters of the run under way, and is
 * only ever held for a moment (never across a run), so the info ioctl,
 * probe and remove never wait behind a run.  A run takes a copy of its
 * device's entry and registers itself as dmabench_active in one step
 * (dmabench_target_get()).  Remove, under the lock, forgets the device, so
 * no later run can take it, and if the active run maps for it, marks the
 * run removed and sets its stop flag: the timing threads see it between
 * two interrupts-off windows (within DMABENCH_WINDOW_US and a batch), the
 * set-up between two buffers.  Then remove waits, outside the lock, until
 * the run has unmapped everything and let go (dmabench_target_put(), which
 * wakes it): for one window and the unwinding, never the rest of the run.
 * The run then fails with -ENODEV.  The module's own device goes only at
 * unload, which no open /dev/dmabench, hence no run, outlives.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-map-ops.h>
#include <linux/iommu.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/swiotlb.h>
#include <linux/wait.h>
#include "dmabench.h"

static DEFINE_MUTEX(dmabench_lock);
static struct dmabench_dev dmabench_devs[DMABENCH_TARGET_COUNT];
/* The run under way and the device it maps for, or NULL. */
static struct dmabench_params *dmabench_active;
static struct device *dmabench_active_dev;
/* Woken when a run lets go of its device. */
static DECLARE_WAIT_QUEUE_HEAD(dmabench_released);

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

/*
 * The module's scatterlist entries are up to 2 MiB long: a device that
 * takes them says so, as nvme-pci does, or dma-debug warns and the IOMMU
 * code splits what it could merge.  Whether it took is checked per run
 * (dmabench_run.c: DMABENCH_UNSUP_SEG_TOO_BIG), not assumed: before 6.11
 * this returned an error, which the check covers too.
 */
static void dmabench_seg_size(struct device *dev)
{
	dma_set_max_seg_size(dev, UINT_MAX);
}

/* What the info ioctl reports about a target, as it is now. */
void dmabench_target_info(u32 target, struct dmabench_target_info *ti)
{
	struct device *dev;

	mutex_lock(&dmabench_lock);
	dev = dmabench_devs[target].dev;
	if (dev) {
		ti->present = 1;
		ti->domain = dmabench_domain(dev);
		ti->dma_mask = dev->dma_mask ? *dev->dma_mask : 0;
		ti->uses_dma_ops = !!get_dma_ops(dev);
#ifdef CONFIG_SWIOTLB
		ti->swiotlb_force = is_swiotlb_force_bounce(dev);
#endif
		ti->coherent = dev_is_dma_coherent(dev);
		ti->mmio_phys = dmabench_devs[target].mmio;
		strscpy(ti->name, dev_name(dev), sizeof(ti->name));
	}
	mutex_unlock(&dmabench_lock);
}

/*
 * A run's device: a copy of its entry in *d (d->dev NULL: none bound), and
 * the run registered as the one that maps for it, so that remove stops the
 * run and waits for it.  Undone by dmabench_target_put().
 */
void dmabench_target_get(u32 target, struct dmabench_params *p,
			 struct dmabench_dev *d)
{
	mutex_lock(&dmabench_lock);
	*d = dmabench_devs[target];
	if (d->dev) {
		dmabench_active = p;
		WRITE_ONCE(dmabench_active_dev, d->dev);
	}
	mutex_unlock(&dmabench_lock);
}

/*
 * The run has unmapped everything and no longer touches its device; true
 * if the device was removed meanwhile.
 */
bool dmabench_target_put(struct dmabench_params *p)
{
	bool removed;

	mutex_lock(&dmabench_lock);
	removed = p->removed;
	if (dmabench_active == p) {
		dmabench_active = NULL;
		WRITE_ONCE(dmabench_active_dev, NULL);
	}
	mutex_unlock(&dmabench_lock);
	wake_up_all(&dmabench_released);
	return removed;
}

static int dmabench_pci_probe(struct pci_dev *pdev,
			      const struct pci_device_id *id)
{
	struct dmabench_dev *t = &dmabench_devs[DMABENCH_TARGET_PCI];
	resource_size_t best = 0;
	int bar, ret;

	mutex_lock(&dmabench_lock);
	if (t->dev) {
		pci_err(pdev, "already bound to %s; unbind it first\n",
			dev_name(t->dev));
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret) {
		pci_err(pdev, "no 64-bit DMA mask: %d\n", ret);
		goto out_unlock;
	}
	dmabench_seg_size(&pdev->dev);
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
	pci_info(pdev, "bound, IOMMU domain type %u\n",
		 dmabench_domain(&pdev->dev));
out_unlock:
	mutex_unlock(&dmabench_lock);
	return ret;
}

/* Stops a run on this device and waits until it has let go (see above). */
static void dmabench_pci_remove(struct pci_dev *pdev)
{
	struct dmabench_dev *t = &dmabench_devs[DMABENCH_TARGET_PCI];
	struct device *dev = &pdev->dev;
	bool running = false;

	mutex_lock(&dmabench_lock);
	if (t->dev == dev)
		memset(t, 0, sizeof(*t));
	if (dmabench_active_dev == dev) {
		dmabench_active->removed = true;
		WRITE_ONCE(dmabench_active->stop, true);
		running = true;
	}
	mutex_unlock(&dmabench_lock);
	if (!running)
		return;
	pci_info(pdev, "unbound during a run: stopping it\n");
	wait_event(dmabench_released, READ_ONCE(dmabench_active_dev) != dev);
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
	dmabench_seg_size(&dmabench_pdev->dev);
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
