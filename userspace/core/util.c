// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers: sysfs-style text files, paths, directory trees, and
 * the signals that stop a command.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* snprintf that reports truncation as -ENAMETOOLONG. */
int fmt_buf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* Read a small text file (sysfs, procfs) and drop trailing whitespace. */
int read_text(const char *path, char *buf, size_t size)
{
	ssize_t n;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	buf[len] = '\0';
	return 0;
}

/* Write a string with one write(2), as sysfs attributes expect. */
int write_text(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

/* Read a whole file into a NUL-terminated buffer; NULL and errno on error. */
char *read_all(const char *path, size_t *len)
{
	size_t size = 4096, used = 0;
	char *buf, *tmp;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(size);
	while (buf) {
		if (used + 1 >= size) {
			size *= 2;
			tmp = realloc(buf, size);
			if (!tmp) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = tmp;
		}
		n = read(fd, buf + used, size - 1 - used);
		if (n < 0) {
			int err = errno;

			free(buf);
			close(fd);
			errno = err;
			return NULL;
		}
		if (n == 0)
			break;
		used += n;
	}
	close(fd);
	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

/* The last component of a symlink's target, e.g. the driver's name. */
int read_link_name(const char *path, char *buf, size_t size)
{
	char target[4096];
	const char *name;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	name = strrchr(target, '/');
	name = name ? name + 1 : target;
	return fmt_buf(buf, size, "%s", name);
}

bool path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

int mkdir_p(const char *path)
{
	char buf[4096];
	char *p;
	int err;

	err = fmt_buf(buf, sizeof(buf), "%s", path);
	if (err)
		return err;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0777) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Copy src to dst; dst must not exist yet. */
int copy_file(const char *src, const char *dst)
{
	char buf[65536];
	int in, out, err = 0;
	ssize_t n, w;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (out < 0) {
		err = -errno;
		close(in);
		return err;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n; off += w) {
			w = write(out, buf + off, n - off);
			if (w < 0) {
				err = -errno;
				goto out;
			}
		}
	}
	if (n < 0)
		err = -errno;
out:
	if (close(out) < 0 && !err)
		err = -errno;
	close(in);
	return err;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

/* rm -r: only ever called on directories this program made. */
int remove_tree(const char *path)
{
	if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		return -errno;
	return 0;
}

bool dir_is_empty(const char *path)
{
	struct dirent *de;
	bool empty = true;
	DIR *d;

	d = opendir(path);
	if (!d)
		return false;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = false;
			break;
		}
	}
	closedir(d);
	return empty;
}

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Does arg need quoting to be read back by a shell as one word? */
static bool needs_quotes(const char *arg)
{
	if (!*arg)
		return true;
	for (const char *p = arg; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_-+=:,./@%", *p))
			return true;
	return false;
}

/*
 * argv joined by spaces, for the record, each argument shell-quoted when
 * needed so that the command can be pasted back; the caller frees it.
 */
char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s, *p;

	for (int i = 0; i < argc; i++)
		len += 4 * strlen(argv[i]) + 3;
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	for (int i = 0; i < argc; i++) {
		bool quote = needs_quotes(argv[i]);

		if (i)
			*p++ = ' ';
		if (quote)
			*p++ = '\'';
		for (const char *a = argv[i]; *a; a++) {
			if (quote && *a == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *a;
			}
		}
		if (quote)
			*p++ = '\'';
	}
	*p = '\0';
	return s;
}

static volatile sig_atomic_t *stop_flag;
static const char *stop_msg;
static size_t stop_len;
static int stop_max;

static void on_stop(int sig)
{
	ssize_t n;

	(void)sig;
	if (!*stop_flag) {
		n = write(STDERR_FILENO, stop_msg, stop_len);
		(void)n;
	}
	if (*stop_flag < stop_max)
		(*stop_flag)++;
}

void catch_stop(volatile sig_atomic_t *flag, int max, const char *msg)
{
	struct sigaction sa;

	stop_flag = flag;
	stop_max = max;
	stop_msg = msg;
	stop_len = strlen(msg);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;	/* no SA_RESTART: a wait sees EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
