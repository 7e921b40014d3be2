/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One tracing run: its targets, the log, the BPF tracer and the event loop that
 * samples on an absolute schedule until every target has exited or a signal. */
#ifndef PROCMON_SESSION_H
#define PROCMON_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include "labels.h"
#include "logline.h"
#include "options.h"
#include "pidmap.h"
#include "retired.h"
#include "targets.h"
#include "tracer.h"

/* What a run needs to know of the command line. */
struct session_config {
	double interval_s;
	double duration_s;		/* 0: until the targets exit */
	enum log_format format;
	bool threads;			/* -t: a line per thread too */
	bool follow_children;		/* -c */
	unsigned long ringbuf_bytes;
	const char *const *marks;	/* --mark symbols */
	int n_marks;
	bool verbose;
	bool light;			/* --light */
	__u64 cgroup_id;		/* --cgroup: BPF adds the cgroup's processes; 0: not */
};

/* What woke the loop: the epoll key's high 32 bits; a pidfd's low bits are its PID. */
enum session_tag {
	SESSION_TAG_TIMER = 1,
	SESSION_TAG_EVENTS = 2,
	SESSION_TAG_PIDFD = 3,
	SESSION_TAG_STATUS = 4,
	SESSION_TAG_CHILD = 5,		/* SIGCHLD: a tracee stopped or exited */
};

#define SESSION_EPOLL_KEY(tag, pid) (((__u64)(tag) << 32) | (__u32)(pid))

struct session {
	struct session_config cfg;
	struct tracer tracer;
	struct logwriter log;
	struct logformat_cache *line_cache;	/* the plain sample line's JSON tree */
	struct ring_buffer *rb;
	bool gone_unfinished;		/* a target added without a pidfd nor ptrace */
	int n_awaiting_exit;		/* targets without a pidfd for want of descriptors */
	bool any_maps_missed;		/* some target's maps_missed is set */
	bool consuming;			/* inside ring_buffer__consume: do not nest */
	struct label_probes labels;
	int epoll_fd;
	int timer_fd;
	struct target **targets;	/* the target table (targets.c) */
	int n_targets, cap_targets;
	int n_finished_in_table;	/* finished since the last targets_retire_finished */
	struct pidmap by_pid;		/* PID -> its newest target */
	int live;
	pid_t launched_pid;		/* 0: attach mode */
	bool launched_reaped;
	int launched_status;		/* wait status */
	double t0_mono_s;
	double launch_mono_s;		/* when the command was forked */
	long ticks_per_s;
	int cpu_count;			/* online CPUs, for the START lines */
	unsigned long long children_lost;	/* forks -c could not trace: map full */
	volatile sig_atomic_t *stop_signal;
	int forwarded_signal;		/* procmon's stop signal, passed to its command */
	bool tracing;
	/* -i below 10 ms: samples come from the kernel timer, drained every 10 ms;
	 * @tick is the one being written (NULL: read the counters now). */
	bool ticking;
	const struct procmon_event_tick *tick;
	double wall_minus_mono_s;	/* CLOCK_REALTIME - CLOCK_MONOTONIC, per drain */
	unsigned long long ticks_lost;	/* timer ticks skipped, read when tracing stops */
	unsigned long long ticks_dropped;	/* timer samples read too late to be written */
	double tick_busy_s;		/* time spent writing the timer's samples */
	double ticks_read_wall_s;	/* the newest timer sample read, wall clock */
	/* ptrace (tracees.c): */
	int sigchld_fd;			/* signalfd(SIGCHLD) */
	bool ptrace_on;			/* the command is a tracee (children with -c) */
	struct pidmap seized;		/* tgid -> 1: seized by procmon (command, -p) */
	struct pidmap held;		/* tid -> HELD: BPF signalled it to stop for us */
	struct retired retired;		/* finished targets out of the table */
	unsigned long long tree_rss_peak_bytes;	/* RSS summed over live targets, max at samples */
	unsigned long long forks_recovered;	/* forks seen by ptrace only */
	unsigned long long fork_events_lost;	/* BPF's count, read when tracing stops */
	unsigned long long children_found_by_scan;	/* /proc scans (no ptrace) */
	unsigned long long fork_lost_scanned;	/* BPF's lost-fork count at the last scan */
	/* Optional parts, NULL when not asked for (set by main after session_start): */
	struct cgroup_run *cgroup;	/* --cgroup: who is in, enters and leaves */
	struct exporter *exporter;	/* --prometheus: the registry and its server */
	struct status_line *status;	/* the live line on a terminal */
};

/* Load and attach the BPF tracer, and prepare the log writer on @log_fd (-1: not
 * open yet, see session_set_log), epoll,
 * the timer and the ring buffer around it. On an error, says what failed on
 * stderr and returns -errno; session_destroy() cleans up either way. */
int session_start(struct session *s, const struct session_config *cfg, int log_fd,
		  volatile sig_atomic_t *stop_signal);

/* The log, when it is opened after session_start (-p: once the PIDs are
 * attached); @log_fd stays the caller's to close. */
void session_set_log(struct session *s, int log_fd);

/* Run until the targets exit, the duration ends, a signal, or a write error. */
int session_run(struct session *s);

/* Detach every probe and unload the BPF programs; the log stays open. */
void session_stop_tracing(struct session *s);

/* After the run: wait for a launched command still running (duration over). */
void session_wait_launched(struct session *s);

void session_destroy(struct session *s);

#endif /* PROCMON_SESSION_H */
