/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench compare: the state shared by its options, run loading, point
 * matching, statistics and output.
 *
 * Side 0 is A, side 1 is B.  A side is one or more run directories whose
 * samples are pooled per point.  Comparing kernels, A and B are different
 * runs and a point is (api, path, size, dir, threads, op, unit, nents,
 * offset, attrs, pattern, batch, working_set); with --within, A and B
 * are the same runs, A the rows of one api and B those of another, and a
 * point is all of that but the api.
 */
#ifndef DMABENCH_COMPARE_H
#define DMABENCH_COMPARE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "attrib.h"
#include "csv.h"
#include "mwu.h"

#define CMP_MAX_RUNS	16	/* per side */

enum cmp_format { CMP_TEXT, CMP_CSV, CMP_MD };

struct cmp_opts {
	const char *run[2];		/* comma lists of run directories */
	bool within;
	const char *api[2];		/* --within: --a and --b */
	enum cmp_format format;
	unsigned int reps;		/* --bootstrap */
	uint64_t seed;
	double threshold;		/* --threshold, as a fraction */
	double alpha;
	bool cross;
	bool workloads;			/* --workloads: those only */
	bool attribution;		/* --attribution: that only */
	bool summary;			/* --summary: that only */
	bool no_attribution;		/* --no-attribution */
	unsigned int ops, paths;	/* filters: bit per name, 0 all */
	const char *apis;		/* --api: a comma list, NULL all */
};

struct cmp_boot {
	char release[128];
	char version[192];		/* kernel.version */
	char cpu[128];
	char qemu_cpu[64];		/* cpu_model: the lab's -cpu, or "" */
	char host[128];			/* host.name; "" in older runs */
	uint64_t tsc_khz;		/* the module's; 0 if not recorded */
};

/* The fields of a summary.csv row that compare uses. */
struct cmp_row {
	struct csv_record rec;		/* owns the strings */
	const char *api, *path, *dir, *threads, *op, *unit;
	const char *nents, *offset, *attrs;
	const char *pattern, *batch, *working_set;
	const char *status, *note, *samples;
	uint64_t size;
	unsigned int boot;
	double median;			/* summary.csv's; NAN if empty */
	bool usable;			/* ok, with median and samples */
};

struct cmp_run {
	char dir[PATH_MAX];
	const char *name;		/* last component of dir */
	char unit[24];
	char clock[24];			/* clock.source */
	char arch[24];			/* uname machine; x86_64 if absent */
	bool emulated;
	uint64_t tsc_khz;		/* clock.tsc_khz */
	struct cmp_boot *boots;
	size_t nboots;
	struct cmp_row *rows;
	size_t nrows;
};

/* A row of one side at a point. */
struct cmp_occ {
	const struct cmp_run *run;
	const struct cmp_row *row;
};

enum cmp_verdict { CMP_SAME, CMP_FASTER, CMP_SLOWER, CMP_NA };

/* Why a point has no comparison. */
enum cmp_state {
	CMP_COMPARED,
	CMP_ONLY_A,		/* B has no row for it */
	CMP_ONLY_B,
	CMP_NOT_OK,		/* a side has rows, none usable */
};

struct cmp_stats {
	size_t n[2];			/* samples pooled */
	double median[2];
	size_t runs[2];			/* rows pooled: run x boot */
	double run_min[2], run_max[2];	/* of the rows' own medians */
	double change;			/* median B / median A - 1 */
	double lo, hi;			/* its 95 % interval, or NAN */
	struct mwu mwu;
	double p_holm;
	enum cmp_verdict verdict;
};

struct cmp_point {
	char key[192];
	char group[128];		/* label of its group of rows */
	char item[48];			/* label within the group */
	struct cmp_occ *occ[2];
	size_t nocc[2];
	size_t seq, group_seq;		/* order of first appearance */
	enum cmp_state state;
	struct cmp_stats st;
};

struct compare {
	struct cmp_opts o;
	struct cmp_run *runs[2];	/* with --within, both sides share */
	size_t nruns[2];
	struct cmp_point *pts;
	size_t npts;
	size_t ncompared;
	char mismatch[160];		/* what --cross let through, or "" */
	/* the first run of each side with a trace.csv; -1 if none */
	int traced[2];
	struct at_trace trace[2];	/* with --within, [1] is [0] */
};

/* compare_opts.c */
int cmp_parse(int argc, char **argv, struct cmp_opts *o, FILE *help);
bool cmp_api_wanted(const struct cmp_opts *o, const char *api);

/* compare_run.c */
int cmp_load_run(struct cmp_run *run, const char *dir);
int cmp_load_run_opt(struct cmp_run *run, const char *dir, bool need_summary);
void cmp_free_run(struct cmp_run *run);
int cmp_read_samples(const struct cmp_run *run, const struct cmp_row *row,
		     double **v, size_t *n);

/* compare_check.c */
int cmp_check_runs(struct compare *c);

/* compare_match.c */
int cmp_match(struct compare *c);
const char *cmp_dir_short(const char *dir);
const char *cmp_row_status(const struct cmp_row *r);
void cmp_size_short(char *buf, size_t size, uint64_t bytes);

/* compare_calc.c */
enum cmp_verdict cmp_verdict(double p_holm, double change, double lo,
			     double hi, double alpha, double threshold);
uint64_t cmp_point_seed(uint64_t seed, const char *key);
int cmp_analyse(struct compare *c);

/* compare_fmt.c */
extern const char *const cmp_verdict_names[];
void cmp_fmt_value(char *buf, size_t size, double v);
void cmp_fmt_change(char *buf, size_t size, double change);
void cmp_fmt_bound(char *buf, size_t size, double change);
void cmp_fmt_p(char *buf, size_t size, double p);
const char *cmp_side_name(const struct compare *c, int side);
void cmp_releases(const struct compare *c, int side, char *buf, size_t size);
void cmp_cpus(const struct compare *c, int side, char *buf, size_t size);
bool cmp_pooled(const struct compare *c);

/* compare_wrap.c: text lines of at most CMP_COLUMNS columns, ASCII */
#define CMP_COLUMNS	79

struct cmp_wrap {
	FILE *f;
	const char *indent;
	size_t col;
	bool fresh;		/* nothing on this line after the indent */
};

void cmp_wrap_begin(struct cmp_wrap *w, FILE *f, const char *first,
		    const char *indent);
void cmp_wrap_word(struct cmp_wrap *w, const char *word);
void cmp_wrap_text(struct cmp_wrap *w, const char *text);
void cmp_wrap_end(struct cmp_wrap *w);
void cmp_line(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* compare_list.c: what was not compared, and why */
struct cmp_reason {
	int side;
	bool only;		/* the other side has no row there */
	const char *status;	/* "ok" or what the row says */
	const char *note;
};

int cmp_reasons(const struct compare *c, struct cmp_reason **out,
		size_t *n);
bool cmp_point_has(const struct compare *c, const struct cmp_point *p,
		   const struct cmp_reason *r);
void cmp_reason_title(const struct compare *c, const struct cmp_reason *r,
		      char *buf, size_t size);

/* The points of one group under a reason, in short phrases. */
struct cmp_listed {
	const char *group;
	char (*phrase)[64];
	size_t n;
};

int cmp_list(const struct compare *c, const struct cmp_reason *r,
	     struct cmp_listed **out, size_t *n);
void cmp_unlist(struct cmp_listed *l, size_t n);

/* compare_facts.c: what heads a report */
#define CMP_MAX_FACTS	20

struct cmp_fact {
	char key[16];			/* "" continues the fact before */
	char text[720];
};

int cmp_facts(const struct compare *c, struct cmp_fact *f);

/* compare_text.c, compare_table.c */
void cmp_print_text(const struct compare *c, FILE *f);
int cmp_print_workloads(const struct compare *c, FILE *f);
void cmp_print_csv(const struct compare *c, FILE *f);
void cmp_print_md(const struct compare *c, FILE *f);

/* compare_summary.c: the answer first, one line per group */
void cmp_print_summary(const struct compare *c, FILE *f);

/* compare_attrib.c: where the instructions of traced calls went */
int cmp_load_traces(struct compare *c);
bool cmp_has_traces(const struct compare *c);
int cmp_print_attribution(const struct compare *c, FILE *f);

/*
 * compare_fleet.c: runs of several machines, one line per machine and path;
 * a fleet is more than one machine, one at least with runs on both sides
 */
bool cmp_is_fleet(const struct compare *c);
int cmp_print_fleet(struct compare *c, FILE *f);

/* cmd_compare.c */
int compare_main(int argc, char **argv, FILE *out);

#endif
