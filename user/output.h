/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Opens the log: stderr by default, stdout for "-", else a file created safely
 * (no symlink planted by another user is followed; owned by the sudo user). */
#ifndef PROCMON_OUTPUT_H
#define PROCMON_OUTPUT_H

#include <stdbool.h>
#include <sys/types.h>
#include "run_as.h"

/* Returns a CLOEXEC descriptor, or -errno; on -EPERM from the symlink rule,
 * *why says so. @owner applies to a file procmon creates. */
int output_open(const char *path, bool have_owner, uid_t owner_uid, gid_t owner_gid,
		const char **why);

/* The log of -o @path (NULL: stderr; "-": stdout), created for the sudo user
 * @ra names. A descriptor, or -errno after one `procmon: ...` line on stderr. */
int output_open_log(const char *path, const struct run_as *ra);

#endif /* PROCMON_OUTPUT_H */
