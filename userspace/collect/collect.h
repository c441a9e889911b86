/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Merging parts (one per boot) into one run directory.
 */
#ifndef DMABENCH_COLLECT_H
#define DMABENCH_COLLECT_H

#include <stddef.h>
#include <stdio.h>

#include "results.h"

/* The exact traces' tables (make vm-trace, lab/trace.py). */
#define TRACE_HEADER "api,path,size,dir,op,function,calls,self,total"
#define TRACE_POINTS_HEADER \
	"api,path,size,dir,op,tag,instructions,caller,functions"

int collect_merge(const char *parent, char *const *parts, int nparts,
		  const char *command, char *final, size_t size);

#endif
