/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands of dmabench.
 */
#ifndef DMABENCH_CMD_H
#define DMABENCH_CMD_H

/*
 * Exit status of every command: 0 done (or --help), 1 failed (said why),
 * 2 a bad option or argument (said which), 130 stopped by a signal.
 */
#define EXIT_USAGE	2

int cmd_info(int argc, char **argv);
int cmd_micro(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_verdict(int argc, char **argv);
int cmd_rdma(int argc, char **argv);
int cmd_nvme(int argc, char **argv);
int cmd_fio(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_repair(int argc, char **argv);

#endif
