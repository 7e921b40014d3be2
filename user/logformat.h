/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The log's JSON objects, in one place: what each line says, as plain structs,
 * and the JSON text built from them (json-c), keys in the order the log has them. */
#ifndef PROCMON_LOGFORMAT_H
#define PROCMON_LOGFORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>
#include <linux/types.h>
#include "procmon.h"

/* What one sample says about one process; cumulative values throughout. */
struct sample {
	struct timespec wall;		/* CLOCK_REALTIME when taken */
	double elapsed_s;		/* since the process was created */
	pid_t pid, ppid;
	unsigned long long rss_bytes, vms_bytes, rss_peak_bytes;
	unsigned long long pfaults, pageins;
	double user_s, system_s, children_user_s, children_system_s;
	unsigned long long oncpu_ns, runq_wait_ns, voluntary, involuntary;
	unsigned long long offcpu_preempted_ns, offcpu_blocked_ns, offcpu_sleep_ns;
	long num_threads;
	unsigned long long labels_lost;	/* written once non-zero */
	/* On the lines of the targets that are not children (the command, -p PIDs):
	 * the run's children not traced, by reason; written once non-zero. */
	unsigned long long children_lost;	/* more than PROCMON_MAX_TARGETS at once */
	unsigned long long children_unseen;	/* fork event lost, exited before a scan */
	const char *cgroup;		/* --cgroup: the process's cgroup; NULL: not written */
	bool have_io;			/* /proc/PID/io could be read: io_counters */
	unsigned long long io_read_count, io_write_count;	/* read/write-like calls */
	unsigned long long io_read_bytes, io_write_bytes;	/* from / for storage */
	unsigned long long io_read_chars, io_write_chars;	/* through those calls */
};

/* What a process's first line adds. */
struct log_start {
	const char *cmdline;		/* NULL: not written */
	bool cmdline_truncated;		/* longer than PROC_CMDLINE_MAX: cut */
	double traced_since_s;		/* where counting began: 0 from its creation */
	int cpu_count;			/* CPUs online: what 100 % per CPU adds up to */
};

enum log_event_kind {
	LOG_EVENT_FORK = 1,
	LOG_EVENT_EXEC,
	LOG_EVENT_EXIT,
	LOG_EVENT_OOM,
	LOG_EVENT_CGROUP_LEAVE,		/* --cgroup: it moved out; no longer traced */
};

/* A lifecycle event, on the line of the process it happened to. */
struct log_event {
	enum log_event_kind kind;
	pid_t child_pid;		/* fork */
	const char *cmdline;		/* exec */
	bool cmdline_truncated;		/* exec: cut at PROC_CMDLINE_MAX */
	bool have_status;		/* exit: the wait status is known... */
	int status;			/* ...and is this: a signal or an exit code */
};

/* A call of procmon_label() or of a --mark symbol. */
struct log_label {
	const char *text;		/* valid UTF-8; a --mark's symbol */
	bool mark;			/* a --mark call */
	bool truncated;			/* longer than PROCMON_LABEL_MAX */
	int read_error;			/* -errno when the text could not be read, else 0 */
	double elapsed_s;		/* since the process was created */
	pid_t tid;
	struct procmon_counters at;	/* the counters at the call (at_label) */
};

/* A process line: a sample, and what else it says (each NULL when not). */
struct log_process_line {
	const struct sample *sample;
	const struct log_start *start;
	const struct log_event *event;
	const struct log_label *label;
	/* STOP line: the counters at the end, under at_label's keys (at_stop), so
	 * the last phase is bounded as the others are. */
	const struct procmon_counters *at_stop;
};

#define LOG_COMM_SIZE (3 * 64 + 1)	/* a 64-byte comm, every byte repaired */

/* One thread of a process (-t), as the kernel keeps it under /proc/PID/task/TID. */
struct thread_sample {
	pid_t tid;
	char comm[LOG_COMM_SIZE];	/* valid UTF-8 */
	double user_s, system_s;
	unsigned long long oncpu_ns, runq_wait_ns, minflt, majflt;
	bool have_switches;		/* the status file was read: */
	unsigned long long voluntary, involuntary;
};

/* A thread line (-t), under its own marker: ProcessLoggingThread-THREAD. */
struct log_thread_line {
	struct timespec wall;
	double elapsed_s;		/* of the process */
	pid_t pid;
	const struct thread_sample *thread;
};

/* The JSON text of a line, one line long, in a malloc'd string (the caller frees
 * it); NULL when out of memory. */
char *logformat_process(const struct log_process_line *line);

/* A plain sample line (no start, event, label or stop keys) as logformat_process
 * writes it, from a tree kept in @cache between lines: no allocation per line.
 * The text is @cache's until its next use; NULL when out of memory. */
struct logformat_cache;
struct logformat_cache *logformat_cache_new(void);
void logformat_cache_free(struct logformat_cache *cache);
const char *logformat_sample(struct logformat_cache *cache, const struct sample *smp);
char *logformat_thread(const struct log_thread_line *line);

/* "%Y-%m-%d %H:%M:%S.%f", local time: TotalDepth's `timestamp`. */
void logformat_timestamp(const struct timespec *ts, char *buf, size_t size);

/* @v with @decimals digits after a '.' whatever the locale, as the log writes
 * seconds (json-c's default prints 17 digits). */
void logformat_fixed(char *buf, size_t size, double v, int decimals);

#endif /* PROCMON_LOGFORMAT_H */
