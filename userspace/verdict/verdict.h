/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench verdict: VERDICT.md from four traced runs, in plain text to
 * quote on a mailing list.
 *
 *   DA  Debian's 6.12 kernel     DB  Debian's 7.3 kernel
 *   SA  6.12 built from source   SB  7.3 built from source, with the
 *       with the shared config       same config
 *   CPU (optional) a run on another CPU model, compared with DB
 *
 * For every path: per api the instructions of one traced map and unmap
 * call on each kernel, and the attribution of page's change DA -> DB,
 * per op:
 *
 *   W  = T(SB,page) - T(SB,phys)    the page->phys wrapper: the series
 *   Sd = the deltas SA -> SB of the functions in DMA-mapping code
 *        (dmasyms.c), minus W: the rest of the dma_map_phys() dispatch
 *   So = the other deltas SA -> SB, the largest named
 *   C  = (T(DB) - T(DA)) - (T(SB) - T(SA)): Debian's configuration
 *        against the shared one
 *
 * so that W + Sd + So + C = T(DB) - T(DA), exactly; that is checked.
 */
#ifndef DMABENCH_VERDICT_H
#define DMABENCH_VERDICT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "attrib.h"
#include "compare.h"

enum { VD_DA, VD_DB, VD_SA, VD_SB, VD_CPU, VD_RUNS };

extern const char *const vd_labels[VD_RUNS];

struct vd_run {
	const char *dir;		/* NULL: not given (CPU only) */
	struct cmp_run meta;
	struct at_trace trace;
};

struct verdict {
	struct vd_run r[VD_RUNS];
	uint64_t size;			/* the traced point */
	const char *dir;
};

/* Load every run given: meta.json, summary.csv and trace.csv. */
int vd_load(struct verdict *v);
void vd_free(struct verdict *v);

#define VD_NAMED	3		/* other functions named in So */

struct vd_attr {
	bool ok;
	char why[200];			/* when not ok */
	int64_t t[4];			/* T(DA), T(DB), T(SA), T(SB) of page */
	int64_t change;			/* T(DB) - T(DA) */
	bool have_w;			/* SB has phys */
	int64_t w, sd, so, c;
	int64_t dma;			/* DMA-code deltas SA -> SB */
	char named[VD_NAMED][AT_NAME_MAX];	/* the largest of So */
	int64_t named_delta[VD_NAMED];
	size_t nnamed, nother;		/* named; other changed, unnamed */
	int64_t other_delta;		/* of the unnamed */
};

/* page's change DA -> DB on path, op map, unmap or pair. */
int vd_attribute(const struct verdict *v, const char *path, const char *op,
		 struct vd_attr *a);

/* VERDICT.md; -EPROTO if a sum does not hold (never printed then). */
int vd_print(const struct verdict *v, FILE *f);

#endif
