/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The sample table (struct plot_table) of one process, the rows that get plotted:
 * sizes in MiB, rates from counter deltas, long runs thinned to a bounded count. */
#ifndef PROCMON_PLOT_TABLE_H
#define PROCMON_PLOT_TABLE_H

#include "log.h"
#include "threads.h"

enum plot_column {
	PLOT_COL_TIME_S,
	PLOT_COL_RSS_MIB,
	PLOT_COL_RSS_PEAK_MIB,
	PLOT_COL_VMS_MIB,
	PLOT_COL_CPU_USER_PCT,
	PLOT_COL_CPU_SYSTEM_PCT,
	PLOT_COL_ONCPU_PCT,
	PLOT_COL_FAULTS_PER_S,
	PLOT_COL_PAGEINS_PER_S,
	PLOT_COL_RUNQ_WAIT_PCT,
	PLOT_COL_VOLUNTARY_PER_S,
	PLOT_COL_INVOLUNTARY_PER_S,
	PLOT_COL_THREADS,
	PLOT_COL_BLOCKED_PCT,		/* off-CPU in D (usually I/O), % of wall time */
	PLOT_COL_SLEEP_PCT,		/* off-CPU sleeping otherwise */
	PLOT_COL_PREEMPTED_PCT,		/* off-CPU while runnable */
	PLOT_COL_IO_READ_MIB_S,		/* from storage, MiB/s */
	PLOT_COL_IO_WRITE_MIB_S,	/* to storage */
	PLOT_COL_IO_RCHAR_MIB_S,	/* through read-like calls (page cache too) */
	PLOT_COL_IO_WCHAR_MIB_S,	/* through write-like calls */
	PLOT_NR_COLUMNS
};

struct plot_row {
	double v[PLOT_NR_COLUMNS];	/* NaN where unknown */
};

struct plot_table {
	struct plot_row *rows;
	size_t nr_rows;
	size_t stride;			/* samples per row: 1 unless thinned */
	unsigned int has;		/* bit (1 << column) when any value is finite */
	double max[PLOT_NR_COLUMNS];	/* largest finite value, 0 if none */
	double t_min_s, t_max_s;
	struct plot_thread_table threads;	/* -t lines: the busiest threads */
};

/* The column's name for the .dat header, e.g. "rss_mib". */
const char *plot_column_name(enum plot_column col);

/*
 * Builds the rows of p. With more than max_rows samples (max_rows > 0), each
 * row stands for `stride` consecutive samples: sizes are their maximum, rates
 * the mean over the row's interval (exact, from the counters at its ends), so
 * peaks survive thinning; a rate's interval is at least
 * plot_rate_min_interval(). A rate is NaN for the first row, when time does not
 * advance or a counter goes backwards. Returns 0 or -ENOMEM; free with
 * plot_table_free().
 */
int plot_table_build(const struct plot_proc *p, size_t max_rows, struct plot_table *t);

void plot_table_free(struct plot_table *t);

/* The shortest interval a rate is taken over: half the median time between
 * p's lines (label and event lines fall between the periodic ones); 0 for
 * fewer than 3 samples. A rate over a shorter interval reaches further back. */
double plot_rate_min_interval(const struct plot_proc *p);

#endif /* PROCMON_PLOT_TABLE_H */
