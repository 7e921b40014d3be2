// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Adds and finishes targets: a pidfd and the /proc files of each, opened so a
 * reused PID cannot slip in, and its first and last lines. */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cgroup_run.h"
#include "clock.h"
#include "pidfd.h"
#include "pidmap.h"
#include "sampling.h"
#include "session.h"
#include "targets.h"
#include "tracees.h"

struct target *targets_find(const struct session *s, pid_t pid)
{
	/* The newest with that PID: a PID reused (or a process back in the cgroup)
	 * is the live one. */
	return pidmap_get(&s->by_pid, pid);
}

/* The process's creation time on CLOCK_MONOTONIC, from /proc's boot-time ticks. */
static double start_time_mono(const struct session *s, const struct target *t)
{
	double since_boot = (double)t->stat.starttime / (double)s->ticks_per_s;

	return since_boot - (boot_now_s() - mono_now_s());
}

/* A new zeroed target at the end of the table, or NULL. */
static struct target *new_target(struct session *s)
{
	struct target *t;

	if (s->n_targets == s->cap_targets) {
		int cap = s->cap_targets ? s->cap_targets * 2 : 16;
		struct target **grown = realloc(s->targets, sizeof(*grown) * (size_t)cap);

		if (!grown)
			return NULL;
		s->targets = grown;
		s->cap_targets = cap;
	}
	/* Targets never move: event callbacks may add one while a caller holds another. */
	t = calloc(1, sizeof(*t));
	if (t)
		s->targets[s->n_targets++] = t;
	return t;
}

int targets_add(struct session *s, pid_t pid, bool launched, double start_mono_s)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct target *t = new_target(s);
	pid_t ppid;
	int err;

	if (!t)
		return -ENOMEM;
	t->pid = pid;
	t->launched = launched;
	phases_init(&t->phases);
	t->pf.stat_fd = t->pf.io_fd = -1;
	t->pidfd = -1;
	if (pidmap_put(&s->by_pid, pid, t))
		return -ENOMEM;	/* in the table, closed and freed with it */
	/* A tracee cannot be released (nor its PID reused) before procmon has
	 * collected its exit: no pidfd, so no descriptor per child. */
	t->ptraced = tracees_is_tracee(s, pid);
	/* pidfd first, /proc second: if the pidfd still names a live process after
	 * the files are open, the files belong to that process, not a reused PID. */
	if (!t->ptraced) {
		t->pidfd = procmon_pidfd_open(pid, 0);
		/* Out of descriptors is not "gone": its BPF exit event ends it. */
		t->await_exit_event = t->pidfd < 0 && (errno == EMFILE || errno == ENFILE);
	}
	if ((t->ptraced || t->pidfd >= 0 || t->await_exit_event) && proc_open(&t->pf, pid) == 0 &&
	    (t->ptraced || t->await_exit_event ||
	     syscall(SYS_pidfd_send_signal, t->pidfd, 0, NULL, 0) == 0) &&
	    proc_read(&t->pf, &t->stat) == 0) {
		t->have_stat = true;
		t->ppid = t->stat.ppid;
		t->start_mono_s = start_mono_s ? start_mono_s : start_time_mono(s, t);
		t->cmdline = proc_cmdline(pid, &t->cmdline_truncated);
	} else {
		t->start_mono_s = start_mono_s ? start_mono_s : mono_now_s();
	}
	/* The parent as the tracer recorded it (the fork hook's, for a child): /proc
	 * says ppid 0 for a child reaped before its fork event was read, or has no file. */
	ppid = s->tracing ? tracer_parent(&s->tracer, pid) : 0;
	if (ppid)
		t->ppid = ppid;
	if (s->cgroup)
		t->cgroup = cgroup_run_path_of(s, pid);
	/* A process traced from its creation: its first phase starts there. */
	t->traced_since_s = start_mono_s ? 0 : mono_now_s() - t->start_mono_s;
	if (t->pidfd < 0 && !t->ptraced && !t->await_exit_event)
		s->gone_unfinished = true;
	s->n_awaiting_exit += t->await_exit_event;
	if (t->pidfd >= 0) {
		ev.data.u64 = SESSION_EPOLL_KEY(SESSION_TAG_PIDFD, pid);
		if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, t->pidfd, &ev))
			return -errno;
	}
	s->live++;
	err = sample_write(s, t, LOGLINE_START, NULL, NULL);
	if (s->tracing)
		tracer_tick_list_add(&s->tracer, pid);	/* -i below 10 ms */
	phases_start(&t->phases, t->traced_since_s, t->last.rss_bytes);
	return err;
}

/* Our own command has exited: read its zombie's /proc files, then reap it. */
static void reap_launched(struct session *s, struct target *t)
{
	int status = 0;

	if (!t->launched || s->launched_reaped || t->pidfd < 0 ||
	    waitid(P_PIDFD, (id_t)t->pidfd, &(siginfo_t){0}, WEXITED | WNOHANG | WNOWAIT))
		return;
	sample_take(s, t, &(struct sample){0}, true);
	if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
		s->launched_reaped = true;
		s->launched_status = status;
		t->have_exit_code = true;
		t->exit_code = status;
	}
}

int targets_finish(struct session *s, struct target *t, const struct log_event *ev)
{
	struct log_event exit_ev = { .kind = LOG_EVENT_EXIT, .have_status = true };
	int err;

	if (t->finished)
		return 0;
	reap_launched(s, t);
	t->end_mono_s = mono_now_s();
	if (!ev && t->have_exit_code) {
		exit_ev.status = t->exit_code;
		ev = &exit_ev;
	}
	err = sample_write(s, t, LOGLINE_STOP, ev, NULL);
	/* The last phase ends as the STOP line says: its time and at_stop. */
	phases_finish(&t->phases, t->last.elapsed_s, &t->at_stop);
	t->finished = true;
	s->live--;
	s->n_awaiting_exit -= t->await_exit_event;
	s->n_finished_in_table++;
	if (t->pidfd >= 0) {
		epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, t->pidfd, NULL);
		close(t->pidfd);
		t->pidfd = -1;
	}
	proc_close(&t->pf);
	if (s->tracing) {
		labels_forget(&s->labels, t->pid);	/* its uprobes go with it */
		tracer_remove(&s->tracer, t->pid);
	}
	return err;
}

static void target_free(struct target *t)
{
	if (t->pidfd >= 0)
		close(t->pidfd);
	proc_close(&t->pf);
	free(t->cmdline);
	free(t->cgroup);
	phases_free(&t->phases);
	free(t);
}

void targets_retire_finished(struct session *s)
{
	int i, kept = 0;

	if (!s->n_finished_in_table ||
	    (unsigned long)s->n_targets + s->retired.n <= TARGETS_SUMMARY_ROWS)
		return;
	for (i = 0; i < s->n_targets; i++) {
		struct target *t = s->targets[i];

		if (!t->finished || t->launched || t->attached) {
			s->targets[kept++] = t;
			continue;
		}
		retired_add(&s->retired, t);
		cgroup_run_retire(s, t);
		if (pidmap_get(&s->by_pid, t->pid) == t)
			pidmap_del(&s->by_pid, t->pid);
		target_free(t);
	}
	s->n_targets = kept;
	s->n_finished_in_table = 0;
}

void targets_free(struct session *s)
{
	int i;

	for (i = 0; i < s->n_targets; i++)
		target_free(s->targets[i]);
	free(s->targets);
	pidmap_free(&s->by_pid);
	s->targets = NULL;
	s->n_targets = s->cap_targets = 0;
}
