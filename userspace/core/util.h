/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers: sysfs-style text files, paths, directory trees, and
 * the signals that stop a command.  Every function that can fail
 * returns 0 or a negative errno.
 */
#ifndef DMABENCH_UTIL_H
#define DMABENCH_UTIL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* The structure of type that holds member at ptr. */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

int fmt_buf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int read_text(const char *path, char *buf, size_t size);
int write_text(const char *path, const char *text);
char *read_all(const char *path, size_t *len);
int read_link_name(const char *path, char *buf, size_t size);
bool path_exists(const char *path);
int mkdir_p(const char *path);
int copy_file(const char *src, const char *dst);
int remove_tree(const char *path);
bool dir_is_empty(const char *path);
double now_seconds(void);
char *join_args(int argc, char **argv);
/*
 * From now on SIGINT, SIGTERM and SIGHUP count *flag up, to max at most,
 * the first of them writing msg to stderr; without SA_RESTART, so that a
 * wait under way sees EINTR.
 */
void catch_stop(volatile sig_atomic_t *flag, int max, const char *msg);

#endif
