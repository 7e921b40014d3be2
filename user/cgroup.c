// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The cgroup v2 file system as procmon reads it: statfs tells v2 from v1, the
 * inode number is the id BPF compares, cgroup.procs lists the members. */
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <mntent.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>
#include "as_user.h"
#include "cgroup.h"

/* The longest cgroup2 mount point that holds @path, into @mnt. 0 or -ENOENT. */
static int cgroup2_mount_of(const char *path, char *mnt, size_t size)
{
	struct mntent ent, *e;
	char buf[4 * PATH_MAX];
	size_t best = 0;
	FILE *f = setmntent("/proc/self/mounts", "re");

	if (!f)
		return -errno;
	while ((e = getmntent_r(f, &ent, buf, sizeof(buf)))) {
		size_t len = strlen(e->mnt_dir);

		if (strcmp(e->mnt_type, "cgroup2") || len >= size)
			continue;
		if (!path) {	/* the first one: --unit's */
			best = len;
			snprintf(mnt, size, "%s", e->mnt_dir);
			break;
		}
		if (len > best || (!best && len == 1)) {
			if (strncmp(path, e->mnt_dir, len) ||
			    (len > 1 && path[len] != '/' && path[len] != '\0'))
				continue;
			best = len;
			snprintf(mnt, size, "%s", e->mnt_dir);
		}
	}
	endmntent(f);
	return best ? 0 : -ENOENT;
}

int cgroup_dir_resolve(const char *dir, struct cgroup_dir *cg, const char **why,
		       const char **hint)
{
	char mnt[PATH_MAX];
	struct statfs sfs;
	const char *rest;
	struct stat st;
	size_t len;

	*why = *hint = NULL;
	memset(cg, 0, sizeof(*cg));
	if (!realpath(dir, cg->path) || stat(cg->path, &st) || statfs(cg->path, &sfs)) {
		*why = strerror(errno);
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		*why = strerror(ENOTDIR);
		return -ENOTDIR;
	}
	if (sfs.f_type == CGROUP_SUPER_MAGIC) {
		*why = "it is a cgroup v1 directory";
		*hint = "give its cgroup v2 path: findmnt -t cgroup2; hybrid hosts: "
			"/sys/fs/cgroup/unified/...";
		return -EMEDIUMTYPE;
	}
	if (sfs.f_type != CGROUP2_SUPER_MAGIC || cgroup2_mount_of(cg->path, mnt, sizeof(mnt))) {
		*why = "not a cgroup directory";
		*hint = "give a directory under the cgroup2 mount: findmnt -t cgroup2";
		return -EMEDIUMTYPE;
	}
	len = strlen(mnt);
	rest = len == 1 ? cg->path : cg->path + len;	/* mounted at "/": all of it */
	snprintf(cg->rel, sizeof(cg->rel), "%s", *rest ? rest : "/");
	/* kernfs gives a cgroup's id as its directory's inode number. */
	cg->id = (__u64)st.st_ino;
	return 0;
}

static int open_procs(void *arg, const char **why)
{
	const struct cgroup_dir *cg = arg;
	char path[PATH_MAX + 16];
	int fd;

	(void)why;
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int cgroup_dir_check_reader(const struct cgroup_dir *cg, const struct run_as *ra)
{
	const char *why;
	int fd;

	if (!ra->have_owner)
		return 0;
	fd = as_user_call(ra, open_procs, (void *)cg, &why);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* `systemctl show -P ControlGroup -- UNIT`'s first line into @out. 0 or -errno. */
static int systemctl_control_group(const char *unit, char *out, size_t size)
{
	char *argv[] = { "systemctl", "show", "-P", "ControlGroup", "--", (char *)unit, NULL };
	posix_spawn_file_actions_t fa;
	int pipefd[2], status = 0, err;
	ssize_t n, len = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	err = -posix_spawnp(&pid, "systemctl", &fa, NULL, argv, NULL);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	while (!err && (size_t)len + 1 < size &&
	       (n = read(pipefd[0], out + len, size - 1 - (size_t)len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += n;
	}
	close(pipefd[0]);
	out[len] = '\0';
	out[strcspn(out, "\n")] = '\0';
	while (!err && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!err && (!WIFEXITED(status) || WEXITSTATUS(status)))
		err = -EIO;
	return err;
}

int cgroup_unit_dir(const char *unit, char *out, size_t size, const char **why,
		    const char **hint)
{
	char group[PATH_MAX], mnt[PATH_MAX];
	int err;

	*why = *hint = NULL;
	/* sd_booted()'s test: systemctl cannot answer without a running systemd. */
	if (access("/run/systemd/system", F_OK)) {
		*why = "systemd is not running here (PID 1 is not systemd)";
		*hint = "give the cgroup directory with --cgroup DIR";
		return -ENOSYS;
	}
	err = systemctl_control_group(unit, group, sizeof(group));
	if (err == -ENOENT) {
		*why = "systemctl is not installed";
		*hint = "give the cgroup directory with --cgroup DIR";
		return err;
	}
	if (err || group[0] != '/') {
		*why = err ? "systemctl show failed" : "it has no cgroup";
		*hint = "is it loaded and running? see systemctl status";
		return err ? err : -ENOENT;
	}
	if (cgroup2_mount_of(NULL, mnt, sizeof(mnt))) {
		*why = "no cgroup2 file system is mounted";
		return -ENOENT;
	}
	if ((size_t)snprintf(out, size, "%s%s", strcmp(mnt, "/") ? mnt : "", group) >= size) {
		*why = strerror(ENAMETOOLONG);
		return -ENAMETOOLONG;
	}
	return 0;
}

/* Append the PIDs of the cgroup.procs in directory @dir to *@pids. 0 or -errno. */
static int read_procs(const char *dir, pid_t **pids, int *n, int *cap)
{
	char path[PATH_MAX + 16];
	long pid;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fscanf(f, "%ld", &pid) == 1) {
		if (*n == *cap) {
			int grown_cap = *cap ? *cap * 2 : 64;
			pid_t *grown = realloc(*pids, sizeof(**pids) * (size_t)grown_cap);

			if (!grown) {
				fclose(f);
				return -ENOMEM;
			}
			*pids = grown;
			*cap = grown_cap;
		}
		(*pids)[(*n)++] = (pid_t)pid;
	}
	fclose(f);
	return 0;
}

int cgroup_dir_pids(const struct cgroup_dir *cg, pid_t **pids)
{
	char *roots[] = { (char *)cg->path, NULL };
	int n = 0, cap = 0, err;
	FTSENT *e;
	FTS *fts;

	*pids = NULL;
	err = read_procs(cg->path, pids, &n, &cap);
	if (err)
		return err;
	fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR | FTS_NOSTAT, NULL);
	if (!fts)
		return n;
	/* Sub-cgroups: gone meanwhile, or threaded (no process list): skipped. */
	while ((e = fts_read(fts)))
		if (e->fts_info == FTS_D && e->fts_level > 0 &&
		    read_procs(e->fts_path, pids, &n, &cap) == -ENOMEM)
			break;
	fts_close(fts);
	return n;
}

int cgroup_of_pid(pid_t pid, char *out, size_t size)
{
	char path[64], line[PATH_MAX + 8];
	int err = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(out, size, "%s", line + 3);
		err = 0;
		break;
	}
	fclose(f);
	return err;
}
