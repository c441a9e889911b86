// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench rdma: what a point's memory needs, memory registration and
 * on-demand-paging prefetch.
 *
 * Buffers (hugebuf.h) are "normal" (4 KiB pages, THP kept away) or
 * "huge" (hugetlb pages); every page is written before anything is
 * timed, so that no first-touch CPU fault lands in a timing.  What a
 * point needs is checked first (memory, huge pages, RLIMIT_MEMLOCK), so
 * that a point this machine cannot hold is an unsupported row naming
 * the fix, not a failure half-way.
 *
 * Registration: ibv_reg_mr then ibv_dereg_mr of the same buffer, each
 * timed on its own; registration pins the pages and maps them for the
 * device (through the DMA API on a NIC), deregistration undoes both.
 *
 * Prefetch: one on-demand-paging MR over the buffer; each operation
 * first drops the device's mapping of the whole region (mprotect to
 * read-only and back: the MMU notifier invalidates the MR, the pages
 * stay resident), then times ibv_advise_mr(PREFETCH or PREFETCH_WRITE,
 * IBV_ADVISE_MR_FLAG_FLUSH) over the region, which returns once every
 * page is mapped for the device again.  Registering afresh instead
 * would not do: drivers (mlx5, rxe) map the pages already present when
 * an ODP MR is registered, leaving the prefetch nothing to do.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "rdma.h"
#include "util.h"

#define MIB		((uint64_t)1 << 20)
#define MEM_MARGIN	(256ULL << 20)	/* left to the rest of the system */
#define SGE_MAX_LEN	(1ULL << 30)	/* ibv_sge.length is 32 bits */

static const int reg_access = IBV_ACCESS_LOCAL_WRITE |
			      IBV_ACCESS_REMOTE_WRITE |
			      IBV_ACCESS_REMOTE_READ;

/* A /proc/meminfo figure, in kB. */
static int meminfo(const char *key, uint64_t *val)
{
	char line[256];
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/meminfo", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		if (sscanf(line + klen + 1, "%" SCNu64, val) == 1)
			err = 0;
		break;
	}
	fclose(f);
	return err;
}

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

/*
 * CAP_IPC_LOCK: the kernel pins for ibv_reg_mr past RLIMIT_MEMLOCK (a
 * container's root may have it without CAP_SYS_RESOURCE to raise the
 * limit).
 */
static bool can_lock_any(void)
{
	char line[128];
	unsigned long long caps;
	bool yes = false;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			yes = caps & 1ULL << 14;	/* CAP_IPC_LOCK */
	fclose(f);
	return yes;
}

/* Root may lock any amount; others get as much as their hard limit. */
void rdma_raise_memlock(char *found, size_t size)
{
	struct rlimit rl, inf = { RLIM_INFINITY, RLIM_INFINITY };

	if (getrlimit(RLIMIT_MEMLOCK, &rl)) {
		snprintf(found, size, "unknown: %s", strerror(errno));
		return;
	}
	if (rl.rlim_cur != RLIM_INFINITY && setrlimit(RLIMIT_MEMLOCK, &inf) &&
	    rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_MEMLOCK, &rl);
	}
	if (getrlimit(RLIMIT_MEMLOCK, &rl) || rl.rlim_cur == RLIM_INFINITY)
		snprintf(found, size, "unlimited");
	else
		snprintf(found, size, "%llu KiB%s",
			 (unsigned long long)rl.rlim_cur >> 10,
			 can_lock_any() ? " (not binding: CAP_IPC_LOCK)" : "");
}

/*
 * Can a buffer of bytes and another of bytes2 (0: none) be had, pinned
 * bytes of them by registration?  0, or -ENOMEM (-EOPNOTSUPP: no huge
 * pages at all) with why naming what is short and how to fix it.
 */
int rdma_mem_check(uint64_t bytes, uint64_t bytes2, uint64_t pinned,
		   bool huge, char *why, size_t size)
{
	uint64_t v, hp = hugebuf_page_size(), need;
	unsigned long total = 0, nfree = 0;
	struct rlimit rl;

	if (huge && !hp) {
		snprintf(why, size,
			 "no huge pages: this kernel has no hugetlbfs (no Hugepagesize in /proc/meminfo)");
		return -EOPNOTSUPP;
	}
	if (huge) {
		need = round_up(bytes, hp) / hp + round_up(bytes2, hp) / hp;
		hugebuf_pool(&total, &nfree);
		v = nfree;
		if (v < need) {
			snprintf(why, size,
				 "needs %" PRIu64 " huge page%s of %" PRIu64 " KiB, %" PRIu64 " free: echo %" PRIu64 " > %s, or run with --hugepages %" PRIu64,
				 need, need == 1 ? "" : "s", hp >> 10, v,
				 total + need - v, HUGEBUF_POOL, total + need - v);
			return -ENOMEM;
		}
	} else if (!meminfo("MemAvailable", &v) &&
		   bytes + bytes2 + MEM_MARGIN > v << 10) {
		snprintf(why, size,
			 "needs %" PRIu64 " MiB of memory and MemAvailable is %" PRIu64 " MiB",
			 (bytes + bytes2 + MIB - 1) / MIB, (v << 10) / MIB);
		return -ENOMEM;
	}
	if (pinned && !getrlimit(RLIMIT_MEMLOCK, &rl) &&
	    rl.rlim_cur != RLIM_INFINITY && pinned > rl.rlim_cur &&
	    !can_lock_any()) {
		snprintf(why, size,
			 "pins %" PRIu64 " KiB, over RLIMIT_MEMLOCK of %llu KiB: raise it (ulimit -l unlimited) or run as root",
			 (pinned + 1023) >> 10,
			 (unsigned long long)rl.rlim_cur >> 10);
		return -ENOMEM;
	}
	return 0;
}

/* Drop the device's mapping of b (MMU notifier), keeping the pages. */
int rdma_invalidate(const struct hugebuf *b)
{
	if (mprotect(b->p, b->maplen, PROT_READ) ||
	    mprotect(b->p, b->maplen, PROT_READ | PROT_WRITE))
		return -errno;
	return 0;
}

/* Cut [addr, addr + len) into entries of at most 1 GiB; 0 if over max. */
unsigned int rdma_sges(void *addr, uint64_t len, uint32_t lkey,
		       struct ibv_sge *sge, unsigned int max)
{
	unsigned int n = 0;
	uint64_t off = 0;

	while (off < len) {
		uint64_t part = len - off < SGE_MAX_LEN ? len - off : SGE_MAX_LEN;

		if (n == max)
			return 0;
		sge[n].addr = (uintptr_t)addr + off;
		sge[n].length = part;
		sge[n].lkey = lkey;
		n++;
		off += part;
	}
	return n;
}

static void reg_failed(struct rdma_result *res, const struct rdma_dev *d,
		       const char *what, int err)
{
	if (err == ENOMEM || err == EAGAIN)
		rdma_set(res, STATUS_FAILED, "%s: %s (RLIMIT_MEMLOCK %s)", what,
			 strerror(err), d->memlock);
	else
		rdma_set(res, STATUS_FAILED, "%s: %s", what, strerror(err));
}

bool rdma_too_big(const struct rdma_dev *d, const struct rdma_point *p,
		  struct rdma_result *res)
{
	if (p->size <= d->max_mr_size)
		return false;
	rdma_set(res, STATUS_UNSUPPORTED,
		 "%" PRIu64 " bytes is over %s's max_mr_size of %" PRIu64,
		 p->size, d->name, d->max_mr_size);
	return true;
}

bool rdma_no_odp(const struct rdma_dev *d, uint32_t rc_need,
		 const char *what, struct rdma_result *res)
{
	if (rdma_dev_odp(d, rc_need))
		return false;
	rdma_set(res, STATUS_UNSUPPORTED,
		 "device %s has no on-demand paging%s (odp_caps%s%s)", d->name,
		 what, d->odp_known ? "" : ": ",
		 d->odp_known ? "" : d->odp_why);
	return true;
}

struct ibv_mr *rdma_reg_odp(struct ibv_pd *pd, void *addr, uint64_t len,
			    int access, struct rdma_result *res)
{
	struct ibv_mr *mr = ibv_reg_mr(pd, addr, len,
				       access | IBV_ACCESS_ON_DEMAND);
	int err = errno;

	if (!mr)
		rdma_set(res, err == EINVAL || err == EOPNOTSUPP ?
			 STATUS_UNSUPPORTED : STATUS_FAILED,
			 "ibv_reg_mr with IBV_ACCESS_ON_DEMAND: %s",
			 strerror(err));
	return mr;
}

static bool get_buffer(struct hugebuf *b, const struct rdma_point *p,
		       uint64_t pinned, struct rdma_result *res)
{
	char why[256];

	if (rdma_mem_check(p->size, 0, pinned, p->huge, why, sizeof(why)) ||
	    hugebuf_alloc(b, p->size, p->huge, why, sizeof(why))) {
		rdma_set(res, STATUS_UNSUPPORTED, "%s", why);
		return false;
	}
	return true;
}

void rdma_reg_run(struct rdma_run *r, const struct rdma_point *p,
		  struct rdma_result *res)
{
	struct rdma_dev *d = r->dev;
	struct hugebuf b;
	struct ibv_mr *mr;
	uint64_t start, t0, t1, t2;
	int err;

	res->lat = &r->lat;
	res->lat2 = &r->lat2;
	res->bytes = p->size;
	if (rdma_too_big(d, p, res) || !get_buffer(&b, p, p->size, res))
		return;
	/* Once untimed: the first registration allocates driver state. */
	mr = ibv_reg_mr(d->pd, b.p, p->size, reg_access);
	if (!mr) {
		reg_failed(res, d, "ibv_reg_mr", errno);
		goto out;
	}
	err = ibv_dereg_mr(mr);
	if (err) {
		reg_failed(res, d, "ibv_dereg_mr", err);
		goto out;
	}
	rdma_prof_start(r, res);
	start = t2 = rdma_now_ns();
	while (!rdma_done(r, res->ops, start, t2)) {
		t0 = rdma_now_ns();
		mr = ibv_reg_mr(d->pd, b.p, p->size, reg_access);
		t1 = rdma_now_ns();
		if (!mr) {
			err = errno;
			rdma_prof_stop(r, res);
			reg_failed(res, d, "ibv_reg_mr", err);
			goto out;
		}
		err = ibv_dereg_mr(mr);
		t2 = rdma_now_ns();
		if (err) {
			rdma_prof_stop(r, res);
			reg_failed(res, d, "ibv_dereg_mr", err);
			goto out;
		}
		rdma_op_done(r, res, t1 - t0, t2 - t1);
	}
	rdma_timed_ok(r, res, start, t2);
out:
	hugebuf_free(&b);
}

static bool advise_missing(int err)
{
	return err == EOPNOTSUPP || err == ENOTSUP || err == ENOSYS ||
	       err == EPROTONOSUPPORT;
}

void rdma_odp_run(struct rdma_run *r, const struct rdma_point *p,
		  struct rdma_result *res)
{
	enum ibv_advise_mr_advice advice = p->odp == RDMA_ODP_PREFETCH ?
		IBV_ADVISE_MR_ADVICE_PREFETCH :
		IBV_ADVISE_MR_ADVICE_PREFETCH_WRITE;
	const char *name = p->odp == RDMA_ODP_PREFETCH ? "PREFETCH" :
			   "PREFETCH_WRITE";
	struct ibv_sge sge[RDMA_MAX_SIZE / SGE_MAX_LEN];
	struct rdma_dev *d = r->dev;
	struct ibv_mr *mr;
	uint64_t start, t0, t1, t2;
	struct hugebuf b;
	unsigned int n;
	int err;

	res->lat = &r->lat;
	res->lat2 = &r->lat2;
	res->bytes = p->size;
	if (rdma_no_odp(d, 0, "", res) || rdma_too_big(d, p, res) ||
	    !get_buffer(&b, p, 0, res))
		return;
	mr = rdma_reg_odp(d->pd, b.p, p->size, reg_access, res);
	if (!mr)
		goto out;
	n = rdma_sges(b.p, p->size, mr->lkey, sge, ARRAY_SIZE(sge));
	/* Once untimed: is there a prefetch at all? */
	err = rdma_invalidate(&b);
	if (err) {
		rdma_set(res, STATUS_FAILED, "mprotect: %s", strerror(-err));
		goto dereg;
	}
	err = ibv_advise_mr(d->pd, advice, IBV_ADVISE_MR_FLAG_FLUSH, sge, n);
	if (err) {
		rdma_set(res, advise_missing(err) ? STATUS_UNSUPPORTED : STATUS_FAILED,
			 "ibv_advise_mr(%s): %s%s", name, strerror(err),
			 advise_missing(err) ?
			 " (no prefetch in this provider or kernel)" : "");
		goto dereg;
	}
	rdma_prof_start(r, res);
	start = t2 = rdma_now_ns();
	while (!rdma_done(r, res->ops, start, t2)) {
		t0 = rdma_now_ns();
		err = rdma_invalidate(&b);
		t1 = rdma_now_ns();
		if (!err)
			err = ibv_advise_mr(d->pd, advice,
					    IBV_ADVISE_MR_FLAG_FLUSH, sge, n);
		t2 = rdma_now_ns();
		if (err) {
			rdma_prof_stop(r, res);
			rdma_set(res, STATUS_FAILED, "%s: %s",
				 err < 0 ? "mprotect" : "ibv_advise_mr",
				 strerror(err < 0 ? -err : err));
			goto dereg;
		}
		rdma_op_done(r, res, t2 - t1, t1 - t0);
	}
	rdma_timed_ok(r, res, start, t2);
dereg:
	err = ibv_dereg_mr(mr);
	if (err && res->status == STATUS_OK)
		rdma_set(res, STATUS_FAILED, "ibv_dereg_mr: %s", strerror(err));
out:
	hugebuf_free(&b);
}
