// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: the timed loop of one thread.
 *
 * Each operation is bracketed by serialised TSC reads (rdtsc_ordered()):
 *
 *	t0 = ticks(); map; check; t1 = ticks();   ... later ...
 *	t2 = ticks(); unmap; t3 = ticks();
 *
 * and stores t1 - t0 (map), t3 - t2 (unmap) and their sum (pair).  "map"
 * includes dma_mapping_error(), as every caller pays it.  A thread maps
 * `batch` buffers of its working set, then unmaps them in the same order;
 * with batch 1 that is map, unmap, repeat.
 *
 * The loop runs with interrupts off, in windows that close once they have
 * lasted DMABENCH_WINDOW_US (a window always holds at least one batch);
 * between windows it reschedules and checks whether to stop.  The PMU
 * counters, if any, are read only just outside each window.  The loop body is
 * compiled once per API (dmabench_loop() is always inlined with a constant
 * API), so no API pays for another's dispatch; the DMABENCH_API_NONE
 * instance measures what is left: the harness itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include "dmabench.h"

#ifdef CONFIG_X86
#include <asm/tsc.h>
#elif defined(CONFIG_ARM64)
#include <asm/arch_timer.h>
#endif

/*
 * x86: the TSC, serialised.  arm64: the virtual counter, CNTVCT_EL0, read by
 * the kernel's own helper: an isb before the read (or the self-synchronising
 * CNTVCTSS_EL0 where the CPU has FEAT_ECV) and a dependency that keeps later
 * loads after it.  Under QEMU -icount shift=0 with a 1 GHz CNTFRQ_EL0 it
 * advances one tick per guest instruction.
 */
static __always_inline u64 dmabench_ticks(void)
{
#ifdef CONFIG_X86
	return rdtsc_ordered();
#elif defined(CONFIG_ARM64)
	return __arch_counter_get_cntvct();
#else
	return ktime_get_ns();
#endif
}

u32 dmabench_clock(void)
{
#ifdef CONFIG_X86
	return DMABENCH_CLOCK_TSC;
#elif defined(CONFIG_ARM64)
	return DMABENCH_CLOCK_CNTVCT;
#else
	return DMABENCH_CLOCK_KTIME;
#endif
}

/* Ticks of dmabench_ticks() per millisecond. */
u64 dmabench_tsc_khz(void)
{
#ifdef CONFIG_X86
	return tsc_khz;
#elif defined(CONFIG_ARM64)
	return arch_timer_get_cntfrq() / 1000;
#else
	return 1000000;	/* ktime_get_ns(): one tick is one nanosecond */
#endif
}

#ifdef DMABENCH_HAVE_IOVA
/* -EOPNOTSUPP: the device does not map through dma-iommu. */
static __always_inline int dmabench_iova_map(const struct dmabench_params *p,
					     const struct dmabench_buf *b,
					     struct dmabench_mapping *m)
{
	int ret;

	memset(&m->iova, 0, sizeof(m->iova));
	if (!dma_iova_try_alloc(p->dev, &m->iova, b->phys, p->bytes))
		return -EOPNOTSUPP;
	ret = dma_iova_link(p->dev, &m->iova, b->phys, 0, p->bytes, p->dir,
			    p->attrs);
	if (ret)
		goto err_free;
	ret = dma_iova_sync(p->dev, &m->iova, 0, p->bytes);
	if (ret)
		goto err_unlink;
	return 0;

err_unlink:
	dma_iova_unlink(p->dev, &m->iova, 0, p->bytes, p->dir, p->attrs);
err_free:
	dma_iova_free(p->dev, &m->iova);
	return ret;
}
#endif

static __always_inline int dmabench_map(const struct dmabench_params *p,
					const u32 api, struct dmabench_buf *b,
					struct dmabench_mapping *m)
{
	switch (api) {
	case DMABENCH_API_NONE:
		return 0;
	case DMABENCH_API_PAGE:
		m->addr = dma_map_page_attrs(p->dev, b->page, p->offset,
					     p->bytes, p->dir, p->attrs);
		break;
#ifdef DMABENCH_HAVE_PHYS
	case DMABENCH_API_PHYS:
		m->addr = dma_map_phys(p->dev, b->phys, p->bytes, p->dir,
				       p->attrs);
		break;
	case DMABENCH_API_PHYS_PAGE:
		/* What a caller holding a page does: convert, then map. */
		m->addr = dma_map_phys(p->dev,
				       page_to_phys(b->page) + p->offset,
				       p->bytes, p->dir, p->attrs);
		break;
#endif
	case DMABENCH_API_SINGLE:
		m->addr = dma_map_single_attrs(p->dev, b->kbuf + p->offset,
					       p->bytes, p->dir, p->attrs);
		break;
	case DMABENCH_API_RESOURCE:
		m->addr = dma_map_resource(p->dev, b->mmio, p->bytes, p->dir,
					   p->attrs);
		break;
	case DMABENCH_API_SG:
		return dma_map_sgtable(p->dev, &b->sgt, p->dir, p->attrs);
#ifdef DMABENCH_HAVE_IOVA
	case DMABENCH_API_IOVA:
		return dmabench_iova_map(p, b, m);
#endif
	default:
		return -EOPNOTSUPP;
	}
	return dma_mapping_error(p->dev, m->addr) ? -EIO : 0;
}

static __always_inline void dmabench_unmap(const struct dmabench_params *p,
					   const u32 api,
					   struct dmabench_buf *b,
					   struct dmabench_mapping *m)
{
	switch (api) {
	case DMABENCH_API_PAGE:
		dma_unmap_page_attrs(p->dev, m->addr, p->bytes, p->dir,
				     p->attrs);
		break;
#ifdef DMABENCH_HAVE_PHYS
	case DMABENCH_API_PHYS:
	case DMABENCH_API_PHYS_PAGE:
		dma_unmap_phys(p->dev, m->addr, p->bytes, p->dir, p->attrs);
		break;
#endif
	case DMABENCH_API_SINGLE:
		dma_unmap_single_attrs(p->dev, m->addr, p->bytes, p->dir,
				       p->attrs);
		break;
	case DMABENCH_API_RESOURCE:
		dma_unmap_resource(p->dev, m->addr, p->bytes, p->dir,
				   p->attrs);
		break;
	case DMABENCH_API_SG:
		dma_unmap_sgtable(p->dev, &b->sgt, p->dir, p->attrs);
		break;
#ifdef DMABENCH_HAVE_IOVA
	case DMABENCH_API_IOVA:
		dma_iova_destroy(p->dev, &m->iova, p->bytes, p->dir, p->attrs);
		break;
#endif
	default:
		break;
	}
}

/* Between two IRQ-off windows: let others run, and stop when asked to. */
static int dmabench_between_windows(struct dmabench_thread *t)
{
	cond_resched();
	if (READ_ONCE(t->shared->stop))
		return -EINTR;
	if (dmabench_ticks() > t->p->deadline) {
		pr_err("cpu %u: run took over %d s: ask for fewer samples\n",
		       t->cpu, DMABENCH_RUN_LIMIT_S);
		return -ETIME;
	}
	return 0;
}

/*
 * One batch: map n buffers from `next` on, then unmap them.  Stores the
 * samples of the operations past the warm-up.  On a mapping error, what was
 * mapped is unmapped (untimed) before returning.
 */
static __always_inline int dmabench_batch(struct dmabench_thread *t,
					  const u32 api, u32 done, u32 n,
					  u32 next)
{
	const struct dmabench_params *p = t->p;
	u64 t0, t1, *s;
	u32 k, b;
	int ret;

	for (k = 0, b = next; k < n; k++, b = b + 1 == p->wset ? 0 : b + 1) {
		t0 = dmabench_ticks();
		ret = dmabench_map(p, api, &t->bufs[b], &t->maps[k]);
		t1 = dmabench_ticks();
		if (unlikely(ret))
			goto err_unmap;
		t->map_ticks[k] = t1 - t0;
	}
	for (k = 0, b = next; k < n; k++, b = b + 1 == p->wset ? 0 : b + 1) {
		t0 = dmabench_ticks();
		dmabench_unmap(p, api, &t->bufs[b], &t->maps[k]);
		t1 = dmabench_ticks();
		if (done + k < p->warmup)
			continue;
		s = &t->samples[3 * (done + k - p->warmup)];
		s[0] = t->map_ticks[k];
		s[1] = t1 - t0;
		s[2] = s[0] + s[1];
	}
	return 0;

err_unmap:
	pr_err("cpu %u: mapping %u failed (%d) on %s\n", t->cpu,
	       done + k, ret, dev_name(p->dev));
	while (k--) {
		b = b ? b - 1 : p->wset - 1;
		dmabench_unmap(p, api, &t->bufs[b], &t->maps[k]);
	}
	return ret;
}

static __always_inline int dmabench_loop(struct dmabench_thread *t,
					 const u32 api)
{
	const struct dmabench_params *p = t->p;
	const u32 total = p->warmup + p->nsamples;
	u64 start, prev, now, last = 0;
	unsigned long flags;
	u32 done = 0, next = 0, n;
	int ret = 0;

	while (done < total) {
		dmabench_pmu_read(t, false);
		local_irq_save(flags);
		start = dmabench_ticks();
		prev = start;
		do {
			n = min(p->batch, total - done);
			ret = dmabench_batch(t, api, done, n, next);
			if (unlikely(ret))
				break;
			done += n;
			next = (next + n) % p->wset;
			now = dmabench_ticks();
			/* Close the window before the next batch overruns it. */
			last = now - prev;
			prev = now;
		} while (done < total && now - start + last < p->window_ticks);
		now = dmabench_ticks();
		local_irq_restore(flags);
		dmabench_pmu_read(t, true);

		t->windows++;
		t->max_window = max(t->max_window, now - start);
		if (ret)
			return ret;
		ret = dmabench_between_windows(t);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Start on a timer tick.  Lazy IOMMU flushing runs from a timer, so which
 * operations find the flush queue full depends on where the run starts
 * between two ticks; starting right after one makes that the same on every
 * run (and, under QEMU -icount, exactly the same).
 */
static void dmabench_tick_edge(void)
{
	unsigned long j = READ_ONCE(jiffies);

	while (READ_ONCE(jiffies) == j)
		cpu_relax();
}

#define DMABENCH_TRACED(name, API)					\
	noinline int dmabench_traced_map_##name(u32 tag,		\
		const struct dmabench_params *p, struct dmabench_buf *b,\
		struct dmabench_mapping *m)				\
	{								\
		return dmabench_map(p, DMABENCH_API_##API, b, m);	\
	}								\
	noinline int dmabench_traced_unmap_##name(u32 tag,		\
		const struct dmabench_params *p, struct dmabench_buf *b,\
		struct dmabench_mapping *m)				\
	{								\
		dmabench_unmap(p, DMABENCH_API_##API, b, m);		\
		return 0;						\
	}								\
	static_assert(DMABENCH_API_##API < DMABENCH_API_COUNT)
#include "dmabench_traced.h"

/*
 * DMABENCH_RUN_TRACE: after the timed loop, one more map and unmap of the
 * buffer the loop would have taken next, interrupts off, through the traced
 * functions.  A debugger stepping through them sees nothing else.
 */
static int dmabench_trace_call(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	u32 next = (p->warmup + p->nsamples) % p->wset;
	struct dmabench_buf *b = &t->bufs[next];
	struct dmabench_mapping *m = &t->maps[0];
	const u32 tag = p->trace_tag;
	unsigned long flags;
	int ret = -EINVAL;

	local_irq_save(flags);
	/* The map, and if it worked the unmap, of the run's API. */
#define DMABENCH_TRACED(name, API)					\
	(ret = p->api != DMABENCH_API_##API ? ret :			\
	       dmabench_traced_map_##name(tag, p, b, m) ?:		\
	       dmabench_traced_unmap_##name(tag, p, b, m))
#include "dmabench_traced.h"
	local_irq_restore(flags);
	if (ret)
		pr_err("cpu %u: trace: map failed (%d) on %s\n",
		       t->cpu, ret, dev_name(p->dev));
	return ret;
}

int dmabench_time(struct dmabench_thread *t)
{
	int ret;

	dmabench_tick_edge();
	t->start = dmabench_ticks();
	switch (t->p->api) {
	case DMABENCH_API_NONE:
		ret = dmabench_loop(t, DMABENCH_API_NONE);
		break;
	case DMABENCH_API_PAGE:
		ret = dmabench_loop(t, DMABENCH_API_PAGE);
		break;
	case DMABENCH_API_PHYS:
		ret = dmabench_loop(t, DMABENCH_API_PHYS);
		break;
	case DMABENCH_API_SINGLE:
		ret = dmabench_loop(t, DMABENCH_API_SINGLE);
		break;
	case DMABENCH_API_RESOURCE:
		ret = dmabench_loop(t, DMABENCH_API_RESOURCE);
		break;
	case DMABENCH_API_SG:
		ret = dmabench_loop(t, DMABENCH_API_SG);
		break;
	case DMABENCH_API_IOVA:
		ret = dmabench_loop(t, DMABENCH_API_IOVA);
		break;
	case DMABENCH_API_PHYS_PAGE:
		ret = dmabench_loop(t, DMABENCH_API_PHYS_PAGE);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	t->end = dmabench_ticks();
	if (!ret && t->p->trace)
		ret = dmabench_trace_call(t);
	return ret;
}

u64 dmabench_now(void)
{
	return dmabench_ticks();
}

/* One untimed mapping: does the path work, and which one is it? */
int dmabench_observe(struct dmabench_thread *t, struct dmabench_run *r)
{
	const struct dmabench_params *p = t->p;
	struct dmabench_buf *b = &t->bufs[0];
	struct dmabench_mapping *m = &t->maps[0];
	phys_addr_t phys = b->phys;
	dma_addr_t addr;
	u32 domain;
	int ret;

	r->domain = dmabench_domain(p->dev);
	if (p->api == DMABENCH_API_NONE) {
		r->observed = DMABENCH_OBS_NONE;
		return 0;
	}
	ret = dmabench_map(p, p->api, b, m);
	if (ret == -EOPNOTSUPP && p->api == DMABENCH_API_IOVA) {
		r->unsupported = DMABENCH_UNSUP_IOVA_PATH;
		return 0;
	}
	if (ret) {
		/* An answer about this path, not a failure of the run. */
		pr_info("api %u: the kernel refused the first mapping (%d) on %s\n",
			p->api, ret, dev_name(p->dev));
		r->unsupported = DMABENCH_UNSUP_MAP_ERROR;
		return 0;
	}

	switch (p->api) {
	case DMABENCH_API_SINGLE:
		phys = virt_to_phys(b->kbuf + p->offset);
		addr = m->addr;
		break;
	case DMABENCH_API_RESOURCE:
		phys = b->mmio;
		addr = m->addr;
		break;
	case DMABENCH_API_SG:
		phys = sg_phys(b->sgt.sgl);
		addr = sg_dma_address(b->sgt.sgl);
		break;
#ifdef DMABENCH_HAVE_IOVA
	case DMABENCH_API_IOVA:
		addr = m->iova.addr;
		break;
#endif
	default:
		addr = m->addr;
		break;
	}
	dmabench_unmap(p, p->api, b, m);

	domain = dmabench_domain(p->dev);
	if (addr == phys_to_dma(p->dev, phys))
		r->observed = DMABENCH_OBS_DIRECT;
	else if (domain == DMABENCH_DOMAIN_DMA ||
		 domain == DMABENCH_DOMAIN_DMA_FQ)
		r->observed = DMABENCH_OBS_IOVA;
	else
		r->observed = DMABENCH_OBS_BOUNCED;
	return 0;
}
