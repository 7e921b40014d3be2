/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The metrics registry: each traced process's counters and gauges, fed from plain
 * sample structs, held a while after its exit, folded into totals of the run. */
#ifndef PROCMON_METRICS_H
#define PROCMON_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define METRICS_HOLD_S_DEFAULT		30.0
/* Processes with their own series at once: 12 series each, so a scrape holds at
 * most 512 * 12 + 14 series whatever the churn. */
#define METRICS_MAX_PROCS_DEFAULT	512
#define METRICS_COMM_MAX		(3 * 63 + 1)	/* 63 bytes of comm, repaired */

enum metrics_counter {
	METRICS_PAGE_FAULTS,
	METRICS_MAJOR_FAULTS,
	METRICS_ONCPU_NS,
	METRICS_RUNQ_WAIT_NS,
	METRICS_CSW_VOLUNTARY,
	METRICS_CSW_INVOLUNTARY,
	METRICS_LABELS,
	METRICS_OFFCPU_PREEMPTED_NS,
	METRICS_OFFCPU_BLOCKED_NS,
	METRICS_OFFCPU_SLEEP_NS,
	METRICS_N_COUNTERS
};

/* One process's cumulative values, as one sample read them. */
struct metrics_proc {
	pid_t pid;
	double start_s;			/* its creation time (any fixed clock): with @pid,
					 * tells a reused PID apart; 0 when unknown */
	const char *comm;		/* as the kernel has it: any bytes */
	const char *cgroup;		/* its cgroup's path, or NULL: no cgroup label */
	unsigned long long page_faults, major_faults;
	unsigned long long oncpu_ns, runq_wait_ns;
	unsigned long long voluntary, involuntary;	/* context switches */
	unsigned long long labels;	/* procmon_label() calls seen */
	bool offcpu_measured;		/* the off-CPU split below is measured */
	unsigned long long offcpu_preempted_ns, offcpu_blocked_ns, offcpu_sleep_ns;
	unsigned long long rss_bytes;
	unsigned long long rss_peak_bytes;	/* highest RSS in the interval this sample ends */
};

struct metrics_config {
	double hold_s;			/* an exited process's series stay this long (≥ 0) */
	unsigned int max_procs;		/* processes with their own series at once (≥ 1) */
	const char *cgroup;		/* the traced cgroup, label of the run totals; NULL: none */
};

/* A process as a scrape shows it. */
struct metrics_series {
	pid_t pid;
	bool exited;
	bool offcpu_measured;
	const char *comm;		/* valid UTF-8 */
	const char *cgroup;		/* valid UTF-8, or NULL */
	unsigned long long c[METRICS_N_COUNTERS];
	unsigned long long rss_bytes, rss_peak_bytes;
};

/* What a scrape shows, in one allocation (free() it whole): no pointer into the
 * registry, so another thread may render it while the sampler goes on. */
struct metrics_view {
	const char *cgroup;		/* the run's, or NULL */
	unsigned long long run[METRICS_N_COUNTERS];	/* every process ever, exited too */
	unsigned long long run_rss_bytes;	/* the live processes' RSS, summed */
	bool run_offcpu_measured;
	unsigned long live;		/* traced processes alive */
	unsigned long exited;		/* traced processes that exited, ever */
	unsigned long unexposed;	/* live ones without series: over max_procs */
	size_t n_series;
	struct metrics_series series[];	/* by pid */
};

struct metrics;

/* A registry; @cfg NULL: the defaults. NULL when out of memory. */
struct metrics *metrics_new(const struct metrics_config *cfg);
void metrics_free(struct metrics *m);

/* Record a sample of @p at @now_s (the clock of metrics_expire). Counters never go
 * back: a value below the last one is ignored. A PID seen exited, or with another
 * start_s, is a new process: the old one's series go at once. 0 or -ENOMEM. */
int metrics_update(struct metrics *m, const struct metrics_proc *p, double now_s);

/* The process exited: record its last sample @p and start its hold time. */
int metrics_exit(struct metrics *m, const struct metrics_proc *p, double now_s);

/* Drop the series of processes exited more than hold_s before @now_s (their
 * counters stay in the run totals), then give free places to unexposed ones. */
void metrics_expire(struct metrics *m, double now_s);

/* A scrape window ends: the next view's rss_peak_bytes covers the samples since
 * the previous view if that one was @scraped, else since the last scraped one. */
void metrics_roll_peaks(struct metrics *m, bool scraped);

/* A copy of what a scrape shows now (malloc'd; free()). NULL when out of memory. */
struct metrics_view *metrics_view(const struct metrics *m);

#endif /* PROCMON_METRICS_H */
