// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Opens the log file without being tricked: in a sticky world-writable directory
 * (/tmp) a symlink owned by someone else is refused, as the kernel's
 * protected_symlinks would for the sticky-dir case; a new file goes to the sudo user. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fail.h"
#include "options.h"
#include "output.h"

/* May we follow the symlink at @path (already lstat'ed into @lst)? */
static bool symlink_trusted(const char *path, const struct stat *lst, bool have_owner,
			    uid_t owner_uid)
{
	char dir[PATH_MAX];
	struct stat dst;
	uid_t me = have_owner ? owner_uid : getuid();

	snprintf(dir, sizeof(dir), "%s", path);
	if (stat(dirname(dir), &dst))
		return false;
	if (!(dst.st_mode & S_ISVTX) || !(dst.st_mode & S_IWOTH))
		return true;
	return lst->st_uid == me || lst->st_uid == dst.st_uid;
}

int output_open(const char *path, bool have_owner, uid_t owner_uid, gid_t owner_gid,
		const char **why)
{
	struct stat lst;
	int fd;

	*why = NULL;
	if (!path || !strcmp(path, "-")) {
		fd = fcntl(path ? STDOUT_FILENO : STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		return fd < 0 ? -errno : fd;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (have_owner && fchown(fd, owner_uid, owner_gid)) {
			int err = -errno;

			close(fd);
			unlink(path);
			return err;
		}
		return fd;
	}
	if (errno != EEXIST)
		return -errno;
	if (lstat(path, &lst))
		return -errno;
	if (S_ISLNK(lst.st_mode)) {
		if (!symlink_trusted(path, &lst, have_owner, owner_uid)) {
			*why = "it is a symlink in a world-writable sticky directory owned by another user";
			return -EPERM;
		}
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	} else {
		fd = open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	}
	return fd < 0 ? -errno : fd;
}

int output_open_log(const char *path, const struct run_as *ra)
{
	char what[64 + OPTIONS_SHOWN_SIZE], shown[OPTIONS_SHOWN_SIZE];
	const char *why;
	int fd = output_open(path, ra->have_owner, ra->owner_uid, ra->owner_gid, &why);

	if (fd >= 0)
		return fd;
	snprintf(what, sizeof(what), "cannot open the log '%s'",
		 path ? options_shown(path, shown, sizeof(shown)) : "stderr");
	if (why)
		fail_line(stderr, what, why, NULL);
	else
		fail(what, fd, "check the directory exists and is writable");
	return fd;
}
