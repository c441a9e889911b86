/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny JSON writer (indented with tabs); reading is jansson's.
 */
#ifndef DMABENCH_JSON_H
#define DMABENCH_JSON_H

#include <jansson.h>
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
/* A number already formatted: its text as it is. */
void json_raw(struct json *j, const char *key, const char *text);
/*
 * A value jansson read, written as this writer writes it (reals as
 * json_num): what this writer wrote is copied unchanged.
 */
void json_value(struct json *j, const char *key, json_t *v);

/*
 * Reading is jansson's.  The string at a dotted path of obj
 * ("kernel.release") into buf: 0, or -ENOENT if absent or not a
 * string, -ENOSPC if it does not fit, and then buf is "".
 */
int json_str_at(const json_t *obj, const char *path, char *buf, size_t size);

/*
 * The JSON document in the file at path: 0 with it in *doc (json_decref()
 * it); -errno if the file cannot be read, saying nothing (the caller knows
 * what the file is for and what to do); -EBADMSG after a message naming
 * the file if it is not JSON.
 */
int json_read_file(const char *path, json_t **doc);

#endif
