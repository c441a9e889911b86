// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: numbers and facts as the output formats print them.
 *
 * Widths are those of the text table, which must fit 79 columns: a value
 * in at most 8 characters, a change in at most 7, a bound of the interval
 * in at most 6, a p-value in at most 7.  Precision gives way to width.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"

const char *const cmp_verdict_names[] = {
	[CMP_SAME]	= "same",
	[CMP_FASTER]	= "faster",
	[CMP_SLOWER]	= "slower",
	[CMP_NA]	= "n/a",
};

/* A median: integers as such, else one decimal (two below 10). */
void cmp_fmt_value(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else if (fabs(v) >= 99999999.5)
		snprintf(buf, size, "%.2e", v);
	else if (v == floor(v) || fabs(v) >= 99999.95)
		snprintf(buf, size, "%.0f", v);
	else if (fabs(v) < 10)
		snprintf(buf, size, "%.2f", v);
	else
		snprintf(buf, size, "%.1f", v);
}

/* A change given as a fraction, in percent with its sign. */
static void fmt_pct(char *buf, size_t size, double change, const char *pct)
{
	double v = change * 100;

	if (!isfinite(v))
		snprintf(buf, size, "-");
	else if (fabs(v) < 999.95)
		snprintf(buf, size, "%+.1f%s", v, pct);
	else if (fabs(v) < 99999.5)
		snprintf(buf, size, "%+.0f%s", v, pct);
	else
		snprintf(buf, size, "%+.0e%s", v, pct);
}

void cmp_fmt_change(char *buf, size_t size, double change)
{
	fmt_pct(buf, size, change, "%");
}

void cmp_fmt_bound(char *buf, size_t size, double change)
{
	fmt_pct(buf, size, change, "");
}

void cmp_fmt_p(char *buf, size_t size, double p)
{
	if (isnan(p))
		snprintf(buf, size, "-");
	else if (p == 0)
		snprintf(buf, size, "0");
	else if (p >= 0.001)
		snprintf(buf, size, "%.3f", p);
	else
		snprintf(buf, size, "%.0e", p);
}

/* What a side is called in the table: its api with --within, else A, B. */
const char *cmp_side_name(const struct compare *c, int side)
{
	if (c->o.within)
		return c->o.api[side];
	return side ? "B" : "A";
}

/* Append s to the ", "-separated list in buf unless it is there. */
static void add_unique(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf), n = strlen(s);

	for (const char *p = buf; (p = strstr(p, s)); p += n)
		if ((p == buf || p[-1] == ' ') && (!p[n] || p[n] == ','))
			return;
	snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
		 s[0] ? s : "unknown");
}

/* The kernel releases of a side's boots, each once. */
void cmp_releases(const struct compare *c, int side, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < c->nruns[side]; i++) {
		const struct cmp_run *r = &c->runs[side][i];

		for (size_t b = 0; b < r->nboots; b++)
			add_unique(buf, size, r->boots[b].release);
	}
}

/* The CPU models of a side's boots, each once. */
void cmp_cpus(const struct compare *c, int side, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < c->nruns[side]; i++) {
		const struct cmp_run *r = &c->runs[side][i];

		for (size_t b = 0; b < r->nboots; b++)
			add_unique(buf, size, r->boots[b].cpu);
	}
}

/* Does any point pool more than one row on a side? */
bool cmp_pooled(const struct compare *c)
{
	for (size_t i = 0; i < c->npts; i++) {
		const struct cmp_point *p = &c->pts[i];

		if (p->state == CMP_COMPARED &&
		    (p->st.runs[0] > 1 || p->st.runs[1] > 1))
			return true;
	}
	return false;
}
