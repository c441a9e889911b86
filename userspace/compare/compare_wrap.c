// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: plain text that goes into a mail as it is.
 *
 * Everything the text format prints goes through here: characters outside
 * printable ASCII become '?', and lines are filled with whole words up
 * to CMP_COLUMNS columns, continuation lines indented.  A word wider
 * than a whole line is cut, so that no line is ever longer.
 */
#include <stdarg.h>
#include <string.h>

#include "compare.h"

/* One '?' for each character that is not printable ASCII, UTF-8 or not. */
static void put_ascii(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f)
			fputc(c, f);
		else if ((c & 0xc0) != 0x80)	/* a UTF-8 lead byte */
			fputc('?', f);
	}
}

void cmp_wrap_begin(struct cmp_wrap *w, FILE *f, const char *first,
		    const char *indent)
{
	w->f = f;
	w->indent = indent;
	w->col = strlen(first) < CMP_COLUMNS ? strlen(first) : CMP_COLUMNS;
	w->fresh = true;
	put_ascii(f, first, w->col);
}

/* Columns a continuation line's indent takes. */
static size_t indent_cols(const struct cmp_wrap *w)
{
	size_t n = strlen(w->indent);

	return n < CMP_COLUMNS / 2 ? n : CMP_COLUMNS / 2;
}

static void new_line(struct cmp_wrap *w)
{
	fputc('\n', w->f);
	w->col = indent_cols(w);
	put_ascii(w->f, w->indent, w->col);
	w->fresh = true;
}

/* n bytes at s as one unit, after a space; cut only if over a line. */
static void span(struct cmp_wrap *w, const char *s, size_t n)
{
	size_t room, gap = w->fresh ? 0 : 1;

	/* Also after a long first part: a unit starts a new line, not cut. */
	if (w->col + gap + n > CMP_COLUMNS && w->col > indent_cols(w))
		new_line(w);
	if (!w->fresh) {
		fputc(' ', w->f);
		w->col++;
	}
	while (w->col + n > CMP_COLUMNS) {
		room = CMP_COLUMNS - w->col;
		put_ascii(w->f, s, room);
		s += room;
		n -= room;
		new_line(w);
	}
	put_ascii(w->f, s, n);
	w->col += n;
	w->fresh = false;
}

/* One unbreakable unit (it may hold spaces). */
void cmp_wrap_word(struct cmp_wrap *w, const char *word)
{
	span(w, word, strlen(word));
}

/* Text broken at its spaces. */
void cmp_wrap_text(struct cmp_wrap *w, const char *text)
{
	const char *p = text;
	size_t n;

	for (;;) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (!n)
			break;
		span(w, p, n);
		p += n;
	}
}

void cmp_wrap_end(struct cmp_wrap *w)
{
	fputc('\n', w->f);
}

/* One line, printf-style, cut at CMP_COLUMNS. */
void cmp_line(FILE *f, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strlen(buf);
	put_ascii(f, buf, n < CMP_COLUMNS ? n : CMP_COLUMNS);
	fputc('\n', f);
}
