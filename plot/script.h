/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The gnuplot script (.plt): stacked panels on one time axis. It holds only
 * our own words, numbers and quoted absolute paths, never text from the log. */
#ifndef PROCMON_PLOT_SCRIPT_H
#define PROCMON_PLOT_SCRIPT_H

#include <stdio.h>

#include "datfile.h"
#include "layout.h"
#include "table.h"

struct plot_paths {
	const char *dat, *labels;	/* inputs */
	const char *phases;		/* the phase table; NULL: none */
	const char *svg, *png;		/* outputs; png NULL unless asked for */
};

/*
 * Writes the script that draws the chart into the SVG (and the PNG). Every
 * path must be absolute and free of control characters. Returns 0, -EINVAL
 * for a path that is not, or -EIO.
 */
int plot_write_script(FILE *f, const struct plot_paths *paths, const struct plot_layout *l,
		      const struct plot_table *t, const struct plot_text_stats *st);

#endif /* PROCMON_PLOT_SCRIPT_H */
