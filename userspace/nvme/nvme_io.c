// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench nvme: the ring of one point and its timed I/O loop.
 *
 * The file is registered (IOSQE_FIXED_FILE) in every mode, and with
 * fixed buffers so are the buffers, one per slot.  Each slot (user_data)
 * has a ready-made SQE: the loop copies it and writes in the offset.
 *
 * The loop keeps up to qd requests in flight and always submits exactly
 * batch of them per io_uring_enter: while batch slots are free it fills
 * them and submits without waiting; when fewer are free it submits and
 * waits in the same call for the completions that free a whole batch,
 * then reaps every completion there is.  Nothing in it allocates, prints
 * or takes a lock.
 */
#include <errno.h>
#include <linux/nvme_ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

#include "nvme.h"

#define NVME_CMD_WRITE	0x01
#define NVME_CMD_READ	0x02

/* Ring flags worth having where the kernel has them (6.0 and later). */
#define CHEAP_FLAGS	(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN)

volatile sig_atomic_t nvme_stop;

const char nvme_io_timing[] =
	"submission: one CLOCK_MONOTONIC read just before the io_uring_enter "
	"that submits the request's batch, shared by the batch; completion: "
	"one read just after the io_uring_enter that returned, shared by every "
	"CQE reaped in that pass; latency = completion - submission";

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void fill_template(struct nvme_io *io, unsigned int slot)
{
	const struct nvme_job *j = &io->job;
	struct io_uring_sqe *sqe = (void *)((char *)io->tmpl +
					    slot * io->sqe_size);
	char *addr = (char *)j->buf + (size_t)slot * j->bs;
	struct nvme_uring_cmd *cmd;

	memset(sqe, 0, io->sqe_size);
	sqe->fd = 0;
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->user_data = slot;
	if (j->passthru) {
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->cmd_op = NVME_URING_CMD_IO;
		if (j->fixed) {
			sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
			sqe->buf_index = slot;
		}
		cmd = (struct nvme_uring_cmd *)sqe->cmd;
		cmd->opcode = j->write ? NVME_CMD_WRITE : NVME_CMD_READ;
		cmd->nsid = j->nsid;
		cmd->addr = (uintptr_t)addr;
		cmd->data_len = j->bs;
		cmd->cdw12 = (j->bs >> j->lba_shift) - 1;	/* 0-based */
		return;
	}
	if (j->fixed) {
		sqe->opcode = j->write ? IORING_OP_WRITE_FIXED :
					 IORING_OP_READ_FIXED;
		sqe->buf_index = slot;
	} else {
		sqe->opcode = j->write ? IORING_OP_WRITE : IORING_OP_READ;
	}
	sqe->addr = (uintptr_t)addr;
	sqe->len = j->bs;
}

static int alloc_slots(struct nvme_io *io)
{
	unsigned int qd = io->job.qd;

	io->tmpl = aligned_alloc(64, (size_t)qd * io->sqe_size);
	io->t_sub = calloc(qd, sizeof(*io->t_sub));
	io->off = calloc(qd, sizeof(*io->off));
	io->free_slot = calloc(qd, sizeof(*io->free_slot));
	io->sub_slot = calloc(qd, sizeof(*io->sub_slot));
	if (!io->tmpl || !io->t_sub || !io->off || !io->free_slot ||
	    !io->sub_slot)
		return -ENOMEM;
	for (unsigned int i = 0; i < qd; i++) {
		fill_template(io, i);
		io->free_slot[i] = qd - 1 - i;
	}
	io->nfree = qd;
	return 0;
}

static int make_ring(struct nvme_io *io, char *why, size_t whysz)
{
	unsigned int base = 0;
	struct io_uring_params p;
	int ret;

	if (io->job.poll)
		base |= IORING_SETUP_IOPOLL;
	if (io->job.passthru)
		base |= IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
	io->setup_flags = base | CHEAP_FLAGS;
	memset(&p, 0, sizeof(p));
	p.flags = io->setup_flags;
	ret = io_uring_queue_init_params(io->job.qd, &io->ring, &p);
	if (ret == -EINVAL) {
		io->setup_flags = base;
		memset(&p, 0, sizeof(p));
		p.flags = base;
		ret = io_uring_queue_init_params(io->job.qd, &io->ring, &p);
	}
	if (ret == -EINVAL && io->job.passthru) {
		snprintf(why, whysz,
			 "the kernel refused a ring with 128-byte SQEs and 32-byte CQEs (passthrough needs 5.19 or later)");
		return -EOPNOTSUPP;
	}
	if (ret == -EPERM) {
		snprintf(why, whysz,
			 "io_uring_setup: not permitted (is kernel.io_uring_disabled set?)");
		return ret;
	}
	if (ret < 0) {
		snprintf(why, whysz, "io_uring_setup(%u entries, flags 0x%x): %s",
			 io->job.qd, base, strerror(-ret));
		return ret;
	}
	io->ring_up = true;
	io->sq_entries = p.sq_entries;
	io->cq_entries = p.cq_entries;
	if (p.sq_entries < io->job.qd) {
		snprintf(why, whysz, "the ring has %u entries, fewer than qd %u",
			 p.sq_entries, io->job.qd);
		return -ERANGE;
	}
	return 0;
}

static int register_all(struct nvme_io *io, char *why, size_t whysz)
{
	const struct nvme_job *j = &io->job;
	struct iovec *iov;
	int ret;

	ret = io_uring_register_files(&io->ring, &j->fd, 1);
	if (ret < 0) {
		snprintf(why, whysz, "io_uring_register_files: %s", strerror(-ret));
		return ret;
	}
	/* Spares io_uring_enter a file lookup of the ring; a bonus. */
	io->ring_fd_registered = io_uring_register_ring_fd(&io->ring) == 1;
	if (!j->fixed)
		return 0;
	iov = calloc(j->qd, sizeof(*iov));
	if (!iov) {
		snprintf(why, whysz, "out of memory");
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < j->qd; i++) {
		iov[i].iov_base = (char *)j->buf + (size_t)i * j->bs;
		iov[i].iov_len = j->bs;
	}
	ret = io_uring_register_buffers(&io->ring, iov, j->qd);
	free(iov);
	if (ret < 0) {
		snprintf(why, whysz, "io_uring_register_buffers(%u x %llu bytes): %s%s",
			 j->qd, (unsigned long long)j->bs, strerror(-ret),
			 ret == -ENOMEM ? " (locked-memory limit? see ulimit -l)" : "");
		return ret;
	}
	return 0;
}

int nvme_io_setup(struct nvme_io *io, const struct nvme_job *job,
		  char *why, size_t whysz)
{
	int ret;

	memset(io, 0, sizeof(*io));
	io->job = *job;
	io->sqe_size = job->passthru ? 128 : 64;
	io->nblocks = job->span / job->bs;
	io->expect = job->passthru ? 0 : (int)job->bs;
	prng_seed(&io->rng, job->seed);
	ret = alloc_slots(io);
	if (ret) {
		snprintf(why, whysz, "out of memory for %u slots", job->qd);
		return ret;
	}
	ret = make_ring(io, why, whysz);
	if (!ret)
		ret = register_all(io, why, whysz);
	return ret;
}

/* Take a free slot, copy its SQE into the ring, write the offset in. */
static inline void prep(struct nvme_io *io, unsigned int slot)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&io->ring);
	const struct nvme_job *j = &io->job;
	struct nvme_uring_cmd *cmd;
	uint64_t blk, off, slba;

	if (j->random) {
		blk = (uint64_t)(((unsigned __int128)prng_next(&io->rng) *
				  io->nblocks) >> 64);
	} else {
		blk = io->next_blk;
		io->next_blk = blk + 1 == io->nblocks ? 0 : blk + 1;
	}
	off = blk * j->bs;
	io->off[slot] = off;
	if (j->passthru) {
		memcpy(sqe, (char *)io->tmpl + slot * 128, 128);
		cmd = (struct nvme_uring_cmd *)sqe->cmd;
		slba = off >> j->lba_shift;
		cmd->cdw10 = (uint32_t)slba;
		cmd->cdw11 = (uint32_t)(slba >> 32);
	} else {
		memcpy(sqe, (char *)io->tmpl + slot * 64, 64);
		sqe->off = off;
	}
}

/*
 * Run for seconds (then drain), adding every completion's latency to h.
 * 0; -EINTR when a second signal asks to give up waiting; or the error
 * of io_uring_enter.  A completion with an unexpected result stops the
 * phase and is in r->bad_res.
 */
int nvme_io_run(struct nvme_io *io, double seconds, struct lathist *h,
		struct nvme_io_result *r)
{
	const unsigned int qd = io->job.qd, batch = io->job.batch;
	struct io_uring *ring = &io->ring;
	unsigned int inflight = 0, wait, head, n, slot;
	struct io_uring_cqe *cqe;
	bool stopping = false;
	uint64_t t, t0, end;
	int ret;

	memset(r, 0, sizeof(*r));
	t0 = now_ns();
	end = t0 + (uint64_t)(seconds * 1e9);
	for (;;) {
		if (!stopping && qd - inflight >= batch) {
			for (unsigned int i = 0; i < batch; i++) {
				slot = io->free_slot[--io->nfree];
				io->sub_slot[i] = slot;
				prep(io, slot);
			}
			t = now_ns();
			for (unsigned int i = 0; i < batch; i++)
				io->t_sub[io->sub_slot[i]] = t;
			inflight += batch;
		}
		/* Free slots for the next batch, or all of them at the end. */
		if (stopping)
			wait = inflight;
		else if (qd - inflight >= batch)
			wait = 0;
		else
			wait = batch - (qd - inflight);
		ret = io_uring_submit_and_wait(ring, wait);
		r->enters++;
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY)
			return ret;
		if (ret == -EINTR && nvme_stop > 1)
			return -EINTR;
		t = now_ns();
		n = 0;
		io_uring_for_each_cqe(ring, head, cqe) {
			slot = cqe->user_data;
			if (__builtin_expect(cqe->res != io->expect, 0) &&
			    !r->bad_res) {
				r->bad_res = cqe->res ? cqe->res : -EIO;
				r->bad_off = io->off[slot];
			}
			lathist_add(h, t - io->t_sub[slot]);
			io->free_slot[io->nfree++] = slot;
			n++;
		}
		io_uring_cq_advance(ring, n);
		inflight -= n;
		r->ops += n;
		if (!stopping && (t >= end || nvme_stop || r->bad_res))
			stopping = true;
		if (stopping && !inflight)
			break;
	}
	r->seconds = (t - t0) / 1e9;
	return 0;
}

void nvme_io_teardown(struct nvme_io *io)
{
	if (io->ring_up) {
		if (io->job.fixed)
			io_uring_unregister_buffers(&io->ring);
		io_uring_unregister_files(&io->ring);
		io_uring_queue_exit(&io->ring);
	}
	io->ring_up = false;
	free(io->tmpl);
	free(io->t_sub);
	free(io->off);
	free(io->free_slot);
	free(io->sub_slot);
	io->tmpl = NULL;
	io->t_sub = io->off = NULL;
	io->free_slot = io->sub_slot = NULL;
}
