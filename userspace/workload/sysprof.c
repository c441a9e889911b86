// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-system cost of a workload (sysprof.h): busy time from /proc/stat,
 * kernel cycles and instructions counted on every online CPU, and kernel
 * IPs sampled on every online CPU, each named through kallsyms and
 * counted as DMA mapping code, idle or other (dmasyms.h).
 *
 * The sample rings are drained by a thread every DRAIN_MS while the
 * workload runs, so that stop only has to read what is left.  A sample
 * is classified when it is read: kallsyms is loaded by start.
 */
#include <ctype.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpus.h"
#include "dmasyms.h"
#include "json.h"
#include "kallsyms.h"
#include "sysprof.h"
#include "util.h"

#ifndef RING_PAGES
#define RING_PAGES	64	/* data pages of a sample ring, a power of 2 */
#endif
#ifndef DRAIN_MS
#define DRAIN_MS	50	/* between drains of the rings */
#endif
#define DEFAULT_FREQ	1000
#define MAX_CPU_IDS	8192

enum { CLS_UNSEEN, CLS_OTHER, CLS_DMA, CLS_IDLE };

struct cpu_ev {
	unsigned int cpu;
	int lead;		/* kernel cycles, leads the group */
	int member;		/* kernel instructions */
	int smp;		/* sampling event */
	struct perf_event_mmap_page *ring;
	size_t ring_len;
};

struct sysprof {
	struct sysprof_opts o;
	struct cpu_ev *ev;
	size_t ncpus;
	size_t page;
	long clk_tck;
	double t0;
	uint64_t busy0;
	bool busy0_ok;

	bool counting;		/* counter groups open on every CPU */
	char counters_reason[128];

	bool sampling;		/* sample rings open on every CPU */
	const char *share_source;
	char share_reason[128];
	struct kallsyms ks;
	uint64_t idle_lo, idle_hi;	/* .cpuidle.text, if kallsyms has it */
	unsigned char *cls;	/* CLS_* of each symbol, found when hit */
	uint64_t *hits;		/* samples of each symbol */
	uint64_t samples, idle, dma, unknown, lost;

	pthread_t thread;
	bool thread_on;
	int wake;		/* eventfd that wakes the thread to quit */
	int quit;

	bool stopped;
	struct sysprof_result res;
};

void sysprof_perf_reason(char *buf, size_t size, const char *what, int err)
{
	const char *fix = NULL;

	switch (err) {
	case ENOENT:
	case EOPNOTSUPP:
		fix = "no hardware PMU: a VM without PMU passthrough?";
		break;
	case EACCES:
	case EPERM:
		fix = "run as root or set /proc/sys/kernel/perf_event_paranoid "
		      "to -1";
		break;
	case ENOSYS:
		fix = "a kernel without CONFIG_PERF_EVENTS";
		break;
	case EMFILE:
	case ENFILE:
		fix = "too many open files: raise ulimit -n";
		break;
	case ENODEV:
		fix = "a CPU went offline?";
		break;
	}
	if (fix)
		snprintf(buf, size, "%s: %s (%s)", what, strerror(err), fix);
	else
		snprintf(buf, size, "%s: %s", what, strerror(err));
}

/* The numbers after "cpu" or "cpuN" on one line; *n of them. */
static int stat_fields(const char *p, uint64_t *f, size_t max, size_t *n)
{
	*n = 0;
	while (*n < max) {
		char *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!isdigit((unsigned char)*p))
			break;
		errno = 0;
		f[(*n)++] = strtoull(p, &end, 10);
		if (errno)
			return -EINVAL;
		p = end;
	}
	return *n >= 4 ? 0 : -EINVAL;
}

int sysprof_parse_stat(const char *text, uint64_t *busy)
{
	uint64_t all = 0, sum = 0, f[10];
	bool have_all = false, have_cpus = false;
	const char *line = text;
	size_t n;

	while (line && *line) {
		if (!strncmp(line, "cpu", 3) &&
		    (line[3] == ' ' || isdigit((unsigned char)line[3]))) {
			const char *p = line + 3;
			uint64_t b;

			while (isdigit((unsigned char)*p))
				p++;
			memset(f, 0, sizeof(f));
			if (stat_fields(p, f, ARRAY_SIZE(f), &n))
				return -EINVAL;
			/* user nice system idle iowait irq softirq steal */
			b = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
			if (line[3] == ' ') {
				all = b;
				have_all = true;
			} else {
				sum += b;
				have_cpus = true;
			}
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!have_all && !have_cpus)
		return -EINVAL;
	*busy = have_all ? all : sum;
	return 0;
}

static int read_busy(uint64_t *busy)
{
	char *text = read_all("/proc/stat", NULL);
	int err;

	if (!text)
		return -errno;
	err = sysprof_parse_stat(text, busy);
	free(text);
	return err;
}

static int perf_open(struct perf_event_attr *a, unsigned int cpu, int group)
{
	long fd = syscall(SYS_perf_event_open, a, -1, (int)cpu, group,
			  PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : (int)fd;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int online_cpus(struct sysprof *p, char *err, size_t errsz)
{
	char buf[4096], perr[96];
	unsigned int *cpus;
	size_t n;
	int e;

	e = read_text("/sys/devices/system/cpu/online", buf, sizeof(buf));
	if (e) {
		snprintf(err, errsz, "reading /sys/devices/system/cpu/online: "
			 "%s", strerror(-e));
		return e;
	}
	cpus = calloc(MAX_CPU_IDS, sizeof(*cpus));
	if (!cpus) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	e = parse_cpu_list(buf, cpus, MAX_CPU_IDS, &n, perr, sizeof(perr));
	if (e || !n) {
		snprintf(err, errsz, "/sys/devices/system/cpu/online: %s",
			 e ? perr : "no CPU");
		free(cpus);
		return e ? e : -ENOENT;
	}
	p->ev = calloc(n, sizeof(*p->ev));
	if (!p->ev) {
		free(cpus);
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		p->ev[i].cpu = cpus[i];
		p->ev[i].lead = p->ev[i].member = p->ev[i].smp = -1;
	}
	p->ncpus = n;
	free(cpus);
	return 0;
}

/* Counters */

static void close_counters(struct sysprof *p)
{
	for (size_t i = 0; i < p->ncpus; i++) {
		close_fd(&p->ev[i].member);
		close_fd(&p->ev[i].lead);
	}
	p->counting = false;
}

static void open_counters(struct sysprof *p)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_HARDWARE;
	a.exclude_user = 1;
	a.exclude_hv = 1;
	a.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED |
			PERF_FORMAT_TOTAL_TIME_RUNNING;
	for (size_t i = 0; i < p->ncpus; i++) {
		struct cpu_ev *e = &p->ev[i];
		int fd;

		a.config = PERF_COUNT_HW_CPU_CYCLES;
		a.disabled = 1;
		fd = perf_open(&a, e->cpu, -1);
		if (fd >= 0) {
			e->lead = fd;
			a.config = PERF_COUNT_HW_INSTRUCTIONS;
			a.disabled = 0;
			fd = perf_open(&a, e->cpu, e->lead);
		}
		if (fd < 0) {
			sysprof_perf_reason(p->counters_reason,
					    sizeof(p->counters_reason),
					    "perf_event_open", -fd);
			close_counters(p);
			return;
		}
		e->member = fd;
	}
	p->counting = true;
}

static void switch_counters(struct sysprof *p, bool on)
{
	unsigned long req = on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE;

	if (!p->counting)
		return;
	for (size_t i = 0; i < p->ncpus; i++) {
		if (ioctl(p->ev[i].lead, req, PERF_IOC_FLAG_GROUP) < 0) {
			sysprof_perf_reason(p->counters_reason,
					    sizeof(p->counters_reason),
					    "perf counter ioctl", errno);
			close_counters(p);
			return;
		}
	}
}

/* Sum the groups into r, or say why not. */
static void read_counters(struct sysprof *p, struct sysprof_result *r)
{
	double cycles = 0, instr = 0;

	for (size_t i = 0; i < p->ncpus; i++) {
		/* nr, time_enabled, time_running, cycles, instructions */
		uint64_t v[5];
		ssize_t n = read(p->ev[i].lead, v, sizeof(v));

		if (n != (ssize_t)sizeof(v) || v[0] != 2) {
			if (n < 0)
				sysprof_perf_reason(r->counters_reason,
						    sizeof(r->counters_reason),
						    "reading counters", errno);
			else
				snprintf(r->counters_reason,
					 sizeof(r->counters_reason),
					 "counters of CPU %u could not be "
					 "scheduled", p->ev[i].cpu);
			return;
		}
		if (v[2] < v[1]) {
			snprintf(r->counters_reason, sizeof(r->counters_reason),
				 "multiplexed (time_running < time_enabled)");
			return;
		}
		cycles += (double)v[3];
		instr += (double)v[4];
	}
	r->kcycles = cycles;
	r->kinstr = instr;
}

/* Sampling */

static unsigned int sample_freq(const struct sysprof *p)
{
	unsigned int f = p->o.freq ? p->o.freq : DEFAULT_FREQ;
	char buf[32];

	/* The kernel refuses a frequency above its limit. */
	if (!read_text("/proc/sys/kernel/perf_event_max_sample_rate", buf,
		       sizeof(buf))) {
		long max = strtol(buf, NULL, 10);

		if (max > 0 && (unsigned long)max < f)
			f = (unsigned int)max;
	}
	return f;
}

static void close_sampling(struct sysprof *p)
{
	for (size_t i = 0; i < p->ncpus; i++) {
		struct cpu_ev *e = &p->ev[i];

		if (e->ring)
			munmap(e->ring, e->ring_len);
		e->ring = NULL;
		close_fd(&e->smp);
	}
	p->sampling = false;
}

/* A ring for one event: RING_PAGES data pages, fewer if mlock is short. */
static int map_ring(struct sysprof *p, struct cpu_ev *e)
{
	int err = EINVAL;

	for (size_t pages = RING_PAGES; pages >= 1; pages /= 4) {
		size_t len = (pages + 1) * p->page;
		void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			       e->smp, 0);

		if (m != MAP_FAILED) {
			e->ring = m;
			e->ring_len = len;
			return 0;
		}
		err = errno;
		if (err != EPERM && err != ENOMEM)
			break;
	}
	return -err;
}

/* Open one kind of sampling event on every CPU; 0 or a negative errno. */
static int open_sampling(struct sysprof *p, uint32_t type, uint64_t config,
			 unsigned int freq, char *why, size_t whysz)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = type;
	a.config = config;
	a.sample_type = PERF_SAMPLE_IP;
	a.freq = 1;
	a.sample_freq = freq;
	a.disabled = 1;
	a.exclude_user = 1;
	a.exclude_hv = 1;
	for (size_t i = 0; i < p->ncpus; i++) {
		struct cpu_ev *e = &p->ev[i];
		int fd = perf_open(&a, e->cpu, -1), err;

		if (fd < 0) {
			sysprof_perf_reason(why, whysz,
					    type == PERF_TYPE_SOFTWARE ?
					    "perf_event_open cpu-clock" :
					    "perf_event_open", -fd);
			close_sampling(p);
			return fd;
		}
		e->smp = fd;
		err = map_ring(p, e);
		if (err) {
			snprintf(why, whysz, "mmap of a perf ring: %s%s",
				 strerror(-err), err == -EPERM ?
				 " (raise /proc/sys/kernel/perf_event_mlock_kb"
				 " or run as root)" : "");
			close_sampling(p);
			return err;
		}
	}
	p->sampling = true;
	return 0;
}

static unsigned char classify(const struct sysprof *p, const struct ksym *s)
{
	if (p->idle_hi > p->idle_lo && s->addr >= p->idle_lo &&
	    s->addr < p->idle_hi)
		return CLS_IDLE;
	if (dmasym_is_idle(s->name))
		return CLS_IDLE;
	if (dmasym_is_dma(s->name) || dmasym_module_is_dma(s->module))
		return CLS_DMA;
	return CLS_OTHER;
}

static void account(struct sysprof *p, uint64_t ip)
{
	long i = kallsyms_index(&p->ks, ip);

	p->samples++;
	if (i < 0) {
		p->unknown++;
		return;
	}
	if (p->cls[i] == CLS_UNSEEN)
		p->cls[i] = classify(p, &p->ks.syms[i]);
	p->hits[i]++;
	if (p->cls[i] == CLS_DMA)
		p->dma++;
	else if (p->cls[i] == CLS_IDLE)
		p->idle++;
}

/* Copy len bytes at offset off of the ring's data, across its end. */
static void ring_copy(const unsigned char *data, uint64_t size, uint64_t off,
		      void *dst, size_t len)
{
	size_t at = (size_t)(off & (size - 1));
	size_t first = size - at < len ? size - at : len;

	memcpy(dst, data + at, first);
	memcpy((unsigned char *)dst + first, data, len - first);
}

static void drain(struct sysprof *p, struct cpu_ev *e)
{
	struct perf_event_mmap_page *pg = e->ring;
	const unsigned char *data;
	uint64_t head, tail, size;

	size = pg->data_size ? pg->data_size : e->ring_len - p->page;
	data = (const unsigned char *)pg +
	       (pg->data_offset ? pg->data_offset : p->page);
	head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	tail = pg->data_tail;
	while (head - tail >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;
		uint64_t rec[4];	/* header and the fields read */
		size_t len;

		ring_copy(data, size, tail, &h, sizeof(h));
		if (h.size < sizeof(h) || h.size > size) {
			tail = head;	/* garbage: drop the rest */
			break;
		}
		if (h.size > head - tail)
			break;
		len = h.size < sizeof(rec) ? h.size : sizeof(rec);
		ring_copy(data, size, tail, rec, len);
		if (h.type == PERF_RECORD_SAMPLE && h.size >= 16) {
			if ((h.misc & PERF_RECORD_MISC_CPUMODE_MASK) ==
			    PERF_RECORD_MISC_KERNEL)
				account(p, rec[1]);
		} else if (h.type == PERF_RECORD_LOST && h.size >= 24) {
			p->lost += rec[2];	/* after the id */
		}
		tail += h.size;
	}
	__atomic_store_n(&pg->data_tail, tail, __ATOMIC_RELEASE);
}

static void drain_all(struct sysprof *p)
{
	for (size_t i = 0; i < p->ncpus; i++)
		if (p->ev[i].ring)
			drain(p, &p->ev[i]);
}

static void *drain_thread(void *arg)
{
	struct sysprof *p = arg;
	struct pollfd pfd = { .fd = p->wake, .events = POLLIN };

	while (!__atomic_load_n(&p->quit, __ATOMIC_ACQUIRE)) {
		poll(&pfd, p->wake >= 0 ? 1 : 0, DRAIN_MS);
		drain_all(p);
	}
	return NULL;
}

static int start_thread(struct sysprof *p)
{
	sigset_t all, old;
	int err;

	p->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	/* Signals stay with the workload's threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&p->thread, NULL, drain_thread, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return -err;
	p->thread_on = true;
	return 0;
}

static void stop_thread(struct sysprof *p)
{
	uint64_t one = 1;

	if (!p->thread_on)
		return;
	__atomic_store_n(&p->quit, 1, __ATOMIC_RELEASE);
	if (p->wake >= 0 && write(p->wake, &one, sizeof(one)) < 0) {
		/* It wakes within DRAIN_MS anyway. */
	}
	pthread_join(p->thread, NULL);
	p->thread_on = false;
}

static void start_sampling(struct sysprof *p)
{
	unsigned int freq = sample_freq(p);
	char why[128];
	int err;

	err = kallsyms_load(&p->ks, "/proc/kallsyms", p->share_reason,
			    sizeof(p->share_reason));
	if (err)
		return;
	p->idle_lo = kallsyms_addr(&p->ks, "__cpuidle_text_start");
	p->idle_hi = kallsyms_addr(&p->ks, "__cpuidle_text_end");
	p->cls = calloc(p->ks.n, sizeof(*p->cls));
	p->hits = calloc(p->ks.n, sizeof(*p->hits));
	if (!p->cls || !p->hits) {
		snprintf(p->share_reason, sizeof(p->share_reason),
			 "out of memory");
		return;
	}
	if (!open_sampling(p, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES,
			   freq, why, sizeof(why))) {
		p->share_source = "cycles";
	} else if (!open_sampling(p, PERF_TYPE_SOFTWARE,
				  PERF_COUNT_SW_CPU_CLOCK, freq,
				  p->share_reason, sizeof(p->share_reason))) {
		p->share_source = "cpu-clock";
	} else {
		return;
	}
	err = start_thread(p);
	if (err) {
		snprintf(p->share_reason, sizeof(p->share_reason),
			 "pthread_create: %s", strerror(-err));
		close_sampling(p);
		p->share_source = "unavailable";
		return;
	}
	p->share_reason[0] = '\0';
}

static void switch_sampling(struct sysprof *p, bool on)
{
	unsigned long req = on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE;

	if (!p->sampling)
		return;
	for (size_t i = 0; i < p->ncpus; i++) {
		if (ioctl(p->ev[i].smp, req, 0) < 0) {
			sysprof_perf_reason(p->share_reason,
					    sizeof(p->share_reason),
					    "perf sampling ioctl", errno);
			stop_thread(p);
			close_sampling(p);
			p->share_source = "unavailable";
			return;
		}
	}
}

struct sysprof *sysprof_start(const struct sysprof_opts *o)
{
	struct sysprof_opts all = { .counters = true, .sampling = true };
	struct sysprof *p = calloc(1, sizeof(*p));
	char err[128];
	long page;

	if (!p)
		return NULL;
	p->o = o ? *o : all;
	p->wake = -1;
	page = sysconf(_SC_PAGESIZE);
	p->page = page > 0 ? (size_t)page : 4096;
	p->clk_tck = sysconf(_SC_CLK_TCK);
	p->share_source = "unavailable";
	snprintf(p->counters_reason, sizeof(p->counters_reason),
		 "not requested");
	snprintf(p->share_reason, sizeof(p->share_reason), "not requested");

	if ((p->o.counters || p->o.sampling) &&
	    online_cpus(p, err, sizeof(err))) {
		if (p->o.counters)
			snprintf(p->counters_reason,
				 sizeof(p->counters_reason), "%s", err);
		if (p->o.sampling)
			snprintf(p->share_reason, sizeof(p->share_reason),
				 "%s", err);
	} else {
		/* Sampling first: loading kallsyms takes a while. */
		if (p->o.sampling)
			start_sampling(p);
		if (p->o.counters)
			open_counters(p);
	}

	p->busy0_ok = !read_busy(&p->busy0);
	p->t0 = now_seconds();
	switch_counters(p, true);
	switch_sampling(p, true);
	return p;
}

static void result_init(struct sysprof_result *r)
{
	memset(r, 0, sizeof(*r));
	r->seconds = NAN;
	r->busy_ns = NAN;
	r->cpu_tick_ns = NAN;
	r->kcycles = NAN;
	r->kinstr = NAN;
	r->dma_share = NAN;
	r->share_source = "unavailable";
}

struct top_sym {
	const char *name;
	uint64_t n;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct top_sym *)a)->name,
		      ((const struct top_sym *)b)->name);
}

static int by_count(const void *a, const void *b)
{
	const struct top_sym *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The DMA symbols with the most samples, same names (statics) merged. */
static void fill_top(const struct sysprof *p, struct sysprof_result *r)
{
	struct top_sym *t;
	size_t n = 0, m = 0;

	for (size_t i = 0; i < p->ks.n; i++)
		if (p->hits[i] && p->cls[i] == CLS_DMA)
			n++;
	if (!n)
		return;
	t = calloc(n, sizeof(*t));
	if (!t)
		return;
	for (size_t i = 0; i < p->ks.n; i++)
		if (p->hits[i] && p->cls[i] == CLS_DMA)
			t[m++] = (struct top_sym){ p->ks.syms[i].name,
						   p->hits[i] };
	qsort(t, n, sizeof(*t), by_name);
	m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && !strcmp(t[m - 1].name, t[i].name))
			t[m - 1].n += t[i].n;
		else
			t[m++] = t[i];
	}
	qsort(t, m, sizeof(*t), by_count);
	for (size_t i = 0; i < m && r->ntop < ARRAY_SIZE(r->top); i++) {
		snprintf(r->top[r->ntop].name, sizeof(r->top[0].name), "%s",
			 t[i].name);
		r->top[r->ntop++].n = t[i].n;
	}
	free(t);
}

int sysprof_stop(struct sysprof *p, struct sysprof_result *r)
{
	uint64_t busy1;
	bool busy1_ok;
	double t1;

	result_init(r);
	if (!p)
		return -EINVAL;
	if (p->stopped) {
		*r = p->res;
		return -EALREADY;
	}
	p->stopped = true;
	switch_sampling(p, false);
	switch_counters(p, false);
	t1 = now_seconds();
	busy1_ok = !read_busy(&busy1);

	r->seconds = t1 - p->t0;
	if (p->clk_tck > 0) {
		r->cpu_tick_ns = 1e9 / (double)p->clk_tck;
		if (p->busy0_ok && busy1_ok && busy1 >= p->busy0)
			r->busy_ns = (double)(busy1 - p->busy0) *
				     r->cpu_tick_ns;
	}

	if (p->counting)
		read_counters(p, r);
	else
		snprintf(r->counters_reason, sizeof(r->counters_reason), "%s",
			 p->counters_reason);

	stop_thread(p);
	r->share_source = p->share_source;
	snprintf(r->share_reason, sizeof(r->share_reason), "%s",
		 p->share_reason);
	if (p->sampling) {
		uint64_t busy;

		drain_all(p);
		r->samples = p->samples;
		r->idle_samples = p->idle;
		r->dma_samples = p->dma;
		r->unknown_samples = p->unknown;
		r->lost = p->lost;
		busy = p->samples - p->idle;
		if (busy)
			r->dma_share = (double)p->dma / (double)busy;
		else
			snprintf(r->share_reason, sizeof(r->share_reason),
				 "no non-idle kernel samples");
		fill_top(p, r);
	}
	p->res = *r;
	return 0;
}

void sysprof_free(struct sysprof *p)
{
	if (!p)
		return;
	stop_thread(p);
	if (p->ev) {
		close_sampling(p);
		close_counters(p);
	}
	close_fd(&p->wake);
	kallsyms_free(&p->ks);
	free(p->cls);
	free(p->hits);
	free(p->ev);
	free(p);
}

void sysprof_json(struct json *j, const struct sysprof_result *r,
		  void (*num)(struct json *j, const char *key, double v),
		  const char *top_key)
{
	num(j, "seconds", r->seconds);
	num(j, "busy_ns", r->busy_ns);
	num(j, "cpu_tick_ns", r->cpu_tick_ns);
	num(j, "kcycles", r->kcycles);
	num(j, "kinstr", r->kinstr);
	json_str(j, "counters_reason", r->counters_reason);
	num(j, "dma_share", r->dma_share);
	json_str(j, "share_source", r->share_source ? r->share_source : "");
	json_str(j, "share_reason", r->share_reason);
	json_u64(j, "samples", r->samples);
	json_u64(j, "idle_samples", r->idle_samples);
	json_u64(j, "dma_samples", r->dma_samples);
	json_u64(j, "unknown_samples", r->unknown_samples);
	json_u64(j, "lost", r->lost);
	json_arr_begin(j, top_key);
	for (unsigned int i = 0; i < r->ntop && i < ARRAY_SIZE(r->top); i++) {
		json_obj_begin(j, NULL);
		json_str(j, "symbol", r->top[i].name);
		json_u64(j, "samples", r->top[i].n);
		json_obj_end(j);
	}
	json_arr_end(j);
}
