/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ledgers: what a dmabench is about to change in the system (a PCI
 * device lent to the module, the huge page pool), written before the
 * change to $DMABENCH_STATE_DIR (default /run/dmabench) and removed once
 * it is undone.  A process killed in between (SIGKILL) leaves its ledger
 * for `dmabench repair`.  A ledger is lines of key=value, among them the
 * pid of the dmabench that wrote it, written whole or not at all.
 */
#ifndef DMABENCH_LEDGER_H
#define DMABENCH_LEDGER_H

#include <stdbool.h>
#include <stddef.h>

const char *ledger_dir(void);
/* The path of the ledger called name. */
int ledger_path(const char *name, char *path, size_t size);
/* Write it, the directory made if need be: 0 or -errno. */
int ledger_write(const char *name, const char *text);
/* Read it: 0, -ENOENT if there is none, or -errno. */
int ledger_read(const char *name, char *text, size_t size);
void ledger_remove(const char *name);
/* The value of key in a ledger's text: 0, -ENOENT, -ENAMETOOLONG. */
int ledger_get(const char *text, const char *key, char *buf, size_t size);
/* Its "pid": 0, or -EINVAL if there is none that could be a pid. */
int ledger_pid(const char *text, int *pid);
/* Is pid a dmabench that still runs?  Then its ledgers are its own. */
bool ledger_owner_alive(int pid);

#endif
