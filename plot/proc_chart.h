/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The chart of one process: its panels (memory, CPU, threads, off-CPU, faults, I/O) and their
 * curves, where they go, and its title; chart.c writes its script. */
#ifndef PROCMON_PLOT_PROC_CHART_H
#define PROCMON_PLOT_PROC_CHART_H

#include "chart.h"
#include "log.h"
#include "table.h"

/* Lays out the chart of p; no data panel is on when t has nothing to plot.
 * nr_phases: rows of its phase table (0: none); too many are not shaded. */
void plot_proc_layout(struct plot_layout *l, const struct plot_proc *p,
		      const struct plot_table *t, size_t nr_phases);

/* "NAME (pid N), log from DATE: CMDLINE" (NAME: plot_proc_name()), cleaned,
 * the command line cut to fit; the caller frees it. NULL when out of memory. */
char *plot_proc_title(const struct plot_proc *p);

/* The chart of a process: its curves draw a struct plot_table (plot_chart_write()). */
extern const struct plot_chart_desc plot_proc_chart;

#endif /* PROCMON_PLOT_PROC_CHART_H */
