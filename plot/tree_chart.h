/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The chart of a process tree: its panels (stacked RSS, summed CPU, processes
 * alive) and their curves, where they go, and its title; chart.c writes its script. */
#ifndef PROCMON_PLOT_TREE_CHART_H
#define PROCMON_PLOT_TREE_CHART_H

#include <stdio.h>

#include "chart.h"
#include "tree.h"

struct plot_strip;

/* Lays out the chart of the tree, with its label strip. */
void plot_tree_layout(struct plot_layout *l, const struct plot_tree *tree,
		      const struct plot_strip *strip);

/* "NAME (pid N) and K descendants, log from DATE: CMDLINE", cleaned; the
 * caller frees it. NULL when out of memory. */
char *plot_tree_title(const struct plot_tree *tree);

/* The names file of the tree chart: "NAME PID" of each top process as a
 * column header (the key reads them with columnheader()), then a row of NaN.
 * Returns 0, -ENOMEM or -EIO. */
int plot_write_tree_names(FILE *f, const struct plot_tree *tree);

/* The chart of a process tree: its curves draw a struct plot_tree (plot_chart_write()). */
extern const struct plot_chart_desc plot_tree_chart;

#endif /* PROCMON_PLOT_TREE_CHART_H */
