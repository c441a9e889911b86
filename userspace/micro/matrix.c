// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench micro: run the matrix, one DMABENCH_IOC_RUN per point, and
 * write each point's raw samples and summary rows.
 *
 * Points are walked path by path (switching a path rebinds a device),
 * then size, direction, thread count and batch; at each of those api
 * 'none' runs first, so that its medians (and counter means) are the
 * harness cost of the other apis.  A point runs --repeat times; its rows
 * pool all repeats and all threads.
 *
 * The tick buffer is laid out [repeat][thread][sample][op], as the module
 * fills one run's share of it: [thread][sample][op].
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "micro.h"
#include "module.h"
#include "stats.h"
#include "util.h"

struct point {
	int path;
	unsigned int api;
	uint64_t size;
	unsigned int dir;
	unsigned int threads;
	unsigned int batch;
	unsigned int ws;		/* working set */
	const unsigned int *cpus;	/* NULL: the caller's CPU */
};

/* The medians of api 'none' at the current path, size, dir, threads, batch. */
struct harness {
	bool have;
	double median[OP_COUNT];
	bool have_cnt[DMABENCH_NR_COUNTERS];
	double cnt[DMABENCH_NR_COUNTERS];	/* window totals per operation */
};

/* What a point's repeats add up to. */
struct outcome {
	uint64_t khz;
	uint64_t wall;			/* sum of wall_ticks */
	uint64_t max_window;
	int cnt_err[DMABENCH_NR_COUNTERS];	/* first error of any repeat */
};

static unsigned int bits(unsigned int mask)
{
	return __builtin_popcount(mask);
}

unsigned int matrix_points(const struct micro *m)
{
	return bits(m->want) * m->o.nsizes * bits(m->o.dirs) * bits(m->o.apis) *
	       m->o.nthreads * m->o.nbatches;
}

/*
 * The work of the matrix for estimates: timed and warmup operations of
 * every thread of every repeat.  Threads run at once, so this overstates
 * the time of points whose threads do not contend; batch and working set
 * change what an operation costs, not how many there are.
 */
uint64_t matrix_ops(const struct micro *m)
{
	uint64_t threads = 0;

	for (size_t t = 0; t < m->o.nthreads; t++)
		threads += m->o.threads[t];
	return (uint64_t)bits(m->want) * m->o.nsizes * bits(m->o.dirs) *
	       bits(m->o.apis) * m->o.nbatches * threads * m->o.repeat *
	       ((uint64_t)m->o.samples + m->o.warmup);
}

static uint64_t point_ops(const struct micro *m, const struct point *pt)
{
	return (uint64_t)pt->threads * m->o.repeat *
	       ((uint64_t)m->o.samples + m->o.warmup);
}

static void point_label(const struct point *pt, char *buf, size_t size)
{
	int len;

	len = snprintf(buf, size, "%s %s %llu B %s", api_names[pt->api],
		       path_names[pt->path], (unsigned long long)pt->size,
		       dir_names[pt->dir]);
	if (len > 0 && (size_t)len < size && (pt->threads > 1 || pt->batch > 1))
		snprintf(buf + len, size - len, " t%u b%u", pt->threads,
			 pt->batch);
}

/* Samples and counters of one repeat. */
static size_t rep_samples(const struct micro *m, const struct point *pt)
{
	return (size_t)pt->threads * m->o.samples;
}

static void point_run(const struct micro *m, const struct point *pt,
		      unsigned int rep, struct dmabench_run *run)
{
	module_run_init(run);
	run->api = pt->api;
	run->target = path_target(m, pt->path);
	run->dir = pt->dir;
	run->nents = pt->api == DMABENCH_API_SG ? m->o.nents : 1;
	run->bytes = pt->size;
	run->offset = m->o.offset;
	run->attrs = m->o.attrs;
	run->samples = m->o.samples;
	run->warmup = m->o.warmup;
	run->samples_ptr = (uintptr_t)(m->ticks + rep * rep_samples(m, pt) * OP_COUNT);
	run->batch = pt->batch;
	run->working_set = pt->ws;
	run->threads = pt->threads;
	run->cpus_ptr = (uintptr_t)pt->cpus;
	run->node = m->o.node;
	if (m->o.counters) {
		run->flags |= DMABENCH_RUN_COUNTERS;
		run->counters_ptr = (uintptr_t)(m->counters +
			(size_t)rep * pt->threads * DMABENCH_NR_COUNTERS);
	}
}

/* Why userspace does not ask for a point, or NULL. */
static const char *point_refusal(const struct micro *m, const struct point *pt,
				 char *buf, size_t size)
{
	size_t have = m->npick;

	if (pt->threads > 1 && m->info.max_threads && pt->threads > m->info.max_threads) {
		snprintf(buf, size, "%u threads: the module runs at most %u",
			 pt->threads, m->info.max_threads);
		return buf;
	}
	if (pt->threads > 1 && pt->threads > have) {
		snprintf(buf, size, "%u threads need as many CPUs; %s gives %zu",
			 pt->threads, m->o.ncpus ? "--cpus" : "the online CPUs from --cpu up",
			 have);
		return buf;
	}
	if (m->info.max_buffers &&
	    (uint64_t)pt->ws * (pt->api == DMABENCH_API_SG ? m->o.nents : 1) >
	    m->info.max_buffers) {
		snprintf(buf, size, "working set %u%s: over the module's %u buffers",
			 pt->ws, pt->api == DMABENCH_API_SG ? " x nents" : "",
			 m->info.max_buffers);
		return buf;
	}
	return NULL;
}

/*
 * Refuse a run whose domain is not the one verified for the path; note
 * (and warn, once the progress line is done) what else looks wrong.
 */
static int check_run(const struct micro *m, const struct point *pt,
		     const struct dmabench_run *run, char *note, size_t size)
{
	const struct path_record *rec = &m->rec[pt->path];
	int want = path_expected_observed(pt->path, pt->api);
	size_t len;

	note[0] = '\0';
	if (run->domain != rec->domain) {
		snprintf(note, size, "the device's domain was %s during the run, %s when path %s was verified",
			 domain_name(run->domain), domain_name(rec->domain),
			 path_names[pt->path]);
		return -EIO;
	}
	if (want >= 0 && (int)run->observed != want)
		snprintf(note, size, "observed %s, expected %s",
			 observed_name(run->observed), observed_name(want));
	if ((int)run->cpu != (pt->cpus ? (int)pt->cpus[0] : m->cpu)) {
		len = strlen(note);
		snprintf(note + len, size - len, "%ssampled on CPU %u, not %d",
			 len ? "; " : "", run->cpu,
			 pt->cpus ? (int)pt->cpus[0] : m->cpu);
	}
	return 0;
}

static int write_samples(struct micro *m, const struct point *pt,
			 char *rel, size_t size)
{
	const uint64_t *t = m->ticks;
	bool reps = m->o.repeat > 1, threads = pt->threads > 1;
	char dims[48] = "";
	FILE *f;
	int err;

	/* The defaults keep the names points had before threads and batch. */
	if (pt->threads > 1 || pt->batch > 1 || pt->ws > 1)
		snprintf(dims, sizeof(dims), "-t%u-b%u-w%u", pt->threads,
			 pt->batch, pt->ws);
	err = fmt_buf(rel, size, "samples/%s-%s-%llu-%s%s.csv",
		      api_names[pt->api], path_names[pt->path],
		      (unsigned long long)pt->size, dir_names[pt->dir], dims);
	if (err)
		return err;
	f = outdir_fopen(&m->out, rel);
	if (!f)
		return -errno;
	fprintf(f, "%s%smap,unmap,pair\n", reps ? "repeat," : "",
		threads ? "thread," : "");
	for (size_t i = 0; i < m->o.repeat * rep_samples(m, pt); i++, t += OP_COUNT) {
		if (reps)
			fprintf(f, "%zu,", i / rep_samples(m, pt));
		if (threads)
			fprintf(f, "%zu,", i % rep_samples(m, pt) / m->o.samples);
		fprintf(f, "%llu,%llu,%llu\n", (unsigned long long)t[OP_MAP],
			(unsigned long long)t[OP_UNMAP],
			(unsigned long long)t[OP_PAIR]);
	}
	err = ferror(f) ? -EIO : 0;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/*
 * One op's samples in the result unit, into out: those of repeat rep and
 * thread thread, either of them -1 for all.  Returns how many.
 */
static size_t gather(const struct micro *m, const struct point *pt, int op,
		     uint64_t khz, int rep, int thread, double *out)
{
	bool raw = !strcmp(m->o.clock, "icount");
	size_t per = rep_samples(m, pt), n = 0;
	const uint64_t *t;

	for (unsigned int r = 0; r < m->o.repeat; r++) {
		if (rep >= 0 && r != (unsigned int)rep)
			continue;
		for (unsigned int th = 0; th < pt->threads; th++) {
			if (thread >= 0 && th != (unsigned int)thread)
				continue;
			t = m->ticks + (r * per + (size_t)th * m->o.samples) * OP_COUNT;
			for (unsigned int i = 0; i < m->o.samples; i++) {
				double ticks = t[i * OP_COUNT + op];

				out[n++] = raw ? ticks : ticks * 1e6 / khz;
			}
		}
	}
	return n;
}

/* Operations per second, or per 1e9 instructions under icount. */
static double rate_of(const struct micro *m, uint64_t ops,
		      const struct outcome *oc)
{
	if (!strcmp(m->o.clock, "icount"))
		return ops * 1e9 / oc->wall;
	return ops * (double)oc->khz * 1000.0 / oc->wall;
}

static void base_row(const struct micro *m, const struct point *pt,
		     const struct dmabench_run *run, struct summary_row *r)
{
	memset(r, 0, sizeof(*r));
	r->api = api_names[pt->api];
	r->path = path_names[pt->path];
	r->size = pt->size;
	r->dir = dir_names[pt->dir];
	r->unit = meta_unit(m->o.clock);
	r->nents = run->nents;
	r->offset = run->offset;
	r->attrs = run->attrs;
	r->observed = observed_name(run->observed);
	r->boot = 0;
	r->threads = pt->threads;
	r->batch = pt->batch;
	r->working_set = pt->ws;
}

/* why: userspace's reason, or NULL for the kernel's run->unsupported. */
static void unsupported_rows(struct micro *m, const struct point *pt,
			     const struct dmabench_run *run,
			     const struct harness *h, const char *why)
{
	struct summary_row r;

	base_row(m, pt, run, &r);
	/* A refusal by the kernel is a finding about the path, not a gap. */
	r.status = run->unsupported == DMABENCH_UNSUP_MAP_ERROR ?
		   STATUS_REFUSED : STATUS_UNSUPPORTED;
	r.note = why ? why : unsupported_reason(run->unsupported);
	if (run->unsupported == DMABENCH_UNSUP_NO_MMIO && m->have_pci)
		r.note = "no MMIO region to map (the --pci device serves the iommu paths only)";
	r.samples = "";
	for (int op = 0; op < OP_COUNT; op++) {
		r.op = op_names[op];
		r.has_harness = h->have;
		r.harness = h->median[op];
		summary_row(m->summary, &r);
	}
}

/* The median of each repeat's pooled samples, as spread of the medians. */
static bool spread_of(struct micro *m, const struct point *pt, int op,
		      const struct outcome *oc, double median, double *spread)
{
	double lo = 0, hi = 0, med;
	struct stats st;
	size_t n;

	if (m->o.repeat < 2 || median == 0)
		return false;
	for (unsigned int r = 0; r < m->o.repeat; r++) {
		n = gather(m, pt, op, oc->khz, r, -1, m->scratch);
		stats_compute(m->scratch, n, &st);
		med = st.median;
		lo = r == 0 || med < lo ? med : lo;
		hi = r == 0 || med > hi ? med : hi;
	}
	*spread = (hi - lo) / median;
	return true;
}

/* The pooled statistics of one op, with interval, MAD and spread. */
static void op_stats(struct micro *m, const struct point *pt, int op,
		     const struct outcome *oc, struct stats *st,
		     struct summary_row *r)
{
	size_t n = gather(m, pt, op, oc->khz, -1, -1, m->vals);

	stats_compute(m->vals, n, st);
	stats_median_ci(m->vals, n, &r->ci_low, &r->ci_high);
	r->mad = stats_mad(m->vals, n, st->median, m->scratch);
	r->has_ci = true;
	r->has_spread = spread_of(m, pt, op, oc, st->median, &r->spread);
}

/* Window totals per operation: rows for the counters the kernel had. */
static void counter_rows(struct micro *m, const struct point *pt,
			 const struct outcome *oc, struct harness *h,
			 const struct summary_row *point)
{
	uint64_t ops = point_ops(m, pt);
	struct stats st = { .n = ops };
	struct summary_row row = *point, *r = &row;
	size_t per = (size_t)pt->threads * m->o.repeat;
	long double total;

	if (!m->o.counters)
		return;
	for (int c = 0; c < DMABENCH_NR_COUNTERS; c++) {
		if (oc->cnt_err[c])
			continue;
		total = 0;
		for (size_t t = 0; t < per; t++)
			total += m->counters[t * DMABENCH_NR_COUNTERS + c];
		st.mean = (double)(total / ops);
		if (pt->api == DMABENCH_API_NONE) {
			h->have_cnt[c] = true;
			h->cnt[c] = st.mean;
		}
		r->op = op_names[OP_PAIR];
		r->unit = meta_counter_names[c];
		r->st = &st;
		r->mean_only = true;
		r->has_harness = h->have_cnt[c];
		r->harness = h->cnt[c];
		r->note = "window totals / operations";
		summary_row(m->summary, r);
	}
}

static int open_threads_csv(struct micro *m)
{
	if (m->threads_csv)
		return 0;
	m->threads_csv = outdir_fopen(&m->out, "threads.csv");
	if (!m->threads_csv)
		return -errno;
	threads_header(m->threads_csv);
	return 0;
}

/* threads.csv: each thread's own figures, pooled over repeats. */
static int thread_rows(struct micro *m, const struct point *pt,
		       const struct outcome *oc, const struct summary_row *r)
{
	struct thread_row t = { .point = r };
	struct stats st;
	int err;

	if (pt->threads < 2)
		return 0;
	err = open_threads_csv(m);
	if (err)
		return err;
	for (unsigned int th = 0; th < pt->threads; th++) {
		t.thread = th;
		t.cpu = pt->cpus[th];
		/* Its operations over the point's wall time: rates add up. */
		t.rate = rate_of(m, (uint64_t)m->o.samples * m->o.repeat, oc);
		for (int op = 0; op < OP_COUNT; op++) {
			t.n = gather(m, pt, op, oc->khz, -1, th, m->scratch);
			stats_compute(m->scratch, t.n, &st);
			t.op = op_names[op];
			t.median = st.median;
			t.mean = st.mean;
			threads_row(m->threads_csv, &t);
		}
	}
	return 0;
}

static int measured_rows(struct micro *m, const struct point *pt,
			 const struct dmabench_run *run, struct harness *h,
			 const struct outcome *oc, const char *note,
			 const char *samples)
{
	struct stats st[OP_COUNT];
	struct summary_row r;
	int err;

	base_row(m, pt, run, &r);
	if (pt->api == DMABENCH_API_NONE)
		h->have = true;
	r.status = STATUS_OK;
	r.note = note;
	r.samples = samples;
	r.max_irqoff = oc->max_window;
	if (strcmp(m->o.clock, "icount"))
		r.max_irqoff = r.max_irqoff * 1e6 / oc->khz;
	r.has_rate = oc->wall > 0;
	if (r.has_rate)
		r.rate = rate_of(m, (uint64_t)m->o.samples * pt->threads *
				 m->o.repeat, oc);
	for (int op = 0; op < OP_COUNT; op++) {
		op_stats(m, pt, op, oc, &st[op], &r);
		if (pt->api == DMABENCH_API_NONE)
			h->median[op] = st[op].median;
		r.op = op_names[op];
		r.st = &st[op];
		r.has_harness = h->have;
		r.harness = h->median[op];
		summary_row(m->summary, &r);
	}
	r.st = &st[OP_PAIR];
	err = thread_rows(m, pt, oc, &r);
	r.has_rate = r.has_ci = r.has_spread = false;
	r.max_irqoff = 0;
	r.samples = "";
	counter_rows(m, pt, oc, h, &r);
	return err;
}

/* Add one repeat's outputs to what the point has so far. */
static int add_repeat(struct micro *m, const struct dmabench_run *run,
		      unsigned int rep, struct outcome *oc)
{
	uint64_t khz = run->tsc_khz ? run->tsc_khz : m->info.tsc_khz;

	if (!khz && strcmp(m->o.clock, "icount")) {
		warnx("the module reported tsc_khz 0: use --clock icount for raw ticks");
		return -EINVAL;
	}
	if (rep == 0)
		oc->khz = khz;
	oc->wall += run->wall_ticks;
	if (run->max_window_ticks > oc->max_window)
		oc->max_window = run->max_window_ticks;
	for (int c = 0; c < DMABENCH_NR_COUNTERS; c++)
		if (!oc->cnt_err[c])
			oc->cnt_err[c] = run->counter_err[c];
	return 0;
}

/*
 * Run every repeat of a point: 0, 1 if it was unsupported, 2 if the module
 * could not allocate its buffers, or -errno.
 */
static int run_repeats(struct micro *m, const struct point *pt,
		       const char *label, struct dmabench_run *run,
		       struct outcome *oc, char *note, size_t size)
{
	uint32_t tag = 0;
	int err;

	memset(oc, 0, sizeof(*oc));
	if (trace_wanted(&m->tp, pt->api, pt->size, pt->dir, pt->threads,
			 pt->batch)) {
		tag = trace_next(&m->tp, api_names[pt->api],
				 path_names[pt->path], pt->size,
				 dir_names[pt->dir], &err);
		if (!tag) {
			progress_end(&m->prog, 0, "failed");
			return err;
		}
	}
	for (unsigned int rep = 0; rep < m->o.repeat; rep++) {
		point_run(m, pt, rep, run);
		/* The last repeat ends with the traced call (trace_plan.h). */
		if (tag && rep + 1 == m->o.repeat) {
			run->flags |= DMABENCH_RUN_TRACE;
			run->trace_tag = tag;
		}
		err = module_run(m->fd, run);
		if (err == -ENOMEM)
			return 2;
		if (err) {
			progress_end(&m->prog, 0, err == -EINTR ? "interrupted" : "failed");
			if (err != -EINTR || !*m->stop)
				warnx("%s: %s", label, module_strerror(-err));
			return err;
		}
		if (run->unsupported)
			return 1;
		err = check_run(m, pt, run, note, size);
		if (err) {
			progress_end(&m->prog, 0, "failed");
			warnx("%s: %s: not labelling it %s", label, note,
			      path_names[pt->path]);
			return err;
		}
		err = add_repeat(m, run, rep, oc);
		if (err) {
			progress_end(&m->prog, 0, "failed");
			return err;
		}
		if (*m->stop && rep + 1 < m->o.repeat)
			return -EINTR;
	}
	return 0;
}

static int run_point(struct micro *m, const struct point *pt,
		     struct harness *h)
{
	char label[96], note[256], samples[160], why[160];
	struct dmabench_run run;
	struct outcome oc;
	double t0;
	int err;

	point_label(pt, label, sizeof(label));
	progress_begin(&m->prog, label);
	module_run_init(&run);
	if (point_refusal(m, pt, why, sizeof(why))) {
		progress_end(&m->prog, 0, why);
		run.nents = pt->api == DMABENCH_API_SG ? m->o.nents : 1;
		run.offset = m->o.offset;
		run.attrs = m->o.attrs;
		unsupported_rows(m, pt, &run, h, why);
		return 0;
	}
	t0 = now_seconds();
	err = run_repeats(m, pt, label, &run, &oc, note, sizeof(note));
	if (err < 0)
		return err;
	if (err == 2) {
		/* A point too big for this machine's memory is a row saying so. */
		snprintf(why, sizeof(why),
			 "the module could not allocate this point's buffers (threads x working set x entries x size): ask for less");
		progress_end(&m->prog, 0, "out of memory");
		unsupported_rows(m, pt, &run, h, why);
		return 0;
	}
	if (err > 0) {
		progress_end(&m->prog, 0, unsupported_reason(run.unsupported));
		unsupported_rows(m, pt, &run, h, NULL);
		return 0;
	}
	err = write_samples(m, pt, samples, sizeof(samples));
	if (err) {
		progress_end(&m->prog, 0, "failed");
		warnx("%s: writing %s: %s", label, samples, strerror(-err));
		return err;
	}
	err = measured_rows(m, pt, &run, h, &oc, note, samples);
	progress_end(&m->prog, now_seconds() - t0, err ? "failed" : NULL);
	if (note[0])
		warnx("%s: %s", label, note);
	return err;
}

/* Every api at one path, size, dir, thread count and batch. */
static int run_cell(struct micro *m, struct point pt)
{
	struct harness h = { .have = false };
	int err;

	for (pt.api = 0; pt.api < DMABENCH_API_COUNT; pt.api++) {
		if (!(m->o.apis & (1U << pt.api)))
			continue;
		if (*m->stop)
			return -EINTR;
		m->prog.point_ops = point_ops(m, &pt);
		err = run_point(m, &pt, &h);
		if (err)
			return err;
	}
	return 0;
}

/* Every thread count and batch at one path, size and dir. */
static int run_dims(struct micro *m, struct point pt)
{
	int err;

	for (size_t t = 0; t < m->o.nthreads; t++) {
		pt.threads = m->o.threads[t];
		/* One thread stays on the pinned CPU unless --cpus says. */
		pt.cpus = pt.threads > 1 || m->o.ncpus ? m->pick : NULL;
		for (size_t b = 0; b < m->o.nbatches; b++) {
			pt.batch = m->o.batches[b];
			pt.ws = point_working_set(&m->o, pt.batch);
			err = run_cell(m, pt);
			if (err)
				return err;
		}
	}
	return 0;
}

static int run_path(struct micro *m, int path)
{
	struct point pt = { .path = path };
	int err;

	for (size_t s = 0; s < m->o.nsizes; s++) {
		for (int d = 0; d < DIR_COUNT; d++) {
			pt.dir = dir_order[d];
			if (!(m->o.dirs & (1U << pt.dir)))
				continue;
			pt.size = m->o.sizes[s];
			err = run_dims(m, pt);
			if (err)
				return err;
		}
	}
	return 0;
}

/* The CPUs threads take: --cpus, or the online ones from the pinned one. */
void matrix_pick_cpus(struct micro *m)
{
	if (m->o.ncpus) {
		memcpy(m->pick, m->o.cpus, m->o.ncpus * sizeof(m->pick[0]));
		m->npick = m->o.ncpus;
		return;
	}
	if (cpus_online(m->online, MAX_CPUS, &m->nonline) || !m->nonline) {
		m->online[0] = m->cpu;
		m->nonline = 1;
	}
	m->npick = cpus_from(m->online, m->nonline, m->cpu, m->pick, MAX_CPUS);
}

int matrix_run(struct micro *m)
{
	int err;

	m->tp.dir = m->o.trace_apis ? m->o.trace_dir : NULL;
	m->tp.apis = m->o.trace_apis;
	m->tp.sizes = m->o.trace_sizes;
	m->tp.nsizes = m->o.ntrace_sizes;
	m->tp.dirs = m->o.trace_dirs;
	progress_init(&m->prog, matrix_points(m), matrix_ops(m));
	m->prog.guest_clock = !strcmp(m->o.clock, "icount");
	for (int path = 0; path < PATH_COUNT; path++) {
		if (!(m->want & (1U << path)))
			continue;
		if (*m->stop)
			return -EINTR;
		err = path_enter(m, path);
		if (err)
			return err;
		m->ran[m->nran++] = m->rec[path];
		err = run_path(m, path);
		if (err)
			return err;
	}
	return 0;
}
