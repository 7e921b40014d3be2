// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The event loop of a run: a timerfd on an absolute schedule for samples, the ring
 * buffer for labels and lifecycle events, a pidfd per target for its exit. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "clock.h"
#include "events.h"
#include "fail.h"
#include "sampling.h"
#include "session.h"
#include "status.h"
#include "children_scan.h"
#include "summary_tree.h"
#include "tracees.h"

/* Epoll, the timer and the ring buffer around an opened tracer. 0 or -errno. */
/* Below this interval, lines are gathered for this long and written at once. */
#define LOG_GATHER_S 0.01
/* ...and the kernel's timer takes the samples, read this often: a wake-up and a
 * /proc read cost ~90 µs here, 100 a second were most of procmon's 1 kHz cost. */
#define TICK_DRAIN_S 0.05

static int init_loop(struct session *s)
{
	struct epoll_event ev = { .events = EPOLLIN };

	s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (s->epoll_fd < 0 || s->timer_fd < 0)
		return -errno;
	s->rb = events_open(s);
	if (!s->rb)
		return -errno;
	s->tracing = true;
	labels_init(&s->labels, tracer_label_prog, &s->tracer, tracer_probed_fd(&s->tracer),
		    s->cfg.marks, s->cfg.n_marks, s->cfg.verbose);
	s->labels.plain_files_fd = tracer_plain_files_fd(&s->tracer);
	ev.data.u64 = SESSION_EPOLL_KEY(SESSION_TAG_EVENTS, 0);
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, ring_buffer__epoll_fd(s->rb), &ev))
		return -errno;
	ev.data.u64 = SESSION_EPOLL_KEY(SESSION_TAG_TIMER, 0);
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->timer_fd, &ev))
		return -errno;
	return 0;
}

/* Below 10 ms the timer's samples share the event buffer, ~450 bytes a target a
 * tick until user space reads them: room for 4 MiB of them, not the 256K events
 * alone need (with 20 targets at 1 kHz that held 13 ms and half the samples were
 * skipped while user space was busy with the children's starts). */
#define TICKING_RINGBUF_BYTES (4ul << 20)

static unsigned long ringbuf_bytes(const struct session_config *cfg)
{
	if (cfg->interval_s < LOG_GATHER_S && cfg->ringbuf_bytes < TICKING_RINGBUF_BYTES)
		return TICKING_RINGBUF_BYTES;
	return cfg->ringbuf_bytes;
}

int session_start(struct session *s, const struct session_config *cfg, int log_fd,
		  volatile sig_atomic_t *stop_signal)
{
	const char *stage;
	char what[64];
	int err;

	memset(s, 0, sizeof(*s));
	s->epoll_fd = s->timer_fd = s->sigchld_fd = -1;
	s->cfg = *cfg;
	s->stop_signal = stop_signal;
	err = tracer_open(&s->tracer, cfg->follow_children, ringbuf_bytes(cfg), cfg->cgroup_id,
			  cfg->light, cfg->verbose, &stage);
	if (err) {
		snprintf(what, sizeof(what), "cannot %s", stage);
		if (err == -EMFILE || err == -ENFILE)
			fail_line(stderr, what, "too many open files", "raise ulimit -n");
		else
			fail(what, err, cfg->verbose ? NULL : "run with -v for libbpf's messages");
		return err;
	}
	s->ticks_per_s = sysconf(_SC_CLK_TCK);
	s->cpu_count = (int)sysconf(_SC_NPROCESSORS_ONLN);
	s->t0_mono_s = mono_now_s();
	logwriter_init(&s->log, log_fd, cfg->format);
	if (cfg->interval_s < LOG_GATHER_S)
		logwriter_batch(&s->log, LOG_GATHER_S);
	s->line_cache = logformat_cache_new();	/* NULL: each line builds its own */
	/* The kernel timer's program is in the extra object: loaded before the
	 * command starts, not as its first samples are due (arm_timer). */
	if (cfg->interval_s < LOG_GATHER_S)
		tracer_ticker_prepare(&s->tracer);	/* failed: a user-space timer */
	err = init_loop(s);
	if (!err)
		err = tracees_init(s);
	if (err)
		fail("cannot set up the event loop", err, NULL);
	return err;
}

void session_set_log(struct session *s, int log_fd)
{
	logwriter_init(&s->log, log_fd, s->cfg.format);
	if (s->cfg.interval_s < LOG_GATHER_S)
		logwriter_batch(&s->log, LOG_GATHER_S);
}

/* For the kernel timer's samples, stamped on CLOCK_MONOTONIC. */
static void note_wall_clock(struct session *s)
{
	struct timespec wall;

	clock_gettime(CLOCK_REALTIME, &wall);
	s->wall_minus_mono_s = (double)wall.tv_sec + wall.tv_nsec / 1e9 - mono_now_s();
}

/* Samples fall at t0 + k * interval, whatever a sample costs: the kernel's
 * periodic timer keeps an absolute schedule (no drift), like clock_nanosleep
 * with TIMER_ABSTIME; a late wake-up shows as expirations > 1. */
static int arm_timer(struct session *s)
{
	double interval = s->cfg.interval_s;
	struct itimerspec its;

	/* Below 10 ms the kernel's timer samples (~0.3% of a core at 1 kHz, where
	 * a user-space timer's wake-ups alone cost ~2%): this one drains them. */
	if (interval < LOG_GATHER_S && s->tracing && !getenv("PROCMON_USER_TIMER")) {
		note_wall_clock(s);
		s->ticking = tracer_ticker(&s->tracer, s->t0_mono_s + interval, interval) == 0;
		if (s->ticking) {
			interval = TICK_DRAIN_S;
			/* Written at each drain, sorted by time: an event's line is read
			 * after the samples of other targets the kernel took meanwhile. */
			logwriter_batch(&s->log, 2 * TICK_DRAIN_S);
		}
	}
	its.it_value = seconds_to_timespec(s->t0_mono_s + interval);
	its.it_interval = seconds_to_timespec(interval);
	return timerfd_settime(s->timer_fd, TFD_TIMER_ABSTIME, &its, NULL) ? -errno : 0;
}

/* @t has exited, or the run ends: its labels and exit event may still sit in
 * the ring buffer, and come before its STOP line. */
static int finish_after_events(struct session *s, struct target *t)
{
	if (t->finished)
		return 0;
	events_consume(s);
	return targets_finish(s, t, NULL);
}

/* A code mapping the ring buffer had no room to report (sample_take saw the
 * count go up): look at every mapping of that target for label probes. */
static void probe_missed_maps(struct session *s)
{
	int i;

	if (!s->any_maps_missed)
		return;	/* not a scan of every target per wake-up */
	s->any_maps_missed = false;
	for (i = 0; i < s->n_targets; i++) {
		if (!s->targets[i]->maps_missed)
			continue;
		s->targets[i]->maps_missed = false;
		if (s->tracing)
			labels_scan_process(&s->labels, s->targets[i]->pid);
	}
}

/* -i below 10 ms, every TICK_DRAIN_S: the kernel timer's samples become lines
 * (written at once), and /proc is read for the next ones: vms, CPU times (in
 * 10 ms ticks) and threads are as of the last drain, the rest is the sample's. */
static int drain_ticks(struct session *s)
{
	int i, err;

	note_wall_clock(s);	/* a clock set meanwhile shows from here */
	err = events_consume(s);
	for (i = 0; i < s->n_targets; i++) {
		sample_refresh_proc(s->targets[i]);
		if (!err)
			err = sample_threads_now(s, s->targets[i]);
	}
	/* Lines read after the newest sample (an event's, the threads') wait for
	 * the samples of other targets the timer is taking meanwhile. */
	return err ? err : logwriter_flush_upto(&s->log, s->ticks_read_wall_s);
}

/* What one epoll event asks for. 0 or -errno. */
static int on_wakeup(struct session *s, __u64 key)
{
	struct target *t;
	__u64 expirations;

	switch (key >> 32) {
	case SESSION_TAG_TIMER:
		if (read(s->timer_fd, &expirations, sizeof(expirations)) > 0) {
			int err = s->ticking ? drain_ticks(s) : sample_all(s);

			children_scan(s);
			return err;
		}
		return 0;
	case SESSION_TAG_EVENTS:
		return events_consume(s);
	case SESSION_TAG_PIDFD:
		t = targets_find(s, (pid_t)(key & 0xffffffffu));
		return t ? finish_after_events(s, t) : 0;
	case SESSION_TAG_CHILD:
		/* Read even without tracees (a helper's exit): level-triggered. */
		return tracees_drain(s);
	case SESSION_TAG_STATUS:
		if (s->status)
			status_tick(s->status, s);
		return 0;
	}
	return 0;
}

/* How long a launched command may take to end after procmon passed it the
 * signal that stopped procmon; then its STOP line is written without it. */
#define STOP_WAIT_S 3.0

/*
 * procmon was told to stop (SIGINT, SIGTERM, SIGHUP) while its command runs:
 * the command gets the same signal (a Ctrl-C in a terminal reaches both
 * anyway), and the loop runs on until it has exited, so that its STOP line and
 * the summary have its exit status. A second signal stops the wait. 0 or -errno.
 */
static int stop_launched(struct session *s)
{
	struct target *t = s->launched_pid ? targets_find(s, s->launched_pid) : NULL;
	double deadline = mono_now_s() + STOP_WAIT_S;
	int sig = *s->stop_signal, err = 0;
	struct epoll_event evs[16];
	sigset_t unblocked;

	if (!sig || !t || t->finished || (t->pidfd < 0 && !t->ptraced))
		return 0;
	/* A tracee is reaped by us only: its PID cannot be reused before. */
	if (t->pidfd >= 0 ? syscall(SYS_pidfd_send_signal, t->pidfd, sig, NULL, 0) :
			    kill(t->pid, sig))
		return 0;	/* gone already: its pidfd or waitpid says so next */
	s->forwarded_signal = sig;
	*s->stop_signal = 0;
	sigemptyset(&unblocked);
	sigaddset(&unblocked, SIGCHLD);	/* for the signalfd only */
	while (!err && !t->finished && !*s->stop_signal) {
		double left = deadline - mono_now_s();
		int n;

		if (left <= 0)
			break;
		n = epoll_pwait(s->epoll_fd, evs, 16, (int)ceil(left * 1000), &unblocked);
		if (n < 0 && errno != EINTR)
			err = -errno;
		for (int i = 0; i < n && !err; i++)
			err = on_wakeup(s, evs[i].data.u64);
	}
	*s->stop_signal = sig;
	return err;
}

int session_run(struct session *s)
{
	struct epoll_event evs[16];
	double deadline = s->cfg.duration_s > 0 ? s->t0_mono_s + s->cfg.duration_s : 0;
	sigset_t unblocked;
	int i, n, err = arm_timer(s);

	sigemptyset(&unblocked);
	sigaddset(&unblocked, SIGCHLD);	/* for the signalfd only */
	/* A cgroup may be empty for a while: its run waits for processes to enter. */
	while (!err && (s->live > 0 || s->cgroup) && !*s->stop_signal) {
		int timeout_ms = -1;

		if (deadline) {
			double left = deadline - mono_now_s();

			if (left <= 0)
				break;
			timeout_ms = (int)ceil(left * 1000);
		}
		/* Signals are blocked except inside the wait: none is lost between the
		 * flag check and the sleep. */
		n = epoll_pwait(s->epoll_fd, evs, 16, timeout_ms, &unblocked);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		for (i = 0; i < n && !err; i++)
			err = on_wakeup(s, evs[i].data.u64);
		probe_missed_maps(s);
		targets_retire_finished(s);
	}
	if (!err)
		err = stop_launched(s);
	if (s->ticking) {
		tracer_ticker(&s->tracer, 0, 0);
		s->ticking = false;	/* the last lines are read as they come */
	}
	/* Whatever ended the run: a last line for every target still traced. */
	if (!s->log.err)
		for (i = 0; i < s->n_targets; i++)
			finish_after_events(s, s->targets[i]);
	/* From here on each line is written as it comes. */
	logwriter_flush(&s->log);
	logwriter_batch(&s->log, 0);
	return s->log.err ? s->log.err : err;
}

void session_stop_tracing(struct session *s)
{
	if (!s->tracing)
		return;
	s->children_lost = tracer_children_lost(&s->tracer);
	s->fork_events_lost = tracer_fork_events_lost(&s->tracer);
	s->ticks_lost = tracer_ticks_lost(&s->tracer);
	labels_destroy(&s->labels);
	tracer_close(&s->tracer);
	s->tracing = false;
	/* Detached: no task can be held from now on. One held before (an exec just
	 * after the last read: -d ended the run as the command started) waits for
	 * its event, or stays stopped and procmon waits for it for ever. The ring
	 * buffer is still mapped: read the rest and let such tasks go. */
	events_consume(s);
}

void session_wait_launched(struct session *s)
{
	sigset_t stops;
	int status;

	if (!s->launched_pid || s->launched_reaped)
		return;
	if (s->ptrace_on) {
		tracees_wait_launched(s);
		return;
	}
	/* Let SIGINT/SIGTERM/SIGHUP interrupt the wait (they are blocked outside
	 * epoll_pwait during the run). */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	sigprocmask(SIG_UNBLOCK, &stops, NULL);
	while (!*s->stop_signal) {
		pid_t r = waitpid(s->launched_pid, &status, 0);

		if (r == s->launched_pid) {
			s->launched_reaped = true;
			s->launched_status = status;
			return;
		}
		if (r < 0 && errno != EINTR)
			return;
	}
}

void session_destroy(struct session *s)
{
	targets_free(s);
	tracees_close(s);
	logformat_cache_free(s->line_cache);
	ring_buffer__free(s->rb);
	labels_destroy(&s->labels);
	if (s->epoll_fd >= 0)
		close(s->epoll_fd);
	if (s->timer_fd >= 0)
		close(s->timer_fd);
	if (s->tracer.skel)
		tracer_close(&s->tracer);	/* session_start failed half-way */
}
