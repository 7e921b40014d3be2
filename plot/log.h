/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The log (struct plot_log): every process's samples, labels and events in
 * time order, with the counts of lines that were not usable records. */
#ifndef PROCMON_PLOT_LOG_H
#define PROCMON_PLOT_LOG_H

#include <stdio.h>

#include "logread.h"

struct plot_sample {
	double t_s;
	double metric[PLOT_NR_METRICS];	/* NaN when absent */
};

struct plot_label {
	double t_s;
	char *text;			/* plot_text_clean()ed: printable UTF-8 */
	char *hover;			/* more to say on hover (cleaned), or NULL */
	bool has_at;			/* the line had at_label: a phase boundary */
	double at[PLOT_NR_AT];		/* its counters, NaN when absent */
};

struct plot_mark {
	double t_s;
	enum plot_event event;
};

/* A thread of a process (-t lines): its CPU time at each of its lines. */
struct plot_thread_sample {
	double t_s;
	double cpu_s;			/* cumulative; NaN when unknown */
};

struct plot_thread {
	long long tid;
	char *comm;			/* cleaned, latest seen; may be NULL */
	struct plot_thread_sample *samples;
	size_t nr_samples, samples_cap;
};

struct plot_proc {
	bool has_pid, has_ppid;		/* !has_pid: the one unnamed process */
	bool has_traced_since;
	double traced_since_s;		/* when tracing began (START line), for phase 1 */
	double start_rss_bytes;		/* the RSS on that line; NaN when unknown */
	int cpu_count;			/* CPUs of the machine (START line); 0: unknown */
	bool has_stop;			/* the STOP line had at_stop: */
	double stop_s;			/* its elapsed_time */
	double stop[PLOT_NR_AT];	/* the counters at the end of the last phase */
	long long pid, ppid;
	char *comm, *cmdline;		/* cleaned, latest seen; may be NULL */
	char *cgroup;			/* procmon --cgroup's, cleaned, latest; or NULL */
	char first_timestamp[PLOT_TIMESTAMP_MAX + 1];
	double first_timestamp_elapsed_s;	/* the elapsed_time on that line */
	unsigned int metrics_present;	/* bits of enum plot_metric seen */
	struct plot_sample *samples;
	size_t nr_samples, samples_cap;
	size_t nr_ticks;		/* samples that are neither labels nor events */
	struct plot_label *labels;
	size_t nr_labels, labels_cap;
	struct plot_mark *marks;
	size_t nr_marks, marks_cap;
	struct plot_thread **threads;	/* in order of first appearance */
	size_t nr_threads, threads_cap;
	void *thread_by_tid;		/* tsearch() tree over threads */
};

struct plot_log {
	struct plot_proc **procs;	/* in order of first appearance */
	size_t nr_procs, procs_cap;
	void *by_pid;			/* tsearch() tree over procs */
	size_t nr_lines, nr_records;
	size_t nr_bad, first_bad_line;	/* lines that were not usable records */
	size_t nr_too_long;		/* of them: longer than PLOT_LINE_MAX, skipped */
};

/* Longest label text kept, in characters; the log holds the rest. */
#define PLOT_LABEL_MAX_CHARS 1000

/* Adds line number lineno (from 1) to log. Returns 0 (bad lines are counted,
 * not errors) or -ENOMEM. */
int plot_log_add_line(struct plot_log *log, const char *line, size_t len, size_t lineno);

/* Longest line read, in bytes: a longer one is counted as bad, not read. */
#define PLOT_LINE_MAX (16u << 20)

/* Reads every line of f into log, then plot_log_finish(). Returns 0, -errno
 * of a read error, or -ENOMEM. */
int plot_log_read(FILE *f, struct plot_log *log);

/* Puts samples, labels and marks in time order; gives the labels and events
 * of lines without a pid to the only process when no sample lacks a pid. */
int plot_log_finish(struct plot_log *log);

struct plot_proc *plot_log_find(const struct plot_log *log, bool has_pid, long long pid);

/* What p ran: its command line, else its comm, else none. */
const char *plot_proc_command(const struct plot_proc *p, const char *none);

/* Orders by time items that start with their double time (samples, labels,
 * marks, plain doubles): a qsort() comparator. */
int plot_cmp_time(const void *a, const void *b);

void plot_log_free(struct plot_log *log);

#endif /* PROCMON_PLOT_LOG_H */
