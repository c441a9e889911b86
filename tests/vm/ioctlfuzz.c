// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz dmabench.ko's control interface: ioctls on /dev/dmabench with
 * random and boundary values in every field, wrong versions and sizes,
 * unknown commands, NULL, unmapped, kernel, read-only and half-mapped
 * pointers (the argument itself and every pointer inside it), sample
 * buffers too small, from several processes with several threads each,
 * while SIGUSR1 interrupts them, SIGKILL ends whole processes mid-run (a
 * new one takes each place) and other threads close and reopen the device
 * file.  Runs inside the VM, as root, with the module loaded; the caller
 * checks the kernel log and that the module unloads.
 *
 * Where the time goes: a request the module refuses costs tens of
 * microseconds; one that gets as far as a run (a good one, or one whose
 * bad pointers are only found when the samples are copied out) starts a
 * kernel thread and maps; the module runs one at a time and refuses
 * another with EBUSY at once, when a good run tries again up to 100 times
 * 0.1 ms apart.  So each process's first thread makes the requests that run
 * (all small: 1 to 8 samples) and the other threads only requests the
 * module must refuse, which never wait behind a run.  The time each kind
 * of call spent inside ioctl() is printed.
 *
 * Usage: ioctlfuzz [-n CALLS] [-T SECONDS] [-p PROCS] [-t THREADS]
 *                  [-s SEED] [-d own|pci|both]
 *   -d   the device of the requests meant to run (default own: the
 *        module's platform device; pci: the spare PCI device bound to it)
 * Stops after CALLS calls or SECONDS seconds, whichever comes first.
 * Prints the seed, the calls made (every 10 s too), the faults injected
 * by kind, the time in ioctl() by kind, and how the calls ended (by
 * errno).  Exit 0 when CALLS were made, 1 when time ran out first (or a
 * process ended badly), 2 on a bad option.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dmabench_uapi.h"

enum fault {
	/* kinds of call */
	F_VERSION, F_SIZE, F_CMD, F_NULLPTR, F_UNMAPPED, F_KERNELPTR,
	F_READONLY, F_HALFMAPPED, F_INNERPTR, F_SMALLBUF, F_FIELDS, F_VALID,
	F_INFO,
	/* what happens around the calls */
	F_SIGNAL, F_CLOSE, F_KILL, NR_FAULTS,
};
#define NR_KINDS F_SIGNAL

static const char *const fault_names[NR_FAULTS] = {
	"wrong version", "wrong struct size", "unknown or mis-sized command",
	"NULL argument", "unmapped argument", "kernel-address argument",
	"read-only argument", "half-mapped argument",
	"bad pointer inside a run", "sample buffer too small",
	"random field values", "well-formed run", "well-formed info",
	"SIGUSR1 mid-call", "fd closed mid-run", "SIGKILL mid-run",
};

/* Shared between all processes: the counts. */
struct shared {
	_Atomic uint64_t calls;
	_Atomic uint64_t faults[NR_FAULTS];
	_Atomic uint64_t errnos[160];
	_Atomic uint64_t ok;
	/* Per kind of call: accepted calls, nanoseconds inside ioctl(). */
	_Atomic uint64_t kok[NR_KINDS], kns[NR_KINDS];
	/* Runs that ended well, by the path and domain they saw. */
	_Atomic uint64_t path[4], domain[6], unsupported[10];
	uint64_t target;
	_Atomic int stop;	/* time is up */
};

static struct shared *sh;
static _Atomic int dev_fd = -1;
static size_t page;
/* A page that faults: PROT_NONE, right after `edge_rw`, a writable one. */
static char *edge, *edge_rw;
/* A read-only page holding a well-formed run and info. */
static char *readonly;
static uint64_t ro_samples[3 * 8];
static uint32_t targets = 1 << DMABENCH_TARGET_OWN;
static __thread uint64_t rng;

static int done(void)
{
	return atomic_load(&sh->stop) || atomic_load(&sh->calls) >= sh->target;
}

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static uint64_t pick(const uint64_t *v, size_t n)
{
	return v[rnd() % n];
}

/* A boundary or random value for a field of the given width. */
static uint64_t boundary(int bits)
{
	static const uint64_t b[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 255, 256, 257, 4095, 4096,
		4097, 65535, 65536, 1 << 20, (4 << 20) - 1, 4 << 20,
		(4 << 20) + 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
		0x100000000ULL, 0x7fffffffffffffffULL, 0xffffffffffffffffULL,
	};
	uint64_t v = rnd() & 1 ? pick(b, sizeof(b) / sizeof(b[0])) : rnd();

	return bits == 64 ? v : v & 0xffffffffULL;
}

/* A pointer that faults: NULL-ish, unmapped, kernel space or read-only. */
static uint64_t bad_pointer(void)
{
	switch (rnd() % 4) {
	case 0:
		return rnd() % page;
	case 1:
		return (uintptr_t)edge + rnd() % page;
	case 2:
		return 0xffff800000000000ULL + (rnd() & 0xfffff000);
	default:
		return (uintptr_t)readonly;
	}
}

static uint64_t nsec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void count_run(const struct dmabench_run *r)
{
	if (r->unsupported) {
		atomic_fetch_add(&sh->unsupported[r->unsupported < 10 ?
						  r->unsupported : 0], 1);
		return;
	}
	atomic_fetch_add(&sh->path[r->observed < 4 ? r->observed : 0], 1);
	atomic_fetch_add(&sh->domain[r->domain < 6 ? r->domain : 5], 1);
}

/* 0, or the call's errno. */
static int call(enum fault kind, unsigned long cmd, void *arg)
{
	int fd = atomic_load(&dev_fd), ret, err;
	uint64_t t0 = nsec();

	ret = ioctl(fd, cmd, arg);
	err = ret ? errno : 0;
	atomic_fetch_add(&sh->kns[kind], nsec() - t0);
	atomic_fetch_add(&sh->faults[kind], 1);
	atomic_fetch_add(&sh->calls, 1);
	if (ret == 0) {
		atomic_fetch_add(&sh->ok, 1);
		atomic_fetch_add(&sh->kok[kind], 1);
		if (cmd == DMABENCH_IOC_RUN && kind != F_READONLY)
			count_run(arg);
	} else if (err > 0 && err < 160) {
		atomic_fetch_add(&sh->errnos[err], 1);
	}
	return err;
}

static uint32_t pick_target(void)
{
	uint32_t t;

	do
		t = rnd() % DMABENCH_TARGET_COUNT;
	while (!(targets & (1U << t)));
	return t;
}

/*
 * A run the module should accept, small: up to 8 samples of up to 64 KiB,
 * 2 buffers.  Sample buffers hold 8 samples.
 */
static void well_formed(struct dmabench_run *r, uint64_t *buf)
{
	static const uint64_t sizes[] = { 64, 512, 4096, 65536 };

	memset(r, 0, sizeof(*r));
	r->version = DMABENCH_UAPI_VERSION;
	r->size = sizeof(*r);
	r->api = rnd() % DMABENCH_API_COUNT;
	r->target = pick_target();
	r->dir = rnd() % 3;
	r->nents = r->api == DMABENCH_API_SG ? 1 + rnd() % 4 : 1;
	r->bytes = pick(sizes, 4);
	r->offset = rnd() & 1 ? 0 : rnd() % 64;
	r->attrs = rnd() & 1 ? DMABENCH_ATTR_SKIP_CPU_SYNC : 0;
	r->samples = 1 + rnd() % 8;
	r->warmup = rnd() % 4;
	r->samples_ptr = (uintptr_t)buf;
	r->batch = 1 + rnd() % 2;
	r->working_set = r->batch + rnd() % 2;
	r->threads = 1;
	r->node = -1;
}

/* Random and boundary values in 1 to 4 fields of a well-formed run. */
static void mutate(struct dmabench_run *r, uint32_t *cpus, uint64_t *counters)
{
	for (unsigned int k = 1 + rnd() % 4; k; k--) {
		switch (rnd() % 17) {
		case 0: r->api = boundary(32); break;
		case 1: r->target = boundary(32); break;
		case 2: r->dir = boundary(32); break;
		case 3: r->nents = boundary(32); break;
		case 4: r->bytes = boundary(64); break;
		case 5: r->offset = boundary(32); break;
		case 6: r->attrs = boundary(32); break;
		case 7: r->samples = boundary(32); break;
		case 8: r->warmup = boundary(32); break;
		case 9: r->batch = boundary(32); break;
		case 10: r->working_set = boundary(32); break;
		case 11: r->threads = boundary(32); break;
		case 12: r->node = boundary(32); break;
		case 13:
			r->cpus_ptr = (uintptr_t)cpus;
			r->threads = 1 + rnd() % 4;
			break;
		case 14:
			r->flags = boundary(32);
			r->counters_ptr = (uintptr_t)counters;
			break;
		case 15: r->trace_tag = boundary(32); break;
		default:	/* the out fields too: the module must ignore them */
			r->unsupported = boundary(32);
			r->observed = boundary(32);
			r->windows = boundary(64);
			r->wall_ticks = boundary(64);
		}
	}
	/*
	 * Keep accepted runs small: at most 8 samples a thread (the buffer),
	 * 64 warm-up operations and 64 buffers of up to 4 MiB.
	 */
	if (r->samples > 8 && r->samples <= 1 << 20)
		r->samples = 1 + r->samples % 8;
	if (r->warmup > 64 && r->warmup <= 1 << 20)
		r->warmup %= 64;
	if (r->working_set > 64 && r->working_set <= 4096 && rnd() % 16)
		r->working_set %= 64;
	if (r->threads > 4 && r->threads <= 64 && rnd() % 16)
		r->threads = 1;
	/*
	 * The module takes up to 64 threads x 4096 buffers x 4 MiB: more than
	 * a guest has.  Requests over 256 MiB of buffers would exhaust its
	 * memory (the OOM killer, not the module, would answer): not made.
	 */
	if (r->bytes <= 4 << 20 && r->working_set <= 4096 &&
	    r->threads <= 64 && r->nents <= 256 &&
	    r->bytes * r->working_set * (r->threads ? r->threads : 1) *
	    (r->nents ? r->nents : 1) > 256 << 20)
		r->working_set = 1;
}

/* An argument struct that runs into the faulting page after `off` bytes. */
static void *half_mapped(const void *src, size_t size)
{
	/* The header (version, size) readable: the module reads it first. */
	size_t off = 8 + rnd() % (size - 8);
	char *p = edge - off;

	memcpy(p, src, off);
	return p;
}

/* Make sure the module refuses r: one field out of its range. */
static void break_one(struct dmabench_run *r)
{
	switch (rnd() % 8) {
	case 0: r->api = DMABENCH_API_COUNT + rnd() % 1000; break;
	case 1: r->dir = 3 + rnd() % 1000; break;
	case 2: r->bytes = rnd() & 1 ? 0 : (4 << 20) + 1 + rnd() % 4096; break;
	case 3: r->samples = 0; break;
	case 4: r->batch = 0; break;
	case 5: r->threads = rnd() & 1 ? 0 : 65 + rnd() % 1000; break;
	case 6: r->flags |= 1U << (2 + rnd() % 30); break;
	default: r->offset = 4096 + rnd() % 100000; break;
	}
}

/*
 * A malformed request the module refuses before it takes its lock: these
 * are most of the calls, made by all threads but a process's first.
 */
static void one_refused(uint64_t *wide)
{
	static const unsigned long cmds[] = {
		_IO(DMABENCH_IOC_MAGIC, 0), _IO(DMABENCH_IOC_MAGIC, 3),
		_IOWR(DMABENCH_IOC_MAGIC, 1, uint32_t),
		_IOWR(DMABENCH_IOC_MAGIC, 2, uint64_t),
		_IOR(DMABENCH_IOC_MAGIC, 2, struct dmabench_run),
		_IOW(DMABENCH_IOC_MAGIC, 1, struct dmabench_info),
		0, ~0UL,
	};
	struct dmabench_run r;
	struct dmabench_info in;
	uint64_t counters[DMABENCH_NR_COUNTERS * 64];
	uint32_t cpus[4] = { 0, 1, 0, 4095 };
	unsigned int what = rnd() % 100;
	int info = rnd() % 3 == 0;	/* 1 in 3: the info ioctl */
	unsigned long cmd = info ? DMABENCH_IOC_INFO : DMABENCH_IOC_RUN;

	well_formed(&r, wide);
	memset(&in, 0, sizeof(in));
	in.version = DMABENCH_UAPI_VERSION;
	in.size = sizeof(in);

	if (what < 20) {
		/* Any version but the right one. */
		do {
			r.version = boundary(32);
		} while (r.version == DMABENCH_UAPI_VERSION);
		in.version = r.version;
		call(F_VERSION, cmd, info ? (void *)&in : (void *)&r);
	} else if (what < 40) {
		do {
			r.size = boundary(32);
		} while (r.size == sizeof(r) || r.size == sizeof(in));
		in.size = r.size;
		call(F_SIZE, cmd, info ? (void *)&in : (void *)&r);
	} else if (what < 50) {
		call(F_CMD, rnd() & 1 ? cmds[rnd() % 8] : (unsigned long)rnd(),
		     &r);
	} else if (what < 55) {
		call(F_NULLPTR, cmd, (void *)(uintptr_t)(rnd() % page));
	} else if (what < 60) {
		call(F_UNMAPPED, cmd, edge + rnd() % page);
	} else if (what < 65) {
		call(F_KERNELPTR, cmd,
		     (void *)(uintptr_t)(0xffff800000000000ULL +
					 (rnd() & 0xfffff000)));
	} else if (what < 75) {
		call(F_HALFMAPPED, cmd, info ? half_mapped(&in, sizeof(in)) :
					       half_mapped(&r, sizeof(r)));
	} else {
		mutate(&r, cpus, counters);
		break_one(&r);
		call(F_FIELDS, DMABENCH_IOC_RUN, &r);
	}
}

/*
 * A request that gets as far as a run (or the lock): each process's first
 * thread makes these, and the malformed ones now and then.  The module
 * runs one at a time; the other threads need not wait behind them.
 */
static void one_run(uint64_t *buf, uint64_t *wide)
{
	struct dmabench_run r;
	struct dmabench_info in;
	uint64_t counters[DMABENCH_NR_COUNTERS * 64];
	uint32_t cpus[4] = { 0, 1, 0, 4095 };
	unsigned int what = rnd() % 100;

	well_formed(&r, buf);
	memset(&in, 0, sizeof(in));
	in.version = DMABENCH_UAPI_VERSION;
	in.size = sizeof(in);

	if (what < 10) {
		one_refused(wide);
	} else if (what < 25) {
		/*
		 * A read-only argument: the module reads a good request, then
		 * cannot write its answer.
		 */
		if (rnd() & 1)
			call(F_READONLY, DMABENCH_IOC_INFO, readonly + page / 2);
		else
			call(F_READONLY, DMABENCH_IOC_RUN, readonly);
	} else if (what < 40) {
		/* Bad pointers inside a good request. */
		switch (rnd() % 3) {
		case 0:
			r.samples_ptr = bad_pointer();
			break;
		case 1:
			r.flags = DMABENCH_RUN_COUNTERS;
			r.counters_ptr = bad_pointer();
			break;
		default:
			r.threads = 2;
			r.cpus_ptr = bad_pointer();
		}
		call(F_INNERPTR, DMABENCH_IOC_RUN, &r);
	} else if (what < 55) {
		/* The sample buffer too small: it runs into the faulting page. */
		r.samples_ptr = (uintptr_t)(edge - 8 * 3 * (rnd() % r.samples));
		call(F_SMALLBUF, DMABENCH_IOC_RUN, &r);
	} else if (what < 70) {
		/*
		 * Another process's run holds the module (one run at a time:
		 * EBUSY at once): a good run tries again a little, so that
		 * runs, and the signals, closes and kills landing in them,
		 * still happen.
		 */
		for (int tries = 0; call(F_VALID, DMABENCH_IOC_RUN, &r) == EBUSY &&
		     tries < 100 && !done(); tries++)
			usleep(100);
	} else if (what < 80) {
		call(F_INFO, DMABENCH_IOC_INFO, &in);
	} else {
		/* Random and boundary values, whatever the module makes of them. */
		mutate(&r, cpus, counters);
		r.samples_ptr = (uintptr_t)wide;	/* room for every thread */
		call(F_FIELDS, DMABENCH_IOC_RUN, &r);
	}
}

static void on_usr1(int sig)
{
	(void)sig;
}

struct worker_arg {
	uint64_t seed;
	int runner;	/* makes the requests that run */
};

static void *worker(void *arg)
{
	const struct worker_arg *w = arg;
	uint64_t *buf = calloc(3 * 8, sizeof(*buf));
	/* Room for 64 threads of 8 samples: a mutated run may have them. */
	uint64_t *wide = calloc(64 * 3 * 8, sizeof(*wide));

	rng = w->seed * 0x9e3779b97f4a7c15ULL + 1;
	if (buf && wide) {
		while (!done()) {
			if (w->runner)
				one_run(buf, wide);
			else
				one_refused(wide);
		}
	}
	free(buf);
	free(wide);
	return NULL;
}

/* Close the device under the others and open it again, now and then. */
static void *closer(void *arg)
{
	struct timespec ts = { 0, 3000000 };
	int fd;

	(void)arg;
	while (!done()) {
		nanosleep(&ts, NULL);
		fd = open(DMABENCH_DEV_PATH, O_RDWR);
		if (fd < 0)
			continue;
		fd = atomic_exchange(&dev_fd, fd);
		close(fd);
		atomic_fetch_add(&sh->faults[F_CLOSE], 1);
	}
	return NULL;
}

static int child(unsigned int id, unsigned int threads, uint64_t seed)
{
	pthread_t t[16], c;
	struct worker_arg wa[16];
	struct sigaction sa;
	struct timespec ts = { 0, 1000000 };
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART: the call sees EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	fd = open(DMABENCH_DEV_PATH, O_RDWR);
	if (fd < 0) {
		perror(DMABENCH_DEV_PATH);
		return 1;
	}
	atomic_store(&dev_fd, fd);
	for (unsigned int i = 0; i < threads; i++) {
		wa[i].seed = seed + id * 64 + i;
		wa[i].runner = i == 0;
		pthread_create(&t[i], NULL, worker, &wa[i]);
	}
	pthread_create(&c, NULL, closer, NULL);
	rng = seed ^ (id + 1);
	while (!done()) {
		nanosleep(&ts, NULL);
		/*
		 * 1 in 50 to the thread whose calls run: about one a run (tens
		 * of ms), so that half of them end early and half complete.
		 */
		pthread_kill(t[threads == 1 || rnd() % 50 == 0 ? 0 :
			       1 + rnd() % (threads - 1)], SIGUSR1);
		atomic_fetch_add(&sh->faults[F_SIGNAL], 1);
	}
	for (unsigned int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	pthread_join(c, NULL);
	return 0;
}

/* The pages the bad pointers point at. */
static int setup_pages(void)
{
	struct dmabench_run r;
	struct dmabench_info in;

	edge_rw = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	readonly = mmap(NULL, page, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge_rw == MAP_FAILED || readonly == MAP_FAILED)
		return -1;
	edge = edge_rw + page;
	if (mprotect(edge, page, PROT_NONE))
		return -1;
	/* A good run and a good info request, then read-only. */
	rng = 1;
	targets = 1 << DMABENCH_TARGET_OWN;
	well_formed(&r, ro_samples);
	r.api = DMABENCH_API_SINGLE;
	r.samples = 2;
	r.warmup = 0;
	memcpy(readonly, &r, sizeof(r));
	memset(&in, 0, sizeof(in));
	in.version = DMABENCH_UAPI_VERSION;
	in.size = sizeof(in);
	memcpy(readonly + page / 2, &in, sizeof(in));
	return mprotect(readonly, page, PROT_READ);
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return t1.tv_sec - t0->tv_sec + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
	unsigned int procs = 3, threads = 3;
	uint64_t calls = 1000000, seed = time(NULL), last = 0, want;
	double limit = 0, now;
	pid_t pids[16];
	struct timespec ts = { 0, 20000000 }, t0;
	struct dmabench_info info;
	const char *dev = "own";
	int opt, fd, status, bad = 0;

	while ((opt = getopt(argc, argv, "n:T:p:t:s:d:")) != -1) {
		switch (opt) {
		case 'n': calls = strtoull(optarg, NULL, 0); break;
		case 'T': limit = atof(optarg); break;
		case 'p': procs = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'd': dev = optarg; break;
		default:
			fprintf(stderr, "usage: ioctlfuzz [-n CALLS] [-T SECONDS] [-p PROCS] [-t THREADS] [-s SEED] [-d own|pci|both]\n");
			return 2;
		}
	}
	if (procs < 1 || procs > 16 || threads < 1 || threads > 16) {
		fprintf(stderr, "ioctlfuzz: -p and -t from 1 to 16\n");
		return 2;
	}
	if (!strcmp(dev, "own")) {
		want = 1 << DMABENCH_TARGET_OWN;
	} else if (!strcmp(dev, "pci")) {
		want = 1 << DMABENCH_TARGET_PCI;
	} else if (!strcmp(dev, "both")) {
		want = 1 << DMABENCH_TARGET_OWN | 1 << DMABENCH_TARGET_PCI;
	} else {
		fprintf(stderr, "ioctlfuzz: -d '%s': own, pci or both\n", dev);
		return 2;
	}
	page = sysconf(_SC_PAGESIZE);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || setup_pages()) {
		perror("ioctlfuzz: mmap");
		return 1;
	}
	targets = want;
	sh->target = calls;
	fd = open(DMABENCH_DEV_PATH, O_RDWR);
	memset(&info, 0, sizeof(info));
	info.version = DMABENCH_UAPI_VERSION;
	info.size = sizeof(info);
	if (fd < 0 || ioctl(fd, DMABENCH_IOC_INFO, &info)) {
		printf("Bail out! %s: %s\n", DMABENCH_DEV_PATH, strerror(errno));
		return 1;
	}
	close(fd);
	printf("# ioctlfuzz: seed %llu, %llu calls, %u processes x %u threads, runs on %s%s\n",
	       (unsigned long long)seed, (unsigned long long)calls, procs,
	       threads, dev,
	       (want & 1 << DMABENCH_TARGET_PCI) &&
	       !info.target[DMABENCH_TARGET_PCI].present ?
	       " (no PCI device bound now)" : "");
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned int i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(child(i, threads, seed + i * 1000));
	}
	/* SIGKILL a process now and then, mid-run; a new one takes its place. */
	rng = seed;
	for (unsigned int gen = procs;; gen++) {
		nanosleep(&ts, NULL);
		now = since(&t0);
		if (limit > 0 && now >= limit)
			atomic_store(&sh->stop, 1);
		if ((uint64_t)now / 10 != last) {
			last = (uint64_t)now / 10;
			printf("# %.0f s: %llu calls\n", now,
			       (unsigned long long)atomic_load(&sh->calls));
			fflush(stdout);
		}
		if (done())
			break;
		if (rnd() % 10)
			continue;
		unsigned int i = rnd() % procs;

		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
		atomic_fetch_add(&sh->faults[F_KILL], 1);
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(child(gen, threads, seed + gen * 1000));
	}
	for (unsigned int i = 0; i < procs; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	now = since(&t0);
	printf("# calls made: %llu in %.1f s, %.0f a second (%llu accepted)\n",
	       (unsigned long long)sh->calls, now, sh->calls / now,
	       (unsigned long long)sh->ok);
	for (int f = 0; f < NR_FAULTS; f++)
		printf("# faults: %-30s %llu\n", fault_names[f],
		       (unsigned long long)sh->faults[f]);
	for (int f = 0; f < NR_KINDS; f++)
		if (sh->faults[f])
			printf("# time: %-30s %8llu accepted %9.3f s in ioctl, %9.1f us a call\n",
			       fault_names[f], (unsigned long long)sh->kok[f],
			       sh->kns[f] / 1e9,
			       sh->kns[f] / 1e3 / sh->faults[f]);
	printf("# runs done by path: none %llu, direct %llu, swiotlb %llu, iommu %llu\n",
	       (unsigned long long)sh->path[DMABENCH_OBS_NONE],
	       (unsigned long long)sh->path[DMABENCH_OBS_DIRECT],
	       (unsigned long long)sh->path[DMABENCH_OBS_BOUNCED],
	       (unsigned long long)sh->path[DMABENCH_OBS_IOVA]);
	printf("# runs the module called unsupported, by enum dmabench_unsupported:");
	for (int u = 0; u < 10; u++)
		printf(" %d: %llu", u, (unsigned long long)sh->unsupported[u]);
	printf("\n");
	printf("# runs done by domain: none %llu, blocked %llu, identity %llu, DMA %llu, DMA-FQ %llu, other %llu\n",
	       (unsigned long long)sh->domain[0],
	       (unsigned long long)sh->domain[1],
	       (unsigned long long)sh->domain[2],
	       (unsigned long long)sh->domain[3],
	       (unsigned long long)sh->domain[4],
	       (unsigned long long)sh->domain[5]);
	for (int e = 1; e < 160; e++)
		if (sh->errnos[e])
			printf("# refused with %-12s %llu\n", strerrorname_np(e) ?
			       strerrorname_np(e) : "?",
			       (unsigned long long)sh->errnos[e]);
	printf("%sok 1 - %llu ioctls made, %d processes ended badly\n",
	       sh->calls >= calls && !bad ? "" : "not ",
	       (unsigned long long)sh->calls, bad);
	printf("1..1\n");
	return sh->calls >= calls && !bad ? 0 : 1;
}
