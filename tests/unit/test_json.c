// SPDX-License-Identifier: GPL-2.0
/*
 * JSON: escaping, the writer's exact output, reading with jansson and
 * json_str_at(), and json_value() copying what was read.
 */
#include <errno.h>
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

/* text read with jansson, said to be read (what) or not; NULL if not */
static json_t *loaded(const char *text, const char *what)
{
	json_t *doc = json_loads(text, 0, NULL);

	ok(doc != NULL, "%s", what);
	return doc;
}

static void writer(void)
{
	char *got = written();

	is_str(got, "{\n\t\"format\": 1,\n\t\"unit\": \"ns\",\n\t\"list\": [\n"
		    "\t\ttrue,\n\t\tnull,\n\t\t-3\n\t],\n\t\"empty\": {}\n}\n",
	       "writer output, tab-indented");
	json_decref(loaded(got, "writer output is valid"));
	free(got);
}

static void reader(void)
{
	const char doc[] = "{ \"s\": \"x\\\"y\\u00e9\\n\", "
			   "\"o\": {\"k\": {\"r\": \"6.12\", \"n\": 5}}, "
			   "\"long\": \"long\" }";
	json_t *d = loaded(doc, "document read");
	char buf[64] = "x";

	if (!d)
		return;
	ok(!json_str_at(d, "s", buf, sizeof(buf)), "a string");
	is_str(buf, "x\"y\xc3\xa9\n", "its escapes decoded");
	ok(!json_str_at(d, "o.k.r", buf, sizeof(buf)) && !strcmp(buf, "6.12"),
	   "a string at a dotted path");
	is_int(json_str_at(d, "o.k.n", buf, sizeof(buf)), -ENOENT,
	       "a number is no string");
	is_str(buf, "", "and leaves nothing in buf");
	is_int(json_str_at(d, "o.x.r", buf, sizeof(buf)), -ENOENT,
	       "a missing object on the path");
	is_int(json_str_at(d, "s.k", buf, sizeof(buf)), -ENOENT,
	       "a string on the path");
	is_int(json_str_at(d, "long", buf, 4), -ENOSPC,
	       "a string longer than the buffer refused");
	is_str(buf, "", "and leaves nothing in buf");
	ok(!json_str_at(d, "long", buf, 5) && !strcmp(buf, "long"),
	   "one that just fits");
	is_int(json_str_at(NULL, "s", buf, sizeof(buf)), -ENOENT,
	       "no document");
	json_decref(d);
}

/* A value read back from the writer's output, copied one level deeper. */
static void value(void)
{
	const char inner[] = "{\n\t\"x\": [\n\t\t1,\n\t\t\"\\u0001\",\n"
			     "\t\t-2.5,\n\t\tnull,\n\t\tfalse\n\t],\n"
			     "\t\"e\": {},\n\t\"a\": []\n}\n";
	json_t *v = loaded(inner, "a document to copy");
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	struct json j;

	if (!v)
		return;
	f = open_memstream(&buf, &len);
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_arr_begin(&j, "boots");
	json_value(&j, NULL, v);
	json_arr_end(&j);
	json_obj_end(&j);
	fclose(f);
	is_str(buf, "{\n\t\"boots\": [\n\t\t{\n\t\t\t\"x\": [\n"
		    "\t\t\t\t1,\n\t\t\t\t\"\\u0001\",\n\t\t\t\t-2.5,\n"
		    "\t\t\t\tnull,\n\t\t\t\tfalse\n\t\t\t],\n"
		    "\t\t\t\"e\": {},\n\t\t\t\"a\": []\n\t\t}\n\t]\n}\n",
	       "a value copied, its text the same, indented to sit there");
	free(buf);
	json_decref(v);
}

void test_json(void)
{
	escaping();
	writer();
	reader();
	value();
}
