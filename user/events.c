// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reads the ring buffer: forks add targets (-c), exits give their status, execs,
 * code mappings and -c children's starts get label probes, labels and OOM kills
 * get their lines. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "cgroup_run.h"
#include "clock.h"
#include "events.h"
#include "launch.h"
#include "macros.h"
#include "sampling.h"
#include "session.h"
#include "status.h"
#include "targets.h"
#include "tracees.h"

static void on_fork_event(struct session *s, const void *data)
{
	const struct procmon_event_fork *ev = data;
	struct log_event fork = { .kind = LOG_EVENT_FORK, .child_pid = (pid_t)ev->child_pid };
	struct target *t;

	t = targets_find(s, (pid_t)ev->head.pid);
	if (t && !t->finished)
		sample_write(s, t, LOGLINE_PLAIN, &fork, NULL);
	t = targets_find(s, (pid_t)ev->child_pid);
	if (t && !t->finished)
		return;
	if (s->cgroup && !cgroup_run_admit_child(s, (pid_t)ev->child_pid, (pid_t)ev->head.pid))
		return;
	if (targets_add(s, (pid_t)ev->child_pid, false, (double)ev->head.ts_ns / 1e9))
		return;
	t = targets_find(s, (pid_t)ev->child_pid);
	t->ppid = (pid_t)ev->head.pid;
	/* Gone and reaped already (no pidfd): its exit event is further on in the
	 * ring buffer; events_consume() finishes it once that has been read. */
}

static void on_exit_event(struct session *s, const void *data)
{
	const struct procmon_event_exit *ev = data;
	struct target *t = targets_find(s, (pid_t)ev->head.pid);

	if (!t || t->have_exit_code)
		return;
	t->have_exit_code = true;
	t->exit_code = (int)ev->exit_code;
	if (t->await_exit_event)
		s->gone_unfinished = true;	/* finished once this read is done */
}

static void on_exec_event(struct session *s, const void *data)
{
	const struct procmon_event_exec *ev = data;
	struct target *t = targets_find(s, (pid_t)ev->head.pid);
	struct log_event exec = { .kind = LOG_EVENT_EXEC };
	char exe[64];

	snprintf(exe, sizeof(exe), "/proc/%u/exe", ev->head.pid);
	labels_exec(&s->labels, (pid_t)ev->head.pid);
	labels_probe_file(&s->labels, (pid_t)ev->head.pid, exe);
	if (ev->stopped == PROCMON_HOLD_SIGSTOP)
		hold_release(ev->head.pid);
	if (!t || t->finished)
		return;
	if (t->launched && !t->seen_exec) {
		t->seen_exec = true;	/* our own exec of the command: not news */
		return;
	}
	free(t->cmdline);
	t->cmdline = proc_cmdline(t->pid, &t->cmdline_truncated);
	exec.cmdline = t->cmdline;
	exec.cmdline_truncated = t->cmdline_truncated;
	sample_write(s, t, LOGLINE_PLAIN, &exec, NULL);
}

static void on_label_event(struct session *s, const void *data)
{
	const struct procmon_event_label *raw = data;
	struct target *t = targets_find(s, (pid_t)raw->head.pid);
	char text[LABEL_TEXT_SIZE];
	struct log_label label;

	if (!t && targets_add(s, (pid_t)raw->head.pid, false, 0) == 0)
		t = targets_find(s, (pid_t)raw->head.pid);
	if (!t)
		return;
	labels_decode(&s->labels, raw, text, &label);
	label.elapsed_s = (double)raw->head.ts_ns / 1e9 - t->start_mono_s;
	/* Counters at labels never go back from one label to the next. */
	keep_monotonic(&label.at, &t->last_at);
	t->last_at = label.at;
	sample_write(s, t, LOGLINE_PLAIN, NULL, &label);
	phases_label(&t->phases, label.text, label.elapsed_s, &label.at);
	if (s->status)
		status_label(s->status, label.text);
}

static void on_oom_event(struct session *s, const void *data)
{
	const struct procmon_event_oom *ev = data;
	static const struct log_event oom = { .kind = LOG_EVENT_OOM };
	struct target *t = targets_find(s, (pid_t)ev->head.pid);

	if (!t || t->finished)
		return;
	sample_write(s, t, LOGLINE_PLAIN, &oom, NULL);
}

/* After tracing stopped: only let go of a task that an event says BPF holds
 * (SIGSTOP at an exec or a code mapping); nothing is logged or probed any more. */
static int release_held(struct session *s, const struct procmon_event_head *h, size_t size)
{
	if ((h->kind == PROCMON_EV_EXEC && size >= sizeof(struct procmon_event_exec) &&
	     ((const struct procmon_event_exec *)h)->stopped == PROCMON_HOLD_SIGSTOP) ||
	    (h->kind == PROCMON_EV_MAP && size >= sizeof(struct procmon_event_map) &&
	     ((const struct procmon_event_map *)h)->stopped == PROCMON_HOLD_SIGSTOP) ||
	    (h->kind == PROCMON_EV_START && size >= sizeof(struct procmon_event_start) &&
	     ((const struct procmon_event_start *)h)->stopped == PROCMON_HOLD_SIGSTOP) ||
	    (h->kind == PROCMON_EV_LEADER_EXIT &&
	     size >= sizeof(struct procmon_event_leader_exit) &&
	     ((const struct procmon_event_leader_exit *)h)->stopped == PROCMON_HOLD_SIGSTOP))
		hold_release((pid_t)h->pid);
	if (h->kind == PROCMON_EV_MAP && size >= sizeof(struct procmon_event_map) &&
	    ((const struct procmon_event_map *)h)->stopped == PROCMON_HOLD_PTRACE)
		tracees_note_hold(s, (pid_t)h->tid);
	return 0;
}

static void on_map_event(struct session *s, const void *data)
{
	const struct procmon_event_map *m = data;

	labels_on_map(&s->labels, (pid_t)m->head.pid, m->fd);
	if (m->stopped == PROCMON_HOLD_SIGSTOP)
		hold_release((pid_t)m->head.pid);
	else if (m->stopped == PROCMON_HOLD_PTRACE)
		tracees_note_hold(s, (pid_t)m->head.tid);	/* its stop: resumed, signal dropped */
}

/* A -c child of a process with uprobes, held before its first instruction: it
 * maps what its parent did; uprobes of its own before it runs. */
static void on_start_event(struct session *s, const void *data)
{
	const struct procmon_event_start *ev = data;

	labels_scan_process(&s->labels, (pid_t)ev->head.pid);
	if (ev->stopped == PROCMON_HOLD_SIGSTOP)
		hold_release((pid_t)ev->head.pid);
}

static void on_leader_exit_event(struct session *s, const void *data)
{
	const struct procmon_event_leader_exit *ev = data;

	labels_main_thread_exited(&s->labels, (pid_t)ev->head.pid);
	if (ev->stopped == PROCMON_HOLD_SIGSTOP)
		hold_release((pid_t)ev->head.pid);
}

/* Samples older than this when read, or read while procmon has spent more than
 * TICK_SHARE of its run writing them: it cannot keep up (hundreds of targets at
 * 1 kHz). They are skipped, and counted, until it has caught up: events are still
 * read in order, and a -c child held by ptrace waits on procmon, not on samples. */
#define TICK_LAG_MAX_S 0.2
#define TICK_SHARE 0.5

/* A sample the kernel's timer took of one target (-i below 10 ms). */
static void on_tick_event(struct session *s, const void *data)
{
	const struct procmon_event_tick *ev = data;
	struct target *t = targets_find(s, (pid_t)ev->head.pid);
	double ts = (double)ev->head.ts_ns / 1e9, now;

	/* Every sample up to here has been read: lines stamped up to it can go. */
	if (ts + s->wall_minus_mono_s > s->ticks_read_wall_s)
		s->ticks_read_wall_s = ts + s->wall_minus_mono_s;
	/* Older than a line written since (an event's, read when it was handled):
	 * that line is the fresher sample, and the log's times only go forward.
	 * After its exit event: its STOP line comes, with the last counters. */
	if (!t || t->finished || t->have_exit_code || ts <= t->sampled_s)
		return;
	now = mono_now_s();
	if (now - ts > TICK_LAG_MAX_S ||
	    s->tick_busy_s > TICK_SHARE * (now - s->t0_mono_s) + TICK_LAG_MAX_S) {
		s->ticks_dropped++;
		return;
	}
	s->tick = ev;
	sample_periodic(s, t);	/* a write error stays in s->log.err */
	s->tick = NULL;
	s->tick_busy_s += mono_now_s() - now;
}

/* The timer's sample has every target's line. */
static void on_tick_end_event(struct session *s, const void *data)
{
	(void)data;
	sample_done(s);
}

/* What each kind of event is for, and the least size it comes in. */
static const struct {
	size_t size;
	void (*handle)(struct session *s, const void *ev);
} handlers[] = {
	[PROCMON_EV_EXIT] = { sizeof(struct procmon_event_exit), on_exit_event },
	[PROCMON_EV_FORK] = { sizeof(struct procmon_event_fork), on_fork_event },
	[PROCMON_EV_EXEC] = { sizeof(struct procmon_event_exec), on_exec_event },
	[PROCMON_EV_LABEL] = { sizeof(struct procmon_event_label), on_label_event },
	[PROCMON_EV_MAP] = { sizeof(struct procmon_event_map), on_map_event },
	[PROCMON_EV_OOM] = { sizeof(struct procmon_event_oom), on_oom_event },
	[PROCMON_EV_CGROUP] = { sizeof(struct procmon_event_cgroup), cgroup_run_on_event },
	[PROCMON_EV_START] = { sizeof(struct procmon_event_start), on_start_event },
	[PROCMON_EV_LEADER_EXIT] = { sizeof(struct procmon_event_leader_exit),
				     on_leader_exit_event },
	[PROCMON_EV_TICK] = { sizeof(struct procmon_event_tick), on_tick_event },
	[PROCMON_EV_TICK_END] = { sizeof(struct procmon_event_head), on_tick_end_event },
};

/* Ring-buffer callback: events arrive in the order the kernel produced them. */
static int on_event(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;
	const struct procmon_event_head *h = data;

	if (size < sizeof(*h))
		return 0;
	if (!s->tracing)
		return release_held(s, h, size);
	if (h->kind < ARRAY_SIZE(handlers) && handlers[h->kind].handle &&
	    size >= handlers[h->kind].size)
		handlers[h->kind].handle(s, data);
	return s->log.err ? s->log.err : 0;
}

struct ring_buffer *events_open(struct session *s)
{
	return ring_buffer__new(tracer_events_fd(&s->tracer), on_event, s, NULL);
}

/* Children that were gone before their fork event was read (no pidfd): their
 * exit event sat behind the fork event and has been consumed by now, so their
 * STOP line can say the exit status (or just "exit" if the event was lost).
 * Also those without a pidfd for want of descriptors, whose exit event came. */
static void finish_gone_children(struct session *s)
{
	static const struct log_event exit_unknown = { .kind = LOG_EVENT_EXIT };
	int i;

	/* Only when targets_add met one: a scan per read would cost O(targets). */
	if (!s->gone_unfinished)
		return;
	s->gone_unfinished = false;
	for (i = 0; i < s->n_targets; i++) {
		struct target *t = s->targets[i];

		if (t->finished || t->pidfd >= 0 || t->ptraced)
			continue;
		/* Without a pidfd for want of descriptors: gone once its exit event
		 * came, or (that event lost) once the PID is. */
		if (t->await_exit_event && !t->have_exit_code && kill(t->pid, 0) == 0)
			continue;
		targets_finish(s, t, t->have_exit_code ? NULL : &exit_unknown);
	}
}

int events_consume(struct session *s)
{
	int n;

	if (!s->rb || s->consuming)
		return 0;
	s->consuming = true;
	n = ring_buffer__consume(s->rb);
	finish_gone_children(s);	/* still "consuming": no nested consume */
	s->consuming = false;
	return n < 0 ? n : 0;
}
