/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Per-thread lines (-t): each thread's name, CPU, run-queue wait, faults and
 * switches, as the kernel keeps them under /proc/PID/task/TID. */
#ifndef PROCMON_THREADS_H
#define PROCMON_THREADS_H

#include <sys/types.h>
#include <json-c/json.h>

/* The `thread` object for @tid of @pid: {tid, comm, user, system, oncpu_ns,
 * runq_wait_ns, minflt, majflt, voluntary, involuntary}; NULL if it is gone. */
json_object *thread_object(pid_t pid, pid_t tid, long ticks_per_s);

/* The thread IDs of @pid into a malloc'd array. Count, or -errno. */
int thread_ids(pid_t pid, pid_t **tids);

#endif /* PROCMON_THREADS_H */
