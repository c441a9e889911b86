/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Merging parts (one per boot) into one run directory.
 */
#ifndef DMABENCH_COLLECT_H
#define DMABENCH_COLLECT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "results.h"

/* The exact traces' tables (make vm-trace, lab/trace.py). */
#define TRACE_HEADER "api,path,size,dir,op,function,calls,self,total"
#define TRACE_POINTS_HEADER \
	"api,path,size,dir,op,tag,instructions,caller,functions"

int collect_merge(const char *parent, char *const *parts, int nparts,
		  const char *command, char *final, size_t size);

/*
 * Do two parts' clocks ("clock" of part.json) convert ticks alike?  Under
 * icount nothing is converted, so a TSC calibrated a kHz apart in another
 * boot (999999 against 1000000 under QEMU) changes nothing.
 */
bool collect_same_clock(json_t *a, json_t *b);

#endif
