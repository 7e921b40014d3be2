/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The chart writer: the gnuplot script (.plt) of a chart's stacked panels on one
 * time axis. It holds only our own words, numbers and quoted paths, never log text. */
#ifndef PROCMON_PLOT_CHART_H
#define PROCMON_PLOT_CHART_H

#include <stdio.h>

#include "datfile.h"
#include "layout.h"

struct plot_paths {
	const char *dat, *labels;	/* inputs */
	const char *phases;		/* the phase table; NULL: none */
	const char *threads;		/* the threads' table (-t); NULL: none */
	const char *names;		/* the names of a tree's top processes; NULL: none */
	const char *svg, *png;		/* outputs; png NULL unless asked for */
};

/* A chart: its panels and its own words; every chart has a title panel and a
 * label strip (labels, hidden labels, event markers) first. */
struct plot_chart_desc {
	const char *about;		/* the script's first lines, comments */
	const char *defs;		/* settings and functions its curves use */
	const char *strip_ylabel;	/* the label strip's y label */
	const char *time_label;		/* the time axis' label */
	const struct plot_panel *panels;	/* title, label strip, data panels */
	size_t nr_panels;
};

/* The script being written, as a panel's curves see it. */
struct plot_chart {
	FILE *f;
	const struct plot_chart_desc *desc;
	const struct plot_paths *paths;
	const struct plot_layout *l;
	const struct plot_text_stats *st;
	const void *data;	/* what the curves draw: a sample table, a tree */
	int clauses;		/* of the plot command being written */
	int err;
};

/* Starts the next clause of the panel's plot command; the curve writes the rest. */
void plot_chart_clause(struct plot_chart *c);

/*
 * Writes the script that draws chart d, laid out as l (stacked from d's
 * panels), into the SVG (and the PNG); data goes to the panels' curves.
 * Every path must be absolute and free of control characters. Returns 0,
 * -EINVAL for a path that is not, or -EIO.
 */
int plot_chart_write(FILE *f, const struct plot_chart_desc *d, const struct plot_paths *paths,
		     const struct plot_layout *l, const struct plot_text_stats *st,
		     const void *data);

#endif /* PROCMON_PLOT_CHART_H */
