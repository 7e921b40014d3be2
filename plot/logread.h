/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One log line to one record: a JSON object alone (jsonl) or after TotalDepth's
 * `ProcessLoggingThread-JSON[-START|-STOP]` marker, or procmon's thread marker
 * `ProcessLoggingThread-THREAD`; no global state (fuzzable). */
#ifndef PROCMON_PLOT_LOGREAD_H
#define PROCMON_PLOT_LOGREAD_H

#include <stdbool.h>
#include <stddef.h>

/* The numbers a sample may carry; cumulative ones are turned into rates later. */
enum plot_metric {
	PLOT_RSS_BYTES,
	PLOT_VMS_BYTES,
	PLOT_RSS_PEAK_BYTES,
	PLOT_PFAULTS,		/* cumulative page faults */
	PLOT_PAGEINS,		/* cumulative major faults */
	PLOT_CPU_USER_S,	/* cumulative */
	PLOT_CPU_SYSTEM_S,
	PLOT_CPU_CHILDREN_USER_S,
	PLOT_CPU_CHILDREN_SYSTEM_S,
	PLOT_ONCPU_NS,		/* cumulative, sched */
	PLOT_RUNQ_WAIT_NS,
	PLOT_VOLUNTARY,
	PLOT_INVOLUNTARY,
	PLOT_NUM_THREADS,
	PLOT_OFFCPU_PREEMPTED_NS,	/* cumulative, sched: off-CPU while runnable */
	PLOT_OFFCPU_BLOCKED_NS,		/* uninterruptible sleep (D), usually I/O */
	PLOT_OFFCPU_SLEEP_NS,		/* any other sleep */
	PLOT_IO_READ_BYTES,		/* cumulative, io_counters: from storage */
	PLOT_IO_WRITE_BYTES,		/* to storage */
	PLOT_IO_READ_CHARS,		/* through read-like calls */
	PLOT_IO_WRITE_CHARS,		/* through write-like calls */
	PLOT_NR_METRICS
};

/* The counters procmon snapshots at a label (`at_label`), cumulative since
 * tracing began; NaN when absent (an older procmon, or not a procmon log). */
enum plot_at {
	PLOT_AT_PFAULTS,
	PLOT_AT_PAGEINS,
	PLOT_AT_ONCPU_NS,
	PLOT_AT_RUNQ_WAIT_NS,
	PLOT_AT_OFFCPU_PREEMPTED_NS,
	PLOT_AT_OFFCPU_BLOCKED_NS,
	PLOT_AT_OFFCPU_SLEEP_NS,
	PLOT_AT_RSS_BYTES,		/* RSS at the label */
	PLOT_AT_PHASE_RSS_PEAK_BYTES,	/* highest RSS since the previous label */
	PLOT_NR_AT
};

/* A record may be several of these at once (a TotalDepth label carries a sample). */
enum plot_kind {
	PLOT_KIND_SAMPLE = 1,
	PLOT_KIND_LABEL = 2,
	PLOT_KIND_EVENT = 4,
	PLOT_KIND_THREAD = 8,		/* a -t line: one thread's counters, no sample */
};

enum plot_event {
	PLOT_EVENT_NONE,
	PLOT_EVENT_EXEC,
	PLOT_EVENT_FORK,
	PLOT_EVENT_EXIT,
	PLOT_EVENT_OOM,
};

/* What a real log can hold; a line beyond is not taken (a value of 1e30 would
 * stretch every axis, and rates of it overflow). Nothing is negative. */
#define PLOT_MAX_BYTES 1125899906842624.0		/* 2^50: 1 PiB of memory */
#define PLOT_MAX_ELAPSED_S (10 * 365.25 * 86400)	/* ten years */
#define PLOT_MAX_CPU_S (PLOT_MAX_ELAPSED_S * 4096)	/* ten years on 4096 CPUs */
#define PLOT_MAX_COUNT 18446744073709551615.0	/* a kernel's u64 counter (faults, ns) */
#define PLOT_MAX_THREADS 4194304.0		/* the kernel's pid_max limit */

#define PLOT_TIMESTAMP_MAX 26	/* "2019-10-31 14:10:06.051234" */

struct plot_record {
	unsigned int kinds;		/* enum plot_kind bits */
	unsigned int metrics_present;	/* bit (1 << enum plot_metric) */
	double elapsed_s;		/* time of the sample or event */
	double label_elapsed_s;		/* time of the label */
	double traced_since_s;		/* START line: when tracing began; NaN if absent */
	double cpu_count;		/* START line: CPUs online; NaN if absent */
	double metric[PLOT_NR_METRICS];	/* NaN when absent */
	bool has_at;			/* a label with an at_label object */
	double at[PLOT_NR_AT];		/* its counters, NaN when absent */
	bool has_stop;			/* a STOP line with an at_stop object */
	double stop[PLOT_NR_AT];	/* its counters (at_label's keys), NaN when absent */
	bool has_pid, has_ppid;
	long long pid, ppid, child_pid;
	enum plot_event event;
	char timestamp[PLOT_TIMESTAMP_MAX + 1];	/* "" unless well-formed */
	/* Untrusted bytes as found in the JSON, NUL-terminated, owned: */
	char *label;
	size_t label_len;		/* a label may hold "\u0000" */
	char *comm;
	char *cmdline;			/* a JSON array of words is joined with spaces */
	char *cgroup;			/* procmon --cgroup: the process's cgroup */
	/* A thread line's `thread` object: */
	long long tid;
	double thread_cpu_s;		/* oncpu_ns, else user + system; NaN if neither */
	char *thread_comm;
};

/*
 * Parses the len bytes at line (no newline needed, no NUL needed) into *rec,
 * which the caller releases with plot_record_release() after a 0 return.
 * Returns 0 for a usable record (it has an elapsed_time, or a label with
 * label_elapsed_time), -ENODATA for a blank line, -EINVAL for anything else
 * (not a log line, invalid or truncated JSON, a field of the wrong type, a
 * number out of its bounds: negative, or beyond what a machine can hold, e.g.
 * an rss over 2^50 bytes or an elapsed_time over ten years), -ENOMEM.
 */
int plot_parse_line(const char *line, size_t len, struct plot_record *rec);

void plot_record_release(struct plot_record *rec);

#endif /* PROCMON_PLOT_LOGREAD_H */
