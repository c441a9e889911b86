// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: measure the hot-path cost of the Linux DMA mapping API.
 *
 *	dmabench <command> [options]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "meta.h"
#include "util.h"

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} cmds[] = {
	{ "info",    cmd_info,    "show what this machine and the dmabench module offer" },
	{ "micro",   cmd_micro,   "time map and unmap of each DMA API over a matrix" },
	{ "collect", cmd_collect, "merge parts from several boots into one run" },
	{ "compare", cmd_compare, "compare two runs, or two apis in one run, point by point" },
	{ "verdict", cmd_verdict, "VERDICT.md: traced costs of four kernels, and where a change comes from" },
	{ "rdma", cmd_rdma, "RDMA memory registration, on-demand paging and a loopback data path" },
	{ "nvme", cmd_nvme, "run NVMe read/write workloads with io_uring, cost per I/O" },
	{ "fio", cmd_fio, "run the same workloads with fio and import its figures" },
	{ "export", cmd_export, "a run's figures for LKP, KCIDB or LAVA" },
	{ "repair",  cmd_repair,  "undo what a killed dmabench left: PCI binding, IOMMU group, module" },
};

static void usage(FILE *f)
{
	fputs("usage: dmabench <command> [options]\n\ncommands:\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].summary);
	fputs("\n'dmabench <command> --help' describes a command's options.\n", f);
}

static const struct cmd *find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct cmd *cmd;
	char *help[] = { NULL, "--help", NULL };
	char *joined;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		cmd = find(argv[2]);
		help[0] = argv[2];
		if (cmd)
			return cmd->fn(2, help);
	} else {
		cmd = find(argv[1]);
	}
	if (!cmd) {
		fprintf(stderr, "dmabench: '%s' is not a command\n\n",
			argv[argc > 2 && !strcmp(argv[1], "help") ? 2 : 1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	joined = join_args(argc, argv);
	dmabench_command = joined;
	ret = cmd->fn(argc - 1, argv + 1);
	free(joined);
	return ret;
}
