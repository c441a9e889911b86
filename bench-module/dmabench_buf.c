// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: the buffers a thread maps, allocated before it is timed.
 *
 * Multi-page buffers are compound pages (__GFP_COMP), so a 2 MiB buffer is a
 * PMD-sized folio, as the page cache and hugetlbfs hand to drivers.
 *
 * Each scatterlist entry sits at the start of an allocation twice its size,
 * so no two entries are ever physically adjacent.  Otherwise whether the
 * IOMMU code can merge neighbouring entries into one iommu_map() call would
 * depend on what the page allocator happened to return, and the same point
 * would cost a different amount on every boot.
 *
 * dma_map_resource() maps no memory: each buffer of each thread is its own
 * slice of the device's BAR, cache-line aligned, so that no two mappings in
 * flight share a cache line (dma-debug counts such overlaps and warns past
 * seven, and no driver maps one register window many times at once).
 * dmabench_run.c reports a point whose slices do not fit unsupported.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include "dmabench.h"

#define DMABENCH_GFP	(GFP_KERNEL | __GFP_NOWARN)

static struct page *dmabench_pages(const struct dmabench_thread *t,
				   unsigned int order)
{
	gfp_t gfp = DMABENCH_GFP | (order ? __GFP_COMP : 0);

	return alloc_pages_node(t->node, gfp, order);
}

static int dmabench_sg_alloc(const struct dmabench_thread *t,
			     struct dmabench_buf *b)
{
	const struct dmabench_params *p = t->p;
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	b->sg_pages = kcalloc_node(p->nents, sizeof(*b->sg_pages), GFP_KERNEL,
				   t->node);
	if (!b->sg_pages)
		return -ENOMEM;
	for (i = 0; i < p->nents; i++) {
		b->sg_pages[i] = dmabench_pages(t, p->order + 1);
		if (!b->sg_pages[i])
			return -ENOMEM;
	}
	ret = sg_alloc_table(&b->sgt, p->nents, GFP_KERNEL);
	if (ret)
		return ret;
	for_each_sgtable_sg(&b->sgt, sg, i)
		sg_set_page(sg, b->sg_pages[i], p->bytes, p->offset);
	return 0;
}

static int dmabench_buf_alloc(const struct dmabench_thread *t,
			      struct dmabench_buf *b, u32 i)
{
	const struct dmabench_params *p = t->p;

	switch (p->api) {
	case DMABENCH_API_PAGE:
	case DMABENCH_API_PHYS:
	case DMABENCH_API_PHYS_PAGE:
	case DMABENCH_API_IOVA:
		b->page = dmabench_pages(t, p->order);
		if (!b->page)
			return -ENOMEM;
		b->phys = page_to_phys(b->page) + p->offset;
		return 0;
	case DMABENCH_API_SINGLE:
		b->kbuf = kmalloc_node(p->offset + p->bytes, DMABENCH_GFP,
				       t->node);
		return b->kbuf ? 0 : -ENOMEM;
	case DMABENCH_API_SG:
		return dmabench_sg_alloc(t, b);
	case DMABENCH_API_RESOURCE:
		b->mmio = p->mmio +
			  ((u64)t->index * p->wset + i) * p->mmio_stride;
		return 0;
	default:
		return 0;	/* NONE maps nothing */
	}
}

static void dmabench_buf_free(const struct dmabench_thread *t,
			      struct dmabench_buf *b)
{
	unsigned int i;

	if (b->sg_pages) {
		sg_free_table(&b->sgt);
		for (i = 0; i < t->p->nents; i++)
			if (b->sg_pages[i])
				__free_pages(b->sg_pages[i],
					     t->p->order + 1);
		kfree(b->sg_pages);
	}
	kfree(b->kbuf);
	if (b->page)
		__free_pages(b->page, t->p->order);
}

/*
 * Everything a thread needs; dmabench_bufs_free() undoes any part of it.
 * Called by the ioctl's task, before the thread exists.
 */
int dmabench_bufs_alloc(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	unsigned int i;
	int ret;

	t->samples = kvmalloc_array(3 * (size_t)p->nsamples, sizeof(u64),
				    GFP_KERNEL);
	t->maps = kcalloc_node(p->batch, sizeof(*t->maps), GFP_KERNEL,
			       t->node);
	t->map_ticks = kcalloc_node(p->batch, sizeof(u64), GFP_KERNEL,
				    t->node);
	t->bufs = kvcalloc(p->wset, sizeof(*t->bufs), GFP_KERNEL);
	if (!t->samples || !t->maps || !t->map_ticks || !t->bufs)
		return -ENOMEM;
	for (i = 0; i < p->wset; i++) {
		ret = dmabench_buf_alloc(t, &t->bufs[i], i);
		if (ret)
			return ret;
		cond_resched();
		/* A large working set takes a while: PCI remove or a signal. */
		if (READ_ONCE(t->shared->stop) || signal_pending(current))
			return -EINTR;
	}
	return 0;
}

void dmabench_bufs_free(struct dmabench_thread *t)
{
	unsigned int i;

	if (t->bufs) {
		for (i = 0; i < t->p->wset; i++)
			dmabench_buf_free(t, &t->bufs[i]);
		kvfree(t->bufs);
		t->bufs = NULL;
	}
	kfree(t->map_ticks);
	t->map_ticks = NULL;
	kfree(t->maps);
	t->maps = NULL;
	kvfree(t->samples);
	t->samples = NULL;
}
