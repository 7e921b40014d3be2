// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Finds a program in a PATH-like list of absolute directories. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path_search.h"

int path_search(const char *name, const char *path_env, char *out, size_t size)
{
	const char *dir = path_env ? path_env : PATH_SEARCH_DEFAULT;
	bool too_long = false;

	while (*dir) {
		size_t len = strcspn(dir, ":");
		struct stat st;

		if (dir[0] == '/') {
			int n = snprintf(out, size, "%.*s/%s", (int)len, dir, name);

			if (n < 0 || (size_t)n >= size)
				too_long = true;
			else if (!stat(out, &st) && S_ISREG(st.st_mode) && !access(out, X_OK))
				return 0;
		}
		dir += len;
		if (*dir == ':')
			dir++;
	}
	return too_long ? -ENAMETOOLONG : -ENOENT;
}
