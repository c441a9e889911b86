// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: one run, from the ioctl to its samples.
 *
 * The ioctl validates the request, allocates every thread's buffers on the
 * chosen NUMA node, makes one untimed mapping to see which path the device
 * takes, then starts one kernel thread per CPU.  The threads wait at a
 * barrier until all have started, time their loops (dmabench_time.c) and
 * signal completion.  A signal to the caller, or the removal of the PCI
 * device mapped for (dmabench_targets.c), stops them between windows.
 * Everything is unmapped and freed before the ioctl returns, on every path.
 *
 * One run at a time: dmabench_run_lock, taken with mutex_trylock(), so a
 * second caller gets -EBUSY at once rather than waiting behind a run of up
 * to DMABENCH_RUN_LIMIT_S.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <linux/uaccess.h>
#include "dmabench.h"

DEFINE_RATELIMIT_STATE(dmabench_refusals, 5 * HZ, 100);

static DEFINE_MUTEX(dmabench_run_lock);

/*
 * The uapi's own values (dmabench_uapi.h) in the kernel's terms: the one
 * place that knows both.  A value the uapi does not define is refused.
 */
static const enum dma_data_direction dmabench_dirs[DMABENCH_DIR_COUNT] = {
	[DMABENCH_DIR_BIDIRECTIONAL] = DMA_BIDIRECTIONAL,
	[DMABENCH_DIR_TO_DEVICE] = DMA_TO_DEVICE,
	[DMABENCH_DIR_FROM_DEVICE] = DMA_FROM_DEVICE,
};

static const struct {
	u32 uapi;
	unsigned long kernel;
} dmabench_attrs[] = {
	{ DMABENCH_ATTR_SKIP_CPU_SYNC, DMA_ATTR_SKIP_CPU_SYNC },
};

/* A run's direction, attributes and node, as the kernel spells them. */
struct dmabench_kvals {
	enum dma_data_direction dir;
	unsigned long attrs;
	int node;		/* NUMA_NO_NODE: each thread's CPU's */
};

/* NULL, or why a value is not the uapi's. */
static const char *dmabench_translate(const struct dmabench_run *r,
				      struct dmabench_kvals *k)
{
	u32 left = r->attrs;
	unsigned int i;

	if (r->dir >= DMABENCH_DIR_COUNT)
		return "dir must be 0 (bidirectional), 1 (to device) or 2 (from device)";
	k->dir = dmabench_dirs[array_index_nospec(r->dir, DMABENCH_DIR_COUNT)];

	k->attrs = 0;
	for (i = 0; i < ARRAY_SIZE(dmabench_attrs); i++) {
		if (!(left & dmabench_attrs[i].uapi))
			continue;
		k->attrs |= dmabench_attrs[i].kernel;
		left &= ~dmabench_attrs[i].uapi;
	}
	if (left)
		return "attrs may hold DMABENCH_ATTR_SKIP_CPU_SYNC only";

	if (r->node == DMABENCH_NODE_CPU) {
		k->node = NUMA_NO_NODE;
		return NULL;
	}
	if (r->node < 0 || r->node >= MAX_NUMNODES || !node_online(r->node))
		return "node must be -1 or an online NUMA node";
	k->node = r->node;
	return NULL;
}

static int dmabench_thread_fn(void *data)
{
	struct dmabench_thread *t = data;
	struct dmabench_params *shared = t->shared;

	/* Start together: each thread spins until all have arrived. */
	atomic_inc(&shared->ready);
	while (atomic_read(&shared->ready) < t->p->nthreads &&
	       !READ_ONCE(shared->stop))
		cpu_relax();
	t->ret = dmabench_time(t);
	/* Never return into this module's text once the run may end. */
	kthread_complete_and_exit(&t->done, 0);
}

static int dmabench_validate(const struct dmabench_run *r,
			     struct dmabench_kvals *k)
{
	const char *why = NULL;

	if (r->api >= DMABENCH_API_COUNT)
		why = "unknown api";
	else if (r->target >= DMABENCH_TARGET_COUNT)
		why = "unknown target";
	else if (!r->bytes || r->bytes > DMABENCH_MAX_BYTES)
		why = "bytes must be 1 to 4 MiB";
	else if (r->offset >= PAGE_SIZE)
		why = "offset must be below PAGE_SIZE";
	else if (r->offset + r->bytes > DMABENCH_MAX_BYTES)
		why = "offset + bytes must be at most 4 MiB";
	else if (r->api == DMABENCH_API_SG &&
		 (!r->nents || r->nents > DMABENCH_MAX_NENTS))
		why = "nents must be 1 to 256 for sg";
	else if (r->api != DMABENCH_API_SG && r->nents > 1)
		why = "nents is for sg only";
	else if (r->api == DMABENCH_API_SG && r->offset + r->bytes > SZ_2M)
		why = "sg entries must be at most 2 MiB";
	else if (!r->samples || r->samples > DMABENCH_MAX_SAMPLES)
		why = "samples must be 1 to 1048576";
	else if (r->warmup > DMABENCH_MAX_SAMPLES)
		why = "warmup must be at most 1048576";
	else if (!r->samples_ptr)
		why = "no sample buffer";
	else if (!r->batch || r->batch > r->working_set)
		why = "batch must be 1 to working_set";
	else if (r->working_set * (u64)max(r->nents, 1U) > DMABENCH_MAX_BUFFERS)
		why = "working_set (times nents for sg) must be at most 4096";
	else if (!r->threads || r->threads > DMABENCH_MAX_THREADS)
		why = "threads must be 1 to 64";
	else if (r->threads > 1 && !r->cpus_ptr)
		why = "more than one thread needs cpus_ptr";
	else if (r->flags & ~(DMABENCH_RUN_COUNTERS | DMABENCH_RUN_TRACE))
		why = "unknown flags";
	else if ((r->flags & DMABENCH_RUN_TRACE) && r->threads > 1)
		why = "a traced run has one thread";
	else if (!(r->flags & DMABENCH_RUN_TRACE) && r->trace_tag)
		why = "trace_tag without DMABENCH_RUN_TRACE";
	else if ((r->flags & DMABENCH_RUN_COUNTERS) && !r->counters_ptr)
		why = "counters asked for without counters_ptr";
	else
		why = dmabench_translate(r, k);

	if (!why)
		return 0;
	if (!__ratelimit(&dmabench_refusals))
		return -EINVAL;
	pr_err("refused run (api %u target %u dir %u bytes %llu offset %u nents %u attrs %#x samples %u warmup %u batch %u working_set %u threads %u node %d flags %#x): %s\n",
	       r->api, r->target, r->dir, r->bytes, r->offset, r->nents,
	       r->attrs, r->samples, r->warmup, r->batch, r->working_set,
	       r->threads, r->node, r->flags, why);
	return -EINVAL;
}

/* Each thread's CPU: online, and no two threads on one. */
static int dmabench_cpus(const struct dmabench_run *r,
			 struct dmabench_thread *th)
{
	u32 __user *ucpus = u64_to_user_ptr(r->cpus_ptr);
	cpumask_var_t seen;
	u32 i, cpu;
	int ret = 0;

	if (!r->cpus_ptr) {
		th[0].cpu = raw_smp_processor_id();
		return 0;
	}
	if (!zalloc_cpumask_var(&seen, GFP_KERNEL))
		return -ENOMEM;
	for (i = 0; i < r->threads; i++) {
		if (get_user(cpu, &ucpus[i])) {
			ret = -EFAULT;
			break;
		}
		if (cpu >= nr_cpu_ids || !cpu_online(cpu) ||
		    cpumask_test_and_set_cpu(cpu, seen)) {
			if (__ratelimit(&dmabench_refusals))
				pr_err("refused run: CPU %u of thread %u is offline, unknown or taken by another thread\n",
				       cpu, i);
			ret = -EINVAL;
			break;
		}
		th[i].cpu = cpu;
	}
	free_cpumask_var(seen);
	return ret;
}

/*
 * RESOURCE: from one buffer's slice of the BAR to the next, a whole number
 * of cache lines (dmabench_buf.c).
 */
static u64 dmabench_mmio_stride(const struct dmabench_run *r)
{
	return ALIGN((u64)r->offset + r->bytes, L1_CACHE_BYTES);
}

/* A point this kernel or device cannot take: say why, map nothing. */
static u32 dmabench_unsupported(const struct dmabench_dev *d,
				const struct dmabench_run *r)
{
	bool bounded = r->api != DMABENCH_API_NONE &&
		       r->api != DMABENCH_API_RESOURCE;

	if (!d->dev)
		return DMABENCH_UNSUP_NO_TARGET;
#ifndef DMABENCH_HAVE_PHYS
	if (r->api == DMABENCH_API_PHYS || r->api == DMABENCH_API_PHYS_PAGE)
		return DMABENCH_UNSUP_NO_PHYS;
#endif
#ifndef DMABENCH_HAVE_IOVA
	if (r->api == DMABENCH_API_IOVA)
		return DMABENCH_UNSUP_NO_IOVA;
#endif
	if (r->api == DMABENCH_API_RESOURCE && !d->mmio)
		return DMABENCH_UNSUP_NO_MMIO;
	if (r->api == DMABENCH_API_RESOURCE &&
	    ((u64)r->threads * r->working_set - 1) * dmabench_mmio_stride(r) +
	    r->offset + r->bytes > d->mmio_len)
		return DMABENCH_UNSUP_MMIO_SMALL;
	if (r->api == DMABENCH_API_SG &&
	    r->bytes > dma_get_max_seg_size(d->dev))
		return DMABENCH_UNSUP_SEG_TOO_BIG;
	if (bounded && r->bytes > dma_max_mapping_size(d->dev))
		return DMABENCH_UNSUP_TOO_BIG;
	return DMABENCH_UNSUP_NONE;
}

/* Everything but stop and removed, which remove may already have set. */
static void dmabench_params_init(struct dmabench_params *p,
				 const struct dmabench_dev *d,
				 const struct dmabench_run *r,
				 const struct dmabench_kvals *k)
{
	u64 khz = dmabench_tsc_khz();

	p->dev = d->dev;
	p->api = r->api;
	p->dir = k->dir;
	p->attrs = k->attrs;
	p->bytes = r->bytes;
	p->offset = r->offset;
	p->order = get_order(r->offset + r->bytes);
	p->nents = r->api == DMABENCH_API_SG ? r->nents : 1;
	p->mmio = d->mmio + r->offset;
	p->mmio_stride = dmabench_mmio_stride(r);
	p->nsamples = r->samples;
	p->warmup = r->warmup;
	p->batch = r->batch;
	p->wset = r->working_set;
	p->nthreads = r->threads;
	p->window_ticks = div_u64(khz * DMABENCH_WINDOW_US, 1000);
	p->trace = r->flags & DMABENCH_RUN_TRACE;
	p->trace_tag = r->trace_tag;
	atomic_set(&p->ready, 0);
}

/*
 * Start every thread, wait for all; a signal, or PCI remove through
 * p->stop, stops them early.
 */
static int dmabench_run_threads(struct dmabench_params *p,
				struct dmabench_thread *th)
{
	u32 i, started = 0;
	int ret = 0;

	for (i = 0; i < p->nthreads; i++) {
		th[i].task = kthread_create_on_node(dmabench_thread_fn, &th[i],
						    th[i].node, "dmabench/%u",
						    th[i].cpu);
		if (IS_ERR(th[i].task)) {
			ret = PTR_ERR(th[i].task);
			th[i].task = NULL;
			break;
		}
		kthread_bind(th[i].task, th[i].cpu);
	}
	for (i = 0; !ret && i < p->nthreads; i++, started++)
		wake_up_process(th[i].task);
	for (i = 0; i < started; i++) {
		if (wait_for_completion_interruptible(&th[i].done)) {
			WRITE_ONCE(p->stop, true);
			ret = -EINTR;
			wait_for_completion(&th[i].done);
		}
		if (!ret)
			ret = th[i].ret;
	}
	/* Threads made but never woken (one failed to start) stop unrun. */
	for (i = started; i < p->nthreads && th[i].task; i++)
		kthread_stop(th[i].task);
	return ret;
}

static int dmabench_copy_out(const struct dmabench_run *r,
			     struct dmabench_thread *th)
{
	u64 __user *samples = u64_to_user_ptr(r->samples_ptr);
	u64 __user *counts = u64_to_user_ptr(r->counters_ptr);
	size_t n = 3 * (size_t)r->samples;
	u32 i;

	for (i = 0; i < r->threads; i++) {
		if (copy_to_user(samples + i * n, th[i].samples,
				 n * sizeof(u64)))
			return -EFAULT;
		if ((r->flags & DMABENCH_RUN_COUNTERS) &&
		    copy_to_user(counts + i * DMABENCH_NR_COUNTERS,
				 th[i].counts, sizeof(th[i].counts)))
			return -EFAULT;
	}
	return 0;
}

static void dmabench_results(struct dmabench_run *r,
			     struct dmabench_thread *th)
{
	u64 first = U64_MAX, last = 0;
	u32 i, c;

	r->cpu = th[0].cpu;
	for (i = 0; i < r->threads; i++) {
		r->windows += th[i].windows;
		r->max_window_ticks = max(r->max_window_ticks,
					  th[i].max_window);
		first = min(first, th[i].start);
		last = max(last, th[i].end);
		for (c = 0; c < DMABENCH_NR_COUNTERS; c++)
			if (th[i].read_err[c] && !r->counter_err[c])
				r->counter_err[c] = th[i].read_err[c];
	}
	r->wall_ticks = last - first;
}

/* The run's buffers and counters, one thread after another. */
static int dmabench_setup(struct dmabench_params *p,
			  struct dmabench_thread *th, struct dmabench_run *r,
			  const struct dmabench_kvals *k)
{
	u32 i;
	int ret;

	for (i = 0; i < r->threads; i++) {
		th[i].p = p;
		th[i].shared = p;
		th[i].index = i;
		th[i].node = k->node == NUMA_NO_NODE ? cpu_to_node(th[i].cpu) :
						       k->node;
		init_completion(&th[i].done);
		ret = dmabench_bufs_alloc(&th[i]);
		if (ret)
			return ret;
		if (r->flags & DMABENCH_RUN_COUNTERS)
			dmabench_pmu_open(&th[i], r->counter_err);
	}
	return 0;
}

long dmabench_run(struct dmabench_run *r)
{
	struct dmabench_params p = {};
	struct dmabench_thread *th;
	struct dmabench_kvals k;
	struct dmabench_dev d;
	u32 i;
	long ret;

	ret = dmabench_validate(r, &k);
	if (ret)
		return ret;
	if (!mutex_trylock(&dmabench_run_lock))
		return -EBUSY;
	r->unsupported = DMABENCH_UNSUP_NONE;
	r->observed = DMABENCH_OBS_NONE;
	r->tsc_khz = dmabench_tsc_khz();
	r->windows = 0;
	r->max_window_ticks = 0;
	r->wall_ticks = 0;
	memset(r->counter_err, 0, sizeof(r->counter_err));

	th = kcalloc(r->threads, sizeof(*th), GFP_KERNEL);
	if (!th) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = dmabench_cpus(r, th);
	if (ret)
		goto out_free;

	/* From here until dmabench_target_put(), remove waits for the run. */
	dmabench_target_get(r->target, &p, &d);
	r->unsupported = dmabench_unsupported(&d, r);
	if (r->unsupported)
		goto out_put;

	dmabench_params_init(&p, &d, r, &k);
	ret = dmabench_setup(&p, th, r, &k);
	if (ret)
		goto out_threads;
	ret = dmabench_observe(&th[0], r);
	if (ret || r->unsupported)
		goto out_threads;

	/* Removed after the set-up looked: no thread needs to start. */
	if (READ_ONCE(p.stop)) {
		ret = -EINTR;
		goto out_threads;
	}
	/* The deadline counts from the start of timing, not of allocation. */
	p.deadline = dmabench_now() +
		     dmabench_tsc_khz() * 1000 * DMABENCH_RUN_LIMIT_S;
	ret = dmabench_run_threads(&p, th);
	dmabench_results(r, th);
	if (!ret)
		ret = dmabench_copy_out(r, th);

out_threads:
	for (i = 0; i < r->threads; i++) {
		dmabench_pmu_close(&th[i]);
		if (th[i].p)
			dmabench_bufs_free(&th[i]);
	}
out_put:
	/* Nothing is mapped now: remove may go on. */
	if (dmabench_target_put(&p))
		ret = -ENODEV;
out_free:
	kfree(th);
out_unlock:
	mutex_unlock(&dmabench_run_lock);
	return ret;
}
