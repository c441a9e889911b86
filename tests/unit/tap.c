// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal TAP producer: numbered ok/not ok lines, the plan at the end.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int tests, failed;

static bool result(bool pass, const char *fmt, va_list ap)
{
	tests++;
	if (!pass)
		failed++;
	printf("%sok %d - ", pass ? "" : "not ", tests);
	vprintf(fmt, ap);
	putchar('\n');
	return pass;
}

bool tap_ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	result(pass, fmt, ap);
	va_end(ap);
	return pass;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

bool tap_is_str(const char *got, const char *want, const char *name)
{
	bool pass = got && want && !strcmp(got, want);

	tap_ok(pass, "%s", name);
	if (!pass)
		tap_diag("got '%s', want '%s'", got ? got : "(null)",
			 want ? want : "(null)");
	return pass;
}

static double absd(double x)
{
	return x < 0 ? -x : x;
}

/* Equal to a relative 1e-9: enough to tell any wrong rank apart. */
bool tap_is_num(double got, double want, const char *name)
{
	double scale = absd(want) > 1 ? absd(want) : 1;
	bool pass = absd(got - want) <= 1e-9 * scale;

	tap_ok(pass, "%s", name);
	if (!pass)
		tap_diag("got %.12g, want %.12g", got, want);
	return pass;
}

bool tap_is_int(long long got, long long want, const char *name)
{
	tap_ok(got == want, "%s", name);
	if (got != want)
		tap_diag("got %lld, want %lld", got, want);
	return got == want;
}

/* The plan, a summary line, and the exit status. */
int tap_done(void)
{
	printf("1..%d\n", tests);
	printf("unit: %d passed, %d failed\n", tests - failed, failed);
	return failed ? 1 : 0;
}

void tap_put_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}
