/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What must hold before tracing starts: kernel BTF, the capabilities to load BPF,
 * and PIDs that name real user-space processes. */
#ifndef PROCMON_CHECKS_H
#define PROCMON_CHECKS_H

#include <sys/types.h>

/* 0, or -errno with why and hint set to a message and what to do. */
int check_btf(const char **why, const char **hint);
int check_capabilities(const char **why, const char **hint);
/* The syscall tracepoints are found through tracefs: mount it if it is not. */
int check_tracefs(const char **why, const char **hint);
int check_attach_pid(pid_t pid, const char **why, const char **hint);

#endif /* PROCMON_CHECKS_H */
