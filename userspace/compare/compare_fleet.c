// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare across a fleet: when the runs of the two sides come
 * from more than one machine (host name and CPU model of their first
 * boot, from meta.json), each machine is compared on its own: its A runs
 * against its B runs (repetitions pooled, as always), points matched,
 * medians, intervals, Mann-Whitney and Holm within the machine.  The
 * report is one line per machine and path, in the style of mmtests:
 * baseline, new, the change, and a mark where it is significant, so that
 * ten boards fit one screen.
 *
 * Per machine and path, over the points compared there (op pair unless
 * --op says otherwise): the geometric means of the A and B medians, the
 * geometric mean of the per-point ratios B/A as the change, and how many
 * points are significantly slower and faster.  The mark is '*' when the
 * points with a verdict all go the way of the change.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "names.h"

struct fleet_machine {
	char host[128];
	char cpu[128];
	char release[2][128];
	size_t nruns[2];
	struct cmp_run *runs[2];	/* shallow copies */
	struct compare sub;
	int err;
};

static const struct cmp_boot *boot0(const struct cmp_run *r)
{
	static const struct cmp_boot none;

	return r->nboots ? &r->boots[0] : &none;
}

static bool same_machine(const struct fleet_machine *m,
			 const struct cmp_run *r)
{
	return !strcmp(m->host, boot0(r)->host) &&
	       !strcmp(m->cpu, boot0(r)->cpu);
}

/* The machines of both sides, in order of appearance. */
static int machines(const struct compare *c, struct fleet_machine **out,
		    size_t *n)
{
	struct fleet_machine *m;
	size_t cap = c->nruns[0] + c->nruns[1], k = 0;

	m = calloc(cap ? cap : 1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < c->nruns[s]; i++) {
			const struct cmp_run *r = &c->runs[s][i];
			size_t j;

			for (j = 0; j < k; j++)
				if (same_machine(&m[j], r))
					break;
			if (j == k) {
				snprintf(m[k].host, sizeof(m[k].host), "%.127s",
					 boot0(r)->host);
				snprintf(m[k].cpu, sizeof(m[k].cpu), "%.127s",
					 boot0(r)->cpu);
				k++;
			}
			m[j].nruns[s]++;
		}
	}
	*out = m;
	*n = k;
	return 0;
}

/*
 * A fleet: more than one machine, and at least one of them with runs on
 * both sides.  Where every machine has runs on one side only (A on one
 * board, B on another), the runs are compared as one pair of sides, and
 * what makes them incomparable (architecture, unit, clock) is refused.
 */
bool cmp_is_fleet(const struct compare *c)
{
	struct fleet_machine *m;
	bool both = false;
	size_t n;

	if (c->o.within || machines(c, &m, &n))
		return false;
	for (size_t i = 0; i < n; i++)
		both |= m[i].nruns[0] && m[i].nruns[1];
	free(m);
	return n > 1 && both;
}

/* One machine's A and B runs, compared as a pair of sides. */
static int compare_machine(const struct compare *c, struct fleet_machine *m)
{
	struct compare *sub = &m->sub;
	int err;

	sub->o = c->o;
	for (int s = 0; s < 2; s++) {
		size_t k = 0;

		if (!m->nruns[s])
			return 0;
		m->runs[s] = calloc(m->nruns[s], sizeof(*m->runs[s]));
		if (!m->runs[s])
			return -ENOMEM;
		for (size_t i = 0; i < c->nruns[s]; i++)
			if (same_machine(m, &c->runs[s][i]))
				m->runs[s][k++] = c->runs[s][i];
		snprintf(m->release[s], sizeof(m->release[s]), "%.127s",
			 boot0(&m->runs[s][0])->release);
		for (size_t i = 1; i < k; i++)
			if (strcmp(boot0(&m->runs[s][i])->release, m->release[s])) {
				warnx("%s: side %c has runs of %s and %s on one machine: not repetitions",
				      m->host[0] ? m->host : m->cpu, s ? 'B' : 'A',
				      m->release[s], boot0(&m->runs[s][i])->release);
				return -EINVAL;
			}
		sub->runs[s] = m->runs[s];
		sub->nruns[s] = k;
	}
	err = cmp_check_runs(sub);
	if (!err)
		err = cmp_match(sub);
	if (!err)
		err = cmp_analyse(sub);
	return err;
}

static void free_machine(struct fleet_machine *m)
{
	for (size_t i = 0; i < m->sub.npts; i++) {
		free(m->sub.pts[i].occ[0]);
		free(m->sub.pts[i].occ[1]);
	}
	free(m->sub.pts);
	free(m->runs[0]);
	free(m->runs[1]);
}

struct fleet_line {
	size_t n, slower, faster;
	double a, b, change;		/* geometric means; change as B/A - 1 */
};

static void summarise(const struct compare *sub, const char *path,
		      const char *api, struct fleet_line *l)
{
	double la = 0, lb = 0, lr = 0;

	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < sub->npts; i++) {
		const struct cmp_point *p = &sub->pts[i];
		const struct cmp_row *r;

		if (p->state != CMP_COMPARED || !p->nocc[0])
			continue;
		r = p->occ[0][0].row;
		if (strcmp(r->path, path) || (api && strcmp(r->api, api)) ||
		    !(p->st.median[0] > 0) ||
		    !(p->st.median[1] > 0))
			continue;
		la += log(p->st.median[0]);
		lb += log(p->st.median[1]);
		lr += log(p->st.median[1] / p->st.median[0]);
		l->n++;
		if (p->st.verdict == CMP_SLOWER)
			l->slower++;
		else if (p->st.verdict == CMP_FASTER)
			l->faster++;
	}
	if (l->n) {
		l->a = exp(la / l->n);
		l->b = exp(lb / l->n);
		l->change = exp(lr / l->n) - 1;
	}
}

/* '*' when the verdicts there are all in the direction of the change. */
static const char *mark(const struct fleet_line *l)
{
	if (l->change > 0 && l->slower && !l->faster)
		return "*";
	if (l->change < 0 && l->faster && !l->slower)
		return "*";
	return l->slower || l->faster ? "?" : "";
}

static void print_line(const struct compare *c, FILE *f, const char *first,
		       const char *path, const struct fleet_line *l)
{
	char a[32], b[32], ch[32];

	cmp_fmt_value(a, sizeof(a), l->a);
	cmp_fmt_value(b, sizeof(b), l->b);
	cmp_fmt_change(ch, sizeof(ch), l->change);
	switch (c->o.format) {
	case CMP_CSV:
		fprintf(f, "%s,%s,%zu,%.6g,%.6g,%.6g,%zu,%zu,%s\n", first,
			path, l->n, l->a, l->b, l->change, l->slower,
			l->faster, mark(l));
		break;
	case CMP_MD:
		fprintf(f, "| %s | %s | %zu | %s | %s | %s%s | %zu | %zu |\n",
			first, path, l->n, a, b, ch, mark(l), l->slower,
			l->faster);
		break;
	case CMP_TEXT:
		fprintf(f, "%-8s %-15s %4zu %10s %10s %9s%-1s %6zu %6zu\n",
			first, path, l->n, a, b, ch, mark(l), l->slower,
			l->faster);
		break;
	}
}

static void print_head(const struct compare *c, FILE *f,
		       const struct fleet_machine *m, size_t n)
{
	const char *unit = c->runs[0][0].unit;

	if (c->o.format == CMP_CSV) {
		fputs("machine,path,points,base,new,change,slower,faster,mark\n",
		      f);
		return;
	}
	if (c->o.format == CMP_MD)
		fputs("```\n", f);
	bool same = true;

	for (size_t i = 1; i < n; i++)
		same = same && !strcmp(m[i].release[0], m[0].release[0]) &&
		       !strcmp(m[i].release[1], m[0].release[1]);
	fprintf(f, "dmabench compare: %zu machines, each its A runs against its B runs\n",
		n);
	if (same)
		cmp_line(f, "A %s, B %s on every machine", m[0].release[0],
			 m[0].release[1]);
	for (size_t i = 0; i < n; i++) {
		char line[400];

		snprintf(line, sizeof(line), "%zu: %s%s%s, runs %zu/%zu",
			 i + 1, m[i].host, m[i].host[0] ? ", " : "",
			 m[i].cpu[0] ? m[i].cpu : "CPU unknown",
			 m[i].nruns[0], m[i].nruns[1]);
		if (!same)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 ", %s -> %s",
				 m[i].nruns[0] ? m[i].release[0] : "-",
				 m[i].nruns[1] ? m[i].release[1] : "-");
		cmp_line(f, "%.79s", line);
	}
	cmp_line(f, "Per machine and path: geometric means over the points compared, in %s;",
		 unit[0] ? unit : "the runs' unit");
	cmp_line(f, "change B/A - 1; slower, faster: points with that verdict;");
	cmp_line(f, "'*' where the verdicts agree with the change, '?' where they disagree.");
	if (c->o.format == CMP_MD)
		fputs("```\n\n| machine | path | points | base | new | change | slower | faster |\n|---|---|---|---|---|---|---|---|\n",
		      f);
	else
		fprintf(f, "\n%-8s %-15s %4s %10s %10s %10s %6s %6s\n", "machine",
			"path", "pts", "base", "new", "change", "slower",
			"faster");
}

int cmp_print_fleet(struct compare *c, FILE *f)
{
	struct fleet_machine *m;
	struct fleet_line l;
	char first[24];
	size_t n;
	int err;

	err = machines(c, &m, &n);
	if (err)
		return err;
	for (size_t i = 0; i < n && !err; i++)
		err = compare_machine(c, &m[i]);
	if (!err) {
		print_head(c, f, m, n);
		for (size_t i = 0; i < n; i++) {
			if (!m[i].nruns[0] || !m[i].nruns[1]) {
				if (c->o.format == CMP_TEXT)
					fprintf(f, "%-8zu %s\n", i + 1,
						m[i].nruns[0] ? "only in A: nothing to compare"
							      : "only in B: nothing to compare");
				continue;
			}
			for (int p = 0; p < PATH_COUNT; p++) {
				summarise(&m[i].sub, path_names[p], NULL, &l);
				snprintf(first, sizeof(first), "%zu", i + 1);
				if (l.n)
					print_line(c, f, first, path_names[p], &l);
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		free_machine(&m[i]);
	free(m);
	return err;
}
