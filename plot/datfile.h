/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The data files gnuplot reads: the sample table or the tree's table (.dat), and
 * the text table (.labels.dat) that holds every untrusted string a chart shows. */
#ifndef PROCMON_PLOT_DATFILE_H
#define PROCMON_PLOT_DATFILE_H

#include <stdio.h>

#include "layout.h"
#include "log.h"
#include "strip.h"
#include "table.h"
#include "tree.h"

/* Rows of the text table, column 2. */
enum plot_text_kind {
	PLOT_TEXT_TITLE,
	PLOT_TEXT_LABEL,	/* a label drawn with its text */
	PLOT_TEXT_HIDDEN,	/* a label too close to the one before: line only */
	PLOT_TEXT_EXEC,		/* PLOT_TEXT_EXEC - 1 + enum plot_event */
	PLOT_TEXT_FORK,
	PLOT_TEXT_EXIT,
	PLOT_TEXT_OOM,
	PLOT_NR_TEXT_KINDS
};

struct plot_text_stats {
	size_t labels_shown, labels_hidden;
	unsigned int kinds;	/* bit (1 << enum plot_text_kind) for rows written */
};

/*
 * Writes the tab-separated sample table: a commented header naming the
 * columns, then one row per table row, "NaN" for unknown values.
 * Returns 0 or -EIO.
 */
int plot_write_dat(FILE *f, const struct plot_proc *p, const struct plot_table *t);

/* Writes the tab-separated table of a process tree: a commented header (the
 * pid of each top column), then its rows, "NaN" for unknown values. 0 or -EIO. */
int plot_write_tree_dat(FILE *f, const struct plot_tree *tree);

/*
 * Writes the tab-separated text table "time_s kind text": the title (cleaned
 * text) centred on the time axis, the labels of the strip thinned by
 * l->label_gap_s, and its events. Returns 0, -EIO or -ENOMEM.
 */
int plot_write_labels(FILE *f, const struct plot_strip *s, const struct plot_layout *l,
		      const char *title, struct plot_text_stats *st);

#endif /* PROCMON_PLOT_DATFILE_H */
