/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A cgroup v2 directory as --cgroup and --unit name it: checked, its id, the
 * processes in it and its sub-cgroups, and the cgroup a process is in. */
#ifndef PROCMON_CGROUP_H
#define PROCMON_CGROUP_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>
#include "run_as.h"

struct cgroup_dir {
	char path[PATH_MAX];		/* absolute, symlinks resolved */
	char rel[PATH_MAX];		/* below the cgroup2 mount, as /proc/PID/cgroup has it */
	__u64 id;			/* its cgroup v2 id: the directory's inode number */
};

/* Check that @dir is a cgroup v2 directory and fill @cg. 0, or -errno with @why
 * (and @hint, or NULL) saying what is wrong: -ENOENT, -ENOTDIR, -EMEDIUMTYPE for
 * a cgroup v1 directory or one of another file system. */
int cgroup_dir_resolve(const char *dir, struct cgroup_dir *cg, const char **why,
		       const char **hint);

/* Under sudo (@ra->have_owner): can the invoking user read @cg's process list?
 * 0, or -errno (-EACCES) as the sudo user's own open saw it. */
int cgroup_dir_check_reader(const struct cgroup_dir *cg, const struct run_as *ra);

/* The cgroup directory of systemd unit @unit, from `systemctl show -P ControlGroup`,
 * into @out. 0, or -errno with @why and @hint (-ENOSYS: systemd is not running). */
int cgroup_unit_dir(const char *unit, char *out, size_t size, const char **why,
		    const char **hint);

/* The PIDs in @cg and every cgroup below it (cgroup.procs), in a malloc'd array
 * (free it) in *@pids. Their number, or -errno if @cg's own list cannot be read. */
int cgroup_dir_pids(const struct cgroup_dir *cg, pid_t **pids);

/* The cgroup v2 path of @pid ("/a/b", from /proc/PID/cgroup) into @out. 0 or -errno. */
int cgroup_of_pid(pid_t pid, char *out, size_t size);

#endif /* PROCMON_CGROUP_H */
