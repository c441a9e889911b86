/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of command-line values.  Pure functions: on bad input they
 * return -EINVAL (or -ERANGE) and describe the problem in err[].
 */
#ifndef DMABENCH_PARSE_H
#define DMABENCH_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* The module's limit on bytes (and offset + bytes) per mapping: 4 MiB. */
#define SIZE_LIMIT	(4ULL << 20)

int parse_uint(const char *s, uint64_t max, uint64_t *out,
	       char *err, size_t errsz);
int parse_size(const char *s, uint64_t *out, char *err, size_t errsz);
int parse_size_list(const char *s, uint64_t *sizes, size_t max, size_t *n,
		    char *err, size_t errsz);
int parse_name_list(const char *s, const char *const *names, size_t count,
		    unsigned int *mask, char *err, size_t errsz);
int parse_bdf(const char *s, char *bdf, size_t size, char *err, size_t errsz);
int parse_note(const char *s, char *err, size_t errsz);

#endif
