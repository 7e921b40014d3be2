/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The BPF/user-space boundary: map values and ring-buffer events both sides share.
 * Fixed-width fields only, largest first, so both compilers agree on the layout. */
#ifndef PROCMON_H
#define PROCMON_H

#define PROCMON_MAX_TARGETS	4096	/* processes traced at once (targets map) */
#define PROCMON_LABEL_MAX	256	/* bytes of a label kept; a longer one is cut */
#define PROCMON_COMM_LEN	16

/* What the kernel counts per task, summed over a process's threads (live ones
 * from a walk of the thread list, exited ones from signal_struct and the exit
 * hook). Also the baseline taken when tracing began. */
struct procmon_totals {
	__u64 oncpu_ns;		/* se.sum_exec_runtime */
	__u64 runq_wait_ns;	/* sched_info.run_delay */
	__u64 nvcsw;
	__u64 nivcsw;
	__u64 min_flt;
	__u64 maj_flt;
	__u64 read_bytes;	/* ioac: storage I/O */
	__u64 write_bytes;
	__u64 rchar;		/* ioac: bytes through read/write syscalls */
	__u64 wchar;
	__u64 syscr;
	__u64 syscw;
	__u64 offcpu_preempted_ns;	/* from the switch-out hook's per-thread records */
	__u64 offcpu_blocked_ns;
	__u64 offcpu_sleep_ns;
};

/* Per traced process (tgid): the value of the `targets` map, and what a sample or
 * a label reads. In the map, the kernel-counted fields hold what the process's
 * exited threads counted (the exit hook adds each); a snapshot adds the live
 * threads and subtracts `base`. */
struct procmon_counters {
	__u64 faults;		/* min_flt + maj_flt (what getrusage counts) */
	__u64 maj_flt;		/* major faults */
	__u64 min_flt;		/* minor faults */
	__u64 oncpu_ns;		/* se.sum_exec_runtime */
	__u64 runq_wait_ns;	/* sched_info.run_delay */
	__u64 nvcsw;		/* voluntary context switches */
	__u64 nivcsw;		/* involuntary context switches */
	__u64 rss_peak_bytes;	/* highest RSS seen by rss_stat during sample rss_peak_seq */
	__u64 rss_peak_seq;	/* the `sample_seq` that rss_peak_bytes belongs to */
	__u64 rss_max_bytes;	/* highest RSS seen by rss_stat, never reset */
	__u64 phase_rss_peak_bytes;	/* highest RSS since the last label (rss_stat) */
	__u64 rss_bytes;	/* RSS at the last label / snapshot (mm counters) */
	__u64 offcpu_preempted_ns;	/* off-CPU after a preemption (switched out runnable) */
	__u64 offcpu_blocked_ns;	/* off-CPU in uninterruptible sleep (state D: I/O) */
	__u64 offcpu_sleep_ns;		/* off-CPU sleeping otherwise (state S, stopped...) */
	__u64 labels;		/* procmon_label calls seen */
	__u64 labels_lost;	/* label events dropped: ring buffer full */
	__u64 label_read_errors;/* label strings the uprobe could not read */
	__u64 map_events_lost;	/* code mappings not reported: ring buffer full */
	__u32 ppid;		/* parent, as seen when the process became a target */
	__u32 flags;		/* PROCMON_TARGET_* */
	__u64 read_bytes;	/* ioac, as in /proc/PID/io */
	__u64 write_bytes;
	__u64 rchar;
	__u64 wchar;
	__u64 syscr;
	__u64 syscw;
	__u64 hiwater_rss_bytes;/* mm->hiwater_rss (VmHWM): all-time, pre-tracing included */
	__u64 vms_bytes;	/* mm->total_vm, as /proc/PID/stat's vsize (0: no mm) */
	__u32 threads;		/* live threads the snapshot walked */
	__u32 pad2;
	struct procmon_totals base;	/* map only: the totals when tracing began */
};

#define PROCMON_TARGET_CHILD	1u	/* added by the fork hook (-c), not by user space */
#define PROCMON_TARGET_ENTERED	2u	/* --cgroup: added when it moved into the cgroup */

/* Per traced thread: the value of the `threads` task storage (the filter), and
 * the sw_out hook's state: what the thread's kernel counters said when it last
 * left a CPU, so the next switch-out can tell its off-CPU time from its on-CPU
 * and run-queue time, and charge it to the state it left in. */
struct procmon_thread {
	__u64 out_ns;		/* bpf_ktime_get_ns() at its last switch-out; 0: none seen */
	__u64 runtime_at_out;	/* se.sum_exec_runtime then */
	__u64 run_delay_at_out;	/* sched_info.run_delay then */
	__u64 preempted_ns;	/* away after leaving runnable, summed */
	__u64 blocked_ns;	/* away after leaving in D (I/O), summed */
	__u64 sleep_ns;		/* away after leaving asleep otherwise, summed */
	__u32 off_kind;		/* enum procmon_offcpu: why it left last */
	__u32 tgid;
	__u32 flags;		/* PROCMON_THREAD_* */
	__u32 pad;
};

enum procmon_offcpu {
	PROCMON_OFFCPU_PREEMPTED = 0,
	PROCMON_OFFCPU_BLOCKED = 1,
	PROCMON_OFFCPU_SLEEP = 2,
};

#define PROCMON_THREAD_BASELINE	1u	/* kept for the lifecycle hooks: a marked thread */
#define PROCMON_THREAD_RETIRED	2u	/* its exit hook ran: runtime_at_out is the runtime then */

/* BPF_PROG_RUN context of the `snapshot` program: in, the pid and what to do; out,
 * the process's counters since tracing began (or, with SNAP_BASELINE, zeros after
 * storing the baseline). */
struct procmon_snap_args {
	__s32 pid;
	__u32 flags;		/* PROCMON_SNAP_* */
	__s32 err;		/* 0, or -ESRCH / -ENOENT */
	__u32 pad;
	struct procmon_counters out;
};

#define PROCMON_SNAP_BASELINE	1u

enum procmon_event_kind {
	PROCMON_EV_EXIT = 1,
	PROCMON_EV_FORK = 2,
	PROCMON_EV_EXEC = 3,
	PROCMON_EV_LABEL = 4,
	PROCMON_EV_MAP = 5,
	PROCMON_EV_OOM = 6,
	PROCMON_EV_CGROUP = 7,
	PROCMON_EV_START = 8,
	PROCMON_EV_LEADER_EXIT = 9,
	PROCMON_EV_TICK = 10,
	PROCMON_EV_TICK_END = 11,
};

/* How BPF holds a task until its probes are in (an exec or a map event's stopped). */
enum procmon_hold {
	PROCMON_HOLD_NONE = 0,
	PROCMON_HOLD_SIGSTOP = 1,	/* user space must SIGCONT */
	PROCMON_HOLD_PTRACE = 2,	/* a signal stops the tracee for procmon's ptrace loop */
};

/* Common head of every ring-buffer event. */
struct procmon_event_head {
	__u64 ts_ns;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 kind;		/* enum procmon_event_kind */
	__u32 pid;		/* tgid */
	__u32 tid;
	__u32 pad;
};

struct procmon_event_exit {
	struct procmon_event_head head;
	__u32 exit_code;	/* wait status: (code << 8) | signal */
	__u32 pad;
};

struct procmon_event_fork {
	struct procmon_event_head head;
	__u32 child_pid;
	__u32 pad;
};

/* The OOM killer chose a target (mark_victim); its exit follows. */
struct procmon_event_oom {
	struct procmon_event_head head;
};

struct procmon_event_exec {
	struct procmon_event_head head;
	char comm[PROCMON_COMM_LEN];
	__u32 stopped;		/* enum procmon_hold */
	__u32 pad;
};

/* A call of procmon_label() (mark 0) or of a --mark symbol (mark n >= 1), with the
 * process's counters at that instant, read from every thread by the probe. */
struct procmon_event_label {
	struct procmon_event_head head;
	struct procmon_counters at;
	__s32 len;		/* bpf_probe_read_user_str result: bytes with NUL, or -errno */
	__u32 mark;
	/* One byte more than is kept and the NUL: len == sizeof(text) means the
	 * label was longer than PROCMON_LABEL_MAX. */
	char text[PROCMON_LABEL_MAX + 2];
	char pad[6];
};

/* --cgroup: a process moved into the traced cgroup (BPF made it a target and
 * counts from the move), out of it (BPF stopped counting), or within it. */
enum procmon_cgroup_move {
	PROCMON_CGROUP_ENTER = 1,
	PROCMON_CGROUP_LEAVE = 2,
	PROCMON_CGROUP_WITHIN = 3,
};

struct procmon_event_cgroup {
	struct procmon_event_head head;
	__u64 cgroup_id;	/* where it went: its cgroup v2 id */
	__u32 move;		/* enum procmon_cgroup_move */
	__u32 pad;
};

/* A child (-c) of a process with label uprobes was forked and has not run yet:
 * uprobes are per process, so it needs its own before it runs. */
struct procmon_event_start {
	struct procmon_event_head head;
	__u32 stopped;		/* 1: SIGSTOP sent; user space must SIGCONT */
	__u32 pad;
};

/* The main thread of a target exited while other threads run on (pthread_exit
 * in main): its uprobes, attached through that thread, must move to a live one. */
struct procmon_event_leader_exit {
	struct procmon_event_head head;
	__u32 stopped;		/* 1: SIGSTOP sent to the process; user space must SIGCONT */
	__u32 pad;
};

/* A target maps a file executable: user space may need to probe it for labels.
 * The target is stopped (SIGSTOP) until user space has looked, when asked to. */
struct procmon_event_map {
	struct procmon_event_head head;
	__s32 fd;
	__u32 stopped;		/* enum procmon_hold */
};

/* -i below 10 ms: a sample the kernel's timer took of one target (head.pid), at
 * head.ts_ns; a TICK_END (head only, with the seq) follows the tick's last target.
 * Sent without a wake-up: user space reads them every 10 ms. */
struct procmon_event_tick {
	struct procmon_event_head head;
	__u64 seq;		/* the sample_seq the tick's rss peaks belong to */
	struct procmon_counters c;	/* as the snapshot program gives them */
};

/* Start the timer's samples: the first at @first_ns (CLOCK_MONOTONIC), then every
 * @period_ns on that schedule; @period_ns 0 stops them. */
struct procmon_ticker_args {
	__u64 first_ns;
	__u64 period_ns;
	__s32 err;
	__u32 pad;
};

#endif /* PROCMON_H */
