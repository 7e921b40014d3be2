/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Who the launched command runs as: under sudo the invoking user (SUDO_UID) with
 * their groups and environment, or -u USER; root only when asked for. */
#ifndef PROCMON_RUN_AS_H
#define PROCMON_RUN_AS_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#define RUN_AS_MAX_GROUPS 256

struct run_as {
	bool change;			/* the child must switch credentials */
	uid_t uid;
	gid_t gid;
	gid_t groups[RUN_AS_MAX_GROUPS];
	int n_groups;
	char name[64];
	char home[PATH_MAX];
	char shell[PATH_MAX];
	bool have_owner;		/* files procmon creates belong to... */
	uid_t owner_uid;		/* ...the invoking user under sudo */
	gid_t owner_gid;
};

/* Resolve -u @user (NULL: none) and SUDO_UID/SUDO_GID. 0, or -ENOENT for an
 * unknown user, -EPERM for -u of anyone but the sudo user under sudo (with @why
 * set to a message fragment), -errno otherwise. */
int run_as_resolve(const char *user, struct run_as *ra, const char **why);

/* In the child, before exec: groups, gid, uid, then HOME/USER/LOGNAME/SHELL.
 * 0 or -errno. Async-signal-safe apart from setenv (the child is single-threaded). */
int run_as_apply(const struct run_as *ra);

#endif /* PROCMON_RUN_AS_H */
