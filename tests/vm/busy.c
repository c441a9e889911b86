// SPDX-License-Identifier: GPL-2.0
/*
 * What happens beside a run that is under way: a second run is refused
 * with EBUSY at once, the info ioctl answers, and (given a PCI device bound
 * to dmabench) unbinding that device stops the run with ENODEV instead of
 * waiting for its end.  Each check asks that the answer came while the
 * long run was still going, which a module that made callers wait behind
 * it cannot pass.  Runs inside the VM, as root, with the module loaded.
 * Prints TAP.
 *
 * Usage: busy [PCI_BDF]
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "dmabench_uapi.h"

/* Long enough to outlast the checks by far: stopped by them, not timed. */
#define LONG_SAMPLES	(1U << 18)
#define LONG_NENTS	16
#define SHORT_SAMPLES	16
#define SETTLE_US	500000	/* for the long run to be under way */
/* Remove waits for one IRQ-off window and the unwinding: milliseconds. */
#define UNBIND_MS	2000

static int fd;
static int failed;
static int count;

struct long_run {
	pthread_t thread;
	struct dmabench_run r;
	uint64_t *samples;
	atomic_int done;	/* the ioctl has returned */
	int err;		/* 0 or its errno */
};

static void check(int ok, const char *what)
{
	count++;
	if (!ok)
		failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", count, what);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void run_init(struct dmabench_run *r, uint32_t target, uint64_t *buf,
		     uint32_t samples)
{
	memset(r, 0, sizeof(*r));
	r->version = DMABENCH_UAPI_VERSION;
	r->size = sizeof(*r);
	r->api = DMABENCH_API_PAGE;
	r->target = target;
	r->dir = DMABENCH_DIR_TO_DEVICE;
	r->nents = 1;
	r->bytes = 4096;
	r->samples = samples;
	r->samples_ptr = (uintptr_t)buf;
	r->batch = 1;
	r->working_set = 1;
	r->threads = 1;
	r->node = DMABENCH_NODE_CPU;
}

static void *long_thread(void *arg)
{
	struct long_run *l = arg;

	l->err = ioctl(fd, DMABENCH_IOC_RUN, &l->r) ? errno : 0;
	atomic_store(&l->done, 1);
	return NULL;
}

/* A run of scatterlists, long enough that only a stop ends it in time. */
static int long_start(struct long_run *l, uint32_t target)
{
	l->samples = calloc(3 * (size_t)LONG_SAMPLES, sizeof(uint64_t));
	if (!l->samples)
		return -1;
	run_init(&l->r, target, l->samples, LONG_SAMPLES);
	l->r.api = DMABENCH_API_SG;
	l->r.nents = LONG_NENTS;
	l->r.warmup = 1U << 20;
	atomic_store(&l->done, 0);
	if (pthread_create(&l->thread, NULL, long_thread, l)) {
		free(l->samples);
		return -1;
	}
	usleep(SETTLE_US);
	return 0;
}

static void long_end(struct long_run *l)
{
	pthread_join(l->thread, NULL);
	free(l->samples);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A second run and the info ioctl while a run is under way. */
static void beside_a_run(void)
{
	static uint64_t buf[3 * SHORT_SAMPLES];
	struct dmabench_info info;
	struct dmabench_run r;
	struct long_run l;
	char line[200];
	double t0, ms;
	int ret, err, during;

	if (long_start(&l, DMABENCH_TARGET_OWN)) {
		check(0, "a long run starts");
		return;
	}
	check(!atomic_load(&l.done), "a long run is under way after 0.5 s");

	run_init(&r, DMABENCH_TARGET_OWN, buf, SHORT_SAMPLES);
	t0 = now_ms();
	ret = ioctl(fd, DMABENCH_IOC_RUN, &r);
	err = errno;
	ms = now_ms() - t0;
	during = !atomic_load(&l.done);
	snprintf(line, sizeof(line),
		 "a second run is refused with EBUSY while the first goes on (%s after %.1f ms)",
		 ret ? strerror(err) : "it ran", ms);
	check(ret == -1 && err == EBUSY && during, line);

	memset(&info, 0, sizeof(info));
	info.version = DMABENCH_UAPI_VERSION;
	info.size = sizeof(info);
	t0 = now_ms();
	ret = ioctl(fd, DMABENCH_IOC_INFO, &info);
	err = errno;
	ms = now_ms() - t0;
	during = !atomic_load(&l.done);
	snprintf(line, sizeof(line),
		 "the info ioctl answers while the run goes on (%s after %.1f ms)",
		 ret ? strerror(err) : "answered", ms);
	check(ret == 0 && during && info.target[DMABENCH_TARGET_OWN].present,
	      line);

	/* A signal stops the run between two windows. */
	t0 = now_ms();
	pthread_kill(l.thread, SIGUSR1);
	long_end(&l);
	ms = now_ms() - t0;
	snprintf(line, sizeof(line),
		 "a signal stops the long run with EINTR (%s after %.1f ms)",
		 l.err ? strerror(l.err) : "it ended", ms);
	check(l.err == EINTR, line);

	run_init(&r, DMABENCH_TARGET_OWN, buf, SHORT_SAMPLES);
	check(ioctl(fd, DMABENCH_IOC_RUN, &r) == 0 && !r.unsupported,
	      "after it, a run works again");
}

static int write_file(const char *path, const char *text)
{
	int f = open(path, O_WRONLY), ret = 0;
	size_t n = strlen(text);

	if (f < 0)
		return -errno;
	if (write(f, text, n) != (ssize_t)n)
		ret = -errno;
	close(f);
	return ret;
}

/* Unbinding the PCI device mapped for stops the run, unmapped. */
static void remove_during_a_run(const char *bdf)
{
	struct dmabench_info info;
	struct long_run l;
	char line[200];
	double t0, ms;
	int ret, during;

	if (long_start(&l, DMABENCH_TARGET_PCI)) {
		check(0, "a long run on the PCI device starts");
		return;
	}
	check(!atomic_load(&l.done),
	      "a long run on the PCI device is under way after 0.5 s");

	/*
	 * Remove waits until the run has stopped and unmapped, so the run
	 * may well have returned by the time unbind does: what shows that
	 * remove did not wait for its end is its ENODEV, and the time.
	 */
	during = !atomic_load(&l.done);
	t0 = now_ms();
	ret = write_file("/sys/bus/pci/drivers/dmabench/unbind", bdf);
	ms = now_ms() - t0;
	snprintf(line, sizeof(line),
		 "unbinding %s during the run returns within %d ms (%s after %.1f ms)",
		 bdf, UNBIND_MS, ret ? strerror(-ret) : "unbound", ms);
	check(ret == 0 && during && ms < UNBIND_MS, line);

	long_end(&l);
	snprintf(line, sizeof(line),
		 "the run on the removed device was stopped: ENODEV (%s)",
		 l.err ? strerror(l.err) : "it ran to its end");
	check(l.err == ENODEV, line);

	memset(&info, 0, sizeof(info));
	info.version = DMABENCH_UAPI_VERSION;
	info.size = sizeof(info);
	check(ioctl(fd, DMABENCH_IOC_INFO, &info) == 0 &&
	      !info.target[DMABENCH_TARGET_PCI].present,
	      "info no longer reports the PCI target");
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	fd = open(DMABENCH_DEV_PATH, O_RDWR);
	if (fd < 0) {
		printf("Bail out! cannot open %s: %s\n", DMABENCH_DEV_PATH,
		       strerror(errno));
		return 1;
	}
	/* No SA_RESTART: the interrupted ioctl returns EINTR. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);

	beside_a_run();
	if (argc > 1)
		remove_during_a_run(argv[1]);

	printf("1..%d\n", count);
	close(fd);
	return failed ? 1 : 0;
}
