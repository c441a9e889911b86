// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench rdma: two RC queue pairs of one device and port, connected to
 * each other, and what runs over them: RDMA WRITE and SEND loops (with
 * registration per message as an option: the pattern of storage
 * targets), and first-touch faults of an on-demand-paging MR.
 *
 * The pair is connected by hand (INIT, RTR, RTS through ibv_modify_qp),
 * not through librdmacm's connection manager.  Both ends live in this
 * process, so there is nothing to exchange: the CM's handshake would add
 * a listener, an event loop over both ends, the rdma_ucm module and a
 * route and neighbour lookup of our own address, none of which the
 * measurement needs and each of which can fail on its own on a soft-RoCE
 * guest.  Done by hand, every attribute the figures depend on (path MTU,
 * GID index and type, retry and RNR settings) is set here and recorded.
 * librdmacm is used where it helps: --addr finds the device and port that
 * own an IP address (rdma_dev.c).  The price: iWARP devices (siw) cannot
 * be connected this way, and their data-path points are unsupported rows.
 *
 * Every message is signalled and posted with its own ibv_post_send; the
 * completion queues are busy-polled.  The clock is read once per round of
 * posts and once per batch of completions: a message's latency runs from
 * the start of the round that posted it (including, with --reg-per-io,
 * its registration) to the poll that reaped it.  No inline data: the
 * device reads every payload from registered memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "rdma.h"
#include "util.h"

#define POLL_BATCH	32
#define WARMUP_MIN	16

struct pair {
	struct ibv_cq *cq_a, *cq_b;
	struct ibv_qp *a, *b;		/* a sends, b receives */
	enum ibv_mtu mtu;
};

struct msgs {
	struct pair q;
	struct hugebuf src, dst;
	struct ibv_mr *src_mr, *dst_mr;
	struct ibv_mr **slot_mr;	/* --reg-per-io: per slot, or NULL */
	uint64_t *posted;		/* when each slot was posted */
	unsigned int *idle;		/* slots free to post */
	unsigned int qd, nidle, inflight;
	unsigned int nrecv;		/* receives b keeps posted */
	uint64_t size;
	bool send, reg_per_io;
};

static int modify(struct ibv_qp *qp, struct ibv_qp_attr *a, int mask,
		  const char *state, struct rdma_result *res)
{
	int err = ibv_modify_qp(qp, a, mask);

	if (err)
		rdma_set(res, STATUS_FAILED, "ibv_modify_qp to %s: %s", state,
			 strerror(err));
	return err;
}

/* One end to RTS, its peer being the queue pair numbered remote. */
static int connect_qp(const struct rdma_dev *d, struct ibv_qp *qp,
		      uint32_t remote, enum ibv_mtu mtu,
		      struct rdma_result *res)
{
	struct ibv_qp_attr a;

	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_INIT;
	a.pkey_index = 0;
	a.port_num = d->port;
	a.qp_access_flags = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
			    IBV_ACCESS_REMOTE_READ;
	if (modify(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
		   IBV_QP_ACCESS_FLAGS, "INIT", res))
		return -1;

	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTR;
	a.path_mtu = mtu;
	a.dest_qp_num = remote;
	a.rq_psn = 0;
	a.max_dest_rd_atomic = 1;
	a.min_rnr_timer = 1;		/* 0.01 ms */
	a.ah_attr.port_num = d->port;
	if (d->ethernet) {
		a.ah_attr.is_global = 1;
		a.ah_attr.grh.dgid = d->gid;
		a.ah_attr.grh.sgid_index = d->gid_index;
		a.ah_attr.grh.hop_limit = 64;
	} else {
		a.ah_attr.dlid = d->pa.lid;
	}
	if (modify(qp, &a, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
		   IBV_QP_DEST_QPN | IBV_QP_RQ_PSN | IBV_QP_MAX_DEST_RD_ATOMIC |
		   IBV_QP_MIN_RNR_TIMER, "RTR", res))
		return -1;

	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTS;
	a.sq_psn = 0;
	a.timeout = 14;			/* 4.096 us * 2^14: 67 ms */
	a.retry_cnt = 7;
	a.rnr_retry = 7;		/* retry for ever on receiver not ready */
	a.max_rd_atomic = 1;
	return modify(qp, &a, IBV_QP_STATE | IBV_QP_TIMEOUT |
		      IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
		      IBV_QP_MAX_QP_RD_ATOMIC, "RTS", res);
}

static void pair_close(struct pair *q)
{
	if (q->a)
		ibv_destroy_qp(q->a);
	if (q->b)
		ibv_destroy_qp(q->b);
	if (q->cq_a)
		ibv_destroy_cq(q->cq_a);
	if (q->cq_b)
		ibv_destroy_cq(q->cq_b);
	memset(q, 0, sizeof(*q));
}

static struct ibv_qp *make_qp(const struct rdma_dev *d, struct ibv_cq *cq,
			      unsigned int send, unsigned int recv,
			      struct rdma_result *res)
{
	struct ibv_qp_init_attr ia;
	struct ibv_qp *qp;

	memset(&ia, 0, sizeof(ia));
	ia.send_cq = cq;
	ia.recv_cq = cq;
	ia.qp_type = IBV_QPT_RC;
	ia.cap.max_send_wr = send;
	ia.cap.max_recv_wr = recv;
	ia.cap.max_send_sge = 1;
	ia.cap.max_recv_sge = 1;
	qp = ibv_create_qp(d->pd, &ia);
	if (!qp)
		rdma_set(res, STATUS_FAILED, "ibv_create_qp (%u sends, %u receives): %s",
			 send, recv, strerror(errno));
	return qp;
}

/* a can have send WRs in flight, b recv receives posted. */
static int pair_open(const struct rdma_dev *d, unsigned int send,
		     unsigned int recv, struct pair *q, struct rdma_result *res)
{
	memset(q, 0, sizeof(*q));
	q->mtu = d->pa.active_mtu;
	q->cq_a = ibv_create_cq(d->ctx, send + 1, NULL, NULL, 0);
	q->cq_b = q->cq_a ? ibv_create_cq(d->ctx, recv + 1, NULL, NULL, 0) : NULL;
	if (!q->cq_b) {
		rdma_set(res, STATUS_FAILED, "ibv_create_cq: %s", strerror(errno));
		goto fail;
	}
	q->a = make_qp(d, q->cq_a, send, 1, res);
	q->b = q->a ? make_qp(d, q->cq_b, 1, recv, res) : NULL;
	if (!q->b)
		goto fail;
	if (connect_qp(d, q->a, q->b->qp_num, q->mtu, res) ||
	    connect_qp(d, q->b, q->a->qp_num, q->mtu, res))
		goto fail;
	res->path_mtu = q->mtu;
	return 0;
fail:
	pair_close(q);
	return -1;
}

/* Can this device and port carry the pair at all?  Else an unsupported row. */
static bool pair_possible(const struct rdma_dev *d, struct rdma_result *res)
{
	char why[256];

	if (!rdma_port_problem(d, why, sizeof(why)))
		return true;
	rdma_set(res, STATUS_UNSUPPORTED, "%s", why);
	return false;
}

static int post_recv(struct msgs *m, unsigned int i, struct rdma_result *res)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)m->dst.p,
		.length = m->size,
		.lkey = m->dst_mr->lkey,
	};
	struct ibv_recv_wr wr = {
		.wr_id = i, .sg_list = &sge, .num_sge = 1,
	}, *bad;
	int err = ibv_post_recv(m->q.b, &wr, &bad);

	if (err)
		rdma_set(res, STATUS_FAILED, "ibv_post_recv: %s", strerror(err));
	return err;
}

static int post_msg(struct rdma_dev *d, struct msgs *m, unsigned int slot,
		    uint64_t now, struct rdma_result *res)
{
	char *addr = (char *)m->src.p + (size_t)slot * m->size;
	struct ibv_sge sge = {
		.addr = (uintptr_t)addr,
		.length = m->size,
	};
	struct ibv_send_wr wr, *bad;
	int err;

	if (m->reg_per_io) {
		m->slot_mr[slot] = ibv_reg_mr(d->pd, addr, m->size,
					      IBV_ACCESS_LOCAL_WRITE);
		if (!m->slot_mr[slot]) {
			rdma_set(res, STATUS_FAILED, "ibv_reg_mr of a message: %s (RLIMIT_MEMLOCK %s)",
				 strerror(errno), d->memlock);
			return -1;
		}
		sge.lkey = m->slot_mr[slot]->lkey;
	} else {
		sge.lkey = m->src_mr->lkey;
	}
	memset(&wr, 0, sizeof(wr));
	wr.wr_id = slot;
	wr.sg_list = &sge;
	wr.num_sge = 1;
	wr.send_flags = IBV_SEND_SIGNALED;
	if (m->send) {
		wr.opcode = IBV_WR_SEND;
	} else {
		wr.opcode = IBV_WR_RDMA_WRITE;
		wr.wr.rdma.remote_addr = (uintptr_t)m->dst.p;
		wr.wr.rdma.rkey = m->dst_mr->rkey;
	}
	err = ibv_post_send(m->q.a, &wr, &bad);
	if (err) {
		rdma_set(res, STATUS_FAILED, "ibv_post_send: %s", strerror(err));
		return -1;
	}
	m->posted[slot] = now;
	m->inflight++;
	return 0;
}

static int reap_one(struct msgs *m, const struct ibv_wc *wc, uint64_t now,
		    struct lathist *lat, struct rdma_result *res)
{
	unsigned int slot = wc->wr_id;
	int err;

	if (wc->status != IBV_WC_SUCCESS) {
		rdma_set(res, STATUS_FAILED, "%s completion: %s (vendor error 0x%x)",
			 m->send ? "SEND" : "RDMA WRITE",
			 ibv_wc_status_str(wc->status), wc->vendor_err);
		return -1;
	}
	if (lat)
		lathist_add(lat, now - m->posted[slot]);
	if (m->reg_per_io) {
		err = ibv_dereg_mr(m->slot_mr[slot]);
		m->slot_mr[slot] = NULL;
		if (err) {
			rdma_set(res, STATUS_FAILED, "ibv_dereg_mr of a message: %s",
				 strerror(err));
			return -1;
		}
	}
	m->idle[m->nidle++] = slot;
	m->inflight--;
	return 0;
}

/*
 * Up to POLL_BATCH completions of cq, of work requests of kind what:
 * how many, all successful; or -1, res saying what failed.
 */
static int poll_ok(struct ibv_cq *cq, const char *what, struct ibv_wc *wc,
		   struct rdma_result *res)
{
	int n = ibv_poll_cq(cq, POLL_BATCH, wc);

	if (n < 0) {
		rdma_set(res, STATUS_FAILED, "ibv_poll_cq (%s) failed", what);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (wc[i].status != IBV_WC_SUCCESS) {
			rdma_set(res, STATUS_FAILED,
				 "%s completion: %s (vendor error 0x%x)", what,
				 ibv_wc_status_str(wc[i].status),
				 wc[i].vendor_err);
			return -1;
		}
	}
	return n;
}

/* b's receives: repost each one consumed. */
static int reap_recvs(struct msgs *m, struct rdma_result *res)
{
	struct ibv_wc wc[POLL_BATCH];
	int n = poll_ok(m->q.cq_b, "RECV", wc, res);

	for (int i = 0; i < n; i++)
		if (post_recv(m, wc[i].wr_id, res))
			return -1;
	return n < 0 ? -1 : 0;
}

/*
 * Post and reap messages: limit of them (the warmup), or as rdma_done()
 * says (the timed phase, which samples into lat).  Every message posted
 * is reaped before the end, which is the last completion.
 */
static int msg_loop(struct rdma_run *r, struct msgs *m, uint64_t limit,
		    struct lathist *lat, struct rdma_result *res)
{
	struct ibv_wc wc[POLL_BATCH];
	uint64_t start = rdma_now_ns(), now = start, last = start;
	uint64_t posted = 0, spins = 0;
	bool posting = true;
	int n;

	for (;;) {
		if (posting && (limit ? rdma_stop || posted >= limit :
				rdma_done(r, posted, start, now)))
			posting = false;
		if (!posting && !m->inflight)
			break;
		if (posting && m->nidle) {
			now = last = rdma_now_ns();
			while (m->nidle && (!limit || posted < limit) &&
			       (limit || !r->o->count || posted < r->o->count)) {
				if (post_msg(r->dev, m, m->idle[--m->nidle], now, res))
					return -1;
				posted++;
			}
		}
		n = ibv_poll_cq(m->q.cq_a, POLL_BATCH, wc);
		if (n < 0) {
			rdma_set(res, STATUS_FAILED, "ibv_poll_cq failed");
			return -1;
		}
		if (n > 0) {
			now = last = rdma_now_ns();
			for (int i = 0; i < n; i++)
				if (reap_one(m, &wc[i], now, lat, res))
					return -1;
			if (lat)
				res->ops += n;
		} else if (!(++spins & 1023)) {
			now = rdma_now_ns();
			if (now - last > RDMA_STALL_NS) {
				rdma_set(res, STATUS_FAILED, "no completion for %llu s with %u messages in flight",
					 RDMA_STALL_NS / 1000000000ULL,
					 m->inflight);
				return -1;
			}
		}
		if (m->send && reap_recvs(m, res))
			return -1;
	}
	if (lat)
		res->seconds = (now - start) / 1e9;
	return 0;
}

static void msgs_close(struct msgs *m)
{
	/* The queue pairs first: nothing may still use an MR. */
	pair_close(&m->q);
	for (unsigned int i = 0; m->slot_mr && i < m->qd; i++)
		if (m->slot_mr[i])
			ibv_dereg_mr(m->slot_mr[i]);
	if (m->src_mr)
		ibv_dereg_mr(m->src_mr);
	if (m->dst_mr)
		ibv_dereg_mr(m->dst_mr);
	hugebuf_free(&m->src);
	hugebuf_free(&m->dst);
	free(m->slot_mr);
	free(m->posted);
	free(m->idle);
}

/* Buffers, MRs and the pair for qd messages of size in flight. */
static int msgs_open(struct rdma_run *r, const struct rdma_point *p,
		     struct msgs *m, struct rdma_result *res)
{
	struct rdma_dev *d = r->dev;
	uint64_t bytes = p->size * p->qd + p->size;
	char why[256];

	m->size = p->size;
	m->send = p->test == RDMA_T_SEND;
	m->reg_per_io = p->reg_per_io;
	m->nrecv = m->send ? 4 * p->qd : 1;
	if (m->nrecv > (unsigned int)d->max_qp_wr)
		m->nrecv = d->max_qp_wr;
	if (p->qd > (unsigned int)d->max_qp_wr) {
		rdma_set(res, STATUS_UNSUPPORTED, "qd %u is over %s's max_qp_wr of %d",
			 p->qd, d->name, d->max_qp_wr);
		return -1;
	}
	if (p->size > d->pa.max_msg_sz) {
		rdma_set(res, STATUS_UNSUPPORTED, "%" PRIu64 " bytes is over the port's max_msg_sz of %u",
			 p->size, d->pa.max_msg_sz);
		return -1;
	}
	if (rdma_mem_check(p->size * p->qd, p->size, bytes, p->huge, why,
			   sizeof(why)) ||
	    hugebuf_alloc(&m->src, p->size * p->qd, p->huge, why, sizeof(why)) ||
	    hugebuf_alloc(&m->dst, p->size, p->huge, why, sizeof(why))) {
		rdma_set(res, STATUS_UNSUPPORTED, "%s", why);
		return -1;
	}
	m->qd = p->qd;
	m->slot_mr = calloc(p->qd, sizeof(*m->slot_mr));
	m->posted = calloc(p->qd, sizeof(*m->posted));
	m->idle = calloc(p->qd, sizeof(*m->idle));
	if (!m->slot_mr || !m->posted || !m->idle) {
		rdma_set(res, STATUS_FAILED, "out of memory");
		return -1;
	}
	for (unsigned int i = 0; i < p->qd; i++)
		m->idle[m->nidle++] = p->qd - 1 - i;
	if (pair_open(d, p->qd, m->nrecv, &m->q, res))
		return -1;
	res->depth = m->nrecv;
	m->dst_mr = ibv_reg_mr(d->pd, m->dst.p, p->size,
			       IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE);
	if (!m->reg_per_io && m->dst_mr)
		m->src_mr = ibv_reg_mr(d->pd, m->src.p, p->size * p->qd,
				       IBV_ACCESS_LOCAL_WRITE);
	if (!m->dst_mr || (!m->reg_per_io && !m->src_mr)) {
		rdma_set(res, STATUS_FAILED, "ibv_reg_mr: %s (RLIMIT_MEMLOCK %s)",
			 strerror(errno), d->memlock);
		return -1;
	}
	for (unsigned int i = 0; m->send && i < m->nrecv; i++)
		if (post_recv(m, i, res))
			return -1;
	return 0;
}

void rdma_msg_run(struct rdma_run *r, const struct rdma_point *p,
		  struct rdma_result *res)
{
	uint64_t warm = 2 * p->qd > WARMUP_MIN ? 2 * p->qd : WARMUP_MIN;
	struct msgs m;

	memset(&m, 0, sizeof(m));
	res->lat = &r->lat;
	res->bytes = p->size;
	if (!pair_possible(r->dev, res) || msgs_open(r, p, &m, res))
		goto out;
	if (msg_loop(r, &m, warm, NULL, res))
		goto out;
	rdma_prof_start(r, res);
	if (msg_loop(r, &m, 0, &r->lat, res)) {
		rdma_prof_stop(r, res);
		goto out;
	}
	rdma_prof_stop(r, res);
	rdma_set(res, STATUS_OK, "%s", "");
out:
	msgs_close(&m);
}

/*
 * Write the whole of dst (chunk bytes per RDMA WRITE, up to qd in
 * flight) from src; 0 once every WRITE has completed.
 */
static int write_region(struct msgs *m, struct ibv_mr *dst_mr, uint64_t size,
			uint64_t chunk, unsigned int qd, struct rdma_result *res)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)m->src.p,
		.lkey = m->src_mr->lkey,
	};
	struct ibv_send_wr wr, *bad;
	struct ibv_wc wc[POLL_BATCH];
	uint64_t off = 0, last = rdma_now_ns(), spins = 0;
	unsigned int inflight = 0;
	int n, err;

	memset(&wr, 0, sizeof(wr));
	wr.sg_list = &sge;
	wr.num_sge = 1;
	wr.opcode = IBV_WR_RDMA_WRITE;
	wr.send_flags = IBV_SEND_SIGNALED;
	wr.wr.rdma.rkey = dst_mr->rkey;
	while (off < size || inflight) {
		while (off < size && inflight < qd) {
			sge.length = size - off < chunk ? size - off : chunk;
			wr.wr.rdma.remote_addr = (uintptr_t)m->dst.p + off;
			err = ibv_post_send(m->q.a, &wr, &bad);
			if (err) {
				rdma_set(res, STATUS_FAILED, "ibv_post_send: %s",
					 strerror(err));
				return -1;
			}
			off += sge.length;
			inflight++;
		}
		n = poll_ok(m->q.cq_a, "RDMA WRITE", wc, res);
		if (n < 0)
			return -1;
		inflight -= n;
		if (n > 0) {
			last = rdma_now_ns();
		} else if (!(++spins & 1023) &&
			   rdma_now_ns() - last > RDMA_STALL_NS) {
			rdma_set(res, STATUS_FAILED, "no completion for %llu s with %u WRITEs in flight",
				 RDMA_STALL_NS / 1000000000ULL, inflight);
			return -1;
		}
	}
	return 0;
}

/* The fault test's buffers: dst (the region), src (one chunk). */
static int fault_open(struct rdma_run *r, const struct rdma_point *p,
		      uint64_t chunk, struct msgs *m, struct rdma_result *res)
{
	struct rdma_dev *d = r->dev;
	char why[256];

	/* The pinned baseline pins the region and the chunk. */
	if (rdma_mem_check(p->size, 0, p->size + chunk, p->huge, why,
			   sizeof(why)) ||
	    rdma_mem_check(chunk, 0, 0, false, why, sizeof(why)) ||
	    hugebuf_alloc(&m->dst, p->size, p->huge, why, sizeof(why)) ||
	    hugebuf_alloc(&m->src, chunk, false, why, sizeof(why))) {
		rdma_set(res, STATUS_UNSUPPORTED, "%s", why);
		return -1;
	}
	if (pair_open(d, p->qd, 1, &m->q, res))
		return -1;
	res->depth = 1;
	m->src_mr = ibv_reg_mr(d->pd, m->src.p, chunk, IBV_ACCESS_LOCAL_WRITE);
	if (!m->src_mr) {
		rdma_set(res, STATUS_FAILED, "ibv_reg_mr: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* WRITEs of the region into a pinned MR: what the faults add to. */
static int fault_baseline(struct rdma_run *r, const struct rdma_point *p,
			  uint64_t chunk, struct msgs *m,
			  struct rdma_result *res)
{
	uint64_t start = rdma_now_ns(), t0, t1 = start, it = 0;

	m->dst_mr = ibv_reg_mr(r->dev->pd, m->dst.p, p->size,
			       IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE);
	if (!m->dst_mr) {
		rdma_set(res, STATUS_FAILED, "ibv_reg_mr (pinned baseline): %s (RLIMIT_MEMLOCK %s)",
			 strerror(errno), r->dev->memlock);
		return -1;
	}
	/* A quarter of the point's time, or of its count (at least one). */
	while (!rdma_stop && (!it || (r->o->count ? it < (r->o->count + 3) / 4 :
				      t1 - start < r->o->seconds * 0.25e9))) {
		t0 = rdma_now_ns();
		if (write_region(m, m->dst_mr, p->size, chunk, p->qd, res))
			return -1;
		t1 = rdma_now_ns();
		lathist_add(&r->lat, t1 - t0);
		it++;
	}
	res->baseline_ns = rdma_ns_per_page(lathist_quantile(&r->lat, 500),
					    p->size);
	lathist_reset(&r->lat);
	ibv_dereg_mr(m->dst_mr);
	m->dst_mr = NULL;
	return 0;
}

void rdma_fault_run(struct rdma_run *r, const struct rdma_point *p,
		    struct rdma_result *res)
{
	struct rdma_dev *d = r->dev;
	uint64_t chunk = p->size, start, t0, t1, t2;
	struct msgs m;
	int err;

	memset(&m, 0, sizeof(m));
	res->lat = &r->lat;
	res->lat2 = &r->lat2;
	res->bytes = p->size;
	if (rdma_no_odp(d, IBV_ODP_SUPPORT_WRITE,
			" for RDMA WRITE on RC queue pairs", res) ||
	    !pair_possible(d, res) || rdma_too_big(d, p, res))
		return;
	if (chunk > RDMA_FAULT_CHUNK)
		chunk = RDMA_FAULT_CHUNK;
	if (chunk > d->pa.max_msg_sz)
		chunk = d->pa.max_msg_sz;
	res->chunk = chunk;
	if (fault_open(r, p, chunk, &m, res) ||
	    fault_baseline(r, p, chunk, &m, res))
		goto out;
	m.dst_mr = rdma_reg_odp(d->pd, m.dst.p, p->size,
				IBV_ACCESS_LOCAL_WRITE |
				IBV_ACCESS_REMOTE_WRITE, res);
	if (!m.dst_mr)
		goto out;
	/* Once untimed. */
	err = rdma_invalidate(&m.dst);
	if (err) {
		rdma_set(res, STATUS_FAILED, "mprotect: %s", strerror(-err));
		goto out;
	}
	if (write_region(&m, m.dst_mr, p->size, chunk, p->qd, res))
		goto out;
	rdma_prof_start(r, res);
	start = t2 = rdma_now_ns();
	while (!rdma_done(r, res->ops, start, t2)) {
		t0 = rdma_now_ns();
		err = rdma_invalidate(&m.dst);
		t1 = rdma_now_ns();
		if (err) {
			rdma_prof_stop(r, res);
			rdma_set(res, STATUS_FAILED, "mprotect: %s", strerror(-err));
			goto out;
		}
		if (write_region(&m, m.dst_mr, p->size, chunk, p->qd, res)) {
			rdma_prof_stop(r, res);
			goto out;
		}
		t2 = rdma_now_ns();
		rdma_op_done(r, res, t2 - t1, t1 - t0);
	}
	rdma_timed_ok(r, res, start, t2);
out:
	msgs_close(&m);
}
