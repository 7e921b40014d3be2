/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* OUTDIR/index.html: every chart of a run of procmon plot, linked, with a row per
 * process (the ones without a chart of their own too), names HTML-escaped. */
#ifndef PROCMON_PLOT_INDEX_H
#define PROCMON_PLOT_INDEX_H

#include <stdbool.h>
#include <stdio.h>

#include "log.h"

/* One log of the run, as drawn. */
struct plot_index_log {
	const char *path;		/* as given on the command line */
	const char *stem;		/* its files' names (stem.h) */
	const struct plot_log *log;
	const bool *drawn;		/* drawn[i]: log->procs[i] has <stem>_<pid>.svg */
	bool tree_drawn;		/* <stem>_tree.svg */
};

/* Writes the index of nr logs (and a link to compare.svg when compare);
 * min_samples: processes with fewer have no chart of their own (0: all have).
 * Returns 0, -ENOMEM or -EIO. */
int plot_write_index(FILE *f, const struct plot_index_log *logs, size_t nr, bool compare,
		     unsigned int min_samples);

#endif /* PROCMON_PLOT_INDEX_H */
