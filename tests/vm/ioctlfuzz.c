// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz dmabench.ko's control interface: ioctls on /dev/dmabench with
 * random and boundary values in every field, wrong versions and sizes,
 * unknown commands, NULL, unmapped, read-only and too small pointers,
 * from several processes with several threads each, while SIGUSR1
 * interrupts them, SIGKILL ends whole processes mid-run (a new one takes
 * each place) and other threads close and reopen the device file.  The
 * module times one run at a time: a well-formed run refused with EBUSY
 * tries again, up to 100 times 0.1 ms apart.
 * Runs inside the VM, as root, with the module loaded; the caller checks
 * the kernel log and that the module unloads.
 *
 * Usage: ioctlfuzz [-n CALLS] [-T SECONDS] [-p PROCS] [-t THREADS] [-s SEED]
 * Stops after CALLS calls or SECONDS seconds, whichever comes first.
 * Prints the seed, the calls made (every 10 s too) and the faults injected
 * by kind, and how the calls ended (by errno).  Exit 0 when CALLS were
 * made, 1 when time ran out first (or a process ended badly).
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
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dmabench_uapi.h"

enum fault {
	F_VERSION, F_SIZE, F_CMD, F_NULLPTR, F_UNMAPPED, F_READONLY,
	F_SMALLBUF, F_FIELDS, F_VALID, F_SIGNAL, F_CLOSE, F_KILL, NR_FAULTS,
};

static const char *const fault_names[NR_FAULTS] = {
	"wrong version", "wrong struct size", "unknown or mis-sized command",
	"NULL pointer", "unmapped pointer", "read-only pointer",
	"sample buffer too small", "random field values", "well-formed run",
	"SIGUSR1 mid-call", "fd closed mid-run", "SIGKILL mid-run",
};

/* Shared between all processes: the counts. */
struct shared {
	_Atomic uint64_t calls;
	_Atomic uint64_t faults[NR_FAULTS];
	_Atomic uint64_t errnos[160];
	_Atomic uint64_t ok;
	uint64_t target;
	_Atomic int stop;	/* time is up */
};

static struct shared *sh;
static _Atomic int dev_fd = -1;
static void *unmapped, *readonly;
static size_t page;
static __thread uint64_t rng;
static struct dmabench_info info;

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

static void count_fault(enum fault f)
{
	atomic_fetch_add(&sh->faults[f], 1);
}

/* A run the module should accept, small enough to be quick. */
static void well_formed(struct dmabench_run *r, uint64_t *buf, size_t nbuf)
{
	static const uint64_t sizes[] = { 64, 512, 4096, 65536 };

	memset(r, 0, sizeof(*r));
	r->version = DMABENCH_UAPI_VERSION;
	r->size = sizeof(*r);
	r->api = rnd() % DMABENCH_API_COUNT;
	r->target = DMABENCH_TARGET_OWN;
	r->dir = rnd() % 3;
	r->nents = r->api == DMABENCH_API_SG ? 1 + rnd() % 4 : 1;
	r->bytes = pick(sizes, 4);
	r->offset = rnd() & 1 ? 0 : rnd() % 64;
	r->attrs = rnd() & 1 ? DMABENCH_ATTR_SKIP_CPU_SYNC : 0;
	r->samples = 1 + rnd() % 8;
	if (r->samples * 3 > nbuf)
		r->samples = nbuf / 3;
	r->warmup = rnd() % 4;
	r->samples_ptr = (uintptr_t)buf;
	r->batch = 1 + rnd() % 2;
	r->working_set = r->batch + rnd() % 2;
	r->threads = 1;
	r->node = -1;
}

/* 0, or the call's errno. */
static int call(unsigned long cmd, void *arg)
{
	int fd = atomic_load(&dev_fd), ret, err;

	ret = ioctl(fd, cmd, arg);
	err = ret ? errno : 0;
	atomic_fetch_add(&sh->calls, 1);
	if (ret == 0)
		atomic_fetch_add(&sh->ok, 1);
	else if (err > 0 && err < 160)
		atomic_fetch_add(&sh->errnos[err], 1);
	return err;
}

static void one(uint64_t *buf, size_t nbuf)
{
	struct dmabench_run r;
	struct dmabench_info in;
	uint64_t counters[DMABENCH_NR_COUNTERS * 2];
	uint32_t cpus[4] = { 0, 1, 0, 4095 };
	unsigned int what = rnd() % 10;

	/* A well-formed run starts kernel threads: 1 in 50 calls, not 1 in 10. */
	if (what == 2 && rnd() % 5)
		what = 3 + rnd() % 7;

	if (what == 0) {	/* info, sometimes broken */
		memset(&in, 0, sizeof(in));
		in.version = DMABENCH_UAPI_VERSION;
		in.size = sizeof(in);
		switch (rnd() % 4) {
		case 0:
			in.version = boundary(32);
			count_fault(F_VERSION);
			break;
		case 1:
			in.size = boundary(32);
			count_fault(F_SIZE);
			break;
		case 2:
			count_fault(F_NULLPTR);
			call(DMABENCH_IOC_INFO, rnd() & 1 ? NULL : unmapped);
			return;
		default:
			count_fault(F_READONLY);
			call(DMABENCH_IOC_INFO, readonly);
			return;
		}
		call(DMABENCH_IOC_INFO, &in);
		return;
	}
	if (what == 1) {	/* a command the module does not know */
		static const unsigned long cmds[] = {
			_IO(DMABENCH_IOC_MAGIC, 0), _IO(DMABENCH_IOC_MAGIC, 3),
			_IOWR(DMABENCH_IOC_MAGIC, 1, uint32_t),
			_IOWR(DMABENCH_IOC_MAGIC, 2, uint64_t),
			_IOR(DMABENCH_IOC_MAGIC, 2, struct dmabench_run),
			_IOW(DMABENCH_IOC_MAGIC, 1, struct dmabench_info),
			0, ~0UL,
		};
		count_fault(F_CMD);
		well_formed(&r, buf, nbuf);
		call(rnd() & 1 ? cmds[rnd() % 8] : (unsigned long)rnd(), &r);
		return;
	}
	well_formed(&r, buf, nbuf);
	switch (what) {
	case 2:
		count_fault(F_VALID);
		break;
	case 3:
		r.version = boundary(32);
		count_fault(F_VERSION);
		break;
	case 4:
		r.size = boundary(32);
		count_fault(F_SIZE);
		break;
	case 5:	/* bad pointers, anywhere one is taken */
		switch (rnd() % 3) {
		case 0:
			r.samples_ptr = rnd() & 1 ? 0 : (uintptr_t)unmapped;
			count_fault(r.samples_ptr ? F_UNMAPPED : F_NULLPTR);
			break;
		case 1:
			r.samples_ptr = (uintptr_t)readonly;
			count_fault(F_READONLY);
			break;
		default:
			r.flags = DMABENCH_RUN_COUNTERS;
			r.counters_ptr = rnd() & 1 ? (uintptr_t)unmapped :
					 (uintptr_t)readonly;
			count_fault(F_UNMAPPED);
		}
		break;
	case 6:	/* the sample buffer too small: its end is unmapped */
		r.samples = 64 + rnd() % 4096;
		r.samples_ptr = (uintptr_t)((char *)unmapped - 8 * 3 * (rnd() % 8));
		count_fault(F_SMALLBUF);
		break;
	default:	/* random values in some fields */
		count_fault(F_FIELDS);
		for (unsigned int k = 1 + rnd() % 4; k; k--) {
			switch (rnd() % 16) {
			case 0: r.api = boundary(32); break;
			case 1: r.target = boundary(32); break;
			case 2: r.dir = boundary(32); break;
			case 3: r.nents = boundary(32); break;
			case 4: r.bytes = boundary(64); break;
			case 5: r.offset = boundary(32); break;
			case 6: r.attrs = boundary(32); break;
			case 7: r.samples = boundary(32) % 64; break;
			case 8: r.warmup = boundary(32) % 64; break;
			case 9: r.batch = boundary(32); break;
			case 10: r.working_set = boundary(32); break;
			case 11: r.threads = boundary(32) % 6; break;
			case 12: r.node = boundary(32); break;
			case 13:
				r.cpus_ptr = (uintptr_t)cpus;
				r.threads = 1 + rnd() % 4;
				break;
			case 14:
				r.flags = boundary(32);
				r.counters_ptr = (uintptr_t)counters;
				break;
			default: r.trace_tag = boundary(32); break;
			}
		}
		/* Keep accepted runs small: samples * threads fits buf. */
		if ((uint64_t)r.samples * 3 * (r.threads ? r.threads : 1) > nbuf)
			r.samples = 1;
	}
	/*
	 * The module times one run at a time and refuses the others with
	 * EBUSY; a well-formed run waits its turn a little, so that runs,
	 * and the signals, closes and kills that land in them, still happen.
	 */
	for (int tries = 0; call(DMABENCH_IOC_RUN, &r) == EBUSY &&
	     what == 2 && tries < 100 && !done(); tries++)
		usleep(100);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void *worker(void *arg)
{
	size_t nbuf = 3 * 64 * 4;
	uint64_t *buf = malloc(nbuf * sizeof(*buf));

	rng = (uintptr_t)arg * 0x9e3779b97f4a7c15ULL + 1;
	if (!buf)
		return NULL;
	while (!done())
		one(buf, nbuf);
	free(buf);
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
		count_fault(F_CLOSE);
	}
	return NULL;
}

static int child(unsigned int id, unsigned int threads, uint64_t seed)
{
	pthread_t t[16], c;
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
	for (unsigned int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker,
			       (void *)(uintptr_t)(seed + id * 64 + i));
	pthread_create(&c, NULL, closer, NULL);
	rng = seed ^ (id + 1);
	while (!done()) {
		nanosleep(&ts, NULL);
		pthread_kill(t[rnd() % threads], SIGUSR1);
		count_fault(F_SIGNAL);
	}
	for (unsigned int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	pthread_join(c, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int procs = 3, threads = 3;
	uint64_t calls = 1000000, seed = time(NULL), last = 0;
	double limit = 0, now;
	pid_t pids[16];
	struct timespec ts = { 0, 20000000 }, t0, t1;
	int opt, fd, status, bad = 0;

	while ((opt = getopt(argc, argv, "n:T:p:t:s:")) != -1) {
		switch (opt) {
		case 'n': calls = strtoull(optarg, NULL, 0); break;
		case 'T': limit = atof(optarg); break;
		case 'p': procs = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: ioctlfuzz [-n CALLS] [-T SECONDS] [-p PROCS] [-t THREADS] [-s SEED]\n");
			return 2;
		}
	}
	if (procs < 1 || procs > 16 || threads < 1 || threads > 16) {
		fprintf(stderr, "ioctlfuzz: -p and -t from 1 to 16\n");
		return 2;
	}
	page = sysconf(_SC_PAGESIZE);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unmapped = mmap(NULL, page, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	readonly = mmap(NULL, page * 4, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (sh == MAP_FAILED || unmapped == MAP_FAILED || readonly == MAP_FAILED)
		return 1;
	munmap(unmapped, page);
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
	printf("# ioctlfuzz: seed %llu, %llu calls, %u processes x %u threads\n",
	       (unsigned long long)seed, (unsigned long long)calls, procs,
	       threads);
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
		clock_gettime(CLOCK_MONOTONIC, &t1);
		now = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
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
		count_fault(F_KILL);
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(child(gen, threads, seed + gen * 1000));
	}
	for (unsigned int i = 0; i < procs; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# calls made: %llu in %.1f s (%llu accepted)\n",
	       (unsigned long long)sh->calls,
	       t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (unsigned long long)sh->ok);
	for (int f = 0; f < NR_FAULTS; f++)
		printf("# faults: %-30s %llu\n", fault_names[f],
		       (unsigned long long)sh->faults[f]);
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
