// SPDX-License-Identifier: GPL-2.0
/*
 * Run directory names, durations, kernel config lines, path expectations.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "hugebuf.h"
#include "ledger.h"
#include "names.h"
#include "pcibind.h"
#include "progress.h"
#include "results.h"
#include "sha256.h"
#include "sysinfo.h"
#include "tap.h"
#include "util.h"

static void names(void)
{
	char buf[128];

	rundir_name(buf, sizeof(buf), 1700000000, "6.18.0-rc1+", 0xabc123);
	is_str(buf, "20231114-221320-6.18.0-rc1+-abc123", "run directory name");
	rundir_name(buf, sizeof(buf), 0, "a/b c", 1);
	is_str(buf, "19700101-000000-a_b_c-000001", "release made path-safe");
}

static void durations(void)
{
	char buf[32];

	fmt_duration(buf, sizeof(buf), 42.4);
	is_str(buf, "42s", "seconds");
	fmt_duration(buf, sizeof(buf), 160);
	is_str(buf, "2m40s", "minutes");
	fmt_duration(buf, sizeof(buf), 3900);
	is_str(buf, "1h05m", "hours");
}

static void kconfig(void)
{
	char l1[] = "CONFIG_IOMMU_DEFAULT_DMA_LAZY=y\n";
	char l2[] = "# CONFIG_SWIOTLB_DYNAMIC is not set\n";
	char l3[] = "# a comment\n";
	char *name, *value;

	ok(!kconfig_parse_line(l1, &name, &value) &&
	   !strcmp(name, "CONFIG_IOMMU_DEFAULT_DMA_LAZY") && !strcmp(value, "y"),
	   "set option");
	ok(!kconfig_parse_line(l2, &name, &value) &&
	   !strcmp(name, "CONFIG_SWIOTLB_DYNAMIC") && !value, "unset option");
	ok(kconfig_parse_line(l3, &name, &value) != 0, "comment skipped");
	ok(kconfig_selected("CONFIG_HZ_1000"), "HZ kept");
	ok(kconfig_selected("CONFIG_MITIGATION_RETPOLINE"), "MITIGATION kept");
	ok(kconfig_selected("CONFIG_PREEMPT_DYNAMIC"), "PREEMPT kept");
	ok(!kconfig_selected("CONFIG_EXT4_FS"), "EXT4_FS dropped");
}

static void hash(const char *in, size_t reps, const char *want, const char *what)
{
	struct sha256 h;
	char hex[65];

	sha256_init(&h);
	for (size_t i = 0; i < reps; i++)
		sha256_update(&h, in, strlen(in));
	sha256_hex(&h, hex);
	is_str(hex, want, what);
}

static void config_hash(void)
{
	/* FIPS 180-4 examples; 56 and 64 bytes cross the padding's edges. */
	hash("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	     "sha256 of nothing");
	hash("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	     "sha256 of abc");
	hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	     "sha256 of 56 bytes");
	hash("a", 1000000,
	     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	     "sha256 of a million a, one byte at a time");
}

static void compiler(void)
{
	char cc[160], ld[160];

	ok(!proc_version_tools("Linux version 7.3.4+deb13-amd64 (debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0, GNU ld (GNU Binutils for Debian) 2.44) #1 SMP PREEMPT_DYNAMIC Debian 7.3.4-1~bpo13+1 (2026-11-20)\n",
				cc, sizeof(cc), ld, sizeof(ld)) &&
	   !strcmp(cc, "x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0") &&
	   !strcmp(ld, "GNU ld (GNU Binutils for Debian) 2.44"),
	   "Debian's /proc/version: compiler and linker");
	ok(!proc_version_tools("Linux version 7.3.4-lab (root@host) (gcc (Debian 14.2.0-19) 14.2.0, GNU ld (GNU Binutils for Debian) 2.44) #1 SMP PREEMPT_DYNAMIC Fri Dec  4 14:50:00 UTC 2026\n",
				cc, sizeof(cc), ld, sizeof(ld)) &&
	   !strcmp(cc, "gcc (Debian 14.2.0-19) 14.2.0"),
	   "a lab build's /proc/version: compiler");
	ok(proc_version_tools("Linux version 1.0 (someone)", cc, sizeof(cc),
			      ld, sizeof(ld)) != 0 && !cc[0],
	   "no compiler named: refused");
}

static void expectations(void)
{
	is_int(path_expected_observed(PATH_IOMMU_LAZY, DMABENCH_API_PHYS),
	       DMABENCH_OBS_IOVA, "phys on iommu-lazy: iova");
	is_int(path_expected_observed(PATH_IOMMU_IDENTITY, DMABENCH_API_PAGE),
	       DMABENCH_OBS_DIRECT, "page on iommu-identity: direct");
	is_int(path_expected_observed(PATH_SWIOTLB, DMABENCH_API_SG),
	       DMABENCH_OBS_BOUNCED, "sg on swiotlb: bounced");
	is_int(path_expected_observed(PATH_DIRECT, DMABENCH_API_RESOURCE), -1,
	       "resource: no expectation");
	is_str(path_group_type(PATH_IOMMU_STRICT), "DMA", "strict is type DMA");
	is_str(path_group_type(PATH_IOMMU_LAZY), "DMA-FQ", "lazy is type DMA-FQ");
}

/* Each status's name reads back as that status; nothing else does. */
static void statuses(void)
{
	for (int st = STATUS_OK; st < STATUS_COUNT; st++)
		is_int(status_parse(status_names[st]), st, status_names[st]);
	is_str(status_names[STATUS_REFUSED], "refused", "refused is named so");
	is_int(status_parse("no samples"), -1, "no samples is no row status");
	is_int(status_parse("OK"), -1, "status names are lower case");
}

static void command_line(void)
{
	char *argv[] = { "dmabench", "micro", "--note", "qemu=-icount shift=0",
			 "--note", "it's", "" };
	char *s = join_args(7, argv);

	is_str(s, "dmabench micro --note 'qemu=-icount shift=0' --note 'it'\\''s' ''",
	       "command line joined, shell-quoted where needed");
	free(s);
}

/* What every ledger shares (ledger.h), in DMABENCH_STATE_DIR. */
static void ledgers(void)
{
	char text[128], v[16];
	unsigned int fixed = 0;
	int pid = 0;

	is_int(ledger_write("t", "pages=12\npid=4242\n"), 0,
	       "ledgers: one written");
	is_int(ledger_read("t", text, sizeof(text)), 0, "ledgers: read back");
	ok(!ledger_get(text, "pages", v, sizeof(v)) && !strcmp(v, "12"),
	   "ledgers: a key's value");
	is_int(ledger_get(text, "page", v, sizeof(v)), -ENOENT,
	       "ledgers: a key's prefix is not the key");
	ok(!ledger_pid(text, &pid) && pid == 4242, "ledgers: its pid");
	ok(ledger_pid("pid=12x", &pid) && ledger_pid("pid=", &pid) &&
	   ledger_pid("pages=1", &pid), "ledgers: a pid that is not one refused");
	ok(!ledger_owner_alive(getpid()),
	   "ledgers: a live process that is not dmabench owns none");
	ok(!ledger_owner_alive(999999999), "ledgers: nor does a dead one");
	ledger_remove("t");
	is_int(ledger_read("t", text, sizeof(text)), -ENOENT,
	       "ledgers: removed");
	/* A pool ledger of a dead dmabench, but the pool as it says. */
	if (read_text(HUGEBUF_POOL, v, sizeof(v))) {
		tap_diag("no " HUGEBUF_POOL " here: the pool's repair untested");
		return;
	}
	snprintf(text, sizeof(text), "pages=%s\npid=999999999\n", v);
	ledger_write("hugepages", text);
	is_int(hugebuf_pool_repair(&fixed), 0,
	       "repair: the pool as the ledger of a dead dmabench says");
	ok(fixed == 0 && ledger_read("hugepages", text, sizeof(text)) == -ENOENT,
	   "repair: nothing changed, the ledger removed");
}

/* The ledger a lent PCI device leaves for dmabench repair. */
static void ledger(void)
{
	struct pcibind pb = { .bdf = "0000:00:10.0", .orig_driver = "",
			      .orig_type = "DMA-FQ", .group = 7 }, back;
	char text[256], dir[] = "/tmp/dmabench-ledger-XXXXXX", path[PATH_MAX];
	unsigned int fixed = 0;
	int pid = 0;
	FILE *f;

	ok(!pcibind_ledger_fmt(&pb, 4242, text, sizeof(text)), "ledger written");
	ok(!pcibind_ledger_parse(text, &back, &pid), "ledger read back");
	is_str(back.bdf, "0000:00:10.0", "ledger: bdf");
	is_str(back.orig_driver, "", "ledger: no driver");
	is_str(back.orig_type, "DMA-FQ", "ledger: group type");
	is_int(back.group, 7, "ledger: group");
	is_int(pid, 4242, "ledger: pid");
	is_str(back.dir, "/sys/bus/pci/devices/0000:00:10.0", "ledger: sysfs dir");
	ok(pcibind_ledger_parse("bdf=../x\norig_driver=\norig_type=\ngroup=1\npid=2\n",
				&back, &pid), "ledger: a bdf with a slash refused");
	ok(pcibind_ledger_parse("bdf=0000:00:10.0\n", &back, &pid),
	   "ledger: a truncated one refused");
	if (!ok(mkdtemp(dir) != NULL, "ledger dir"))
		return;
	setenv("DMABENCH_STATE_DIR", dir, 1);
	snprintf(path, sizeof(path), "%s/pci-0000:ff:1f.7", dir);
	snprintf(pb.bdf, sizeof(pb.bdf), "0000:ff:1f.7");
	pcibind_ledger_fmt(&pb, 999999999, text, sizeof(text));
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	is_int(pcibind_repair(path, &fixed), 0,
	       "repair: a device no longer there, its writer dead");
	ok(access(path, F_OK) != 0, "repair: its ledger removed");
	is_int(fixed, 0, "repair: nothing changed on the machine");
	ledgers();
	unsetenv("DMABENCH_STATE_DIR");
	rmdir(dir);
}

void test_misc(void)
{
	ledger();
	names();
	command_line();
	durations();
	kconfig();
	config_hash();
	compiler();
	expectations();
	statuses();
}
