// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench compare: may these runs be compared at all?
 *
 * Instruction counts and nanoseconds are different quantities; an
 * emulated CPU's figures say nothing about real hardware's; runs
 * whose clock source differs (tsc against icount) measure different
 * things; and an x86_64 instruction is not an aarch64 one.  Each run is checked against the first run of A; the first
 * difference is refused, or with --cross kept for the warning that
 * heads the output.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"

/* How b differs from a, in a sentence, and the fix; NULL if alike. */
static const char *differs(const struct cmp_run *a, const struct cmp_run *b,
			   char *buf, size_t size)
{
	if (strcmp(a->arch, b->arch)) {
		snprintf(buf, size, "%s ran on %s, %s on %s", a->name, a->arch,
			 b->name, b->arch);
		return "compare runs of one architecture";
	}
	if (strcmp(a->unit, b->unit)) {
		snprintf(buf, size, "%s is in %s, %s in %s", a->name,
			 a->unit[0] ? a->unit : "no unit", b->name,
			 b->unit[0] ? b->unit : "no unit");
		return "compare runs in one unit (all measured with --clock tsc, or all with --clock icount)";
	}
	if (a->emulated != b->emulated) {
		snprintf(buf, size, "%s ran on an emulated CPU, %s did not",
			 a->emulated ? a->name : b->name,
			 a->emulated ? b->name : a->name);
		return "compare emulated runs with emulated ones, hardware with hardware";
	}
	if (strcmp(a->clock, b->clock)) {
		snprintf(buf, size, "%s read clock %s, %s clock %s", a->name,
			 a->clock[0] ? a->clock : "(none)", b->name,
			 b->clock[0] ? b->clock : "(none)");
		return "compare runs that read the same clock";
	}
	return NULL;
}

int cmp_check_runs(struct compare *c)
{
	const struct cmp_run *ref = &c->runs[0][0];
	char why[sizeof(c->mismatch)];
	const char *fix;

	c->mismatch[0] = '\0';
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < c->nruns[s]; i++) {
			fix = differs(ref, &c->runs[s][i], why, sizeof(why));
			if (!fix)
				continue;
			if (!c->o.cross) {
				warnx("%s: %s, or give --cross to see them side by side anyway",
				      why, fix);
				return -EINVAL;
			}
			if (!c->mismatch[0])
				snprintf(c->mismatch, sizeof(c->mismatch),
					 "%s", why);
		}
	}
	return 0;
}
