// SPDX-License-Identifier: GPL-2.0
/*
 * CSV quoting (RFC 4180), number formatting and reading back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void test_csv(void)
{
	quoting();
	numbers();
	reading();
	round_trip();
}
