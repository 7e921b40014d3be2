// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The event loop of a run: a timerfd on an absolute schedule for samples, the ring
 * buffer for labels and lifecycle events, a pidfd per target for its exit. */
#include <errno.h>
#include <fcntl.h>
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
#include "launch.h"
#include "pidfd.h"
#include "session.h"
#include "threads.h"

enum epoll_tag {
	TAG_TIMER = 1,
	TAG_EVENTS = 2,
	TAG_PIDFD = 3,		/* low 32 bits: the pid */
};

#define EPOLL_KEY(tag, pid) (((__u64)(tag) << 32) | (__u32)(pid))

static struct target *find_target(struct session *s, pid_t pid)
{
	int i;

	for (i = 0; i < s->n_targets; i++)
		if (s->targets[i]->pid == pid)
			return s->targets[i];
	return NULL;
}

/* Fill @smp for @t from BPF and /proc; keeps the last /proc values of a process
 * that has been reaped, so its last line still says something. */
static void take_sample(struct session *s, struct target *t, struct sample *smp)
{
	struct procmon_counters c;
	__u64 running_ns = 0;
	double ticks = (double)s->ticks_per_s;

	if (t->pf.stat_fd >= 0 && proc_read(&t->pf, &t->stat) == 0)
		t->have_stat = true;
	if (s->tracing && !s->oncpu_fresh)
		tracer_refresh_oncpu(&s->tracer);
	if (s->tracing && tracer_read(&s->tracer, t->pid, &c, &running_ns) == 0) {
		/* A code mapping the ring buffer had no room for: look at them all. */
		if (c.map_events_lost != t->counters.map_events_lost)
			labels_scan_process(&s->labels, t->pid);
		t->counters = c;
	}
	if (t->counters.oncpu_ns + running_ns > t->oncpu_ns)
		t->oncpu_ns = t->counters.oncpu_ns + running_ns;

	memset(smp, 0, sizeof(*smp));
	clock_gettime(CLOCK_REALTIME, &smp->wall);
	smp->elapsed_s = (t->finished ? t->end_mono_s : mono_now_s()) - t->start_mono_s;
	smp->pid = t->pid;
	smp->ppid = t->ppid;	/* the parent when tracing began: a tree stays a tree */
	if (t->have_stat) {
		smp->rss_bytes = t->stat.rss_bytes;
		smp->vms_bytes = t->stat.vsize_bytes;
		smp->user_s = (double)t->stat.utime / ticks;
		smp->system_s = (double)t->stat.stime / ticks;
		smp->children_user_s = (double)t->stat.cutime / ticks;
		smp->children_system_s = (double)t->stat.cstime / ticks;
		smp->num_threads = t->stat.num_threads;
	}
	/* The interval's peak belongs to this sample only if rss_stat saw this interval. */
	smp->rss_peak_bytes = smp->rss_bytes;
	if (s->tracing && t->counters.rss_peak_seq == tracer_sample_seq(&s->tracer) &&
	    t->counters.rss_peak_bytes > smp->rss_peak_bytes)
		smp->rss_peak_bytes = t->counters.rss_peak_bytes;
	smp->pfaults = t->counters.faults;
	smp->pageins = t->counters.maj_flt;
	smp->oncpu_ns = t->oncpu_ns;
	smp->runq_wait_ns = t->counters.runq_wait_ns;
	smp->voluntary = t->counters.nvcsw;
	smp->involuntary = t->counters.nivcsw;
	smp->offcpu_preempted_ns = t->counters.offcpu_preempted_ns;
	smp->offcpu_blocked_ns = t->counters.offcpu_blocked_ns;
	smp->offcpu_sleep_ns = t->counters.offcpu_sleep_ns;
	smp->labels_lost = t->counters.labels_lost;
}

/* Write one line for @t: a sample, with @ev or @label when given (NULL if not). */
static int write_line(struct session *s, struct target *t, enum logline_mark mark,
		      const struct log_event *ev, const struct log_label *label)
{
	struct sample smp;
	struct log_start start = { t->cmdline, t->phases.open_since_s };
	struct log_process_line line = { &smp, mark == LOGLINE_START ? &start : NULL, ev, label };
	char *json;
	int err;

	take_sample(s, t, &smp);
	json = logformat_process(&line);
	if (!json)
		return -ENOMEM;
	err = logwriter_put(&s->log, mark, json, &smp.wall);
	free(json);
	return err;
}

/* The process's creation time on CLOCK_MONOTONIC, from /proc's boot-time ticks. */
static double start_time_mono(const struct session *s, const struct target *t)
{
	double since_boot = (double)t->stat.starttime / (double)s->ticks_per_s;

	return since_boot - (boot_now_s() - mono_now_s());
}

int session_add_target(struct session *s, pid_t pid, bool launched, double start_mono_s)
{
	struct epoll_event ev = { .events = EPOLLIN };
	__u64 running_ns;
	struct target *t;

	if (s->n_targets == s->cap_targets) {
		int cap = s->cap_targets ? s->cap_targets * 2 : 16;
		struct target **grown = realloc(s->targets, sizeof(*grown) * (size_t)cap);

		if (!grown)
			return -ENOMEM;
		s->targets = grown;
		s->cap_targets = cap;
	}
	/* Targets never move: event callbacks may add one while a caller holds another. */
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	s->targets[s->n_targets++] = t;
	t->pid = pid;
	t->launched = launched;
	phases_init(&t->phases);
	t->pf.stat_fd = -1;
	/* pidfd first, /proc second: if the pidfd still names a live process after
	 * the files are open, the files belong to that process, not a reused PID. */
	t->pidfd = procmon_pidfd_open(pid, 0);
	if (t->pidfd >= 0 && proc_open(&t->pf, pid) == 0 &&
	    syscall(SYS_pidfd_send_signal, t->pidfd, 0, NULL, 0) == 0 &&
	    proc_read(&t->pf, &t->stat) == 0) {
		t->have_stat = true;
		t->ppid = t->stat.ppid;
		t->start_mono_s = start_mono_s ? start_mono_s : start_time_mono(s, t);
		t->cmdline = proc_cmdline(pid);
	} else {
		t->start_mono_s = start_mono_s ? start_mono_s : mono_now_s();
	}
	/* The parent as the tracer recorded it (the fork hook's, for a child): /proc
	 * says ppid 0 for a child reaped before its fork event was read, or has no file. */
	if (s->tracing && tracer_read(&s->tracer, pid, &t->counters, &running_ns) == 0 &&
	    t->counters.ppid)
		t->ppid = (pid_t)t->counters.ppid;
	/* A process traced from its creation: its first phase starts there. */
	t->phases.open_since_s = start_mono_s ? 0 : mono_now_s() - t->start_mono_s;
	if (t->pidfd >= 0) {
		ev.data.u64 = EPOLL_KEY(TAG_PIDFD, pid);
		if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, t->pidfd, &ev))
			return -errno;
	}
	s->live++;
	return write_line(s, t, LOGLINE_START, NULL, NULL);
}

static int finish_target(struct session *s, struct target *t, const struct log_event *ev);

/* Children that were gone before their fork event was read (no pidfd): their
 * exit event sat behind the fork event and has been consumed by now, so their
 * STOP line can say the exit status (or just "exit" if the event was lost). */
static void finish_gone_children(struct session *s)
{
	static const struct log_event exit_unknown = { .kind = LOG_EVENT_EXIT };
	int i;

	for (i = 0; i < s->n_targets; i++) {
		struct target *t = s->targets[i];

		if (t->finished || t->pidfd >= 0)
			continue;
		finish_target(s, t, t->have_exit_code ? NULL : &exit_unknown);
	}
}

static int consume_events(struct session *s)
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

/* @t has exited (or tracing stops): write its STOP line, reap it if it is ours. */
static int finish_target(struct session *s, struct target *t, const struct log_event *ev)
{
	struct log_event exit_ev = { .kind = LOG_EVENT_EXIT, .have_status = true };
	int status = 0, err;

	if (t->finished)
		return 0;
	/* Labels and the exit event may still sit in the ring buffer: they come first. */
	consume_events(s);
	if (t->launched && !s->launched_reaped && t->pidfd >= 0 &&
	    waitid(P_PIDFD, (id_t)t->pidfd, &(siginfo_t){0}, WEXITED | WNOHANG | WNOWAIT) == 0) {
		/* Read the zombie's /proc files before reaping it. */
		take_sample(s, t, &(struct sample){0});
		if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
			s->launched_reaped = true;
			s->launched_status = status;
			t->have_exit_code = true;
			t->exit_code = status;
		}
	}
	t->end_mono_s = mono_now_s();
	if (!ev && t->have_exit_code) {
		exit_ev.status = t->exit_code;
		ev = &exit_ev;
	}
	err = write_line(s, t, LOGLINE_STOP, ev, NULL);
	phases_finish(&t->phases, t->end_mono_s - t->start_mono_s, &t->counters,
		      t->counters.phase_rss_peak_bytes);
	t->finished = true;
	s->live--;
	if (t->pidfd >= 0) {
		epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, t->pidfd, NULL);
		close(t->pidfd);
		t->pidfd = -1;
	}
	proc_close(&t->pf);
	if (s->tracing)
		tracer_remove(&s->tracer, t->pid);
	return err;
}

/* -t: a line per thread of @t, after its process line. Lines without
 * memory_info: readers of process samples skip them by their `thread` key. */
static int write_thread_lines(struct session *s, struct target *t)
{
	struct thread_sample th;
	struct log_thread_line line = { .pid = t->pid, .thread = &th };
	pid_t *tids = NULL;
	int i, n, err = 0;
	char *json;

	n = thread_ids(t->pid, &tids);
	clock_gettime(CLOCK_REALTIME, &line.wall);
	for (i = 0; i < n && !err; i++) {
		if (thread_read(t->pid, tids[i], s->ticks_per_s, &th))
			continue;
		line.elapsed_s = mono_now_s() - t->start_mono_s;
		json = logformat_thread(&line);
		err = json ? logwriter_put(&s->log, LOGLINE_PLAIN, json, &line.wall) : -ENOMEM;
		free(json);
	}
	free(tids);
	return err;
}

static int sample_all(struct session *s)
{
	int i, err = 0;

	/* One read of the per-CPU slots serves every target of this sample. */
	s->oncpu_fresh = s->tracing && tracer_refresh_oncpu(&s->tracer) == 0;

	for (i = 0; i < s->n_targets && !err; i++) {
		if (s->targets[i]->finished)
			continue;
		err = write_line(s, s->targets[i], LOGLINE_PLAIN, NULL, NULL);
		if (!err && s->opts->threads)
			err = write_thread_lines(s, s->targets[i]);
	}
	s->oncpu_fresh = false;
	if (s->tracing)
		tracer_next_sample(&s->tracer);
	return err;
}

static void on_fork_event(struct session *s, const struct procmon_event_fork *ev)
{
	struct log_event fork = { .kind = LOG_EVENT_FORK, .child_pid = (pid_t)ev->child_pid };
	struct target *t;

	t = find_target(s, (pid_t)ev->head.pid);
	if (t && !t->finished)
		write_line(s, t, LOGLINE_PLAIN, &fork, NULL);
	if (find_target(s, (pid_t)ev->child_pid))
		return;
	if (session_add_target(s, (pid_t)ev->child_pid, false, (double)ev->head.ts_ns / 1e9))
		return;
	t = find_target(s, (pid_t)ev->child_pid);
	t->ppid = (pid_t)ev->head.pid;
	/* Gone and reaped already (no pidfd): its exit event is further on in the
	 * ring buffer; consume_events() finishes it once that has been read. */
}

static void on_exit_event(struct session *s, const struct procmon_event_exit *ev)
{
	struct target *t = find_target(s, (pid_t)ev->head.pid);

	if (!t || t->have_exit_code)
		return;
	t->have_exit_code = true;
	t->exit_code = (int)ev->exit_code;
}

static void on_exec_event(struct session *s, const struct procmon_event_exec *ev)
{
	struct target *t = find_target(s, (pid_t)ev->head.pid);
	struct log_event exec = { .kind = LOG_EVENT_EXEC };
	char exe[64];

	snprintf(exe, sizeof(exe), "/proc/%u/exe", ev->head.pid);
	labels_probe_file(&s->labels, exe);
	if (ev->stopped)
		hold_release(ev->head.pid);
	if (!t || t->finished)
		return;
	if (t->launched && !t->seen_exec) {
		t->seen_exec = true;	/* our own exec of the command: not news */
		return;
	}
	free(t->cmdline);
	t->cmdline = proc_cmdline(t->pid);
	exec.cmdline = t->cmdline;
	write_line(s, t, LOGLINE_PLAIN, &exec, NULL);
}

/* A label's snapshot adds the calling thread's time on the CPU by the clock, which
 * the scheduler's own accounting harvested later can fall just short of (or
 * another thread's label can see less): counters at labels never go back. */
static void at_label_monotonic(struct procmon_counters *at, struct procmon_counters *last)
{
#define KEEP_UP(f) do { if (at->f < last->f) at->f = last->f; last->f = at->f; } while (0)
	KEEP_UP(faults);
	KEEP_UP(maj_flt);
	KEEP_UP(min_flt);
	KEEP_UP(oncpu_ns);
	KEEP_UP(runq_wait_ns);
	KEEP_UP(nvcsw);
	KEEP_UP(nivcsw);
	KEEP_UP(offcpu_preempted_ns);
	KEEP_UP(offcpu_blocked_ns);
	KEEP_UP(offcpu_sleep_ns);
#undef KEEP_UP
}

static void on_label_event(struct session *s, const struct procmon_event_label *raw)
{
	struct target *t = find_target(s, (pid_t)raw->head.pid);
	char text[LABEL_TEXT_SIZE];
	struct log_label label;

	if (!t && session_add_target(s, (pid_t)raw->head.pid, false, 0) == 0)
		t = find_target(s, (pid_t)raw->head.pid);
	if (!t)
		return;
	labels_decode(&s->labels, raw, text, &label);
	label.elapsed_s = (double)raw->head.ts_ns / 1e9 - t->start_mono_s;
	at_label_monotonic(&label.at, &t->last_at);
	write_line(s, t, LOGLINE_PLAIN, NULL, &label);
	phases_label(&t->phases, label.text, label.elapsed_s, &label.at);
}

static void on_oom_event(struct session *s, const struct procmon_event_oom *ev)
{
	static const struct log_event oom = { .kind = LOG_EVENT_OOM };
	struct target *t = find_target(s, (pid_t)ev->head.pid);

	if (!t || t->finished)
		return;
	write_line(s, t, LOGLINE_PLAIN, &oom, NULL);
}

/* Ring-buffer callback: events arrive in the order the kernel produced them. */
/* After tracing stopped: only let go of a task that an event says BPF holds
 * (SIGSTOP at an exec or a code mapping); nothing is logged or probed any more. */
static int release_held(const struct procmon_event_head *h, size_t size)
{
	if ((h->kind == PROCMON_EV_EXEC && size >= sizeof(struct procmon_event_exec) &&
	     ((const struct procmon_event_exec *)h)->stopped) ||
	    (h->kind == PROCMON_EV_MAP && size >= sizeof(struct procmon_event_map) &&
	     ((const struct procmon_event_map *)h)->stopped))
		hold_release((pid_t)h->pid);
	return 0;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;
	const struct procmon_event_head *h = data;

	if (size < sizeof(*h))
		return 0;
	if (!s->tracing)
		return release_held(h, size);
	switch (h->kind) {
	case PROCMON_EV_FORK:
		if (size >= sizeof(struct procmon_event_fork))
			on_fork_event(s, data);
		break;
	case PROCMON_EV_EXIT:
		if (size >= sizeof(struct procmon_event_exit))
			on_exit_event(s, data);
		break;
	case PROCMON_EV_EXEC:
		if (size >= sizeof(struct procmon_event_exec))
			on_exec_event(s, data);
		break;
	case PROCMON_EV_LABEL:
		if (size >= sizeof(struct procmon_event_label))
			on_label_event(s, data);
		break;
	case PROCMON_EV_OOM:
		if (size >= sizeof(struct procmon_event_oom))
			on_oom_event(s, data);
		break;
	case PROCMON_EV_MAP:
		if (size >= sizeof(struct procmon_event_map)) {
			const struct procmon_event_map *m = data;

			labels_on_map(&s->labels, (pid_t)m->head.pid, m->fd);
			if (m->stopped)
				hold_release((pid_t)m->head.pid);
		}
		break;
	default:
		break;
	}
	return s->log.err ? s->log.err : 0;
}

int session_init(struct session *s, const struct procmon_opts *opts, int log_fd,
		 volatile sig_atomic_t *stop_signal)
{
	struct epoll_event ev = { .events = EPOLLIN };

	s->opts = opts;
	s->stop_signal = stop_signal;
	s->ticks_per_s = sysconf(_SC_CLK_TCK);
	s->t0_mono_s = mono_now_s();
	logwriter_init(&s->log, log_fd, opts->format);
	s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (s->epoll_fd < 0 || s->timer_fd < 0)
		return -errno;
	s->rb = ring_buffer__new(tracer_events_fd(&s->tracer), on_event, s, NULL);
	if (!s->rb)
		return -errno;
	s->tracing = true;
	labels_init(&s->labels, tracer_label_prog(&s->tracer), opts->marks, opts->n_marks,
		    opts->verbose);
	ev.data.u64 = EPOLL_KEY(TAG_EVENTS, 0);
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, ring_buffer__epoll_fd(s->rb), &ev))
		return -errno;
	ev.data.u64 = EPOLL_KEY(TAG_TIMER, 0);
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->timer_fd, &ev))
		return -errno;
	return 0;
}

/* Samples fall at t0 + k * interval, whatever a sample costs: the kernel's
 * periodic timer keeps an absolute schedule (no drift), like clock_nanosleep
 * with TIMER_ABSTIME; a late wake-up shows as expirations > 1. */
static int arm_timer(struct session *s)
{
	struct itimerspec its = {
		.it_value = seconds_to_timespec(s->t0_mono_s + s->opts->interval_s),
		.it_interval = seconds_to_timespec(s->opts->interval_s),
	};

	return timerfd_settime(s->timer_fd, TFD_TIMER_ABSTIME, &its, NULL) ? -errno : 0;
}

static int on_pidfd(struct session *s, pid_t pid)
{
	struct target *t = find_target(s, pid);

	return t ? finish_target(s, t, NULL) : 0;
}

int session_run(struct session *s)
{
	struct epoll_event evs[16];
	double deadline = s->opts->duration_s > 0 ? s->t0_mono_s + s->opts->duration_s : 0;
	sigset_t unblocked;
	int i, n, err = arm_timer(s);
	__u64 expirations;

	sigemptyset(&unblocked);
	while (!err && s->live > 0 && !*s->stop_signal) {
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
		for (i = 0; i < n && !err; i++) {
			__u64 key = evs[i].data.u64;

			switch (key >> 32) {
			case TAG_TIMER:
				if (read(s->timer_fd, &expirations, sizeof(expirations)) > 0)
					err = sample_all(s);
				break;
			case TAG_EVENTS:
				err = consume_events(s);
				break;
			case TAG_PIDFD:
				err = on_pidfd(s, (pid_t)(key & 0xffffffffu));
				break;
			}
		}
	}
	/* Whatever ended the run: a last line for every target still traced. */
	if (!s->log.err)
		for (i = 0; i < s->n_targets; i++)
			finish_target(s, s->targets[i], NULL);
	return s->log.err ? s->log.err : err;
}

void session_stop_tracing(struct session *s)
{
	if (!s->tracing)
		return;
	s->children_lost = tracer_children_lost(&s->tracer);
	labels_destroy(&s->labels);
	tracer_close(&s->tracer);
	s->tracing = false;
	/* Detached: no task can be held from now on. One held before (an exec just
	 * after the last read: -d ended the run as the command started) waits for
	 * its event, or stays stopped and procmon waits for it for ever. The ring
	 * buffer is still mapped: read the rest and let such tasks go. */
	consume_events(s);
}

void session_wait_launched(struct session *s)
{
	sigset_t stops;
	int status;

	if (!s->launched_pid || s->launched_reaped)
		return;
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
	int i;

	for (i = 0; i < s->n_targets; i++) {
		if (s->targets[i]->pidfd >= 0)
			close(s->targets[i]->pidfd);
		proc_close(&s->targets[i]->pf);
		free(s->targets[i]->cmdline);
		phases_free(&s->targets[i]->phases);
		free(s->targets[i]);
	}
	free(s->targets);
	ring_buffer__free(s->rb);
	labels_destroy(&s->labels);
	if (s->epoll_fd >= 0)
		close(s->epoll_fd);
	if (s->timer_fd >= 0)
		close(s->timer_fd);
}
