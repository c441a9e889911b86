// SPDX-License-Identifier: GPL-2.0
/*
 * CSV writing and reading (RFC 4180).
 */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "util.h"

void csv_write_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void csv_write_record(FILE *f, const char *const *fields, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		csv_write_field(f, fields[i]);
	}
	fputc('\n', f);
}

/* A number with three decimals at most and no trailing zeros: 12.5, 3. */
int csv_fmt_num(char *buf, size_t size, double v)
{
	char *end;
	int err;

	err = fmt_buf(buf, size, "%.3f", v);
	if (err)
		return err;
	end = buf + strlen(buf);
	if (strchr(buf, '.')) {
		while (end[-1] == '0')
			*--end = '\0';
		if (end[-1] == '.')
			*--end = '\0';
	}
	if (!strcmp(buf, "-0"))
		memmove(buf, buf + 1, 2);
	return 0;
}

/* How many bytes the record at p spans, its line break included. */
static size_t record_span(const char *p, const char *end)
{
	bool quoted = false;
	const char *s;

	for (s = p; s < end; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (*s == '\n' && !quoted)
			return s + 1 - p;
	}
	return end - p;
}

/*
 * Parse the record at *pos and advance past it.  Returns 1 for a record,
 * 0 at the end of the input, -EINVAL if it is malformed.
 */
int csv_read(const char **pos, const char *end, struct csv_record *rec)
{
	const char *p = *pos, *stop;
	char *out;
	size_t span;

	memset(rec, 0, sizeof(*rec));
	if (p >= end)
		return 0;
	span = record_span(p, end);
	stop = p + span;
	*pos = stop;
	if (stop > p && stop[-1] == '\n')
		stop--;
	if (stop > p && stop[-1] == '\r')
		stop--;
	rec->buf = malloc(span + 1);
	if (!rec->buf)
		return -ENOMEM;
	out = rec->buf;
	for (;;) {
		if (rec->n == CSV_MAX_FIELDS)
			goto bad;
		rec->field[rec->n++] = out;
		if (p < stop && *p == '"') {
			for (p++;; p++) {
				if (p >= stop)
					goto bad;
				if (*p == '"') {
					if (p + 1 < stop && p[1] == '"')
						p++;
					else
						break;
				}
				*out++ = *p;
			}
			p++;
		} else {
			while (p < stop && *p != ',') {
				if (*p == '"' || *p == '\r' || *p == '\n')
					goto bad;
				*out++ = *p++;
			}
		}
		*out++ = '\0';
		if (p >= stop)
			return 1;
		if (*p != ',')
			goto bad;
		p++;
	}
bad:
	csv_record_free(rec);
	return -EINVAL;
}

void csv_record_free(struct csv_record *rec)
{
	free(rec->buf);
	memset(rec, 0, sizeof(*rec));
}

int csv_file_open(struct csv_file *f, const char *dir, const char *name,
		  bool must)
{
	size_t len;
	int err;

	memset(f, 0, sizeof(*f));
	err = fmt_buf(f->path, sizeof(f->path), "%s/%s", dir, name);
	if (err)
		return err;
	f->text = read_all(f->path, &len);
	if (!f->text) {
		err = -errno;
		if (!must && err == -ENOENT)
			return 1;
		warnx("%s: %s", f->path, strerror(-err));
		return err;
	}
	f->pos = f->text;
	f->end = f->text + len;
	return 0;
}

bool csv_file_header_is(struct csv_file *f, const char *header)
{
	size_t len = strlen(header);

	if ((size_t)(f->end - f->pos) <= len || strncmp(f->pos, header, len) ||
	    f->pos[len] != '\n')
		return false;
	f->pos += len + 1;
	f->line++;
	return true;
}

int csv_file_next(struct csv_file *f, struct csv_record *rec)
{
	int got = csv_read(&f->pos, f->end, rec);

	f->line++;
	if (got < 0) {
		warnx("%s:%zu: malformed CSV", f->path, f->line);
		return -EINVAL;
	}
	return got;
}

void csv_file_close(struct csv_file *f)
{
	free(f->text);
	f->text = NULL;
}
