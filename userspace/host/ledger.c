// SPDX-License-Identifier: GPL-2.0
/*
 * Ledgers of what a dmabench changed, for dmabench repair (ledger.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger.h"
#include "util.h"

const char *ledger_dir(void)
{
	const char *d = getenv("DMABENCH_STATE_DIR");

	return d && *d ? d : "/run/dmabench";
}

int ledger_path(const char *name, char *path, size_t size)
{
	return fmt_buf(path, size, "%s/%s", ledger_dir(), name);
}

int ledger_write(const char *name, const char *text)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	size_t len = strlen(text);
	ssize_t n;
	int fd, err;

	if (mkdir(ledger_dir(), 0700) < 0 && errno != EEXIST)
		return -errno;
	err = ledger_path(name, path, sizeof(path));
	if (!err)
		err = fmt_buf(tmp, sizeof(tmp), "%s.tmp", path);
	if (err)
		return err;
	/* Whole or not at all: written beside it, then renamed. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n != (ssize_t)len)
		err = n < 0 ? -errno : -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int ledger_read(const char *name, char *text, size_t size)
{
	char path[PATH_MAX];
	int err;

	err = ledger_path(name, path, sizeof(path));
	return err ? err : read_text(path, text, size);
}

void ledger_remove(const char *name)
{
	char path[PATH_MAX];

	if (!ledger_path(name, path, sizeof(path)))
		unlink(path);
}

int ledger_get(const char *text, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key), len;
	const char *p = text, *end;

	for (; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			len = end - (p + klen + 1);
			if (len >= size)
				return -ENAMETOOLONG;
			memcpy(buf, p + klen + 1, len);
			buf[len] = '\0';
			return 0;
		}
	}
	return -ENOENT;
}

int ledger_pid(const char *text, int *pid)
{
	char num[24], *end;
	long v;

	if (ledger_get(text, "pid", num, sizeof(num)))
		return -EINVAL;
	v = strtol(num, &end, 10);
	if (!num[0] || *end || v <= 0 || v > 1 << 30)
		return -EINVAL;
	*pid = v;
	return 0;
}

bool ledger_owner_alive(int pid)
{
	char path[64], comm[32];

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	return !read_text(path, comm, sizeof(comm)) && !strcmp(comm, "dmabench");
}
