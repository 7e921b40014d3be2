// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The fallback for children of targets that are not tracees: BPF counts the fork
 * events it had no room for, a scan of /proc finds the live ones. */
#include <stdio.h>
#include <stdlib.h>
#include "children_scan.h"
#include "proc.h"
#include "session.h"
#include "targets.h"

static void scan_thread(struct session *s, pid_t pid, pid_t tid)
{
	char path[64], buf[4096];
	ssize_t n;
	char *p, *end;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)tid);
	n = proc_read_file(path, buf, sizeof(buf));
	if (n <= 0)
		return;
	for (p = buf; *p; p = end) {
		long child = strtol(p, &end, 10);
		struct target *t;

		if (end == p)
			break;
		t = targets_find(s, (pid_t)child);
		if (child <= 0 || (t && !t->finished))
			continue;
		if (tracer_add(&s->tracer, (pid_t)child, pid, true) == 0 &&
		    targets_add(s, (pid_t)child, false, 0) == 0)
			s->children_found_by_scan++;
	}
}

void children_scan(struct session *s)
{
	int i, j, n, live = s->n_targets;
	unsigned long long lost;

	if (!s->cfg.follow_children || !s->tracing)
		return;
	/* Only when BPF has lost fork events since the last scan: a child it
	 * counted exists by then, and is found now or has exited (counted). */
	lost = tracer_fork_events_lost(&s->tracer);
	if (lost == s->fork_lost_scanned)
		return;
	s->fork_lost_scanned = lost;
	for (i = 0; i < live; i++) {
		struct target *t = s->targets[i];
		pid_t *tids;

		if (t->finished || t->ptraced)
			continue;
		n = proc_thread_ids(t->pid, &tids);
		for (j = 0; j < n; j++)
			scan_thread(s, t->pid, tids[j]);
		if (n >= 0)
			free(tids);
	}
}

unsigned long long children_missed(const struct session *s)
{
	unsigned long long lost = s->tracing ? tracer_fork_events_lost(&s->tracer) :
					       s->fork_events_lost;

	return lost > s->children_found_by_scan + s->forks_recovered ?
		       lost - s->children_found_by_scan - s->forks_recovered : 0;
}
