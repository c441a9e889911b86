/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lending a spare PCI device to dmabench.ko: driver_override, bind and
 * unbind, and the default domain type of its IOMMU group.  Everything
 * done is recorded so that pcibind_restore() can undo it.
 */
#ifndef DMABENCH_PCIBIND_H
#define DMABENCH_PCIBIND_H

#include <stdbool.h>
#include <stddef.h>

struct pcibind {
	char bdf[16];
	char dir[64];		/* /sys/bus/pci/devices/<bdf> */
	char orig_driver[64];	/* driver to give it back to, "" if none */
	char orig_type[32];	/* group type to restore, "" if no group */
	int group;		/* IOMMU group number, -1 if none */
	bool orig_unbound;	/* we unbound orig_driver */
	bool override_set;	/* driver_override names dmabench */
	bool bound;		/* bound to dmabench */
	bool type_changed;	/* group type differs from orig_type */
	bool ledger;		/* its ledger file is written */
};

/*
 * Before its first change to a device, pcibind writes what it found to a
 * ledger (ledger.h), pci-<bdf>, and removes it once everything is undone:
 * a process killed in between (SIGKILL) leaves it for `dmabench repair`
 * (pcibind_repair()).
 */
int pcibind_open(struct pcibind *pb, const char *bdf);
int pcibind_bind(struct pcibind *pb);
int pcibind_unbind(struct pcibind *pb);
int pcibind_set_type(struct pcibind *pb, const char *type);
int pcibind_restore(struct pcibind *pb);
/*
 * Give back the device of the ledger file at path, unless the process that
 * wrote it is still alive; say on stdout what was done.  0: repaired or
 * left alone (*fixed counts the changes), else the first error.
 */
int pcibind_repair(const char *path, unsigned int *fixed);
/* The ledger's text for pb written by pid, and its parse (for tests). */
int pcibind_ledger_fmt(const struct pcibind *pb, int pid, char *buf,
		       size_t size);
int pcibind_ledger_parse(const char *text, struct pcibind *pb, int *pid);

#endif
