/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The BPF side as user space sees it: load and attach the skeleton, make a
 * process a target (and mark its threads), read its counters. */
#ifndef PROCMON_TRACER_H
#define PROCMON_TRACER_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>
#include "procmon.h"

struct procmon_bpf;
struct ring_buffer;
struct bpf_map;
struct bpf_program;

struct tracer {
	struct procmon_bpf *skel;
	int ncpus;
	struct procmon_oncpu *slots;	/* one per possible CPU, for oncpu reads */
	__u64 slots_now_ns;		/* CLOCK_MONOTONIC when they were read */
	__u64 *target_bits;		/* the mmap'ed target_bits map */
	size_t target_bits_bytes;
	__u32 target_bits_words;
};

/* Open, configure, load and attach. @cgroup_id: --cgroup's v2 id (0: none), whose
 * processes BPF then adds itself. 0 or -errno; *stage says what failed. */
int tracer_open(struct tracer *t, bool follow_children, unsigned long ringbuf_bytes,
		__u64 cgroup_id, const char **stage);
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

/* Read which target threads are on a CPU now, for tracer_read(): once per sample
 * for all targets, not once per target. 0 or -errno. */
int tracer_refresh_oncpu(struct tracer *t);

/* The counters of @pid, plus in *running_ns the time its threads on a CPU (as of
 * the last tracer_refresh_oncpu) had run since they were switched in. 0 or -ENOENT. */
int tracer_read(struct tracer *t, pid_t pid, struct procmon_counters *c,
		__u64 *running_ns);

/* Tell the rss_stat program that a sample was taken: peaks start again. */
void tracer_next_sample(struct tracer *t);

__u64 tracer_children_lost(const struct tracer *t);
/* -c: children made targets whose fork event the ring buffer had no room for. */
__u64 tracer_fork_events_lost(const struct tracer *t);
/* --cgroup: enter and fork events the ring buffer had no room for. */
__u64 tracer_cgroup_events_lost(const struct tracer *t);
/* The uprobe program behind labels and --mark. */
struct bpf_program *tracer_label_prog(const struct tracer *t);
/* Files without symbols: their mappings are not held. */
struct bpf_map *tracer_plain_files_map(const struct tracer *t);
/* BPF's set of processes with label uprobes of their own (labels.c keeps it). */
struct bpf_map *tracer_probed_map(const struct tracer *t);
__u64 tracer_sample_seq(const struct tracer *t);

#endif /* PROCMON_TRACER_H */
