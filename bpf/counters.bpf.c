// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reading a process's counters per sample (a syscall program user space runs with
 * BPF_PROG_RUN); what a thread ran after its exit hook, at its free. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "totals.bpf.h"

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

/* sched_process_free(struct task_struct *p): a thread's last reference goes, its
 * runtime final. What it ran after its exit hook (exit_mm, exit_notify: tens of
 * µs, which 1000 exiting threads make milliseconds) goes to its process. */
SEC("tp_btf/sched_process_free")
int BPF_PROG(on_free, struct task_struct *p)
{
	struct procmon_thread *th = traced_thread(p);
	struct procmon_counters *c;
	__u64 rt = p->se.sum_exec_runtime;
	__u32 tgid = p->tgid;

	if (!th || !(th->flags & PROCMON_THREAD_RETIRED) || rt <= th->runtime_at_out)
		return 0;
	c = bpf_map_lookup_elem(&targets, &tgid);
	if (c)
		__sync_fetch_and_add(&c->oncpu_ns, rt - th->runtime_at_out);
	th->runtime_at_out = rt;
	return 0;
}

#define PROCMON_ESRCH	3
#define PROCMON_ENOENT	2

/* One pass over the threads costs ~1 µs plus ~25 ns a thread: no per-event work
 * is needed for what the kernel counts itself. */
SEC("syscall")
int snapshot(struct procmon_snap_args *a)
{
	struct procmon_totals tot;
	struct procmon_counters *c;
	struct task_struct *leader;
	__u32 tgid = (__u32)a->pid, n;

	c = bpf_map_lookup_elem(&targets, &tgid);
	if (!c) {
		a->err = -PROCMON_ENOENT;
		return 0;
	}
	leader = bpf_task_from_pid(a->pid);
	if (!leader) {
		/* Reaped: every thread's exit put its counters in the record. */
		process_totals(NULL, &tot, c, false);
		counters_from(&a->out, c, &tot, NULL);
		a->err = -PROCMON_ESRCH;
		return 0;
	}
	bpf_rcu_read_lock();
	n = process_totals(leader, &tot, c, light);
	if (a->flags & PROCMON_SNAP_BASELINE) {
		struct procmon_totals released = {};

		c->base = tot;
		/* The record then holds, as the baseline does, what threads released
		 * before the attach left: once reaped, record - baseline is right. */
		add_released(&released, leader);
		record_released(c, &released);
		counters_from(&a->out, c, &tot, NULL);
	} else {
		counters_from(&a->out, c, &tot, leader);
	}
	bpf_rcu_read_unlock();
	bpf_task_release(leader);
	a->out.threads = n;
	a->err = 0;
	return 0;
}
