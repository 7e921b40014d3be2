/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A process as a tree's summary shows it: its peak, CPU, wall, exit status and
 * the part of its command line that tells it apart (cc1 foo.c). */
#ifndef PROCMON_TARGET_BRIEF_H
#define PROCMON_TARGET_BRIEF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct target;

struct target_brief {
	pid_t pid;
	unsigned long long peak_bytes;	/* its highest RSS */
	double start_s, end_s;		/* CLOCK_MONOTONIC; end 0: still alive */
	double cpu_s;
	bool have_exit_code;
	int exit_code;			/* a wait status */
	char shown[128];		/* raw: escaped when printed */
};

void target_brief_of(const struct target *t, struct target_brief *b);

/* The same process (a PID may be reused)? */
bool target_brief_same(const struct target_brief *a, const struct target_brief *b);

/* A wait status as the summaries show it: "0", "sig 9", "-" when unknown. */
void exit_status_text(bool have_status, int status, char *buf, size_t size);

#endif /* PROCMON_TARGET_BRIEF_H */
