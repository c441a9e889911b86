// SPDX-License-Identifier: GPL-2.0
/*
 * meta.json (a run) and part.json (one boot's share of a run).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "meta.h"
#include "names.h"
#include "stats.h"

/* argv joined, set by main(). */
const char *dmabench_command;

const char meta_harness_method[] =
	"harness = median of api 'none' (an empty timed slot) at the same path, "
	"size, dir and op, in the same unit and boot; net_median = median - "
	"harness; n, min, median, p90, p99, max and mean are not adjusted";

static const char conversion_tsc[] =
	"ns = ticks * 1000000 / tsc_khz, with the tsc_khz the module reported "
	"in the boot the row comes from (boots[].module.tsc_khz); samples/ "
	"files hold the raw ticks";

static const char conversion_icount[] =
	"none: values are raw TSC ticks; under QEMU -icount shift=0 the guest "
	"TSC advances one tick per guest instruction; samples/ files hold the "
	"same ticks";

const char *const meta_counter_names[DMABENCH_NR_COUNTERS] = {
	"cycles", "instructions", "branch-misses", "cache-misses",
};

static const char rate_method[] =
	"rate = operations (map+unmap pairs, timed, all threads and repeats) "
	"per second of wall time, wall time being the sum over repeats of "
	"wall_ticks (first thread's start to last thread's end) / tsc_khz; "
	"with --clock icount per 1e9 instructions (wall_ticks are "
	"instructions there); threads.csv: a thread's operations over the "
	"same wall time, so that threads' rates add up to the point's";

static const char pooling_method[] =
	"a row pools the samples of all threads and repeats of its point; "
	"threads.csv has each thread's own n, median, mean and rate; "
	"spread = (max - min of the per-repeat medians) / pooled median, "
	"empty for one repeat";

static const char counters_method[] =
	"rows with unit cycles, instructions, branch-misses, cache-misses: "
	"op pair, n = operations (warmup + samples, all threads and repeats), "
	"mean = PMU totals over the IRQ-off windows, kernel only, read just "
	"outside each window / n; harness = the same of api none; other "
	"statistics empty; absent where the kernel could not count them";

const char *meta_unit(const char *clock)
{
	return strcmp(clock, "icount") ? "ns" : "instructions";
}

/* ISO 8601, UTC. */
void meta_date(char *buf, size_t size, time_t when)
{
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void json_hex(struct json *j, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	json_str(j, key, buf);
}

void meta_statistics(struct json *j)
{
	json_obj_begin(j, "statistics");
	json_str(j, "quantiles", stats_quantile_method);
	json_str(j, "harness", meta_harness_method);
	json_str(j, "interval", stats_ci_method);
	json_str(j, "pooling", pooling_method);
	json_str(j, "rate", rate_method);
	json_str(j, "counters", counters_method);
	json_obj_end(j);
}

/* The fields a run and a part share, up to the boots. */
void meta_run_fields(struct json *j, const struct run_meta *r)
{
	bool icount = !strcmp(r->clock, "icount");
	struct utsname u;

	json_u64(j, "format", META_FORMAT);
	json_obj_begin(j, "suite");
	json_str(j, "name", "dmabench");
	json_str(j, "rev", r->rev);
	json_obj_end(j);
	json_str(j, "date", r->date);
	json_str(j, "command", r->command);
	json_str(j, "unit", meta_unit(r->clock));
	/* The architecture measured: uname's machine (x86_64, aarch64). */
	json_str(j, "arch", uname(&u) ? "unknown" : u.machine);
	json_obj_begin(j, "clock");
	json_str(j, "source", r->clock);
	json_u64(j, "tsc_khz", r->tsc_khz);
	json_str(j, "conversion", icount ? conversion_icount : conversion_tsc);
	json_obj_end(j);
	json_bool(j, "emulated", r->emulated);
	json_bool(j, "hypervisor", r->hypervisor);
	meta_statistics(j);
}

static void boot_kernel(struct json *j, const struct sys_info *si)
{
	const struct kconfig *kc = &si->config;

	json_obj_begin(j, "kernel");
	json_str(j, "release", si->release);
	json_str(j, "version", si->version);
	json_str(j, "proc_version", si->proc_version);
	/* Who built it and with which configuration: what tells two builds of
	 * one release apart. */
	if (si->compiler[0])
		json_str(j, "compiler", si->compiler);
	else
		json_none(j, "compiler");
	if (si->linker[0])
		json_str(j, "linker", si->linker);
	else
		json_none(j, "linker");
	if (kc->sha256[0])
		json_str(j, "config_sha256", kc->sha256);
	else
		json_none(j, "config_sha256");
	json_obj_end(j);
	json_str(j, "cmdline", si->cmdline);
	json_obj_begin(j, "config");
	if (kc->file[0]) {
		json_str(j, "file", kc->file);
		json_obj_begin(j, "options");
		for (size_t i = 0; i < kc->n; i++) {
			if (kc->opt[i].value)
				json_str(j, kc->opt[i].name, kc->opt[i].value);
			else
				json_none(j, kc->opt[i].name);
		}
		json_obj_end(j);
	} else {
		json_str(j, "unavailable", kc->reason);
	}
	json_obj_end(j);
}

/* What the module said of its counters: all, some, or none, and why. */
static void boot_counters(struct json *j, const struct boot_meta *b)
{
	int missing = 0;

	if (b->counters <= 0) {
		json_str(j, "counters", b->counters ? "unknown" : "not requested");
		return;
	}
	for (int c = 0; c < DMABENCH_NR_COUNTERS; c++)
		missing += b->cnt_err[c] != 0;
	json_str(j, "counters", !missing ? "available" :
		 missing == DMABENCH_NR_COUNTERS ? "unavailable" : "partial");
	if (!missing)
		return;
	json_obj_begin(j, "reasons");
	for (int c = 0; c < DMABENCH_NR_COUNTERS; c++)
		if (b->cnt_err[c])
			json_str(j, meta_counter_names[c], strerror(-b->cnt_err[c]));
	json_obj_end(j);
}

static void boot_cpufreq(struct json *j, const struct cpufreq_info *cf)
{
	char cpu[16];

	if (!cf)
		return;
	json_obj_begin(j, "cpufreq");
	json_obj_begin(j, "scaling_governor");
	for (size_t i = 0; i < cf->ncpus; i++) {
		snprintf(cpu, sizeof(cpu), "%u", cf->cpu[i]);
		json_str(j, cpu, cf->governor[i]);
	}
	json_obj_end(j);
	json_str(j, "boost", cf->boost);
	json_str(j, "intel_pstate_no_turbo", cf->no_turbo);
	json_u64(j, "tsc_khz", cf->tsc_khz);
	if (cf->flags_known) {
		json_bool(j, "constant_tsc", cf->constant_tsc);
		json_bool(j, "nonstop_tsc", cf->nonstop_tsc);
	} else {
		json_none(j, "constant_tsc");
		json_none(j, "nonstop_tsc");
	}
	json_obj_end(j);
	json_arr_begin(j, "warnings");
	for (int i = 0; i < cf->nwarnings; i++)
		json_str(j, NULL, cf->warning[i]);
	json_arr_end(j);
}

static void boot_machine(struct json *j, const struct boot_meta *b)
{
	const struct sys_info *si = b->si;

	/* which machine: compare groups a fleet's runs by it */
	json_obj_begin(j, "host");
	json_str(j, "name", si->host);
	json_str(j, "arch", si->arch);
	json_obj_end(j);
	json_obj_begin(j, "cpu");
	json_str(j, "model", si->cpu_model);
	json_int(j, "count", si->cpu_count);
	json_bool(j, "flags_hypervisor", si->hypervisor);
	json_int(j, "pinned", b->cpu);
	json_arr_begin(j, "threads_cpus");
	for (size_t i = 0; i < b->ncpus; i++)
		json_u64(j, NULL, b->cpus[i]);
	json_arr_end(j);
	json_int(j, "node", b->node);
	json_u64(j, "repeat", b->repeat);
	json_obj_end(j);
	json_str(j, "clocksource", si->clocksource);
	json_obj_begin(j, "swiotlb");
	if (si->swiotlb_known) {
		json_u64(j, "io_tlb_nslabs", si->io_tlb_nslabs);
		json_u64(j, "io_tlb_used", si->io_tlb_used);
	} else {
		json_str(j, "unavailable", si->swiotlb_reason);
	}
	json_obj_end(j);
	json_obj_begin(j, "pmu");
	json_bool(j, "available", si->pmu);
	if (si->pmu)
		json_none(j, "reason");
	else
		json_str(j, "reason", si->pmu_reason);
	boot_counters(j, b);
	json_obj_end(j);
	boot_cpufreq(j, b->cf);
}

static void boot_module(struct json *j, const struct dmabench_info *info)
{
	const char *feat[8];
	int n;

	if (!info) {
		json_none(j, "module");	/* a workload run without the module */
		return;
	}
	json_obj_begin(j, "module");
	json_u64(j, "uapi_version", DMABENCH_UAPI_VERSION);
	json_arr_begin(j, "features");
	n = feature_list(info->features, feat, 8);
	for (int i = 0; i < n; i++)
		json_str(j, NULL, feat[i]);
	json_arr_end(j);
	json_u64(j, "tsc_khz", info->tsc_khz);
	json_str(j, "clock", clock_name(info->clock));
	json_u64(j, "max_samples", info->max_samples);
	json_u64(j, "max_threads", info->max_threads);
	json_u64(j, "max_buffers", info->max_buffers);
	json_obj_end(j);
}

static void device(struct json *j, unsigned int target,
		   const struct dmabench_target_info *t)
{
	char name[sizeof(t->name) + 1];

	json_str(j, "target", target_name(target));
	json_bool(j, "present", t && t->present);
	if (!t || !t->present)
		return;
	memcpy(name, t->name, sizeof(t->name));
	name[sizeof(t->name)] = '\0';
	json_str(j, "name", name);
	json_str(j, "domain", domain_name(t->domain));
	json_hex(j, "dma_mask", t->dma_mask);
	json_bool(j, "uses_dma_ops", t->uses_dma_ops);
	json_bool(j, "swiotlb_force", t->swiotlb_force);
	json_bool(j, "coherent", t->coherent);
	json_hex(j, "mmio_phys", t->mmio_phys);
}

static void boot_devices(struct json *j, const struct boot_meta *b)
{
	const struct pcibind *pb = b->pb;

	json_arr_begin(j, "devices");
	if (b->info) {
		json_obj_begin(j, NULL);
		device(j, DMABENCH_TARGET_OWN,
		       &b->info->target[DMABENCH_TARGET_OWN]);
		json_obj_end(j);
	}
	if (pb) {
		json_obj_begin(j, NULL);
		device(j, DMABENCH_TARGET_PCI, b->pci);
		json_str(j, "bdf", pb->bdf);
		json_str(j, "original_driver", pb->orig_driver);
		json_int(j, "iommu_group", pb->group);
		if (pb->group >= 0)
			json_str(j, "original_group_type", pb->orig_type);
		else
			json_none(j, "original_group_type");
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void boot_paths(struct json *j, const struct boot_meta *b)
{
	json_arr_begin(j, "paths");
	for (int i = 0; i < b->npaths; i++) {
		const struct path_record *p = &b->paths[i];

		json_obj_begin(j, NULL);
		json_str(j, "path", path_names[p->path]);
		json_str(j, "target", target_name(p->target));
		json_str(j, "device", p->device);
		json_str(j, "domain", domain_name(p->domain));
		json_str(j, "observed", observed_name(p->observed));
		json_bool(j, "coherent", p->coherent);
		json_int(j, "iommu_group", p->group);
		if (p->group_type)
			json_str(j, "group_type", p->group_type);
		else
			json_none(j, "group_type");
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void boot_notes(struct json *j, const struct boot_meta *b)
{
	json_obj_begin(j, "notes");
	for (int i = 0; i < b->nnotes; i++) {
		const char *eq = strchr(b->notes[i], '=');
		char *key = strndup(b->notes[i], eq - b->notes[i]);

		if (key)
			json_str(j, key, eq + 1);
		free(key);
	}
	json_obj_end(j);
}

/*
 * The CPU model an emulator was told to present (the lab's QEMU -cpu, given
 * as --note cpu_model=...), or null: the machine's own CPU.
 */
static void boot_cpu_model(struct json *j, const struct boot_meta *b)
{
	for (int i = 0; i < b->nnotes; i++) {
		if (!strncmp(b->notes[i], "cpu_model=", 10)) {
			json_str(j, "cpu_model", b->notes[i] + 10);
			return;
		}
	}
	json_none(j, "cpu_model");
}

void meta_boot(struct json *j, const char *key, const struct boot_meta *b)
{
	json_obj_begin(j, key);
	boot_kernel(j, b->si);
	boot_machine(j, b);
	boot_module(j, b->info);
	boot_devices(j, b);
	boot_paths(j, b);
	boot_notes(j, b);
	boot_cpu_model(j, b);
	json_bool(j, "emulated", b->emulated);
	json_obj_end(j);
}

/* meta.json: boots is an array of one; part.json: a single boot. */
int meta_write(FILE *f, const struct run_meta *r, const struct boot_meta *b,
	       bool part)
{
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	meta_run_fields(&j, r);
	if (part) {
		meta_boot(&j, "boot", b);
	} else {
		json_arr_begin(&j, "boots");
		meta_boot(&j, NULL, b);
		json_arr_end(&j);
	}
	json_obj_end(&j);
	return ferror(f) ? -1 : 0;
}
