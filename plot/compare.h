/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* OUTDIR/compare.svg: the main process of each of several runs on one time axis
 * (RSS, CPU, faults), phases aligned by label name when the runs share labels. */
#ifndef PROCMON_PLOT_COMPARE_H
#define PROCMON_PLOT_COMPARE_H

#include <stdbool.h>

#include "log.h"

struct plot_compare_run {
	const char *name;		/* names the run: its log's stem */
	const struct plot_log *log;
};

/*
 * Draws DIR/compare.svg (and .png when png) from nr runs, through
 * compare.dat, compare.labels.dat and compare.plt. A run's main process is
 * its first with two samples or more (the launched command). Labels whose
 * name each run has exactly once, in the same order, align the runs: each
 * run's time is stretched between them onto the first run's, and shifted
 * before the first and after the last (a run's own steps keep their length). Prints what it
 * wrote; returns 0 or -errno, having said what failed.
 */
int plot_compare(const struct plot_compare_run *runs, size_t nr, const char *dir, bool png,
		 double timeout_s);

#endif /* PROCMON_PLOT_COMPARE_H */
