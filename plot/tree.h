/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A process tree from one log (`procmon -c`) on one time axis: the members lined
 * up by wall-clock timestamp, their RSS summed, CPU added up, live ones counted. */
#ifndef PROCMON_PLOT_TREE_H
#define PROCMON_PLOT_TREE_H

#include <stdbool.h>

#include "log.h"

/* Processes drawn on their own in the memory panel, by peak RSS; the rest
 * are summed as "others". */
#define PLOT_TREE_TOP 8

enum plot_tree_column {
	PLOT_TREE_COL_TIME_S,		/* since the root process started */
	PLOT_TREE_COL_RSS_MIB,		/* summed over the processes alive, peaks included */
	PLOT_TREE_COL_CPU_PCT,		/* summed, % of one CPU, at most CPUs x 100 */
	PLOT_TREE_COL_LIVE,		/* processes alive */
	PLOT_TREE_COL_OTHERS_RSS_MIB,	/* all but the top ones */
	PLOT_TREE_COL_TOP_RSS_MIB,	/* then one column per top process */
	PLOT_TREE_NR_COLUMNS = PLOT_TREE_COL_TOP_RSS_MIB + PLOT_TREE_TOP
};

struct plot_tree_member {
	const struct plot_proc *p;
	double offset_s;		/* its elapsed_time + offset_s = tree time */
	double start_s, end_s;		/* its first and last sample, tree time */
	double peak_rss_bytes;		/* highest rss or rss_peak */
	bool oncpu;			/* CPU from sched.oncpu_ns, else user + system */
};

struct plot_tree {
	const struct plot_proc *root;
	const char *cgroup;		/* a --cgroup log: its members are the tree; else NULL */
	struct plot_tree_member *members;	/* root first, then log order */
	size_t nr_members;
	size_t top[PLOT_TREE_TOP];	/* members[top[i]]: i-th by peak RSS */
	size_t nr_top;
	double *v;			/* nr_rows x PLOT_TREE_NR_COLUMNS, NaN unknown */
	size_t nr_rows;
	bool thinned;			/* rows on an even grid, not every sample time */
	bool has_rss, has_cpu;
	size_t cpu_capped;		/* rows whose CPU sum was cut to all CPUs' 100 % */
	double max[PLOT_TREE_NR_COLUMNS];
	double t_min_s, t_max_s;
};

/*
 * Finds the tree in log: the process without a parent in the log that has
 * the most descendants there, with them; in a log of procmon --cgroup, every
 * process of the cgroup, the first one as the root. Only processes with
 * samples and a timestamp count. Returns 0 with *tree built (free with plot_tree_free()),
 * -ENOENT when no process of the log has a parent in it, or -ENOMEM.
 * max_rows bounds the rows: with more distinct sample times, rows are put
 * on an even grid and each shows the largest RSS of its interval.
 */
int plot_tree_build(const struct plot_log *log, size_t max_rows, struct plot_tree *tree);

void plot_tree_free(struct plot_tree *tree);

/* The column's name for the .dat header, e.g. "rss_top1_mib". */
const char *plot_tree_column_name(enum plot_tree_column col);

#endif /* PROCMON_PLOT_TREE_H */
