/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where things go on the chart: which panels, their boxes on the canvas, the
 * shared time range, axis ranges, and how close labels may be and keep text. */
#ifndef PROCMON_PLOT_LAYOUT_H
#define PROCMON_PLOT_LAYOUT_H

#include <stdbool.h>

#include "log.h"
#include "table.h"

enum plot_panel {
	PLOT_PANEL_TITLE,
	PLOT_PANEL_LABELS,	/* label text and event markers */
	PLOT_PANEL_MEMORY,
	PLOT_PANEL_CPU,
	PLOT_PANEL_OFFCPU,	/* off-CPU time by why, stacked */
	PLOT_PANEL_FAULTS,	/* page-fault rate, run-queue wait */
	PLOT_NR_PANELS
};

struct plot_box {
	double left, right, bottom, top;	/* fractions of the canvas */
};

struct plot_layout {
	int width_px, height_px;
	double x_min_s, x_max_s;
	double label_gap_s;	/* closer to the previous shown label: no text */
	bool panel_on[PLOT_NR_PANELS];
	struct plot_box box[PLOT_NR_PANELS];
	enum plot_panel bottom;	/* the panel that shows the time axis */
	bool phase_bands;	/* shade the phases (the .phases.dat) in the data panels */
	double y_max[PLOT_NR_PANELS], y2_max[PLOT_NR_PANELS];
};

/* Lays out the chart of p; no data panel is on when t has nothing to plot.
 * nr_phases: rows of its phase table (0: none); too many are not shaded. */
void plot_layout_init(struct plot_layout *l, const struct plot_proc *p,
		      const struct plot_table *t, size_t nr_phases);

/* True when at least one data panel (memory, CPU, faults) is on. */
bool plot_layout_has_data(const struct plot_layout *l);

#endif /* PROCMON_PLOT_LAYOUT_H */
