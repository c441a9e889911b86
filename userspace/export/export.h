/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench export: a run directory's figures in the formats of the engines
 * that run kernel tests: LKP's "key: value" stats, a KCIDB v4 document,
 * and LAVA's lava-test-case calls.
 *
 * A run is read into points: one per summary.csv row (a microbenchmark
 * point and op, or a counter) and one per workload.csv row.  Each point has
 * a name made of its own key only (api, path, size, dir and the
 * parameters that differ from their defaults; for workloads tool,
 * workload, path, size, qd, batch, completion, buffers, variant, threads),
 * so the same point has the same name in every run, and its figures are
 * metrics named after the statistic and the unit.  A figure the run does
 * not have is left out, never written as zero.
 */
#ifndef DMABENCH_EXPORT_H
#define DMABENCH_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum exp_format { EXP_LKP, EXP_KCIDB, EXP_LAVA };

struct exp_opts {
	enum exp_format format;
	const char *run;
	const char *origin;		/* KCIDB origin, [a-z0-9_]+ */
	const char *checkout_id;	/* KCIDB ids, without "origin:" */
	const char *build_id;
	const char *test_id;		/* prefix of the tests' ids */
	const char *prefix;		/* of every name, "dmabench" */
	bool workloads, micro;		/* what to export (both by default) */
	bool have_format;		/* --format was given */
};

#define EXP_MAX_METRICS	12

struct exp_metric {
	char name[32];			/* "median_ns", "iops", ... */
	double value;
	char unit[24];			/* "ns", "instructions", "ops/s" */
};

enum exp_status { EXP_OK, EXP_SKIP, EXP_FAIL };

struct exp_point {
	char name[160];			/* "micro.page.direct.4096.to_device.pair" */
	enum exp_status status;
	char status_text[16];		/* the row's own status */
	char note[160];
	unsigned int boot;
	struct exp_metric m[EXP_MAX_METRICS];
	size_t nm;
};

struct exp_boot {
	char release[128];
	char version[256];
	char cpu[128];
	char host[64];			/* host.name, host.arch: newer runs */
	char arch[32];
	char config_file[128];
	uint64_t config_hash;		/* FNV-1a 64 of the recorded options
					   as compact JSON */
	bool has_config;
};

struct exp_run {
	char name[256];			/* the directory's last component */
	char date[32];
	char rev[64];			/* the suite's revision */
	char unit[24];
	bool emulated;
	struct exp_boot *boots;
	size_t nboots;
	struct exp_point *pts;
	size_t npts;
};

/* export_read.c */
void exp_sanitize(char *s);
bool exp_kcidb_word(const char *s);
uint64_t exp_fnv1a(const char *p, size_t len);
int exp_load(struct exp_run *r, const char *dir, bool micro, bool workloads);
void exp_free(struct exp_run *r);
int exp_check_names(const struct exp_run *r);

/* export_out.c */
void exp_print_lkp(const struct exp_run *r, const struct exp_opts *o,
		   FILE *f);
void exp_print_lava(const struct exp_run *r, const struct exp_opts *o,
		    FILE *f);
int exp_print_kcidb(const struct exp_run *r, const struct exp_opts *o,
		    FILE *f);

/* cmd_export.c */
int export_main(int argc, char **argv, FILE *out);

#endif
