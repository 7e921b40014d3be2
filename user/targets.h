/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The target table of a run: the processes traced, found by PID, added with their
 * START line and finished with their STOP line. */
#ifndef PROCMON_TARGETS_H
#define PROCMON_TARGETS_H

#include <stdbool.h>
#include <sys/types.h>
#include "logformat.h"
#include "phases.h"
#include "proc.h"
#include "procmon.h"

struct session;

struct target {
	pid_t pid, ppid;
	int pidfd;			/* -1: gone before we could open it */
	struct proc_files pf;
	double start_mono_s;		/* process creation, CLOCK_MONOTONIC seconds */
	double end_mono_s;
	bool launched;			/* our child: we reap it */
	bool ptraced;			/* a tracee: exits come from waitpid, no pidfd */
	bool await_exit_event;		/* no pidfd (out of descriptors): BPF's exit event ends it */
	bool seen_exec;			/* the launch's own exec went by */
	bool finished;			/* its STOP line is written */
	bool attached;			/* -p: named by the user, kept in the table */
	bool have_stat;
	bool maps_missed;		/* code mappings went unreported: probe them all */
	struct proc_stat stat;		/* the last good /proc read */
	bool have_io;
	struct proc_io io;		/* the last good /proc/PID/io read */
	double proc_read_s;		/* when /proc was last read (mono) */
	double sampled_s;		/* the time of its last line's counters (mono) */
	unsigned long long oncpu_at_proc_read;	/* BPF's on-CPU ns when /proc was read */
	struct proc_io io_bpf_at_read;	/* BPF's I/O counters then */
	struct procmon_counters counters;	/* the last BPF read */
	struct procmon_counters last_at;	/* the counters at its last label */
	unsigned long long oncpu_ns;	/* as reported: never goes back */
	bool have_exit_code;
	int exit_code;			/* wait status from the exit hook */
	char *cmdline;
	char *cgroup;			/* --cgroup: its cgroup v2 path; else NULL */
	bool cmdline_truncated;		/* cut at PROC_CMDLINE_MAX */
	double traced_since_s;		/* elapsed time when counting began: 0 from creation */
	struct sample last;		/* the last line written */
	struct procmon_counters at_stop;	/* the counters of its STOP line */
	struct phases phases;		/* from label to label, for the summary */
};

/* The target with @pid, or NULL. */
struct target *targets_find(const struct session *s, pid_t pid);

/* Add a target already registered with the tracer; writes its START line.
 * @launched: our own child. @start_mono_s: its creation time if known (a fork
 * event's), else 0 to read it from /proc. 0 or -errno. */
int targets_add(struct session *s, pid_t pid, bool launched, double start_mono_s);

/* @t has exited (or tracing stops): reap it if it is ours, write its STOP line
 * (with @ev, else its exit status if known), close its pidfd and files. Events
 * still in the ring buffer are the caller's to read first. 0 or the write error. */
int targets_finish(struct session *s, struct target *t, const struct log_event *ev);

/* The summary's rows: past this many processes in a run, finished targets leave
 * the table (folded into session.retired) so that it holds only live ones. */
#define TARGETS_SUMMARY_ROWS 12

/* Retire the finished targets, once a run has had more than TARGETS_SUMMARY_ROWS
 * processes (never the launched command nor a -p PID). Not while a caller holds
 * an index into the table: the table is compacted. */
void targets_retire_finished(struct session *s);

/* Free every target and the table. */
void targets_free(struct session *s);

#endif /* PROCMON_TARGETS_H */
