// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench micro: which DMA paths can be run, setting each up, and
 * checking that it is what it claims before results carry its name.
 *
 * direct and swiotlb are whatever the kernel does for the module's own
 * device (or for --pci's device when it is in no IOMMU group): a probe
 * mapping tells which.  direct-coherent, asked for by name only, is --pci's
 * device in no IOMMU group, which must be cache-coherent; direct then stays
 * on the module's own device (on arm64 a non-coherent one, so the two show
 * what cache maintenance costs).  The iommu-* paths need --pci's device in an
 * IOMMU group; they are set up by writing the group's type, and count
 * only once IOC_INFO reports the matching domain and a probe mapping
 * comes out as the path implies.
 */
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "micro.h"
#include "module.h"

#define PROBE_BYTES	4096

#define IOMMU_PATHS	((1U << PATH_IOMMU_STRICT) | (1U << PATH_IOMMU_LAZY) | \
			 (1U << PATH_IOMMU_IDENTITY))

unsigned int path_target(const struct micro *m, int path)
{
	if (path_is_iommu(path) || path == PATH_DIRECT_COHERENT)
		return DMABENCH_TARGET_PCI;
	return m->plain_target;
}

/* Map one page once, untimed, to see the path the target's mappings take. */
static int probe(struct micro *m, unsigned int target, struct dmabench_run *run)
{
	uint64_t ticks[OP_COUNT];
	int err;

	module_run_init(run);
	run->api = DMABENCH_API_PAGE;
	run->target = target;
	run->dir = DIR_TO_DEVICE;
	run->nents = 1;
	run->bytes = PROBE_BYTES;
	run->samples = 1;
	run->samples_ptr = (uintptr_t)ticks;
	err = module_run(m->fd, run);
	if (err) {
		warnx("probing the %s device: %s", target_name(target),
		      module_strerror(-err));
		return err;
	}
	if (run->unsupported) {
		warnx("probing the %s device: %s", target_name(target),
		      unsupported_reason(run->unsupported));
		return -ENODEV;
	}
	return 0;
}

/* Check that path is in effect now, and record how that was seen. */
static int verify(struct micro *m, int path)
{
	unsigned int target = path_target(m, path);
	const struct dmabench_target_info *t;
	struct path_record *rec = &m->rec[path];
	struct dmabench_info info;
	struct dmabench_run run;
	int err, want;

	err = module_info(m->fd, &info);
	if (err) {
		warnx("%s: %s", path_names[path], module_strerror(-err));
		return err;
	}
	t = &info.target[target];
	if (!t->present) {
		warnx("%s: the module has no %s device", path_names[path],
		      target_name(target));
		return -ENODEV;
	}
	if (path_is_iommu(path) && t->domain != path_domain(path)) {
		warnx("%s: IOMMU group %d is set to %s, but %s has a %s domain: not labelling results %s",
		      path_names[path], m->pb.group, path_group_type(path),
		      t->name, domain_name(t->domain), path_names[path]);
		return -EIO;
	}
	err = probe(m, target, &run);
	if (err)
		return err;
	if (path == PATH_DIRECT_COHERENT && !t->coherent) {
		warnx("%s: %s is not cache-coherent (dev_is_dma_coherent() is false): not labelling results %s",
		      path_names[path], t->name, path_names[path]);
		return -EIO;
	}
	want = path_expected_observed(path, DMABENCH_API_PAGE);
	if ((int)run.observed != want) {
		warnx("%s: a page mapped for %s came out %s, not %s: not labelling results %s",
		      path_names[path], t->name, observed_name(run.observed),
		      observed_name(want), path_names[path]);
		return -EIO;
	}
	memset(rec, 0, sizeof(*rec));
	rec->path = path;
	rec->target = target;
	snprintf(rec->device, sizeof(rec->device), "%.31s", t->name);
	rec->domain = t->domain;
	rec->observed = run.observed;
	rec->coherent = t->coherent;
	rec->group = target == DMABENCH_TARGET_PCI ? m->pb.group : -1;
	rec->group_type = path_group_type(path);
	if (target == DMABENCH_TARGET_PCI && !m->pci_was_seen) {
		m->pci_seen = *t;
		m->pci_was_seen = true;
	}
	return 0;
}

/* Set the path up and verify it. */
int path_enter(struct micro *m, int path)
{
	int err = 0;

	if (path_is_iommu(path))
		err = pcibind_set_type(&m->pb, path_group_type(path));
	else if (m->plain_target == DMABENCH_TARGET_PCI ||
		 path == PATH_DIRECT_COHERENT)
		err = pcibind_bind(&m->pb);
	if (!err)
		err = verify(m, path);
	return err;
}

/* Why a path that was asked for cannot run here. */
static void unreachable(const struct micro *m, int path, int plain,
			unsigned int observed)
{
	const char *dev = m->plain_target == DMABENCH_TARGET_PCI ?
			  m->pb.bdf : "the module's own device";

	if (path == PATH_SWIOTLB && plain == PATH_DIRECT)
		warnx("swiotlb: not in effect; boot with swiotlb=force");
	else if (path == PATH_DIRECT && plain == PATH_SWIOTLB)
		warnx("direct: not in effect: %s bounces through swiotlb (booted with swiotlb=force?); boot without it",
		      dev);
	else if (path == PATH_DIRECT_COHERENT)
		warnx("%s: needs a spare coherent PCI device in no IOMMU group: pass --pci BDF, boot without an IOMMU",
		      path_names[path]);
	else if (!path_is_iommu(path))
		warnx("%s: not in effect: a page mapped for %s came out %s",
		      path_names[path], dev, observed_name(observed));
	else if (!m->have_pci)
		warnx("%s: needs a spare PCI device in an IOMMU group: pass --pci BDF",
		      path_names[path]);
	else
		warnx("%s: %s is in no IOMMU group; boot with an IOMMU (e.g. intel_iommu=on, and QEMU -device intel-iommu)",
		      path_names[path], m->pb.bdf);
}

/* Decide which paths to run; each one is set up and verified once here. */
int paths_plan(struct micro *m)
{
	bool group = m->have_pci && m->pb.group >= 0;
	bool coherent = m->o.paths & (1U << PATH_DIRECT_COHERENT);
	unsigned int reach = 0, want;
	struct dmabench_run run;
	int plain = -1, err;

	m->plain_target = m->have_pci && !group && !coherent ?
			  DMABENCH_TARGET_PCI : DMABENCH_TARGET_OWN;
	if (m->plain_target == DMABENCH_TARGET_PCI) {
		err = pcibind_bind(&m->pb);
		if (err)
			return err;
	}
	err = probe(m, m->plain_target, &run);
	if (err)
		return err;
	if (run.observed == DMABENCH_OBS_DIRECT)
		plain = PATH_DIRECT;
	else if (run.observed == DMABENCH_OBS_BOUNCED)
		plain = PATH_SWIOTLB;
	if (plain >= 0)
		reach |= 1U << plain;
	else if (!m->o.paths)
		warnx("a page mapped for the %s device came out %s: neither direct nor swiotlb",
		      target_name(m->plain_target), observed_name(run.observed));
	if (group)
		reach |= IOMMU_PATHS;
	else if (coherent && m->have_pci)
		reach |= 1U << PATH_DIRECT_COHERENT;

	want = m->o.paths ? m->o.paths : reach;
	for (int p = 0; p < PATH_COUNT; p++) {
		if (!(want & ~reach & (1U << p)))
			continue;
		unreachable(m, p, plain, run.observed);
		err = -ENODEV;
	}
	if (err)
		return err;

	for (int p = 0; p < PATH_COUNT && !*m->stop; p++) {
		if (!(want & (1U << p)))
			continue;
		err = path_enter(m, p);
		if (err && m->o.paths)
			return err;
		if (err) {
			warnx("%s: skipped", path_names[p]);
			want &= ~(1U << p);
			continue;
		}
		fprintf(stderr, "dmabench: path %s: %s, %s domain, a page maps %s\n",
			path_names[p], m->rec[p].device,
			domain_name(m->rec[p].domain),
			observed_name(m->rec[p].observed));
	}
	if (*m->stop)
		return -EINTR;
	if (!want) {
		warnx("no DMA path can be run here");
		return -ENODEV;
	}
	m->want = want;
	return 0;
}
