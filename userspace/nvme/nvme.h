/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench nvme: its options, what it finds out about the device, the
 * io_uring job of one point, and what a point leaves behind.  dmabench
 * fio uses the options, the points, the device and its checks, and the
 * JSON of a point too.
 *
 *	nvme_opts.c	options, and the points they name
 *	cmd_nvme.c	the sweep over the points, and each point's checks
 *	nvme_out.c	a point's row of workload.csv and its files
 *	nvme_dev.c	the device: what it is, its DMA path, write safety
 *	nvme_io.c	the ring and the timed I/O loop
 */
#ifndef DMABENCH_NVME_H
#define DMABENCH_NVME_H

#include <limits.h>
#include <liburing.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "frame.h"
#include "lathist.h"
#include "prng.h"
#include "progress.h"
#include "sysprof.h"
#include "workload.h"

#define NVME_MAX_LIST	16		/* values of a list option */
#define NVME_MAX_QD	1024
#define NVME_MIN_BS	512
#define NVME_MAX_BS	(1U << 20)

enum nvme_rw {
	NVME_RANDREAD,
	NVME_SEQREAD,
	NVME_RANDWRITE,
	NVME_SEQWRITE,
	NVME_RW_COUNT,
};

enum nvme_completion {
	NVME_IRQ,
	NVME_POLL,
	NVME_COMPLETION_COUNT,
};

enum nvme_buffers {
	NVME_BUF_NORMAL,
	NVME_BUF_FIXED,
	NVME_BUF_HUGE,
	NVME_BUF_FIXED_HUGE,
	NVME_BUF_COUNT,
};

#define NVME_WRITES	((1U << NVME_RANDWRITE) | (1U << NVME_SEQWRITE))

extern const char *const nvme_rw_names[NVME_RW_COUNT];
extern const char *const nvme_completion_names[NVME_COMPLETION_COUNT];
extern const char *const nvme_buffers_names[NVME_BUF_COUNT];

struct nvme_opts {
	const char *device;
	unsigned int rw;			/* bit per enum nvme_rw */
	uint64_t bs[NVME_MAX_LIST];		/* ascending */
	size_t nbs;
	unsigned int qd[NVME_MAX_LIST];		/* as given */
	size_t nqd;
	unsigned int batch[NVME_MAX_LIST];	/* as given; cut to qd */
	size_t nbatch;
	unsigned int completion;		/* bit per nvme_completion */
	unsigned int buffers;			/* bit per enum nvme_buffers */
	bool passthru;
	bool allow_write;
	double seconds;				/* measured, per point */
	double ramp;				/* before measuring */
	uint64_t span;				/* 0: the whole device */
	const char *path;			/* --path: asserted, or NULL */
	int cpu;				/* -1: the current one */
	struct wl_opts wl;			/* --into, --out, ... */
};

/* 0: run; 1: help shown; -1: bad options, said why. */
int nvme_parse(int argc, char **argv, struct nvme_opts *o);

/* One point of the sweep. */
struct nvme_point {
	enum nvme_rw rw;
	uint64_t bs;
	unsigned int qd;
	unsigned int batch;		/* <= qd */
	enum nvme_completion completion;
	enum nvme_buffers buffers;
};

/* The points in the order they run; pts NULL: only count them. */
unsigned int nvme_plan(const struct nvme_opts *o, struct nvme_point *pts);
/* Those of one workload (dmabench fio: of one job file). */
unsigned int nvme_plan_rw(const struct nvme_opts *o, enum nvme_rw rw,
			  struct nvme_point *pts);

/* The DMA path and what it was read from. */
struct nvme_dma {
	char path[32];		/* iommu-lazy, direct, fabric-tcp, none... */
	char note[256];		/* how to read it, "" if nothing to add */
	char row_note[320];	/* what each row's note adds: fabrics */
	char dma_dev[PATH_MAX];	/* sysfs dir of the device that does DMA */
	char pci[16];		/* its BDF, "" if not PCI */
	int iommu_group;	/* -1: none */
	char group_type[32];	/* as sysfs spells it, "" if no group */
	char cmdline_word[64];	/* swiotlb=..., "" if none */
};

struct nvme_dev {
	char arg[PATH_MAX];	/* as given */
	char blkdev[PATH_MAX];	/* the block device node: arg, or /dev/<disk> */
	char name[64];		/* block device: nvme0n1, nvme0n1p2, loop0 */
	char disk[64];		/* its whole disk: nvme0n1 */
	char sysfs[PATH_MAX];	/* /sys/class/block/<name> */
	char disk_sysfs[PATH_MAX];
	dev_t rdev;
	bool partition;
	bool nvme;
	uint64_t size;		/* bytes */
	unsigned int lbs;	/* logical block size */
	unsigned int max_hw_kb;	/* largest request, KiB */
	unsigned int nr_requests;
	int io_poll;		/* 1, 0, -1: unknown */
	char ctrl[32];		/* nvme0, "" */
	char transport[16];	/* pcie, rdma, tcp, fc, loop; "" */
	int npaths;		/* controllers behind a multipath disk */
	char model[128];
	char firmware[64];
	char serial[64];
	char ng[PATH_MAX];	/* /dev/ngXnY, "" if none */
	char ng_why[200];	/* why none */
	unsigned int nsid;	/* 0: unknown */
	struct nvme_dma dma;
};

/* Read everything about the device named by arg; 0, or -errno and err[]. */
int nvme_dev_probe(const char *arg, bool passthru, struct nvme_dev *d,
		   char *err, size_t errsz);
/* Where the points ran, for each point's JSON. */
struct json;
void nvme_dev_json(struct json *j, const struct nvme_dev *d);
/* May a poll ring drive it?  0, or -EOPNOTSUPP and why[] with the fix. */
int nvme_dev_poll_check(const struct nvme_dev *d, char *why, size_t whysz);
/*
 * May it be written?  0, or -EBUSY / -EEXIST and err[] naming the check
 * that refused it and the way out.  Nothing is written, nothing is left
 * open.
 */
int nvme_dev_write_check(const struct nvme_dev *d, char *err, size_t errsz);

int nvme_ng_name(const char *disk, char *ng, size_t size);
/*
 * What the rows on an NVMe-over-fabrics namespace say of their DMA share,
 * by transport ("" if nothing); for rdma, soft says whether the RDMA
 * device that serves it is soft RDMA (1), a NIC (0) or cannot be told
 * (-1), and rdma_devs names it ("" if unknown).
 */
void nvme_fabric_note(const char *transport, int soft, const char *rdma_devs,
		      char *buf, size_t size);
int nvme_disk_of_ng(const char *ng, char *disk, size_t size);

/* One point's job: what to do on which descriptor, with which buffers. */
struct nvme_job {
	int fd;			/* block device (O_DIRECT) or ng char device */
	bool passthru;
	bool poll;
	bool fixed;		/* registered buffers */
	bool write;
	bool random;
	unsigned int qd;
	unsigned int batch;	/* <= qd */
	uint64_t bs;
	uint64_t span;		/* a multiple of bs */
	unsigned int nsid;	/* passthru */
	unsigned int lba_shift;	/* passthru */
	void *buf;		/* qd * bs, page aligned */
	uint64_t seed;
};

/* What a phase of the loop did. */
struct nvme_io_result {
	uint64_t ops;		/* completions */
	double seconds;		/* first submit to last reap */
	uint64_t enters;	/* io_uring_enter calls */
	int bad_res;		/* first unexpected cqe->res, 0 if none */
	uint64_t bad_off;	/* its offset */
};

struct nvme_io {
	struct nvme_job job;
	struct io_uring ring;
	bool ring_up;
	unsigned int setup_flags;	/* as the ring was made */
	unsigned int sq_entries, cq_entries;
	bool ring_fd_registered;
	unsigned int sqe_size;		/* 64 or 128 */
	void *tmpl;			/* per slot: its SQE, but the offset */
	uint64_t *t_sub;		/* per slot: submission time, ns */
	uint64_t *off;			/* per slot: its offset, for errors */
	unsigned int *free_slot;	/* stack of idle slots */
	unsigned int nfree;
	unsigned int *sub_slot;		/* slots of the batch under way */
	struct prng rng;
	uint64_t nblocks;		/* span / bs */
	uint64_t next_blk;		/* sequential */
	int expect;			/* cqe->res of a good completion */
};

/* Set by SIGINT, SIGTERM, SIGHUP: finish the phase, then clean up. */
extern volatile sig_atomic_t nvme_stop;

/* The timestamps' meaning, for the record. */
extern const char nvme_io_timing[];

int nvme_io_setup(struct nvme_io *io, const struct nvme_job *job,
		  char *why, size_t whysz);
int nvme_io_run(struct nvme_io *io, double seconds, struct lathist *h,
		struct nvme_io_result *r);
void nvme_io_teardown(struct nvme_io *io);

/* cmd_nvme.c: the checks before the points run, and before each one. */

/* nvme_prep.c: 512, 4k, 1m, as the progress lines write a size. */
void nvme_fmt_bs(char *buf, size_t size, uint64_t bs);
/*
 * Probe the device of o, check it against the options (sizes, span,
 * --path) and, if the points write, for write safety.  0 and the span
 * the points use, or -1 said.
 */
int nvme_prepare_device(const struct nvme_opts *o, bool writes,
			struct nvme_dev *d, uint64_t *span);
/* Can a point not run on d?  Then why[] says why, and how to fix it. */
bool nvme_point_unsupported(const struct nvme_dev *d, bool passthru,
			    const struct nvme_point *pt, char *why,
			    size_t whysz);

/* A run of dmabench nvme, and what a point of it gave. */
struct nvme_outcome {
	enum row_status status;		/* STATUS_NONE: interrupted */
	char note[512];
	struct nvme_io_result res;
	bool profiled;
	struct sysprof_result prof;
	unsigned int setup_flags, sq_entries, cq_entries;
	bool ring_fd_registered;
	uint64_t seed;
	size_t buf_bytes;		/* mapped for the buffers */
	char perf_why[240];		/* --perf-record: why none, or "" */
	char profile[PATH_MAX];		/* its folded stacks, or "" */
};

struct nvme_run {
	struct wl_run wl;		/* the frame's (frame.h) */
	struct nvme_opts o;
	struct nvme_dev dev;
	int fd_blk;			/* O_DIRECT block device, or -1 */
	int fd_ng;			/* the generic char device, or -1 */
	int cpu;
	uint64_t span;			/* bytes of the device in use */
	struct nvme_point *points;	/* wl.npoints of them */
	struct nvme_outcome oc;		/* of the point under way */
	struct lathist hist;
};

/* nvme_out.c: point n's row, its JSON and its latency histogram. */
int nvme_record(struct nvme_run *nr, const struct nvme_point *pt,
		const struct nvme_outcome *oc, unsigned int n);
/*
 * Start a point's JSON in workload/<name> of w: the tool, its keys, its
 * status and note, the device.  0, or -errno if it would not open.  The
 * caller ends it with json_close().
 */
int nvme_json_start(struct json *j, struct wl_out *w, const char *name,
		    const char *tool, const struct workload_row *row,
		    const struct nvme_dev *d);
/* "sysprof": the whole-system figures over window (NULL: unsaid). */
void nvme_json_sysprof(struct json *j, const struct sysprof_result *p,
		       bool profiled, const char *window);

#endif
