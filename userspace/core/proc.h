/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running programs (proc.c).
 */
#ifndef DMABENCH_PROC_H
#define DMABENCH_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* The full path of a program found in $PATH; -ENOENT if none. */
int prog_find(const char *name, char *path, size_t size);
/*
 * Start argv[0] (looked up in $PATH) with stdin from /dev/null, stdout
 * to out and stderr to err (-1: /dev/null), and env[] ("NAME=value",
 * NULL-terminated, or NULL) added to the environment, replacing what it
 * names.  It gets SIGTERM when the thread that started it ends, even by
 * SIGKILL: start it from the main thread.  The pid, or -errno (-ENOENT:
 * no such program).
 */
pid_t prog_spawn(char *const argv[], char *const env[], int out, int err);
/*
 * Wait for pid to exit, at most timeout seconds (< 0: for ever).  0 and
 * *status (as waitpid() gives it), -ETIMEDOUT if it still runs, -EINTR
 * if a signal came first (call again to go on waiting).
 */
int prog_wait(pid_t pid, double timeout, int *status);
/* The first line of a log file that says something, for a message. */
void prog_log_line(const char *log, char *line, size_t size);
/*
 * Run argv (as prog_spawn) to its end, its stdout and stderr into buf
 * (cut at size - 1 bytes, the rest read and dropped); its waitpid status,
 * or -errno if it could not run.
 */
int prog_capture(char *const argv[], char *const env[], char *buf,
		 size_t size);

#endif
