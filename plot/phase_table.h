/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The phase table of one process from its log: a phase runs from one label to the
 * next, its costs the differences of the counters procmon took at each label. */
#ifndef PROCMON_PLOT_PHASE_TABLE_H
#define PROCMON_PLOT_PHASE_TABLE_H

#include <stdio.h>

#include "log.h"
#include "phase_cost.h"

struct plot_phase {
	double start_s, end_s;		/* since the process started */
	const char *name;		/* the label that opened it (owned by the
					 * plot_proc), or "(start)" */
	struct phase_cost cost;
};

/* Phases added up by name, in order of first appearance. */
struct plot_phase_total {
	const char *name;
	size_t count;
	struct phase_cost cost;	/* sums; the peak is the highest */
};

struct plot_phases {
	struct plot_phase *rows;
	size_t nr_rows;
	struct plot_phase_total *totals;
	size_t nr_totals;
	bool names_repeat;		/* some total has count > 1 */
};

/*
 * Builds the phases of p, as procmon's exit summary does: the first from the
 * start of tracing (the first line, counters zero) to the first label, then
 * one from each label to the next, the last to the last sample (the STOP line).
 * Only labels with `at_label` counters count; without any, nr_rows is 0 (a
 * TotalDepth log). Counters that go back between two labels (two threads
 * labelling, each snapshot counting only its own unharvested run) give 0.
 * Returns 0 or -ENOMEM; free with plot_phases_free().
 */
int plot_phases_build(const struct plot_proc *p, struct plot_phases *ph);

void plot_phases_free(struct plot_phases *ph);

/*
 * Writes the tab-separated phase table: a commented header, then per phase
 * start_s end_s wall_s oncpu_s runq_s blocked_s sleep_s preempted_s faults
 * peak_rss_bytes name, the name last as a quoted field (cleaned text).
 * Returns 0 or -EIO.
 */
int plot_write_phases(FILE *f, const struct plot_proc *p, const struct plot_phases *ph);

/* Writes the totals per name, count first instead of start_s and end_s. */
int plot_write_phase_totals(FILE *f, const struct plot_proc *p, const struct plot_phases *ph);

#endif /* PROCMON_PLOT_PHASE_TABLE_H */
