// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Takes samples: /proc for memory, CPU times and I/O bytes, BPF for faults,
 * scheduling and RSS peaks: one run of the snapshot program per target per tick. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cgroup_run.h"
#include "children_scan.h"
#include "clock.h"
#include "exporter.h"
#include "summary_tree.h"
#include "sampling.h"
#include "session.h"
#include "threads.h"

void keep_monotonic(struct procmon_counters *now, const struct procmon_counters *last)
{
#define KEEP_UP(f) do { if (now->f < last->f) now->f = last->f; } while (0)
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
	KEEP_UP(read_bytes);
	KEEP_UP(write_bytes);
	KEEP_UP(rchar);
	KEEP_UP(wchar);
	KEEP_UP(syscr);
	KEEP_UP(syscw);
	KEEP_UP(rss_max_bytes);
#undef KEEP_UP
}

/* --light has no rss_stat hook: the interval's peak is the kernel's high-water
 * mark when it rose during the interval (a new all-time peak: exact), else the
 * RSS at its ends; the highest RSS is the high-water mark. */
static void light_peaks(struct procmon_counters *now, const struct procmon_counters *last,
			__u64 seq)
{
	if (last->hiwater_rss_bytes && now->hiwater_rss_bytes > last->hiwater_rss_bytes) {
		now->rss_peak_bytes = now->hiwater_rss_bytes;
		now->rss_peak_seq = seq;
	}
	if (now->hiwater_rss_bytes > now->rss_max_bytes)
		now->rss_max_bytes = now->hiwater_rss_bytes;
}

/* /proc is read at most this often at intervals below it: its CPU times count
 * in 10 ms ticks, and at 1 kHz its two reads would be a third of a sample's cost.
 * Between reads the RSS comes from BPF's snapshot and the I/O counters move by
 * BPF's, both the same kernel counters /proc shows. */
#define PROC_REFRESH_S 0.01

/* The I/O counters BPF read, as /proc/PID/io's fields. */
static void bpf_io(const struct procmon_counters *c, struct proc_io *io)
{
	io->rchar = c->rchar;
	io->wchar = c->wchar;
	io->syscr = c->syscr;
	io->syscw = c->syscw;
	io->read_bytes = c->read_bytes;
	io->write_bytes = c->write_bytes;
}

/* /proc's last read, moved on by what BPF counted since. */
static void io_since_read(const struct target *t, struct proc_io *io)
{
	struct proc_io now;

	bpf_io(&t->counters, &now);
#define MOVE(f) io->f = t->io.f + (now.f > t->io_bpf_at_read.f ? now.f - t->io_bpf_at_read.f : 0)
	MOVE(rchar);
	MOVE(wchar);
	MOVE(syscr);
	MOVE(syscw);
	MOVE(read_bytes);
	MOVE(write_bytes);
#undef MOVE
}

/* /proc/PID/stat of @t into t->stat. 0, or -1 if it could not be read. */
static int read_stat(struct target *t)
{
	struct proc_stat live;

	if (t->pf.stat_fd < 0 || proc_read(&t->pf, &t->stat))
		return -1;
	t->have_stat = true;
	/* The main thread has exited, others run on: /proc/PID/stat shows no
	 * memory, the live threads' own stat does (CPU times stay the whole
	 * process's, from the main one). */
	if (t->stat.state == 'Z' && t->stat.num_threads > 1 && proc_live_thread(t->pid, &live) > 0) {
		t->stat.rss_bytes = live.rss_bytes;
		t->stat.vsize_bytes = live.vsize_bytes;
	}
	return 0;
}

void sample_take(struct session *s, struct target *t, struct sample *smp, bool exact)
{
	/* A kernel timer's sample: its counters and time; /proc's of the last drain. */
	const struct procmon_event_tick *tick = exact || !s->tracing ? NULL : s->tick;
	struct procmon_counters c;
	struct proc_io io;
	double ticks = (double)s->ticks_per_s;
	double now = tick ? (double)tick->head.ts_ns / 1e9 : mono_now_s();
	__u64 seq = tick ? tick->seq : s->tracing ? tracer_sample_seq(&s->tracer) : 0;
	bool from_proc = !tick && (exact || !s->tracing || now - t->proc_read_s >= PROC_REFRESH_S);
	struct timespec wall;
	int got = -ENOENT;

	/* Both clocks together: a line's timestamp and elapsed time say one instant. */
	if (tick)
		wall = seconds_to_timespec(now + s->wall_minus_mono_s);
	else
		clock_gettime(CLOCK_REALTIME, &wall);

	if (from_proc)
		read_stat(t);
	if (from_proc && t->pf.io_fd >= 0 && proc_read_io(&t->pf, &t->io) == 0)
		t->have_io = true;
	if (tick) {
		c = tick->c;
		got = 0;
	} else if (s->tracing) {
		got = tracer_read(&s->tracer, t->pid, &c);
	}
	if (got == 0) {
		/* A code mapping the ring buffer had no room for: look at them all. */
		if (c.map_events_lost != t->counters.map_events_lost)
			t->maps_missed = s->any_maps_missed = true;
		keep_monotonic(&c, &t->counters);
		if (s->tracer.light)
			light_peaks(&c, &t->counters, seq);
		t->counters = c;
	}
	if (from_proc) {
		t->proc_read_s = now;
		t->oncpu_at_proc_read = t->counters.oncpu_ns;
		bpf_io(&t->counters, &t->io_bpf_at_read);
	}
	if (t->counters.oncpu_ns > t->oncpu_ns)
		t->oncpu_ns = t->counters.oncpu_ns;

	memset(smp, 0, sizeof(*smp));
	smp->wall = wall;
	smp->elapsed_s = (t->finished ? t->end_mono_s : now) - t->start_mono_s;
	smp->pid = t->pid;
	smp->ppid = t->ppid;	/* the parent when tracing began: a tree stays a tree */
	if (t->have_stat) {
		smp->rss_bytes = t->stat.rss_bytes;
		/* Between /proc reads: the mm's counters as BPF read them (none
		 * once the main thread is gone: /proc's live-thread read then). */
		smp->vms_bytes = t->stat.vsize_bytes;
		if (!from_proc && s->tracing && t->counters.rss_bytes && t->stat.state != 'Z') {
			smp->rss_bytes = t->counters.rss_bytes;
			if (t->counters.vms_bytes)
				smp->vms_bytes = t->counters.vms_bytes;
		}
		smp->user_s = (double)t->stat.utime / ticks;
		smp->system_s = (double)t->stat.stime / ticks;
		smp->children_user_s = (double)t->stat.cutime / ticks;
		smp->children_system_s = (double)t->stat.cstime / ticks;
		smp->num_threads = t->stat.num_threads;
	}
	if (t->have_io) {
		io = t->io;
		if (!from_proc && s->tracing)
			io_since_read(t, &io);
		smp->have_io = true;
		smp->io_read_count = io.syscr;
		smp->io_write_count = io.syscw;
		smp->io_read_bytes = io.read_bytes;
		smp->io_write_bytes = io.write_bytes;
		smp->io_read_chars = io.rchar;
		smp->io_write_chars = io.wchar;
	}
	/* The interval's peak belongs to this sample only if rss_stat saw this interval. */
	smp->rss_peak_bytes = smp->rss_bytes;
	if (s->tracing && t->counters.rss_peak_seq == seq &&
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
	if (!(t->counters.flags & PROCMON_TARGET_CHILD)) {
		smp->children_lost = s->tracing ? tracer_children_lost(&s->tracer) :
						  s->children_lost;
		smp->children_unseen = children_missed(s);
	}
	smp->cgroup = t->cgroup;
}

/* Write @json (NULL: out of memory) as a line and free it. 0 or -errno. */
static int put_line(struct session *s, enum logline_mark mark, char *json,
		    const struct timespec *wall)
{
	int err = json ? logwriter_put(&s->log, mark, json, wall) : -ENOMEM;

	free(json);
	return err;
}

int sample_write(struct session *s, struct target *t, enum logline_mark mark,
		 const struct log_event *ev, const struct log_label *label)
{
	struct sample smp;
	struct log_start start = { t->cmdline, t->cmdline_truncated, t->traced_since_s,
				   s->cpu_count };
	struct log_process_line line = { &smp, mark == LOGLINE_START ? &start : NULL, ev, label,
					 NULL };

	/* Only the periodic lines may take /proc's values of the last 10 ms. */
	sample_take(s, t, &smp, mark != LOGLINE_PLAIN || ev);
	/* Timer samples older than this line are older than what it says. */
	t->sampled_s = t->finished ? t->end_mono_s : t->start_mono_s + smp.elapsed_s;
	if (s->exporter)
		exporter_sample(s->exporter, t, &smp, mark == LOGLINE_STOP);
	if (mark == LOGLINE_STOP) {
		/* The end of the last phase, as a label would give it: the summary and
		 * procmon plot both close the phase with these. */
		t->at_stop = t->counters;
		t->at_stop.oncpu_ns = smp.oncpu_ns;
		t->at_stop.rss_bytes = smp.rss_bytes;
		line.at_stop = &t->at_stop;
	}
	t->last = smp;
	/* The common line, each sample of each target: from the kept tree. */
	if (s->line_cache && !line.start && !ev && !label && !line.at_stop) {
		const char *json = logformat_sample(s->line_cache, &smp);

		return json ? logwriter_put(&s->log, mark, json, &smp.wall) : -ENOMEM;
	}
	return put_line(s, mark, logformat_process(&line), &smp.wall);
}

/* -t: a line per thread of @t, after its process line, under their own marker
 * (TotalDepth's readers take every ProcessLoggingThread-JSON line for a sample). */
static int write_thread_lines(struct session *s, struct target *t)
{
	struct thread_sample th;
	struct log_thread_line line = { .pid = t->pid, .thread = &th };
	pid_t *tids = NULL;
	int i, n, err = 0;

	n = proc_thread_ids(t->pid, &tids);
	clock_gettime(CLOCK_REALTIME, &line.wall);
	for (i = 0; i < n && !err; i++) {
		if (thread_read(t->pid, tids[i], s->ticks_per_s, &th))
			continue;
		line.elapsed_s = mono_now_s() - t->start_mono_s;
		err = put_line(s, LOGLINE_THREAD, logformat_thread(&line), &line.wall);
	}
	free(tids);
	return err;
}

void sample_refresh_proc(struct target *t)
{
	/* Not run since the last read: its CPU times, size and threads are as they
	 * were (only the process itself changes them), and the read is skipped. */
	if (t->finished || (t->have_stat && t->counters.oncpu_ns == t->oncpu_at_proc_read))
		return;
	if (read_stat(t) == 0) {
		t->proc_read_s = mono_now_s();
		t->oncpu_at_proc_read = t->counters.oncpu_ns;
	}
}

int sample_periodic(struct session *s, struct target *t)
{
	int err = sample_write(s, t, LOGLINE_PLAIN, NULL, NULL);

	/* Below 10 ms the threads are read per drain (sample_threads_now). */
	if (!err && s->cfg.threads && !s->tick)
		err = write_thread_lines(s, t);
	return err;
}

int sample_threads_now(struct session *s, struct target *t)
{
	int err;

	if (t->finished || !s->cfg.threads)
		return 0;
	err = write_thread_lines(s, t);
	/* Read now: the timer's samples of before are older than these lines. */
	t->sampled_s = mono_now_s();
	return err;
}

int sample_done(struct session *s)
{
	int err = 0;

	if (s->n_awaiting_exit)
		s->gone_unfinished = true;	/* an exit event lost: is the PID still there? */
	summary_tree_note_sample(s);
	if (s->cgroup)
		err = cgroup_run_tick(s);
	if (s->exporter)
		exporter_publish(s->exporter);
	if (!err)
		err = logwriter_tick(&s->log);
	return err;
}

int sample_all(struct session *s)
{
	int i, err = 0, done;

	for (i = 0; i < s->n_targets && !err; i++)
		if (!s->targets[i]->finished)
			err = sample_periodic(s, s->targets[i]);
	if (s->tracing)
		tracer_next_sample(&s->tracer);
	done = sample_done(s);
	return err ? err : done;
}
