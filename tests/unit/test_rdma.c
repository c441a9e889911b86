// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench rdma: its options and their refusals, sizes up to gigabytes,
 * nanoseconds per page, what a device is from its facts, GIDs, the
 * scatter list of a prefetch, when a timed phase ends, and the memory
 * checks that turn a point this machine cannot hold into a reason.
 */
#include <errno.h>
#include <string.h>

#include "dmapath.h"
#include "parse.h"
#include "rdma.h"
#include "tap.h"
#include "util.h"

/*
 * dmabench rdma with up to four arguments, after --out r unless they
 * say where the rows go themselves (or --list that there are none).
 */
static int parse(struct rdma_opts *o, const char *a1, const char *a2,
		 const char *a3, const char *a4)
{
	const char *args[] = { a1, a2, a3, a4 };
	char *argv[8] = { "rdma" };
	bool where = false;
	int argc = 1;

	for (int i = 0; i < 4 && args[i]; i++)
		where |= !strcmp(args[i], "--into") ||
			 !strcmp(args[i], "--out") ||
			 !strcmp(args[i], "--list");
	if (!where) {
		argv[argc++] = "--out";
		argv[argc++] = "r";
	}
	for (int i = 0; i < 4 && args[i]; i++)
		argv[argc++] = (char *)args[i];
	return rdma_parse(argc, argv, o);
}

static void defaults(void)
{
	static const uint64_t want[] = {
		4096, 65536, 2 << 20, 64 << 20, 1 << 30
	};
	static const uint64_t msgs[] = { 64, 4096, 65536 };
	static struct rdma_opts o;

	ok(parse(&o, NULL, NULL, NULL, NULL) == 0, "rdma: no options parse");
	is_int(o.tests, 0xf, "rdma: all four tests by default");
	is_int(o.buffers, 3, "rdma: normal and huge buffers by default");
	ok(o.nsizes == 5 && !memcmp(o.sizes, want, sizeof(want)),
	   "rdma: sizes 4K,64K,2M,64M,1G");
	ok(o.nmsg_sizes == 3 && !memcmp(o.msg_sizes, msgs, sizeof(msgs)),
	   "rdma: message sizes 64,4K,64K");
	ok(o.nqds == 2 && o.qds[0] == 1 && o.qds[1] == 16, "rdma: qd 1,16");
	is_num(o.seconds, 2, "rdma: 2 s per point");
	is_int(o.count, 0, "rdma: by time, not count");
	ok(o.port == 1 && o.gid_index == -1 && !o.dev && !o.addr,
	   "rdma: port 1, GID chosen, first device");
	ok(o.wl.sysprof.counters && o.wl.sysprof.sampling,
	   "rdma: counters and sampling on");
	ok(!o.reg_per_io && !o.list && o.wl.hugepages == -1,
	   "rdma: no reg-per-io, no list, pool left alone");
	ok(o.wl.out && !strcmp(o.wl.out, "r") && !o.wl.into,
	   "rdma: a new run under r");
	ok(!o.wl.perf_record, "rdma: no perf record");
}

static void where(void)
{
	static struct rdma_opts o;
	char *none[] = { "rdma", NULL }, *list[] = { "rdma", "--list", NULL };

	tap_diag("rdma: refusals follow on stderr");
	ok(rdma_parse(1, none, &o) == -1,
	   "rdma: neither --into nor --out refused: no default");
	ok(rdma_parse(2, list, &o) == 0 && o.list && !o.wl.out && !o.wl.into,
	   "rdma: --list needs neither");
	ok(parse(&o, "--list", "--into", "a", "--out=b") == -1,
	   "rdma: --list with --into and --out refused");
	ok(parse(&o, "--perf-record", NULL, NULL, NULL) == 0 &&
	   o.wl.perf_record, "rdma: --perf-record");
}

static void quick(void)
{
	static struct rdma_opts o;

	ok(parse(&o, "--quick", NULL, NULL, NULL) == 0, "rdma: --quick parses");
	ok(o.nsizes == 3 && o.sizes[2] == 2 << 20, "rdma: --quick sizes 4K,64K,2M");
	ok(o.nmsg_sizes == 1 && o.msg_sizes[0] == 4096, "rdma: --quick msg 4K");
	ok(o.nqds == 1 && o.qds[0] == 16, "rdma: --quick qd 16");
	is_num(o.seconds, 0.5, "rdma: --quick 0.5 s");
	ok(parse(&o, "--quick", "--size", "1G", NULL) == 0 && o.nsizes == 1 &&
	   o.sizes[0] == 1ULL << 30, "rdma: --size wins over --quick");
	ok(parse(&o, "--time", "3", "--quick", NULL) == 0 && o.seconds == 3,
	   "rdma: --time wins over --quick");
}

static void good(void)
{
	static struct rdma_opts o;

	ok(parse(&o, "--test", "reg,odp", "--buffers", "huge") == 0 &&
	   o.tests == 3 && o.buffers == 2, "rdma: --test reg,odp --buffers huge");
	ok(parse(&o, "--size", "1G,4K,4096", NULL, NULL) == 0 &&
	   o.nsizes == 2 && o.sizes[0] == 4096 && o.sizes[1] == 1ULL << 30,
	   "rdma: sizes deduplicated and sorted");
	ok(parse(&o, "--qd", "32,1", "--msg-size", "64") == 0 && o.nqds == 2 &&
	   o.qds[0] == 1 && o.qds[1] == 32 && o.nmsg_sizes == 1,
	   "rdma: --qd sorted");
	ok(parse(&o, "--time", "0.25", NULL, NULL) == 0 && o.seconds == 0.25,
	   "rdma: --time 0.25");
	ok(parse(&o, "--count", "100", NULL, NULL) == 0 && o.count == 100,
	   "rdma: --count 100");
	ok(parse(&o, "--dev", "rxe0", "--addr", "10.0.2.15") == 0 &&
	   !strcmp(o.dev, "rxe0") && !strcmp(o.addr, "10.0.2.15"),
	   "rdma: --dev and --addr");
	ok(parse(&o, "--port", "2", "--gid-index", "3") == 0 && o.port == 2 &&
	   o.gid_index == 3, "rdma: --port 2 --gid-index 3");
	ok(parse(&o, "--reg-per-io", "--into", "/tmp/x", NULL) == 0 &&
	   o.reg_per_io && !strcmp(o.wl.into, "/tmp/x"),
	   "rdma: --reg-per-io --into");
	ok(parse(&o, "--hugepages", "512", "--list", NULL) == 0 &&
	   o.wl.hugepages == 512 && o.list, "rdma: --hugepages 512 --list");
	ok(parse(&o, "--no-counters", "--no-sampling", NULL, NULL) == 0 &&
	   !o.wl.sysprof.counters && !o.wl.sysprof.sampling,
	   "rdma: --no-counters --no-sampling");
}

static void refused(void)
{
	static const char *const bad[][4] = {
		{ "--size", "0" },
		{ "--size", "17G" },
		{ "--size", "4Q" },
		{ "--size", "4K,,64K" },
		{ "--size", "4K," },
		{ "--msg-size", "-1" },
		{ "--qd", "0" },
		{ "--qd", "1025" },
		{ "--qd", "4,4" },
		{ "--time", "0" },
		{ "--time", "-1" },
		{ "--time", "abc" },
		{ "--time", "3601" },
		{ "--time", "nan" },
		{ "--count", "0" },
		{ "--test", "bogus" },
		{ "--buffers", "giant" },
		{ "--addr", "1.2.3" },
		{ "--addr", "::1" },
		{ "--port", "0" },
		{ "--port", "256" },
		{ "--gid-index", "x" },
		{ "--dev", "" },
		{ "--hugepages", "-5" },
		{ "--into", "a", "--out", "b" },
		{ "--time", "1", "--count", "5" },
		{ "stray" },
		{ "--bogus" },
		{ "--size" },
	};
	static struct rdma_opts o;

	tap_diag("rdma: refusals follow on stderr");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ok(parse(&o, bad[i][0], bad[i][1], bad[i][2], bad[i][3]) == -1,
		   "rdma: refused: %s %s %s %s", bad[i][0],
		   bad[i][1] ? bad[i][1] : "", bad[i][2] ? bad[i][2] : "",
		   bad[i][3] ? bad[i][3] : "");
}

static void plan(void)
{
	static struct rdma_opts o;
	struct rdma_point pts[128];
	unsigned int n;

	parse(&o, NULL, NULL, NULL, NULL);
	n = rdma_plan(&o, pts);
	is_int(n, 10 + 30 + 12 + 12, "rdma: 64 points by default");
	ok(!strcmp(pts[0].workload, "rdma-reg") && !pts[0].huge &&
	   pts[0].size == 4096 && pts[0].index == 1,
	   "rdma: the first is rdma-reg normal 4K, point 1");
	ok(!strcmp(pts[5].workload, "rdma-reg") && pts[5].huge &&
	   pts[5].size == 4096, "rdma: then the same in huge pages");
	ok(!strcmp(pts[10].workload, "rdma-odp-prefetch") &&
	   !strcmp(pts[20].workload, "rdma-odp-prefetch-write") &&
	   !strcmp(pts[30].workload, "rdma-odp-fault") && pts[30].qd == 16,
	   "rdma: then prefetch, prefetch-write, fault (16 WRITEs in flight)");
	ok(!strcmp(pts[40].workload, "rdma-write") && pts[40].size == 64 &&
	   pts[40].qd == 1 && !strcmp(pts[63].workload, "rdma-send") &&
	   pts[63].huge && pts[63].size == 65536 && pts[63].qd == 16 &&
	   pts[63].index == 64, "rdma: then write and send, size by qd");
	parse(&o, "--reg-per-io", "--test", "write", NULL);
	o.buffers = 1;
	n = rdma_plan(&o, pts);
	is_int(n, 12, "rdma: --reg-per-io doubles the data path points");
	ok(!pts[0].reg_per_io && pts[1].reg_per_io &&
	   pts[0].qd == pts[1].qd && pts[0].size == pts[1].size,
	   "rdma: each point, then the same with reg-per-io");
	ok(pts[2].qd == 16 && pts[4].size == 4096, "rdma: qd before size");
	parse(&o, "--test", "send", "--buffers", "huge");
	is_int(rdma_plan(&o, NULL), 6, "rdma: --test send --buffers huge");
}

/* A size as --size and --msg-size take it: up to RDMA_MAX_SIZE. */
static int size(const char *s, uint64_t *v, char *err)
{
	return parse_size(s, RDMA_MAX_SIZE, v, err, 200);
}

static void sizes(void)
{
	char err[200];
	uint64_t v = 0;

	ok(!size("64", &v, err) && v == 64, "rdma: size 64");
	ok(!size("4k", &v, err) && v == 4096, "rdma: size 4k");
	ok(!size("2M", &v, err) && v == 2 << 20, "rdma: size 2M");
	ok(!size("1G", &v, err) && v == 1ULL << 30, "rdma: size 1G");
	ok(!size("16g", &v, err) && v == 16ULL << 30,
	   "rdma: size 16G is the limit");
	ok(size("16385M", &v, err) == -ERANGE, "rdma: 16385M over the limit");
	ok(strstr(err, "16385M") != NULL, "rdma: the error names the value");
	is_str(err, "'16385M': over the limit of 16G",
	       "rdma: ... and the limit");
	ok(size("99999999999999999999", &v, err) != 0,
	   "rdma: overflowing size refused");
	ok(size("4GG", &v, err) == -EINVAL, "rdma: double suffix refused");
	ok(size("G", &v, err) == -EINVAL, "rdma: suffix alone refused");
	ok(size("1T", &v, err) == -EINVAL && strstr(err, "K, M or G:"),
	   "rdma: T is no suffix of its sizes");
	ok(size("", &v, err) == -EINVAL, "rdma: empty size refused");
}

static void per_page(void)
{
	is_int(rdma_pages(1), 1, "rdma: 1 byte is one page");
	is_int(rdma_pages(4096), 1, "rdma: 4K is one page");
	is_int(rdma_pages(4097), 2, "rdma: 4K + 1 is two pages");
	is_int(rdma_pages(6144), 2, "rdma: 6K is two pages");
	is_int(rdma_pages(2 << 20), 512, "rdma: 2M is 512 pages");
	is_int(rdma_pages(1ULL << 30), 262144, "rdma: 1G is 262144 pages");
	is_num(rdma_ns_per_page(1000, 64), 1000, "rdma: 64 B: all on one page");
	is_num(rdma_ns_per_page(5120000, 20 << 20), 1000,
	       "rdma: 5.12 ms over 20M is 1000 ns per page");
	is_num(rdma_ns_per_page(262144e3, 1ULL << 30), 1000,
	       "rdma: 262 ms over 1G is 1000 ns per page");
}

static const char *classify(const struct dma_facts *f, const char **soft)
{
	static char why[256];

	return dma_path_classify(f, soft, why, sizeof(why));
}

static void what_it_is(void)
{
	struct dma_facts f;
	const char *soft;
	char why[256];

	memset(&f, 0, sizeof(f));
	f.name = "roce0";
	f.node_desc = "";
	f.rxe_parent = true;
	is_str(classify(&f, &soft), "soft-rdma", "rdma: rxe by its parent attribute");
	is_str(soft, "rxe", "rdma: ... and it is rxe");
	dma_path_classify(&f, &soft, why, sizeof(why));
	ok(strstr(why, "not the DMA API") != NULL, "rdma: the reason says no DMA API");
	f.rxe_parent = false;
	f.node_desc = "rxe";
	is_str(classify(&f, &soft), "soft-rdma", "rdma: rxe by node_desc");
	f.node_desc = "";
	f.vendor_id = 0xffffff;
	is_str(classify(&f, &soft), "soft-rdma", "rdma: rxe by vendor id");
	f.vendor_id = 0x626d74;
	is_str(classify(&f, &soft), "soft-rdma", "rdma: siw by vendor id");
	is_str(soft, "siw", "rdma: ... and it is siw");
	f.vendor_id = 0;
	f.node_desc = "Software iWARP stack";
	f.has_device = true;
	f.group_type = "DMA";
	is_str(classify(&f, &soft), "soft-rdma",
	       "rdma: siw on a NIC in an IOMMU group is still soft");
	f.node_desc = "";
	f.name = "rxe7";
	f.has_device = false;
	f.group_type = NULL;
	is_str(classify(&f, &soft), "soft-rdma", "rdma: by name, when nothing else says");

	memset(&f, 0, sizeof(f));
	f.name = "mlx5_0";
	f.node_desc = "host mlx5_0";
	f.vendor_id = 0x02c9;
	f.has_device = true;
	f.cmdline = "root=/dev/sda1 ro";
	f.group_type = "DMA";
	is_str(classify(&f, &soft), "iommu-strict", "rdma: group DMA is iommu-strict");
	ok(soft == NULL, "rdma: a NIC is not soft");
	f.group_type = "DMA-FQ";
	is_str(classify(&f, &soft), "iommu-lazy", "rdma: group DMA-FQ is iommu-lazy");
	f.group_type = "identity";
	is_str(classify(&f, &soft), "iommu-identity", "rdma: group identity");
	f.group_type = "blocked";
	is_str(classify(&f, &soft), "iommu-other",
	       "rdma: group blocked is behind the IOMMU, unlabelled");
	f.group_type = NULL;
	is_str(classify(&f, &soft), "direct", "rdma: no group is direct");
	f.cmdline = "ro swiotlb=force quiet";
	is_str(classify(&f, &soft), "swiotlb", "rdma: no group, swiotlb=force");
	f.has_device = false;
	is_str(classify(&f, &soft), "unknown", "rdma: no parent device: unknown");
}

static void cmdline(void)
{
	ok(cmdline_swiotlb_force("swiotlb=force"), "rdma: swiotlb=force");
	ok(cmdline_swiotlb_force("a swiotlb=65536,force b"),
	   "rdma: swiotlb=65536,force");
	ok(!cmdline_swiotlb_force("swiotlb=65536"), "rdma: swiotlb=65536");
	ok(!cmdline_swiotlb_force("xswiotlb=force"), "rdma: xswiotlb=force");
	ok(!cmdline_swiotlb_force("swiotlb=forced"), "rdma: swiotlb=forced");
	ok(!cmdline_swiotlb_force(""), "rdma: empty command line");
	ok(cmdline_swiotlb_force("swiotlb=65536 swiotlb=force"),
	   "a later swiotlb= word forces too");
	ok(!cmdline_swiotlb_force("swiotlb=65536,forc"), "swiotlb=65536,forc");
}

static void gids(void)
{
	union ibv_gid g;
	char ip[INET_ADDRSTRLEN];

	memset(&g, 0, sizeof(g));
	g.raw[10] = g.raw[11] = 0xff;
	g.raw[12] = 10;
	g.raw[13] = 0;
	g.raw[14] = 2;
	g.raw[15] = 15;
	ok(rdma_gid_ipv4(&g, ip, sizeof(ip)) && !strcmp(ip, "10.0.2.15"),
	   "rdma: ::ffff:10.0.2.15 is IPv4 10.0.2.15");
	memset(&g, 0, sizeof(g));
	g.raw[0] = 0xfe;
	g.raw[1] = 0x80;
	ok(!rdma_gid_ipv4(&g, ip, sizeof(ip)), "rdma: fe80:: is not IPv4");
}

static void sges(void)
{
	struct ibv_sge s[4];
	char *base = (char *)0x100000;

	is_int(rdma_sges(base, 4096, 7, s, 4), 1, "rdma: 4K is one entry");
	ok(s[0].length == 4096 && s[0].lkey == 7 && s[0].addr == 0x100000,
	   "rdma: ... of 4K, with the lkey");
	is_int(rdma_sges(base, (3ULL << 30) + 5, 7, s, 4), 4,
	       "rdma: 3G + 5 is four entries");
	ok(s[0].length == 1U << 30 && s[2].length == 1U << 30 &&
	   s[3].length == 5 && s[3].addr == 0x100000 + (3ULL << 30),
	   "rdma: ... of 1G, 1G, 1G and 5 bytes");
	is_int(rdma_sges(base, 5ULL << 30, 7, s, 4), 0,
	       "rdma: 5G does not fit four entries");
}

static void done(void)
{
	struct rdma_opts o;
	struct rdma_run r;

	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	r.o = &o;
	o.seconds = 1;
	ok(!rdma_done(&r, 0, 0, 5000000000ULL),
	   "rdma: time over but nothing done: go on");
	ok(rdma_done(&r, 1, 0, 1000000000ULL), "rdma: time over, one done: stop");
	ok(!rdma_done(&r, 9, 0, 999999999ULL), "rdma: time not over: go on");
	o.count = 3;
	ok(!rdma_done(&r, 2, 0, 9000000000ULL), "rdma: --count 3, 2 done: go on");
	ok(rdma_done(&r, 3, 0, 0), "rdma: --count 3, 3 done: stop");
	rdma_stop = 1;
	ok(rdma_done(&r, 0, 0, 0), "rdma: a signal stops it");
	rdma_stop = 0;
}

static void memory(void)
{
	char why[256];
	int err;

	ok(rdma_mem_check(1ULL << 60, 0, 0, false, why, sizeof(why)) == -ENOMEM &&
	   strstr(why, "MemAvailable"), "rdma: 1 EiB is more than MemAvailable");
	err = rdma_mem_check(1ULL << 50, 64, 0, true, why, sizeof(why));
	ok((err == -ENOMEM && strstr(why, "nr_hugepages") &&
	    strstr(why, "--hugepages")) ||
	   (err == -EOPNOTSUPP && strstr(why, "hugetlbfs")),
	   "rdma: a petabyte of huge pages: the fix is named");
	ok(rdma_mem_check(4096, 4096, 0, false, why, sizeof(why)) == 0,
	   "rdma: 8K of memory is there");
}

void test_rdma(void)
{
	defaults();
	where();
	quick();
	good();
	refused();
	plan();
	sizes();
	per_page();
	what_it_is();
	cmdline();
	gids();
	sges();
	done();
	memory();
}
