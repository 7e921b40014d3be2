// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Opens the log as the invoking user and with the kernel's protected_symlinks
 * and protected_regular rules for sticky world-writable directories applied by
 * procmon itself, since the sysctls may be off (they are on this machine). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "as_user.h"
#include "fail.h"
#include "options.h"
#include "output.h"

/* Is @path in a sticky world-writable directory? Its owner goes to @dir_uid. */
static bool in_sticky_dir(const char *path, uid_t *dir_uid)
{
	char dir[PATH_MAX];
	struct stat dst;

	snprintf(dir, sizeof(dir), "%s", path);
	if (stat(dirname(dir), &dst))
		return false;
	*dir_uid = dst.st_uid;
	return (dst.st_mode & S_ISVTX) && (dst.st_mode & S_IWOTH);
}

/* The kernel's rule for a sticky world-writable directory: only what we or the
 * directory's owner own may be followed (a symlink) or opened (a file). */
static bool owner_trusted(const char *path, uid_t owner)
{
	uid_t dir_uid;

	return !in_sticky_dir(path, &dir_uid) || owner == geteuid() || owner == dir_uid;
}

/* Where @fd really is (a symlink followed), for the rule on its directory. */
static const char *opened_path(int fd, const char *path, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size - 1);
	if (n <= 0 || buf[0] != '/')
		return path;
	buf[n] = '\0';
	return buf;
}

static int open_as_caller(void *arg, const char **why)
{
	const char *path = arg;
	char real[PATH_MAX];
	struct stat lst, st;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0 || errno != EEXIST)
		return fd >= 0 ? fd : -errno;
	if (lstat(path, &lst))
		return -errno;
	if (S_ISLNK(lst.st_mode) && !owner_trusted(path, lst.st_uid)) {
		*why = "it is a symlink in a world-writable sticky directory owned by another user";
		return -EPERM;
	}
	/* No O_TRUNC before the owner is checked: a refused file stays whole. */
	fd = open(path, O_WRONLY | O_CLOEXEC | (S_ISLNK(lst.st_mode) ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !owner_trusted(opened_path(fd, path, real, sizeof(real)), st.st_uid)) {
		close(fd);
		*why = "it belongs to another user in a world-writable sticky directory";
		return -EPERM;
	}
	if (S_ISREG(st.st_mode) && ftruncate(fd, 0)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int output_open(const char *path, const struct run_as *ra, const char **why)
{
	int fd;

	*why = NULL;
	if (!path || !strcmp(path, "-")) {
		fd = fcntl(path ? STDOUT_FILENO : STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		return fd < 0 ? -errno : fd;
	}
	return as_user_call(ra, open_as_caller, (void *)path, why);
}

int output_open_log(const char *path, const struct run_as *ra)
{
	char what[64 + OPTIONS_SHOWN_SIZE], shown[OPTIONS_SHOWN_SIZE];
	const char *why;
	int fd = output_open(path, ra, &why);

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
