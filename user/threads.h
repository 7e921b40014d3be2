/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Per-thread lines (-t): each thread's name, CPU, run-queue wait, faults and
 * switches, as the kernel keeps them under /proc/PID/task/TID. */
#ifndef PROCMON_THREADS_H
#define PROCMON_THREADS_H

#include <sys/types.h>
#include "logformat.h"

/* Read thread @tid of @pid into @th: its name, CPU times, on-CPU and run-queue
 * time, faults and (if its status file could be read) switches. 0, or -ESRCH. */
int thread_read(pid_t pid, pid_t tid, long ticks_per_s, struct thread_sample *th);

#endif /* PROCMON_THREADS_H */
