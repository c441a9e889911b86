// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: times the streaming DMA mapping API from inside the kernel.
 *
 * /dev/dmabench (root only) takes two ioctls, described in dmabench_uapi.h.
 * This file holds the control interface and module init; dmabench_targets.c
 * the devices; dmabench_run.c a run from its checks to its results;
 * dmabench_time.c the timed loops (dmabench.h lists every file).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include "dmabench.h"

static u32 dmabench_features(void)
{
	u32 features = 0;

#ifdef DMABENCH_HAVE_PHYS
	features |= DMABENCH_FEAT_PHYS;
#endif
#ifdef DMABENCH_HAVE_IOVA
	features |= DMABENCH_FEAT_IOVA;
#endif
#ifdef DMABENCH_HAVE_MMIO_ATTR
	features |= DMABENCH_FEAT_MMIO_ATTR;
#endif
	return features;
}

/* Copy in a versioned struct and check that both sides agree on it. */
static int dmabench_copy_in(void *dst, const void __user *src, size_t size)
{
	u32 head[2];

	if (copy_from_user(head, src, sizeof(head)))
		return -EFAULT;
	if (head[0] != DMABENCH_UAPI_VERSION || head[1] != size) {
		if (__ratelimit(&dmabench_refusals))
			pr_err("interface version %u size %u, module expects %u size %zu: rebuild userspace/dmabench with this module\n",
			       head[0], head[1], DMABENCH_UAPI_VERSION, size);
		return -EINVAL;
	}
	if (copy_from_user(dst, src, size))
		return -EFAULT;
	return 0;
}

static long dmabench_ioctl_info(void __user *arg)
{
	struct dmabench_info info;
	int i, ret;

	ret = dmabench_copy_in(&info, arg, sizeof(info));
	if (ret)
		return ret;
	memset(&info, 0, sizeof(info));
	info.version = DMABENCH_UAPI_VERSION;
	info.size = sizeof(info);
	info.features = dmabench_features();
	info.max_samples = DMABENCH_MAX_SAMPLES;
	info.max_bytes = DMABENCH_MAX_BYTES;
	info.max_nents = DMABENCH_MAX_NENTS;
	info.max_threads = DMABENCH_MAX_THREADS;
	info.max_buffers = DMABENCH_MAX_BUFFERS;
	info.tsc_khz = dmabench_tsc_khz();
	info.clock = dmabench_clock();

	/* Never waits behind a run (dmabench_targets.c says why). */
	for (i = 0; i < DMABENCH_TARGET_COUNT; i++)
		dmabench_target_info(i, &info.target[i]);

	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long dmabench_ioctl_run(void __user *arg)
{
	struct dmabench_run run;
	long ret;

	ret = dmabench_copy_in(&run, arg, sizeof(run));
	if (ret)
		return ret;
	ret = dmabench_run(&run);
	if (ret)
		return ret;
	return copy_to_user(arg, &run, sizeof(run)) ? -EFAULT : 0;
}

static long dmabench_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;

	switch (cmd) {
	case DMABENCH_IOC_INFO:
		return dmabench_ioctl_info((void __user *)arg);
	case DMABENCH_IOC_RUN:
		return dmabench_ioctl_run((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations dmabench_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = dmabench_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice dmabench_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "dmabench",
	.fops = &dmabench_fops,
	.mode = 0600,
};

static int __init dmabench_init(void)
{
	int ret;

	ret = dmabench_targets_init();
	if (ret)
		return ret;
	ret = misc_register(&dmabench_misc);
	if (ret)
		goto err_targets;
	pr_info("loaded, features 0x%x, tsc_khz %llu\n",
		dmabench_features(), dmabench_tsc_khz());
	return 0;

err_targets:
	dmabench_targets_exit();
	return ret;
}

static void __exit dmabench_exit(void)
{
	misc_deregister(&dmabench_misc);
	dmabench_targets_exit();
}

module_init(dmabench_init);
module_exit(dmabench_exit);
MODULE_DESCRIPTION("Times the streaming DMA mapping API");
MODULE_LICENSE("GPL");
