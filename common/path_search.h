/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Finds a program in a PATH-like list, as execvp would, but only in absolute
 * directories: a relative entry would depend on where procmon was started. */
#ifndef PROCMON_PATH_SEARCH_H
#define PROCMON_PATH_SEARCH_H

#include <stddef.h>

#define PATH_SEARCH_DEFAULT "/usr/local/bin:/usr/bin:/bin"

/* Writes the first "DIR/@name" that is an executable regular file into @out.
 * @path_env NULL: PATH_SEARCH_DEFAULT. 0, -ENOENT, or -ENAMETOOLONG when a
 * candidate did not fit in @size and none other was found. */
int path_search(const char *name, const char *path_env, char *out, size_t size);

#endif /* PROCMON_PATH_SEARCH_H */
