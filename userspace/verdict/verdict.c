// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench verdict: the figures and the text of VERDICT.md (verdict.h).
 *
 * Everything printed goes through compare's text helpers, so every line
 * is printable ASCII in at most 79 columns.  Every figure is a traced
 * call total or a sum of function deltas of the runs named in the
 * header by their labels; nothing is computed from anything else.
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dmasyms.h"
#include "names.h"
#include "util.h"
#include "verdict.h"

const char *const vd_labels[VD_RUNS] = { "DA", "DB", "SA", "SB", "CPU" };

static const char *const what[VD_RUNS] = {
	"Debian's packaged 6.12 kernel (before dma_map_phys)",
	"Debian's packaged 7.3 kernel (dma_map_page_attrs wraps dma_map_phys)",
	"6.12 built from source with the shared configuration",
	"7.3 built from source with the same configuration",
	"Debian's 7.3 kernel on another CPU model (against DB)",
};

static const char *const base_apis[] = { "page", "phys", "phys_page" };
static const char *const ops[] = { "map", "unmap", "pair" };

int vd_load(struct verdict *v)
{
	for (int i = 0; i < VD_RUNS; i++) {
		struct vd_run *r = &v->r[i];
		int err;

		if (!r->dir)
			continue;
		err = cmp_load_run_opt(&r->meta, r->dir, false);
		if (err)
			return err;
		err = at_load(&r->trace, r->dir);
		if (err == -ENOENT)
			warnx("%s (%s): no trace.csv: trace the run first (make vm-trace)",
			      r->dir, vd_labels[i]);
		if (err)
			return err;
	}
	return 0;
}

void vd_free(struct verdict *v)
{
	for (int i = 0; i < VD_RUNS; i++) {
		cmp_free_run(&v->r[i].meta);
		at_free(&v->r[i].trace);
	}
}

/* T(run, api, path, op) into *t; false if the run did not trace it. */
static bool total(const struct verdict *v, int run, const char *api,
		  const char *path, const char *op, int64_t *t)
{
	struct at_call tmp;
	const struct at_call *c;

	if (!v->r[run].dir)
		return false;
	c = at_get(&v->r[run].trace, api, path, v->size, v->dir, op, &tmp);
	if (!c)
		return false;
	*t = (int64_t)c->total;
	if (c == &tmp)
		at_call_free(&tmp);
	return true;
}

/* The other changed functions: the VD_NAMED largest, the rest summed. */
static void name_others(const struct at_diff *d, struct vd_attr *a)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct at_delta *x = &d->d[i];

		if (x->kind == AT_SAME || dmasym_is_dma(x->name))
			continue;
		if (a->nnamed < VD_NAMED) {	/* d is largest first */
			snprintf(a->named[a->nnamed], AT_NAME_MAX, "%s",
				 x->name);
			a->named_delta[a->nnamed++] = x->delta;
		} else {
			a->nother++;
			a->other_delta += x->delta;
		}
	}
}

int vd_attribute(const struct verdict *v, const char *path, const char *op,
		 struct vd_attr *a)
{
	static const int runs[4] = { VD_DA, VD_DB, VD_SA, VD_SB };
	struct at_call tmp[2];
	const struct at_call *sa, *sb;
	struct at_diff d;
	int64_t phys;
	int err;

	memset(a, 0, sizeof(*a));
	for (int i = 0; i < 4; i++) {
		if (!total(v, runs[i], "page", path, op, &a->t[i])) {
			snprintf(a->why, sizeof(a->why),
				 "%s has no traced page %s at %s %" PRIu64 " %s",
				 vd_labels[runs[i]], op, path, v->size, v->dir);
			return 0;
		}
	}
	a->change = a->t[1] - a->t[0];
	sa = at_get(&v->r[VD_SA].trace, "page", path, v->size, v->dir, op,
		    &tmp[0]);
	sb = at_get(&v->r[VD_SB].trace, "page", path, v->size, v->dir, op,
		    &tmp[1]);
	err = sa && sb ? at_diff(sa, sb, &d) : -ENOMEM;
	if (err) {
		if (sa == &tmp[0])
			at_call_free(&tmp[0]);
		if (sb == &tmp[1])
			at_call_free(&tmp[1]);
		return err;
	}
	for (size_t i = 0; i < d.n; i++)
		if (dmasym_is_dma(d.d[i].name))
			a->dma += d.d[i].delta;
	a->have_w = total(v, VD_SB, "phys", path, op, &phys);
	a->w = a->have_w ? a->t[3] - phys : 0;
	a->sd = a->dma - a->w;
	a->so = d.sum - a->dma;
	name_others(&d, a);
	a->c = a->change - (a->t[3] - a->t[2]);
	at_diff_free(&d);	/* its names are the calls': free those after */
	if (sa == &tmp[0])
		at_call_free(&tmp[0]);
	if (sb == &tmp[1])
		at_call_free(&tmp[1]);
	if (a->w + a->sd + a->so + a->c != a->change ||
	    a->w + a->sd + a->so != a->t[3] - a->t[2]) {
		warnx("%s %s: W %+" PRId64 " + Sd %+" PRId64 " + So %+" PRId64
		      " + C %+" PRId64 " is not T(DB) - T(DA) = %+" PRId64,
		      path, op, a->w, a->sd, a->so, a->c, a->change);
		return -EPROTO;
	}
	a->ok = true;
	return 0;
}

static bool traced_path(const struct verdict *v, const char *path)
{
	for (int r = 0; r < VD_RUNS; r++)
		for (size_t i = 0; i < v->r[r].trace.n; i++)
			if (!strcmp(v->r[r].trace.calls[i].path, path))
				return true;
	return false;
}

static bool listed(const char **list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* The paths of the traces: the known ones in their order, then others. */
static size_t paths_of(const struct verdict *v, const char **out, size_t max)
{
	size_t n = 0;

	for (int k = 0; k < PATH_COUNT && n < max; k++)
		if (traced_path(v, path_names[k]))
			out[n++] = path_names[k];
	for (int r = 0; r < VD_RUNS; r++) {
		const struct at_trace *t = &v->r[r].trace;

		for (size_t i = 0; i < t->n && n < max; i++)
			if (!listed(out, n, t->calls[i].path))
				out[n++] = t->calls[i].path;
	}
	return n;
}

/* page, phys, phys_page, then the other apis any trace has on path. */
static size_t apis_of(const struct verdict *v, const char *path,
		      const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(base_apis) && n < max; i++)
		out[n++] = base_apis[i];
	for (int r = 0; r < VD_RUNS; r++) {
		const struct at_trace *t = &v->r[r].trace;

		for (size_t i = 0; i < t->n && n < max; i++)
			if (!strcmp(t->calls[i].path, path) &&
			    !listed(out, n, t->calls[i].api))
				out[n++] = t->calls[i].api;
	}
	return n;
}

static void wrapped(FILE *f, const char *first, const char *indent,
		    const char *text)
{
	struct cmp_wrap w;

	cmp_wrap_begin(&w, f, first, indent);
	cmp_wrap_text(&w, text);
	cmp_wrap_end(&w);
}

static void fmt_total(char *buf, size_t size, const struct verdict *v,
		      int run, const char *api, const char *path,
		      const char *op)
{
	int64_t t;

	if (total(v, run, api, path, op, &t))
		snprintf(buf, size, "%" PRId64, t);
	else
		snprintf(buf, size, "-");
}

/* A run's CPU model: the lab's -cpu if recorded, else the CPU's name. */
static void model_of(const struct cmp_run *r, char *buf, size_t size)
{
	const struct cmp_boot *b = r->nboots ? &r->boots[0] : NULL;

	if (b && b->qemu_cpu[0])
		snprintf(buf, size, "-cpu %s, %s", b->qemu_cpu,
			 b->cpu[0] ? b->cpu : "?");
	else
		snprintf(buf, size, "%s", b && b->cpu[0] ? b->cpu : "?");
}

static void header(const struct verdict *v, FILE *f)
{
	char text[600];

	cmp_line(f, "dmabench verdict: the cost of one streaming DMA mapping, and where");
	cmp_line(f, "a change between kernels comes from");
	fputc('\n', f);
	cmp_line(f, "Runs (labels used below):");
	for (int i = 0; i < VD_RUNS; i++) {
		const struct vd_run *r = &v->r[i];
		const struct cmp_boot *b = r->meta.nboots ? &r->meta.boots[0] :
					   NULL;
		char first[16], qemu[96];

		if (!r->dir)
			continue;
		snprintf(first, sizeof(first), "  %-4s", vd_labels[i]);
		wrapped(f, first, "        ", what[i]);
		snprintf(text, sizeof(text), "run %s", r->meta.name);
		wrapped(f, "        ", "          ", text);
		qemu[0] = '\0';
		if (b && b->qemu_cpu[0])
			snprintf(qemu, sizeof(qemu), " (QEMU -cpu %s)",
				 b->qemu_cpu);
		snprintf(text, sizeof(text), "kernel %s %s; CPU %s%s%s",
			 b ? b->release : "?", b ? b->version : "",
			 b && b->cpu[0] ? b->cpu : "?", qemu,
			 r->meta.emulated ? ", emulated" : "");
		wrapped(f, "        ", "          ", text);
	}
	for (int i = VD_DB; i <= VD_SB; i++) {
		char m0[256], m1[256];

		model_of(&v->r[VD_DA].meta, m0, sizeof(m0));
		model_of(&v->r[i].meta, m1, sizeof(m1));
		if (!strcmp(m0, m1))
			continue;
		snprintf(text, sizeof(text),
			 "WARNING: DA and %s ran on different CPU models (%s; %s): the attribution mixes code and model.",
			 vd_labels[i], m0, m1);
		wrapped(f, "", "  ", text);
		break;
	}
	fputc('\n', f);
	snprintf(text, sizeof(text),
		 "Every figure is a count of instructions: the traced call total of one marked call at %" PRIu64 " bytes %s, every instruction from the call to its return (trace.csv of the run named), map and unmap each, pair their sum. They are traced call totals, not medians; `make test` checks them against the microbenchmark's ICOUNT medians of the same kernels.",
		 v->size, v->dir);
	wrapped(f, "", "", text);
}

static void legend(FILE *f)
{
	fputc('\n', f);
	cmp_line(f, "page's change DA -> DB is split, per op, into");
	cmp_line(f, "  W   the page->phys wrapper, the series itself:");
	cmp_line(f, "      T(SB,page) - T(SB,phys)");
	cmp_line(f, "  Sd  the rest of the dma_map_phys() dispatch: the deltas SA -> SB of");
	cmp_line(f, "      the functions in DMA-mapping code (dmabench's dmasyms.c), minus W");
	cmp_line(f, "  So  the deltas SA -> SB of all other functions, the largest named");
	cmp_line(f, "  C   Debian's configuration against the shared one:");
	cmp_line(f, "      (T(DB) - T(DA)) - (T(SB) - T(SA)); it also holds whatever else");
	cmp_line(f, "      differs between Debian's builds and the shared ones (toolchain,");
	cmp_line(f, "      build options)");
	cmp_line(f, "so that W + Sd + So + C = T(DB) - T(DA) exactly; every sum is checked.");
}

static void named(char *buf, size_t size, const struct vd_attr *a)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < a->nnamed && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s %+" PRId64,
				i ? ", " : "", a->named[i], a->named_delta[i]);
	if (a->nother && len < size)
		snprintf(buf + len, size - len, ", %zu more %+" PRId64,
			 a->nother, a->other_delta);
}

/* The short form for the top: one line per path, the pair. */
static int in_short(const struct verdict *v, FILE *f, const char **paths,
		    size_t np)
{
	char text[600], others[300];
	struct vd_attr a;
	int err;

	fputc('\n', f);
	cmp_line(f, "In short (map+unmap, page, DA -> DB):");
	for (size_t i = 0; i < np; i++) {
		char first[48];

		err = vd_attribute(v, paths[i], "pair", &a);
		if (err)
			return err;
		snprintf(first, sizeof(first), "  %s: ", paths[i]);
		if (!a.ok) {
			snprintf(text, sizeof(text), "not attributed: %s", a.why);
			wrapped(f, first, "    ", text);
			continue;
		}
		named(others, sizeof(others), &a);
		if (a.have_w)
			snprintf(text, sizeof(text),
				 "%" PRId64 " -> %" PRId64 " (%+" PRId64 "): the wrapper %+" PRId64 ", the rest of the dispatch %+" PRId64 ", other code %+" PRId64 "%s%s%s, configuration %+" PRId64 ".",
				 a.t[0], a.t[1], a.change, a.w, a.sd, a.so,
				 others[0] ? " (" : "", others,
				 others[0] ? ")" : "", a.c);
		else
			snprintf(text, sizeof(text),
				 "%" PRId64 " -> %" PRId64 " (%+" PRId64 "): DMA-mapping code %+" PRId64 " (SB has no phys: the wrapper not separated), other code %+" PRId64 "%s%s%s, configuration %+" PRId64 ".",
				 a.t[0], a.t[1], a.change, a.sd, a.so,
				 others[0] ? " (" : "", others,
				 others[0] ? ")" : "", a.c);
		wrapped(f, first, "    ", text);
	}
	return 0;
}

/* 2 + 10 + 4 x (1 + 6 + 6) = 64 columns */
static void totals(const struct verdict *v, FILE *f, const char *path)
{
	static const int runs[4] = { VD_DA, VD_DB, VD_SA, VD_SB };
	const char *apis[16];
	size_t n = apis_of(v, path, apis, ARRAY_SIZE(apis));
	char cell[8][16];

	cmp_line(f, "  %-10s %12s %12s %12s %12s", "instr.", "DA", "DB", "SA",
		 "SB");
	cmp_line(f, "  %-10s %6s%6s %6s%6s %6s%6s %6s%6s", "api", "map",
		 "unmap", "map", "unmap", "map", "unmap", "map", "unmap");
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < 4; k++) {
			fmt_total(cell[2 * k], 16, v, runs[k], apis[i], path,
				  "map");
			fmt_total(cell[2 * k + 1], 16, v, runs[k], apis[i],
				  path, "unmap");
		}
		cmp_line(f, "  %-10s %6s%6s %6s%6s %6s%6s %6s%6s", apis[i],
			 cell[0], cell[1], cell[2], cell[3], cell[4], cell[5],
			 cell[6], cell[7]);
	}
}

static int attribution(const struct verdict *v, FILE *f, const char *path)
{
	char text[600], others[300], head[160];
	struct vd_attr a;
	int err;

	for (size_t k = 0; k < ARRAY_SIZE(ops); k++) {
		err = vd_attribute(v, path, ops[k], &a);
		if (err)
			return err;
		fputc('\n', f);
		if (!a.ok) {
			snprintf(text, sizeof(text), "page, DA -> DB, %s: not attributed: %s",
				 ops[k], a.why);
			wrapped(f, "  ", "    ", text);
			continue;
		}
		snprintf(head, sizeof(head), "  page, DA -> DB, %s: %" PRId64
			 " -> %" PRId64 ", %+" PRId64, ops[k], a.t[0], a.t[1],
			 a.change);
		cmp_line(f, "%s", head);
		if (a.have_w)
			cmp_line(f, "    W  %+6" PRId64 "  the page->phys wrapper in SB: %" PRId64 " - %" PRId64,
				 a.w, a.t[3], a.t[3] - a.w);
		else
			cmp_line(f, "    W       -  unavailable: SB has no phys trace here");
		cmp_line(f, "    Sd %+6" PRId64 "  the rest of the dma_map_phys() dispatch, SA -> SB",
			 a.sd);
		named(others, sizeof(others), &a);
		snprintf(text, sizeof(text), "other code, SA -> SB%s%s",
			 others[0] ? ": " : "", others);
		snprintf(head, sizeof(head), "    So %+6" PRId64 "  ", a.so);
		wrapped(f, head, "              ", text);
		cmp_line(f, "    C  %+6" PRId64 "  Debian's configuration: (%" PRId64 " - %" PRId64 ") - (%" PRId64 " - %" PRId64 ")",
			 a.c, a.t[1], a.t[0], a.t[3], a.t[2]);
		cmp_line(f, "    W + Sd + So + C = %+" PRId64 " = T(DB) - T(DA), checked",
			 a.w + a.sd + a.so + a.c);
	}
	return 0;
}

/* DB against the CPU run: does the model change the totals of a path? */
static void cpu_model(const struct verdict *v, FILE *f, const char **paths,
		      size_t np)
{
	const struct cmp_run *db = &v->r[VD_DB].meta, *cm = &v->r[VD_CPU].meta;
	const char *rel[2] = { db->nboots ? db->boots[0].release : "?",
			       cm->nboots ? cm->boots[0].release : "?" };
	char text[1200], model[2][256];

	model_of(db, model[0], sizeof(model[0]));
	model_of(cm, model[1], sizeof(model[1]));
	fputc('\n', f);
	snprintf(text, sizeof(text),
		 "CPU model: DB (%s) against CPU (%s), traced totals per api and op:",
		 model[0], model[1]);
	wrapped(f, "", "  ", text);
	if (strcmp(rel[0], rel[1])) {
		snprintf(text, sizeof(text),
			 "WARNING: their kernels differ (%s, %s): this mixes kernel and model.",
			 rel[0], rel[1]);
		wrapped(f, "  ", "    ", text);
	}
	if (!strcmp(model[0], model[1]))
		wrapped(f, "  ", "    ",
			"WARNING: both runs name the same CPU model: this compares a model with itself.");
	for (size_t i = 0; i < np; i++) {
		const char *apis[16];
		size_t n = apis_of(v, paths[i], apis, ARRAY_SIZE(apis));
		size_t len = 0, same = 0, changed = 0;
		char first[48];

		text[0] = '\0';
		for (size_t k = 0; k < n; k++) {
			for (int o = 0; o < 2; o++) {
				int64_t a, b;

				if (!total(v, VD_DB, apis[k], paths[i], ops[o], &a) ||
				    !total(v, VD_CPU, apis[k], paths[i], ops[o], &b))
					continue;
				if (a == b) {
					same++;
					continue;
				}
				changed++;
				if (len < sizeof(text))
					len += snprintf(text + len, sizeof(text) - len,
							"%s%s %s %" PRId64 " -> %" PRId64 " (%+" PRId64 ")",
							len ? ", " : "changed: ",
							apis[k], ops[o], a, b, b - a);
			}
		}
		if (!changed && !same)
			snprintf(text, sizeof(text), "no total traced on both");
		else if (!changed)
			snprintf(text, sizeof(text),
				 "unchanged: all %zu totals equal", same);
		else if (same && len < sizeof(text))
			snprintf(text + len, sizeof(text) - len,
				 "; %zu other%s equal", same, same == 1 ? "" : "s");
		snprintf(first, sizeof(first), "  %s: ", paths[i]);
		wrapped(f, first, "    ", text);
	}
}

int vd_print(const struct verdict *v, FILE *f)
{
	const char *paths[16];
	size_t np = paths_of(v, paths, ARRAY_SIZE(paths));
	int err;

	header(v, f);
	err = in_short(v, f, paths, np);
	if (err)
		return err;
	legend(f);
	for (size_t i = 0; i < np; i++) {
		fputc('\n', f);
		cmp_line(f, "%s", paths[i]);
		totals(v, f, paths[i]);
		err = attribution(v, f, paths[i]);
		if (err)
			return err;
	}
	if (v->r[VD_CPU].dir)
		cpu_model(v, f, paths, np);
	if (!np) {
		fputc('\n', f);
		cmp_line(f, "No traced call in any of the runs.");
	}
	fputc('\n', f);
	cmp_line(f, "Written by dmabench verdict; the traces are in each run's trace.csv,");
	cmp_line(f, "the call trees in its trace.txt.");
	return 0;
}
