/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What must hold before tracing starts: kernel BTF, the capabilities to load BPF,
 * tracefs, PIDs that name real user-space processes, and the -u user. */
#ifndef PROCMON_CHECKS_H
#define PROCMON_CHECKS_H

#include <sys/types.h>
#include "options.h"
#include "run_as.h"

/* 0, or -errno with @why set to a message and @hint to what to do (or NULL);
 * both are NULL after a success. */
int check_btf(const char **why, const char **hint);
int check_capabilities(const char **why, const char **hint);
/* The syscall tracepoints are found through tracefs: mount it if it is not. */
int check_tracefs(const char **why, const char **hint);
int check_attach_pid(pid_t pid, const char **why, const char **hint);

/* Every check above for @o (each -p PID), then the -u user resolved into @ra.
 * 0, or -errno after one `procmon: ...` line on stderr saying what failed. */
int preflight(const struct procmon_opts *o, struct run_as *ra);

#endif /* PROCMON_CHECKS_H */
