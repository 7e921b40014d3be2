// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Fork, hold, exec: the child is a target before its first instruction, and
 * procmon learns from a CLOEXEC pipe whether exec worked (127/126 as a shell);
 * and the release of a task BPF held (SIGSTOP) until its probes were attached. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "launch.h"
#include "proc.h"

enum child_stage {
	STAGE_CREDENTIALS = 1,
	STAGE_EXEC = 2,
	STAGE_READY = 3,	/* not a failure: set up, ready to be seized */
};

/* The user's own descriptor limit, restored in the command before exec. */
static struct rlimit user_nofile;
static bool nofile_raised;

void launch_raise_fd_limit(void)
{
	struct rlimit raised;

	if (getrlimit(RLIMIT_NOFILE, &user_nofile) || user_nofile.rlim_cur >= user_nofile.rlim_max)
		return;
	raised = (struct rlimit){ user_nofile.rlim_max, user_nofile.rlim_max };
	nofile_raised = setrlimit(RLIMIT_NOFILE, &raised) == 0;
}

/* One report of the child's; -1 at EOF (a successful exec closes the pipe). */
static int read_report(int fd, struct child_report *r)
{
	ssize_t n;

	do
		n = read(fd, r, sizeof(*r));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*r) ? 0 : -1;
}

static void child_fail(int fd, int stage, int err)
{
	struct child_report r = { stage, err };
	ssize_t ignored = write(fd, &r, sizeof(r));

	(void)ignored;
	_exit(127);
}

static void child_main(int gate_fd, int err_fd, pid_t parent, char *const argv[],
		       const struct run_as *ra)
{
	sigset_t unblock;
	bool not_dumpable = prctl(PR_GET_DUMPABLE) != 1;	/* before run_as resets it */
	char go;
	int err;

	err = run_as_apply(ra);
	if (err)
		child_fail(err_fd, STAGE_CREDENTIALS, -err);
	/* After the credential change, which clears it; then the race check. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(125);
	/* A file-capability procmon is not dumpable, nor its forked copy: ptrace
	 * would be refused. The copy's caps are procmon's own, and exec drops them.
	 * (Only then the handshake: its write would count in the command's I/O.) */
	if (not_dumpable) {
		struct child_report ready = { STAGE_READY, 0 };

		prctl(PR_SET_DUMPABLE, 1);
		if (write(err_fd, &ready, sizeof(ready)) != (ssize_t)sizeof(ready))
			_exit(125);
	}
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&unblock);
	sigaddset(&unblock, SIGCHLD);	/* procmon's own, for its signalfd */
	sigprocmask(SIG_UNBLOCK, &unblock, NULL);
	/* select()-based and close-every-fd programs expect the limit they were given. */
	if (nofile_raised)
		setrlimit(RLIMIT_NOFILE, &user_nofile);
	if (read(gate_fd, &go, 1) != 1)
		_exit(125);	/* procmon gave up before the command ran */
	execvp(argv[0], argv);
	child_fail(err_fd, STAGE_EXEC, errno);
}

int launch_prepare(struct launch *l, char *const argv[], const struct run_as *ra)
{
	int gate[2], report[2];
	pid_t parent = getpid();

	if (pipe2(gate, O_CLOEXEC))
		return -errno;
	if (pipe2(report, O_CLOEXEC)) {
		int err = -errno;

		close(gate[0]);
		close(gate[1]);
		return err;
	}
	l->pid = fork();
	if (l->pid < 0) {
		int err = -errno;

		close(gate[0]);
		close(gate[1]);
		close(report[0]);
		close(report[1]);
		return err;
	}
	if (l->pid == 0) {
		close(gate[1]);
		close(report[0]);
		child_main(gate[0], report[1], parent, argv, ra);
	}
	close(gate[0]);
	close(report[1]);
	l->gate_fd = gate[1];
	l->err_fd = report[0];
	l->early = (struct child_report){ 0, 0 };
	/* Seized only once dumpable, after its credentials are the user's. */
	if (prctl(PR_GET_DUMPABLE) != 1) {
		struct child_report r;

		if (read_report(l->err_fd, &r) == 0 && r.stage != STAGE_READY)
			l->early = r;
	}
	return 0;
}

int launch_release(struct launch *l, const char **stage)
{
	struct child_report r = l->early;
	ssize_t n;

	*stage = NULL;
	/* Failed already (credentials): no one reads the gate. */
	n = r.stage ? 1 : write(l->gate_fd, "g", 1);
	close(l->gate_fd);
	l->gate_fd = -1;
	if (n != 1) {
		n = -errno;
		close(l->err_fd);
		return (int)n;
	}
	if (!r.stage && read_report(l->err_fd, &r))
		r.stage = 0;
	close(l->err_fd);
	l->err_fd = -1;
	if (!r.stage)
		return 0;	/* EOF: the CLOEXEC pipe closed at a successful exec */
	*stage = r.stage == STAGE_CREDENTIALS ? "cannot switch to the user" : "cannot run";
	waitpid(l->pid, NULL, 0);
	return -r.err;
}

void launch_abort(struct launch *l)
{
	if (l->gate_fd >= 0)
		close(l->gate_fd);
	if (l->err_fd >= 0)
		close(l->err_fd);
	l->gate_fd = l->err_fd = -1;
	waitpid(l->pid, NULL, 0);
}

/* Wait (briefly) until @pid has stopped: SIGCONT sent before the SIGSTOP is
 * delivered would be undone by it. */
static void wait_stopped(pid_t pid)
{
	struct timespec tick = { 0, 200000 };
	char path[64], buf[1024];
	struct proc_stat st;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 500; i++) {
		if (proc_read_file(path, buf, sizeof(buf)) <= 0 || proc_parse_stat(buf, &st))
			return;
		if (st.state == 'T' || st.state == 't' || st.state == 'Z')
			return;
		nanosleep(&tick, NULL);
	}
}

void hold_release(pid_t pid)
{
	wait_stopped(pid);
	kill(pid, SIGCONT);
}
