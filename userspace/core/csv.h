/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CSV as RFC 4180 has it: fields quoted only when they hold a comma, a
 * double quote or a line break; quotes doubled inside.
 */
#ifndef DMABENCH_CSV_H
#define DMABENCH_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_MAX_FIELDS	64

struct csv_record {
	char *buf;			/* storage of the fields */
	char *field[CSV_MAX_FIELDS];
	int n;
};

void csv_write_field(FILE *f, const char *s);
void csv_write_record(FILE *f, const char *const *fields, int n);
int csv_fmt_num(char *buf, size_t size, double v);
int csv_read(const char **pos, const char *end, struct csv_record *rec);
void csv_record_free(struct csv_record *rec);

#endif
