/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench rdma: what its options, device, buffers and loops share.
 *
 * rdma_opts.c parses the options and plans the points; cmd_rdma.c walks
 * the sweep and holds what every timed phase shares; rdma_out.c writes a
 * point's rows and files; rdma_dev.c picks the device and says what it
 * is (soft RDMA, or a NIC behind which DMA path); rdma_reg.c checks for
 * memory and times memory registration and on-demand-paging prefetch;
 * rdma_loop.c connects two queue pairs of one device to each other and
 * times the data path and the device's first-touch faults.
 */
#ifndef DMABENCH_RDMA_H
#define DMABENCH_RDMA_H

#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <infiniband/verbs.h>

#include "hugebuf.h"
#include "json.h"
#include "lathist.h"
#include "progress.h"
#include "sysprof.h"
#include "frame.h"
#include "workload.h"

#define RDMA_PAGE		4096ULL		/* ns_per_page counts 4 KiB pages */
#define RDMA_MAX_SIZE		(16ULL << 30)	/* --size, --msg-size */
#define RDMA_MAX_SIZES		32
#define RDMA_MAX_QDS		16
#define RDMA_MAX_QD		1024
#define RDMA_MAX_TIME		3600		/* seconds per point */
#define RDMA_FAULT_CHUNK	(1ULL << 20)	/* bytes per WRITE, fault test */
#define RDMA_FAULT_QD		16		/* WRITEs in flight, fault test */
#define RDMA_STALL_NS		(10ULL * 1000000000ULL)	/* no completion */
#define RDMA_SOFT_NOTE \
	"soft RDMA maps with virtual addresses, not the DMA API: DMA share not representative of an RDMA NIC"

enum rdma_test {
	RDMA_T_REG,	/* ibv_reg_mr / ibv_dereg_mr */
	RDMA_T_ODP,	/* prefetch, prefetch-write, first-touch fault */
	RDMA_T_WRITE,	/* RDMA WRITE loopback */
	RDMA_T_SEND,	/* SEND / RECV loopback */
	RDMA_T_COUNT,
};

enum rdma_buffers {
	RDMA_B_NORMAL,	/* 4 KiB pages (MADV_NOHUGEPAGE) */
	RDMA_B_HUGE,	/* hugetlb pages (MAP_HUGETLB) */
	RDMA_B_COUNT,
};

/* What one ODP point does to the region after invalidating it. */
enum rdma_odp_kind {
	RDMA_ODP_PREFETCH,
	RDMA_ODP_PREFETCH_WRITE,
	RDMA_ODP_FAULT,
	RDMA_ODP_COUNT,
};

extern const char *const rdma_test_names[RDMA_T_COUNT];
extern const char *const rdma_buffer_names[RDMA_B_COUNT];

struct rdma_opts {
	const char *dev;		/* --dev; NULL: --addr's, or the first */
	const char *addr;		/* --addr: IPv4 address, via librdmacm */
	unsigned int port;		/* --port */
	int gid_index;			/* --gid-index; -1: chosen */
	unsigned int tests;		/* bit per enum rdma_test */
	unsigned int buffers;		/* bit per enum rdma_buffers */
	uint64_t sizes[RDMA_MAX_SIZES];	/* registration sizes, ascending */
	size_t nsizes;
	uint64_t msg_sizes[RDMA_MAX_SIZES];	/* data path, ascending */
	size_t nmsg_sizes;
	unsigned int qds[RDMA_MAX_QDS];	/* messages in flight */
	size_t nqds;
	bool reg_per_io;		/* also each data point with it */
	double seconds;			/* per point, when count is 0 */
	uint64_t count;			/* timed operations per point */
	bool list;
	struct wl_opts wl;		/* --into, --out, ... */
};

struct rdma_dev {
	/* What it is. */
	char name[64];
	const char *path;		/* soft-rdma, direct, iommu-*, ... */
	bool soft;
	char why[256];			/* the evidence for path */
	char driver[64];		/* kernel driver, "" if unknown */
	char parent[128];		/* parent device (PCI address), or "" */
	char group_type[32];		/* "" if no IOMMU group */
	char netdev[64];		/* rxe: its network device */
	char node_desc[72];
	char fw_ver[64];
	const char *node_type;
	const char *transport;
	uint32_t vendor_id, vendor_part_id;
	uint64_t max_mr_size;
	int max_qp_wr, max_cqe, max_qp_rd_atom;
	bool odp_known;
	char odp_why[128];		/* why not known */
	struct ibv_odp_caps odp;
	char memlock[48];		/* RLIMIT_MEMLOCK, as found */

	/* Its port, and the GID the queue pairs use. */
	uint8_t port;
	struct ibv_port_attr pa;
	bool ethernet;			/* RoCE: address by GID */
	int gid_index;			/* -1: none (InfiniBand: by LID) */
	union ibv_gid gid;
	char gid_str[INET6_ADDRSTRLEN];
	const char *gid_type;		/* "RoCE v2", "RoCE v1", "IB", "" */
	char gid_why[160];
	char addr[INET_ADDRSTRLEN];	/* --addr, "" without */

	/* Open. */
	struct ibv_context *ctx;
	struct ibv_pd *pd;
};

/* One point of the sweep. */
struct rdma_point {
	unsigned int index;		/* 1-based, names rdma-<n>.json */
	const char *workload;		/* rdma-reg, rdma-write, ... */
	enum rdma_test test;
	enum rdma_odp_kind odp;		/* RDMA_T_ODP only */
	uint64_t size;
	unsigned int qd;
	bool huge;
	bool reg_per_io;
};

struct perfrec;

/* What a point did; rdma_out.c turns it into rows. */
struct rdma_result {
	enum row_status status;
	char note[512];
	double seconds;			/* of the timed phase */
	uint64_t ops;
	uint64_t bytes;			/* per operation, for mib_s */
	struct lathist *lat;		/* per operation */
	struct lathist *lat2;		/* dereg, or the invalidation */
	double baseline_ns;		/* fault: pinned, per page; else NAN */
	bool prof_ran;
	struct sysprof_result prof;
	char prof_why[128];
	struct sysprof *sp;		/* under way */
	struct perfrec *perf;		/* --perf-record: under way */
	char perf_why[240];		/* --perf-record: why none, or "" */
	char profile[PATH_MAX];		/* its folded stacks, or "" */
	/* The connection, for the record. */
	enum ibv_mtu path_mtu;
	unsigned int depth;		/* receive or send queue depth */
	unsigned int chunk;		/* fault: bytes per WRITE */
};

/* What every point function gets. */
struct rdma_run {
	struct rdma_dev *dev;
	const struct rdma_opts *o;
	struct lathist lat, lat2;
	struct wl_out *out;		/* where the point's files go: */
	unsigned int n;			/* rdma-<n>.json and the rest */
};

/* The sweep. */
struct rdma_ctx {
	struct wl_run wl;		/* the frame's (frame.h) */
	struct rdma_opts o;
	struct rdma_dev dev;
	struct rdma_run run;
	struct rdma_point *pts;		/* wl.npoints of them */
	struct rdma_result res;		/* of the point under way */
};

/* Set by SIGINT, SIGTERM, SIGHUP: stop the point, clean up, leave. */
extern volatile sig_atomic_t rdma_stop;

static inline uint64_t rdma_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* rdma_opts.c: the options, and the points they name. */
int rdma_parse(int argc, char **argv, struct rdma_opts *o);
unsigned int rdma_plan(const struct rdma_opts *o, struct rdma_point *pts);

/* rdma_run.c: samples, the profile around a timed phase. */
uint64_t rdma_pages(uint64_t size);
double rdma_ns_per_page(double ns, uint64_t size);
bool rdma_done(const struct rdma_run *r, uint64_t ops, uint64_t t0,
	       uint64_t now);
void rdma_prof_start(struct rdma_run *r, struct rdma_result *res);
void rdma_prof_stop(struct rdma_run *r, struct rdma_result *res);
/* The timed phase ran from start to end: its profile stopped, and ok. */
void rdma_timed_ok(struct rdma_run *r, struct rdma_result *res,
		   uint64_t start, uint64_t end);
void rdma_set(struct rdma_result *res, enum row_status status,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* One timed operation: its latency, and what was timed apart from it. */
static inline void rdma_op_done(struct rdma_run *r, struct rdma_result *res,
				uint64_t ns, uint64_t ns2)
{
	lathist_add(&r->lat, ns);
	lathist_add(&r->lat2, ns2);
	res->ops++;
}

/* rdma_out.c: a point's rows and files, numbered n. */
int rdma_write_point(struct rdma_ctx *c, const struct rdma_point *p,
		     struct rdma_result *res, unsigned int n);
void rdma_fmt_size(char *buf, size_t size, uint64_t v);

/* rdma_dev.c: which device, what it is, its port and GID. */
bool rdma_gid_ipv4(const union ibv_gid *gid, char *ip, size_t size);
int rdma_dev_list(FILE *f);
int rdma_dev_open(struct rdma_dev *d, const struct rdma_opts *o);
void rdma_dev_close(struct rdma_dev *d);
bool rdma_dev_odp(const struct rdma_dev *d, uint32_t rc_need);
const char *rdma_port_problem(const struct rdma_dev *d, char *buf,
			      size_t size);
void rdma_dev_json(struct json *j, const struct rdma_dev *d);

/* rdma_reg.c: memory, registration, prefetch. */
void rdma_raise_memlock(char *found, size_t size);
int rdma_mem_check(uint64_t bytes, uint64_t bytes2, uint64_t pinned,
		   bool huge, char *why, size_t size);
int rdma_invalidate(const struct hugebuf *b);
/* Points a device cannot take: unsupported, res says why. */
bool rdma_too_big(const struct rdma_dev *d, const struct rdma_point *p,
		  struct rdma_result *res);
bool rdma_no_odp(const struct rdma_dev *d, uint32_t rc_need,
		 const char *what, struct rdma_result *res);
/* An on-demand-paging MR, or NULL: res says why (unsupported or failed). */
struct ibv_mr *rdma_reg_odp(struct ibv_pd *pd, void *addr, uint64_t len,
			    int access, struct rdma_result *res);
unsigned int rdma_sges(void *addr, uint64_t len, uint32_t lkey,
		       struct ibv_sge *sge, unsigned int max);
void rdma_reg_run(struct rdma_run *r, const struct rdma_point *p,
		  struct rdma_result *res);
void rdma_odp_run(struct rdma_run *r, const struct rdma_point *p,
		  struct rdma_result *res);

/* rdma_loop.c: two queue pairs of one device, connected to each other. */
void rdma_msg_run(struct rdma_run *r, const struct rdma_point *p,
		  struct rdma_result *res);
void rdma_fault_run(struct rdma_run *r, const struct rdma_point *p,
		    struct rdma_result *res);

#endif
