/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One tracing run: its targets, the log, the BPF tracer and the event loop that
 * samples on an absolute schedule until every target has exited or a signal. */
#ifndef PROCMON_SESSION_H
#define PROCMON_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include "clock.h"
#include "labels.h"
#include "logformat.h"
#include "logline.h"
#include "options.h"
#include "phases.h"
#include "proc.h"
#include "tracer.h"

struct target {
	pid_t pid, ppid;
	int pidfd;			/* -1: gone before we could open it */
	struct proc_files pf;
	double start_mono_s;		/* process creation, CLOCK_MONOTONIC seconds */
	double end_mono_s;
	bool launched;			/* our child: we reap it */
	bool seen_exec;			/* the launch's own exec went by */
	bool finished;			/* its STOP line is written */
	bool have_stat;
	struct proc_stat stat;		/* the last good /proc read */
	struct procmon_counters counters;	/* the last BPF read */
	struct procmon_counters last_at;	/* the counters at its last label */
	unsigned long long oncpu_ns;	/* as reported: never goes back */
	bool have_exit_code;
	int exit_code;			/* wait status from the exit hook */
	char *cmdline;
	struct phases phases;		/* from label to label, for the summary */
};

struct session {
	const struct procmon_opts *opts;
	struct tracer tracer;
	struct logwriter log;
	struct ring_buffer *rb;
	bool consuming;			/* inside ring_buffer__consume: do not nest */
	bool oncpu_fresh;		/* sample_all read the per-CPU slots for all */
	struct label_probes labels;
	int epoll_fd;
	int timer_fd;
	struct target **targets;
	int n_targets, cap_targets;
	int live;
	pid_t launched_pid;		/* 0: attach mode */
	bool launched_reaped;
	int launched_status;		/* wait status */
	double t0_mono_s;
	double launch_mono_s;		/* when the command was forked */
	long ticks_per_s;
	unsigned long long children_lost;	/* forks -c could not trace: map full */
	volatile sig_atomic_t *stop_signal;
	bool tracing;
};

/* Prepare epoll, the timer and the ring buffer around an opened tracer. 0 or -errno. */
int session_init(struct session *s, const struct procmon_opts *opts, int log_fd,
		 volatile sig_atomic_t *stop_signal);

/* Add a target already registered with the tracer; writes its START line.
 * @launched: our own child. @start_mono_s: its creation time if known (a fork
 * event's), else 0 to read it from /proc. 0 or -errno. */
int session_add_target(struct session *s, pid_t pid, bool launched, double start_mono_s);

/* Run until the targets exit, the duration ends, a signal, or a write error. */
int session_run(struct session *s);

/* Detach every probe and unload the BPF programs; the log stays open. */
void session_stop_tracing(struct session *s);

/* After the run: wait for a launched command still running (duration over). */
void session_wait_launched(struct session *s);

void session_summary(const struct session *s, FILE *out);
void session_destroy(struct session *s);

#endif /* PROCMON_SESSION_H */
