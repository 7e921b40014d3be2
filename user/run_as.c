// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Resolves whom a launched command runs as, in the parent (NSS lookups), and
 * applies it in the child before exec, so sudo never runs it as root by accident. */
#include <errno.h>
#include <stdio.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "run_as.h"

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *s == '-' || *out >= (unsigned long)(uid_t)-1)
		return -EINVAL;
	return 0;
}

static int fill_from_passwd(const struct passwd *pw, struct run_as *ra)
{
	int n = RUN_AS_MAX_GROUPS;

	ra->uid = pw->pw_uid;
	ra->gid = pw->pw_gid;
	snprintf(ra->name, sizeof(ra->name), "%s", pw->pw_name);
	snprintf(ra->home, sizeof(ra->home), "%s", pw->pw_dir ? pw->pw_dir : "/");
	snprintf(ra->shell, sizeof(ra->shell), "%s", pw->pw_shell && *pw->pw_shell ?
		 pw->pw_shell : "/bin/sh");
	if (getgrouplist(pw->pw_name, pw->pw_gid, ra->groups, &n) < 0)
		return -E2BIG;
	ra->n_groups = n;
	return 0;
}

int run_as_resolve(const char *user, struct run_as *ra, const char **why)
{
	const char *sudo_uid = getenv("SUDO_UID");
	const char *sudo_gid = getenv("SUDO_GID");
	unsigned long id, gid;
	struct passwd *pw;

	memset(ra, 0, sizeof(*ra));
	*why = NULL;
	if (geteuid() == 0 && sudo_uid && parse_id(sudo_uid, &id) == 0) {
		ra->have_owner = true;
		ra->owner_uid = (uid_t)id;
		ra->owner_gid = parse_id(sudo_gid, &gid) == 0 ? (gid_t)gid : (gid_t)id;
	}
	if (user) {
		pw = getpwnam(user);
		if (!pw && parse_id(user, &id) == 0)
			pw = getpwuid((uid_t)id);
		if (!pw) {
			*why = "no such user";
			return -ENOENT;
		}
	} else if (ra->have_owner) {
		pw = getpwuid(ra->owner_uid);
		if (!pw) {
			/* A SUDO_UID without a passwd entry: still never root. */
			ra->change = true;
			ra->uid = ra->owner_uid;
			ra->gid = ra->owner_gid;
			ra->groups[0] = ra->gid;
			ra->n_groups = 1;
			snprintf(ra->home, sizeof(ra->home), "/");
			snprintf(ra->shell, sizeof(ra->shell), "/bin/sh");
			return 0;
		}
	} else {
		return 0;	/* run as we are */
	}
	/* A sudo rule for procmon must not be a rule for root (or anyone else). */
	if (user && ra->have_owner && pw->pw_uid != ra->owner_uid) {
		*why = "under sudo the command runs as the invoking user only";
		return -EPERM;
	}
	if (fill_from_passwd(pw, ra)) {
		*why = "too many supplementary groups";
		return -E2BIG;
	}
	if (!user && ra->owner_gid != ra->gid)
		ra->gid = ra->owner_gid;	/* sudo's idea of the group wins */
	ra->change = ra->uid != geteuid() || ra->gid != getegid() || user;
	return 0;
}

int run_as_apply(const struct run_as *ra)
{
	if (!ra->change)
		return 0;
	if (setgroups((size_t)ra->n_groups, ra->groups) ||
	    setresgid(ra->gid, ra->gid, ra->gid) ||
	    setresuid(ra->uid, ra->uid, ra->uid))
		return -errno;
	if (ra->name[0]) {
		setenv("USER", ra->name, 1);
		setenv("LOGNAME", ra->name, 1);
	}
	setenv("HOME", ra->home, 1);
	setenv("SHELL", ra->shell, 1);
	return 0;
}
