/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A run over a cgroup (--cgroup, --unit): its processes at the start, those that
 * enter and leave, who may be traced under sudo, and the totals by cgroup. */
#ifndef PROCMON_CGROUP_RUN_H
#define PROCMON_CGROUP_RUN_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include "cgroup.h"
#include "run_as.h"

struct session;
struct target;
struct cgroup_run;

/* Make @s a run over @cg (s->cgroup), for the invoking user of @ra: under sudo
 * only the processes that user may trace are traced, the others are counted.
 * 0 or -ENOMEM. */
int cgroup_run_new(struct session *s, const struct cgroup_dir *cg, const struct run_as *ra);
void cgroup_run_free(struct session *s);

/* The traced cgroup as /proc/PID/cgroup names it ("/a/b"). */
const char *cgroup_run_rel(const struct cgroup_run *cr);

/* Trace every process in the cgroup now (BPF is attached: any that enters from
 * here on is seen by it too). Says once on stderr when there is none. 0 or the
 * log's write error. */
int cgroup_run_scan(struct session *s);

/* A PROCMON_EV_CGROUP event: a process entered, left, or moved inside. */
void cgroup_run_on_event(struct session *s, const void *data);

/* BPF made @child, created in the cgroup by @parent, a target: may it stay one?
 * False: it may not be traced (sudo), and BPF has let it go. */
bool cgroup_run_admit_child(struct session *s, pid_t child, pid_t parent);

/* The cgroup of @pid for its target (malloc'd; NULL if unknown). */
char *cgroup_run_path_of(struct session *s, pid_t pid);

/* After each sample: say once that the cgroup is empty; rescan its process
 * lists if BPF had no room for an event. 0 or the log's write error. */
int cgroup_run_tick(struct session *s);

/* @t leaves the target table (retired.h): its cgroup's totals keep it. */
void cgroup_run_retire(struct session *s, const struct target *t);

/* The exit summary's section: totals by cgroup, exited processes included. */
void cgroup_run_summary(const struct session *s, FILE *out);

#endif /* PROCMON_CGROUP_RUN_H */
