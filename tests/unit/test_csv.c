// SPDX-License-Identifier: GPL-2.0
/*
 * CSV quoting (RFC 4180), number formatting and reading back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "tap.h"

/* What csv_write_field() makes of s. */
static char *quoted(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	csv_write_field(f, s);
	fclose(f);
	return buf;
}

static void check_quote(const char *in, const char *want, const char *name)
{
	char *got = quoted(in);

	is_str(got, want, name);
	free(got);
}

static void quoting(void)
{
	check_quote("plain", "plain", "plain field not quoted");
	check_quote("", "", "empty field not quoted");
	check_quote("a,b", "\"a,b\"", "comma quoted");
	check_quote("say \"hi\"", "\"say \"\"hi\"\"\"", "quotes doubled");
	check_quote("two\nlines", "\"two\nlines\"", "newline quoted");
	check_quote("cr\r", "\"cr\r\"", "carriage return quoted");
	check_quote("over dma_max_mapping_size()", "over dma_max_mapping_size()",
		    "parentheses and spaces left alone");
}

static void numbers(void)
{
	char buf[32];

	csv_fmt_num(buf, sizeof(buf), 12.5);
	is_str(buf, "12.5", "12.5");
	csv_fmt_num(buf, sizeof(buf), 3);
	is_str(buf, "3", "integer without decimals");
	csv_fmt_num(buf, sizeof(buf), 1.23456);
	is_str(buf, "1.235", "three decimals, rounded");
	csv_fmt_num(buf, sizeof(buf), -0.0001);
	is_str(buf, "0", "no negative zero");
	csv_fmt_num(buf, sizeof(buf), -7.25);
	is_str(buf, "-7.25", "negative");
	csv_fmt_num(buf, sizeof(buf), 100);
	is_str(buf, "100", "trailing zeros of an integer kept");
}

static void reading(void)
{
	const char text[] = "a,\"b,c\",\"d \"\"e\"\"\"\r\n,,\n\"multi\nline\",x";
	const char *pos = text, *end = text + strlen(text);
	struct csv_record r;

	ok(csv_read(&pos, end, &r) == 1 && r.n == 3, "first record: 3 fields");
	is_str(r.field[0], "a", "plain field");
	is_str(r.field[1], "b,c", "quoted comma");
	is_str(r.field[2], "d \"e\"", "doubled quotes, CRLF line end");
	csv_record_free(&r);
	ok(csv_read(&pos, end, &r) == 1 && r.n == 3 && !r.field[0][0] &&
	   !r.field[2][0], "empty fields");
	csv_record_free(&r);
	ok(csv_read(&pos, end, &r) == 1 && r.n == 2, "quoted line break");
	is_str(r.field[0], "multi\nline", "line break inside quotes kept");
	csv_record_free(&r);
	ok(csv_read(&pos, end, &r) == 0, "end of input");

	pos = "\"open";
	ok(csv_read(&pos, pos + 5, &r) < 0, "unterminated quote refused");
	pos = "a\"b";
	ok(csv_read(&pos, pos + 3, &r) < 0, "stray quote refused");
}

static void round_trip(void)
{
	const char *in[] = { "x", "1,2", "q\"q", "" };
	struct csv_record r;
	const char *pos;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	csv_write_record(f, in, 4);
	fclose(f);
	pos = buf;
	ok(csv_read(&pos, buf + len, &r) == 1 && r.n == 4, "written record reads back");
	ok(r.n == 4 && !strcmp(r.field[1], "1,2") && !strcmp(r.field[2], "q\"q") &&
	   !r.field[3][0], "fields survive the round trip");
	csv_record_free(&r);
	free(buf);
}

/* csv_file: a file read after its header, with the lines counted. */
static void files(void)
{
	char dir[] = "/tmp/dmabench-csvfile-XXXXXX", path[64];
	struct csv_record rec;
	struct csv_file f;
	FILE *out;

	if (!ok(mkdtemp(dir) != NULL, "csv_file: temporary directory"))
		return;
	is_int(csv_file_open(&f, dir, "none.csv", false), 1,
	       "csv_file: a missing file that may be missing is 1");
	ok(csv_file_open(&f, dir, "none.csv", true) < 0,
	   "csv_file: a missing file that must be there is an error");
	snprintf(path, sizeof(path), "%s/t.csv", dir);
	out = fopen(path, "w");
	if (!out)
		return;
	fputs("a,b\n1,2\n\"x\n", out);
	fclose(out);
	is_int(csv_file_open(&f, dir, "t.csv", true), 0, "csv_file: opened");
	ok(!csv_file_header_is(&f, "a"), "csv_file: 'a' is not the header a,b");
	ok(csv_file_header_is(&f, "a,b"), "csv_file: a,b is");
	is_int(csv_file_next(&f, &rec), 1, "csv_file: a record after it");
	ok(rec.n == 2 && !strcmp(rec.field[1], "2") && f.line == 2,
	   "csv_file: its fields, on line 2");
	csv_record_free(&rec);
	is_int(csv_file_next(&f, &rec), -EINVAL,
	       "csv_file: an open quote is malformed");
	is_int((int)f.line, 3, "csv_file: ... on line 3");
	csv_file_close(&f);
	remove(path);
	rmdir(dir);
}

void test_csv(void)
{
	quoting();
	numbers();
	reading();
	round_trip();
	files();
}
