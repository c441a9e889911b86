/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traced calls and where their instructions go: the trace.csv of a run
 * directory read into one entry per traced call (api, path, size, dir,
 * op) with the instructions executed in each function, and the
 * difference of two such calls, function by function.
 *
 * trace.csv has a row per (point, op, function) of one traced call:
 * api,path,size,dir,op,function,calls,self,total.  `self` is the number
 * of instructions executed in the function itself; their sum over a
 * call's functions is the call's total, exactly.  Where trace-points.csv
 * is beside it, its `instructions` column must equal that sum, or the
 * trace is refused.
 *
 * Names of compiler clones (name.isra.N, name.constprop.N, name.part.N,
 * name.cold, name.llvm.N, and combinations) are merged with their
 * function: a clone in one kernel and not in the other is the same code,
 * and the sums stay exact.
 */
#ifndef DMABENCH_ATTRIB_H
#define DMABENCH_ATTRIB_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AT_NAME_MAX	128

struct at_func {
	char name[AT_NAME_MAX];		/* clone suffixes removed */
	uint64_t self;			/* instructions in the function */
	uint64_t calls;			/* entries into it */
};

/* One traced call, or with op "pair" a map and an unmap together. */
struct at_call {
	char api[32], path[32], dir[32], op[8];
	uint64_t size;
	struct at_func *f;
	size_t nf, cap;
	uint64_t total;			/* the sum of self */
};

struct at_trace {
	char file[PATH_MAX];		/* the trace.csv read */
	struct at_call *calls;
	size_t n;
	size_t clones;			/* rows whose name was a clone's */
};

/* The clone suffixes merged, as a reader is told. */
extern const char at_clone_note[];

/* name without its clone suffixes into buf. */
void at_base_name(char *buf, size_t size, const char *name);

/*
 * Read dir/trace.csv (and check dir/trace-points.csv if present).
 * Returns 0, -ENOENT if the run has no trace.csv (nothing said), or
 * another -errno after saying why on stderr.
 */
int at_load(struct at_trace *t, const char *dir);
/* The same from a trace.csv text; points may be NULL. */
int at_parse(struct at_trace *t, const char *name, const char *text,
	     const char *points);
void at_free(struct at_trace *t);

/*
 * The call of a trace at a point and op; op "pair" is map and unmap
 * added function by function, into *tmp (free with at_call_free).
 * NULL if the trace lacks it (for a pair: lacks either).
 */
const struct at_call *at_get(const struct at_trace *t, const char *api,
			     const char *path, uint64_t size, const char *dir,
			     const char *op, struct at_call *tmp);
void at_call_free(struct at_call *c);

enum at_kind { AT_SAME, AT_APPEARED, AT_VANISHED, AT_GREW, AT_SHRANK };
extern const char *const at_kind_names[];

struct at_delta {
	const char *name;
	uint64_t self[2], calls[2];
	int64_t delta;			/* self[1] - self[0] */
	enum at_kind kind;
};

/* Call B against call A, function by function. */
struct at_diff {
	uint64_t total[2];
	int64_t change;			/* total[1] - total[0] */
	int64_t sum;			/* of the deltas: equals change */
	struct at_delta *d;		/* largest |delta| first, same last */
	size_t n, nsame;
	uint64_t same_self;		/* instructions of the unchanged */
};

int at_diff(const struct at_call *a, const struct at_call *b,
	    struct at_diff *out);
void at_diff_free(struct at_diff *d);

#endif
