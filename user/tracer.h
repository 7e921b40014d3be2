/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The BPF side as user space sees it: load and attach the core (and the label
 * uprobe when needed), make a process a target (and mark its threads), read it. */
#ifndef PROCMON_TRACER_H
#define PROCMON_TRACER_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>
#include "procmon.h"

struct procmon_core;
struct procmon_extra_bpf;
struct bpf_program;

struct tracer {
	struct procmon_core *skel;	/* light skeleton: the hooks every run needs */
	struct procmon_extra_bpf *extra;	/* label uprobe, --cgroup hooks; or NULL */
	int extra_err;			/* its load failed (-errno): not tried again */
	int snapshot_fd;		/* the syscall program that reads a process's counters */
	bool light;			/* --light: no sched_switch / rss_stat hook */
	__u64 *target_bits;		/* the mmap'ed target_bits map */
	size_t target_bits_bytes;
	__u32 target_bits_words;
	pid_t *tick_pids;		/* the timer's target list, as BPF has it; or NULL */
	__u32 n_tick;
};

/* Open, configure, load and attach. @cgroup_id: --cgroup's v2 id (0: none), whose
 * processes BPF then adds itself. @light: no per-switch, no per-fault hook (no
 * blocked/sleep split, peaks from hiwater_rss only). @verbose: the loader's log on
 * failure. 0 or -errno; *stage says what failed. */
int tracer_open(struct tracer *t, bool follow_children, unsigned long ringbuf_bytes,
		__u64 cgroup_id, bool light, bool verbose, const char **stage);
void tracer_close(struct tracer *t);

/* The events ring buffer's map descriptor. */
int tracer_events_fd(const struct tracer *t);

/* Make @pid a target: add it to the targets map and mark its threads (all of
 * them, found in /proc/PID/task, when @existing). 0 or -errno. */
int tracer_add(struct tracer *t, pid_t pid, pid_t ppid, bool existing);
void tracer_remove(struct tracer *t, pid_t pid);

/* Mark every thread of @pid but its leader afresh (a process BPF made a target
 * when it entered the cgroup: BPF marked the leader itself). 0 or -errno. */
int tracer_mark_threads(struct tracer *t, pid_t pid);

/* The counters of @pid since tracing began, read from the kernel's per-task
 * counters now (the running threads up to their last clock update, <= 1 tick).
 * 0, -ENOENT or -ESRCH. */
int tracer_read(struct tracer *t, pid_t pid, struct procmon_counters *c);

/* The parent BPF recorded for target @pid (the fork hook's for a -c child, or
 * what user space gave tracer_add); 0 if none or not a target. */
pid_t tracer_parent(struct tracer *t, pid_t pid);
/* Tell the rss_stat program that a sample was taken: peaks start again. */
void tracer_next_sample(struct tracer *t);

__u64 tracer_children_lost(const struct tracer *t);
/* -c: children made targets whose fork event the ring buffer had no room for. */
__u64 tracer_fork_events_lost(const struct tracer *t);
/* --cgroup: enter and fork events the ring buffer had no room for. */
__u64 tracer_cgroup_events_lost(const struct tracer *t);
/* The uprobe program behind labels and --mark (@tracer: a struct tracer), loaded
 * on the first call on the core's maps (extra_bpf.c); NULL, errno set, if it
 * cannot be. A label_prog_fn. */
struct bpf_program *tracer_label_prog(void *tracer);
/* Load and attach the --cgroup hooks (and the label uprobe). 0 or -errno. */
int tracer_extra_open_cgroup(struct tracer *t);
/* Load the extra object now (before the command starts, not as its first
 * samples are due) and keep the timer's target list. 0 or -errno. */
int tracer_ticker_prepare(struct tracer *t);
/* The targets the timer samples (after tracer_ticker_prepare; else no-ops). */
void tracer_tick_list_add(struct tracer *t, pid_t pid);
void tracer_tick_list_remove(struct tracer *t, pid_t pid);
/* Samples taken by a kernel timer from @first_mono_s (CLOCK_MONOTONIC) every
 * @period_s, sent through the events ring buffer without waking the reader
 * (PROCMON_EV_TICK per target, then PROCMON_EV_TICK_END); @period_s 0 stops
 * them. Loads the extra object if need be. 0 or -errno. */
int tracer_ticker(struct tracer *t, double first_mono_s, double period_s);
/* Timer samples skipped: the ring buffer was half full. */
__u64 tracer_ticks_lost(const struct tracer *t);
/* Unload them (tracer_close does). */
void tracer_extra_close(struct tracer *t);
/* Files without symbols: their mappings are not held (the map's descriptor). */
int tracer_plain_files_fd(const struct tracer *t);
/* BPF's set of processes with label uprobes of their own (labels.c keeps it). */
int tracer_probed_fd(const struct tracer *t);
__u64 tracer_sample_seq(const struct tracer *t);

#endif /* PROCMON_TRACER_H */
