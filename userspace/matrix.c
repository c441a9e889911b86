// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench micro: run the matrix, one DMABENCH_IOC_RUN per point, and
 * write each point's raw samples and summary rows.
 *
 * Points are walked path by path (switching a path rebinds a device),
 * then size, then direction; at each (path, size, dir) api 'none' runs
 * first, so that its medians are the harness cost of the other apis.
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
};

/* The medians of api 'none' at the current path, size and dir. */
struct harness {
	bool have;
	double median[OP_COUNT];
};

static unsigned int bits(unsigned int mask)
{
	return __builtin_popcount(mask);
}

unsigned int matrix_points(const struct micro *m)
{
	return bits(m->want) * m->o.nsizes * bits(m->o.dirs) * bits(m->o.apis);
}

static void point_label(const struct point *pt, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s %llu B %s", api_names[pt->api],
		 path_names[pt->path], (unsigned long long)pt->size,
		 dir_names[pt->dir]);
}

static void point_run(const struct micro *m, const struct point *pt,
		      struct dmabench_run *run)
{
	memset(run, 0, sizeof(*run));
	run->api = pt->api;
	run->target = path_target(m, pt->path);
	run->dir = pt->dir;
	run->nents = pt->api == DMABENCH_API_SG ? m->o.nents : 1;
	run->bytes = pt->size;
	run->offset = m->o.offset;
	run->attrs = m->o.attrs;
	run->samples = m->o.samples;
	run->warmup = m->o.warmup;
	run->samples_ptr = (uintptr_t)m->ticks;
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
	if ((int)run->cpu != m->cpu) {
		len = strlen(note);
		snprintf(note + len, size - len, "%ssampled on CPU %u, not %d",
			 len ? "; " : "", run->cpu, m->cpu);
	}
	return 0;
}

static int write_samples(struct micro *m, const struct point *pt,
			 char *rel, size_t size)
{
	const uint64_t *t = m->ticks;
	FILE *f;
	int err;

	err = fmt_buf(rel, size, "samples/%s-%s-%llu-%s.csv",
		      api_names[pt->api], path_names[pt->path],
		      (unsigned long long)pt->size, dir_names[pt->dir]);
	if (err)
		return err;
	f = outdir_fopen(&m->out, rel);
	if (!f)
		return -errno;
	fputs("map,unmap,pair\n", f);
	for (unsigned int i = 0; i < m->o.samples; i++, t += OP_COUNT)
		fprintf(f, "%llu,%llu,%llu\n", (unsigned long long)t[OP_MAP],
			(unsigned long long)t[OP_UNMAP],
			(unsigned long long)t[OP_PAIR]);
	err = ferror(f) ? -EIO : 0;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* One op's samples in the result unit, into m->vals. */
static void convert(struct micro *m, int op, uint64_t khz)
{
	bool raw = !strcmp(m->o.clock, "icount");

	for (unsigned int i = 0; i < m->o.samples; i++) {
		double ticks = m->ticks[i * OP_COUNT + op];

		m->vals[i] = raw ? ticks : ticks * 1e6 / khz;
	}
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
}

static void unsupported_rows(struct micro *m, const struct point *pt,
			     const struct dmabench_run *run,
			     const struct harness *h)
{
	struct summary_row r;

	base_row(m, pt, run, &r);
	/* A refusal by the kernel is a finding about the path, not a gap. */
	r.status = run->unsupported == DMABENCH_UNSUP_MAP_ERROR ?
		   "refused" : "unsupported";
	r.note = unsupported_reason(run->unsupported);
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

static int measured_rows(struct micro *m, const struct point *pt,
			 const struct dmabench_run *run, struct harness *h,
			 const char *note, const char *samples)
{
	uint64_t khz = run->tsc_khz ? run->tsc_khz : m->info.tsc_khz;
	struct stats st[OP_COUNT];
	struct summary_row r;

	if (!khz && strcmp(m->o.clock, "icount")) {
		warnx("the module reported tsc_khz 0: use --clock icount for raw ticks");
		return -EINVAL;
	}
	for (int op = 0; op < OP_COUNT; op++) {
		convert(m, op, khz);
		stats_compute(m->vals, m->o.samples, &st[op]);
	}
	if (pt->api == DMABENCH_API_NONE) {
		h->have = true;
		for (int op = 0; op < OP_COUNT; op++)
			h->median[op] = st[op].median;
	}
	base_row(m, pt, run, &r);
	r.status = "ok";
	r.note = note;
	r.samples = samples;
	r.max_irqoff = run->max_window_ticks;
	if (strcmp(m->o.clock, "icount"))
		r.max_irqoff = r.max_irqoff * 1e6 / khz;
	for (int op = 0; op < OP_COUNT; op++) {
		r.op = op_names[op];
		r.st = &st[op];
		r.has_harness = h->have;
		r.harness = h->median[op];
		summary_row(m->summary, &r);
	}
	return 0;
}

static int run_point(struct micro *m, const struct point *pt,
		     struct harness *h)
{
	char label[96], note[256], samples[128];
	struct dmabench_run run;
	double t0;
	int err;

	point_label(pt, label, sizeof(label));
	progress_begin(&m->prog, label);
	point_run(m, pt, &run);
	t0 = now_seconds();
	err = module_run(m->fd, &run);
	if (err) {
		progress_end(&m->prog, 0, err == -EINTR ? "interrupted" : "failed");
		if (err != -EINTR || !micro_stop)
			warnx("%s: %s", label, module_strerror(-err));
		return err;
	}
	if (run.unsupported) {
		progress_end(&m->prog, 0, unsupported_reason(run.unsupported));
		unsupported_rows(m, pt, &run, h);
		return 0;
	}
	err = check_run(m, pt, &run, note, sizeof(note));
	if (err) {
		progress_end(&m->prog, 0, "failed");
		warnx("%s: %s: not labelling it %s", label, note,
		      path_names[pt->path]);
		return err;
	}
	err = write_samples(m, pt, samples, sizeof(samples));
	if (err) {
		progress_end(&m->prog, 0, "failed");
		warnx("%s: writing %s: %s", label, samples, strerror(-err));
		return err;
	}
	err = measured_rows(m, pt, &run, h, note, samples);
	progress_end(&m->prog, now_seconds() - t0, err ? "failed" : NULL);
	if (note[0])
		warnx("%s: %s", label, note);
	return err;
}

/* Every api at one path, size and dir. */
static int run_cell(struct micro *m, int path, uint64_t size, unsigned int dir)
{
	struct harness h = { .have = false };
	struct point pt = { .path = path, .size = size, .dir = dir };
	int err;

	for (pt.api = 0; pt.api < DMABENCH_API_COUNT; pt.api++) {
		if (!(m->o.apis & (1U << pt.api)))
			continue;
		if (micro_stop)
			return -EINTR;
		err = run_point(m, &pt, &h);
		if (err)
			return err;
	}
	return 0;
}

static int run_path(struct micro *m, int path)
{
	unsigned int dir;
	int err;

	for (size_t s = 0; s < m->o.nsizes; s++) {
		for (int d = 0; d < DIR_COUNT; d++) {
			dir = dir_order[d];
			if (!(m->o.dirs & (1U << dir)))
				continue;
			err = run_cell(m, path, m->o.sizes[s], dir);
			if (err)
				return err;
		}
	}
	return 0;
}

int matrix_run(struct micro *m)
{
	int err;

	progress_init(&m->prog, matrix_points(m),
		      (uint64_t)m->o.samples + m->o.warmup);
	for (int path = 0; path < PATH_COUNT; path++) {
		if (!(m->want & (1U << path)))
			continue;
		if (micro_stop)
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
