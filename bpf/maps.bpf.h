/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Maps and settings shared by every BPF file; defined once in maps.bpf.c and
 * linked by `bpftool gen object`. Helpers every handler uses to filter early. */
#ifndef PROCMON_MAPS_BPF_H
#define PROCMON_MAPS_BPF_H

#include "procmon.h"

/* tgid -> counters. Full: the fork hook cannot add a child and counts it in
 * children_lost; user space refuses more -p targets than fit. */
typedef struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PROCMON_MAX_TARGETS);
	__type(key, __u32);
	__type(value, struct procmon_counters);
} procmon_targets_map;

/* Marks a traced thread. Task storage is the filter: for an untraced task the
 * lookup sees task->bpf_storage == NULL and returns at once, with no hashing. */
typedef struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct procmon_thread);
} procmon_threads_map;

/* tgid -> 1: processes user space has put label uprobes in. A -c child of one
 * is held at its start until it has its own (a uprobe with a PID is for that
 * process only). Full: the child is not held, and may miss its first labels. */
typedef struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* written by user space only: no start-up cost */
	__uint(max_entries, PROCMON_MAX_TARGETS);
	__type(key, __u32);
	__type(value, __u8);
} procmon_probed_map;

/* Files user space has read and found no label or --mark symbol in: mapping one
 * needs no hold (libc, most libraries). Key: the inode's device (kernel dev_t)
 * and number. */
struct procmon_file_key {
	__u64 dev;
	__u64 ino;
};

typedef struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* as probed: 16384 entries not allocated at load */
	__uint(max_entries, 16384);
	__type(key, struct procmon_file_key);
	__type(value, __u8);
} procmon_plain_files_map;

/* One bit per PID (tgid), sized from pid_max by user space: the first filter of
 * every hot handler. An array lookup is inlined by the verifier, so an untraced
 * task costs a load and a bit test; only a set bit leads on to task storage.
 * Mappable, so user space sets and clears bits with atomics of its own. */
typedef struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4194304 / 64);
	__type(key, __u32);
	__type(value, __u64);
} procmon_target_bits_map;

/* Sized by user space before load (--buffer). Full: the event is counted as lost. */
typedef struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} procmon_events_map;

extern procmon_targets_map targets SEC(".maps");
extern procmon_threads_map threads SEC(".maps");
extern procmon_events_map events SEC(".maps");
extern procmon_target_bits_map target_bits SEC(".maps");
extern procmon_probed_map probed SEC(".maps");
extern procmon_plain_files_map plain_files SEC(".maps");

/* Set through the skeleton's rodata before load. */
extern const volatile __u32 follow_children;	/* -c: forked processes become targets */
extern const volatile __u32 page_shift;
extern const volatile __u32 holder_tgid;	/* procmon: the parent of a launched command */
extern const volatile __u64 cgroup_id;		/* --cgroup: its v2 id (0: not in cgroup mode) */
extern const volatile bool schedstats;		/* kernel.sched_schedstats is on */
extern const volatile bool light;		/* --light: no switch hook; snapshots close periods */
/* Shared with user space through the skeleton's bss. */
extern __u64 sample_seq;	/* bumped by user space after each sample: resets rss peaks */
extern __u64 children_lost;	/* forks not traced: targets map full */
extern __u64 fork_events_lost;	/* fork events the ring buffer had no room for */
/* --cgroup events user space had no room for: it rescans cgroup.procs when this grows. */
extern __u64 cgroup_events_lost;
extern __u64 ticks_lost;	/* kernel-timer samples skipped: the ring buffer was half full */
extern __u64 tick_ns;	/* time spent in the timer's callbacks (bench/run reads it) */
extern __u64 tick_runs;
extern __u32 tick_targets_n;	/* entries of the timer's target list in use */
extern bool ticking;	/* samples come from the kernel timer, without a wake-up each */

/* Is process @tgid a target? A reused PID may pass: task storage decides. */
static __always_inline bool target_bit_is_set(__u32 tgid)
{
	__u32 word = tgid >> 6;
	__u64 *bits = bpf_map_lookup_elem(&target_bits, &word);

	return bits && (*bits & (1ull << (tgid & 63)));
}

static __always_inline void set_target_bit(__u32 tgid)
{
	__u32 word = tgid >> 6;
	__u64 *bits = bpf_map_lookup_elem(&target_bits, &word);

	if (bits)
		__sync_fetch_and_or(bits, 1ull << (tgid & 63));
}

static __always_inline void clear_target_bit(__u32 tgid)
{
	__u32 word = tgid >> 6;
	__u64 *bits = bpf_map_lookup_elem(&target_bits, &word);

	if (bits)
		__sync_fetch_and_and(bits, ~(1ull << (tgid & 63)));
}

/* Mark @task as traced with a zero baseline: a task just created by fork has
 * all its counters at zero. */
static __always_inline void mark_new_thread(struct task_struct *task)
{
	struct procmon_thread *th;

	th = bpf_task_storage_get(&threads, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (th) {
		th->tgid = task->tgid;
		th->flags = PROCMON_THREAD_BASELINE;
		/* Away from its birth until it first runs: the run-queue wait (--light
		 * charges what is not run-queue wait to sleep, as for any period). */
		th->out_ns = bpf_ktime_get_ns();
		th->runtime_at_out = th->run_delay_at_out = 0;
		th->off_kind = light ? PROCMON_OFFCPU_SLEEP : PROCMON_OFFCPU_PREEMPTED;
	}
}

/* The traced-thread record of @task, or NULL for an untraced one. */
static __always_inline struct procmon_thread *traced_thread(struct task_struct *task)
{
	if (!target_bit_is_set(task->tgid))
		return NULL;
	return bpf_task_storage_get(&threads, task, 0, 0);
}

#define PROCMON_SIGSTOP 19
#define PROCMON_SIGURG 23

/* Is @t traced (ptrace) by procmon? Then a hold is a ptrace stop: invisible to
 * its parent and job control, and gone if procmon dies. */
static __always_inline bool ptraced_by_procmon(struct task_struct *t)
{
	return holder_tgid && t->ptrace && BPF_CORE_READ(t, parent, tgid) == holder_tgid;
}

/* Stop @t (current) until user space has put label probes on code it is about to
 * run. Only for processes procmon launched or that a target forked: a process
 * attached with -p may have an interactive shell as parent, which would see the
 * stop as job control. @at_exec: ptrace's exec event holds a tracee already (and
 * a leader's exit is not held under ptrace).
 * PROCMON_HOLD_SIGSTOP if a SIGSTOP was sent (user space sends SIGCONT),
 * PROCMON_HOLD_PTRACE if the tracee stops for procmon's ptrace loop (SIGURG:
 * ignored by default, so harmless if procmon dies before it looks), else 0. */
static __always_inline __u32 hold_for_probes(struct task_struct *t, bool at_exec)
{
	__u32 parent = BPF_CORE_READ(t, real_parent, tgid);

	if (!holder_tgid)
		return 0;
	if (ptraced_by_procmon(t)) {
		if (at_exec)
			return 0;
		/* A blocked SIGURG would not stop it: SIGSTOP, which we see first. */
		if (t->blocked.sig[0] & (1ull << (PROCMON_SIGURG - 1)))
			return bpf_send_signal_thread(PROCMON_SIGSTOP) == 0 ? PROCMON_HOLD_PTRACE : 0;
		return bpf_send_signal_thread(PROCMON_SIGURG) == 0 ? PROCMON_HOLD_PTRACE : 0;
	}
	if (parent != holder_tgid && !bpf_map_lookup_elem(&targets, &parent))
		return 0;
	return bpf_send_signal(PROCMON_SIGSTOP) == 0 ? PROCMON_HOLD_SIGSTOP : 0;
}

/* Resident pages of @mm as get_mm_rss() counts them: file + anon + shmem. */
static __always_inline __u64 mm_rss_bytes(struct mm_struct *mm)
{
	/* Direct loads (a BTF pointer), not three bpf_probe_read_kernel calls. */
	__s64 pages = mm->rss_stat[MM_FILEPAGES].count + mm->rss_stat[MM_ANONPAGES].count +
		      mm->rss_stat[MM_SHMEMPAGES].count;

	return pages > 0 ? (__u64)pages << page_shift : 0;
}

/* Send @ev. While the timer's samples sit in the ring buffer without a wake-up,
 * the kernel would not wake the reader for this one either (it wakes only a
 * reader that has caught up): force it, an event may be holding its task. */
static __always_inline void event_submit(void *ev)
{
	bpf_ringbuf_submit(ev, ticking ? BPF_RB_FORCE_WAKEUP : 0);
}

/* Fill the common head of an event for @task. */
static __always_inline void event_head(struct procmon_event_head *h, __u32 kind,
				       struct task_struct *task)
{
	h->ts_ns = bpf_ktime_get_ns();
	h->kind = kind;
	h->pid = BPF_CORE_READ(task, tgid);
	h->tid = BPF_CORE_READ(task, pid);
	h->pad = 0;
}

/* @child, just forked by @parent, is a target from its first instruction: its
 * counters from zero, its first thread marked, a fork event for user space.
 * 0; -ENOSPC when the targets map is full (counted in children_lost); -EAGAIN
 * when only the event was lost (counted in fork_events_lost). */
static __always_inline int add_child_target(struct task_struct *parent,
					    struct task_struct *child)
{
	struct procmon_counters fresh = {};
	struct procmon_event_fork *ev;
	__u32 child_tgid = child->tgid;

	fresh.ppid = parent->tgid;
	fresh.flags = PROCMON_TARGET_CHILD;
	if (bpf_map_update_elem(&targets, &child_tgid, &fresh, BPF_NOEXIST)) {
		__sync_fetch_and_add(&children_lost, 1);
		return -28;	/* ENOSPC */
	}
	mark_new_thread(child);
	set_target_bit(child_tgid);
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		/* ptrace reports the child anyway; else a /proc scan finds it. */
		__sync_fetch_and_add(&fork_events_lost, 1);
		return -11;	/* EAGAIN */
	}
	event_head(&ev->head, PROCMON_EV_FORK, parent);
	ev->child_pid = child_tgid;
	ev->pad = 0;
	event_submit(ev);
	return 0;
}

static __always_inline void add_if(__u64 *counter, __u64 delta)
{
	if (delta)
		__sync_fetch_and_add(counter, delta);
}

#endif /* PROCMON_MAPS_BPF_H */
