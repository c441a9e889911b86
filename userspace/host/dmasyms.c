// SPDX-License-Identifier: GPL-2.0
/*
 * The tables that name DMA mapping code and the idle loop.
 *
 * DMA mapping code is what a streaming mapping runs through: the DMA API
 * and dma-direct (kernel/dma), swiotlb, the IOMMU core and dma-iommu
 * with its IOVA allocator and flush queue, the IOMMU drivers' page
 * tables and TLB invalidation, and the block layer's DMA iterator.  Only
 * the function a sample landed in counts (its own time, not its
 * callees'), so every layer a mapping goes down through is listed.
 * Other users of a "dma_" prefix (dma-buf, DMA engines) are excepted by
 * name.
 *
 * The idle loop is listed so that its samples can be left out of the
 * share's denominator; sysprof also treats the whole .cpuidle.text
 * section as idle where kallsyms shows its bounds.
 */
#include <stdio.h>
#include <string.h>

#include "dmasyms.h"
#include "json.h"
#include "util.h"

struct rule {
	const char *match;
	bool prefix;
	const char *what;
};

#define P(s, w)	{ (s), true, (w) }
#define X(s, w)	{ (s), false, (w) }

static const struct rule dma_rules[] = {
	/* kernel/dma: the API, dma-direct, debugging, swiotlb */
	P("dma_", "DMA API, dma-direct, dma_pool, VT-d dma_pte"),
	P("__dma_", "out-of-line parts of the DMA API"),
	P("arch_sync_dma_", "cache maintenance for non-coherent devices"),
	P("arch_dma_", "architecture hooks of the DMA API"),
	P("debug_dma_", "CONFIG_DMA_API_DEBUG checks"),
	X("add_dma_entry", "CONFIG_DMA_API_DEBUG bookkeeping"),
	P("swiotlb_", "bounce buffering"),
	P("__swiotlb_", "bounce buffering"),
	/* drivers/iommu: core, dma-iommu, IOVA allocator, flush queue */
	P("iommu_", "IOMMU core, dma-iommu, IOTLB sync"),
	P("__iommu_", "IOMMU core and dma-iommu internals"),
	P("fq_ring_", "dma-iommu flush queue"),
	P("fq_flush_", "dma-iommu flush queue"),
	X("queue_iova", "dma-iommu flush queue"),
	P("iova_", "IOVA allocator and its per-CPU caches"),
	P("__iova_", "IOVA allocator"),
	P("alloc_iova", "IOVA allocator: alloc_iova, alloc_iova_fast"),
	P("free_iova", "IOVA allocator: free_iova, free_iova_fast"),
	X("__free_iova", "IOVA allocator"),
	X("__alloc_and_insert_iova_range", "IOVA allocator"),
	X("__get_cached_rbnode", "IOVA allocator"),
	X("__cached_rbnode_insert_update", "IOVA allocator"),
	X("__cached_rbnode_delete_update", "IOVA allocator"),
	X("reserve_iova", "IOVA allocator"),
	X("find_iova", "IOVA allocator"),
	X("private_find_iova", "IOVA allocator"),
	X("remove_iova", "IOVA allocator"),
	X("free_cpu_cached_iovas", "IOVA allocator"),
	X("free_global_cached_iovas", "IOVA allocator"),
	/* Generic IOMMU page tables (drivers/iommu/generic_pt, 6.19+) */
	P("pt_iommu_", "generic page table: map_pages, unmap_pages"),
	X("__map_range", "generic page table walk"),
	X("__map_range_leaf", "generic page table walk"),
	P("__map_single_page", "generic page table walk"),
	X("__unmap_range", "generic page table walk"),
	X("clear_contig", "generic page table walk"),
	/* Intel VT-d */
	P("intel_iommu_", "VT-d domain ops"),
	X("__domain_mapping", "VT-d page table update"),
	X("domain_unmap", "VT-d page table update"),
	X("switch_to_super_page", "VT-d page table update"),
	X("pfn_to_dma_pte", "VT-d page table walk"),
	P("cache_tag_", "VT-d IOTLB and device TLB flushes"),
	P("qi_", "VT-d queued invalidation"),
	P("domain_flush_", "VT-d and AMD-Vi domain TLB flushes"),
	/* AMD-Vi */
	P("amd_iommu_", "AMD-Vi domain ops and flushes"),
	X("__domain_flush_pages", "AMD-Vi TLB flush"),
	P("build_inv_", "AMD-Vi invalidation commands"),
	/* Arm SMMU, RISC-V IOMMU, virtio-iommu */
	P("arm_smmu_", "Arm SMMUv2/v3 ops and TLB invalidation"),
	P("arm_lpae_", "Arm LPAE page tables"),
	P("__arm_lpae_", "Arm LPAE page tables"),
	P("arm_v7s_", "Arm v7s page tables"),
	P("__arm_v7s_", "Arm v7s page tables"),
	P("io_pgtable", "io-pgtable TLB callbacks"),
	P("riscv_iommu_", "RISC-V IOMMU"),
	P("viommu_", "virtio-iommu (QEMU, cloud guests)"),
	P("__viommu_", "virtio-iommu"),
	/*
	 * block: the DMA iterator (6.17+) maps a request's segments itself.
	 * Building a scatterlist (__blk_rq_map_sg, blk_map_iter_next) is
	 * not counted: drivers that map nothing (virtio without the DMA API)
	 * do it too.
	 */
	P("blk_rq_dma_", "block DMA iterator (6.17+)"),
	P("blk_dma_", "block DMA iterator internals"),
	P("blk_rq_integrity_dma_", "block DMA iterator, integrity data"),
	/* RDMA */
	P("ib_dma_", "RDMA wrappers, rxe/siw virtual mapping"),
};

/* Users of a "dma_" name that are not mapping code. */
static const struct rule dma_except[] = {
	P("dma_buf_", "dma-buf sharing"),
	P("dma_fence_", "dma-buf fences"),
	P("__dma_fence_", "dma-buf fences"),
	P("dma_resv_", "dma-buf reservations"),
	P("dma_heap_", "dma-buf heaps"),
	P("dma_async_", "DMA engines"),
	P("__dma_async_", "DMA engines"),
	P("dma_chan_", "DMA engines"),
	P("dma_channel_", "DMA engines"),
	P("dma_request_", "DMA engines"),
	P("__dma_request_", "DMA engines"),
	P("dma_get_slave_", "DMA engines"),
	X("dma_get_any_slave_channel", "DMA engines"),
	X("dma_release_channel", "DMA engines"),
	X("dma_find_channel", "DMA engines"),
	X("dma_issue_pending_all", "DMA engines"),
	X("dma_run_dependencies", "DMA engines"),
	X("dma_wait_for_async_tx", "DMA engines"),
	X("dma_sync_wait", "DMA engines"),
	X("dma_bus_init", "DMA engines"),
	X("dma_rx_complete", "8250 serial DMA"),
	X("__dma_rx_complete", "8250 serial DMA"),
	X("__dma_tx_complete", "8250 serial DMA"),
};

/* Modules whose every function is DMA code. */
static const struct rule dma_modules[] = {
	P("iommu_", "generic page tables (iommu_vtdss, ...)"),
	X("virtio_iommu", "virtio-iommu"),
	X("arm_smmu", "Arm SMMUv2"),
	X("arm_smmu_v3", "Arm SMMUv3"),
};

static const struct rule idle_rules[] = {
	X("do_idle", "the idle loop"),
	X("cpu_startup_entry", "the idle task's entry"),
	X("cpu_idle_poll", "idle=poll"),
	X("default_idle_call", "idle without a cpuidle driver"),
	X("default_idle", "x86 HLT idle"),
	X("arch_cpu_idle", "architecture idle"),
	X("arch_cpu_idle_enter", "architecture idle"),
	X("arch_cpu_idle_exit", "architecture idle"),
	X("native_safe_halt", "x86 STI; HLT"),
	X("pv_native_safe_halt", "x86 STI; HLT, paravirt"),
	X("native_halt", "x86 HLT"),
	X("pvm_safe_halt", "PVM guest halt"),
	X("xen_safe_halt", "Xen guest halt"),
	X("amd_e400_idle", "AMD E400 idle"),
	P("mwait_idle", "x86 MWAIT idle"),
	P("intel_idle", "intel_idle driver"),
	P("acpi_idle_", "ACPI C-states"),
	X("acpi_safe_halt", "ACPI C1"),
	X("acpi_processor_ffh_cstate_enter", "ACPI FFH C-states (MWAIT)"),
	X("acpi_processor_ffh_lpi_enter", "ACPI LPI states"),
	X("io_idle", "ACPI C-state entry by I/O port"),
	X("poll_idle", "cpuidle polling state"),
	X("default_enter_idle", "cpuidle-haltpoll"),
	X("cpu_do_idle", "arm64 WFI"),
	X("psci_enter_idle_state", "arm64 PSCI idle"),
	X("call_cpuidle", "cpuidle entry from the idle loop"),
	P("cpuidle_", "cpuidle core: state entry, governor calls"),
	X("menu_select", "menu governor"),
	X("menu_reflect", "menu governor"),
	X("teo_select", "teo governor"),
	X("teo_reflect", "teo governor"),
	X("teo_update", "teo governor"),
	X("ladder_select_state", "ladder governor"),
	X("ladder_reflect", "ladder governor"),
	X("haltpoll_select", "haltpoll governor"),
	X("haltpoll_reflect", "haltpoll governor"),
	X("sched_idle_set_state", "cpuidle state bookkeeping"),
	X("ct_idle_enter", "context tracking around idle"),
	X("ct_idle_exit", "context tracking around idle"),
	P("tick_nohz_idle_", "stopping and restarting the tick on idle"),
};

/* Does name, up to its compiler suffix, match the rule? */
static bool match(const struct rule *r, const char *name)
{
	size_t len = strcspn(name, "."), rl = strlen(r->match);

	if (r->prefix)
		return len >= rl && !strncmp(name, r->match, rl);
	return len == rl && !strncmp(name, r->match, rl);
}

static bool any(const struct rule *rules, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (match(&rules[i], name))
			return true;
	return false;
}

bool dmasym_is_dma(const char *name)
{
	if (!name)
		return false;
	return any(dma_rules, ARRAY_SIZE(dma_rules), name) &&
	       !any(dma_except, ARRAY_SIZE(dma_except), name);
}

bool dmasym_module_is_dma(const char *module)
{
	return module && any(dma_modules, ARRAY_SIZE(dma_modules), module);
}

bool dmasym_is_idle(const char *name)
{
	return name && any(idle_rules, ARRAY_SIZE(idle_rules), name);
}

static void print_rules(FILE *f, const struct rule *rules, size_t n)
{
	char pat[64];

	for (size_t i = 0; i < n; i++) {
		snprintf(pat, sizeof(pat), "%s%s", rules[i].match,
			 rules[i].prefix ? "*" : "");
		fprintf(f, "  %-30s %s\n", pat, rules[i].what);
	}
}

void dmasym_print(FILE *f)
{
	fputs("DMA mapping code: a kernel sample in a function so named "
	      "counts as DMA.\n", f);
	print_rules(f, dma_rules, ARRAY_SIZE(dma_rules));
	fputs("except:\n", f);
	print_rules(f, dma_except, ARRAY_SIZE(dma_except));
	fputs("and every function of the modules:\n", f);
	print_rules(f, dma_modules, ARRAY_SIZE(dma_modules));
	fputs("Idle: left out of the DMA share's denominator, with all of "
	      ".cpuidle.text.\n", f);
	print_rules(f, idle_rules, ARRAY_SIZE(idle_rules));
	fputs("A compiler suffix (.cold, .isra.0, .constprop.0, ...) is "
	      "ignored.\n", f);
}

static void json_rules(struct json *j, const char *key,
		       const struct rule *rules, size_t n)
{
	json_arr_begin(j, key);
	for (size_t i = 0; i < n; i++) {
		json_obj_begin(j, NULL);
		json_str(j, "match", rules[i].match);
		json_bool(j, "prefix", rules[i].prefix);
		json_str(j, "what", rules[i].what);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void dmasym_json(struct json *j, const char *key)
{
	json_obj_begin(j, key);
	json_rules(j, "dma", dma_rules, ARRAY_SIZE(dma_rules));
	json_rules(j, "dma_except", dma_except, ARRAY_SIZE(dma_except));
	json_rules(j, "dma_modules", dma_modules, ARRAY_SIZE(dma_modules));
	json_rules(j, "idle", idle_rules, ARRAY_SIZE(idle_rules));
	json_bool(j, "cpuidle_text_is_idle", true);
	json_obj_end(j);
}
