// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: hardware counters of a timing thread's CPU.
 *
 * One pinned, kernel-only counter per event on the thread's CPU, read just
 * before and just after each interrupts-off window, so the sums cover the
 * timed loop, its harness and the reads themselves (perf_event_read_local(),
 * which could be read inside the window, is not exported to modules).
 * Userspace divides by the operations and subtracts the DMABENCH_API_NONE
 * run's figures, which carry the same harness, as for the timings.  A CPU
 * without a PMU (QEMU TCG) gives no counter: the reason goes back as -errno,
 * never a zero.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/perf_event.h>
#include "dmabench.h"

static const u64 dmabench_events[DMABENCH_NR_COUNTERS] = {
	[DMABENCH_CNT_CYCLES] = PERF_COUNT_HW_CPU_CYCLES,
	[DMABENCH_CNT_INSTRUCTIONS] = PERF_COUNT_HW_INSTRUCTIONS,
	[DMABENCH_CNT_BRANCH_MISSES] = PERF_COUNT_HW_BRANCH_MISSES,
	[DMABENCH_CNT_CACHE_MISSES] = PERF_COUNT_HW_CACHE_MISSES,
};

/* Open what the CPU has; err[i] says why counter i is missing. */
void dmabench_pmu_open(struct dmabench_thread *t, s32 *err)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.pinned = 1,
		.exclude_user = 1,
		.exclude_hv = 1,
	};
	struct perf_event *ev;
	int i;

	for (i = 0; i < DMABENCH_NR_COUNTERS; i++) {
		attr.config = dmabench_events[i];
		attr.exclude_idle = 1;
		ev = perf_event_create_kernel_counter(&attr, t->cpu, NULL,
						      NULL, NULL);
		/*
		 * Arm's PMU drivers cannot leave idle out (-EOPNOTSUPP).  The
		 * timing thread never idles between its reads (it only
		 * cond_resched()s), so nothing is lost without it.
		 */
		if (PTR_ERR_OR_ZERO(ev) == -EOPNOTSUPP) {
			attr.exclude_idle = 0;
			ev = perf_event_create_kernel_counter(&attr, t->cpu,
							      NULL, NULL, NULL);
		}
		if (IS_ERR(ev)) {
			if (!err[i])
				err[i] = PTR_ERR(ev);
			continue;
		}
		t->events[i] = ev;
	}
}

/* Just before a window (end false) and just after it; may sleep. */
void dmabench_pmu_read(struct dmabench_thread *t, bool end)
{
	u64 value, enabled, running;
	int i;

	for (i = 0; i < DMABENCH_NR_COUNTERS; i++) {
		if (!t->events[i] || t->read_err[i])
			continue;
		value = perf_event_read_value(t->events[i], &enabled, &running);
		if (enabled != running) {
			/* Multiplexed: a scaled count is not a count. */
			t->read_err[i] = -EBUSY;
			continue;
		}
		if (end)
			t->counts[i] += value;
		else
			t->counts[i] -= value;
	}
}

void dmabench_pmu_close(struct dmabench_thread *t)
{
	int i;

	for (i = 0; i < DMABENCH_NR_COUNTERS; i++) {
		if (t->events[i])
			perf_event_release_kernel(t->events[i]);
		t->events[i] = NULL;
	}
}
