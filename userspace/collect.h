/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Merging parts (one per boot) into one run directory.
 */
#ifndef DMABENCH_COLLECT_H
#define DMABENCH_COLLECT_H

#include <stddef.h>

int collect_merge(const char *parent, char *const *parts, int nparts,
		  const char *command, char *final, size_t size);

#endif
