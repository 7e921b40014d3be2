// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of user/as_user.c (as root): what the sudo user could not open or
 * trace, procmon acting for them cannot either; what they create is theirs. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "as_user.h"
#include "check.h"

#define NOBODY 65534

static struct run_as nobody = {
	.have_owner = true, .owner_uid = NOBODY, .owner_gid = NOBODY,
};

static int open_new(void *arg, const char **why)
{
	int fd = open(arg, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	*why = "a reason";
	return fd < 0 ? -errno : fd;
}

static void test_file_created_as_user(void)
{
	char dir[] = "/tmp/as_user.XXXXXX", path[64];
	const char *why;
	struct stat st;
	int fd;

	REQUIRE(mkdtemp(dir), "mkdtemp");
	chmod(dir, 01777);
	snprintf(path, sizeof(path), "%s/log", dir);
	fd = as_user_call(&nobody, open_new, path, &why);
	CHECK(fd >= 0, "open as nobody in a sticky dir: %d", fd);
	CHECK_STR(why, "a reason");
	if (fd >= 0) {
		CHECK(!fstat(fd, &st) && st.st_uid == NOBODY, "owner %u, want %u",
		      (unsigned)st.st_uid, NOBODY);
		CHECK(write(fd, "x", 1) == 1, "the descriptor writes");
		close(fd);
	}
	unlink(path);
	chmod(dir, 0700);	/* root's only now */
	fd = as_user_call(&nobody, open_new, path, &why);
	CHECK(fd == -EACCES, "open as nobody in a root-only dir: want -EACCES, got %d", fd);
	CHECK(access(path, F_OK) != 0, "nothing created in the root-only dir");
	rmdir(dir);
}

static void test_trace_check_follows_user(void)
{
	pid_t mine;

	CHECK(as_user_may_trace(&nobody, 1) == -EPERM, "nobody may not trace init");
	mine = fork();
	if (mine == 0) {
		if (setresgid(NOBODY, NOBODY, NOBODY) || setresuid(NOBODY, NOBODY, NOBODY))
			_exit(1);
		/* exec makes it dumpable again, as any program the user starts. */
		execl("/bin/sleep", "sleep", "10", (char *)NULL);
		_exit(1);
	}
	usleep(50000);
	CHECK(as_user_may_trace(&nobody, mine) == 0, "nobody may trace its own process");
	kill(mine, SIGKILL);
	waitpid(mine, NULL, 0);
	CHECK(as_user_may_trace(&nobody, mine) == -ESRCH, "a gone process: -ESRCH");
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root to take another user's ids");
	RUN(test_file_created_as_user);
	RUN(test_trace_check_follows_user);
	return check_summary();
}
