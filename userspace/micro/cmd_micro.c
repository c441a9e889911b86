// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench micro: time the DMA mapping API over a matrix of points.
 *
 * Order of business: options, the module, the CPU, the output directory,
 * the paths, the matrix, the metadata; then, whatever happened, the PCI
 * device goes back to its driver, and the output is committed (complete)
 * or removed (anything else).
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "micro.h"
#include "module.h"
#include "util.h"

/* What catch_stop() sets; static, for a signal may come after free(m). */
static volatile sig_atomic_t stop;

/* The module, and the limits it sets on the options. */
static int open_module(struct micro *m)
{
	int err;

	m->fd = module_open();
	if (m->fd < 0) {
		warnx("%s", module_strerror(-m->fd));
		return m->fd;
	}
	err = module_info(m->fd, &m->info);
	if (err) {
		warnx("%s", module_strerror(-err));
		return err;
	}
	/* QEMU -icount shift=0 makes ticks instructions only at 1 GHz. */
	if (!strcmp(m->o.clock, "icount") &&
	    m->info.clock == DMABENCH_CLOCK_CNTVCT &&
	    m->info.tsc_khz != 1000000) {
		warnx("--clock icount: CNTFRQ_EL0 is %llu kHz, not 1 GHz, so a CNTVCT_EL0 tick is not one instruction (an older QEMU?)",
		      (unsigned long long)m->info.tsc_khz);
		return -EINVAL;
	}
	if (m->o.samples > m->info.max_samples) {
		warnx("--samples %u: over the module's limit of %u",
		      m->o.samples, m->info.max_samples);
		return -EINVAL;
	}
	if (m->o.warmup > m->info.max_samples) {
		warnx("--warmup %u: over the module's limit of %u",
		      m->o.warmup, m->info.max_samples);
		return -EINVAL;
	}
	return 0;
}

static int open_output(struct micro *m)
{
	const char *what = m->o.part ? "--part" : "--out";
	int err;

	if (m->o.part)
		err = outdir_open_part(&m->out, m->o.part);
	else
		err = outdir_open_run(&m->out, m->o.out);
	if (err == -ENOTEMPTY) {
		warnx("--part %s: not empty; give a new or empty directory",
		      m->o.part);
		return err;
	}
	if (err) {
		warnx("%s %s: %s", what, m->o.part ? m->o.part : m->o.out,
		      strerror(-err));
		return err;
	}
	m->summary = outdir_fopen(&m->out, "summary.csv");
	if (!m->summary) {
		err = -errno;
		warn("%s/summary.csv", m->out.dir);
		return err;
	}
	summary_header(m->summary);
	return 0;
}

/* Room for the largest point: every thread of every repeat. */
static int alloc_buffers(struct micro *m)
{
	size_t n = (size_t)m->o.samples * max_threads(&m->o) * m->o.repeat;

	m->ticks = calloc(n * OP_COUNT, sizeof(*m->ticks));
	m->vals = calloc(n, sizeof(*m->vals));
	m->scratch = calloc(n, sizeof(*m->scratch));
	m->counters = calloc((size_t)max_threads(&m->o) * m->o.repeat *
			     DMABENCH_NR_COUNTERS, sizeof(*m->counters));
	if (m->ticks && m->vals && m->scratch && m->counters)
		return 0;
	warnx("no memory for %zu samples", n);
	return -ENOMEM;
}

static const char *plural(unsigned int n)
{
	return n == 1 ? "" : "s";
}

/*
 * One untimed-for-the-record run before the matrix: it says which PMU
 * counters the kernel has, and how long an operation takes here.  Returns
 * seconds per operation, or 0 if it did not run.
 */
static double probe_run(struct micro *m)
{
	struct dmabench_run run;
	double t0, secs;

	module_run_init(&run);
	run.api = DMABENCH_API_PAGE;
	run.target = m->plain_target;
	run.dir = DIR_TO_DEVICE;
	run.nents = 1;
	run.bytes = m->o.sizes[m->o.nsizes / 2];
	run.samples = m->o.samples < 1000 ? m->o.samples : 1000;
	run.samples_ptr = (uintptr_t)m->ticks;
	if (m->o.counters) {
		run.flags = DMABENCH_RUN_COUNTERS;
		run.counters_ptr = (uintptr_t)m->counters;
	}
	t0 = now_seconds();
	if (module_run(m->fd, &run) || run.unsupported)
		return 0;
	secs = now_seconds() - t0;
	m->cnt_probed = true;
	memcpy(m->cnt_err, run.counter_err, sizeof(m->cnt_err));
	return secs / run.samples;
}

/* The one line that says which counters the rows will lack, and why. */
static void announce_counters(const struct micro *m)
{
	int missing = 0, first = -1;

	if (!m->o.counters || !m->cnt_probed)
		return;
	for (int c = 0; c < DMABENCH_NR_COUNTERS; c++) {
		missing += m->cnt_err[c] != 0;
		if (m->cnt_err[c] && first < 0)
			first = c;
	}
	if (!missing)
		return;
	fprintf(stderr, "dmabench: PMU counters %s (%s): no counter rows%s\n",
		missing == DMABENCH_NR_COUNTERS ? "unavailable" : "partly unavailable",
		strerror(-m->cnt_err[first]),
		missing == DMABENCH_NR_COUNTERS ? "" : " for those");
}

static void announce(const struct micro *m, double per_op)
{
	unsigned int paths = __builtin_popcount(m->want);
	unsigned int dirs = __builtin_popcount(m->o.dirs);
	unsigned int apis = __builtin_popcount(m->o.apis);
	char took[32];

	for (int i = 0; i < m->cf.nwarnings; i++)
		fprintf(stderr, "dmabench: warning: %s\n", m->cf.warning[i]);
	announce_counters(m);
	fprintf(stderr,
		"dmabench: %u points (%u path%s x %zu size%s x %u dir%s x %u api%s x %zu thread count%s x %zu batch%s), %u samples + %u warmup each, %u repeat%s, on CPU %d\n",
		matrix_points(m), paths, plural(paths), m->o.nsizes,
		plural(m->o.nsizes), dirs, plural(dirs), apis, plural(apis),
		m->o.nthreads, plural(m->o.nthreads), m->o.nbatches,
		m->o.nbatches == 1 ? "" : "es", m->o.samples, m->o.warmup,
		m->o.repeat, plural(m->o.repeat), m->cpu);
	if (!strcmp(m->o.clock, "icount")) {
		fputs("dmabench: estimated duration: none: under --clock icount the guest's clock counts instructions, not the host's time\n",
		      stderr);
	} else if (per_op > 0) {
		fmt_duration(took, sizeof(took), per_op * matrix_ops(m));
		fprintf(stderr, "dmabench: estimated duration: about %s (from one probe run; refined after the first point)\n",
			took);
	}
}

static int write_meta(struct micro *m, time_t start)
{
	struct run_meta r = {
		.rev = m->o.rev,
		.command = dmabench_command ? dmabench_command : "dmabench micro",
		.clock = m->o.clock,
		.tsc_khz = m->info.tsc_khz,
		.emulated = m->o.emulated,
		.hypervisor = m->si.hypervisor,
	};
	struct boot_meta b = {
		.si = &m->si,
		.info = &m->info,
		.pb = m->have_pci ? &m->pb : NULL,
		.pci = m->pci_was_seen ? &m->pci_seen : NULL,
		.paths = m->ran,
		.npaths = m->nran,
		.notes = m->o.notes,
		.nnotes = m->o.nnotes,
		.emulated = m->o.emulated,
		.cpu = m->cpu,
		.cf = &m->cf,
		.counters = !m->o.counters ? 0 : m->cnt_probed ? 1 : -1,
		.cnt_err = m->cnt_err,
		.node = m->o.node,
		.repeat = m->o.repeat,
		.cpus = m->pick,
		.ncpus = m->npick,
	};
	FILE *f;
	int err;

	meta_date(r.date, sizeof(r.date), start);
	f = outdir_fopen(&m->out, outdir_meta_name(&m->out));
	if (!f) {
		err = -errno;
		warn("%s/%s", m->out.dir, outdir_meta_name(&m->out));
		return err;
	}
	err = meta_write(f, &r, &b, m->out.part);
	if (fclose(f) || err) {
		warnx("%s/%s: write error", m->out.dir, outdir_meta_name(&m->out));
		return -EIO;
	}
	return 0;
}

static int close_threads_csv(struct micro *m)
{
	int err = 0;

	if (!m->threads_csv)
		return 0;
	if (ferror(m->threads_csv))
		err = -EIO;
	if (fclose(m->threads_csv) && !err)
		err = -errno;
	m->threads_csv = NULL;
	if (err)
		warnx("%s/threads.csv: write error", m->out.dir);
	return err;
}

static int close_summary(struct micro *m)
{
	int err = close_threads_csv(m);

	if (!m->summary)
		return 0;
	if (ferror(m->summary) && !err)
		err = -EIO;
	if (fclose(m->summary) && !err)
		err = -errno;
	m->summary = NULL;
	if (err)
		warnx("%s/summary.csv: write error", m->out.dir);
	return err;
}

/* Measure and describe; the caller cleans up whatever the outcome. */
static int measure(struct micro *m, time_t start)
{
	int err;

	if (m->o.pci[0]) {
		err = pcibind_open(&m->pb, m->o.pci);
		if (err)
			return err;
		m->have_pci = true;
	}
	sysinfo_collect(&m->si);
	if (!strcmp(m->o.clock, "icount") && !m->si.hypervisor)
		warnx("--clock icount, but the CPU shows no hypervisor flag: are these really instruction counts?");
	err = alloc_buffers(m);
	if (!err)
		err = open_output(m);
	if (!err)
		err = paths_plan(m);
	if (err)
		return err;
	matrix_pick_cpus(m);
	cpufreq_collect(&m->cf, m->pick, m->npick, m->info.tsc_khz);
	cpufreq_warnings(&m->cf, m->o.emulated, !strcmp(m->o.clock, "icount"));
	announce(m, probe_run(m));
	err = matrix_run(m);
	trace_close(&m->tp);
	if (!err)
		err = close_summary(m);
	if (!err)
		err = write_meta(m, start);
	return err;
}

static int finish(struct micro *m, int err, time_t start)
{
	char final[PATH_MAX];

	close_summary(m);
	if (m->have_pci && pcibind_restore(&m->pb))
		warnx("%s: could not restore it fully (see above)", m->pb.bdf);
	if (!err) {
		err = outdir_commit(&m->out, m->si.release, start, final,
				    sizeof(final));
		if (err)
			warnx("%s: cannot commit it: %s", m->out.dir, strerror(-err));
	}
	if (err) {
		outdir_abort(&m->out);
		if (!*m->stop)
			return 1;
		warnx("interrupted: nothing written");
		return 130;
	}
	printf("%s\n", final);
	return 0;
}

int cmd_micro(int argc, char **argv)
{
	struct micro *m;
	time_t start;
	int ret;

	m = calloc(1, sizeof(*m));
	if (!m) {
		warnx("out of memory");
		return 1;
	}
	m->fd = -1;
	m->stop = &stop;
	ret = micro_parse(argc, argv, &m->o);
	if (ret) {
		free(m);
		return ret > 0 ? 0 : EXIT_USAGE;
	}
	start = time(NULL);
	catch_stop(m->stop, 1,
		   "\ndmabench: stopping after this point, then cleaning up\n");
	ret = 1;
	if (!open_module(m)) {
		/* --cpus without --cpu: the first of them runs one thread. */
		m->cpu = pin_cpu(m->o.cpu < 0 && m->o.ncpus ? (int)m->o.cpus[0] :
				 m->o.cpu);
		if (m->cpu >= 0)
			ret = finish(m, measure(m, start), start);
	}
	module_close(m->fd);
	sysinfo_free(&m->si);
	free(m->ticks);
	free(m->vals);
	free(m->scratch);
	free(m->counters);
	free(m);
	return ret;
}
