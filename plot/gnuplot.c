// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Runs gnuplot on a script: no shell, no start-up file, stdin from /dev/null,
 * PATH as the only environment, a time limit; with plot's ids (see drop.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "gnuplot.h"
#include "path_search.h"

/* In the child: only async-signal-safe calls from here to exec. Reports
 * errno through err_fd and exits if anything fails. */
__attribute__((noreturn))
static void exec_child(const char *path, char *const argv[], char *const envp[], int err_fd)
{
	int fd, err;

	/* Its own process group, so a timeout kills what it started too. */
	setpgid(0, 0);
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
		goto fail;
	if (fd != STDIN_FILENO)
		close(fd);
	execve(path, argv, envp);
fail:
	err = errno;
	if (write(err_fd, &err, sizeof(err)) < 0)
		_exit(126);
	_exit(127);
}

/* Waits for pid until the deadline; kills its group after it. Returns 0. */
static int wait_child(pid_t pid, double timeout_s, struct gnuplot_result *res)
{
	double deadline = mono_now_s() + timeout_s;
	long sleep_ns = 1000000;	/* 1 ms, growing to 50 ms */
	int status;
	pid_t got;

	for (;;) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			return -errno;
		if (mono_now_s() >= deadline) {
			res->timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0)
				if (errno != EINTR)
					return -errno;
			break;
		}
		nanosleep(&(struct timespec){ .tv_nsec = sleep_ns }, NULL);
		if (sleep_ns < 50000000)
			sleep_ns *= 2;
	}
	if (WIFEXITED(status))
		res->exit_status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->term_signal = WTERMSIG(status);
	return 0;
}

int gnuplot_run(const char *script, double timeout_s, struct gnuplot_result *res)
{
	const char *path_env = getenv("PATH");
	char exe[PATH_MAX], *env_path = NULL;
	char *argv[] = { "gnuplot", "-d", (char *)script, NULL };
	int pipe_fd[2], child_err = 0, err;
	ssize_t n;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	err = path_search("gnuplot", path_env, exe, sizeof(exe));
	if (err)
		return err;
	if (asprintf(&env_path, "PATH=%s", path_env ? path_env : PATH_SEARCH_DEFAULT) < 0)
		return -ENOMEM;
	if (pipe2(pipe_fd, O_CLOEXEC)) {
		err = -errno;
		free(env_path);
		return err;
	}
	pid = fork();
	if (pid == 0) {
		char *envp[] = { env_path, NULL };

		close(pipe_fd[0]);
		exec_child(exe, argv, envp, pipe_fd[1]);
	}
	err = pid < 0 ? -errno : 0;
	close(pipe_fd[1]);
	free(env_path);
	if (err) {
		close(pipe_fd[0]);
		return err;
	}
	setpgid(pid, pid);
	/* The pipe closes on a successful exec; otherwise it carries errno. */
	do
		n = read(pipe_fd[0], &child_err, sizeof(child_err));
	while (n < 0 && errno == EINTR);
	close(pipe_fd[0]);
	if (n == sizeof(child_err)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return -child_err;
	}
	return wait_child(pid, timeout_s, res);
}
