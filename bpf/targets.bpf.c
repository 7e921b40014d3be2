// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The lifecycle hooks that keep the set of traced processes and threads right:
 * fork (threads always, processes with -c), exec and exit. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "totals.bpf.h"

/* Kernels >= 6.13: a signal to another task than the current one. Weak: where
 * it is missing a -c child is not held, and may miss its first labels. */
extern int bpf_send_signal_task(struct task_struct *task, int sig, enum pid_type type,
				__u64 value) __ksym __weak;

/* -c or --cgroup: @child of a probed process (user space put label uprobes in
 * it), not yet run. Stop it at its first return to user space, and tell user
 * space to attach its uprobes and let it go (or just to attach: not held). */
static __always_inline void hold_child(struct task_struct *parent, struct task_struct *child)
{
	struct procmon_event_start *ev;
	__u32 parent_tgid = parent->tgid;

	/* Its memory is a copy of a probed parent's, breakpoints and all, but
	 * the uprobes are the parent's only: hold it until it has its own. */
	if (!bpf_map_lookup_elem(&probed, &parent_tgid))
		return;
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev)
		return;	/* it may miss its first labels */
	event_head(&ev->head, PROCMON_EV_START, child);
	/* A tracee stops for procmon before its first instruction anyway: the
	 * ptrace loop reads this event there. */
	ev->stopped = !ptraced_by_procmon(child) && bpf_send_signal_task &&
		      bpf_send_signal_task(child, PROCMON_SIGSTOP, PIDTYPE_TGID, 0) == 0;
	ev->pad = 0;
	event_submit(ev);
}

/* sched_process_fork(struct task_struct *parent, struct task_struct *child):
 * runs in the parent, for new threads and new processes alike. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	if (!traced_thread(parent))
		return 0;
	if (child->tgid == parent->tgid) {
		mark_new_thread(child);
		return 0;
	}
	if (!follow_children) {
		/* --cgroup: cgroup.bpf.c makes it a target, uprobes are ours. */
		if (cgroup_id)
			hold_child(parent, child);
		return 0;
	}
	/* Held only once user space knows it (a lost fork event: no hold). */
	if (add_child_target(parent, child) == 0)
		hold_child(parent, child);
	return 0;
}

/* sched_process_exec(struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm):
 * runs in @p, the new program mapped but not yet started. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct procmon_event_exec *ev;

	if (!traced_thread(p))
		return 0;
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev)
		return 0;
	event_head(&ev->head, PROCMON_EV_EXEC, p);
	bpf_probe_read_kernel_str(ev->comm, sizeof(ev->comm), p->comm);
	/* Stopped before its first instruction until the new program is probed. */
	ev->stopped = hold_for_probes(p, true);
	ev->pad = 0;
	event_submit(ev);
	return 0;
}

/* An exiting thread's counters go to its process's record: a snapshot skips it
 * from here on (PF_EXITING), so the walk and the exit never count it twice. Its
 * last off-CPU period is closed now. */
static __always_inline void retire_thread(struct task_struct *p, struct procmon_thread *th)
{
	struct procmon_totals o = {};
	struct procmon_counters *c;
	__u32 tgid = p->tgid;

	close_offcpu(th, bpf_ktime_get_ns(), p->se.sum_exec_runtime, p->sched_info.run_delay,
		     light);
	c = bpf_map_lookup_elem(&targets, &tgid);
	if (!c)
		return;
	add_task(&o, p);
	add_if(&c->oncpu_ns, o.oncpu_ns);
	add_if(&c->runq_wait_ns, o.runq_wait_ns);
	add_if(&c->nvcsw, o.nvcsw);
	add_if(&c->nivcsw, o.nivcsw);
	add_if(&c->min_flt, o.min_flt);
	add_if(&c->maj_flt, o.maj_flt);
	add_if(&c->read_bytes, o.read_bytes);
	add_if(&c->write_bytes, o.write_bytes);
	add_if(&c->rchar, o.rchar);
	add_if(&c->wchar, o.wchar);
	add_if(&c->syscr, o.syscr);
	add_if(&c->syscw, o.syscw);
	if (use_schedstats()) {
		add_schedstats(&o, p);
		add_if(&c->offcpu_blocked_ns, o.offcpu_blocked_ns);
		add_if(&c->offcpu_sleep_ns, o.offcpu_sleep_ns);
	}
	add_if(&c->offcpu_preempted_ns, th->preempted_ns);
	add_if(&c->offcpu_blocked_ns, th->blocked_ns);
	add_if(&c->offcpu_sleep_ns, th->sleep_ns);
	th->preempted_ns = th->blocked_ns = th->sleep_ns = 0;
	th->out_ns = 0;
	th->flags |= PROCMON_THREAD_RETIRED;	/* the rest of its exit: at its free */
}

/* sched_process_exit(struct task_struct *p, bool group_dead): runs in the exiting
 * thread. The last thread of a process tells user space at once, so the final
 * line need not wait for the next tick. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p, bool group_dead)
{
	struct procmon_thread *th = traced_thread(p);
	struct procmon_event_exit *ev;

	if (!th)
		return 0;
	retire_thread(p, th);
	if (!group_dead) {
		/* The main thread leaves, others run on: uprobes on it must move. */
		__u32 tgid = p->tgid;

		if (p->pid == tgid && bpf_map_lookup_elem(&probed, &tgid)) {
			struct procmon_event_leader_exit *le;

			le = bpf_ringbuf_reserve(&events, sizeof(*le), 0);
			if (le) {
				event_head(&le->head, PROCMON_EV_LEADER_EXIT, p);
				/* The others stop until theirs are in. */
				le->stopped = hold_for_probes(p, true);
				le->pad = 0;
				event_submit(le);
			}
		}
		return 0;
	}
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev)
		return 0;	/* the pidfd still reports the exit */
	event_head(&ev->head, PROCMON_EV_EXIT, p);
	ev->exit_code = p->exit_code;
	ev->pad = 0;
	event_submit(ev);
	return 0;
}

/* mark_victim(struct task_struct *task, uid_t uid): the OOM killer picked @task.
 * Without this line a user only sees the process vanish (exit by SIGKILL). */
SEC("tp_btf/mark_victim")
int BPF_PROG(on_oom_victim, struct task_struct *task, uid_t uid)
{
	struct procmon_event_oom *ev;
	__u32 tgid = task->tgid;

	if (!bpf_map_lookup_elem(&targets, &tgid))
		return 0;
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev)
		return 0;
	event_head(&ev->head, PROCMON_EV_OOM, task);
	event_submit(ev);
	return 0;
}
