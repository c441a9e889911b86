// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/kallsyms: parsing its lines, keeping the text symbols sorted by
 * address, and finding the symbol an IP falls in by binary search.
 *
 * A line is "ADDRESS TYPE NAME" with an optional "\t[MODULE]".  The
 * names are not copied one by one: the file's text is kept and the
 * separators after each name and module are overwritten with NULs.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"
#include "util.h"

static bool is_text_type(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * One line, NUL-terminated in place at its end.  Returns 1 for a text
 * symbol (filled in), 0 for a line to skip.
 */
static int parse_line(char *line, struct ksym *sym, bool *zero)
{
	uint64_t addr = 0;
	char *p = line, *name, *mod = NULL;
	int digits = 0, v;
	char type;

	while ((v = hexval(*p)) >= 0) {
		if (++digits > 16)
			return 0;
		addr = addr << 4 | (uint64_t)v;
		p++;
	}
	if (!digits || *p != ' ')
		return 0;
	type = p[1];
	if (!type || p[2] != ' ' || !is_text_type(type))
		return 0;
	name = p + 3;
	p = name + strcspn(name, " \t");
	if (p == name)
		return 0;
	if (*p) {
		*p++ = '\0';
		p += strspn(p, " \t");
		if (*p == '[') {
			char *end = strchr(p + 1, ']');

			if (end && end > p + 1) {
				*end = '\0';
				mod = p + 1;
			}
		}
	}
	*zero = addr == 0;
	sym->addr = addr;
	sym->name = name;
	sym->module = mod;
	return 1;
}

/* By address; equal addresses keep file order (names lie in file order). */
static int cmp_sym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	return 0;
}

/* Parse text (NUL-terminated, len bytes) that ks then owns. */
static int parse_owned(struct kallsyms *ks, char *text, size_t len,
		       char *err, size_t errsz)
{
	size_t lines = 1, n = 0;
	char *line, *next, *end = text + len;
	struct ksym *syms;

	memset(ks, 0, sizeof(*ks));
	for (char *c = text; c < end; c++)
		if (*c == '\n')
			lines++;
	syms = calloc(lines, sizeof(*syms));
	if (!syms) {
		free(text);
		snprintf(err, errsz, "kallsyms: out of memory");
		return -ENOMEM;
	}
	for (line = text; line < end; line = next) {
		bool zero = false;

		next = memchr(line, '\n', end - line);
		if (next)
			*next++ = '\0';
		else
			next = end;
		if (n < lines && parse_line(line, &syms[n], &zero)) {
			if (zero)
				ks->hidden++;
			else
				n++;
		}
	}
	if (!n) {
		free(syms);
		free(text);
		if (ks->hidden) {
			snprintf(err, errsz,
				 "/proc/kallsyms shows no addresses: "
				 "run as root, or set "
				 "/proc/sys/kernel/kptr_restrict to 0 "
				 "and perf_event_paranoid to 1");
			return -EPERM;
		}
		snprintf(err, errsz, "kallsyms: no text symbols");
		return -ENOENT;
	}
	qsort(syms, n, sizeof(*syms), cmp_sym);
	ks->syms = syms;
	ks->n = n;
	ks->text = text;
	return 0;
}

int kallsyms_parse(struct kallsyms *ks, const char *text, size_t len,
		   char *err, size_t errsz)
{
	char *copy = malloc(len + 1);

	memset(ks, 0, sizeof(*ks));
	if (!copy) {
		snprintf(err, errsz, "kallsyms: out of memory");
		return -ENOMEM;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	return parse_owned(ks, copy, len, err, errsz);
}

int kallsyms_load(struct kallsyms *ks, const char *path, char *err,
		  size_t errsz)
{
	size_t len = 0;
	char *text;

	memset(ks, 0, sizeof(*ks));
	text = read_all(path, &len);
	if (!text) {
		int e = errno ? errno : EIO;

		snprintf(err, errsz, "reading %s: %s", path, strerror(e));
		return -e;
	}
	return parse_owned(ks, text, len, err, errsz);
}

void kallsyms_free(struct kallsyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->text);
	memset(ks, 0, sizeof(*ks));
}

long kallsyms_index(const struct kallsyms *ks, uint64_t ip)
{
	size_t lo = 0, hi = ks->n;

	/* The first index whose address is above ip. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	lo--;
	/* Past the last symbol nothing says where its code ends. */
	if (lo == ks->n - 1 && ip != ks->syms[lo].addr)
		return -1;
	while (lo > 0 && ks->syms[lo - 1].addr == ks->syms[lo].addr)
		lo--;
	return (long)lo;
}

const struct ksym *kallsyms_lookup(const struct kallsyms *ks, uint64_t ip)
{
	long i = kallsyms_index(ks, ip);

	return i < 0 ? NULL : &ks->syms[i];
}

uint64_t kallsyms_addr(const struct kallsyms *ks, const char *name)
{
	for (size_t i = 0; i < ks->n; i++)
		if (!strcmp(ks->syms[i].name, name))
			return ks->syms[i].addr;
	return 0;
}
