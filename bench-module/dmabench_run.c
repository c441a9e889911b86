// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: one timed run.
 *
 * A run maps and unmaps one buffer, warmup + samples times, on one CPU.  Each
 * operation is bracketed by serialised TSC reads (rdtsc_ordered()):
 *
 *	t0 = ticks(); map; check; t1 = ticks(); unmap; t2 = ticks();
 *
 * and stores t1 - t0 (map), t2 - t1 (unmap) and t2 - t0 (pair).  "map"
 * includes dma_mapping_error(), as every caller pays it.  The loop runs with
 * interrupts off, in windows that close once they have lasted
 * DMABENCH_WINDOW_US; between windows it reschedules and checks for signals.
 * The loop body is compiled once per API (dmabench_loop() is always inlined
 * with a constant API), so no variant pays for another's dispatch; the
 * DMABENCH_API_NONE instance measures what is left: the harness itself.
 */
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include "dmabench.h"

#ifdef CONFIG_X86
#include <asm/tsc.h>
#endif

struct dmabench_ctx {
	struct device *dev;
	u32 api;
	enum dma_data_direction dir;
	unsigned long attrs;
	size_t bytes;
	unsigned int offset;
	unsigned int order;

	struct page *page;	/* PAGE, PHYS, IOVA */
	phys_addr_t phys;	/* page_to_phys(page) + offset */
	void *kbuf;		/* SINGLE */
	phys_addr_t mmio;	/* RESOURCE */
	struct sg_table sgt;	/* SG */
	struct page **sg_pages;
	unsigned int nents;

	u64 *samples;
	u32 nsamples;
	u32 warmup;
	u64 window_ticks;
	u64 deadline;
	u64 windows;
	u64 max_window;
};

struct dmabench_mapping {
	dma_addr_t addr;
#ifdef DMABENCH_HAVE_IOVA
	struct dma_iova_state iova;
#endif
};

static __always_inline u64 dmabench_ticks(void)
{
#ifdef CONFIG_X86
	return rdtsc_ordered();
#else
	return ktime_get_ns();
#endif
}

#ifdef DMABENCH_HAVE_IOVA
/* -EOPNOTSUPP: the device does not map through dma-iommu. */
static __always_inline int dmabench_iova_map(struct dmabench_ctx *c,
					     struct dmabench_mapping *m)
{
	int ret;

	memset(&m->iova, 0, sizeof(m->iova));
	if (!dma_iova_try_alloc(c->dev, &m->iova, c->phys, c->bytes))
		return -EOPNOTSUPP;
	ret = dma_iova_link(c->dev, &m->iova, c->phys, 0, c->bytes, c->dir,
			    c->attrs);
	if (ret)
		goto err_free;
	ret = dma_iova_sync(c->dev, &m->iova, 0, c->bytes);
	if (ret)
		goto err_unlink;
	return 0;

err_unlink:
	dma_iova_unlink(c->dev, &m->iova, 0, c->bytes, c->dir, c->attrs);
err_free:
	dma_iova_free(c->dev, &m->iova);
	return ret;
}
#endif

static __always_inline int dmabench_map(struct dmabench_ctx *c, const u32 api,
					struct dmabench_mapping *m)
{
	switch (api) {
	case DMABENCH_API_NONE:
		return 0;
	case DMABENCH_API_PAGE:
		m->addr = dma_map_page_attrs(c->dev, c->page, c->offset,
					     c->bytes, c->dir, c->attrs);
		break;
#ifdef DMABENCH_HAVE_PHYS
	case DMABENCH_API_PHYS:
		m->addr = dma_map_phys(c->dev, c->phys, c->bytes, c->dir,
				       c->attrs);
		break;
#endif
	case DMABENCH_API_SINGLE:
		m->addr = dma_map_single_attrs(c->dev, c->kbuf + c->offset,
					       c->bytes, c->dir, c->attrs);
		break;
	case DMABENCH_API_RESOURCE:
		m->addr = dma_map_resource(c->dev, c->mmio, c->bytes, c->dir,
					   c->attrs);
		break;
	case DMABENCH_API_SG:
		return dma_map_sgtable(c->dev, &c->sgt, c->dir, c->attrs);
#ifdef DMABENCH_HAVE_IOVA
	case DMABENCH_API_IOVA:
		return dmabench_iova_map(c, m);
#endif
	default:
		return -EOPNOTSUPP;
	}
	return dma_mapping_error(c->dev, m->addr) ? -EIO : 0;
}

static __always_inline void dmabench_unmap(struct dmabench_ctx *c,
					   const u32 api,
					   struct dmabench_mapping *m)
{
	switch (api) {
	case DMABENCH_API_PAGE:
		dma_unmap_page_attrs(c->dev, m->addr, c->bytes, c->dir,
				     c->attrs);
		break;
#ifdef DMABENCH_HAVE_PHYS
	case DMABENCH_API_PHYS:
		dma_unmap_phys(c->dev, m->addr, c->bytes, c->dir, c->attrs);
		break;
#endif
	case DMABENCH_API_SINGLE:
		dma_unmap_single_attrs(c->dev, m->addr, c->bytes, c->dir,
				       c->attrs);
		break;
	case DMABENCH_API_RESOURCE:
		dma_unmap_resource(c->dev, m->addr, c->bytes, c->dir,
				   c->attrs);
		break;
	case DMABENCH_API_SG:
		dma_unmap_sgtable(c->dev, &c->sgt, c->dir, c->attrs);
		break;
#ifdef DMABENCH_HAVE_IOVA
	case DMABENCH_API_IOVA:
		dma_iova_destroy(c->dev, &m->iova, c->bytes, c->dir, c->attrs);
		break;
#endif
	default:
		break;
	}
}

/* Between two IRQ-off windows: let others run, and stop when asked to. */
static int dmabench_between_windows(struct dmabench_ctx *c)
{
	cond_resched();
	if (signal_pending(current))
		return -EINTR;
	if (dmabench_ticks() > c->deadline) {
		pr_err("dmabench: run took over %d s: ask for fewer samples\n",
		       DMABENCH_RUN_LIMIT_S);
		return -ETIME;
	}
	return 0;
}

static __always_inline int dmabench_loop(struct dmabench_ctx *c, const u32 api)
{
	const u32 total = c->warmup + c->nsamples;
	struct dmabench_mapping m;
	u64 *s = c->samples;
	u64 start, end, t0, t1, t2, last = 0;
	unsigned long flags;
	u32 i = 0;
	int ret = 0;

	while (i < total) {
		local_irq_save(flags);
		start = dmabench_ticks();
		do {
			t0 = dmabench_ticks();
			ret = dmabench_map(c, api, &m);
			t1 = dmabench_ticks();
			if (ret)
				break;
			dmabench_unmap(c, api, &m);
			t2 = dmabench_ticks();
			if (i >= c->warmup) {
				s[0] = t1 - t0;
				s[1] = t2 - t1;
				s[2] = t2 - t0;
				s += 3;
			}
			last = t2 - t0;
			i++;
			/* Close the window before the next one would overrun it. */
		} while (i < total && t2 + last - start < c->window_ticks);
		end = dmabench_ticks();
		local_irq_restore(flags);

		c->windows++;
		c->max_window = max(c->max_window, end - start);
		if (ret) {
			pr_err("dmabench: mapping %u of %u failed (%d) on %s\n",
			       i, total, ret, dev_name(c->dev));
			return ret;
		}
		ret = dmabench_between_windows(c);
		if (ret)
			return ret;
	}
	return 0;
}

static int dmabench_time(struct dmabench_ctx *c)
{
	switch (c->api) {
	case DMABENCH_API_NONE:
		return dmabench_loop(c, DMABENCH_API_NONE);
	case DMABENCH_API_PAGE:
		return dmabench_loop(c, DMABENCH_API_PAGE);
	case DMABENCH_API_PHYS:
		return dmabench_loop(c, DMABENCH_API_PHYS);
	case DMABENCH_API_SINGLE:
		return dmabench_loop(c, DMABENCH_API_SINGLE);
	case DMABENCH_API_RESOURCE:
		return dmabench_loop(c, DMABENCH_API_RESOURCE);
	case DMABENCH_API_SG:
		return dmabench_loop(c, DMABENCH_API_SG);
	case DMABENCH_API_IOVA:
		return dmabench_loop(c, DMABENCH_API_IOVA);
	default:
		return -EINVAL;
	}
}

/* One untimed mapping: does the path work, and which one is it? */
static int dmabench_observe(struct dmabench_ctx *c, struct dmabench_run *r)
{
	struct dmabench_mapping m;
	phys_addr_t phys = c->phys;
	dma_addr_t addr;
	u32 domain;
	int ret;

	r->domain = dmabench_domain(c->dev);
	if (c->api == DMABENCH_API_NONE) {
		r->observed = DMABENCH_OBS_NONE;
		return 0;
	}
	ret = dmabench_map(c, c->api, &m);
	if (ret == -EOPNOTSUPP && c->api == DMABENCH_API_IOVA) {
		r->unsupported = DMABENCH_UNSUP_IOVA_PATH;
		return 0;
	}
	if (ret) {
		/* An answer about this path, not a failure of the run. */
		pr_info("dmabench: api %u: the kernel refused the first mapping (%d) on %s\n",
			c->api, ret, dev_name(c->dev));
		r->unsupported = DMABENCH_UNSUP_MAP_ERROR;
		return 0;
	}

	switch (c->api) {
	case DMABENCH_API_SINGLE:
		phys = virt_to_phys(c->kbuf + c->offset);
		addr = m.addr;
		break;
	case DMABENCH_API_RESOURCE:
		phys = c->mmio;
		addr = m.addr;
		break;
	case DMABENCH_API_SG:
		phys = sg_phys(c->sgt.sgl);
		addr = sg_dma_address(c->sgt.sgl);
		break;
#ifdef DMABENCH_HAVE_IOVA
	case DMABENCH_API_IOVA:
		addr = m.iova.addr;
		break;
#endif
	default:
		addr = m.addr;
		break;
	}
	dmabench_unmap(c, c->api, &m);

	domain = dmabench_domain(c->dev);
	if (addr == phys_to_dma(c->dev, phys))
		r->observed = DMABENCH_OBS_DIRECT;
	else if (domain == DMABENCH_DOMAIN_DMA ||
		 domain == DMABENCH_DOMAIN_DMA_FQ)
		r->observed = DMABENCH_OBS_IOVA;
	else
		r->observed = DMABENCH_OBS_BOUNCED;
	return 0;
}

/* A point this kernel or device cannot take: say why, map nothing. */
static u32 dmabench_unsupported(const struct dmabench_dev *t,
				const struct dmabench_run *r)
{
	bool bounded = r->api != DMABENCH_API_NONE &&
		       r->api != DMABENCH_API_RESOURCE;

	if (!t->dev)
		return DMABENCH_UNSUP_NO_TARGET;
#ifndef DMABENCH_HAVE_PHYS
	if (r->api == DMABENCH_API_PHYS)
		return DMABENCH_UNSUP_NO_PHYS;
#endif
#ifndef DMABENCH_HAVE_IOVA
	if (r->api == DMABENCH_API_IOVA)
		return DMABENCH_UNSUP_NO_IOVA;
#endif
	if (r->api == DMABENCH_API_RESOURCE && !t->mmio)
		return DMABENCH_UNSUP_NO_MMIO;
	if (r->api == DMABENCH_API_RESOURCE &&
	    r->offset + r->bytes > t->mmio_len)
		return DMABENCH_UNSUP_MMIO_SMALL;
	if (bounded && r->bytes > dma_max_mapping_size(t->dev))
		return DMABENCH_UNSUP_TOO_BIG;
	return DMABENCH_UNSUP_NONE;
}

static void dmabench_buffers_free(struct dmabench_ctx *c)
{
	unsigned int i;

	if (c->sg_pages) {
		sg_free_table(&c->sgt);
		for (i = 0; i < c->nents; i++)
			if (c->sg_pages[i])
				__free_pages(c->sg_pages[i], c->order);
		kfree(c->sg_pages);
	}
	kfree(c->kbuf);
	if (c->page)
		__free_pages(c->page, c->order);
}

static int dmabench_sg_alloc(struct dmabench_ctx *c)
{
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	c->sg_pages = kcalloc(c->nents, sizeof(*c->sg_pages), GFP_KERNEL);
	if (!c->sg_pages)
		return -ENOMEM;
	for (i = 0; i < c->nents; i++) {
		c->sg_pages[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN,
					     c->order);
		if (!c->sg_pages[i])
			return -ENOMEM;
	}
	ret = sg_alloc_table(&c->sgt, c->nents, GFP_KERNEL);
	if (ret)
		return ret;
	for_each_sgtable_sg(&c->sgt, sg, i)
		sg_set_page(sg, c->sg_pages[i], c->bytes, c->offset);
	return 0;
}

/* Allocate what the API maps; dmabench_buffers_free() undoes any part. */
static int dmabench_buffers_alloc(struct dmabench_ctx *c,
				  const struct dmabench_dev *t)
{
	switch (c->api) {
	case DMABENCH_API_PAGE:
	case DMABENCH_API_PHYS:
	case DMABENCH_API_IOVA:
		c->page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, c->order);
		if (!c->page)
			return -ENOMEM;
		c->phys = page_to_phys(c->page) + c->offset;
		return 0;
	case DMABENCH_API_SINGLE:
		c->kbuf = kmalloc(c->offset + c->bytes,
				  GFP_KERNEL | __GFP_NOWARN);
		return c->kbuf ? 0 : -ENOMEM;
	case DMABENCH_API_RESOURCE:
		c->mmio = t->mmio + c->offset;
		return 0;
	case DMABENCH_API_SG:
		return dmabench_sg_alloc(c);
	default:
		return 0;
	}
}

static int dmabench_validate(const struct dmabench_run *r)
{
	const char *why = NULL;

	if (r->api >= DMABENCH_API_COUNT)
		why = "unknown api";
	else if (r->target >= DMABENCH_TARGET_COUNT)
		why = "unknown target";
	else if (r->dir > DMA_FROM_DEVICE)
		why = "dir must be 0 (bidirectional), 1 (to device) or 2 (from device)";
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
	else if (r->attrs & ~DMABENCH_ATTR_SKIP_CPU_SYNC)
		why = "attrs may hold DMA_ATTR_SKIP_CPU_SYNC only";
	else if (!r->samples || r->samples > DMABENCH_MAX_SAMPLES)
		why = "samples must be 1 to 1048576";
	else if (r->warmup > DMABENCH_MAX_SAMPLES)
		why = "warmup must be at most 1048576";
	else if (!r->samples_ptr)
		why = "no sample buffer";

	if (!why)
		return 0;
	pr_err("dmabench: refused run (api %u target %u dir %u bytes %llu offset %u nents %u attrs %#x samples %u warmup %u): %s\n",
	       r->api, r->target, r->dir, r->bytes, r->offset, r->nents,
	       r->attrs, r->samples, r->warmup, why);
	return -EINVAL;
}

long dmabench_run(struct dmabench_run *r)
{
	struct dmabench_ctx c = {};
	const struct dmabench_dev *t;
	u64 khz = dmabench_tsc_khz();
	long ret;

	ret = dmabench_validate(r);
	if (ret)
		return ret;
	r->unsupported = DMABENCH_UNSUP_NONE;
	r->observed = DMABENCH_OBS_NONE;
	r->tsc_khz = khz;
	r->windows = 0;
	r->max_window_ticks = 0;

	mutex_lock(&dmabench_lock);
	t = &dmabench_devs[r->target];
	r->unsupported = dmabench_unsupported(t, r);
	if (r->unsupported)
		goto out_unlock;

	c.dev = t->dev;
	c.api = r->api;
	c.dir = r->dir;
	c.attrs = r->attrs;
	c.bytes = r->bytes;
	c.offset = r->offset;
	c.order = get_order(r->offset + r->bytes);
	c.nents = r->api == DMABENCH_API_SG ? r->nents : 1;
	c.nsamples = r->samples;
	c.warmup = r->warmup;
	c.window_ticks = div_u64(khz * DMABENCH_WINDOW_US, 1000);

	c.samples = kvmalloc_array(3 * (size_t)r->samples, sizeof(u64),
				   GFP_KERNEL);
	if (!c.samples) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = dmabench_buffers_alloc(&c, t);
	if (ret)
		goto out_buffers;
	ret = dmabench_observe(&c, r);
	if (ret || r->unsupported)
		goto out_buffers;

	r->cpu = raw_smp_processor_id();
	c.deadline = dmabench_ticks() + khz * 1000 * DMABENCH_RUN_LIMIT_S;
	ret = dmabench_time(&c);
	r->windows = c.windows;
	r->max_window_ticks = c.max_window;
	if (ret)
		goto out_buffers;
	if (copy_to_user(u64_to_user_ptr(r->samples_ptr), c.samples,
			 3 * (size_t)r->samples * sizeof(u64)))
		ret = -EFAULT;

out_buffers:
	dmabench_buffers_free(&c);
	kvfree(c.samples);
out_unlock:
	mutex_unlock(&dmabench_lock);
	return ret;
}
