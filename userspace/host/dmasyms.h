/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which kernel functions are DMA mapping code and which are the idle
 * loop, by name, for the DMA share of sysprof.h.
 *
 * Both are decided by tables of prefixes and exact names in dmasyms.c,
 * which dmasym_print() and dmasym_json() show.  A compiler suffix of the
 * name (".cold", ".isra.0", ".constprop.0", ...) is ignored.
 */
#ifndef DMABENCH_DMASYMS_H
#define DMABENCH_DMASYMS_H

#include <stdbool.h>
#include <stdio.h>

struct json;

bool dmasym_is_dma(const char *name);
/* Every function of a module so named is DMA code ("iommu_vtdss"...). */
bool dmasym_module_is_dma(const char *module);
bool dmasym_is_idle(const char *name);

/* The tables, as text for --help and as a JSON object for meta. */
void dmasym_print(FILE *f);
void dmasym_json(struct json *j, const char *key);

#endif
