/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Holds a task until its probes are attached: the command at a gate (forked,
 * credentials dropped, waiting on a pipe until it is a target, then exec'd), and
 * a task BPF stopped at an exec or a code mapping. */
#ifndef PROCMON_LAUNCH_H
#define PROCMON_LAUNCH_H

#include <stdint.h>
#include <sys/types.h>
#include "run_as.h"

struct child_report {
	int32_t stage;
	int32_t err;
};

struct launch {
	pid_t pid;
	int gate_fd;	/* write end: one byte lets the child exec */
	int err_fd;	/* read end: the child's errno if exec or set-up failed */
	struct child_report early;	/* a failure reported before the gate opened */
};

/* Raise procmon's soft RLIMIT_NOFILE to the hard limit (a descriptor per
 * target and per probe); the command gets the user's limit back before exec. */
void launch_raise_fd_limit(void);

/* Fork the child, which waits at the gate. 0 or -errno. */
int launch_prepare(struct launch *l, char *const argv[], const struct run_as *ra);

/* Open the gate and wait for exec: 0 when the command runs, else the child's
 * errno as -errno (the child has exited; it is reaped). *stage names what failed. */
int launch_release(struct launch *l, const char **stage);

/* Close the gate without running the command (procmon failed): the child exits. */
void launch_abort(struct launch *l);

/* Continue @pid, which BPF stopped (SIGSTOP at an exec or a code mapping) until
 * its label probes were attached, once the stop has landed. */
void hold_release(pid_t pid);

#endif /* PROCMON_LAUNCH_H */
