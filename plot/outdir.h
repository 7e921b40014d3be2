/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where `procmon plot` writes: the output directory, made and resolved, and the
 * files in it, created without following a symlink, with the caller's own ids. */
#ifndef PROCMON_PLOT_OUTDIR_H
#define PROCMON_PLOT_OUTDIR_H

#include <stdio.h>

/* Creates (or truncates) path for writing, never through a symlink. Returns
 * the stream, or NULL with errno set. */
FILE *plot_create_file(const char *path);

/* Creates dir with its parents (mkdir -p) and returns its absolute path (the
 * caller frees it); NULL with the reason printed, also for a path gnuplot
 * cannot be given safely. */
char *plot_output_dir(const char *dir);

#endif /* PROCMON_PLOT_OUTDIR_H */
