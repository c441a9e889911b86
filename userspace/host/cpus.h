/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU lists: "0-3,6" as the kernel writes them, choosing the CPUs a
 * point's threads run on, and pinning to one.
 */
#ifndef DMABENCH_CPUS_H
#define DMABENCH_CPUS_H

#include <stddef.h>

#define MAX_CPUS	256	/* CPUs one option or point may name */

int parse_cpu_list(const char *s, unsigned int *cpus, size_t max, size_t *n,
		   char *err, size_t errsz);
int cpus_online(unsigned int *cpus, size_t max, size_t *n);
size_t cpus_from(const unsigned int *online, size_t nonline, unsigned int first,
		 unsigned int *out, size_t max);
/* Pin this thread to cpu (-1: the one it runs on); the CPU, or -1 said. */
int pin_cpu(int cpu);

#endif
