/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's text symbols from /proc/kallsyms, sorted by address, to
 * name the function a sampled kernel IP fell in.
 *
 * Only code symbols are kept (types t, T, w, W).  A symbol is taken to
 * run up to the next symbol's address; an IP below the first symbol or
 * at or above the last one has no name.  Addresses of zero mean that
 * kptr_restrict hides them: such lines are skipped, and a file with no
 * other address is refused with a reason.
 */
#ifndef DMABENCH_KALLSYMS_H
#define DMABENCH_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

struct ksym {
	uint64_t addr;
	const char *name;	/* without the module */
	const char *module;	/* "nvme" for "[nvme]", NULL if built in */
};

struct kallsyms {
	struct ksym *syms;	/* sorted by address, then by file order */
	size_t n;
	size_t hidden;		/* text symbols skipped for a zero address */
	char *text;		/* names point into this copy of the file */
};

/* Parse kallsyms text; ks is then freed with kallsyms_free(). */
int kallsyms_parse(struct kallsyms *ks, const char *text, size_t len,
		   char *err, size_t errsz);
/* Read and parse a file, normally /proc/kallsyms. */
int kallsyms_load(struct kallsyms *ks, const char *path, char *err,
		  size_t errsz);
void kallsyms_free(struct kallsyms *ks);

/* Index of the symbol holding ip, or -1 if none does. */
long kallsyms_index(const struct kallsyms *ks, uint64_t ip);
/* The symbol holding ip, or NULL. */
const struct ksym *kallsyms_lookup(const struct kallsyms *ks, uint64_t ip);
/* Lowest address of a symbol of that name, 0 if there is none. */
uint64_t kallsyms_addr(const struct kallsyms *ks, const char *name);

#endif
