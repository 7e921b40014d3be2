/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Every label's whole text in the chart's SVG: a hover title (<title>) over the
 * ticks of each group of labels, added after gnuplot has drawn the chart. */
#ifndef PROCMON_PLOT_HOVER_H
#define PROCMON_PLOT_HOVER_H

#include <stdio.h>

#include "layout.h"
#include "strip.h"

/*
 * Writes, to f, one SVG group per group of labels of s (plot_strip_group_end()
 * with l's gap): an invisible box over its ticks and drawn text in the label
 * strip of layout l, with a <title> holding each label's whole text, its time
 * and its hover text, one per line. Returns 0 or -EIO.
 */
int plot_hover_write(FILE *f, const struct plot_strip *s, const struct plot_layout *l);

/* Adds plot_hover_write()'s groups to the SVG at svg_path, before its closing
 * tag (the file is rewritten, never through a symlink). 0 or -errno. */
int plot_svg_add_hover(const char *svg_path, const struct plot_strip *s,
		       const struct plot_layout *l);

#endif /* PROCMON_PLOT_HOVER_H */
