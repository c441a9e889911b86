// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to dmabench.ko through /dev/dmabench: open, the two ioctls, and
 * what their errors mean in words that name the fix.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "module.h"

/* The device's file descriptor, or a negative errno. */
int module_open(void)
{
	int fd = open(DMABENCH_DEV_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

void module_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

int module_info(int fd, struct dmabench_info *info)
{
	memset(info, 0, sizeof(*info));
	info->version = DMABENCH_UAPI_VERSION;
	info->size = sizeof(*info);
	return ioctl(fd, DMABENCH_IOC_INFO, info) < 0 ? -errno : 0;
}

/* A run of one thread on the caller's CPU, one buffer mapped at a time. */
void module_run_init(struct dmabench_run *run)
{
	memset(run, 0, sizeof(*run));
	run->batch = 1;
	run->working_set = 1;
	run->threads = 1;
	run->node = DMABENCH_NODE_CPU;
}

/* The caller fills the inputs; version and size are set here. */
int module_run(int fd, struct dmabench_run *run)
{
	run->version = DMABENCH_UAPI_VERSION;
	run->size = sizeof(*run);
	return ioctl(fd, DMABENCH_IOC_RUN, run) < 0 ? -errno : 0;
}

/* err is a positive errno from module_open(), module_info() or module_run(). */
const char *module_strerror(int err)
{
	switch (err) {
	case ENOENT:
		return "the dmabench module is not loaded (no " DMABENCH_DEV_PATH "): " MODULE_LOAD_HINT;
	case ENODEV:
	case ENXIO:
		return "no dmabench device: the module is not loaded, or the PCI device the run mapped for was unbound during it (bind it again): " MODULE_LOAD_HINT;
	case EBUSY:
		return "another dmabench run is under way (the module times one at a time): wait for it to end or stop that dmabench, then run again";
	case EACCES:
	case EPERM:
		return DMABENCH_DEV_PATH ": permission denied: run as root";
	case EINVAL:
		return "the module refused the run (dmesg says why); if it refused every run, module and program come from different dmabench_uapi.h: rebuild both from one tree";
	case ENOTTY:
		return DMABENCH_DEV_PATH " does not know dmabench's ioctls: rebuild module and program from one tree";
	case EIO:
		return "a DMA mapping failed (see dmesg)";
	case ENOMEM:
		return "the module ran out of memory (try fewer --samples or a smaller --size)";
	case EINTR:
		return "interrupted";
	case ETIME:
		return "the run went over the module's time limit: ask for fewer --samples";
	}
	return strerror(err);
}
