/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* -c without ptrace (a -p target traced already): children whose fork event was
 * lost are found in /proc/PID/task/TID/children at each sample. */
#ifndef PROCMON_CHILDREN_SCAN_H
#define PROCMON_CHILDREN_SCAN_H

struct session;

/* Add every live child of a live target that is not a target yet. */
void children_scan(struct session *s);

/* Forks whose event was lost and whose child was not found alive (it exited
 * between two samples): the exact count of children missed. */
unsigned long long children_missed(const struct session *s);

#endif /* PROCMON_CHILDREN_SCAN_H */
