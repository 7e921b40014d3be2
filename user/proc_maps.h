/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The files a process maps executable, from /proc/PID/maps: where the uprobe
 * attacher looks for procmon_label. */
#ifndef PROCMON_PROC_MAPS_H
#define PROCMON_PROC_MAPS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The distinct files mapped with execute permission by process @pid (its
 * executable, ld.so, each shared library), in the order of /proc/PID/maps.
 * Paths are as the maps file lists them, i.e. in the target's mount namespace;
 * anonymous and special mappings ([vdso], [vsyscall]) and deleted files are left
 * out. On success *paths is an array of *n malloc'd strings, freed with
 * proc_mapped_objects_free(). 0 or -errno: -ESRCH when the process is gone or
 * has no address space (a zombie, a kernel thread), -EACCES without the right
 * to read its maps, -ENOMEM.
 */
int proc_mapped_objects(pid_t pid, char ***paths, size_t *n);

void proc_mapped_objects_free(char **paths, size_t n);

/*
 * Parse one line of a maps file (@line, without or with its '\n'). Returns the
 * path of a file-backed executable mapping, pointing into @line (the newline
 * replaced by NUL), or NULL for any other line.
 */
char *proc_maps_exec_path(char *line);

#endif /* PROCMON_PROC_MAPS_H */
