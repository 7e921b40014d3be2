/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Least privilege: once the BPF programs are loaded and the command launched,
 * keep only the capabilities the rest of a run uses. */
#ifndef PROCMON_PRIVS_H
#define PROCMON_PRIVS_H

/* Reduce the effective and permitted sets to what later uprobe attaches, /proc
 * reads of other users' processes and SIGCONT need. 0 or -errno. */
int privs_drop_unneeded(void);

#endif /* PROCMON_PRIVS_H */
