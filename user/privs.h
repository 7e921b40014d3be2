/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Least privilege: once the BPF programs are loaded and the command launched,
 * keep only the capabilities the rest of a run uses. */
#ifndef PROCMON_PRIVS_H
#define PROCMON_PRIVS_H

#include <linux/capability.h>

/* Older UAPI headers lack the capabilities of kernel 5.8. */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* Reduce the effective and permitted sets to what later uprobe attaches, /proc
 * reads of other users' processes and SIGCONT need. 0 or -errno. */
int privs_drop_unneeded(void);

#endif /* PROCMON_PRIVS_H */
