// SPDX-License-Identifier: GPL-2.0
/*
 * sysprof: /proc/stat busy ticks, kallsyms parsing and lookup, the DMA
 * and idle tables, perf error reasons, and a start/stop that must not
 * fail whatever perf allows here.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasyms.h"
#include "json.h"
#include "kallsyms.h"
#include "sysprof.h"
#include "tap.h"
#include "util.h"

static void proc_stat(void)
{
	const char *full =
		"cpu  100 5 50 1000 20 3 2 1 7 0\n"
		"cpu0 60 2 30 500 10 2 1 1 7 0\n"
		"cpu1 40 3 20 500 10 1 1 0 0 0\n"
		"intr 12345 1 2 3\n"
		"ctxt 99\n"
		"softirq 5 1 1 1 1 1\n";
	const char *percpu =
		"cpu0 60 2 30 500 10 2 1 1 7 0\n"
		"cpufreq 1 2 3 4\n"
		"cpu1 40 3 20 500 10 1 1 0 0 0\n";
	uint64_t busy = 0;

	ok(!sysprof_parse_stat(full, &busy) && busy == 161,
	   "stat: user+nice+system+irq+softirq+steal of the cpu line");
	ok(!sysprof_parse_stat(percpu, &busy) && busy == 161,
	   "stat: else the sum of the cpuN lines");
	ok(!sysprof_parse_stat("cpu 1 2 3 4\n", &busy) && busy == 6,
	   "stat: an old kernel's four fields");
	ok(!sysprof_parse_stat("cpu  1 2 3 4 5 6 7 8", &busy) && busy == 27,
	   "stat: no newline at the end");
	ok(sysprof_parse_stat("cpu 1 2\n", &busy) == -EINVAL,
	   "stat: too few fields refused");
	ok(sysprof_parse_stat("intr 1 2 3 4\nctxt 5\n", &busy) == -EINVAL,
	   "stat: no cpu line refused");
	ok(sysprof_parse_stat("", &busy) == -EINVAL, "stat: empty refused");
}

static const char ksyms_text[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81000100 T dma_map_page_attrs\n"
	"ffffffff81000080 t dma_map_phys\n"
	"ffffffff81000200 D some_data\n"
	"ffffffff81000300 T iommu_dma_map_phys\n"
	"ffffffff81000380 W weak_fn\n"
	"0000000000000000 T hidden_fn\n"
	"ffffffff81000400 t swiotlb_tbl_map_single.cold\n"
	"ffffffffc0001100 t nvme_irq\t[nvme]\n"
	"ffffffffc0001000 t nvme_queue_rq\t[nvme]\n"
	"garbage line\n"
	"ffffffff81000500 r read_only\n";

static const char *name_at(const struct kallsyms *ks, uint64_t ip)
{
	const struct ksym *s = kallsyms_lookup(ks, ip);

	return s ? s->name : "(none)";
}

static void kallsyms(void)
{
	struct kallsyms ks;
	const struct ksym *s;
	char err[128] = "";
	int e;

	e = kallsyms_parse(&ks, ksyms_text, strlen(ksyms_text), err,
			   sizeof(err));
	if (!ok(!e, "kallsyms: parsed"))
		tap_diag("%s", err);
	is_int((long long)ks.n, 9, "kallsyms: text symbols kept");
	is_int((long long)ks.hidden, 1, "kallsyms: zero address skipped");
	is_str(name_at(&ks, 0xffffffff81000000ULL), "_text",
	       "kallsyms: same address, first in the file");
	is_str(name_at(&ks, 0xffffffff8100007fULL), "_text",
	       "kallsyms: just below the next symbol");
	is_str(name_at(&ks, 0xffffffff81000080ULL), "dma_map_phys",
	       "kallsyms: at a symbol's address");
	is_str(name_at(&ks, 0xffffffff81000150ULL), "dma_map_page_attrs",
	       "kallsyms: sorted although out of order in the file");
	is_str(name_at(&ks, 0xffffffff81000250ULL), "dma_map_page_attrs",
	       "kallsyms: data symbols do not end a function");
	is_str(name_at(&ks, 0xffffffff81000390ULL), "weak_fn",
	       "kallsyms: weak symbol");
	is_str(name_at(&ks, 0xffffffff81000410ULL),
	       "swiotlb_tbl_map_single.cold", "kallsyms: suffix kept");
	s = kallsyms_lookup(&ks, 0xffffffffc0001010ULL);
	ok(s && !strcmp(s->name, "nvme_queue_rq") && s->module &&
	   !strcmp(s->module, "nvme"), "kallsyms: module symbol and module");
	s = kallsyms_lookup(&ks, 0xffffffff81000300ULL);
	ok(s && !s->module, "kallsyms: built-in symbol has no module");
	is_str(name_at(&ks, 0xffffffffc0001100ULL), "nvme_irq",
	       "kallsyms: at the last symbol");
	ok(!kallsyms_lookup(&ks, 0xffffffffc0001101ULL),
	   "kallsyms: beyond the last symbol unknown");
	ok(!kallsyms_lookup(&ks, 0x1000), "kallsyms: below the first unknown");
	is_int(kallsyms_index(&ks, 0xffffffffc0001101ULL), -1,
	       "kallsyms: unknown index -1");
	ok(kallsyms_addr(&ks, "iommu_dma_map_phys") == 0xffffffff81000300ULL,
	   "kallsyms: address by name");
	ok(kallsyms_addr(&ks, "no_such") == 0, "kallsyms: no such name");
	kallsyms_free(&ks);

	e = kallsyms_parse(&ks, "0000000000000000 T a\n0000000000000000 t b\n",
			   42, err, sizeof(err));
	ok(e == -EPERM && strstr(err, "kptr_restrict"),
	   "kallsyms: all addresses hidden says why");
	e = kallsyms_parse(&ks, "", 0, err, sizeof(err));
	ok(e == -ENOENT, "kallsyms: empty text refused");
	e = kallsyms_load(&ks, "/nonexistent/kallsyms", err, sizeof(err));
	ok(e == -ENOENT && strstr(err, "/nonexistent/kallsyms"),
	   "kallsyms: missing file says which");
}

static void classes(void)
{
	static const char *const dma[] = {
		"dma_map_page_attrs", "dma_unmap_page_attrs", "dma_map_phys",
		"dma_unmap_phys", "dma_map_sg_attrs", "__dma_map_sg_attrs",
		"dma_direct_map_sg", "dma_iova_link", "dma_iova_sync",
		"__dma_sync_single_for_cpu", "dma_pool_alloc",
		"iommu_dma_map_phys", "iommu_dma_unmap_phys", "__iommu_dma_map",
		"iommu_dma_free_iova.isra.0", "iommu_map_nosync",
		"__iommu_unmap", "iommu_iotlb_sync", "alloc_iova_fast",
		"free_iova_fast", "__alloc_and_insert_iova_range",
		"iova_rcache_insert", "fq_ring_free_locked", "queue_iova",
		"swiotlb_tbl_map_single", "swiotlb_tbl_map_single.cold",
		"__swiotlb_tbl_unmap_single", "swiotlb_bounce",
		"intel_iommu_map_pages", "intel_iommu_unmap_pages",
		"__domain_mapping", "domain_unmap", "pfn_to_dma_pte",
		"dma_pte_clear_level", "cache_tag_flush_range",
		"qi_submit_sync", "amd_iommu_iotlb_sync_map",
		"arm_smmu_tlb_inv_range_domain", "__arm_lpae_map",
		"viommu_map_pages", "pt_iommu_vtdss_map_pages",
		"__map_range_leaf", "blk_rq_dma_map_iter_start",
		"blk_rq_dma_map_iter_next", "ib_dma_virt_map_sg",
	};
	static const char *const not_dma[] = {
		"nvme_queue_rq", "nvme_pci_setup_data_prp", "nvme_irq",
		"io_submit_sqes", "blk_mq_submit_bio", "__blk_rq_map_sg",
		"blk_map_iter_next", "dma_fence_signal", "__dma_fence_init",
		"dma_buf_map_attachment", "dma_resv_add_fence",
		"dma_async_device_register", "dma_sync_wait",
		"dma_request_chan", "iommufd_vfio_ioctl", "default_idle",
		"dmam_alloc_attrs", "domain_mapping", "dma", "",
	};
	static const char *const idle[] = {
		"default_idle", "default_idle_call", "do_idle",
		"arch_cpu_idle", "cpuidle_enter_state", "cpuidle_enter",
		"intel_idle", "intel_idle_irq", "mwait_idle_with_hints",
		"acpi_idle_do_entry", "acpi_safe_halt", "native_safe_halt",
		"pv_native_safe_halt", "cpu_idle_poll.isra.0", "poll_idle",
		"cpu_startup_entry", "tick_nohz_idle_stop_tick",
		"menu_select",
	};
	static const char *const not_idle[] = {
		"schedule_idle", "do_idle_x", "dma_map_phys", "nvme_irq",
		"idle_cpu", "",
	};

	for (size_t i = 0; i < ARRAY_SIZE(dma); i++)
		ok(dmasym_is_dma(dma[i]), "dma: %s", dma[i]);
	for (size_t i = 0; i < ARRAY_SIZE(not_dma); i++)
		ok(!dmasym_is_dma(not_dma[i]), "not dma: '%s'", not_dma[i]);
	ok(!dmasym_is_dma(NULL), "not dma: NULL");
	for (size_t i = 0; i < ARRAY_SIZE(idle); i++)
		ok(dmasym_is_idle(idle[i]), "idle: %s", idle[i]);
	for (size_t i = 0; i < ARRAY_SIZE(not_idle); i++)
		ok(!dmasym_is_idle(not_idle[i]), "not idle: '%s'",
		   not_idle[i]);
	ok(dmasym_module_is_dma("iommu_vtdss"), "dma module: iommu_vtdss");
	ok(!dmasym_module_is_dma("nvme"), "not a dma module: nvme");
	ok(!dmasym_module_is_dma(NULL), "not a dma module: built in");
}

static void tables(void)
{
	struct json j;
	json_t *doc;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!ok(f != NULL, "tables: memstream"))
		return;
	dmasym_print(f);
	fflush(f);
	ok(strstr(buf, "dma_*") && strstr(buf, "default_idle") &&
	   strstr(buf, "dma_fence_*"), "tables: printed");
	rewind(f);
	len = 0;
	json_init(&j, f);
	dmasym_json(&j, NULL);
	fputc('\0', f);
	fflush(f);
	doc = json_loads(buf, 0, NULL);
	ok(doc && strstr(buf, "\"dma_except\""), "tables: valid JSON");
	json_decref(doc);
	fclose(f);
	free(buf);
}

static void reasons(void)
{
	char buf[128];

	sysprof_perf_reason(buf, sizeof(buf), "perf_event_open", ENOENT);
	is_str(buf, "perf_event_open: No such file or directory (no hardware "
	       "PMU: a VM without PMU passthrough?)", "reason: no PMU");
	sysprof_perf_reason(buf, sizeof(buf), "perf_event_open", EACCES);
	ok(strstr(buf, "Permission denied") &&
	   strstr(buf, "/proc/sys/kernel/perf_event_paranoid to -1"),
	   "reason: paranoid");
	sysprof_perf_reason(buf, sizeof(buf), "perf_event_open", EINVAL);
	is_str(buf, "perf_event_open: Invalid argument",
	       "reason: no fix known");
}

/* Whatever perf allows here: no crash, and a reason for each NAN. */
static void live(void)
{
	struct sysprof_opts none = { 0 }, all = { true, true, 0 };
	struct sysprof_result r;
	struct sysprof *p;

	p = sysprof_start(&none);
	ok(p != NULL, "live: start without perf");
	is_int(sysprof_stop(p, &r), 0, "live: stop");
	ok(r.seconds >= 0 && r.cpu_tick_ns > 0 && !isnan(r.busy_ns),
	   "live: busy time read");
	ok(isnan(r.kcycles) && !strcmp(r.counters_reason, "not requested"),
	   "live: counters not requested");
	ok(isnan(r.dma_share) && !strcmp(r.share_source, "unavailable") &&
	   !strcmp(r.share_reason, "not requested"),
	   "live: sampling not requested");
	is_int(sysprof_stop(p, &r), -EALREADY, "live: stopped once only");
	sysprof_free(p);
	is_int(sysprof_stop(NULL, &r), -EINVAL, "live: stop without start");
	ok(isnan(r.seconds), "live: nothing measured without start");
	sysprof_free(NULL);

	p = sysprof_start(&all);
	ok(p != NULL, "live: start with perf");
	is_int(sysprof_stop(p, &r), 0, "live: stop with perf");
	ok(!isnan(r.kcycles) || r.counters_reason[0],
	   "live: counters, or why not");
	ok(!isnan(r.dma_share) || r.share_reason[0],
	   "live: share, or why not");
	ok(r.samples >= r.idle_samples + r.dma_samples &&
	   r.ntop <= ARRAY_SIZE(r.top), "live: sample counts consistent");
	tap_diag("counters: %s; share: %s %s",
		 r.counters_reason[0] ? r.counters_reason : "available",
		 r.share_source, r.share_reason);
	sysprof_free(p);
}

void test_sysprof(void)
{
	proc_stat();
	kallsyms();
	classes();
	tables();
	reasons();
	live();
}
