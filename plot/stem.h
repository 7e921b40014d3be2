/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the output files of a log are named after: the log's file name without
 * its directory and extension, fit for a file name and for gnuplot's script. */
#ifndef PROCMON_PLOT_STEM_H
#define PROCMON_PLOT_STEM_H

/*
 * The stem of log_path: its base name without the last extension, control
 * characters made '_', cut (with a hash of the whole) so that the longest
 * output name still fits NAME_MAX. The nth log of a run with an equal stem
 * (nth > 1) gets "-nth" after it. Malloc'd; NULL when out of memory.
 */
char *plot_log_stem(const char *log_path, unsigned int nth);

#endif /* PROCMON_PLOT_STEM_H */
