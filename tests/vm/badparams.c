// SPDX-License-Identifier: GPL-2.0
/*
 * Feeds dmabench.ko malformed requests through its ioctls and checks that
 * each is refused with the right errno, then that a well-formed request still
 * works.  Runs inside the VM, as root, with the module loaded.  Prints TAP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "dmabench_uapi.h"

static int fd;
static int failed;
static int count;
static uint64_t samples[3 * 16];
static const uint32_t two_same[2] = { 0, 0 };
static uint64_t counts[DMABENCH_NR_COUNTERS];
static const uint32_t offline[1] = { 4095 };

static void check(int ok, const char *what)
{
	count++;
	if (!ok)
		failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", count, what);
}

static struct dmabench_run good(void)
{
	struct dmabench_run r;

	memset(&r, 0, sizeof(r));
	r.version = DMABENCH_UAPI_VERSION;
	r.size = sizeof(r);
	r.api = DMABENCH_API_PAGE;
	r.target = DMABENCH_TARGET_OWN;
	r.dir = 1;
	r.nents = 1;
	r.bytes = 4096;
	r.samples = 16;
	r.samples_ptr = (uintptr_t)samples;
	r.batch = 1;
	r.working_set = 1;
	r.threads = 1;
	r.node = -1;
	return r;
}

static void refused(struct dmabench_run r, int err, const char *what)
{
	int ret = ioctl(fd, DMABENCH_IOC_RUN, &r);
	char line[160];

	snprintf(line, sizeof(line), "refused with %s: %s", strerror(err),
		 what);
	check(ret == -1 && errno == err, line);
}

int main(void)
{
	struct dmabench_info info;
	struct dmabench_run r;

	fd = open(DMABENCH_DEV_PATH, O_RDWR);
	if (fd < 0) {
		printf("Bail out! cannot open %s: %s\n", DMABENCH_DEV_PATH,
		       strerror(errno));
		return 1;
	}

	memset(&info, 0, sizeof(info));
	info.version = DMABENCH_UAPI_VERSION + 1;
	info.size = sizeof(info);
	check(ioctl(fd, DMABENCH_IOC_INFO, &info) == -1 && errno == EINVAL,
	      "info refuses another interface version");
	info.version = DMABENCH_UAPI_VERSION;
	info.size = sizeof(info) - 8;
	check(ioctl(fd, DMABENCH_IOC_INFO, &info) == -1 && errno == EINVAL,
	      "info refuses another struct size");
	check(ioctl(fd, _IO(DMABENCH_IOC_MAGIC, 99)) == -1 && errno == ENOTTY,
	      "unknown ioctl refused with ENOTTY");

	r = good(); r.version = 0; refused(r, EINVAL, "version 0");
	r = good(); r.size = 8; refused(r, EINVAL, "struct size 8");
	r = good(); r.api = DMABENCH_API_COUNT; refused(r, EINVAL, "api out of range");
	r = good(); r.target = DMABENCH_TARGET_COUNT; refused(r, EINVAL, "target out of range");
	r = good(); r.dir = 3; refused(r, EINVAL, "direction 3 (DMA_NONE)");
	r = good(); r.bytes = 0; refused(r, EINVAL, "zero bytes");
	r = good(); r.bytes = (4 << 20) + 1; refused(r, EINVAL, "over 4 MiB");
	r = good(); r.offset = 4096; refused(r, EINVAL, "offset of a whole page");
	r = good(); r.api = DMABENCH_API_SG; r.nents = 0; refused(r, EINVAL, "sg with no entries");
	r = good(); r.api = DMABENCH_API_SG; r.nents = 257; refused(r, EINVAL, "sg with 257 entries");
	r = good(); r.nents = 2; refused(r, EINVAL, "nents on a page mapping");
	r = good(); r.attrs = 1; refused(r, EINVAL, "attrs other than SKIP_CPU_SYNC");
	r = good(); r.samples = 0; refused(r, EINVAL, "zero samples");
	r = good(); r.samples = (1 << 20) + 1; refused(r, EINVAL, "too many samples");
	r = good(); r.warmup = (1 << 20) + 1; refused(r, EINVAL, "too much warm-up");
	r = good(); r.samples_ptr = 0; refused(r, EINVAL, "no sample buffer");
	r = good(); r.batch = 0; refused(r, EINVAL, "batch 0");
	r = good(); r.batch = 2; refused(r, EINVAL, "batch over the working set");
	r = good(); r.working_set = 4097; r.batch = 1; refused(r, EINVAL, "working set over 4096");
	r = good(); r.api = DMABENCH_API_SG; r.nents = 256; r.working_set = 17;
	refused(r, EINVAL, "working set x nents over 4096");
	r = good(); r.api = DMABENCH_API_SG; r.nents = 2; r.bytes = (2 << 20) + 1;
	refused(r, EINVAL, "sg entry over 2 MiB");
	r = good(); r.threads = 0; refused(r, EINVAL, "zero threads");
	r = good(); r.threads = 65; refused(r, EINVAL, "65 threads");
	r = good(); r.threads = 2; refused(r, EINVAL, "two threads without CPUs");
	r = good(); r.threads = 2; r.cpus_ptr = (uintptr_t)two_same;
	refused(r, EINVAL, "two threads on one CPU");
	r = good(); r.cpus_ptr = (uintptr_t)offline; refused(r, EINVAL, "an offline CPU");
	r = good(); r.node = 4096; refused(r, EINVAL, "a NUMA node that is not online");
	r = good(); r.flags = 4; refused(r, EINVAL, "unknown flags");
	r = good(); r.flags = DMABENCH_RUN_COUNTERS; refused(r, EINVAL, "counters without a buffer");
	r = good(); r.trace_tag = 1; refused(r, EINVAL, "a trace tag without the trace flag");
	r = good(); r.flags = DMABENCH_RUN_TRACE; r.threads = 2;
	r.cpus_ptr = (uintptr_t)two_same; refused(r, EINVAL, "a traced run of two threads");
	/* Untraced by any debugger, a traced run is one more map and unmap. */
	r = good(); r.flags = DMABENCH_RUN_TRACE; r.trace_tag = 7;
	check(ioctl(fd, DMABENCH_IOC_RUN, &r) == 0, "a traced run works");
	/* Mapped, timed and unmapped, then the copy-out fails: no leak. */
	r = good(); r.samples_ptr = 16; refused(r, EFAULT, "unwritable sample buffer");

	/*
	 * Each counter either counted or says why not (x86 TCG has no PMU:
	 * all say why; arm64 TCG counts cycles and instructions).  A run
	 * takes cycles and executes instructions: counted, those are never 0.
	 */
	r = good();
	r.flags = DMABENCH_RUN_COUNTERS;
	r.counters_ptr = (uintptr_t)counts;
	memset(counts, 0, sizeof(counts));
	check(ioctl(fd, DMABENCH_IOC_RUN, &r) == 0 &&
	      (r.counter_err[DMABENCH_CNT_CYCLES] < 0 ||
	       counts[DMABENCH_CNT_CYCLES] > 0) &&
	      (r.counter_err[DMABENCH_CNT_INSTRUCTIONS] < 0 ||
	       counts[DMABENCH_CNT_INSTRUCTIONS] > 0) &&
	      r.counter_err[DMABENCH_CNT_BRANCH_MISSES] <= 0 &&
	      r.counter_err[DMABENCH_CNT_CACHE_MISSES] <= 0,
	      "every counter counted or is reported unavailable with errno; counted cycles and instructions are non-zero");

	r = good();
	check(ioctl(fd, DMABENCH_IOC_RUN, &r) == 0 && !r.unsupported &&
	      r.observed != DMABENCH_OBS_NONE && samples[3 * 15 + 2] > 0,
	      "a well-formed run still works after the refusals");

	printf("1..%d\n", count);
	close(fd);
	return failed ? 1 : 0;
}
