// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench micro: the options of the threads, batch, counters and repeat
 * dimensions, the --quick matrix, and CPU lists.
 */
#include <string.h>

#include "cpufreq.h"
#include "cpus.h"
#include "micro.h"
#include "tap.h"
#include "util.h"

static int parse(struct micro_opts *o, const char *a1, const char *a2,
		 const char *a3, const char *a4)
{
	char *argv[] = { "micro", (char *)a1, (char *)a2, (char *)a3,
			 (char *)a4, NULL };
	int argc = 1;

	while (argv[argc])
		argc++;
	return micro_parse(argc, argv, o);
}

static void defaults(void)
{
	static struct micro_opts o;

	ok(parse(&o, NULL, NULL, NULL, NULL) == 0, "no options parse");
	ok(o.nthreads == 1 && o.threads[0] == 1, "default: one thread");
	ok(o.nbatches == 1 && o.batches[0] == 1, "default: batch 1");
	is_int(o.working_set, 0, "default working set: the point's batch");
	is_int(point_working_set(&o, 16), 16, "... so batch 16 cycles 16 buffers");
	is_int(o.node, -1, "default node -1");
	ok(o.counters, "counters on by default");
	is_int(o.repeat, 1, "default repeat 1");
	is_int(o.ncpus, 0, "no --cpus: the online CPUs from --cpu");
	is_int(o.nsizes, 9, "default sizes unchanged");
	is_int(o.samples, 10000, "default samples unchanged");
}

static void quick(void)
{
	static const uint64_t sizes[] = { 64, 512, 4096, 65536, 2 << 20 };
	static struct micro_opts o;

	ok(parse(&o, "--quick", NULL, NULL, NULL) == 0, "--quick parses");
	ok(o.nsizes == 5 && !memcmp(o.sizes, sizes, sizeof(sizes)),
	   "--quick sizes 64,512,4K,64K,2M");
	is_int(o.dirs, 7, "--quick: all three dirs");
	ok(o.nthreads == 2 && o.threads[0] == 1 && o.threads[1] == 2,
	   "--quick threads 1,2");
	ok(o.nbatches == 2 && o.batches[0] == 1 && o.batches[1] == 16,
	   "--quick batch 1,16");
	ok(o.samples == 1000 && o.warmup == 100, "--quick 1000 samples, 100 warmup");
	ok(parse(&o, "--quick", "--threads", "4", NULL) == 0 &&
	   o.nthreads == 1 && o.threads[0] == 4, "--threads wins over --quick");
	ok(parse(&o, "--batch", "8", "--quick", NULL) == 0 &&
	   o.nbatches == 1 && o.batches[0] == 8, "--batch wins over --quick");
}

static void good(void)
{
	static struct micro_opts o;

	ok(parse(&o, "--threads", "1,2,4", "--cpus", "0-2,5") == 0 &&
	   o.nthreads == 3 && o.threads[2] == 4 && o.ncpus == 4 &&
	   o.cpus[2] == 2 && o.cpus[3] == 5, "--threads 1,2,4 --cpus 0-2,5");
	is_int(max_threads(&o), 4, "max_threads");
	ok(parse(&o, "--batch", "1,32", "--working-set", "64") == 0 &&
	   o.batches[1] == 32 && o.working_set == 64 &&
	   point_working_set(&o, 1) == 64, "--batch 1,32 --working-set 64");
	ok(parse(&o, "--node", "1", "--no-counters", NULL) == 0 &&
	   o.node == 1 && !o.counters, "--node 1 --no-counters");
	ok(parse(&o, "--node", "-1", "--counters", NULL) == 0 &&
	   o.node == -1 && o.counters, "--node -1 --counters");
	ok(parse(&o, "--repeat", "5", NULL, NULL) == 0 && o.repeat == 5,
	   "--repeat 5");
}

static void bad(void)
{
	static struct micro_opts o;

	tap_diag("refusals follow on stderr");
	ok(parse(&o, "--threads", "0", NULL, NULL) < 0, "--threads 0 refused");
	ok(parse(&o, "--threads", "1,1", NULL, NULL) < 0, "--threads 1,1 refused");
	ok(parse(&o, "--threads", "1,", NULL, NULL) < 0, "--threads 1, refused");
	ok(parse(&o, "--threads", "x", NULL, NULL) < 0, "--threads x refused");
	ok(parse(&o, "--cpus", "3-1", NULL, NULL) < 0, "--cpus 3-1 refused");
	ok(parse(&o, "--cpus", "1,1", NULL, NULL) < 0, "--cpus 1,1 refused");
	ok(parse(&o, "--cpus", "", NULL, NULL) < 0, "--cpus '' refused");
	ok(parse(&o, "--batch", "0", NULL, NULL) < 0, "--batch 0 refused");
	ok(parse(&o, "--batch", "65537", NULL, NULL) < 0, "--batch over the limit refused");
	ok(parse(&o, "--batch", "16", "--working-set", "8") < 0,
	   "--working-set below the batch refused");
	ok(parse(&o, "--working-set", "0", NULL, NULL) < 0, "--working-set 0 refused");
	ok(parse(&o, "--node", "-2", NULL, NULL) < 0, "--node -2 refused");
	ok(parse(&o, "--repeat", "0", NULL, NULL) < 0, "--repeat 0 refused");
	ok(parse(&o, "--no-counters", "x", NULL, NULL) < 0,
	   "--no-counters takes no value");
}

static void cpu_lists(void)
{
	unsigned int cpus[8], online[] = { 0, 1, 2, 3, 6 }, out[8];
	char err[128];
	size_t n;

	ok(!parse_cpu_list("0-3,6\n", cpus, 8, &n, err, sizeof(err)) && n == 5 &&
	   cpus[4] == 6, "sysfs style list with newline");
	ok(parse_cpu_list("0-9", cpus, 8, &n, err, sizeof(err)) != 0,
	   "more CPUs than room refused");
	n = cpus_from(online, 5, 2, out, 8);
	ok(n == 5 && out[0] == 2 && out[1] == 3 && out[2] == 6 && out[3] == 0 &&
	   out[4] == 1, "from CPU 2: 2 3 6, then 0 1");
	is_int(cpus_from(online, 5, 0, out, 2), 2, "cpus_from stops at max");
}

static void freq_warnings(void)
{
	struct cpufreq_info cf;

	memset(&cf, 0, sizeof(cf));
	cf.ncpus = 2;
	cf.cpu[0] = 0;
	cf.cpu[1] = 1;
	strcpy(cf.governor[0], "performance");
	strcpy(cf.governor[1], "powersave");
	strcpy(cf.boost, "1");
	strcpy(cf.no_turbo, "unavailable");
	cf.flags_known = true;
	cf.constant_tsc = false;
	cpufreq_warnings(&cf, true, false);
	is_int(cf.nwarnings, 4, "governor, turbo, constant_tsc, emulated: 4 warnings");
	ok(strstr(cf.warning[0], "CPU 1") && strstr(cf.warning[0], "powersave"),
	   "the governor warning names the CPU");
	cpufreq_warnings(&cf, true, true);
	is_int(cf.nwarnings, 0, "icount: none of it matters");
	strcpy(cf.governor[1], "unavailable");
	strcpy(cf.boost, "0");
	strcpy(cf.no_turbo, "1");
	cf.constant_tsc = true;
	cpufreq_warnings(&cf, false, false);
	is_int(cf.nwarnings, 0, "steady machine: no warnings");
	ok(cpu_flag("fpu tsc constant_tsc nonstop_tsc\n", "nonstop_tsc") &&
	   !cpu_flag("fpu tsc_known_freq", "tsc"), "cpu flags are whole words");
}

void test_micro_opts(void)
{
	defaults();
	quick();
	good();
	bad();
	cpu_lists();
	freq_warnings();
}
