// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `procmon plot` needs no privilege: before it opens anything it becomes the
 * invoking user (sudo, set-id) and gives up any file capability for good. */
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "drop.h"
#include "run_as.h"

/* Clears every capability set (ambient ones go with the permitted set). */
static int drop_capabilities(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 }, none[2] = { 0 };

	if (syscall(SYS_capget, &h, d))
		return -errno;
	if (!(d[0].permitted | d[1].permitted | d[0].inheritable | d[1].inheritable))
		return 0;
	return syscall(SYS_capset, &h, none) ? -errno : 0;
}

int plot_drop_privileges(const char **why)
{
	struct run_as ra;
	int err;

	*why = NULL;
	if (geteuid() == 0 && getenv("SUDO_UID")) {
		err = run_as_resolve(NULL, &ra, why);
		if (!err && !ra.have_owner) {
			*why = "SUDO_UID is not a user id";
			err = -EINVAL;
		}
		if (!err)
			err = run_as_apply(&ra);
		if (err)
			return err;
	} else if (getuid() != geteuid() || getgid() != getegid()) {
		/* A set-id install: the real ids are the user's. */
		gid_t g = getgid();
		uid_t u = getuid();

		if (setgroups(1, &g) && errno != EPERM)
			return -errno;
		if (setresgid(g, g, g) || setresuid(u, u, u))
			return -errno;
	}
	/* Root stays root only when nobody else is behind it. */
	if (geteuid() != 0) {
		err = drop_capabilities();
		if (err)
			return err;
		if (setuid(0) == 0) {
			*why = "the ids could be changed back to root";
			return -EPERM;
		}
	}
	return 0;
}
