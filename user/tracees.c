// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The ptrace side of a run: seize, and one waitpid(-1) loop for every stop and
 * exit of a tracee (no other waitpid may take them: any thread's wait would). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "clock.h"
#include "proc.h"
#include "events.h"
#include "sampling.h"
#include "session.h"
#include "targets.h"
#include "tracees.h"

/* The value of a pidmap used as a set (held, seized): "present". */
#define IN_SET ((void *)1)

void tracees_block_sigchld(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

int tracees_init(struct session *s)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	s->sigchld_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->sigchld_fd < 0)
		return -errno;
	ev.data.u64 = SESSION_EPOLL_KEY(SESSION_TAG_CHILD, 0);
	return epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->sigchld_fd, &ev) ? -errno : 0;
}

static long seize_options(const struct session *s)
{
	long opts = PTRACE_O_TRACEEXEC | PTRACE_O_TRACECLONE;

	/* No EXITKILL: if procmon dies, the kernel lets its tracees go on. */
	if (s->cfg.follow_children)
		opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
	return opts;
}

int tracees_seize(struct session *s, pid_t pid)
{
	if (ptrace(PTRACE_SEIZE, pid, 0, seize_options(s)))
		return -errno;
	s->ptrace_on = true;
	return pidmap_put(&s->seized, pid, IN_SET);
}

int tracees_seize_running(struct session *s, pid_t pid)
{
	pid_t *tids;
	int pass, i, n;

	if (ptrace(PTRACE_SEIZE, pid, 0, seize_options(s)))
		return -errno;
	/* Every thread, twice: one created during the first pass is in the second
	 * (later ones are attached at birth, TRACECLONE). */
	for (pass = 0; pass < 2; pass++) {
		n = proc_thread_ids(pid, &tids);
		for (i = 0; i < n; i++)
			if (tids[i] != pid)
				ptrace(PTRACE_SEIZE, tids[i], 0, seize_options(s));
		if (n >= 0)
			free(tids);
	}
	s->ptrace_on = true;
	return pidmap_put(&s->seized, pid, IN_SET);
}

bool tracees_is_tracee(struct session *s, pid_t pid)
{
	struct target *parent;
	pid_t ppid;

	if (pidmap_get(&s->seized, pid))
		return true;
	/* A child of a tracee is one from birth with -c (TRACEFORK). */
	if (!s->ptrace_on || !s->cfg.follow_children || !s->tracing ||
	    !(ppid = tracer_parent(&s->tracer, pid)))
		return false;
	parent = targets_find(s, ppid);
	return parent && parent->ptraced;
}

void tracees_note_hold(struct session *s, pid_t tid)
{
	pidmap_put(&s->held, tid, IN_SET);
}

/* A fork the ring buffer had no room for: ptrace cannot lose it. */
static void add_child(struct session *s, pid_t child, double at_s)
{
	struct target *t = targets_find(s, child);

	if (t && !t->finished)
		return;
	if (tracer_add(&s->tracer, child, 0, false))
		return;
	s->forks_recovered++;
	targets_add(s, child, false, at_s);
}

/* A new tracee's first stop, before its first instruction: a process is a
 * target from here on, even if its parent's fork event is still to come (or was
 * lost), so its exit cannot come first. */
static void on_first_stop(struct session *s, pid_t tid)
{
	struct target *t;

	/* Its start event (label uprobes of its own before it runs) and its fork. */
	events_consume(s);
	t = targets_find(s, tid);
	if ((t && !t->finished) || syscall(SYS_tgkill, tid, tid, 0))
		return;	/* known, or a thread */
	add_child(s, tid, mono_now_s());
}

/* A thread stopped at an exec: probe the new program before it runs. */
static void on_exec_stop(struct session *s, pid_t tid)
{
	char exe[64];

	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)tid);
	labels_exec(&s->labels, tid);
	labels_probe_file(&s->labels, tid, exe);
}

/* A child whose exit procmon has collected before its parent's fork stop (its
 * target may be retired): a zombie its stopped parent cannot have reaped. */
static bool exited_already(unsigned long pid)
{
	char path[64], buf[1024];
	struct proc_stat st;

	snprintf(path, sizeof(path), "/proc/%lu/stat", pid);
	return proc_read_file(path, buf, sizeof(buf)) <= 0 || proc_parse_stat(buf, &st) ||
	       st.state == 'Z';
}

/* A ptrace-event stop: resumed with 0, never a signal. */
static void on_event_stop(struct session *s, pid_t tid, int event)
{
	unsigned long msg = 0;

	switch (event) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		if (!s->tracing || ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg)) {
			ptrace(PTRACE_CONT, tid, 0, 0);
			break;
		}
		/* The parent goes on at once: the child is held at its own first
		 * stop, and its PID is ours until procmon collects its exit. */
		ptrace(PTRACE_CONT, tid, 0, 0);
		events_consume(s);	/* its fork event first: it adds the child */
		/* A clone is a process if it leads a thread group of its own. */
		if (event != PTRACE_EVENT_CLONE ||
		    syscall(SYS_tgkill, (pid_t)msg, (pid_t)msg, 0) == 0) {
			/* Its first stop may have come (and its exit gone) already;
			 * its PID is no one else's yet (the pid space cycles first). */
			if (!targets_find(s, (pid_t)msg) && !exited_already(msg))
				add_child(s, (pid_t)msg, mono_now_s());
		}
		break;
	case PTRACE_EVENT_EXEC:
		if (s->tracing)
			on_exec_stop(s, tid);
		ptrace(PTRACE_CONT, tid, 0, 0);
		break;
	default:
		ptrace(PTRACE_CONT, tid, 0, 0);
	}
}

static int is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Resume @tid from the stop @status says it is in. */
static void on_stop(struct session *s, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;

	if (event == PTRACE_EVENT_STOP) {
		/* A real group-stop stays one (its parent and SIGCONT see it);
		 * anything else (a new tracee's first stop) goes on. */
		if (is_stop_signal(sig)) {
			ptrace(PTRACE_LISTEN, tid, 0, 0);
			return;
		}
		if (sig == SIGTRAP && s->tracing && !s->labels.n_links) {
			/* No uprobe anywhere: none to attach before it runs, so it
			 * goes on at once and its START line is written after. */
			ptrace(PTRACE_CONT, tid, 0, 0);
			on_first_stop(s, tid);
			return;
		}
		if (sig == SIGTRAP && s->tracing)
			on_first_stop(s, tid);
		ptrace(PTRACE_CONT, tid, 0, 0);
		return;
	}
	if (event) {
		on_event_stop(s, tid, event);
		return;
	}
	if (sig == SIGURG || sig == SIGSTOP) {
		/* Its map event sits in the ring buffer: read it (the probe), then
		 * the hold is over and our signal goes. */
		if (!pidmap_get(&s->held, tid))
			events_consume(s);
		if (pidmap_get(&s->held, tid)) {
			pidmap_del(&s->held, tid);
			ptrace(PTRACE_CONT, tid, 0, 0);
			return;
		}
	}
	ptrace(PTRACE_CONT, tid, 0, sig);	/* every other signal, unchanged */
}

/* The wait status of the exit siginfo @si describes. */
static int exit_status_of(const siginfo_t *si)
{
	if (si->si_code == CLD_EXITED)
		return (si->si_status & 0xff) << 8;
	return (si->si_status & 0x7f) | (si->si_code == CLD_DUMPED ? 0x80 : 0);
}

/* @pid has exited and is not released yet (its /proc is still there, its PID
 * not reusable): write its STOP line with its real status, then release it. */
static int on_tracee_exit(struct session *s, const siginfo_t *si)
{
	struct target *t = targets_find(s, si->si_pid);
	int status = 0;
	pid_t r;

	if (!t && s->tracing) {
		events_consume(s);
		t = targets_find(s, si->si_pid);
	}
	if (t && !t->finished && t->ptraced && s->tracing) {
		events_consume(s);	/* its labels come before its STOP line */
		t->have_exit_code = true;
		t->exit_code = exit_status_of(si);
		targets_finish(s, t, NULL);
	} else if (t && !t->finished && t->ptraced) {
		t->have_exit_code = true;
		t->exit_code = exit_status_of(si);
	}
	do
		r = waitpid(si->si_pid, &status, __WALL | WNOHANG);
	while (r < 0 && errno == EINTR);
	pidmap_del(&s->held, si->si_pid);
	if (r == si->si_pid && si->si_pid == s->launched_pid) {
		s->launched_reaped = true;
		s->launched_status = status;
	}
	return s->log.err;
}

/* One stop or exit, waiting for it if @block. 1 if one was handled, 0 if none
 * is waiting, -errno. */
static int handle_one(struct session *s, bool block)
{
	siginfo_t si = { 0 };
	int status, flags = WEXITED | WSTOPPED | __WALL | WNOWAIT | (block ? 0 : WNOHANG);
	pid_t r;

	/* Peek first: an exited target is read before it is released. */
	if (waitid(P_ALL, 0, &si, flags))
		return errno == ECHILD ? 0 : -errno;
	if (!si.si_pid)
		return 0;
	if (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
		return on_tracee_exit(s, &si) ? s->log.err : 1;
	r = waitpid(si.si_pid, &status, __WALL | WNOHANG);
	if (r == si.si_pid && WIFSTOPPED(status))
		on_stop(s, r, status);
	return 1;
}

int tracees_drain(struct session *s)
{
	struct signalfd_siginfo ssi;
	int n;

	while (read(s->sigchld_fd, &ssi, sizeof(ssi)) > 0)
		;
	if (!s->ptrace_on)
		return 0;	/* no tracee: a helper's exit, its own waitpid reaps it */
	do
		n = handle_one(s, false);
	while (n > 0);
	return n < 0 && n != -EINTR ? n : 0;
}

void tracees_wait_launched(struct session *s)
{
	sigset_t stops, old;
	int n;

	if (!s->launched_pid || s->launched_reaped)
		return;
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_UNBLOCK, &stops, &old);
	while (!*s->stop_signal && !s->launched_reaped)
		if ((n = handle_one(s, true)) < 0 && n != -EINTR)
			break;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void tracees_close(struct session *s)
{
	if (s->sigchld_fd >= 0)
		close(s->sigchld_fd);
	s->sigchld_fd = -1;
	pidmap_free(&s->held);
	pidmap_free(&s->seized);
}
