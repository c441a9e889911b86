/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny JSON writer (indented with tabs) and a reader that only finds
 * values inside a document and hands back their text.
 */
#ifndef DMABENCH_JSON_H
#define DMABENCH_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH + 1];
};

/* The text of one value inside a document. */
struct json_span {
	const char *p;
	size_t len;
};

void json_escape(FILE *f, const char *s);

/* Writer: key is NULL for array elements and the top-level value. */
void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
/* End the top-level object, close the file: 0, or -errno (-EIO). */
int json_close(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *s);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_int(struct json *j, const char *key, long long v);
void json_bool(struct json *j, const char *key, bool v);
/* null (json_null is jansson's) */
void json_none(struct json *j, const char *key);
/* Three decimals at most, as in a CSV; null if not finite. */
void json_num(struct json *j, const char *key, double v);
void json_raw(struct json *j, const char *key, struct json_span v);

/* Reader. */
struct json_span json_span_of(const char *s, size_t len);
bool json_valid(struct json_span doc);
int json_get(struct json_span obj, const char *key, struct json_span *val);
int json_index(struct json_span arr, size_t i, struct json_span *val);
int json_string(struct json_span v, char *buf, size_t size);
/* The string at a dotted path of obj ("kernel.release"), or "" if absent. */
void json_str_at(struct json_span obj, const char *path, char *buf,
		 size_t size);
int json_number(struct json_span v, double *out);
bool json_span_eq(struct json_span a, struct json_span b);
bool json_is(struct json_span v, const char *text);

#endif
