/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Opens the log: stderr by default, stdout for "-", else a file opened as the
 * invoking user would open it, never one another user planted for us. */
#ifndef PROCMON_OUTPUT_H
#define PROCMON_OUTPUT_H

#include "run_as.h"

/* Returns a CLOEXEC descriptor, or -errno with *why saying which rule refused
 * it when one did. Under sudo (@ra->have_owner) the file is opened, created and
 * owned by the sudo user; a symlink or a file someone else owns in a sticky
 * world-writable directory (/tmp) is refused, whatever fs.protected_* say. */
int output_open(const char *path, const struct run_as *ra, const char **why);

/* The log of -o @path (NULL: stderr; "-": stdout), created for the sudo user
 * @ra names. A descriptor, or -errno after one `procmon: ...` line on stderr. */
int output_open_log(const char *path, const struct run_as *ra);

#endif /* PROCMON_OUTPUT_H */
