/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Acting for the invoking user under sudo: a file is opened, and a process's
 * access checked, by a child that has the user's credentials and nothing else. */
#ifndef PROCMON_AS_USER_H
#define PROCMON_AS_USER_H

#include <stdbool.h>
#include <sys/types.h>
#include "run_as.h"

/* Runs @fn(@arg) in a child with @ra's owner credentials (the sudo user: their
 * groups, gid and uid) when @ra->have_owner, else in this process. @fn returns
 * a file descriptor or -errno and may set *@why to a static string; the
 * descriptor comes back through a socket. Returns it or -errno. */
int as_user_call(const struct run_as *ra, int (*fn)(void *arg, const char **why), void *arg,
		 const char **why);

/* May the invoking user read @pid's memory-revealing files (ptrace READ mode:
 * same user, not made undumpable)? 0, -EPERM, -ESRCH. The invoking user is the
 * sudo user, or the real user of a file-capability install; root may. */
int as_user_may_trace(const struct run_as *ra, pid_t pid);

#endif /* PROCMON_AS_USER_H */
