/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to dmabench.ko through /dev/dmabench.
 */
#ifndef DMABENCH_MODULE_H
#define DMABENCH_MODULE_H

#include "dmabench_uapi.h"

#define MODULE_LOAD_HINT \
	"load it with `make bench` or `insmod bench-module/dmabench.ko`"

int module_open(void);
void module_close(int fd);
int module_info(int fd, struct dmabench_info *info);
void module_run_init(struct dmabench_run *run);
int module_run(int fd, struct dmabench_run *run);
const char *module_strerror(int err);

#endif
