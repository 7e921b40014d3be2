// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Acting for the invoking user: a forked child drops every privilege to the sudo
 * user's ids, does the one thing, and passes a descriptor back with SCM_RIGHTS. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "as_user.h"
#include "proc.h"

struct as_user_reply {
	int result;		/* -errno, or >= 0 with a descriptor attached */
	const char *why;	/* a static string: the same address after fork */
};

static int become_owner(const struct run_as *ra)
{
	gid_t groups[RUN_AS_MAX_GROUPS];
	int n = 0;

	/* The sudo user's own groups when known, never root's. */
	if (ra->n_groups && ra->uid == ra->owner_uid) {
		memcpy(groups, ra->groups, sizeof(gid_t) * (size_t)ra->n_groups);
		n = ra->n_groups;
	} else {
		groups[n++] = ra->owner_gid;
	}
	if (setgroups((size_t)n, groups) || setresgid(ra->owner_gid, ra->owner_gid, ra->owner_gid) ||
	    setresuid(ra->owner_uid, ra->owner_uid, ra->owner_uid))
		return -errno;
	return 0;
}

static void send_reply(int sock, const struct as_user_reply *r, int fd)
{
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)r, .iov_len = sizeof(*r) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (fd >= 0) {
		msg.msg_control = control;
		msg.msg_controllen = sizeof(control);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		_exit(1);
}

static int recv_reply(int sock, struct as_user_reply *r)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = r, .iov_len = sizeof(*r) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof(control) };
	struct cmsghdr *c;
	ssize_t n;
	int fd = -1;

	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*r))
		return -EIO;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (r->result >= 0)
		return fd >= 0 ? fd : -EIO;
	if (fd >= 0)
		close(fd);
	return r->result;
}

int as_user_call(const struct run_as *ra, int (*fn)(void *arg, const char **why), void *arg,
		 const char **why)
{
	struct as_user_reply r = { 0 };
	int sv[2], status, fd;
	pid_t pid;

	*why = NULL;
	if (!ra->have_owner)
		return fn(arg, why);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(sv[0]);
		close(sv[1]);
		return err;
	}
	if (pid == 0) {
		close(sv[0]);
		r.result = become_owner(ra);
		if (!r.result)
			r.result = fn(arg, &r.why);
		send_reply(sv[1], &r, r.result);
		_exit(0);
	}
	close(sv[1]);
	fd = recv_reply(sv[0], &r);
	close(sv[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*why = r.why;
	return fd;
}

static int check_trace(void *arg, const char **why)
{
	pid_t pid = *(pid_t *)arg, live;
	char path[96];
	int fd;

	(void)why;
	/* environ is guarded by the ptrace READ check with the opener's fs ids:
	 * the same rule as reading the process's counters and memory maps. */
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	/* ESRCH: no memory behind the main thread, a zombie while other threads
	 * run (pthread_exit in main); ask through a live one. */
	if (fd < 0 && errno == ESRCH && (live = proc_live_thread(pid, NULL)) > 0) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/environ", (int)pid, (int)live);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? -ESRCH : -EPERM;
	return fd;
}

int as_user_may_trace(const struct run_as *ra, pid_t pid)
{
	const char *why;
	int fd;

	/* Root without sudo may trace anything; a file-capability install runs
	 * as the user already, so the open below is checked with their ids. */
	if (!ra->have_owner && getuid() == 0)
		return 0;
	fd = as_user_call(ra, check_trace, &pid, &why);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}
