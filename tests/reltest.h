/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers of the reliability and security tests (it_faults, it_hostile, it_security):
 * start procmon with only fds 0-2, wait for it with wait4 (its peak RSS), and list
 * the BPF programs and links it holds. Header-only, on top of itest.h. */
#ifndef PROCMON_RELTEST_H
#define PROCMON_RELTEST_H

#include <dirent.h>
#include <sys/resource.h>

#include "itest.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

/* A run measured: what it_proc has, plus procmon's memory. */
struct rel_run {
	struct it_proc p;
	long maxrss_kb;		/* wait4's ru_maxrss: the largest of procmon and what it reaped */
	long vmhwm_kb;		/* procmon's own VmHWM, last read while it ran */
};

/* VmHWM of @pid in KiB from /proc/PID/status, or -1. */
static inline long rel_vmhwm_kb(pid_t pid)
{
	char path[64], *text, *at;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	text = it_read_file(path);
	if (text && (at = strstr(text, "\nVmHWM:")))
		kb = strtol(at + 7, NULL, 10);
	free(text);
	return kb;
}

/* it_start, but the child has nothing open beyond 0, 1, 2 when it execs @argv: the
 * test binary may have inherited anything (make's jobserver pipes, a shell's fds).
 * Its stdout is @stdout_fd if >= 0 (a pipe the test reads), else captured. */
static inline int rel_start(struct rel_run *r, const char *const argv[], const struct it_spawn *how,
			    int stdout_fd)
{
	static const struct it_spawn plain;
	struct it_proc *p = &r->p;

	if (!how)
		how = &plain;
	memset(r, 0, sizeof(*r));
	r->maxrss_kb = r->vmhwm_kb = -1;
	p->pidfd = p->out_fd = p->err_fd = -1;
	p->out_fd = memfd_create("rel-stdout", MFD_CLOEXEC);
	p->err_fd = memfd_create("rel-stderr", MFD_CLOEXEC);
	if (p->out_fd < 0 || p->err_fd < 0)
		return -errno;
	fflush(NULL);
	p->start_s = it_now_s();
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (p->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		if (null < 0 || dup2(null, 0) < 0 ||
		    dup2(stdout_fd >= 0 ? stdout_fd : p->out_fd, 1) < 0 ||
		    dup2(p->err_fd, 2) < 0)
			_exit(124);
		if (syscall(SYS_close_range, 3, ~0U, 0))
			for (int fd = 3; fd < 1024; fd++)
				close(fd);
		signal(SIGPIPE, SIG_DFL);
		for (int i = 0; how->env_unset && how->env_unset[i]; i++)
			unsetenv(how->env_unset[i]);
		for (int i = 0; how->env_set && how->env_set[i]; i++)
			putenv((char *)how->env_set[i]);
		if (how->cwd && chdir(how->cwd))
			_exit(124);
		execvp(argv[0], (char *const *)argv);
		dprintf(2, "reltest: cannot exec '%s': %s\n", argv[0], strerror(errno));
		_exit(124);
	}
	setpgid(p->pid, p->pid);
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	return 0;
}

/* Wait up to @timeout_s for the run, reading procmon's VmHWM as it goes; past the
 * timeout SIGKILL its process group. Reaps it with wait4 (ru_maxrss). With
 * @kill_group, whatever is left in the group (a command procmon launched) is
 * SIGKILLed afterwards, as it_finish does; without, it is left to the test.
 * Returns the wait status. */
static inline int rel_finish(struct rel_run *r, double timeout_s, bool kill_group)
{
	struct it_proc *p = &r->p;
	double deadline = p->start_s + timeout_s;
	struct rusage ru;
	int status = 0;

	for (;;) {
		double left = deadline - it_now_s();
		struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };
		long kb;

		if (left <= 0) {
			p->timed_out = true;
			kill(-p->pid, SIGKILL);
			kill(p->pid, SIGKILL);
			break;
		}
		kb = rel_vmhwm_kb(p->pid);
		if (kb > r->vmhwm_kb)
			r->vmhwm_kb = kb;
		if (poll(&pfd, 1, (int)fmin(ceil(left * 1000), 50)) > 0)
			break;
	}
	memset(&ru, 0, sizeof(ru));
	while (wait4(p->pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	p->status = status;
	r->maxrss_kb = ru.ru_maxrss;
	p->secs = it_now_s() - p->start_s;
	if (kill_group || p->timed_out)
		kill(-p->pid, SIGKILL);
	p->out = it_read_fd_all(p->out_fd);
	p->err = it_read_fd_all(p->err_fd);
	close(p->pidfd);
	close(p->out_fd);
	close(p->err_fd);
	p->pidfd = p->out_fd = p->err_fd = -1;
	if (!p->out)
		p->out = strdup("");
	if (!p->err)
		p->err = strdup("");
	return p->status;
}

/* Poll up to @timeout_s until the file at @path has at least @lines lines. */
static inline bool rel_wait_lines(const char *path, int lines, double timeout_s)
{
	double deadline = it_now_s() + timeout_s;

	for (;;) {
		char *text = it_read_file(path);
		int n = text ? it_count_lines(text) : 0;

		free(text);
		if (n >= lines)
			return true;
		if (it_now_s() > deadline)
			return false;
		usleep(10000);
	}
}

/* Poll up to @timeout_s until @path exists. */
static inline bool rel_wait_file(const char *path, double timeout_s)
{
	double deadline = it_now_s() + timeout_s;

	while (access(path, F_OK)) {
		if (it_now_s() > deadline)
			return false;
		usleep(5000);
	}
	return true;
}

/* Every line of @text starts with "procmon: " (true for ""). */
static inline bool rel_all_lines_procmon(const char *text)
{
	for (const char *p = text; *p;) {
		if (strncmp(p, "procmon: ", 9))
			return false;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return true;
}

/* ------------------------------------------------------------ BPF objects */

/* The BPF programs and links a process holds: it_bpf_ids_of() in itest.h. */
#define REL_MAX_IDS IT_MAX_IDS
#define rel_bpf_ids it_bpf_ids
#define rel_bpf_ids_of it_bpf_ids_of

/* `bpftool KIND list -j` parsed into an array; NULL if bpftool fails. */
static inline json_object *rel_bpftool_list(const char *kind)
{
	const char *argv[] = { "bpftool", kind, "list", "-j", NULL };
	struct it_proc p;
	json_object *o;

	it_run(&p, argv, NULL, 10);
	o = it_exit_code(p.status) == 0 ? json_tokener_parse(p.out) : NULL;
	it_proc_free(&p);
	if (o && !json_object_is_type(o, json_type_array)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

/* How many of @ids (@n of them) @list names; their names into @names (may be NULL). */
static inline int rel_count_listed(json_object *list, const int *ids, int n, const char **names,
				   int *n_names)
{
	int found = 0;

	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		json_object *e = json_object_array_get_idx(list, i);
		long long id = it_get_int(e, "id", -1);

		for (int j = 0; j < n; j++) {
			if (id != ids[j])
				continue;
			found++;
			if (names && *n_names < REL_MAX_IDS)
				names[(*n_names)++] = it_get_str(e, "name");
		}
	}
	return found;
}

/* Poll up to @timeout_s until none of @ids is listed by bpftool; the programs and
 * links still listed go to *progs_left, *links_left. */
static inline void rel_wait_bpf_gone(const struct rel_bpf_ids *ids, double timeout_s,
				     int *progs_left, int *links_left)
{
	double deadline = it_now_s() + timeout_s;

	for (;;) {
		json_object *progs = rel_bpftool_list("prog"), *links = rel_bpftool_list("link");

		*progs_left = progs ? rel_count_listed(progs, ids->progs, ids->n_progs, NULL, NULL) : -1;
		*links_left = links ? rel_count_listed(links, ids->links, ids->n_links, NULL, NULL) : -1;
		json_object_put(progs);
		json_object_put(links);
		if ((!*progs_left && !*links_left) || it_now_s() > deadline)
			return;
		usleep(50000);
	}
}

#endif /* PROCMON_RELTEST_H */
