/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers of the integration tests: run build/procmon (or anything) with a timeout
 * and captured output, and read its logs back as json-c objects. Header-only:
 * every test program is a single .c file, so the helpers are static inline. The
 * helpers of a traced run record their failures with check.h's CHECK. */
#ifndef PROCMON_ITEST_H
#define PROCMON_ITEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "check.h"

/* ------------------------------------------------------------------ paths */

/* BUILD/@rel, where BUILD is the directory above the test binary's (tests/NAME):
 * found beside this binary whatever OUTPUT and the working directory are.
 * Eight rotating buffers, so a few paths can be used in one argv. */
static inline const char *it_path(const char *rel)
{
	static char paths[8][PATH_MAX];
	static int next;
	char *path = paths[next++ % 8];
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (len < 0)
		return rel;
	exe[len] = '\0';
	slash = strrchr(exe, '/');	/* BUILD/tests/NAME */
	if (!slash)
		return rel;
	*slash = '\0';
	slash = strrchr(exe, '/');	/* BUILD/tests */
	if (!slash)
		return rel;
	*slash = '\0';
	if (snprintf(path, PATH_MAX, "%s/%s", exe, rel) >= PATH_MAX)
		return rel;
	return path;
}

static inline const char *it_procmon(void)
{
	return it_path("procmon");
}

static inline const char *it_workload(const char *name)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "tests/workloads/%s", name);
	return it_path(rel);
}

static inline double it_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* -------------------------------------------------------------- processes */

/* How to start a child. Zero-initialised means: inherit the environment, keep
 * our credentials and descriptors, stdin from /dev/null, stdout and stderr captured. */
struct it_spawn {
	const char *const *env_set;	/* "NAME=VALUE" to set, NULL-terminated, or NULL */
	const char *const *env_unset;	/* names to remove, NULL-terminated, or NULL */
	bool as_user;			/* drop to uid/gid (groups = {gid}) before exec */
	uid_t uid;
	gid_t gid;
	const char *cwd;
	/* Nothing open beyond 0, 1, 2 at exec: the test binary may have inherited
	 * anything (make's jobserver pipes, a shell's fds), and the reliability tests
	 * count what procmon's command gets. */
	bool close_fds;
	int stdout_fd;			/* if > 2, the child's stdout (a pipe the test reads) */
};

/* A started child: its pid, a pidfd for the timeout, and the memfds its
 * stdout/stderr go to (files rather than pipes: no deadlock, and no waiting for
 * EOF while a grandchild still holds the pipe). */
struct it_proc {
	pid_t pid;
	int pidfd;
	int out_fd, err_fd;
	int status;		/* wait status once finished */
	bool timed_out;
	double start_s, secs;	/* wall time it ran */
	char *out, *err;	/* captured output, NUL-terminated, once finished */
};

static inline char *it_read_fd_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	if (!buf)
		return NULL;
	lseek(fd, 0, SEEK_SET);
	for (;;) {
		if (len + 1 >= cap) {
			char *grown = realloc(buf, cap * 2);

			if (!grown)
				break;
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

static inline char *it_read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *text;

	if (fd < 0)
		return NULL;
	text = it_read_fd_all(fd);
	close(fd);
	return text;
}

/* Fork and exec @argv (argv[0] a path or a name looked up in PATH) without a
 * shell, in a process group of its own. 0, or -errno (fork/memfd failed: the
 * failure is recorded, p->pid is 0 and it_finish then has nothing to wait for). */
static inline int it_start(struct it_proc *p, const char *const argv[], const struct it_spawn *how)
{
	static const struct it_spawn plain;
	int pidfd, err;

	if (!how)
		how = &plain;
	memset(p, 0, sizeof(*p));
	p->pidfd = p->out_fd = p->err_fd = -1;
	p->out_fd = memfd_create("it-stdout", MFD_CLOEXEC);
	p->err_fd = memfd_create("it-stderr", MFD_CLOEXEC);
	if (p->out_fd < 0 || p->err_fd < 0)
		goto fail;
	fflush(NULL);
	p->start_s = it_now_s();
	p->pid = fork();
	if (p->pid < 0)
		goto fail;
	if (p->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		if (null < 0 || dup2(null, 0) < 0 ||
		    dup2(how->stdout_fd > 2 ? how->stdout_fd : p->out_fd, 1) < 0 ||
		    dup2(p->err_fd, 2) < 0)
			_exit(124);
		if (how->close_fds && syscall(SYS_close_range, 3, ~0U, 0))
			for (int fd = 3; fd < 1024; fd++)
				close(fd);
		signal(SIGPIPE, SIG_DFL);
		for (int i = 0; how->env_unset && how->env_unset[i]; i++)
			unsetenv(how->env_unset[i]);
		for (int i = 0; how->env_set && how->env_set[i]; i++)
			putenv((char *)how->env_set[i]);
		if (how->cwd && chdir(how->cwd))
			_exit(124);
		if (how->as_user && (setgroups(1, &how->gid) || setresgid(how->gid, how->gid, how->gid) ||
				     setresuid(how->uid, how->uid, how->uid))) {
			dprintf(2, "itest: cannot switch to uid %d: %s\n", (int)how->uid,
				strerror(errno));
			_exit(124);
		}
		execvp(argv[0], (char *const *)argv);
		dprintf(2, "itest: cannot exec '%s': %s\n", argv[0], strerror(errno));
		_exit(124);
	}
	setpgid(p->pid, p->pid);	/* either side may win the race; both set it */
	pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	p->pidfd = pidfd;
	return 0;
fail:
	err = -errno;
	p->pid = 0;
	CHECK(0, "cannot start %s: %s", argv[0], strerror(-err));
	return err;
}

/* VmHWM of @pid in KiB from /proc/PID/status, or -1. */
static inline long it_vmhwm_kb(pid_t pid)
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

/* it_finish with more to measure. With @vmhwm_kb, the child's VmHWM is read every
 * 50 ms while it runs and the largest kept there; with @ru, its rusage from wait4.
 * Without @kill_group, what is left in its process group (a command procmon
 * launched) is left to the test, unless the run timed out. */
static inline int it_finish_watched(struct it_proc *p, double timeout_s, bool kill_group,
				    long *vmhwm_kb, struct rusage *ru)
{
	double deadline = p->start_s + timeout_s;
	int status = 0;
	bool reaped = false;

	/* Never started: no wait (pid 0 is any child) and no kill (0 is our own group). */
	if (p->pid <= 0) {
		if (p->out_fd >= 0)
			close(p->out_fd);
		if (p->err_fd >= 0)
			close(p->err_fd);
		p->out_fd = p->err_fd = -1;
		p->status = -1;
		p->out = strdup("");
		p->err = strdup("");
		return -1;
	}
	for (;;) {
		double left = deadline - it_now_s();
		struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };
		int ms = (int)ceil(left * 1000);

		if (left <= 0) {
			p->timed_out = true;
			kill(-p->pid, SIGKILL);
			kill(p->pid, SIGKILL);
			break;
		}
		if (vmhwm_kb) {
			long kb = it_vmhwm_kb(p->pid);

			if (kb > *vmhwm_kb)
				*vmhwm_kb = kb;
			if (ms > 50)
				ms = 50;
		}
		if (p->pidfd >= 0) {
			if (poll(&pfd, 1, ms) > 0)
				break;
		} else {
			if (wait4(p->pid, &status, WNOHANG, ru) == p->pid) {
				reaped = true;
				break;
			}
			usleep(2000);
		}
	}
	while (!reaped && wait4(p->pid, &status, 0, ru) < 0 && errno == EINTR)
		;
	p->status = status;
	p->secs = it_now_s() - p->start_s;
	/* Whatever the command left in our group (a timed-out run) goes too. */
	if (kill_group || p->timed_out)
		kill(-p->pid, SIGKILL);
	p->out = it_read_fd_all(p->out_fd);
	p->err = it_read_fd_all(p->err_fd);
	if (p->pidfd >= 0)
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

/* Wait up to @timeout_s for @p; past it, SIGKILL its whole process group (procmon
 * and the command it launched) and mark it timed out. Collects the output.
 * Returns the wait status. */
static inline int it_finish(struct it_proc *p, double timeout_s)
{
	return it_finish_watched(p, timeout_s, true, NULL, NULL);
}

static inline void it_proc_free(struct it_proc *p)
{
	free(p->out);
	free(p->err);
	p->out = p->err = NULL;
}

/* Run @argv to the end (or @timeout_s), output captured into @p. */
static inline int it_run(struct it_proc *p, const char *const argv[], const struct it_spawn *how,
			 double timeout_s)
{
	int err = it_start(p, argv, how);

	if (err) {
		p->out = strdup("");
		p->err = strdup("");
		p->status = -1;
		return -1;
	}
	return it_finish(p, timeout_s);
}

/* Exit status as a shell shows it: the code, 128+N for signal N, -1 otherwise. */
static inline int it_exit_code(int status)
{
	if (status < 0)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* Lines in @text (a last line without '\n' counts). */
static inline int it_count_lines(const char *text)
{
	int n = 0;

	for (const char *p = text; *p; p++)
		if (*p == '\n' || !p[1])
			n++;
	return n;
}

/* Wait (up to 2 s) until the file at @path has @n lines: procmon is sampling. */
static inline void it_wait_lines(const char *path, int n)
{
	for (int i = 0; i < 200; i++) {
		char *text = it_read_file(path);
		int lines = text ? it_count_lines(text) : 0;

		free(text);
		if (lines >= n)
			return;
		usleep(10000);
	}
}

/* --------------------------------------------------------------- log files */

enum it_mark {
	IT_MARK_NONE,		/* a bare JSON line (jsonl): no marker */
	IT_MARK_PLAIN,		/* ProcessLoggingThread-JSON */
	IT_MARK_START,		/* ProcessLoggingThread-JSON-START */
	IT_MARK_STOP,		/* ProcessLoggingThread-JSON-STOP */
	IT_MARK_THREAD,		/* ProcessLoggingThread-THREAD (-t) */
};

struct it_log {
	int n;			/* parsed lines */
	json_object **obj;	/* one object per line, ours to put */
	enum it_mark *mark;
	int bad;		/* lines that were neither format, or not a JSON object */
	char first_bad[160];	/* the first of them, cut short */
};

#define IT_MARKER "ProcessLoggingThread-JSON"
#define IT_THREAD_MARKER "ProcessLoggingThread-THREAD"

/* Split a line into marker and JSON text: TotalDepth's `... - ProcessLoggingThread-JSON[-START|-STOP] {...}`
 * or a bare `{...}`. Returns the JSON text or NULL. */
static inline const char *it_split_line(const char *line, enum it_mark *mark)
{
	const char *m = strstr(line, IT_MARKER), *th = strstr(line, IT_THREAD_MARKER);

	if (*line == '{') {
		*mark = IT_MARK_NONE;
		return line;
	}
	if (th && th != line && (!m || th < m)) {
		*mark = IT_MARK_THREAD;
		m = th + strlen(IT_THREAD_MARKER);
		while (*m == ' ' || *m == '\t')
			m++;
		return *m ? m : NULL;
	}
	if (!m || m == line)
		return NULL;	/* TotalDepth's `.+?` wants a prefix */
	m += strlen(IT_MARKER);
	if (!strncmp(m, "-START", 6)) {
		*mark = IT_MARK_START;
		m += 6;
	} else if (!strncmp(m, "-STOP", 5)) {
		*mark = IT_MARK_STOP;
		m += 5;
	} else {
		*mark = IT_MARK_PLAIN;
	}
	while (*m == ' ' || *m == '\t')
		m++;
	return *m ? m : NULL;
}

static inline void it_log_free(struct it_log *log)
{
	for (int i = 0; i < log->n; i++)
		json_object_put(log->obj[i]);
	free(log->obj);
	free(log->mark);
	memset(log, 0, sizeof(*log));
}

/* Parse every line of @text into @log (which it resets). 0 or -ENOMEM. */
static inline int it_log_parse(const char *text, struct it_log *log)
{
	const char *p = text;
	int cap = 0;

	memset(log, 0, sizeof(*log));
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);
		enum it_mark mark = IT_MARK_NONE;
		const char *json;
		json_object *o = NULL;

		if (!line)
			return -ENOMEM;
		json = it_split_line(line, &mark);
		if (json) {
			json_tokener *tok = json_tokener_new();

			o = json_tokener_parse_ex(tok, json, (int)strlen(json));
			/* The whole rest of the line must be the one object. */
			if (o && (json_tokener_get_error(tok) != json_tokener_success ||
				  json_tokener_get_parse_end(tok) != strlen(json) ||
				  !json_object_is_type(o, json_type_object))) {
				json_object_put(o);
				o = NULL;
			}
			json_tokener_free(tok);
		}
		if (!o) {
			if (!log->bad++)
				snprintf(log->first_bad, sizeof(log->first_bad), "%s", line);
		} else {
			if (log->n == cap) {
				cap = cap ? cap * 2 : 64;
				log->obj = realloc(log->obj, sizeof(*log->obj) * (size_t)cap);
				log->mark = realloc(log->mark, sizeof(*log->mark) * (size_t)cap);
				if (!log->obj || !log->mark) {
					free(line);
					return -ENOMEM;
				}
			}
			log->obj[log->n] = o;
			log->mark[log->n++] = mark;
		}
		free(line);
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

/* Load the log at @path. 0, or -errno (cannot read it). */
static inline int it_log_load(const char *path, struct it_log *log)
{
	char *text = it_read_file(path);
	int err;

	memset(log, 0, sizeof(*log));
	if (!text)
		return -errno;
	err = it_log_parse(text, log);
	free(text);
	return err;
}

/* The value at dotted @path ("memory_info.pfaults") in @o, or NULL. */
static inline json_object *it_get(json_object *o, const char *path)
{
	char key[128];

	while (o && *path) {
		size_t len = strcspn(path, ".");

		if (len >= sizeof(key))
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, key, &o))
			return NULL;
		path += len + (path[len] == '.');
	}
	return o;
}

/* A number at @path as a double; NAN when missing or not a number. */
static inline double it_get_num(json_object *o, const char *path)
{
	json_object *v = it_get(o, path);

	if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return NAN;
	return json_object_get_double(v);
}

/* An integer at @path; @missing when absent or not an integer. */
static inline long long it_get_int(json_object *o, const char *path, long long missing)
{
	json_object *v = it_get(o, path);

	if (!v || !json_object_is_type(v, json_type_int))
		return missing;
	return (long long)json_object_get_int64(v);
}

/* A string at @path, or NULL. */
static inline const char *it_get_str(json_object *o, const char *path)
{
	json_object *v = it_get(o, path);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* The last line of @log for @pid (any marker), or NULL. */
static inline json_object *it_log_last(const struct it_log *log, pid_t pid)
{
	for (int i = log->n - 1; i >= 0; i--)
		if (it_get_int(log->obj[i], "pid", -1) == pid)
			return log->obj[i];
	return NULL;
}

static inline int it_log_count_mark(const struct it_log *log, enum it_mark mark)
{
	int n = 0;

	for (int i = 0; i < log->n; i++)
		n += log->mark[i] == mark;
	return n;
}

#define IT_MAX_IDS 64

struct it_bpf_ids {
	int progs[IT_MAX_IDS], n_progs;
	int links[IT_MAX_IDS], n_links;
};

/* The BPF programs and links @pid holds, from the fdinfo of its descriptors. */
static inline void it_bpf_ids_of(pid_t pid, struct it_bpf_ids *ids)
{
	char path[64], fdinfo[PATH_MAX + 80];
	struct dirent *de;
	DIR *dir;

	memset(ids, 0, sizeof(*ids));
	snprintf(path, sizeof(path), "/proc/%d/fdinfo", (int)pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		char *text, *at;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fdinfo, sizeof(fdinfo), "%s/%s", path, de->d_name);
		text = it_read_file(fdinfo);
		if (!text)
			continue;
		if ((at = strstr(text, "\nlink_id:")) && ids->n_links < IT_MAX_IDS)
			ids->links[ids->n_links++] = atoi(at + 9);
		else if ((at = strstr(text, "\nprog_id:")) && ids->n_progs < IT_MAX_IDS)
			ids->progs[ids->n_progs++] = atoi(at + 9);
		free(text);
	}
	closedir(dir);
}

/* `bpftool KIND list -j` parsed into an array; NULL if bpftool fails. */
static inline json_object *it_bpftool_list(const char *kind)
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
static inline int it_count_listed(json_object *list, const int *ids, int n, const char **names,
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
			if (names && *n_names < IT_MAX_IDS)
				names[(*n_names)++] = it_get_str(e, "name");
		}
	}
	return found;
}

/* The command line @pid's last exec line gave (NULL if it has none). */
static inline const char *it_exec_cmdline(const struct it_log *log, pid_t pid)
{
	const char *cmd = NULL;

	for (int i = 0; i < log->n; i++) {
		const char *event = it_get_str(log->obj[i], "event");

		if (event && !strcmp(event, "exec") && it_get_int(log->obj[i], "pid", -1) == pid)
			cmd = it_get_str(log->obj[i], "cmdline");
	}
	return cmd;
}

/* Unset for a run as root: with them procmon acts for the sudo user they name. */
static const char *const it_sudo_vars[] = { "SUDO_UID", "SUDO_GID", "SUDO_USER", "SUDO_COMMAND",
					    NULL };
static const struct it_spawn it_as_root = { .env_unset = it_sudo_vars };

/* @name in the directory @dir, in one of 8 buffers taken in turn (a test may hold
 * several paths at once). */
static inline const char *it_in_dir(const char *dir, const char *name)
{
	static char paths[8][PATH_MAX];
	static int next;
	char *path = paths[next++ % 8];

	snprintf(path, PATH_MAX, "%s/%s", dir, name);
	return path;
}

/* A fresh temporary directory (mode 0700) in @buf; false if none could be made. */
static inline bool it_tmpdir(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/procmon-it-XXXXXX");
	return mkdtemp(buf) != NULL;
}

/* rm -r of a directory made by it_tmpdir: plain files and links in it, then it. */
static inline void it_rmdir(const char *dir)
{
	const char *argv[] = { "rm", "-rf", "--", dir, NULL };
	struct it_proc p;

	if (strncmp(dir, "/tmp/procmon-it-", 16))
		return;		/* only what we made */
	it_run(&p, argv, NULL, 10);
	it_proc_free(&p);
}

static char it_public_dir[64];

static void it_public_cleanup(void)
{
	if (it_public_dir[0])
		it_rmdir(it_public_dir);
}

/* A copy of workload @name that any user can run: the build tree may sit in a
 * directory only root can enter (CI's clone, mktemp -d), and a command run as
 * the sudo user must still reach its binary. Removed at exit. */
static inline const char *it_public_workload(const char *name)
{
	static char copy[128];
	const char *argv[] = { "cp", it_workload(name), copy, NULL };
	struct it_proc p;

	if (!it_public_dir[0]) {
		if (!it_tmpdir(it_public_dir, sizeof(it_public_dir)))
			return it_workload(name);
		chmod(it_public_dir, 0755);
		atexit(it_public_cleanup);
	}
	snprintf(copy, sizeof(copy), "%s/%s", it_public_dir, name);
	it_run(&p, argv, NULL, 10);
	it_proc_free(&p);
	chmod(copy, 0755);
	return copy;
}

/* The first line of @text (for messages), cut to @size. */
static inline const char *it_first_line(const char *text, char *buf, size_t size)
{
	size_t len = strcspn(text, "\n");

	if (len >= size)
		len = size - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return buf;
}

/* ------------------------------------------------------------ traced runs */

/* @argv = procmon, then @args (NULL-terminated), cut to fit @max entries with the
 * NULL. Returns @argv. */
static inline const char **it_procmon_argv(const char **argv, int max, const char *const *args)
{
	int n = 0;

	argv[n++] = it_procmon();
	for (int i = 0; args[i] && n < max - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return argv;
}

/* What every traced run must give, checked once procmon @p has finished: it ended
 * within @timeout_s, with exit status @want_code (not checked if < 0: the test
 * looks at it itself), and left at @log_path a log of whole lines, loaded into
 * @log. False when any of it went wrong. */
static inline bool it_traced_log(const struct it_proc *p, double timeout_s, int want_code,
				 const char *log_path, struct it_log *log)
{
	int code = it_exit_code(p->status), err;
	char line[300];

	CHECK(!p->timed_out, "procmon still ran after %.0f s", timeout_s);
	if (want_code >= 0)
		CHECK(code == want_code, "procmon exit status: expected %d, got %d; stderr: %s",
		      want_code, code, it_first_line(p->err, line, sizeof(line)));
	err = it_log_load(log_path, log);
	CHECK(err == 0, "cannot read the log %s: %s", log_path, strerror(-err));
	CHECK(log->bad == 0, "%d unparseable log lines, first: %s", log->bad, log->first_bad);
	return !p->timed_out && (want_code < 0 || code == want_code) && !err;
}

/* Start procmon @args (NULL-terminated, after "procmon") @how. False, with the
 * failure recorded and @p's output empty, if it could not be started. */
static inline bool it_start_traced(struct it_proc *p, const char *const *args,
				   const struct it_spawn *how)
{
	const char *argv[128];

	if (!it_start(p, it_procmon_argv(argv, 128, args), how))
		return true;
	p->out = strdup("");
	p->err = strdup("");
	CHECK(0, "cannot start procmon");
	return false;
}

/* procmon @args started @how and run to the end, then it_traced_log. */
static inline bool it_run_traced(const char *const *args, const struct it_spawn *how,
				 double timeout_s, int want_code, const char *log_path,
				 struct it_log *log, struct it_proc *p)
{
	memset(log, 0, sizeof(*log));
	if (!it_start_traced(p, args, how))
		return false;
	it_finish(p, timeout_s);
	return it_traced_log(p, timeout_s, want_code, log_path, log);
}

#endif /* PROCMON_ITEST_H */
