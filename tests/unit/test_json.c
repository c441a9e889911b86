// SPDX-License-Identifier: GPL-2.0
/*
 * JSON: escaping, the writer's exact output, and the reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tap.h"

static char *escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_escape(f, s);
	fclose(f);
	return buf;
}

static void check_escape(const char *in, const char *want, const char *name)
{
	char *got = escaped(in);

	is_str(got, want, name);
	free(got);
}

static void escaping(void)
{
	check_escape("plain", "\"plain\"", "plain string");
	check_escape("a\"b", "\"a\\\"b\"", "double quote escaped");
	check_escape("a\\b", "\"a\\\\b\"", "backslash escaped");
	check_escape("l1\nl2\tx\r", "\"l1\\nl2\\tx\\r\"", "newline, tab, CR");
	check_escape("\x01\x1f", "\"\\u0001\\u001f\"", "control characters as \\u");
	check_escape("caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\"",
		     "valid UTF-8 kept");
	check_escape("bad\xff" "byte", "\"bad\\ufffdbyte\"",
		     "invalid byte becomes U+FFFD");
	check_escape("\xc3", "\"\\ufffd\"", "truncated sequence becomes U+FFFD");
	check_escape("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"",
		     "encoded surrogate refused");
	check_escape("/", "\"/\"", "slash left alone");
}

static char *written(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_u64(&j, "format", 1);
	json_str(&j, "unit", "ns");
	json_arr_begin(&j, "list");
	json_bool(&j, NULL, true);
	json_none(&j, NULL);
	json_int(&j, NULL, -3);
	json_arr_end(&j);
	json_obj_begin(&j, "empty");
	json_obj_end(&j);
	json_obj_end(&j);
	fclose(f);
	return buf;
}

static void writer(void)
{
	char *got = written();

	is_str(got, "{\n\t\"format\": 1,\n\t\"unit\": \"ns\",\n\t\"list\": [\n"
		    "\t\ttrue,\n\t\tnull,\n\t\t-3\n\t],\n\t\"empty\": {}\n}\n",
	       "writer output, tab-indented");
	ok(json_valid(json_span_of(got, strlen(got))), "writer output is valid");
	free(got);
}

static void reader(void)
{
	const char doc[] = "{ \"a\": 1, \"s\": \"x\\\"y\\u00e9\\n\", "
			   "\"o\": {\"k\": [10, {\"r\": \"6.12\"}, \"z\"]}, "
			   "\"t\": true }";
	struct json_span d = json_span_of(doc, strlen(doc)), v, w;
	char buf[64];

	ok(json_valid(d), "document is valid");
	ok(!json_get(d, "a", &v) && json_is(v, "1"), "get a number");
	ok(!json_get(d, "s", &v) && !json_string(v, buf, sizeof(buf)),
	   "get a string");
	is_str(buf, "x\"y\xc3\xa9\n", "string escapes decoded");
	ok(!json_get(d, "o", &v) && !json_get(v, "k", &v) &&
	   !json_index(v, 1, &w) && !json_get(w, "r", &w) &&
	   !json_string(w, buf, sizeof(buf)) && !strcmp(buf, "6.12"),
	   "nested object, array index");
	ok(!json_index(v, 2, &w) && json_is(w, "\"z\""), "last element");
	ok(json_index(v, 3, &w) != 0, "index past the end");
	ok(json_get(d, "missing", &v) != 0, "missing key");
	ok(!json_get(d, "t", &v) && json_is(v, "true"), "literal");
	ok(json_string(json_span_of("\"long\"", 6), buf, 4) != 0,
	   "string longer than the buffer refused");
}

static void invalid(void)
{
	static const char *const bad[] = {
		"{", "{\"a\" 1}", "{\"a\": 1,}", "[1 2]", "{\"a\": tru}",
		"\"unterminated", "{} x", "{\"a\": \"raw\nline\"}", "",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!json_valid(json_span_of(bad[i], strlen(bad[i]))),
		   "invalid JSON refused: %zu", i);
}

static void raw(void)
{
	const char inner[] = "{\n\t\"x\": [\n\t\t1\n\t]\n}";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_arr_begin(&j, "boots");
	json_raw(&j, NULL, json_span_of(inner, strlen(inner)));
	json_arr_end(&j);
	json_obj_end(&j);
	fclose(f);
	is_str(buf, "{\n\t\"boots\": [\n\t\t{\n\t\t\t\"x\": [\n\t\t\t\t1\n"
		    "\t\t\t]\n\t\t}\n\t]\n}\n", "raw value re-indented");
	free(buf);
}

void test_json(void)
{
	escaping();
	writer();
	reader();
	invalid();
	raw();
}
