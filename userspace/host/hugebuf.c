// SPDX-License-Identifier: GPL-2.0
/*
 * I/O buffers in small pages or in hugetlbfs huge pages, and the huge page
 * pool's size for the length of a run.
 *
 * Ordinary buffers are told MADV_NOHUGEPAGE, so that transparent huge
 * pages cannot make "normal" quietly mean "huge".  Every buffer is
 * written before use: the pages exist before any I/O is timed.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hugebuf.h"
#include "ledger.h"
#include "util.h"

/* What the buffers hold: a written device gets this, not zeroes. */
#define FILL_BYTE	0x5a

static unsigned long pool_old;
static bool pool_changed;
static bool at_exit;		/* hugebuf_pool_restore() registered */

/*
 * The pool's size before a run changed it, and the run's pid: written
 * before the change, removed once the size is back (ledger.h), for
 * dmabench repair after a SIGKILL.
 */
#define POOL_LEDGER	"hugepages"

/* "Name:   123 kB" in /proc/meminfo; the number, or -1. */
static long long meminfo_value(const char *text, const char *name)
{
	size_t len = strlen(name);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == ':')
			return strtoll(p + len + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static long long meminfo(const char *name)
{
	char *text = read_all("/proc/meminfo", NULL);
	long long v;

	if (!text)
		return -1;
	v = meminfo_value(text, name);
	free(text);
	return v;
}

size_t hugebuf_page_size(void)
{
	long long kb = meminfo("Hugepagesize");

	return kb > 0 ? (size_t)kb << 10 : 0;
}

int hugebuf_pool(unsigned long *total, unsigned long *free)
{
	long long t = meminfo("HugePages_Total");
	long long f = meminfo("HugePages_Free");

	if (t < 0 || f < 0)
		return -ENOENT;
	*total = t;
	*free = f;
	return 0;
}

/* Why huge pages could not be had, and the command that would fix it. */
static void explain_pool(size_t maplen, size_t page, char *why, size_t whysz)
{
	unsigned long total = 0, free = 0, need = maplen / page, want;

	hugebuf_pool(&total, &free);
	want = total + (need > free ? need - free : 0);
	snprintf(why, whysz,
		 "not enough huge pages: %lu of %zu kB needed, the pool has %lu free of %lu; echo %lu > %s, or run with --hugepages %lu",
		 need, page >> 10, free, total, want, HUGEBUF_POOL, want);
}

int hugebuf_alloc(struct hugebuf *b, size_t len, bool huge,
		  char *why, size_t whysz)
{
	size_t page = huge ? hugebuf_page_size() :
			     (size_t)sysconf(_SC_PAGESIZE);
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	int err;

	memset(b, 0, sizeof(*b));
	if (!page) {
		snprintf(why, whysz,
			 "no huge pages: this kernel has no hugetlbfs (no Hugepagesize in /proc/meminfo)");
		return -EOPNOTSUPP;
	}
	if (huge)
		flags |= MAP_HUGETLB;
	b->len = len;
	b->maplen = (len + page - 1) / page * page;
	b->huge = huge;
	b->p = mmap(NULL, b->maplen, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (b->p == MAP_FAILED) {
		err = -errno;
		b->p = NULL;
		if (huge && err == -ENOMEM)
			explain_pool(b->maplen, page, why, whysz);
		else
			snprintf(why, whysz, "no memory for %zu bytes of buffers: %s",
				 b->maplen, strerror(-err));
		return err;
	}
	if (!huge && madvise(b->p, b->maplen, MADV_NOHUGEPAGE) < 0 &&
	    errno != EINVAL) {
		err = -errno;
		snprintf(why, whysz, "madvise(MADV_NOHUGEPAGE): %s", strerror(-err));
		hugebuf_free(b);
		return err;
	}
	memset(b->p, FILL_BYTE, b->maplen);
	return 0;
}

void hugebuf_free(struct hugebuf *b)
{
	if (b->p)
		munmap(b->p, b->maplen);
	b->p = NULL;
}

static int read_pool(unsigned long *n)
{
	char buf[32];
	int err;

	err = read_text(HUGEBUF_POOL, buf, sizeof(buf));
	if (err)
		return err;
	*n = strtoul(buf, NULL, 10);
	return 0;
}

/* The pages and pid of the pool's ledger: 0, -ENOENT, -EINVAL. */
static int pool_ledger_read(unsigned long *pages, int *pid)
{
	char text[128], num[24], *end;
	int err;

	err = ledger_read(POOL_LEDGER, text, sizeof(text));
	if (err)
		return err;
	if (ledger_pid(text, pid) || ledger_get(text, "pages", num, sizeof(num)))
		return -EINVAL;
	*pages = strtoul(num, &end, 10);
	return num[0] && !*end ? 0 : -EINVAL;
}

/*
 * Before the first change: the ledger written.  A ledger of a dmabench
 * that runs refuses the change (two runs would each put back the other's
 * size); one of a dmabench that is gone holds the size to put back.
 */
static int pool_ledger_take(unsigned long *old, char *err, size_t errsz)
{
	unsigned long pages;
	char text[96];
	int pid, ret;

	ret = pool_ledger_read(&pages, &pid);
	if (!ret && pid != getpid() && ledger_owner_alive(pid)) {
		snprintf(err, errsz,
			 "dmabench (pid %d) has changed the pool and will put it back; wait for it, or run without --hugepages",
			 pid);
		return -EBUSY;
	}
	if (!ret && pages != *old) {
		warnx("the huge page pool is %lu pages, left so by a dmabench that is gone (pid %d): %lu is put back at exit",
		      *old, pid, pages);
		*old = pages;
	}
	snprintf(text, sizeof(text), "pages=%lu\npid=%d\n", *old, (int)getpid());
	ret = ledger_write(POOL_LEDGER, text);
	if (ret)
		snprintf(err, errsz,
			 "%s/%s: cannot record the pool's size to put back should this be killed: %s",
			 ledger_dir(), POOL_LEDGER, strerror(-ret));
	return ret;
}

int hugebuf_pool_set(unsigned long n, char *err, size_t errsz)
{
	unsigned long old, got;
	char buf[32];
	int ret;

	ret = read_pool(&old);
	if (ret) {
		snprintf(err, errsz, "%s: %s", HUGEBUF_POOL, strerror(-ret));
		return ret;
	}
	if (!pool_changed) {
		ret = pool_ledger_take(&old, err, errsz);
		if (ret)
			return ret;
		pool_old = old;
		if (!at_exit)
			atexit(hugebuf_pool_restore);
		at_exit = true;
	}
	snprintf(buf, sizeof(buf), "%lu", n);
	ret = write_text(HUGEBUF_POOL, buf);
	if (ret) {
		snprintf(err, errsz, "cannot write %lu to %s: %s%s", n,
			 HUGEBUF_POOL, strerror(-ret),
			 ret == -EACCES || ret == -EROFS ? " (needs root, and a writable /proc/sys)" : "");
		/* Unchanged, and as the ledger says: nothing to put back. */
		if (!pool_changed && !read_pool(&got) && got == pool_old)
			ledger_remove(POOL_LEDGER);
		return ret;
	}
	pool_changed = true;
	ret = read_pool(&got);
	if (!ret && got < n) {
		snprintf(err, errsz,
			 "asked for %lu huge pages, the kernel found %lu (memory too fragmented?); points that need more will be unsupported",
			 n, got);
		return -ENOMEM;
	}
	return 0;
}

int hugebuf_pool_opt(long n)
{
	char err[300];
	int ret;

	if (n < 0)
		return 0;
	ret = hugebuf_pool_set(n, err, sizeof(err));
	if (ret)
		warnx("--hugepages %ld: %s", n, err);
	/* Fewer pages than asked: the points that need more say so. */
	return ret && ret != -ENOMEM ? -1 : 0;
}

void hugebuf_pool_restore(void)
{
	char buf[32];
	int err;

	if (!pool_changed)
		return;
	pool_changed = false;
	snprintf(buf, sizeof(buf), "%lu", pool_old);
	err = write_text(HUGEBUF_POOL, buf);
	if (err)
		fprintf(stderr, "dmabench: could not put %s back to %lu: %s (the ledger %s/%s stays, for dmabench repair)\n",
			HUGEBUF_POOL, pool_old, strerror(-err), ledger_dir(),
			POOL_LEDGER);
	else
		ledger_remove(POOL_LEDGER);
}

int hugebuf_pool_repair(unsigned int *fixed)
{
	unsigned long pages, now;
	char buf[32];
	int pid, err;

	err = pool_ledger_read(&pages, &pid);
	if (err == -ENOENT)
		return 0;
	if (err) {
		warnx("%s/%s: not a ledger dmabench wrote: left alone",
		      ledger_dir(), POOL_LEDGER);
		return err;
	}
	if (ledger_owner_alive(pid)) {
		printf("huge page pool: in use by dmabench (pid %d): left alone\n",
		       pid);
		return 0;
	}
	err = read_pool(&now);
	if (!err && now != pages) {
		snprintf(buf, sizeof(buf), "%lu", pages);
		err = write_text(HUGEBUF_POOL, buf);
		if (err) {
			warnx("huge page pool: cannot put it back to %lu pages: %s; the ledger stays",
			      pages, strerror(-err));
			return err;
		}
		printf("huge page pool: %lu pages, left so by dmabench (pid %d, gone): back to %lu\n",
		       now, pid, pages);
		(*fixed)++;
	} else if (!err) {
		printf("huge page pool: as it was before dmabench (%lu pages); its ledger removed\n",
		       pages);
	}
	if (!err)
		ledger_remove(POOL_LEDGER);
	return err;
}
