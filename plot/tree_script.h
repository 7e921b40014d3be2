/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The gnuplot script (.plt) of a process tree: stacked RSS, summed CPU, processes
 * alive. Like script.c's, it holds only our words, numbers and quoted paths. */
#ifndef PROCMON_PLOT_TREE_SCRIPT_H
#define PROCMON_PLOT_TREE_SCRIPT_H

#include <stdio.h>

#include "datfile.h"
#include "layout.h"
#include "tree.h"

struct plot_tree_paths {
	const char *dat, *labels;	/* inputs */
	const char *svg, *png;		/* outputs; png NULL unless asked for */
};

/* The time range and label spacing of the tree's chart, all that
 * plot_write_labels() needs of a layout. */
void plot_tree_layout(const struct plot_tree *tree, struct plot_layout *l);

/*
 * Writes the script that draws the tree's chart into the SVG (and the PNG).
 * Every path must be absolute and free of control characters. Returns 0,
 * -EINVAL for a path that is not, or -EIO.
 */
int plot_tree_write_script(FILE *f, const struct plot_tree_paths *paths,
			   const struct plot_tree *tree, const struct plot_layout *l,
			   const struct plot_text_stats *st);

#endif /* PROCMON_PLOT_TREE_SCRIPT_H */
