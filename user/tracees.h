/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The hold as ptrace: the command (and with -c its children, attached at birth)
 * is PTRACE_SEIZEd; exec and code mappings stop it for procmon only; forks and
 * exits come from one waitpid loop, driven by a signalfd(SIGCHLD). */
#ifndef PROCMON_TRACEES_H
#define PROCMON_TRACEES_H

#include <stdbool.h>
#include <sys/types.h>

struct session;

/* Block SIGCHLD (in every thread: call before any is created) so that only the
 * signalfd sees it. */
void tracees_block_sigchld(void);

/* The signalfd in the session's epoll set. 0 or -errno. */
int tracees_init(struct session *s);

/* Seize @pid (our child, not yet exec'd), its forks too with -c. 0 or -errno
 * (then the SIGSTOP hold is used). */
int tracees_seize(struct session *s, pid_t pid);

/* Seize a running process (-p) and all its threads. 0 or -errno (EPERM:
 * traced already, by a debugger or another procmon). */
int tracees_seize_running(struct session *s, pid_t pid);

/* Is @pid (being added as a target) one of our tracees? */
bool tracees_is_tracee(struct session *s, pid_t pid);

/* BPF signalled thread @tid to stop at a code mapping: its stop is ours. */
void tracees_note_hold(struct session *s, pid_t tid);

/* Handle every stop and exit waiting: holds, forks, exits (STOP lines with the
 * real status), signals passed on unchanged. 0 or -errno. */
int tracees_drain(struct session *s);

/* After tracing: keep the tracees running (stops resumed, exits collected)
 * until the launched command has exited, or a stop signal. */
void tracees_wait_launched(struct session *s);

void tracees_close(struct session *s);

#endif /* PROCMON_TRACEES_H */
