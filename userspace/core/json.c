// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny JSON writer and reader.
 *
 * The writer escapes what RFC 8259 requires, and replaces bytes that are
 * not UTF-8 with U+FFFD so that any /proc text gives valid JSON.  The
 * reader checks a document's syntax and locates values by key or index;
 * it never builds a tree.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "json.h"

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
		json_raw(j, key, json_span_of(buf, strlen(buf)));
}

/*
 * Copy a value read from another document, re-indented to sit at this
 * depth (the reader only hands out syntactically valid spans, and JSON
 * strings hold no raw line breaks, so every '\n' is between tokens).
 */
void json_raw(struct json *j, const char *key, struct json_span v)
{
	const char *p = v.p, *end = v.p + v.len, *last;
	int base = 0, tabs;

	last = end;
	while (last > p && last[-1] != '\n')
		last--;
	if (last > p)
		for (const char *s = last; s < end && *s == '\t'; s++)
			base++;
	item(j, key);
	while (p < end) {
		fputc(*p, j->f);
		if (*p++ != '\n')
			continue;
		for (tabs = 0; p < end && *p == '\t'; p++)
			tabs++;
		indent(j, tabs - base + j->depth);
	}
}

/* Reader */

struct json_span json_span_of(const char *s, size_t len)
{
	struct json_span v = { s, len };

	return v;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* skip_ws() that passes NULL through. */
static const char *ws(const char *p, const char *end)
{
	return p ? skip_ws(p, end) : NULL;
}

/* p at the opening quote; returns the byte after the closing one. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '"')
			return p + 1;
		if (*p == '\\' && ++p >= end)
			return NULL;
	}
	return NULL;
}

static const char *skip_scalar(const char *p, const char *end)
{
	static const char *const words[] = { "true", "false", "null" };
	const char *s = p;

	while (s < end && (strchr("+-.eE", *s) || (*s >= '0' && *s <= '9') ||
			   (*s >= 'a' && *s <= 'z')))
		s++;
	if (s == p)
		return NULL;
	for (size_t i = 0; i < 3; i++)
		if ((size_t)(s - p) == strlen(words[i]) &&
		    !memcmp(p, words[i], s - p))
			return s;
	if (*p != '-' && (*p < '0' || *p > '9'))
		return NULL;
	for (const char *q = p; q < s; q++)
		if (*q >= 'a' && *q <= 'z' && *q != 'e')
			return NULL;
	return s;
}

static const char *skip_value(const char *p, const char *end, int depth);

/* p at '{' or '['; returns the byte after the matching close. */
static const char *skip_container(const char *p, const char *end, int depth)
{
	char close = *p == '{' ? '}' : ']';

	p = skip_ws(p + 1, end);
	if (p < end && *p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			if (p >= end || *p != '"')
				return NULL;
			p = ws(skip_string(p, end), end);
			if (!p || p >= end || *p != ':')
				return NULL;
			p++;
		}
		p = skip_value(p, end, depth + 1);
		if (!p)
			return NULL;
		p = skip_ws(p, end);
		if (p >= end)
			return NULL;
		if (*p == close)
			return p + 1;
		if (*p != ',')
			return NULL;
		p = skip_ws(p + 1, end);
	}
}

static const char *skip_value(const char *p, const char *end, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return NULL;
	p = skip_ws(p, end);
	if (p >= end)
		return NULL;
	if (*p == '"')
		return skip_string(p, end);
	if (*p == '{' || *p == '[')
		return skip_container(p, end, depth);
	return skip_scalar(p, end);
}

bool json_valid(struct json_span doc)
{
	const char *end = doc.p + doc.len;

	return ws(skip_value(doc.p, end, 0), end) == end;
}

/*
 * Walk the members of an object (key != NULL) or the elements of an
 * array, stopping at the key or the index'th element.
 */
static int find(struct json_span c, const char *key, size_t index,
		struct json_span *val)
{
	const char *p = skip_ws(c.p, c.p + c.len), *end = c.p + c.len;
	const char *k, *kend, *v;
	char name[128];
	bool match;

	if (p >= end || *p != (key ? '{' : '['))
		return -EINVAL;
	p = skip_ws(p + 1, end);
	if (p < end && *p == (key ? '}' : ']'))
		return -ENOENT;
	for (size_t i = 0;; i++) {
		match = !key && i == index;
		if (key) {
			if (p >= end || *p != '"')
				return -EINVAL;
			k = p;
			kend = skip_string(p, end);
			p = ws(kend, end);
			if (!p || p >= end || *p != ':')
				return -EINVAL;
			/* The key alone: "key" : value has a blank before ':' */
			match = !json_string(json_span_of(k, kend - k), name,
					     sizeof(name)) &&
				!strcmp(name, key);
			p++;
		}
		v = skip_ws(p, end);
		p = skip_value(v, end, 1);
		if (!p)
			return -EINVAL;
		if (match) {
			*val = json_span_of(v, p - v);
			return 0;
		}
		p = skip_ws(p, end);
		if (p >= end || *p != ',')
			return p < end && *p == (key ? '}' : ']') ?
			       -ENOENT : -EINVAL;
		p = skip_ws(p + 1, end);
	}
}

int json_get(struct json_span obj, const char *key, struct json_span *val)
{
	return find(obj, key, 0, val);
}

int json_index(struct json_span arr, size_t i, struct json_span *val)
{
	return find(arr, NULL, i, val);
}

static int hex4(const char *p, const char *end, unsigned int *cp)
{
	*cp = 0;
	if (end - p < 4)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		*cp <<= 4;
		if (c >= '0' && c <= '9')
			*cp |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*cp |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*cp |= c - 'A' + 10;
		else
			return -EINVAL;
	}
	return 0;
}

static size_t put_utf8(char *out, unsigned int cp)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | (cp >> 6);
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | (cp >> 12);
		out[1] = 0x80 | ((cp >> 6) & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | (cp >> 18);
	out[1] = 0x80 | ((cp >> 12) & 0x3f);
	out[2] = 0x80 | ((cp >> 6) & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* Decode \uXXXX at p (after the 'u'), pairing surrogates. */
static int unicode_escape(const char **pp, const char *end, unsigned int *cp)
{
	unsigned int lo;

	if (hex4(*pp, end, cp))
		return -EINVAL;
	*pp += 4;
	if (*cp < 0xd800 || *cp > 0xdfff)
		return 0;
	if (*cp > 0xdbff || end - *pp < 6 || (*pp)[0] != '\\' ||
	    (*pp)[1] != 'u' || hex4(*pp + 2, end, &lo) ||
	    lo < 0xdc00 || lo > 0xdfff) {
		*cp = 0xfffd;
		return 0;
	}
	*pp += 6;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return 0;
}

/* The character a one-letter escape stands for, or -1. */
static int unescape(char c)
{
	static const char from[] = "\"\\/bfnrt";
	static const char to[] = "\"\\/\b\f\n\r\t";
	const char *e = c ? strchr(from, c) : NULL;

	return e ? to[e - from] : -1;
}

/* Decode a string value into buf. */
int json_string(struct json_span v, char *buf, size_t size)
{
	const char *p = v.p, *end = v.p + v.len;
	size_t n = 0, len;
	char tmp[4];
	unsigned int cp;

	if (v.len < 2 || *p != '"' || end[-1] != '"')
		return -EINVAL;
	for (p++, end--; p < end; n += len) {
		len = 1;
		tmp[0] = *p++;
		if (tmp[0] == '\\') {
			if (p >= end)
				return -EINVAL;
			if (*p == 'u') {
				p++;
				if (unicode_escape(&p, end, &cp))
					return -EINVAL;
				len = put_utf8(tmp, cp);
			} else if (unescape(*p) >= 0) {
				tmp[0] = unescape(*p++);
			} else {
				return -EINVAL;
			}
		}
		if (n + len >= size)
			return -ENOSPC;
		memcpy(buf + n, tmp, len);
	}
	buf[n] = '\0';
	return 0;
}

/* A number value: -EINVAL if v is anything else (a string, null, ...). */
int json_number(struct json_span v, double *out)
{
	const char *end = v.p + v.len;
	char buf[64], *stop;

	v.p = skip_ws(v.p, end);
	while (end > v.p && (end[-1] == ' ' || end[-1] == '\t' ||
			     end[-1] == '\n' || end[-1] == '\r'))
		end--;
	v.len = end - v.p;
	if (!v.len || v.len >= sizeof(buf) || (*v.p != '-' &&
	    (*v.p < '0' || *v.p > '9')) || skip_scalar(v.p, end) != end)
		return -EINVAL;
	memcpy(buf, v.p, v.len);
	buf[v.len] = '\0';
	*out = strtod(buf, &stop);
	return *stop ? -EINVAL : 0;
}

bool json_span_eq(struct json_span a, struct json_span b)
{
	return a.len == b.len && !memcmp(a.p, b.p, a.len);
}

bool json_is(struct json_span v, const char *text)
{
	return json_span_eq(v, json_span_of(text, strlen(text)));
}

void json_str_at(struct json_span obj, const char *path, char *buf,
		 size_t size)
{
	char key[32];
	const char *dot;
	struct json_span v;

	buf[0] = '\0';
	while ((dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		if (json_get(obj, key, &obj))
			return;
		path = dot + 1;
	}
	if (json_get(obj, path, &v) || json_string(v, buf, size))
		buf[0] = '\0';
}
