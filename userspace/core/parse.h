/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of command-line values.  Pure functions: on bad input they
 * return -EINVAL (or -ERANGE) and describe the problem in err[].
 *
 * Then the commands' options: the same values, with what is wrong said
 * on stderr naming the option ("--qd 0: the least is 1"); these return
 * 0, or -1 once they have said why.
 */
#ifndef DMABENCH_PARSE_H
#define DMABENCH_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The module's limit on bytes (and offset + bytes) per mapping: 4 MiB. */
#define SIZE_LIMIT	(4ULL << 20)

int parse_uint(const char *s, uint64_t max, uint64_t *out,
	       char *err, size_t errsz);
/*
 * Bytes from 1 to limit, with a K, M, G or T suffix (powers of 1024) as
 * far as limit reaches: 64, 4K, 2M.  -EINVAL: not a size; -ERANGE: over
 * limit; -EDOM: 0.
 */
int parse_size(const char *s, uint64_t limit, uint64_t *out, char *err,
	       size_t errsz);
int parse_size_list(const char *s, uint64_t limit, uint64_t *sizes,
		    size_t max, size_t *n, char *err, size_t errsz);
int parse_name_list(const char *s, const char *const *names, size_t count,
		    unsigned int *mask, char *err, size_t errsz);
int parse_bdf(const char *s, char *bdf, size_t size, char *err, size_t errsz);
int parse_note(const char *s, char *err, size_t errsz);

/* Options */

/* A number from min to max. */
int opt_uint(const char *name, const char *arg, uint64_t min, uint64_t max,
	     uint64_t *out);
/* "1,32,128": at most maxn distinct numbers from 1 to max, as given. */
int opt_uint_list(const char *name, const char *arg, uint64_t max,
		  unsigned int *vals, size_t maxn, size_t *n);
/* A comma list of names[]: bit i of *mask for names[i]. */
int opt_names(const char *name, const char *arg, const char *const *names,
	      size_t count, unsigned int *mask);
/* A comma list of sizes up to limit, sorted, duplicates dropped. */
int opt_sizes(const char *name, const char *arg, uint64_t limit,
	      uint64_t *sizes, size_t max, size_t *n);
/*
 * A command's options: one table, each entry naming an option once.
 * getopt_long()'s table and the options part of --help are made from
 * it.  An entry with no name is a heading of the help ("Where:"); one
 * with neither name nor help ends the table; one with a name and no help
 * is left out of the help.
 */
enum opt_kind {
	OPT_CALL,	/* call(ctx, key, value) stores it, or refuses */
	OPT_SET,	/* the bool at store becomes true */
	OPT_CLEAR,	/* the bool at store becomes false */
	OPT_STR,	/* the const char * at store is the value */
};

struct opt {
	const char *name;	/* the long name, without "--" */
	char letter;		/* the short one, or 0 */
	const char *arg;	/* the value's name in --help; NULL: none */
	const char *help;	/* wrapped in its column; '\n' breaks a line */
	enum opt_kind kind;
	void *store;		/* OPT_SET, OPT_CLEAR, OPT_STR; OPT_CALL's ctx */
	int (*call)(void *ctx, int key, char *arg);
	int key;		/* OPT_CALL: which option, for call() */
};

#define OPT_FLAG(n, b, h) \
	{ .name = (n), .kind = OPT_SET, .store = (b), .help = (h) }
#define OPT_UNFLAG(n, b, h) \
	{ .name = (n), .kind = OPT_CLEAR, .store = (b), .help = (h) }
#define OPT_STRING(n, a, s, h) \
	{ .name = (n), .arg = (a), .kind = OPT_STR, .store = (s), .help = (h) }
#define OPT_FN(n, a, fn, ctx, k, h) \
	{ .name = (n), .arg = (a), .kind = OPT_CALL, .store = (ctx), \
	  .call = (fn), .key = (k), .help = (h) }
#define OPT_HEAD(text)	{ .help = (text) }
#define OPT_END		{ .name = NULL }

/*
 * Read the options of dmabench cmd: -h or --help prints its help to help
 * (head, the options of the table, then tail) and gives 1; an unknown
 * option, or one without its value, is said and gives -1, as does one
 * that its entry refuses.  0 once all are read, optind being the first
 * operand.
 */
int opt_parse(FILE *help, int argc, char **argv, const char *cmd,
	      const struct opt *opts, const char *head, const char *tail);
/* --help as opt_parse() prints it: head, the options, tail. */
void opt_help(FILE *f, const struct opt *opts, const char *head,
	      const char *tail);

#endif
