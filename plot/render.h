/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The charts of one log, each chosen process's and the process tree's: each
 * written as its data files and script, then drawn by gnuplot and checked. */
#ifndef PROCMON_PLOT_RENDER_H
#define PROCMON_PLOT_RENDER_H

#include <stdbool.h>

#include "log.h"

struct plot_render_opts {
	const char *stem;		/* names the files: DIR/<stem>_<pid>.svg (stem.h) */
	const char *dir;		/* absolute, from plot_output_dir() */
	bool png;			/* a PNG next to each SVG */
	bool tree;			/* also the tree's chart, DIR/<log>_tree.svg */
	double timeout_s;		/* for gnuplot, per chart */
	bool *drawn;			/* when set: drawn[i] once log->procs[i]'s SVG is made */
	bool *tree_drawn;		/* when set: whether the tree's SVG was made */
};

/*
 * Makes the chart of every process with chosen[i] (log->procs[i]) and, when
 * o->tree and the log holds one, of the process tree; prints each SVG (and
 * PNG) made, and what went wrong. A process without anything to plot is
 * skipped with a note. A chart that cannot be written whole leaves no cut
 * file; on a full disk (ENOSPC, EDQUOT) the charts after it are not tried.
 * Returns 0, or the -errno of the last chart that failed.
 */
int plot_render(const struct plot_log *log, const bool *chosen, const struct plot_render_opts *o);

/* Runs gnuplot on the script plt that draws svg (and png, or NULL) and checks
 * they were written whole; prints their paths. Returns 0, -ENOENT (no gnuplot:
 * the caller stops trying) or another -errno, having said what went wrong and
 * removed a cut SVG or PNG. */
int plot_run_gnuplot(const char *plt, const char *svg, const char *png, double timeout_s);

#endif /* PROCMON_PLOT_RENDER_H */
