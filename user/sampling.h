/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Sampling: a target's counters from BPF and /proc, as a sample, written as its
 * line; and every live target at each tick of the interval. */
#ifndef PROCMON_SAMPLING_H
#define PROCMON_SAMPLING_H

#include "logformat.h"
#include "logline.h"
#include "targets.h"

struct session;

/* Read @t's /proc files and BPF counters into @t and fill @smp. Keeps the last
 * /proc values of a process that has been reaped, so its last line still says
 * something. Unless @exact, /proc is read at most every 10 ms (sampling.c). Code mappings that went unreported set t->maps_missed: probing them
 * is the loop's next step, not the sample's. */
/* Counters read from the kernel are cumulative, but a read can see a little more
 * than the next (an open off-CPU period estimated, then closed for less; an exit
 * racing the walk; a label's clock-based on-CPU time against the scheduler's):
 * raise each of @now to at least @last. */
void keep_monotonic(struct procmon_counters *now, const struct procmon_counters *last);

void sample_take(struct session *s, struct target *t, struct sample *smp, bool exact);

/* Take a sample of @t and write its line, with @ev or @label when given (NULL if
 * not); a START line adds where counting began. 0 or -errno. */
int sample_write(struct session *s, struct target *t, enum logline_mark mark,
		 const struct log_event *ev, const struct log_label *label);

/* One tick: a line for every live target (and its threads with -t), then tell
 * BPF a new interval begins. 0 or the write error. */
int sample_all(struct session *s);

/* @t's periodic line, and its threads' with -t (from s->tick when the kernel
 * timer took the sample). 0 or the write error. */
int sample_periodic(struct session *s, struct target *t);

/* -t below 10 ms: @t's thread lines, read and stamped now, once a drain (per
 * sample they would be 1,000 /proc/PID/task reads a second). 0 or the write error. */
int sample_threads_now(struct session *s, struct target *t);

/* Below 10 ms, between the kernel timer's samples: read /proc/PID/stat of @t
 * again, unless its counters say it has not run since the last read. */
void sample_refresh_proc(struct target *t);

/* What follows the lines of a tick: the tree's summed RSS, --cgroup's rescan, the
 * metrics, the gathered lines' write. 0 or the write error. */
int sample_done(struct session *s);

#endif /* PROCMON_SAMPLING_H */
