// SPDX-License-Identifier: GPL-2.0
/*
 * Running programs: every child process dmabench starts (perf, fio) is
 * found, spawned, waited for and read here (proc.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "util.h"

int prog_find(const char *name, char *path, size_t size)
{
	const char *dirs = getenv("PATH");
	size_t len;

	if (strchr(name, '/'))
		return access(name, X_OK) ? -errno : fmt_buf(path, size, "%s", name);
	if (!dirs || !*dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (const char *d = dirs; *d; d += len + (d[len] == ':')) {
		len = strcspn(d, ":");
		if (!len || fmt_buf(path, size, "%.*s/%s", (int)len, d, name))
			continue;
		if (!access(path, X_OK))
			return 0;
	}
	return -ENOENT;
}

/* Is env entry e ("NAME=value") one of the names set in over[]? */
static bool overridden(const char *e, char *const over[])
{
	size_t len = strcspn(e, "=");

	for (; over && *over; over++)
		if (!strncmp(*over, e, len) && (*over)[len] == '=')
			return true;
	return false;
}

/* The environment with env[] added; NULL if out of memory. */
static char **merge_env(char *const env[])
{
	size_t n = 1, k = 0;
	char **all;

	for (char **e = environ; *e; e++)
		n++;
	for (char *const *e = env; e && *e; e++)
		n++;
	all = malloc(n * sizeof(*all));
	if (!all)
		return NULL;
	for (char **e = environ; *e; e++)
		if (!overridden(*e, env))
			all[k++] = *e;
	for (char *const *e = env; e && *e; e++)
		all[k++] = *e;
	all[k] = NULL;
	return all;
}

/*
 * Everything is made before fork(): the caller may have threads (sysprof
 * has one), so the child only calls what is safe after fork() in them.
 */
pid_t prog_spawn(char *const argv[], char *const env[], int out, int err)
{
	char path[PATH_MAX], **envp;
	pid_t pid, parent = getpid();
	int null;

	if (prog_find(argv[0], path, sizeof(path)))
		return -ENOENT;
	envp = merge_env(env);
	if (!envp)
		return -ENOMEM;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		pid = -errno;
		free(envp);
		return pid;
	}
	if (pid == 0) {
		/*
		 * It dies with us, even if we are SIGKILLed: no fio or
		 * perf record -a runs on without anyone to stop it.
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
			_exit(127);
		null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
		    dup2(out >= 0 ? out : null, STDOUT_FILENO) < 0 ||
		    dup2(err >= 0 ? err : null, STDERR_FILENO) < 0)
			_exit(127);
		execve(path, argv, envp);
		_exit(127);
	}
	free(envp);
	return pid;
}

int prog_wait(pid_t pid, double timeout, int *status)
{
	double end = now_seconds() + timeout, left;
	struct timespec ts;
	pid_t r;

	for (;;) {
		r = waitpid(pid, status, timeout < 0 ? 0 : WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0)
			return -errno;
		left = end - now_seconds();
		if (left <= 0)
			return -ETIMEDOUT;
		left = left < 0.01 ? left : 0.01;
		ts.tv_sec = 0;
		ts.tv_nsec = left * 1e9;
		if (nanosleep(&ts, NULL) && errno == EINTR)
			return -EINTR;
	}
}

void prog_log_line(const char *log, char *line, size_t size)
{
	char *text = read_all(log, NULL), *p, *end;

	line[0] = '\0';
	if (!text)
		return;
	for (p = text; *p; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "\n");
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p < end) {
			snprintf(line, size, "%.*s", (int)(end - p), p);
			break;
		}
	}
	free(text);
}

/* argv with env, its stdout and stderr into buf; waitpid status or -errno. */
int prog_capture(char *const argv[], char *const env[], char *buf,
		 size_t size)
{
	size_t len = 0;
	int fds[2], status = 0, err;
	char drop[512];
	ssize_t r;
	pid_t pid;

	buf[0] = '\0';
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = prog_spawn(argv, env, fds[1], fds[1]);
	close(fds[1]);
	while (pid > 0) {
		if (len + 1 < size)
			r = read(fds[0], buf + len, size - 1 - len);
		else
			r = read(fds[0], drop, sizeof(drop));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (len + 1 < size)
			len += r;
	}
	buf[len] = '\0';
	close(fds[0]);
	if (pid < 0)
		return pid;
	while ((err = prog_wait(pid, -1, &status)) == -EINTR)
		;
	return err ? err : status;
}
