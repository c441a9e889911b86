// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench nvme: its options and points, the latency histogram against
 * exact order statistics, and the device checks that work on text, on
 * files and on directories made to look like sysfs.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "blkcheck.h"
#include "dmapath.h"
#include "hugebuf.h"
#include "lathist.h"
#include "nvme.h"
#include "prng.h"
#include "tap.h"
#include "util.h"

static int parse(struct nvme_opts *o, const char *const *args)
{
	char *argv[32] = { "nvme" };
	int argc = 1;

	while (*args && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return nvme_parse(argc, argv, o);
}

#define PARSE(o, ...)	parse((o), (const char *const[]){ __VA_ARGS__, NULL })

static void opts_defaults(void)
{
	static struct nvme_opts o;

	ok(PARSE(&o, "--out", "r", "/dev/nvme0n1") == 0, "device and --out parse");
	is_str(o.device, "/dev/nvme0n1", "the device");
	is_int(o.rw, 1 << NVME_RANDREAD, "default: randread");
	ok(o.nbs == 1 && o.bs[0] == 4096, "default bs 4K");
	ok(o.nqd == 2 && o.qd[0] == 1 && o.qd[1] == 32, "default qd 1,32");
	ok(o.nbatch == 2 && o.batch[0] == 1 && o.batch[1] == 8,
	   "default batch 1,8");
	is_int(o.completion, 3, "default: irq and poll");
	is_int(o.buffers, (1 << NVME_BUF_NORMAL) | (1 << NVME_BUF_FIXED),
	       "default: normal and fixed buffers");
	ok(o.seconds == 5 && o.ramp == 1, "default 5 s after 1 s");
	ok(o.cpu == -1 && o.wl.hugepages == -1 && !o.span && !o.path,
	   "no cpu, pool, span or path unless given");
	ok(o.wl.sysprof.counters && o.wl.sysprof.sampling && !o.passthru &&
	   !o.allow_write,
	   "counters and sampling on; passthru and writes off");
	/* qd 1 cuts batch 8 to 1, a repeat: 1 + 2 batches x 2 x 2. */
	is_int(nvme_plan(&o, NULL), 12, "default points: 12");
}

static void opts_quick(void)
{
	static struct nvme_point pts[16];
	static struct nvme_opts o;
	unsigned int n;

	ok(PARSE(&o, "--quick", "--into", "d", "/dev/nvme0n1") == 0,
	   "--quick parses");
	ok(o.seconds == 2 && o.ramp == 0.5, "--quick: 2 s after 0.5 s");
	n = nvme_plan(&o, NULL);
	ok(n <= 8, "--quick has at most 8 points (%u)", n);
	nvme_plan(&o, pts);
	ok(pts[0].qd == 1 && pts[0].batch == 1 && pts[0].bs == 4096 &&
	   pts[0].rw == NVME_RANDREAD, "first point: randread 4k qd1 batch1");
	ok(pts[n - 1].qd == 32 && pts[n - 1].batch == 8 &&
	   pts[n - 1].completion == NVME_POLL &&
	   pts[n - 1].buffers == NVME_BUF_FIXED,
	   "last point: qd32 batch8 poll fixed");
	ok(PARSE(&o, "--quick", "--time", "3", "--out", "r", "x") == 0 &&
	   o.seconds == 3 && o.ramp == 0.5, "--time wins over --quick");
}

static void opts_good(void)
{
	static struct nvme_opts o;

	ok(PARSE(&o, "--rw", "seqread,randread", "--bs", "1M,512,4K",
		 "--out", "r", "d") == 0, "--rw and --bs lists");
	is_int(o.rw, (1 << NVME_RANDREAD) | (1 << NVME_SEQREAD),
	       "two read workloads");
	ok(o.nbs == 3 && o.bs[0] == 512 && o.bs[1] == 4096 &&
	   o.bs[2] == 1 << 20, "sizes sorted: 512,4K,1M");
	ok(PARSE(&o, "--qd", "1,1024", "--batch", "64", "--completion",
		 "poll", "--buffers", "huge,fixed-huge", "--out", "r", "d") == 0,
	   "qd up to 1024, one completion, huge buffers");
	is_int(nvme_plan(&o, NULL), 4, "qd1 (batch cut to 1) and qd1024 x 2 buffers");
	ok(PARSE(&o, "--rw", "randwrite", "--allow-write", "--out", "r",
		 "d") == 0, "writes with --allow-write");
	ok(PARSE(&o, "--span", "4G", "--time", "0.5", "--ramp", "0",
		 "--out", "r", "d") == 0 && o.span == 4ULL << 30 &&
	   o.seconds == 0.5 && o.ramp == 0, "--span 4G, fractional --time, no ramp");
	ok(PARSE(&o, "--span", "1t", "--out", "r", "d") == 0 &&
	   o.span == 1ULL << 40, "--span 1t");
	ok(PARSE(&o, "--path", "iommu-lazy", "--out", "r", "d") == 0 &&
	   !strcmp(o.path, "iommu-lazy"), "--path iommu-lazy");
	ok(PARSE(&o, "--path", "fabric-rdma", "--out", "r", "d") == 0,
	   "--path fabric-rdma");
	ok(PARSE(&o, "--cpu", "1", "--hugepages", "16", "--no-counters",
		 "--no-sampling", "--passthru", "--out", "r", "/dev/ng0n1") == 0 &&
	   o.cpu == 1 && o.wl.hugepages == 16 && !o.wl.sysprof.counters &&
	   !o.wl.sysprof.sampling &&
	   o.passthru, "--cpu, --hugepages, --no-counters, --no-sampling, --passthru");
	ok(!o.wl.perf_record, "no perf record unless asked");
	ok(PARSE(&o, "--perf-record", "--into", "r", "d") == 0 &&
	   o.wl.perf_record, "--perf-record");
}

static void opts_bad(void)
{
	static const char *const bad[][7] = {
		{ "--bs", "256", "--out", "r", "d" },
		{ "--bs", "2M", "--out", "r", "d" },
		{ "--bs", "8M", "--out", "r", "d" },
		{ "--bs", "4K,x", "--out", "r", "d" },
		{ "--qd", "0", "--out", "r", "d" },
		{ "--qd", "1025", "--out", "r", "d" },
		{ "--qd", "4,4", "--out", "r", "d" },
		{ "--batch", "0", "--out", "r", "d" },
		{ "--rw", "randwrite", "--out", "r", "d" },
		{ "--rw", "seqwrite,seqread", "--out", "r", "d" },
		{ "--rw", "write", "--out", "r", "d" },
		{ "--completion", "interrupt", "--out", "r", "d" },
		{ "--buffers", "pinned", "--out", "r", "d" },
		{ "--time", "0", "--out", "r", "d" },
		{ "--time", "5s", "--out", "r", "d" },
		{ "--time", "nan", "--out", "r", "d" },
		{ "--ramp", "-1", "--out", "r", "d" },
		{ "--ramp", "601", "--out", "r", "d" },
		{ "--span", "0", "--out", "r", "d" },
		{ "--span", "10Q", "--out", "r", "d" },
		{ "--span", "1K", "--bs", "4K", "--out", "r", "d" },
		{ "--path", "iommu", "--out", "r", "d" },
		{ "--cpu", "x", "--out", "r", "d" },
		{ "--hugepages", "-1", "--out", "r", "d" },
		{ "--out", "r" },
		{ "d" },
		{ "--out", "r", "--into", "r", "d" },
		{ "--out", "r", "d", "e" },
		{ "--frobnicate", "--out", "r", "d" },
		{ "--out" },
	};
	static struct nvme_opts o;
	char what[128];
	size_t len;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		what[0] = '\0';
		for (int k = 0; k < 7 && bad[i][k]; k++) {
			len = strlen(what);
			snprintf(what + len, sizeof(what) - len, " %s", bad[i][k]);
		}
		ok(parse(&o, bad[i]) == -1, "nvme: refused:%s", what);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The exact nearest-rank quantile of sorted values. */
static uint64_t exact(const uint64_t *v, size_t n, unsigned int permille)
{
	size_t rank = (permille * n + 999) / 1000;

	return v[rank ? rank - 1 : 0];
}

static void hist_buckets(void)
{
	struct prng r;
	uint64_t lo, hi, v;
	bool inside = true, narrow = true;
	unsigned int b;

	prng_seed(&r, 1);
	for (int i = 0; i < 200000; i++) {
		v = prng_next(&r) >> (prng_next(&r) % 64);
		b = lathist_bucket(v);
		lathist_bounds(b, &lo, &hi);
		inside &= b < LATHIST_BUCKETS && lo <= v && (v < hi || hi == UINT64_MAX);
		narrow &= lo < 64 ? hi - lo == 1 : (hi - lo) * 64 <= lo;
	}
	ok(inside, "every value falls within its bucket's bounds");
	ok(narrow, "no bucket is wider than 1/64 of its lower bound");
	is_int(lathist_bucket(63), 63, "63 has a bucket of its own");
	lathist_bounds(lathist_bucket(64), &lo, &hi);
	ok(lo == 64 && hi == 65, "64: [64, 65)");
	lathist_bounds(lathist_bucket(1000000), &lo, &hi);
	ok(lo <= 1000000 && hi > 1000000 && hi - lo == 8192,
	   "1 ms: a bucket 8192 ns wide");
	is_int(lathist_bucket(UINT64_MAX), LATHIST_BUCKETS - 1,
	       "the largest value is in the last bucket");
}

/* The histogram's quantiles against a sorted copy of the same values. */
static void hist_quantiles(void)
{
	static const unsigned int pm[] = { 0, 1, 100, 500, 900, 990, 999, 1000 };
	static struct lathist h;
	size_t n = 100000;
	double worst = 0, q, x, sum = 0;
	uint64_t *v = calloc(n, sizeof(*v));
	struct prng r;

	if (!v) {
		ok(0, "memory for the values");
		return;
	}
	prng_seed(&r, 42);
	lathist_reset(&h);
	for (size_t i = 0; i < n; i++) {
		/* Log-uniform from 1 us to 10 ms, with a tail. */
		v[i] = (uint64_t)(1000 * pow(10, 4.0 * (prng_next(&r) >> 11) /
					       (double)(1ULL << 53)));
		if (i % 1000 == 0)
			v[i] *= 50;
		lathist_add(&h, v[i]);
		sum += v[i];
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < ARRAY_SIZE(pm); i++) {
		q = lathist_quantile(&h, pm[i]);
		x = exact(v, n, pm[i]);
		if (fabs(q - x) / x > worst)
			worst = fabs(q - x) / x;
	}
	ok(worst < 0.008, "quantiles within 0.8%% of the exact ones (worst %.4f%%)",
	   worst * 100);
	ok(worst < 0.02, "... so well within the 2%% asked for");
	is_int(h.n, n, "count exact");
	ok(h.min == v[0] && h.max == v[n - 1], "min and max exact");
	ok(fabs(lathist_mean(&h) - sum / n) < 1e-6 * sum / n, "mean exact");
	free(v);
}

static void hist_small(void)
{
	static struct lathist h;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	lathist_reset(&h);
	ok(isnan(lathist_quantile(&h, 500)) && isnan(lathist_mean(&h)),
	   "an empty histogram has no quantiles and no mean");
	lathist_add(&h, 12345);
	ok(lathist_quantile(&h, 500) == 12345 && lathist_quantile(&h, 999) == 12345,
	   "one value: every quantile is it (kept within min and max)");
	lathist_reset(&h);
	for (uint64_t v = 1; v <= 10; v++)
		lathist_add(&h, v);
	ok(lathist_quantile(&h, 500) == 5 && lathist_quantile(&h, 900) == 9 &&
	   lathist_quantile(&h, 1000) == 10, "small values are exact: p50 5, p90 9, max 10");
	lathist_add(&h, 100000);
	f = open_memstream(&text, &len);
	if (!ok(f != NULL, "memstream"))
		return;
	is_int(lathist_write_csv(&h, f), 0, "histogram CSV written");
	fclose(f);
	ok(text && !strncmp(text, "lo_ns,hi_ns,count\n1,2,1\n", 24),
	   "CSV header, then the first bucket");
	ok(text && strstr(text, "\n99328,100352,1\n"),
	   "100 us in the bucket [99328, 100352)");
	free(text);
}

static void mountinfo(void)
{
	static const char text[] =
		"22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
		"garbage line\n"
		"30 1 259:1 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p1 rw\n"
		"31 30 0:45 /home /home rw shared:2 master:3 - btrfs /dev/nvme1n1p2 rw\n"
		"32 30 259:9 / /mnt/x rw - xfs /dev/nvme2n1 rw\n";
	struct dev_id disk0[] = {
		{ makedev(259, 0), "nvme0n1" },
		{ makedev(259, 1), "nvme0n1p1" },
	};
	struct dev_id disk1[] = {
		{ makedev(259, 5), "nvme1n1" },
		{ makedev(259, 7), "nvme1n1p2" },
	};
	struct dev_id disk2[] = { { makedev(259, 9), "nvme2n1" } };
	struct dev_id disk3[] = { { makedev(259, 10), "nvme3n1" } };
	char where[256];

	is_int(mountinfo_find(text, disk0, 2, where, sizeof(where)), 1,
	       "a mounted partition is found by major:minor");
	is_str(where, "/dev/nvme0n1p1 (ext4) on /", "... and said where");
	is_int(mountinfo_find(text, disk1, 2, where, sizeof(where)), 1,
	       "btrfs (an anonymous major:minor) is found by its source");
	is_str(where, "/dev/nvme1n1p2 (btrfs) on /home", "... with its mount point");
	is_int(mountinfo_find(text, disk2, 1, where, sizeof(where)), 0,
	       "a whole disk mounted");
	is_int(mountinfo_find(text, disk3, 1, where, sizeof(where)), -1,
	       "a disk not mounted is not found");
	is_int(mountinfo_find("", disk3, 1, where, sizeof(where)), -1,
	       "empty mountinfo");
}

static void fake_sysfs(const char *top)
{
	char dir[512], sub[600];
	struct dev_id ids[8];
	char list[64];
	size_t n = 0;

	snprintf(dir, sizeof(dir), "%s/nvme9n1", top);
	mkdir(dir, 0777);
	snprintf(sub, sizeof(sub), "%s/queue", dir);
	mkdir(sub, 0777);
	snprintf(sub, sizeof(sub), "%s/holders", dir);
	mkdir(sub, 0777);
	ok(sysfs_partitions(dir, ids, 8, &n) == 0 && n == 0,
	   "a disk without partitions has none");
	is_int(sysfs_holders(dir, list, sizeof(list)), 0, "no holders");
	snprintf(sub, sizeof(sub), "%s/nvme9n1p1", dir);
	mkdir(sub, 0777);
	tap_put_file(sub, "partition", "1\n");
	tap_put_file(sub, "dev", "259:11\n");
	snprintf(sub, sizeof(sub), "%s/nvme9n1p2", dir);
	mkdir(sub, 0777);
	tap_put_file(sub, "partition", "2\n");
	tap_put_file(sub, "dev", "259:12\n");
	ok(sysfs_partitions(dir, ids, 8, &n) == 0 && n == 2,
	   "two partitions found");
	ok(n == 2 && ((ids[0].dev == makedev(259, 11) &&
		       !strcmp(ids[0].name, "nvme9n1p1")) ||
		      (ids[1].dev == makedev(259, 11) &&
		       !strcmp(ids[1].name, "nvme9n1p1"))),
	   "... with their names and device numbers");
	snprintf(sub, sizeof(sub), "%s/holders/dm-0", dir);
	mkdir(sub, 0777);
	is_int(sysfs_holders(dir, list, sizeof(list)), 1, "one holder");
	is_str(list, "dm-0", "... named");
	ok(sysfs_partitions("/nonexistent-dmabench", ids, 8, &n) < 0,
	   "a missing disk directory is an error");
}

/* top/name holding buf; false if it could not be written. */
static bool put_image(const char *top, const char *name, const void *buf,
		      size_t len, char *path, size_t size)
{
	bool done;
	FILE *f;

	snprintf(path, size, "%s/%s", top, name);
	f = fopen(path, "w");
	if (!f)
		return false;
	done = fwrite(buf, 1, len, f) == len;
	return !fclose(f) && done;
}

static void signatures(const char *top)
{
	unsigned char buf[65536] = { 0 };
	char path[512], what[128];

	if (!ok(put_image(top, "blank.img", buf, sizeof(buf), path,
			  sizeof(path)), "a blank image"))
		return;
	is_int(blkid_signature(path, what, sizeof(what)), 0,
	       "blkid finds nothing on a blank image");
	/* An MBR with one Linux partition from sector 2048. */
	buf[446 + 4] = 0x83;
	buf[446 + 9] = 0x08;
	buf[446 + 13] = 0x08;
	buf[510] = 0x55;
	buf[511] = 0xaa;
	put_image(top, "mbr.img", buf, sizeof(buf), path, sizeof(path));
	is_int(blkid_signature(path, what, sizeof(what)), 1,
	       "blkid finds a partition table");
	is_str(what, "dos partition table", "... and names it");
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "LUKS\xba\xbe\x00\x01", 8);
	put_image(top, "luks.img", buf, sizeof(buf), path, sizeof(path));
	is_int(blkid_signature(path, what, sizeof(what)), 1,
	       "blkid finds a LUKS header");
	is_str(what, "crypto_LUKS encrypted volume", "... and names it");
	ok(blkid_signature("/nonexistent-dmabench", what, sizeof(what)) < 0,
	   "an unreadable path is an error, not a blank device");
}

static void names_and_paths(void)
{
	char buf[64];

	ok(!nvme_ng_name("nvme0n1", buf, sizeof(buf)) && !strcmp(buf, "ng0n1"),
	   "nvme0n1 -> ng0n1");
	ok(!nvme_ng_name("nvme12n3", buf, sizeof(buf)) && !strcmp(buf, "ng12n3"),
	   "nvme12n3 -> ng12n3");
	ok(nvme_ng_name("nvme0n1p1", buf, sizeof(buf)) &&
	   nvme_ng_name("nvme0c0n1", buf, sizeof(buf)) &&
	   nvme_ng_name("loop0", buf, sizeof(buf)),
	   "partitions, hidden paths and other disks have no ng name");
	ok(!nvme_disk_of_ng("ng3n1", buf, sizeof(buf)) && !strcmp(buf, "nvme3n1"),
	   "ng3n1 -> nvme3n1");
	ok(nvme_disk_of_ng("ngx", buf, sizeof(buf)) != 0, "ngx is nothing");
	is_str(dma_path_of_group("DMA"), "iommu-strict", "group type DMA");
	is_str(dma_path_of_group("DMA-FQ"), "iommu-lazy", "group type DMA-FQ");
	is_str(dma_path_of_group("identity"), "iommu-identity",
	       "group type identity");
	ok(dma_path_of_group("blocked") == NULL, "group type blocked: no path");
	ok(cmdline_word("quiet swiotlb=force ro", "swiotlb", buf, sizeof(buf)) &&
	   !strcmp(buf, "swiotlb=force") && swiotlb_word_forces(buf),
	   "swiotlb=force found and forces");
	ok(cmdline_word("swiotlb=65536,force", "swiotlb", buf, sizeof(buf)) &&
	   swiotlb_word_forces(buf), "swiotlb=65536,force forces");
	ok(cmdline_word("swiotlb=noforce", "swiotlb", buf, sizeof(buf)) &&
	   !swiotlb_word_forces(buf), "swiotlb=noforce does not");
	ok(!cmdline_word("noswiotlb=force quiet", "swiotlb", buf, sizeof(buf)) &&
	   !buf[0], "only whole words count");
}

static void fabric_notes(void)
{
	char buf[400];

	nvme_fabric_note("rdma", -1, "", buf, sizeof(buf));
	is_str(buf, "the host maps each request through its RDMA device (ib_dma_map_*): over soft RDMA (rxe, siw) that is no DMA mapping at all, so the DMA share says nothing of an RDMA NIC",
	       "rdma, its device unknown: the whole sentence, conditionally");
	nvme_fabric_note("rdma", 1, "rxe0 (rxe)", buf, sizeof(buf));
	is_str(buf, "the host maps each request through its RDMA device (ib_dma_map_*), here rxe0 (rxe): soft RDMA, so that is no DMA mapping at all, and the DMA share says nothing of an RDMA NIC",
	       "rdma over soft RDMA: said so");
	nvme_fabric_note("rdma", 0, "mlx5_0", buf, sizeof(buf));
	is_str(buf, "the host maps each request through its RDMA device (ib_dma_map_*), here mlx5_0",
	       "rdma over a NIC: the first half");
	nvme_fabric_note("tcp", -1, "", buf, sizeof(buf));
	is_str(buf, "the host's data goes through the network stack's own DMA mapping (the NIC's driver)",
	       "tcp");
	nvme_fabric_note("loop", -1, "", buf, sizeof(buf));
	is_str(buf, "nvme-loop does no DMA mapping at all", "loop");
	nvme_fabric_note("fc", -1, "", buf, sizeof(buf));
	is_str(buf, "", "fc: nothing to add");
}

static void probe_refusals(const char *top)
{
	struct nvme_dev *d = calloc(1, sizeof(*d));
	char err[512], path[512];

	if (!d) {
		ok(0, "memory");
		return;
	}
	snprintf(path, sizeof(path), "%s/blank.img", top);
	ok(nvme_dev_probe(path, false, d, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "is not a block device"), "a regular file is refused");
	ok(nvme_dev_probe("/dev/null", false, d, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "character device") && strstr(err, "--passthru"),
	   "a char device without --passthru is refused, naming --passthru");
	ok(nvme_dev_probe("/dev/null", true, d, err, sizeof(err)) == -EINVAL &&
	   strstr(err, "not an NVMe generic"),
	   "with --passthru, a char device that is not /dev/ngXnY is refused");
	ok(nvme_dev_probe("/nonexistent-dmabench", false, d, err,
			  sizeof(err)) == -ENOENT, "a missing path is refused");
	free(d);
}

static void buffers(void)
{
	struct hugebuf b;
	char why[256];
	bool filled = true;

	is_int(hugebuf_alloc(&b, 10000, false, why, sizeof(why)), 0,
	       "ordinary buffers");
	ok(((uintptr_t)b.p & 4095) == 0 && b.maplen == 12288,
	   "page aligned, rounded up to whole pages");
	for (size_t i = 0; i < b.len; i++)
		filled &= ((unsigned char *)b.p)[i] != 0;
	ok(filled, "written before use");
	hugebuf_free(&b);
	ok(b.p == NULL, "freed");
}

void test_nvme(void)
{
	char top[] = "/tmp/dmabench-nvme-XXXXXX";

	opts_defaults();
	opts_quick();
	opts_good();
	opts_bad();
	hist_buckets();
	hist_quantiles();
	hist_small();
	mountinfo();
	names_and_paths();
	fabric_notes();
	buffers();
	if (!ok(mkdtemp(top), "temporary directory"))
		return;
	fake_sysfs(top);
	signatures(top);
	probe_refusals(top);
	remove_tree(top);
}
