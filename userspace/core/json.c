// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny JSON writer, and a helper for reading with jansson.
 *
 * The writer escapes what RFC 8259 requires, and replaces bytes that are
 * not UTF-8 with U+FFFD so that any /proc text gives valid JSON.  Reading
 * is jansson's (json_loadb, json_object_get, ...): its documents are
 * trees, and json_value() writes a part of one back out.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "json.h"
#include "util.h"

/* Length of the UTF-8 sequence at s, 0 if it is not valid UTF-8. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;	/* overlong, or a surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;	/* overlong, or past U+10FFFF */
		return 4;
	}
	return 0;
}

/* Write s as a JSON string, quotes included. */
void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	fputc('"', f);
	while (*p) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			len = utf8_len(p);
			if (!len) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(p, 1, len, f);
			p += len;
			continue;
		}
		p++;
	}
	fputc('"', f);
}

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void indent(struct json *j, int depth)
{
	for (int i = 0; i < depth; i++)
		fputc('\t', j->f);
}

/* Separator, indentation and key before a value. */
static void item(struct json *j, const char *key)
{
	if (j->depth > 0) {
		fputs(j->first[j->depth] ? "\n" : ",\n", j->f);
		j->first[j->depth] = false;
		indent(j, j->depth);
	}
	if (key) {
		json_escape(j->f, key);
		fputs(": ", j->f);
	}
}

static void open_container(struct json *j, const char *key, char open)
{
	item(j, key);
	fputc(open, j->f);
	if (j->depth < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_container(struct json *j, char close)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty) {
		fputc('\n', j->f);
		indent(j, j->depth);
	}
	fputc(close, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void json_obj_begin(struct json *j, const char *key)
{
	open_container(j, key, '{');
}

void json_obj_end(struct json *j)
{
	close_container(j, '}');
}

int json_close(struct json *j)
{
	int err;

	json_obj_end(j);
	err = ferror(j->f) ? -EIO : 0;
	if (fclose(j->f) && !err)
		err = -errno;
	return err;
}

void json_arr_begin(struct json *j, const char *key)
{
	open_container(j, key, '[');
}

void json_arr_end(struct json *j)
{
	close_container(j, ']');
}

void json_str(struct json *j, const char *key, const char *s)
{
	item(j, key);
	json_escape(j->f, s);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	item(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_int(struct json *j, const char *key, long long v)
{
	item(j, key);
	fprintf(j->f, "%lld", v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	item(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_none(struct json *j, const char *key)
{
	item(j, key);
	fputs("null", j->f);
}

/* A number as csv writes it (three decimals at most); null if not finite. */
void json_num(struct json *j, const char *key, double v)
{
	char buf[48];

	if (!isfinite(v) || csv_fmt_num(buf, sizeof(buf), v))
		json_none(j, key);
	else
		json_raw(j, key, buf);
}

/* A number already formatted: its text as it is. */
void json_raw(struct json *j, const char *key, const char *text)
{
	item(j, key);
	fputs(text, j->f);
}

/*
 * Copy a value jansson read from a document this writer wrote, written
 * the way the writer writes it: the same text, indented to sit here.
 */
void json_value(struct json *j, const char *key, json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_obj_begin(j, key);
		json_object_foreach(v, k, m)
			json_value(j, k, m);
		json_obj_end(j);
		break;
	case JSON_ARRAY:
		json_arr_begin(j, key);
		json_array_foreach(v, i, m)
			json_value(j, NULL, m);
		json_arr_end(j);
		break;
	case JSON_STRING:
		json_str(j, key, json_string_value(v));
		break;
	case JSON_INTEGER:
		json_int(j, key, json_integer_value(v));
		break;
	case JSON_REAL:
		json_num(j, key, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		json_bool(j, key, json_is_true(v));
		break;
	case JSON_NULL:
		json_none(j, key);
		break;
	}
}

/* Reading: jansson's, and one helper */

int json_str_at(const json_t *obj, const char *path, char *buf, size_t size)
{
	const char *dot, *s;
	char key[32];

	buf[0] = '\0';
	while ((dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		obj = json_object_get(obj, key);
		path = dot + 1;
	}
	s = json_string_value(json_object_get(obj, path));
	if (!s)
		return -ENOENT;
	if (strlen(s) >= size)
		return -ENOSPC;
	strcpy(buf, s);
	return 0;
}

int json_read_file(const char *path, json_t **doc)
{
	size_t len;
	char *text;

	text = read_all(path, &len);
	if (!text) {
		*doc = NULL;
		return -errno;
	}
	*doc = json_loadb(text, len, JSON_DECODE_ANY, NULL);
	free(text);
	if (!*doc) {
		warnx("%s: not valid JSON", path);
		return -EBADMSG;
	}
	return 0;
}
