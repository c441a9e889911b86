// SPDX-License-Identifier: GPL-2.0
/*
 * Which DMA path a device's streaming mappings take: the one answer for
 * block devices (dmabench nvme, fio) and RDMA devices (dmabench rdma),
 * from facts their callers read from sysfs and /proc/cmdline.
 *
 * Soft RDMA (rxe, siw) copies with the CPU through kernel virtual
 * addresses and never calls the DMA API; it is told by facts anyone can
 * check: the rxe-only sysfs attribute "parent", the node description
 * ("rxe", "Software iWARP stack"), the vendor id the drivers report
 * (0xffffff for rxe, 0x626d74 for siw), and only failing all of them
 * the device name.  Any other device's path is its IOMMU group's default
 * domain type (DMA: iommu-strict, DMA-FQ: iommu-lazy, identity:
 * iommu-identity); no group is dma-direct, or swiotlb when the kernel was
 * booted with swiotlb=force.  A group of another type (blocked,
 * unmanaged) is iommu-other: the device is behind an IOMMU, in a way no
 * dmabench path names; "unknown" is kept for "cannot be told" (no parent
 * device in sysfs), so the two are never confused.
 */
#include <stdio.h>
#include <string.h>

#include "dmapath.h"
#include "names.h"
#include "util.h"

#define RXE_VENDOR_ID	0xffffffU
#define SIW_VENDOR_ID	0x626d74U

/*
 * The word of the kernel command line that sets key ("swiotlb" finds
 * "swiotlb=force"); 1 if found (copied to word), 0 if not.
 */
int cmdline_word(const char *cmdline, const char *key, char *word,
		 size_t size)
{
	size_t klen = strlen(key), len;
	const char *p = cmdline;

	while (*p) {
		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(word, size, "%.*s", (int)len, p);
			return 1;
		}
		p += len;
	}
	word[0] = '\0';
	return 0;
}

/* Is "force" one of the comma-separated items of v[0..n)? */
static bool items_force(const char *v, size_t n)
{
	const char *end = v + n;
	size_t len;

	for (; v < end; v += len + 1) {
		len = strcspn(v, ",");
		if (v + len > end)
			len = end - v;
		if (len == 5 && !strncmp(v, "force", 5))
			return true;
	}
	return false;
}

/* Does "swiotlb=65536,force" (a cmdline_word) force bouncing? */
bool swiotlb_word_forces(const char *word)
{
	const char *v = strchr(word, '=');

	v = v ? v + 1 : word;
	return items_force(v, strlen(v));
}

/* Does any swiotlb= word of a command line force bouncing? */
bool cmdline_swiotlb_force(const char *cmdline)
{
	size_t len;

	for (const char *p = cmdline; p && *p; p += len) {
		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len > 8 && !strncmp(p, "swiotlb=", 8) &&
		    items_force(p + 8, len - 8))
			return true;
	}
	return false;
}

/* The path of an IOMMU group's default domain type, NULL if none. */
const char *dma_path_of_group(const char *type)
{
	for (int p = 0; p < PATH_COUNT; p++)
		if (path_group_type(p) && !strcmp(path_group_type(p), type))
			return path_names[p];
	return NULL;
}

static bool starts(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

static void add_clue(char *buf, size_t size, const char *clue)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s%s", len ? ", " : "", clue);
}

/* Pure: what a device is, from its facts; why says how that was told. */
const char *dma_path_classify(const struct dma_facts *f, const char **soft,
			      char *why, size_t size)
{
	const struct {
		bool seen;
		const char *clue, *kind;
	} clue[] = {
		{ f->rxe_parent, "sysfs attribute 'parent' (rxe only)", "rxe" },
		{ starts(f->node_desc, "rxe"), "node_desc 'rxe'", "rxe" },
		{ f->vendor_id == RXE_VENDOR_ID, "vendor id 0xffffff (rxe)",
		  "rxe" },
		{ starts(f->node_desc, "Software iWARP"),
		  "node_desc 'Software iWARP stack'", "siw" },
		{ f->vendor_id == SIW_VENDOR_ID, "vendor id 0x626d74 (siw)",
		  "siw" },
	};
	const char *kind = NULL, *path;
	char clues[192] = "";

	for (size_t i = 0; i < ARRAY_SIZE(clue); i++) {
		if (clue[i].seen) {
			add_clue(clues, sizeof(clues), clue[i].clue);
			kind = clue[i].kind;
		}
	}
	if (!kind && (starts(f->name, "rxe") || starts(f->name, "siw"))) {
		add_clue(clues, sizeof(clues), "the device name");
		kind = starts(f->name, "rxe") ? "rxe" : "siw";
	}
	*soft = kind;
	if (kind) {
		snprintf(why, size,
			 "soft RDMA (%s), told by %s: it maps memory with virtual addresses, not the DMA API",
			 kind, clues);
		return "soft-rdma";
	}
	if (!f->has_device) {
		snprintf(why, size,
			 "no parent device in sysfs: its DMA path cannot be told");
		return "unknown";
	}
	if (!f->group_type) {
		if (cmdline_swiotlb_force(f->cmdline)) {
			snprintf(why, size,
				 "no IOMMU group, and the kernel was booted with swiotlb=force: mappings bounce");
			return path_names[PATH_SWIOTLB];
		}
		snprintf(why, size,
			 "no IOMMU group and no swiotlb=force: dma-direct (buffers beyond the device's DMA mask would still bounce)");
		return path_names[PATH_DIRECT];
	}
	path = dma_path_of_group(f->group_type);
	if (path) {
		snprintf(why, size, "its IOMMU group's type is %s",
			 f->group_type);
		return path;
	}
	snprintf(why, size,
		 "its IOMMU group's type is '%s', none of DMA, DMA-FQ, identity: through the IOMMU, in a way dmabench does not label",
		 f->group_type);
	return DMA_PATH_OTHER;
}
