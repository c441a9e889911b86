/* SPDX-License-Identifier: GPL-2.0 */
/*
 * I/O buffers: ordinary page-aligned memory (kept in small pages), or
 * hugetlbfs huge pages (mmap MAP_HUGETLB) from the kernel's pool; and
 * the size of that pool, which a run may set and must give back.
 */
#ifndef DMABENCH_HUGEBUF_H
#define DMABENCH_HUGEBUF_H

#include <stdbool.h>
#include <stddef.h>

#define HUGEBUF_POOL	"/proc/sys/vm/nr_hugepages"

struct hugebuf {
	void *p;		/* NULL when not allocated */
	size_t len;		/* as asked */
	size_t maplen;		/* mapped: len rounded up to the page size */
	bool huge;
};

/* The default huge page size in bytes, 0 if the kernel has none. */
size_t hugebuf_page_size(void);
/* The pool: pages in it and pages free, from /proc/meminfo. */
int hugebuf_pool(unsigned long *total, unsigned long *free);
/*
 * Allocate, touch and fill len bytes; 0, or -errno with why[] saying
 * what went wrong and, for huge pages, how to fill the pool.
 */
int hugebuf_alloc(struct hugebuf *b, size_t len, bool huge,
		  char *why, size_t whysz);
void hugebuf_free(struct hugebuf *b);
/*
 * Make the pool n pages for this run; the old size is remembered and
 * put back by hugebuf_pool_restore() (also registered with atexit()),
 * and written first to a ledger (ledger.h), "hugepages", for dmabench
 * repair should this be killed.  err[] says if the kernel gave fewer
 * pages than asked (-ENOMEM), or why nothing changed (-EBUSY: another
 * dmabench has the pool changed).
 */
int hugebuf_pool_set(unsigned long n, char *err, size_t errsz);
/*
 * --hugepages n (-1: not given): hugebuf_pool_set(), what went wrong said
 * on stderr.  0, also with fewer pages than asked (the points that need
 * more say so); -1 if the pool could not be set at all.
 */
int hugebuf_pool_opt(long n);
void hugebuf_pool_restore(void);
/*
 * dmabench repair: the pool put back to the ledger's size if the dmabench
 * that wrote it is gone; says so on stdout, and counts it in *fixed.
 * 0, or -errno (said).
 */
int hugebuf_pool_repair(unsigned int *fixed);

#endif
