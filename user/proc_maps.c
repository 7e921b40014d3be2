// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reads /proc/PID/maps into the list of distinct files a process maps executable,
 * each a candidate for the procmon_label uprobe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "proc_maps.h"

#define DELETED_SUFFIX " (deleted)"

char *proc_maps_exec_path(char *line)
{
	char perms[5];
	unsigned long inode;
	size_t len, del = strlen(DELETED_SUFFIX);
	int path_at = -1;

	/* start-end perms offset major:minor inode path */
	if (sscanf(line, "%*x-%*x %4s %*x %*x:%*x %lu %n", perms, &inode, &path_at) != 2 ||
	    path_at < 0)
		return NULL;
	/* inode 0: anonymous memory and the kernel's [vdso], [vsyscall] */
	if (strlen(perms) != 4 || perms[2] != 'x' || inode == 0 || line[path_at] != '/')
		return NULL;
	len = strcspn(line + path_at, "\n");
	line[path_at + len] = '\0';
	/* gone from the file system: no path left to put a uprobe on */
	if (len >= del && strcmp(line + path_at + len - del, DELETED_SUFFIX) == 0)
		return NULL;
	return line + path_at;
}

static int contains(char **paths, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(paths[i], path) == 0)
			return 1;
	return 0;
}

/* Append a copy of @path to *paths unless it is there already. 0 or -ENOMEM. */
static int add_path(char ***paths, size_t *n, size_t *cap, const char *path)
{
	char **grown;

	if (contains(*paths, *n, path))
		return 0;
	if (*n == *cap) {
		size_t new_cap = *cap ? *cap * 2 : 16;

		grown = realloc(*paths, new_cap * sizeof(**paths));
		if (!grown)
			return -ENOMEM;
		*paths = grown;
		*cap = new_cap;
	}
	(*paths)[*n] = strdup(path);
	if (!(*paths)[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

int proc_mapped_objects(pid_t pid, char ***paths, size_t *n)
{
	char maps[96], *line = NULL, *path;
	pid_t live;
	size_t line_size = 0, cap = 0, lines = 0;
	char **found = NULL;
	size_t nfound = 0;
	int err = 0;
	FILE *f;

	if (pid <= 0)
		return -EINVAL;
	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)pid);
	f = fopen(maps, "re");
	/* The main thread gone (pthread_exit), others alive: the memory is theirs. */
	if (f && fgetc(f) == EOF && (live = proc_live_thread(pid, NULL)) > 0) {
		fclose(f);
		snprintf(maps, sizeof(maps), "/proc/%d/task/%d/maps", (int)pid, (int)live);
		f = fopen(maps, "re");
	} else if (f) {
		rewind(f);
	}
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	errno = 0;
	while (getline(&line, &line_size, f) > 0) {
		lines++;
		path = proc_maps_exec_path(line);
		if (path && (err = add_path(&found, &nfound, &cap, path)))
			break;
	}
	if (!err && ferror(f))
		err = errno ? -errno : -EIO;
	/* an exited process (or a zombie) reads as an empty file */
	if (!err && lines == 0)
		err = -ESRCH;
	free(line);
	fclose(f);
	if (err) {
		proc_mapped_objects_free(found, nfound);
		return err;
	}
	*paths = found;
	*n = nfound;
	return 0;
}

void proc_mapped_objects_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
