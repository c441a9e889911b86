// SPDX-License-Identifier: GPL-2.0
/*
 * Provenance: kernel, command line, configuration, CPU, clock source,
 * PMU and swiotlb state of the running system.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sha256.h"
#include "sysinfo.h"
#include "util.h"

#define SWIOTLB_DEBUGFS	"/sys/kernel/debug/swiotlb"
#define CLOCKSOURCE	"/sys/devices/system/clocksource/clocksource0/current_clocksource"

/* The configuration options worth keeping with a result. */
static const char *const kconfig_words[] = {
	"DMA", "IOMMU", "SWIOTLB", "KMSAN", "PREEMPT", "HZ", "MITIGATION",
	"RETPOLINE",
};

bool kconfig_selected(const char *name)
{
	if (strncmp(name, "CONFIG_", 7))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(kconfig_words); i++)
		if (strstr(name + 7, kconfig_words[i]))
			return true;
	return false;
}

/*
 * Split "CONFIG_FOO=y" or "# CONFIG_FOO is not set" in place.  Returns 0
 * and the name (and value, NULL for "not set"), or -EINVAL for other lines.
 */
int kconfig_parse_line(char *line, char **name, char **value)
{
	size_t len = strlen(line);
	char *eq;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (!strncmp(line, "# CONFIG_", 9) && len > 13 &&
	    !strcmp(line + len - 11, " is not set")) {
		line[len - 11] = '\0';
		*name = line + 2;
		*value = NULL;
		return 0;
	}
	eq = strchr(line, '=');
	if (strncmp(line, "CONFIG_", 7) || !eq)
		return -EINVAL;
	*eq = '\0';
	*name = line;
	*value = eq + 1;
	return 0;
}

static int kconfig_add(struct kconfig *kc, const char *name, const char *value)
{
	struct kconfig_opt *opt;

	opt = realloc(kc->opt, (kc->n + 1) * sizeof(*opt));
	if (!opt)
		return -ENOMEM;
	kc->opt = opt;
	opt = &kc->opt[kc->n];
	opt->name = strdup(name);
	opt->value = value ? strdup(value) : NULL;
	if (!opt->name || (value && !opt->value)) {
		free(opt->name);
		free(opt->value);
		return -ENOMEM;
	}
	kc->n++;
	return 0;
}

/* Keep the selected options; hash every byte of the file. */
static void kconfig_read(struct kconfig *kc, FILE *f)
{
	char line[1024], *name, *value;
	struct sha256 h;
	bool full = true;

	sha256_init(&h);
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		bool start = full;

		sha256_update(&h, line, len);
		full = len && line[len - 1] == '\n';
		if (!start || kconfig_parse_line(line, &name, &value))
			continue;
		if (kconfig_selected(name) && kconfig_add(kc, name, value))
			break;
	}
	if (!ferror(f))
		sha256_hex(&h, kc->sha256);
}

static bool kconfig_file(struct kconfig *kc, const char *path)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	kconfig_read(kc, f);
	fclose(f);
	snprintf(kc->file, sizeof(kc->file), "%s", path);
	return true;
}

/*
 * The running kernel's configuration: Debian installs it as
 * /boot/config-RELEASE; a kernel built with IKCONFIG_PROC has it in
 * /proc/config.gz; the lab names a build tree's .config in DMABENCH_KCONFIG
 * for a kernel with neither.
 */
static void kconfig_collect(struct kconfig *kc, const char *release)
{
	const char *env = getenv("DMABENCH_KCONFIG");
	char boot[128];
	FILE *f;
	int status;

	if (!fmt_buf(boot, sizeof(boot), "/boot/config-%s", release) &&
	    kconfig_file(kc, boot))
		return;
	if (!path_exists("/proc/config.gz")) {
		if (env && *env && kconfig_file(kc, env))
			return;
		snprintf(kc->reason, sizeof(kc->reason),
			 "no /boot/config-%s and no /proc/config.gz (CONFIG_IKCONFIG_PROC)%s",
			 release, env && *env ? "; DMABENCH_KCONFIG unreadable" : "");
		return;
	}
	f = popen("zcat /proc/config.gz 2>/dev/null", "r");
	if (!f) {
		snprintf(kc->reason, sizeof(kc->reason),
			 "cannot run zcat: %s", strerror(errno));
		return;
	}
	kconfig_read(kc, f);
	status = pclose(f);
	if (status != 0 || kc->n == 0) {
		snprintf(kc->reason, sizeof(kc->reason),
			 "zcat /proc/config.gz failed");
		kc->sha256[0] = '\0';
		return;
	}
	snprintf(kc->file, sizeof(kc->file), "/proc/config.gz");
}

/*
 * The compiler and linker that built the kernel, from /proc/version:
 * "Linux version REL (BUILDER) (COMPILER, LINKER) #1 ...".  The second
 * parenthesised group, split at its first ", " outside parentheses.
 * Returns 0, or -EINVAL when the line is not of that form.
 */
int proc_version_tools(const char *pv, char *cc, size_t cclen, char *ld,
		       size_t ldlen)
{
	const char *p = pv, *start = NULL, *comma = NULL;
	int depth = 0, group = 0;

	cc[0] = ld[0] = '\0';
	for (; *p; p++) {
		if (*p == '(') {
			if (depth++ == 0 && ++group == 2)
				start = p + 1;
		} else if (*p == ')' && depth > 0) {
			if (--depth == 0 && start)
				break;
		} else if (start && depth == 1 && !comma && p[0] == ',' &&
			   p[1] == ' ') {
			comma = p;
		}
	}
	if (!start || !*p)
		return -EINVAL;
	if (!comma)
		comma = p;
	snprintf(cc, cclen, "%.*s", (int)(comma - start), start);
	if (comma < p)
		snprintf(ld, ldlen, "%.*s", (int)(p - comma - 2), comma + 2);
	return cc[0] ? 0 : -EINVAL;
}

/* Is word one of the space-separated words of list? */
static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p;

	for (p = strstr(list, word); p; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
			return true;
	return false;
}

static void cpu_collect(struct sys_info *si)
{
	char line[4096];
	bool have_flags = false;
	FILE *f;

	snprintf(si->cpu_model, sizeof(si->cpu_model), "unknown");
	si->cpu_count = sysconf(_SC_NPROCESSORS_ONLN);
	f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		char *val = colon ? colon + 1 + strspn(colon + 1, " ") : NULL;

		if (!val)
			continue;
		val[strcspn(val, "\n")] = '\0';
		if (!strncmp(line, "model name", 10) && !strcmp(si->cpu_model, "unknown"))
			snprintf(si->cpu_model, sizeof(si->cpu_model), "%s", val);
		if (!strncmp(line, "flags", 5) && !have_flags) {
			have_flags = true;
			si->hypervisor = has_word(val, "hypervisor");
		}
		/* arm64: no model name; the first CPU's implementer and part */
		if (!strncmp(line, "CPU implementer", 15) &&
		    !strcmp(si->cpu_model, "unknown"))
			snprintf(si->cpu_model, sizeof(si->cpu_model),
				 "implementer %s", val);
		if (!strncmp(line, "CPU part", 8) &&
		    !strncmp(si->cpu_model, "implementer ", 12) &&
		    !strstr(si->cpu_model, " part "))
			snprintf(si->cpu_model + strlen(si->cpu_model),
				 sizeof(si->cpu_model) - strlen(si->cpu_model),
				 " part %s", val);
	}
	fclose(f);
	/*
	 * arm64 CPUs have no hypervisor flag; QEMU's virt machine says what it
	 * is in the device tree.
	 */
	if (!have_flags && read_text("/proc/device-tree/compatible", line,
				     sizeof(line)) == 0 &&
	    !strcmp(line, "linux,dummy-virt"))
		si->hypervisor = true;
}

/* Can this thread count CPU cycles, kernel included? */
static void pmu_collect(struct sys_info *si)
{
	struct perf_event_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_HARDWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_HW_CPU_CYCLES;
	attr.disabled = 1;
	attr.exclude_hv = 1;
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		si->pmu = false;
		snprintf(si->pmu_reason, sizeof(si->pmu_reason), "%s",
			 strerror(errno));
		return;
	}
	close(fd);
	si->pmu = true;
}

static void swiotlb_collect(struct sys_info *si)
{
	char buf[64];
	int err;

	err = read_text(SWIOTLB_DEBUGFS "/io_tlb_nslabs", buf, sizeof(buf));
	if (!err) {
		si->io_tlb_nslabs = strtoull(buf, NULL, 10);
		err = read_text(SWIOTLB_DEBUGFS "/io_tlb_used", buf, sizeof(buf));
		si->io_tlb_used = strtoull(buf, NULL, 10);
	}
	si->swiotlb_known = !err;
	if (err == -ENOENT)
		snprintf(si->swiotlb_reason, sizeof(si->swiotlb_reason),
			 "no " SWIOTLB_DEBUGFS " (debugfs not mounted, or no swiotlb)");
	else if (err)
		snprintf(si->swiotlb_reason, sizeof(si->swiotlb_reason),
			 SWIOTLB_DEBUGFS ": %s", strerror(-err));
}

void sysinfo_collect(struct sys_info *si)
{
	struct utsname u;

	memset(si, 0, sizeof(*si));
	if (!uname(&u)) {
		snprintf(si->release, sizeof(si->release), "%s", u.release);
		snprintf(si->version, sizeof(si->version), "%s", u.version);
		snprintf(si->host, sizeof(si->host), "%s", u.nodename);
		snprintf(si->arch, sizeof(si->arch), "%s", u.machine);
	}
	if (read_text("/proc/version", si->proc_version, sizeof(si->proc_version)))
		snprintf(si->proc_version, sizeof(si->proc_version), "unknown");
	proc_version_tools(si->proc_version, si->compiler, sizeof(si->compiler),
			   si->linker, sizeof(si->linker));
	if (read_text("/proc/cmdline", si->cmdline, sizeof(si->cmdline)))
		snprintf(si->cmdline, sizeof(si->cmdline), "unknown");
	if (read_text(CLOCKSOURCE, si->clocksource, sizeof(si->clocksource)))
		snprintf(si->clocksource, sizeof(si->clocksource), "unknown");
	cpu_collect(si);
	pmu_collect(si);
	swiotlb_collect(si);
	kconfig_collect(&si->config, si->release);
}

void sysinfo_free(struct sys_info *si)
{
	for (size_t i = 0; i < si->config.n; i++) {
		free(si->config.opt[i].name);
		free(si->config.opt[i].value);
	}
	free(si->config.opt);
	si->config.opt = NULL;
	si->config.n = 0;
}
