// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench fio and --perf-record: fio's JSON report (a real one, from
 * fio 3.33 running configs/fio/randread.fio) read into a row, fio
 * --showcmd read, perf script's output (a real one, perf 6.1) folded,
 * and the helpers that run programs.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fio_import.h"
#include "fio_window.h"
#include "json.h"
#include "perfrec.h"
#include "proc.h"
#include "tap.h"
#include "util.h"
#include "workload.h"

/* tests/unit/data/<name>, found from where this file was compiled. */
static char *data_file(const char *name, size_t *len)
{
	char path[4096];
	const char *slash = strrchr(__FILE__, '/');
	char *text;

	snprintf(path, sizeof(path), "%.*sdata/%s",
		 slash ? (int)(slash - __FILE__ + 1) : 0, __FILE__, name);
	text = read_all(path, len);
	if (!text)
		tap_diag("%s: cannot read it", path);
	return text;
}

/*
 * fio writes "key" : value, a blank before the colon, may log a line
 * before its report, and writes numbers in several ways.
 */
static void spaced_keys(void)
{
	const char *doc = "a line fio logged\n"
			  "{ \"fio version\" : \"fio-3.33\", \"jobs\" : [ { "
			  "\"jobname\" : \"j\", \"error\" : 5, "
			  "\"usr_cpu\" : -1.5e3, \"sys_cpu\" : \"7\", "
			  "\"elapsed\" : 0.000000 } ] }\n";
	struct fio_result r;
	char why[200] = "";

	is_int(fio_import(doc, strlen(doc), &r, why, sizeof(why)), 0,
	       "a report with blanks before colons, after a logged line");
	is_str(r.version, "fio-3.33", "its keys are found");
	is_int(r.error, 5, "nested ones too");
	is_num(r.usr_cpu, -1500, "a number with an exponent");
	ok(isnan(r.sys_cpu), "a string is no number");
	is_num(r.elapsed, 0, "0.000000 is a number");
	is_str(r.dir, "", "no direction did I/O");
}

static void import_sample(void)
{
	struct fio_result r;
	struct workload_row row;
	char why[200] = "";
	size_t len;
	char *text = data_file("fio-randread.json", &len);

	if (!ok(text, "sample fio report read"))
		return;
	is_int(fio_import(text, len, &r, why, sizeof(why)), 0, "fio 3.33 report imported");
	is_str(r.version, "fio-3.33", "fio's version");
	is_str(r.jobname, "randread", "job name");
	is_int(r.error, 0, "no error");
	is_str(r.dir, "read", "the direction that did I/O");
	is_num(r.seconds, 1.001, "seconds: runtime, ms to s");
	is_int(r.ops, 15136, "ops: total_ios");
	is_num(r.iops, 15120.879121, "iops");
	is_num(r.bw_bytes, 61935120, "bw_bytes");
	is_num(r.lat_min, 64120, "lat min (lat_ns, not clat_ns)");
	is_num(r.lat_max, 7413255, "lat max");
	is_num(r.lat_mean, 234987.952167, "lat mean");
	ok(r.percentiles, "lat percentiles present");
	is_num(r.lat_p50, 173056, "lat p50");
	is_num(r.lat_p90, 354304, "lat p90");
	is_num(r.lat_p99, 1581056, "lat p99");
	is_num(r.lat_p999, 4554752, "lat p99.9");
	is_num(r.usr_cpu, 3.6, "the job's usr_cpu");
	is_num(r.sys_cpu, 30.5, "the job's sys_cpu");

	workload_row_init(&row);
	fio_fill_row(&r, &row);
	is_num(row.rate, 15120.879121, "row rate: IOPS");
	is_num(row.mib_s, 61935120.0 / 1048576, "row mib_s: bw_bytes / 2^20");
	is_int(row.ops, 15136, "row ops");
	is_num(row.lat_p999, 4554752, "row lat_p999");
	is_str(row.lat_unit, "ns", "row lat_unit");
	ok(isnan(row.cpu_ns_per_op), "cpu per op left to sysprof");
	free(text);
}

static int import_text(const char *text, struct fio_result *r, char *why,
		       size_t size)
{
	why[0] = '\0';
	return fio_import(text, strlen(text), r, why, size);
}

static void import_odd(void)
{
	struct fio_result r;
	char why[200];

	is_int(import_text("fio: a note first\n{\"jobs\" : [{\"error\" : 0, "
			   "\"read\" : {\"runtime\" : 2000, \"total_ios\" : 10, "
			   "\"iops\" : 5, \"bw_bytes\" : 20480, \"lat_ns\" : "
			   "{\"min\" : 1, \"max\" : 3, \"mean\" : 2}}}]}\n",
			   &r, why, sizeof(why)), 0,
	       "a line before the report is skipped");
	ok(!r.percentiles && isnan(r.lat_p50), "no percentiles: none made up");
	is_num(r.seconds, 2, "  its seconds");
	is_int(import_text("{\"jobs\" : [{\"error\" : 95, \"read\" : "
			   "{\"total_ios\" : 0}}]}", &r, why, sizeof(why)), 0,
	       "a job that failed is read");
	is_int(r.error, 95, "  with its errno");
	is_str(r.dir, "", "  and no direction");
	is_int(import_text("{\"jobs\" : [{\"error\" : 0}, {\"error\" : 0}]}",
			   &r, why, sizeof(why)), -EINVAL, "two jobs refused");
	ok(strstr(why, "several jobs") != NULL, "  saying why");
	is_int(import_text("{\"jobs\" : [{\"error\" : 0, \"read\" : "
			   "{\"total_ios\" : 3}, \"write\" : {\"total_ios\" : 4}}]}",
			   &r, why, sizeof(why)), -EINVAL,
	       "reads and writes in one job refused");
	is_int(import_text("fio: no such file\n", &r, why, sizeof(why)),
	       -EINVAL, "no report at all");
	is_int(import_text("{\"jobs\" : [{\"error\" : 0, \"write\" : "
			   "{\"total_ios\" : 3}}]}", &r, why, sizeof(why)),
	       -EINVAL, "a section without its figures");
}

static void showcmd(void)
{
	struct fio_job j;

	is_int(fio_showcmd("fio --name=randread --direct=1 --bs=4096 "
			   "--ioengine=io_uring --rw=randread "
			   "--filename=/dev/nvme0n1 --hipri=0 \n", &j), 0,
	       "showcmd read");
	is_int(j.njobs, 1, "  one job");
	is_int(j.numjobs, 1, "  numjobs 1 by default");
	is_str(j.rw, "randread", "  rw");
	is_str(j.ioengine, "io_uring", "  ioengine");
	is_str(j.filename, "/dev/nvme0n1", "  filename");
	fio_showcmd("fio --ioengine=io_uring --name=a --rw=read --name=b "
		    "--readwrite=write --numjobs=4\n", &j);
	is_int(j.njobs, 2, "two jobs counted");
	is_str(j.rw, "write", "readwrite is rw");
	is_int(j.numjobs, 4, "numjobs");
	is_int(fio_showcmd("fio: failed parsing filename=${DEV}\n", &j), -EINVAL,
	       "no job: an error");

	is_str(fio_workload("randread"), "nvme-randread", "randread");
	is_str(fio_workload("read"), "nvme-seqread", "read is seqread");
	is_str(fio_workload(""), "nvme-seqread", "fio's default is read");
	is_str(fio_workload("randwrite:8"), "nvme-randwrite",
	       "an offset modifier is not a workload");
	is_str(fio_workload("write"), "nvme-seqwrite", "write is seqwrite");
	ok(!fio_workload("randrw"), "randrw is none of dmabench's");
	ok(!fio_rw_writes("randread") && !fio_rw_writes("read") &&
	   !fio_rw_writes(""), "reads do not write");
	ok(fio_rw_writes("write") && fio_rw_writes("randrw") &&
	   fio_rw_writes("trim"), "writes, mixes and trims do");
}

/* perf_fold() on text; the folded lines in a string to free. */
static char *fold(const char *text, long *samples)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	*samples = perf_fold(in, f);
	fclose(in);
	fclose(f);
	return out;
}

static void fold_sample(void)
{
	static const char want[] =
		"dd;[unknown] 2\n"
		"dd;[unknown];handle_amd 1\n"
		"dd;__GI___libc_write 1\n"
		"ksoftirqd/0;ret_from_fork_asm;ret_from_fork;kthread;smpboot_thread_fn 1\n"
		"kworker/u8:0+lo;ret_from_fork_asm;ret_from_fork;kthread;worker_thread;_raw_spin_unlock_irq 1\n"
		"perf-exec;__GI___execve;entry_SYSCALL_64_after_hwframe;do_syscall_64;"
		"__x64_sys_execve;do_execveat_common.isra.0;bprm_execve;load_elf_binary;"
		"begin_new_exec;__mmput;exit_mmap;unmap_vmas;unmap_page_range 1\n"
		"sh;do_lookup_x 1\n"
		"sleep;[unknown];handle_amd 1\n";
	char *text = data_file("perf-script.txt", NULL), *got;
	long n;

	if (!ok(text, "sample perf script output read"))
		return;
	got = fold(text, &n);
	is_int(n, 9, "perf script sample: 9 samples");
	is_str(got, want, "folded: one sorted line per stack, outermost first");
	free(got);
	free(text);
}

static void fold_forms(void)
{
	/* The same two samples, as -F comm,pid,tid,ip,sym and by default. */
	static const char fields[] =
		"swapper     0/0     \n"
		"\tffffffff821f236b pv_native_safe_halt\n"
		"\tffffffff813c38a6 do_idle\n"
		"\n"
		"Web Content 1234/1240 \n"
		"\t    7f00deadbeef foo(int, char)\n"
		"\t               0 [unknown]\n"
		"\n";
	static const char plain[] =
		"swapper     0 [000] 10631.814691:     250000 cpu-clock:ppp: \n"
		"\tffffffff821f236b pv_native_safe_halt+0xb ([kernel.kallsyms])\n"
		"\tffffffff813c38a6 do_idle+0x136 ([kernel.kallsyms])\n"
		"\n"
		"Web Content  1234 [001] 10631.815148:     250000 cpu-clock:ppp: \n"
		"\t    7f00deadbeef foo(int, char)+0x1f (/usr/lib/libxul.so)\n"
		"\t               0 [unknown] ([unknown])\n";
	static const char want[] =
		"Web Content;[unknown];foo(int, char) 1\n"
		"swapper;do_idle;pv_native_safe_halt 1\n";
	/* No call chains: the only frame is on the header line. */
	static const char flat[] =
		"       perf-exec 12846/12846  ffffffff821f26e7 exc_page_fault\n"
		"           sleep 12846/12846      7f3b4b29c3e0 a;b\n"
		"       perf-exec 12846/12846  ffffffff821f26e7 exc_page_fault\n"
		"             cc1 77/77  ffffffff821f26e7 \n";
	long n;
	char *got;

	got = fold(fields, &n);
	is_str(got, want, "-F comm,pid,tid,ip,sym: comm with a blank kept");
	is_int(n, 2, "  2 samples");
	free(got);
	got = fold(plain, &n);
	is_str(got, want, "default fields: offsets and dsos dropped, same stacks");
	free(got);
	got = fold(flat, &n);
	is_str(got, "cc1;[unknown] 1\nperf-exec;exc_page_fault 2\nsleep;a:b 1\n",
	       "without call chains; ';' in a name becomes ':'");
	is_int(n, 4, "  4 samples");
	free(got);
	got = fold("", &n);
	is_str(got, "", "nothing in, nothing out");
	is_int(n, 0, "  0 samples");
	free(got);
}

static void programs(void)
{
	char *true_argv[] = { "true", NULL };
	char *env_argv[] = { "env", NULL };
	char *sleep_argv[] = { "sleep", "5", NULL };
	char *missing_argv[] = { "dmabench-no-such-program", NULL };
	char *env[] = { "DMABENCH_T=yes", NULL };
	char path[4096], line[256];
	FILE *out = tmpfile();
	int status = -1, seen = 0;
	pid_t pid;

	if (!ok(out, "a temporary file for env's output"))
		return;

	ok(!prog_find("sh", path, sizeof(path)) && path[0] == '/',
	   "sh found in PATH (%s)", path);
	is_int(prog_find("dmabench-no-such-program", path, sizeof(path)),
	       -ENOENT, "a missing program is -ENOENT");
	pid = prog_spawn(true_argv, NULL, -1, -1);
	ok(pid > 0 && !prog_wait(pid, -1, &status) && WIFEXITED(status) &&
	   !WEXITSTATUS(status), "true runs and exits 0");
	setenv("DMABENCH_T", "no", 1);
	pid = prog_spawn(env_argv, env, fileno(out), -1);
	unsetenv("DMABENCH_T");
	ok(pid > 0 && !prog_wait(pid, 5, &status) && WIFEXITED(status) &&
	   !WEXITSTATUS(status), "env runs");
	rewind(out);
	while (fgets(line, sizeof(line), out))
		seen += !strncmp(line, "DMABENCH_T=", 11) +
			2 * !strcmp(line, "DMABENCH_T=yes\n");
	is_int(seen, 3, "the environment given reaches it, in place of ours");
	is_int(prog_spawn(missing_argv, NULL, -1, -1), -ENOENT,
	       "a program that is not there is not started");
	pid = prog_spawn(sleep_argv, NULL, -1, -1);
	is_int(prog_wait(pid, 0.05, &status), -ETIMEDOUT,
	       "a wait with a time limit gives up");
	kill(pid, SIGKILL);
	ok(!prog_wait(pid, -1, &status) && WIFSIGNALED(status),
	   "  and the program can be stopped");
	fclose(out);
}

/* A block device's stat, as loop0 gave it, and what it says. */
static void block_stat(void)
{
	const char *text =
		"24503238     2280 197921552  1325508   216170        0  1729360    10780        0   492240  1336288        0        0        0        0        0        0";
	struct blkstat a = { 0 }, b;

	ok(!blkstat_parse(text, &a), "a block device's stat is read");
	is_int(a.ios, 24503238 + 216170, "  requests: reads and writes completed");
	is_int(a.merges, 2280, "  merged: reads and writes");
	is_int(a.sectors, 197921552ULL + 1729360, "  sectors: read and written");
	ok(!blkstat_parse("1 2 3 4 5 6 7\n", &b) && b.ios == 6 &&
	   b.merges == 8 && b.sectors == 10, "seven fields are enough");
	ok(blkstat_parse("1 2 3 4 5 6", &b) == -EINVAL,
	   "fewer than 7 fields: refused");
	ok(blkstat_parse("1 2 x 4 5 6 7", &b) == -EINVAL, "a word: refused");
	ok(blkstat_parse("", &b) == -EINVAL, "nothing: refused");

	/* I/Os from sectors: merged and split requests count as asked. */
	a = (struct blkstat){ .ios = 100, .sectors = 1000 };
	b = (struct blkstat){ .ios = 110, .sectors = 1000 + 10 * 8 };
	is_int(blkstat_ops(&a, &b, 4096), 10, "10 reads of 4 KiB");
	b = (struct blkstat){ .ios = 120, .sectors = 1000 + 10 * 2048 };
	is_int(blkstat_ops(&a, &b, 1 << 20), 10,
	       "10 reads of 1 MiB, split in 20 requests: 10 I/Os");
	b = (struct blkstat){ .ios = 102, .sectors = 1000 + 16 * 8 };
	is_int(blkstat_ops(&a, &b, 4096), 16,
	       "16 reads of 4 KiB merged into 2 requests: 16 I/Os");
	is_int(blkstat_ops(&b, &a, 4096), 0, "a counter gone back: none");
	is_int(blkstat_ops(&a, &b, 0), 0, "no block size: none");
}

static void stat_counts(void)
{
	char why[200];

	ok(fio_stat_counts("1", "0", false, false, why, sizeof(why)) &&
	   !why[0], "block I/O is in the disk's stat");
	ok(fio_stat_counts("", "", false, true, why, sizeof(why)),
	   "  also with no queue/iostats to say so, and on a multipath head");
	ok(!fio_stat_counts("0", "1", false, false, why, sizeof(why)) &&
	   strstr(why, "queue/iostats is 0"), "not with queue/iostats 0");
	ok(!fio_stat_counts("1", "0", true, false, why, sizeof(why)) &&
	   strstr(why, "queue/iostats_passthrough is 0"),
	   "passthrough: not with queue/iostats_passthrough 0");
	ok(!fio_stat_counts("1", "", true, false, why, sizeof(why)) &&
	   strstr(why, "no queue/iostats_passthrough"),
	   "passthrough: not on a kernel without it");
	ok(fio_stat_counts("1", "1", true, false, why, sizeof(why)),
	   "passthrough: with queue/iostats_passthrough 1");
	ok(!fio_stat_counts("1", "1", true, true, why, sizeof(why)) &&
	   strstr(why, "multipath"),
	   "passthrough: not on a multipath head, whose paths count it");
}

static void window_length(void)
{
	is_num(fio_window_seconds(2), 1.8, "window of a 2 s run: 1.8 s");
	is_num(fio_window_seconds(10), 9, "of a 10 s run: 9 s");
	is_num(fio_window_seconds(0.3), 0.25, "of 0.3 s: 50 ms less");
	is_num(fio_window_seconds(0.1), 0.05, "of 0.1 s: half");
}

static void child_processes(void)
{
	const char *odd = "4242 (a) b (c)) S 17 4242 4242 0 -1 4194560";
	pid_t ppid = 0, pid;
	int status;

	ok(!proc_stat_ppid("123 (fio) S 45 123 123 0", &ppid) && ppid == 45,
	   "the parent in /proc/<pid>/stat");
	ok(!proc_stat_ppid(odd, &ppid) && ppid == 17,
	   "  after a command name with blanks and parentheses");
	ok(proc_stat_ppid("123 (fio", &ppid) == -EINVAL &&
	   proc_stat_ppid("", &ppid) == -EINVAL, "  none in a cut line");
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	ok(pid > 0 && proc_has_child(getpid()), "a child of ours is found");
	ok(pid > 0 && !proc_has_child(pid), "  and it has none");
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
}

void test_fio(void)
{
	spaced_keys();
	import_sample();
	import_odd();
	showcmd();
	fold_sample();
	fold_forms();
	programs();
	block_stat();
	stat_counts();
	window_length();
	child_processes();
}
