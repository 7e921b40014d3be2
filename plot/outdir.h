/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where `procmon plot` writes: the output directory, made and resolved, and the
 * files in it, created without following a symlink; all owned by the sudo user. */
#ifndef PROCMON_PLOT_OUTDIR_H
#define PROCMON_PLOT_OUTDIR_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* Who owns what we create: the sudo user when run as root under sudo. */
struct plot_owner {
	bool set;
	uid_t uid;
	gid_t gid;
};

/* Creates (or truncates) path for writing, never through a symlink, owned by
 * o. Returns the stream, or NULL with errno set. */
FILE *plot_create_file(const char *path, const struct plot_owner *o);

/* Creates dir with its parents (mkdir -p), the new ones owned by o, and
 * returns its absolute path (the caller frees it); NULL with the reason
 * printed, also for a path gnuplot cannot be given safely. */
char *plot_output_dir(const char *dir, const struct plot_owner *o);

#endif /* PROCMON_PLOT_OUTDIR_H */
