/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The charts of one log, each chosen process's and the process tree's: each
 * written as its data files and script, then drawn by gnuplot. */
#ifndef PROCMON_PLOT_RENDER_H
#define PROCMON_PLOT_RENDER_H

#include <stdbool.h>

#include "log.h"
#include "outdir.h"

struct plot_render_opts {
	const char *log_path;		/* names the files: DIR/<log>_<pid>.svg */
	const char *dir;		/* absolute, from plot_output_dir() */
	bool png;			/* a PNG next to each SVG */
	bool tree;			/* also the tree's chart, DIR/<log>_tree.svg */
	double timeout_s;		/* for gnuplot, per chart */
	const struct plot_owner *owner;
};

/*
 * Makes the chart of every process with chosen[i] (log->procs[i]) and, when
 * o->tree and the log holds one, of the process tree; prints each SVG (and
 * PNG) made, and what went wrong. A process without anything to plot is
 * skipped with a note. Returns 0, or 1 when a chart failed.
 */
int plot_render(const struct plot_log *log, const bool *chosen, const struct plot_render_opts *o);

#endif /* PROCMON_PLOT_RENDER_H */
