/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The chart of a process tree: its panels (stacked RSS, summed CPU, processes
 * alive) and their curves, where they go, and its title; chart.c writes its script. */
#ifndef PROCMON_PLOT_TREE_CHART_H
#define PROCMON_PLOT_TREE_CHART_H

#include <stdio.h>

#include "chart.h"
#include "tree.h"

/* Lays out the chart of the tree. */
void plot_tree_layout(struct plot_layout *l, const struct plot_tree *tree);

/* "CMD (pid N) and K descendants, log from DATE", cleaned; the caller frees
 * it. NULL when out of memory. */
char *plot_tree_title(const struct plot_tree *tree);

/* Writes the script that draws the chart of the tree (see plot_chart_write()). */
int plot_tree_write_script(FILE *f, const struct plot_paths *paths, const struct plot_layout *l,
			   const struct plot_tree *tree, const struct plot_text_stats *st);

#endif /* PROCMON_PLOT_TREE_CHART_H */
