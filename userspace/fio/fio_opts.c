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

static const char head[] =
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
"\n";

static const char tail[] =
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
 * Is argv[*i] the option o, as "--NAME VALUE" or "--NAME=VALUE"?  Then
 * its value is stored (and *i moves past it), or *bad says that there
 * was none.
 */
static bool own_opt(int argc, char **argv, int *i, const struct opt *o,
		    bool *bad)
{
	size_t len = strlen(o->name);
	const char *val = NULL;

	if (strncmp(argv[*i], "--", 2) || strncmp(argv[*i] + 2, o->name, len) ||
	    (argv[*i][len + 2] && argv[*i][len + 2] != '='))
		return false;
	if (argv[*i][len + 2] == '=')
		val = argv[*i] + len + 3;
	else if (*i + 1 < argc)
		val = argv[++*i];
	else
		*bad = true;
	if (*bad) {
		warnx("--%s needs a value (see dmabench fio --help)", o->name);
	} else if (!*val || *val == '-') {
		/* Handed on as a positional argument: never as an option. */
		warnx("--%s '%s': give a path (see dmabench fio --help)",
		      o->name, val);
		*bad = true;
	}
	*(const char **)o->store = val;
	return true;
}

/*
 * Take dmabench fio's own options (those of opts with a value) out of
 * argv into rest[], which gets dmabench nvme's, and --dev's value last,
 * as its DEVICE.  0: go on; 1: help shown; -1: bad options, said why.
 */
static int take_own(int argc, char **argv, const struct opt *opts,
		    struct own_opts *x, char **rest, int *nrest)
{
	const struct opt *o;
	bool bad = false;
	int n = 1;

	rest[0] = argv[0];
	for (int i = 1; i < argc && !bad; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				rest[n++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			opt_help(stdout, opts, head, tail);
			return 1;
		}
		for (o = opts; o->name; o++)
			if (o->arg && own_opt(argc, argv, &i, o, &bad))
				break;
		if (!o->name) {
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
	struct own_opts *x = &fr->own;
	/* --perf-record is nvme_parse()'s, listed here for the help. */
	const struct opt opts[] = {
		OPT_STRING("job", "NAME|FILE", &x->job,
			   "one job file instead of those --rw names: NAME is NAME.fio in configs/fio/, looked for under the directory above dmabench's (<bindir>/../configs/fio), then under the current directory (./configs/fio); a FILE (any name with a '/') is read as it is.  Without --job, each --rw names one: randread.fio, seqread.fio, randwrite.fio, seqwrite.fio; with --passthru, passthru-randread.fio and so on"),
		OPT_STRING("dev", "DEVICE", &x->dev,
			   "the device, if not given last"),
		WL_OPT_PERF_RECORD(&fr->o.wl, "fio"),
		OPT_END
	};
	char **rest = calloc(argc + 2, sizeof(*rest));
	int n, ret;

	if (!rest) {
		warnx("out of memory");
		return -1;
	}
	memset(x, 0, sizeof(*x));
	ret = take_own(argc, argv, opts, x, rest, &n);
	if (!ret)
		ret = nvme_parse(n, rest, &fr->o);
	free(rest);
	return ret;
}
