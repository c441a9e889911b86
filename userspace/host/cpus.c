// SPDX-License-Identifier: GPL-2.0
/*
 * CPU lists.  Userspace parses them for --cpus and reads the online CPUs
 * from sysfs; the module checks again that each CPU is online.  And
 * pinning to one CPU.
 */
#include <err.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpus.h"
#include "parse.h"
#include "util.h"

#define CPU_ID_MAX	8191

static int one_range(const char *s, size_t len, unsigned int *a,
		     unsigned int *b, char *err, size_t errsz)
{
	char tok[32], *dash;
	uint64_t v;

	if (!len || len >= sizeof(tok)) {
		snprintf(err, errsz, "'%.*s': not a CPU or range", (int)len, s);
		return -EINVAL;
	}
	memcpy(tok, s, len);
	tok[len] = '\0';
	dash = strchr(tok, '-');
	if (dash)
		*dash = '\0';
	if (parse_uint(tok, CPU_ID_MAX, &v, err, errsz))
		return -EINVAL;
	*a = *b = v;
	if (dash) {
		if (parse_uint(dash + 1, CPU_ID_MAX, &v, err, errsz))
			return -EINVAL;
		*b = v;
	}
	if (*b < *a) {
		snprintf(err, errsz, "'%s-%s': range runs backwards", tok, dash + 1);
		return -EINVAL;
	}
	return 0;
}

static bool listed(const unsigned int *cpus, size_t n, unsigned int cpu)
{
	for (size_t i = 0; i < n; i++)
		if (cpus[i] == cpu)
			return true;
	return false;
}

/* "0,2-4" into 0 2 3 4, in the order given; a CPU named twice is an error. */
int parse_cpu_list(const char *s, unsigned int *cpus, size_t max, size_t *n,
		   char *err, size_t errsz)
{
	unsigned int a, b;
	size_t len;

	*n = 0;
	while (1) {
		len = strcspn(s, ",\n");
		if (one_range(s, len, &a, &b, err, errsz))
			return -EINVAL;
		for (unsigned int c = a; c <= b; c++) {
			if (listed(cpus, *n, c)) {
				snprintf(err, errsz, "CPU %u named twice", c);
				return -EINVAL;
			}
			if (*n == max) {
				snprintf(err, errsz, "more than %zu CPUs", max);
				return -ERANGE;
			}
			cpus[(*n)++] = c;
		}
		if (s[len] != ',')
			return 0;
		s += len + 1;
	}
}

int cpus_online(unsigned int *cpus, size_t max, size_t *n)
{
	char buf[1024], err[128];
	int ret;

	ret = read_text("/sys/devices/system/cpu/online", buf, sizeof(buf));
	if (ret)
		return ret;
	return parse_cpu_list(buf, cpus, max, n, err, sizeof(err)) ? -EINVAL : 0;
}

/*
 * The default CPUs of a point: the online ones from first upwards, then
 * those below it, so that N threads take the first N of them.
 */
size_t cpus_from(const unsigned int *online, size_t nonline, unsigned int first,
		 unsigned int *out, size_t max)
{
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < nonline && n < max; i++)
			if ((online[i] >= first) == !pass)
				out[n++] = online[i];
	return n;
}

int pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		cpu = sched_getcpu();
	if (cpu < 0) {
		warn("sched_getcpu");
		return -1;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		warn("--cpu %d: cannot pin to it (offline, or not allowed: see taskset -p $$)",
		     cpu);
		return -1;
	}
	return cpu;
}
