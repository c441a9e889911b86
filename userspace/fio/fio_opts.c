// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fio: its options.  dmabench nvme's (nvme_parse()) with
 * --perf-record among them, plus its own --job and --dev, taken out of
 * argv first.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fio.h"
#include "fio_import.h"
#include "fio_window.h"
#include "hugebuf.h"
#include "json.h"
#include "nvme.h"
#include "perfrec.h"
#include "proc.h"
#include "progress.h"
#include "sysprof.h"
#include "util.h"
#include "workload.h"

static const char usage[] =
"usage: dmabench fio [options] DEVICE\n"
"\n"
"Run the points of dmabench nvme with fio's io_uring engine instead, and\n"
"add fio's figures to workload.csv as rows of tool fio, under the same\n"
"keys as dmabench's (workload, path, size, qd, batch, completion, buffers,\n"
"variant).  Needs fio (Debian: fio).  The options are dmabench nvme's (see\n"
"dmabench nvme --help: --rw, --bs, --qd, --batch, --completion, --buffers,\n"
"--passthru, --time, --ramp, --span, --quick, --allow-write, --cpu, --path,\n"
"--hugepages, --no-counters, --no-sampling, --into, --out), with the same\n"
"defaults and the same checks of the device, and these:\n"
"\n"
"  --job NAME|FILE    one job file instead of those --rw names: NAME is\n"
"                     NAME.fio in configs/fio/, looked for under the\n"
"                     directory above dmabench's (<bindir>/../configs/fio),\n"
"                     then under the current directory (./configs/fio); a\n"
"                     FILE (any name with a '/') is read as it is.  Without\n"
"                     --job, each --rw names one: randread.fio, seqread.fio,\n"
"                     randwrite.fio, seqwrite.fio; with --passthru,\n"
"                     passthru-randread.fio and so on\n"
"  --dev DEVICE       the device, if not given last\n"
"  --perf-record      record call stacks of every CPU with perf record -a -g\n"
"                     during each measured run (Debian: linux-perf), kept as\n"
"                     workload/fio-N.perf.data and folded, one line per\n"
"                     stack, into workload/fio-N.folded (the row's profile)\n"
"  -h, --help         this text\n"
"\n"
"A job file takes everything from the environment: DEV, BS, QD, BATCH,\n"
"FIXED, POLL, MEM, HUGEPAGE, TIME, RAMP, SPAN, CPU (configs/fio/README.md),\n"
"and runs one job on filename=${DEV}.  Each point runs fio once: --ramp\n"
"seconds of ramp (ramp_time), then --time seconds measured (runtime).\n"
"Busy CPU, kernel cycles and instructions and the DMA share are counted\n"
"over a window inside fio's measured I/O, as dmabench nvme counts them\n"
"inside its own: it opens --ramp seconds after the device's I/O counter\n"
"(/sys/block/<disk>/stat) starts to move, and closes 90 % of --time later,\n"
"before fio's runtime ends.  They are divided by the I/Os that counter saw\n"
"complete in the window (sectors / block size).  Where it does not see\n"
"fio's requests (NVMe passthrough, unless the disk's\n"
"queue/iostats_passthrough is 1; a disk with queue/iostats 0), the window\n"
"opens --ramp seconds (at least 0.25) after fio's job process appears and\n"
"the I/Os are fio's IOPS times the window.  The row's note says which.\n"
"fio's start-up and exit stay out.  Rate, I/Os and latency are fio's own:\n"
"lat (submission to completion), its percentiles from fio's histogram.\n"
"\n"
"Each point leaves workload/fio-N.json (fio's report), fio-N.log (its\n"
"messages) and fio-N-point.json (fio's version, the job, its options as\n"
"fio --showcmd expands them, the device, the whole-system figures).\n";

/* Options */

/*
 * Is argv[*i] opt, as "--opt VALUE" or "--opt=VALUE"?  Then *val is the
 * value (and *i moves past it), or *bad says that there was none.
 */
static bool own_opt(int argc, char **argv, int *i, const char *opt,
		    const char **val, bool *bad)
{
	size_t len = strlen(opt);

	if (strncmp(argv[*i], opt, len) || (argv[*i][len] && argv[*i][len] != '='))
		return false;
	if (argv[*i][len] == '=')
		*val = argv[*i] + len + 1;
	else if (*i + 1 < argc)
		*val = argv[++*i];
	else
		*bad = true;
	if (*bad) {
		warnx("%s needs a value (see dmabench fio --help)", opt);
	} else if (!**val || **val == '-') {
		/* Handed on as a positional argument: never as an option. */
		warnx("%s '%s': give a path (see dmabench fio --help)", opt,
		      *val);
		*bad = true;
	}
	return true;
}

/*
 * Take dmabench fio's own options out of argv into rest[], which gets
 * dmabench nvme's, and --dev's value last, as its DEVICE.  0: go on;
 * 1: help shown; -1: bad options, said why.
 */
static int take_own(int argc, char **argv, struct own_opts *x, char **rest,
		    int *nrest)
{
	bool bad = false;
	int n = 1;

	memset(x, 0, sizeof(*x));
	rest[0] = argv[0];
	for (int i = 1; i < argc && !bad; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				rest[n++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 1;
		}
		if (!own_opt(argc, argv, &i, "--job", &x->job, &bad) &&
		    !own_opt(argc, argv, &i, "--dev", &x->dev, &bad)) {
			x->rw_given |= !strcmp(argv[i], "--rw") ||
				       !strncmp(argv[i], "--rw=", 5);
			rest[n++] = argv[i];
		}
	}
	if (bad)
		return -1;
	if (x->job && x->rw_given) {
		warnx("--job and --rw exclude each other: a job file says what it does");
		return -1;
	}
	if (x->dev)
		rest[n++] = (char *)x->dev;
	rest[n] = NULL;
	*nrest = n;
	return 0;
}

int fio_parse(int argc, char **argv, struct fio_run *fr)
{
	char **rest = calloc(argc + 2, sizeof(*rest));
	int n, ret;

	if (!rest) {
		warnx("out of memory");
		return -1;
	}
	ret = take_own(argc, argv, &fr->own, rest, &n);
	if (!ret)
		ret = nvme_parse(n, rest, &fr->o);
	free(rest);
	return ret;
}
