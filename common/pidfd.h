/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* pidfd_open(2): glibc 2.36 declares it, but older ones do not; one wrapper. */
#ifndef PROCMON_PIDFD_H
#define PROCMON_PIDFD_H

#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL	/* linux/pidfd.h, kernel >= 6.9 */
#endif

/* A pidfd for @pid (a thread's with PIDFD_THREAD), or -1 with errno set. */
static inline int procmon_pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

#endif /* PROCMON_PIDFD_H */
