// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of command-line values: numbers, sizes, comma lists, PCI
 * addresses and notes; and the commands' options read with them.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* A decimal number, digits only, at most max. */
int parse_uint(const char *s, uint64_t max, uint64_t *out,
	       char *err, size_t errsz)
{
	uint64_t v = 0;
	const char *p;

	if (!*s) {
		snprintf(err, errsz, "empty value (want a number)");
		return -EINVAL;
	}
	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p)) {
			snprintf(err, errsz, "'%s': not a number", s);
			return -EINVAL;
		}
		if (v > (UINT64_MAX - (*p - '0')) / 10) {
			snprintf(err, errsz, "'%s': too large (max %llu)",
				 s, (unsigned long long)max);
			return -ERANGE;
		}
		v = v * 10 + (*p - '0');
	}
	if (v > max) {
		snprintf(err, errsz, "'%s': too large (max %llu)",
			 s, (unsigned long long)max);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

/* The suffixes a size under limit may carry, and the hint that lists them. */
static unsigned int size_units(uint64_t limit)
{
	unsigned int n = 0;

	while (n < 4 && limit >> (10 * (n + 1)))
		n++;
	return n;
}

static const char *const size_hints[] = {
	"bytes: 64",
	"bytes, optionally with K: 64, 4K",
	"bytes, optionally with K or M: 64, 4K, 2M",
	"bytes, optionally with K, M or G: 64, 4K, 1G",
	"bytes, optionally with K, M, G or T: 64, 4K, 1G, 1T",
};

/* 4M, 16G: a limit as a size is written. */
static void fmt_limit(char *buf, size_t size, uint64_t v)
{
	static const char *const units[] = { "", "K", "M", "G", "T" };
	unsigned int n = size_units(v);

	while (n && v & ((1ULL << (10 * n)) - 1))
		n--;
	snprintf(buf, size, "%llu%s", (unsigned long long)(v >> (10 * n)),
		 units[n]);
}

/*
 * Bytes from 1 to limit, with an optional K, M, G or T suffix (powers of
 * 1024) as far as limit reaches: 64, 4K, 2M.
 */
int parse_size(const char *s, uint64_t limit, uint64_t *out, char *err,
	       size_t errsz)
{
	static const char units[] = "KMGT";
	unsigned int nunits = size_units(limit), shift = 0;
	size_t len = strlen(s);
	char digits[32], lim[32];
	const char *u;
	uint64_t v;
	int ret;

	if (len > 0 && (u = memchr(units, s[len - 1] & ~0x20, nunits))) {
		shift = 10 * (unsigned int)(u - units + 1);
		len--;
	}
	if (len == 0 || len >= sizeof(digits)) {
		snprintf(err, errsz, "'%s': not a size (%s)", s,
			 size_hints[nunits]);
		return -EINVAL;
	}
	memcpy(digits, s, len);
	digits[len] = '\0';
	ret = parse_uint(digits, limit, &v, err, errsz);
	if (ret == -EINVAL) {
		snprintf(err, errsz, "'%s': not a size (%s)", s,
			 size_hints[nunits]);
		return ret;
	}
	if (ret || v > limit >> shift) {
		fmt_limit(lim, sizeof(lim), limit);
		snprintf(err, errsz, "'%s': over %s limit of %s", s,
			 limit == SIZE_LIMIT ? "the module's" : "the", lim);
		return -ERANGE;
	}
	if (v == 0) {
		snprintf(err, errsz, "'%s': a size must be at least 1 byte", s);
		return -EDOM;
	}
	*out = v << shift;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Split s at commas into a writable copy; calls fn on each item.  Empty
 * items are an error.
 */
static int for_each_item(const char *s, int (*fn)(const char *, void *),
			 void *arg, char *err, size_t errsz)
{
	char *copy, *item, *save = NULL;
	size_t len = strlen(s);
	int ret = 0;

	if (len == 0 || s[0] == ',' || s[len - 1] == ',' || strstr(s, ",,")) {
		snprintf(err, errsz, "'%s': empty item in the list", s);
		return -EINVAL;
	}
	copy = strdup(s);
	if (!copy) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	for (item = strtok_r(copy, ",", &save); item && !ret;
	     item = strtok_r(NULL, ",", &save))
		ret = fn(item, arg);
	free(copy);
	return ret;
}

struct size_list {
	uint64_t limit;
	uint64_t *sizes;
	size_t max, n;
	char *err;
	size_t errsz;
};

static int add_size(const char *item, void *arg)
{
	struct size_list *l = arg;
	uint64_t v;
	int ret;

	ret = parse_size(item, l->limit, &v, l->err, l->errsz);
	if (ret)
		return ret;
	for (size_t i = 0; i < l->n; i++)
		if (l->sizes[i] == v)
			return 0;
	if (l->n == l->max) {
		snprintf(l->err, l->errsz, "more than %zu sizes", l->max);
		return -E2BIG;
	}
	l->sizes[l->n++] = v;
	return 0;
}

/* A comma list of sizes up to limit; duplicates dropped, sorted ascending. */
int parse_size_list(const char *s, uint64_t limit, uint64_t *sizes,
		    size_t max, size_t *n, char *err, size_t errsz)
{
	struct size_list l = {
		.limit = limit, .sizes = sizes, .max = max, .err = err,
		.errsz = errsz,
	};
	int ret;

	ret = for_each_item(s, add_size, &l, err, errsz);
	if (ret)
		return ret;
	qsort(sizes, l.n, sizeof(*sizes), cmp_u64);
	*n = l.n;
	return 0;
}

struct name_list {
	const char *const *names;
	size_t count;
	unsigned int mask;
	char *err;
	size_t errsz;
};

static int add_name(const char *item, void *arg)
{
	struct name_list *l = arg;
	size_t len;

	for (size_t i = 0; i < l->count; i++) {
		if (!strcmp(item, l->names[i])) {
			l->mask |= 1U << i;
			return 0;
		}
	}
	snprintf(l->err, l->errsz, "'%s': unknown; choose from ", item);
	for (size_t i = 0; i < l->count; i++) {
		len = strlen(l->err);
		snprintf(l->err + len, l->errsz - len, "%s%s", i ? "," : "",
			 l->names[i]);
	}
	return -EINVAL;
}

/* A comma list of names from a table; sets bit i for names[i]. */
int parse_name_list(const char *s, const char *const *names, size_t count,
		    unsigned int *mask, char *err, size_t errsz)
{
	struct name_list l = {
		.names = names, .count = count, .err = err, .errsz = errsz,
	};
	int ret;

	ret = for_each_item(s, add_name, &l, err, errsz);
	if (ret)
		return ret;
	*mask = l.mask;
	return 0;
}

/* A PCI address, DDDD:BB:DD.F or BB:DD.F; written out as sysfs names it. */
int parse_bdf(const char *s, char *bdf, size_t size, char *err, size_t errsz)
{
	unsigned int dom = 0, bus, dev, fn;
	char tail;
	int n;

	n = sscanf(s, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail);
	if (n != 4) {
		dom = 0;
		n = sscanf(s, "%x:%x.%x%c", &bus, &dev, &fn, &tail);
		n = n == 3 ? 4 : 0;
	}
	for (const char *p = s; *p && n == 4; p++)
		if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
			n = 0;
	if (n != 4 || dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7) {
		snprintf(err, errsz,
			 "'%s': not a PCI address (want DDDD:BB:DD.F, as lspci -D prints)",
			 s);
		return -EINVAL;
	}
	snprintf(bdf, size, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}

/* A note is KEY=VALUE: a non-empty key, no control characters in it. */
int parse_note(const char *s, char *err, size_t errsz)
{
	const char *eq = strchr(s, '=');

	if (!eq || eq == s) {
		snprintf(err, errsz, "'%s': want KEY=VALUE", s);
		return -EINVAL;
	}
	for (const char *p = s; p < eq; p++) {
		if (iscntrl((unsigned char)*p)) {
			snprintf(err, errsz, "'%s': control character in the key", s);
			return -EINVAL;
		}
	}
	return 0;
}

/* Options */

int opt_uint(const char *name, const char *arg, uint64_t min, uint64_t max,
	     uint64_t *out)
{
	char err[160];

	if (parse_uint(arg, max, out, err, sizeof(err))) {
		warnx("--%s %s", name, err);
		return -1;
	}
	if (*out < min) {
		warnx("--%s %s: the least is %llu", name, arg,
		      (unsigned long long)min);
		return -1;
	}
	return 0;
}

/* "1,32,128": distinct numbers from 1 to max, in the order given. */
int opt_uint_list(const char *name, const char *arg, uint64_t max,
		  unsigned int *vals, size_t maxn, size_t *n)
{
	char err[160], tok[32];
	size_t len;
	uint64_t v;

	*n = 0;
	do {
		len = strcspn(arg, ",");
		snprintf(tok, sizeof(tok), "%.*s", (int)len, arg);
		if (parse_uint(tok, max, &v, err, sizeof(err))) {
			warnx("--%s %s", name, err);
			return -1;
		}
		if (!v) {
			warnx("--%s 0: the least is 1", name);
			return -1;
		}
		for (size_t i = 0; i < *n; i++) {
			if (vals[i] == v) {
				warnx("--%s: %llu given twice", name,
				      (unsigned long long)v);
				return -1;
			}
		}
		if (*n == maxn) {
			warnx("--%s: at most %zu values", name, maxn);
			return -1;
		}
		vals[(*n)++] = v;
		arg += len + 1;
	} while (arg[-1] == ',');
	return 0;
}

int opt_names(const char *name, const char *arg, const char *const *names,
	      size_t count, unsigned int *mask)
{
	char err[200];

	if (!parse_name_list(arg, names, count, mask, err, sizeof(err)))
		return 0;
	warnx("--%s %s", name, err);
	return -1;
}

int opt_sizes(const char *name, const char *arg, uint64_t limit,
	      uint64_t *sizes, size_t max, size_t *n)
{
	char err[200];

	if (!parse_size_list(arg, limit, sizes, max, n, err, sizeof(err)))
		return 0;
	warnx("--%s %s", name, err);
	return -1;
}

/*
 * Say what is wrong with the option getopt_long() just refused (c is ':'
 * or '?'): naming it as given, a short one by its letter wherever it sits
 * in a cluster, and a long one given a value it does not take as such.
 */
static void opt_complain(int c, char **argv, const struct option *options,
			 const char *cmd)
{
	const char *arg = argv[optind - 1], *eq;
	size_t len;

	if (c == ':' && !strncmp(arg, "--", 2)) {
		warnx("%s needs a value (see dmabench %s --help)", arg, cmd);
		return;
	}
	if (c == ':') {
		warnx("-%c needs a value (see dmabench %s --help)", optopt, cmd);
		return;
	}
	/* A long option given a value it does not take: --quick=1. */
	eq = strchr(arg, '=');
	if (optopt && !strncmp(arg, "--", 2) && eq) {
		len = eq - arg - 2;
		for (const struct option *o = options; o->name; o++)
			if (o->has_arg == no_argument && o->val == optopt &&
			    !strncmp(o->name, arg + 2, len)) {
				warnx("--%s takes no value: '%s' (see dmabench %s --help)",
				      o->name, arg, cmd);
				return;
			}
	}
	/* An unknown short option: optopt, wherever in its cluster. */
	if (optopt > 0 && optopt < 128 && isgraph(optopt))
		warnx("unknown option '-%c' (see dmabench %s --help)", optopt,
		      cmd);
	else
		warnx("unknown option '%s' (see dmabench %s --help)", arg, cmd);
}

/* The width of --help's lines, and where an option's help may begin. */
#define HELP_WIDTH	75
#define HELP_MIN_COL	14

/* "-o, --out DIR": how an option shows in --help. */
static void opt_label(char *buf, size_t size, const struct opt *o)
{
	int n = 0;

	if (o->letter)
		n = snprintf(buf, size, "-%c, ", o->letter);
	snprintf(buf + n, size - n, "--%s%s%s", o->name, o->arg ? " " : "",
		 o->arg ? o->arg : "");
}

/*
 * One line of help from col: text up to its end, to a '\n' or to the
 * last space that keeps the line within HELP_WIDTH.  Where it stopped.
 */
static const char *help_line(FILE *f, const char *text, size_t col)
{
	size_t room = HELP_WIDTH > col ? HELP_WIDTH - col : 1;
	size_t len = strcspn(text, "\n"), cut = len;

	if (len > room) {
		cut = room;
		while (cut && text[cut] != ' ')
			cut--;
		if (!cut)
			cut = strcspn(text, " \n");
	}
	fprintf(f, "%.*s\n", (int)cut, text);
	text += cut;
	while (*text == ' ')
		text++;
	if (cut == len && *text == '\n')
		text++;
	return text;
}

void opt_help(FILE *f, const struct opt *opts, const char *head,
	      const char *tail)
{
	static const struct opt help = { .name = "help", .letter = 'h',
					 .help = "this text" };
	size_t col = HELP_MIN_COL;
	const struct opt *o;
	const char *text;
	char label[80];

	fputs(head, f);
	for (o = opts; o->name || o->help; o++) {
		if (!o->name || !o->help)
			continue;
		opt_label(label, sizeof(label), o);
		if (strlen(label) + 4 > col)
			col = strlen(label) + 4;
	}
	for (o = opts; ; o++) {
		if (!o->name && !o->help)
			o = &help;
		if (!o->name) {
			fprintf(f, "\n%s\n", o->help);
			continue;
		}
		if (!o->help)
			continue;
		opt_label(label, sizeof(label), o);
		fprintf(f, "  %-*s", (int)col - 2, label);
		text = help_line(f, o->help, col);
		while (*text) {
			fprintf(f, "%*s", (int)col, "");
			text = help_line(f, text, col);
		}
		if (o == &help)
			break;
	}
	fputs(tail, f);
}

/* One option read: stored, or refused by its entry (non-zero). */
static int opt_store(const struct opt *o, char *arg)
{
	switch (o->kind) {
	case OPT_SET:
		*(bool *)o->store = true;
		return 0;
	case OPT_CLEAR:
		*(bool *)o->store = false;
		return 0;
	case OPT_STR:
		*(const char **)o->store = arg;
		return 0;
	case OPT_CALL:
		break;
	}
	return o->call(o->store, o->key, arg);
}

/*
 * getopt_long()'s tables for opts: each entry's val its letter, or 256
 * plus its index.  0, or -1 said (out of memory).
 */
static int opt_tables(const struct opt *opts, struct option **longs,
		      char *shorts, size_t size)
{
	size_t n = 0, len;
	struct option *l;

	while (opts[n].name || opts[n].help)
		n++;
	l = calloc(n + 2, sizeof(*l));
	if (!l) {
		warnx("out of memory");
		return -1;
	}
	*longs = l;
	snprintf(shorts, size, ":h");
	for (size_t i = 0; i < n; i++) {
		if (!opts[i].name)
			continue;
		l->name = opts[i].name;
		l->has_arg = opts[i].arg ? required_argument : no_argument;
		l->val = opts[i].letter ? opts[i].letter : 256 + (int)i;
		l++;
		len = strlen(shorts);
		if (opts[i].letter)
			snprintf(shorts + len, size - len, "%c%s",
				 opts[i].letter, opts[i].arg ? ":" : "");
	}
	l->name = "help";
	l->val = 'h';
	return 0;
}

/* The entry getopt_long() returned c for. */
static const struct opt *opt_of(const struct opt *opts, int c)
{
	if (c >= 256)
		return &opts[c - 256];
	while (opts->letter != c)
		opts++;
	return opts;
}

int opt_parse(FILE *help, int argc, char **argv, const char *cmd,
	      const struct opt *opts, const char *head, const char *tail)
{
	struct option *longs;
	char shorts[64];
	int c, ret = 0;

	if (opt_tables(opts, &longs, shorts, sizeof(shorts)))
		return -1;
	opterr = 0;
	optind = 0;	/* GNU: start afresh; the tests parse again */
	while (!ret && (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == 'h') {
			opt_help(help, opts, head, tail);
			ret = 1;
		} else if (c == ':' || c == '?') {
			opt_complain(c, argv, longs, cmd);
			ret = -1;
		} else if (opt_store(opt_of(opts, c), optarg)) {
			ret = -1;
		}
	}
	free(longs);
	return ret;
}
