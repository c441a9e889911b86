/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CSV as RFC 4180 has it: fields quoted only when they hold a comma, a
 * double quote or a line break; quotes doubled inside.
 */
#ifndef DMABENCH_CSV_H
#define DMABENCH_CSV_H

#include <limits.h>
#include <stdbool.h>
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

/*
 * A CSV file of a run read whole, then record by record: the one reader
 * of collect, compare and export.  Every message names the file, and a
 * malformed record its line.
 */
struct csv_file {
	char path[PATH_MAX];
	char *text;
	const char *pos, *end;
	size_t line;			/* of the last record read */
};

/*
 * Read dir/name.  0 when read; 1 when it does not exist and need not
 * (must false: nothing said); -errno otherwise, said.
 */
int csv_file_open(struct csv_file *f, const char *dir, const char *name,
		  bool must);
/* Does it start with the line header?  Then that line is passed. */
bool csv_file_header_is(struct csv_file *f, const char *header);
/* The next record: 1, 0 at the end, -EINVAL if malformed (said). */
int csv_file_next(struct csv_file *f, struct csv_record *rec);
void csv_file_close(struct csv_file *f);

#endif
