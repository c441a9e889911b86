// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line values: sizes, lists, numbers, PCI addresses, notes.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "names.h"
#include "parse.h"
#include "tap.h"

static char why[200];	/* what the last size call said */

/* A size up to the module's limit, as dmabench micro's --size takes it. */
static int msize(const char *s, uint64_t *v)
{
	return parse_size(s, SIZE_LIMIT, v, why, sizeof(why));
}

static int msizes(const char *s, uint64_t *sizes, size_t max, size_t *n)
{
	return parse_size_list(s, SIZE_LIMIT, sizes, max, n, why, sizeof(why));
}

static void sizes(void)
{
	uint64_t v = 0;

	ok(!msize("64", &v) && v == 64, "size 64");
	ok(!msize("4K", &v) && v == 4096, "size 4K");
	ok(!msize("4k", &v) && v == 4096, "size 4k");
	ok(!msize("2M", &v) && v == 2 << 20, "size 2M");
	ok(!msize("4M", &v) && v == 4 << 20, "size 4M is the limit");
	ok(msize("4097K", &v) != 0, "size over 4M refused");
	ok(msize("1048576M", &v) != 0, "size overflowing when shifted refused");
	ok(msize("0", &v) != 0, "size 0 refused");
	ok(msize("", &v) != 0, "empty size refused");
	ok(msize("K", &v) != 0, "suffix alone refused");
	ok(msize("4Q", &v) != 0, "unknown suffix refused");
	ok(strstr(why, "4Q"), "the whyor names the bad value");
	ok(msize("-4", &v) != 0, "negative size refused");
	ok(msize("4KK", &v) != 0, "double suffix refused");
	ok(msize("99999999999999999999", &v) != 0, "overflowing size refused");
	ok(msize("1G", &v) == -EINVAL && strstr(why, "K or M:"),
	   "under 4M, G is no suffix, and K or M are named");
	ok(msize("8M", &v) == -ERANGE &&
	   strstr(why, "the module's limit of 4M"), "4M is the module's limit");
	ok(!parse_size("2T", UINT64_MAX, &v, why, sizeof(why)) &&
	   v == 2ULL << 40, "without a limit, 2T");
	ok(parse_size("0K", UINT64_MAX, &v, why, sizeof(why)) == -EDOM,
	   "0K is 0: -EDOM");
}

static void size_lists(void)
{
	uint64_t s[8];
	size_t n = 0;

	ok(!msizes("64K,64,4K,2M", s, 8, &n), "size list parses");
	ok(n == 4 && s[0] == 64 && s[1] == 4096 && s[2] == 65536 &&
	   s[3] == 2 << 20, "size list sorted ascending");
	ok(!msizes("4K,4096", s, 8, &n) && n == 1, "duplicate sizes dropped");
	ok(msizes("64,,4K", s, 8, &n) != 0, "empty item refused");
	ok(msizes("64,", s, 8, &n) != 0, "trailing comma refused");
	ok(msizes("1,2,3", s, 2, &n) != 0, "too many sizes refused");
}

static void name_lists(void)
{
	unsigned int mask = 0;
	char err[200];

	ok(!parse_name_list("page,phys", api_names, DMABENCH_API_COUNT, &mask,
			    err, sizeof(err)), "api list parses");
	is_int(mask, (1 << DMABENCH_API_PAGE) | (1 << DMABENCH_API_PHYS),
	       "api list mask");
	ok(!parse_name_list("from_device", dir_names, DIR_COUNT, &mask, err,
			    sizeof(err)) && mask == 1U << DIR_FROM_DEVICE,
	   "dir from_device is DMA_FROM_DEVICE (2)");
	ok(!parse_name_list("iommu-lazy,direct", path_names, PATH_COUNT, &mask,
			    err, sizeof(err)) &&
	   mask == ((1U << PATH_IOMMU_LAZY) | (1U << PATH_DIRECT)),
	   "path list parses");
	ok(parse_name_list("page,frob", api_names, DMABENCH_API_COUNT, &mask,
			   err, sizeof(err)) != 0, "unknown api refused");
	ok(strstr(err, "'frob'") && strstr(err, "none,page,phys,single,resource,sg,iova"),
	   "the error lists the choices");
	ok(parse_name_list("Page", api_names, DMABENCH_API_COUNT, &mask, err,
			   sizeof(err)) != 0, "names are case-sensitive");
	ok(parse_name_list("", api_names, DMABENCH_API_COUNT, &mask, err,
			   sizeof(err)) != 0, "empty list refused");
}

static void numbers(void)
{
	char err[200];
	uint64_t v;

	ok(!parse_uint("10000", 100000, &v, err, sizeof(err)) && v == 10000,
	   "number parses");
	ok(parse_uint("100001", 100000, &v, err, sizeof(err)) != 0,
	   "number over max refused");
	ok(parse_uint("12a", 100, &v, err, sizeof(err)) != 0,
	   "trailing junk refused");
	ok(parse_uint(" 1", 100, &v, err, sizeof(err)) != 0,
	   "leading space refused");
	ok(parse_uint("+1", 100, &v, err, sizeof(err)) != 0, "sign refused");
}

static void bdfs(void)
{
	char bdf[16], err[200];

	ok(!parse_bdf("0000:00:03.0", bdf, sizeof(bdf), err, sizeof(err)),
	   "full PCI address parses");
	is_str(bdf, "0000:00:03.0", "full PCI address kept");
	ok(!parse_bdf("0A:1f.7", bdf, sizeof(bdf), err, sizeof(err)),
	   "short PCI address parses");
	is_str(bdf, "0000:0a:1f.7", "short address gets domain 0000, lower case");
	ok(parse_bdf("00:20.0", bdf, sizeof(bdf), err, sizeof(err)) != 0,
	   "device 0x20 refused");
	ok(parse_bdf("00:03.8", bdf, sizeof(bdf), err, sizeof(err)) != 0,
	   "function 8 refused");
	ok(parse_bdf("0000:00:03.0x", bdf, sizeof(bdf), err, sizeof(err)) != 0,
	   "trailing junk refused");
	ok(parse_bdf("nvme0", bdf, sizeof(bdf), err, sizeof(err)) != 0,
	   "a name refused");
}

static void notes(void)
{
	char err[200];

	ok(!parse_note("qemu=qemu-system-x86_64 -M q35 -icount shift=0", err,
		       sizeof(err)), "note with spaces and '=' in the value");
	ok(!parse_note("k=", err, sizeof(err)), "empty value allowed");
	ok(parse_note("=v", err, sizeof(err)) != 0, "empty key refused");
	ok(parse_note("novalue", err, sizeof(err)) != 0, "missing '=' refused");
	ok(!parse_note("qemu cmd=x", err, sizeof(err)), "space in key allowed");
	ok(parse_note("a\tb=c", err, sizeof(err)) != 0, "tab in key refused");
}

void test_parse(void)
{
	sizes();
	size_lists();
	name_lists();
	numbers();
	bdfs();
	notes();
}
