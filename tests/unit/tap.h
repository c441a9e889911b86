/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP producer for dmabench's unit tests.
 */
#ifndef DMABENCH_TAP_H
#define DMABENCH_TAP_H

#include <stdbool.h>

bool tap_ok(bool pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool tap_is_str(const char *got, const char *want, const char *name);
bool tap_is_num(double got, double want, const char *name);
bool tap_is_int(long long got, long long want, const char *name);
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write text to dir/name, for tests that make run directories by hand. */
void tap_put_file(const char *dir, const char *name, const char *text);
int tap_done(void);

#define ok(cond, ...)		tap_ok(!!(cond), __VA_ARGS__)
#define is_str(g, w, name)	tap_is_str((g), (w), (name))
#define is_num(g, w, name)	tap_is_num((g), (w), (name))
#define is_int(g, w, name)	tap_is_int((g), (w), (name))

/* The groups of tests, one file each. */
void test_stats(void);
void test_parse(void);
void test_csv(void);
void test_json(void);
void test_collect(void);
void test_misc(void);
void test_workload(void);
void test_rdma(void);
void test_sysprof(void);
void test_fio(void);
void test_nvme(void);

#endif
